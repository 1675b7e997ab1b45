/*
 * The analysis of synthesised templates, for TypeScript callers. Not exported from the
 * package index, because jsii cannot export functions or the free-form template type.
 */
export { analyseTemplate } from './private/analysis';
export type { AnalysisOptions, Finding } from './private/analysis';
export { analyseAssembly, analyseTemplateFile } from './private/assembly';
export type { TemplateSource } from './private/template-model';
