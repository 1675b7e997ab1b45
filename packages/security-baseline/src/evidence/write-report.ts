import * as fs from 'fs';
import * as path from 'path';
import { AssemblyReadError, CloudAssemblyContents, readCloudAssembly } from './cloud-assembly';
import { NCSC_PACK_NAME, NcscReport, StatusCounts, buildNcscReport } from './model';
import { isValidRevision } from './provenance';
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
  /**
   * The revision of the code the cloud assemblies were synthesised from, as free text, for
   * example `git 1a2b3c4d5e6f (uncommitted changes)`. The header of every format shows it,
   * next to the version of this package, so that a reviewer can tell which code the report describes.
   *
   * @default - the header reads "revision not given"
   */
  readonly revision?: string;
  /**
   * Writes the report even when an assembly has no NCSC cdk-nag report, that is when the
   * pack did not run on it. The automated controls that found no resource then read
   * NOT_ASSESSED, and the headline starts with "Not assessed".
   *
   * @default false - an assembly with no NCSC report is an error
   */
  readonly allowMissingNcscReport?: boolean;
}

/** The NCSC pack did not run on an assembly, and the caller did not allow that. */
export class MissingNcscReportError extends AssemblyReadError {
  constructor(public readonly directories: string[]) {
    super(`The NCSC cdk-nag pack did not run on ${directories.length === 1 ? 'the cloud assembly' : 'the cloud assemblies'} `
      + `${directories.join(', ')}: there is no ${NCSC_PACK_NAME}-*-NagReport.csv (or .json) in it. `
      + 'Add the pack with Aspects.of(app).add(new NcscChecks()), and to each Stage with Aspects.of(stage).add(new NcscChecks()), '
      + 'keep its reports on, and synthesise again. To write a report that marks the automated controls not assessed instead, '
      + 'allow it explicitly (allowMissingNcscReport, or --allow-missing-ncsc-report on the command line).', directories[0]);
    this.name = 'MissingNcscReportError';
  }
}

/** The report files could not be written to the output directory. */
export class ReportWriteError extends Error {
  /**
   * @param outDir the output directory given
   * @param detail what went wrong, without the option's name, so that a command can name its own option
   */
  constructor(public readonly outDir: string, public readonly detail: string) {
    super(`Cannot write the report to outDir ${outDir}: ${detail}`);
    this.name = 'ReportWriteError';
  }
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

/**
 * Environment names become file names, so they are limited to letters, digits, dots,
 * underscores and hyphens, start with a letter or digit, and neither end with a dot nor
 * hold two dots in a row (`prod.` would write `ncsc-prod..md`).
 */
export const ENVIRONMENT_NAME = /^(?!.*\.\.)(?!.*\.$)[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** How an environment name must be written, for error messages. */
export const ENVIRONMENT_NAME_RULE = 'use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit, '
  + 'not ending with a dot and with no two dots in a row';

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
 * @throws Error when the environment name, the date or the revision is not valid
 */
export function writeNcscReport(options: WriteNcscReportOptions): WriteNcscReportResult {
  if (!ENVIRONMENT_NAME.test(options.environment)) {
    throw new Error(`environment is ${JSON.stringify(options.environment)}; ${ENVIRONMENT_NAME_RULE}, for example "production".`);
  }
  if (!isIsoDate(options.generatedOn)) {
    throw new Error(`generatedOn is ${JSON.stringify(options.generatedOn)}; use a date written YYYY-MM-DD, for example "2026-01-31".`);
  }
  if (!isValidRevision(options.revision)) {
    throw new Error(`revision is ${JSON.stringify(options.revision)}; give the revision of the code the assemblies were synthesised from `
      + 'as text, for example "git 1a2b3c4d5e6f", or leave it out.');
  }
  if (options.assemblyDirs.length === 0) {
    throw new Error('assemblyDirs is empty; give at least one cloud assembly directory (cdk.out).');
  }
  const repeated = repeatedDirectories(options.assemblyDirs);
  if (repeated.length > 0) {
    throw new Error(`assemblyDirs names ${repeated.join(', ')} more than once; give each cloud assembly once, or its stacks would count twice.`);
  }

  const assemblies = options.assemblyDirs.map((dir) => readCloudAssembly(dir, NCSC_PACK_NAME));
  const unassessed = assemblies.filter(hasNoNcscReport).map((a) => a.directory);
  if (unassessed.length > 0 && options.allowMissingNcscReport !== true) {
    throw new MissingNcscReportError(unassessed);
  }
  const report = buildNcscReport({
    environment: options.environment,
    generatedOn: options.generatedOn,
    revision: options.revision,
    assemblies,
    controls: options.controls ?? NcscControlCatalogue.all(),
    evidence: options.evidence,
  });

  const base = path.join(options.outDir, `ncsc-${options.environment}`);
  const files = { markdown: `${base}.md`, html: `${base}.html`, json: `${base}.json` };
  writeFiles(options.outDir, [
    [files.markdown, renderMarkdown(report)],
    [files.html, renderHtml(report)],
    [files.json, renderJson(report)],
  ]);
  return { counts: report.counts, unmappedRules: report.unmappedRules.length, warnings: report.warnings, files, report };
}

/** Returns the directories given more than once, compared as resolved paths (symbolic links followed where they exist). */
export function repeatedDirectories(dirs: string[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const dir of dirs) {
    const key = canonicalPath(dir);
    if (seen.has(key) && !repeated.includes(dir)) {
      repeated.push(dir);
    }
    seen.add(key);
  }
  return repeated;
}

function canonicalPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function hasNoNcscReport(assembly: CloudAssemblyContents): boolean {
  return assembly.stacks.every((stack) => !stack.nagReportFile);
}

/** Creates the output directory and writes the files, turning file system errors into one clear message. */
function writeFiles(outDir: string, files: Array<[string, string]>): void {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new ReportWriteError(outDir, 'it, or a directory above it, is an existing file, not a directory; give a directory path.');
    }
    throw new ReportWriteError(outDir, `the directory cannot be created (${code ?? (e as Error).message}).`);
  }
  for (const [file, content] of files) {
    try {
      fs.writeFileSync(file, content);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason = code === 'EISDIR' ? 'it is a directory' : `${code ?? (e as Error).message}`;
      throw new ReportWriteError(outDir, `the file ${file} cannot be written (${reason}).`);
    }
  }
}
