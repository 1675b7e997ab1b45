import * as fs from 'fs';
import * as path from 'path';
import { readCloudAssembly } from './cloud-assembly';
import { NCSC_PACK_NAME, NcscReport, StatusCounts, buildNcscReport } from './model';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { NcscControlCatalogue } from '../ncsc';
import { NcscControl, NcscEvidenceReference } from '../ncsc/control';

/** The options of `writeNcscReport`. */
export interface WriteNcscReportOptions {
  /** The environment name, for example `production`. It names the files: `ncsc-<environment>.md`. */
  readonly environment: string;
  /** The cloud assembly directories (`cdk.out`) of the environment's apps. */
  readonly assemblyDirs: string[];
  /** The directory to write the reports to. It is created when missing. */
  readonly outDir: string;
  /**
   * References to the evidence of the procedural controls.
   *
   * @default - none: every procedural control reads EVIDENCE_MISSING
   */
  readonly evidence?: NcscEvidenceReference[];
  /**
   * The control mapping.
   *
   * @default - NcscControlCatalogue.all()
   */
  readonly controls?: NcscControl[];
  /** The date of generation, YYYY-MM-DD. It is passed in so that a report can be reproduced. */
  readonly generatedOn: string;
}

/** The files written and the counts, for a caller to print or to gate on. */
export interface WriteNcscReportResult {
  readonly counts: StatusCounts;
  /** How many NCSC rules reported on resources but have no control in the mapping. */
  readonly unmappedRules: number;
  readonly warnings: string[];
  readonly files: { readonly markdown: string; readonly html: string; readonly json: string };
  readonly report: NcscReport;
}

/** Environment names become file names, so they are limited to letters, digits, dots, underscores and hyphens. */
export const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Tests whether a date of generation is written YYYY-MM-DD and is a real day. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/**
 * Reads the cloud assemblies and writes the NCSC evidence report of one environment as
 * Markdown, HTML and JSON: `<outDir>/ncsc-<environment>.md`, `.html` and `.json`.
 *
 * @throws AssemblyReadError when an assembly cannot be read
 * @throws EvidenceInputError when the mapping or the evidence references are inconsistent
 * @throws Error when the environment name or the date is not valid
 */
export function writeNcscReport(options: WriteNcscReportOptions): WriteNcscReportResult {
  if (!ENVIRONMENT_NAME.test(options.environment)) {
    throw new Error(`environment is ${JSON.stringify(options.environment)}; use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit, for example "production".`);
  }
  if (!isIsoDate(options.generatedOn)) {
    throw new Error(`generatedOn is ${JSON.stringify(options.generatedOn)}; use a date written YYYY-MM-DD, for example "2026-01-31".`);
  }
  if (options.assemblyDirs.length === 0) {
    throw new Error('assemblyDirs is empty; give at least one cloud assembly directory (cdk.out).');
  }

  const report = buildNcscReport({
    environment: options.environment,
    generatedOn: options.generatedOn,
    assemblies: options.assemblyDirs.map((dir) => readCloudAssembly(dir, NCSC_PACK_NAME)),
    controls: options.controls ?? NcscControlCatalogue.all(),
    evidence: options.evidence,
  });

  fs.mkdirSync(options.outDir, { recursive: true });
  const base = path.join(options.outDir, `ncsc-${options.environment}`);
  const files = { markdown: `${base}.md`, html: `${base}.html`, json: `${base}.json` };
  fs.writeFileSync(files.markdown, renderMarkdown(report));
  fs.writeFileSync(files.html, renderHtml(report));
  fs.writeFileSync(files.json, renderJson(report));
  return { counts: report.counts, unmappedRules: report.unmappedRules.length, warnings: report.warnings, files, report };
}
