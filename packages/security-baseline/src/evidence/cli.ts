#!/usr/bin/env node
import * as fs from 'fs';
import { AssemblyReadError } from './cloud-assembly';
import { countsSummary } from './labels';
import { EvidenceInputError } from './model';
import { stripByteOrderMark } from './nag-report';
import { isValidRevision } from './provenance';
import {
  ENVIRONMENT_NAME, ENVIRONMENT_NAME_RULE, MissingNcscReportError, ReportWriteError, isIsoDate, repeatedDirectories, writeNcscReport,
} from './write-report';
import { NcscControl, NcscEvidenceReference } from '../ncsc/control';

/** The command line of `ncsc-report`, parsed. */
export interface NcscReportArguments {
  /** True when --help was given; the other fields are then not checked. */
  readonly help: boolean;
  readonly environment: string;
  readonly assemblies: string[];
  readonly out: string;
  readonly evidence?: string;
  readonly controls?: string;
  readonly date?: string;
  readonly revision?: string;
  /** True when --allow-missing-ncsc-report was given. */
  readonly allowMissingNcscReport: boolean;
}

/** An invalid command line. The message lists every problem, and the command exits with code 2. */
export class UsageError extends Error {
  constructor(public readonly problems: string[]) {
    super(`ncsc-report: invalid arguments:\n  - ${problems.join('\n  - ')}\nRun "ncsc-report --help" for the usage.`);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: ncsc-report --environment <name> --assembly <cdk.out dir> [--assembly <dir> ...] --out <dir>
                   [--evidence <evidence.json>] [--controls <controls.json>] [--date YYYY-MM-DD]
                   [--revision <text>]

Writes the NCSC Cloud Security Principles evidence report of one environment, from the
cloud assemblies of its apps and the reports of the NCSC cdk-nag pack in them, to
<out>/ncsc-<name>.md, <out>/ncsc-<name>.html and <out>/ncsc-<name>.json.

  --environment <name>    the environment, for example production (letters, digits, . _ -)
  --assembly <dir>        a cloud assembly directory (cdk.out); repeat it for each app
  --out <dir>             the directory to write the report to; created when missing
  --evidence <file>       JSON array of {"controlId", "reference", "owner"?} for the
                          procedural controls; without it they read EVIDENCE MISSING
  --controls <file>       JSON array of controls to use instead of NcscControlCatalogue.all()
  --date <YYYY-MM-DD>     the date of generation printed in the report; default today (UTC)
  --revision <text>       the revision of the code the assemblies were synthesised from,
                          printed in the report header, for example "git 1a2b3c4d5e6f";
                          without it the header reads "revision not given"
  --allow-missing-ncsc-report
                          write the report even when an assembly has no NCSC cdk-nag
                          report; its automated controls then read NOT ASSESSED
  --help                  print this text

Exit codes: 0 report written, 1 an assembly or file could not be read or written, or
the NCSC pack did not run on an assembly, 2 invalid arguments or evidence references.`;

const SINGLE_OPTIONS = ['environment', 'out', 'evidence', 'controls', 'date', 'revision'];
const REPEATED_OPTIONS = ['assembly'];
const FLAG_OPTIONS = ['allow-missing-ncsc-report'];
const ALL_OPTIONS = [...SINGLE_OPTIONS, ...REPEATED_OPTIONS, ...FLAG_OPTIONS];

/**
 * Parses the arguments of `ncsc-report` (without the node and script paths).
 *
 * @throws UsageError listing every problem
 */
export function parseArguments(argv: string[]): NcscReportArguments {
  if (argv.includes('--help') || argv.includes('-h')) {
    return { help: true, environment: '', assemblies: [], out: '', allowMissingNcscReport: false };
  }
  const problems: string[] = [];
  const single: { [name: string]: string } = {};
  const assemblies: string[] = [];
  const flags = new Set<string>();
  // Options given with no value are reported once, as such, and not again as missing.
  const valueless = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      problems.push(`unexpected argument ${JSON.stringify(arg)}; every value follows its option, for example --assembly ${arg}.`);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (!ALL_OPTIONS.includes(name)) {
      problems.push(`unknown option ${JSON.stringify(`--${name}`)}; the options are ${ALL_OPTIONS.map((o) => `--${o}`).join(', ')} and --help.`);
      // The argument after an unknown option is taken as its value, so that it is not reported as well.
      if (eq < 0 && i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
        i++;
      }
      continue;
    }
    if (FLAG_OPTIONS.includes(name)) {
      if (eq >= 0) {
        problems.push(`--${name} takes no value; write it as --${name} alone.`);
      } else if (flags.has(name)) {
        problems.push(`--${name} is given twice; give it once.`);
      }
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) {
      value = argv[++i];
    }
    if (value === undefined || value === '') {
      problems.push(`--${name} has no value; write it as --${name} <value>.`);
      valueless.add(name);
      continue;
    }
    if (REPEATED_OPTIONS.includes(name)) {
      assemblies.push(value);
    } else if (single[name] !== undefined) {
      problems.push(`--${name} is given twice (${JSON.stringify(single[name])} and ${JSON.stringify(value)}); give it once.`);
    } else {
      single[name] = value;
    }
  }

  if (single.environment === undefined) {
    if (!valueless.has('environment')) {
      problems.push('--environment is missing; name the environment, for example --environment production.');
    }
  } else if (!ENVIRONMENT_NAME.test(single.environment)) {
    problems.push(`--environment is ${JSON.stringify(single.environment)}; ${ENVIRONMENT_NAME_RULE}, because it becomes part of the file names.`);
  }
  if (assemblies.length === 0) {
    if (!valueless.has('assembly')) {
      problems.push('--assembly is missing; give the cloud assembly directory of each app, for example --assembly cdk.out.');
    }
  } else {
    for (const repeated of repeatedDirectories(assemblies)) {
      problems.push(`--assembly names ${repeated} more than once; give each cloud assembly once, or its stacks would count twice.`);
    }
  }
  if (single.out === undefined && !valueless.has('out')) {
    problems.push('--out is missing; give the directory to write the report to, for example --out reports.');
  }
  if (single.date !== undefined && !isIsoDate(single.date)) {
    problems.push(`--date is ${JSON.stringify(single.date)}; write a real date as YYYY-MM-DD, for example --date 2026-01-31, or leave it out for today.`);
  }
  if (!isValidRevision(single.revision)) {
    problems.push(`--revision is ${JSON.stringify(single.revision)}; give the revision as text, for example --revision "git 1a2b3c4d5e6f", or leave it out.`);
  }
  if (problems.length > 0) {
    throw new UsageError(problems);
  }
  return {
    help: false,
    environment: single.environment,
    assemblies,
    out: single.out,
    evidence: single.evidence,
    controls: single.controls,
    date: single.date,
    revision: single.revision,
    allowMissingNcscReport: flags.has('allow-missing-ncsc-report'),
  };
}

/**
 * Reads an evidence references file: a JSON array of `{ controlId, reference, owner? }`.
 * Whether each controlId names a procedural control is checked against the mapping later.
 *
 * @throws UsageError when the file cannot be read or is not such an array
 */
export function readEvidenceFile(file: string): NcscEvidenceReference[] {
  const entries = readJsonArray(file, '--evidence', '[{"controlId": "NCSC-P06-StaffScreening", "reference": "HR-POL-012", "owner": "Head of HR"}]');
  const problems: string[] = [];
  entries.forEach((entry, index) => {
    const where = `--evidence ${file}: entry ${index}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${where} is ${JSON.stringify(entry)}; each entry is an object with "controlId" and "reference".`);
      return;
    }
    const e = entry as { [key: string]: unknown };
    for (const key of Object.keys(e)) {
      if (!['controlId', 'reference', 'owner'].includes(key)) {
        problems.push(`${where} has the field ${JSON.stringify(key)}; the fields are "controlId", "reference" and "owner".`);
      }
    }
    if (typeof e.controlId !== 'string' || e.controlId === '') {
      problems.push(`${where} has the controlId ${JSON.stringify(e.controlId)}; give the id of a procedural control as a string.`);
    }
    if (typeof e.reference !== 'string' || e.reference.trim() === '') {
      problems.push(`${where} has the reference ${JSON.stringify(e.reference)}; give a document reference, a URL or a ticket as a string.`);
    }
    if (e.owner !== undefined && typeof e.owner !== 'string') {
      problems.push(`${where} has the owner ${JSON.stringify(e.owner)}; give a person or role as a string, or leave it out.`);
    }
  });
  if (problems.length > 0) {
    throw new UsageError(problems);
  }
  return entries as NcscEvidenceReference[];
}

/**
 * Reads a control mapping file: a JSON array of controls with the fields of `NcscControl`.
 * The fields are checked when the report is built.
 *
 * @throws UsageError when the file cannot be read or contains no array of objects
 */
export function readControlsFile(file: string): NcscControl[] {
  const entries = readJsonArray(file, '--controls', '[{"id": "NCSC-P01-...", "principle": "DATA_IN_TRANSIT_PROTECTION", ...}]');
  if (entries.length === 0) {
    throw new UsageError([`--controls ${file} contains an empty array; give at least one control, or leave --controls out to use the package's mapping.`]);
  }
  const problems = entries
    .map((entry, index) => (entry === null || typeof entry !== 'object' || typeof (entry as NcscControl).id !== 'string'
      ? `--controls ${file}: entry ${index} is not a control object with an "id".` : ''))
    .filter((p) => p !== '');
  if (problems.length > 0) {
    throw new UsageError(problems);
  }
  return entries as NcscControl[];
}

function readJsonArray(file: string, option: string, example: string): unknown[] {
  let text: string;
  try {
    text = stripByteOrderMark(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError([`${option} ${file} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of an existing JSON file.`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError([`${option} ${file} is not valid JSON (${(e as Error).message}); it must contain an array such as ${example}.`]);
  }
  if (!Array.isArray(parsed)) {
    throw new UsageError([`${option} ${file} contains ${parsed === null ? 'null' : typeof parsed}, not an array; it must contain an array such as ${example}.`]);
  }
  return parsed;
}

/** The output streams of the command, replaced in tests. */
export interface CommandOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Runs `ncsc-report` and returns its exit code: 0 when the report is written, 1 when an
 * assembly or file cannot be read or written, 2 when the arguments or evidence references are wrong.
 */
export function main(argv: string[], output: CommandOutput = consoleOutput(), today: () => Date = () => new Date()): number {
  try {
    const args = parseArguments(argv);
    if (args.help) {
      output.out(USAGE);
      return 0;
    }
    const result = writeNcscReport({
      environment: args.environment,
      assemblyDirs: args.assemblies,
      outDir: args.out,
      evidence: args.evidence ? readEvidenceFile(args.evidence) : undefined,
      controls: args.controls ? readControlsFile(args.controls) : undefined,
      generatedOn: args.date ?? today().toISOString().slice(0, 10),
      revision: args.revision,
      allowMissingNcscReport: args.allowMissingNcscReport,
    });
    result.warnings.forEach((w) => output.err(`ncsc-report: warning: ${w}`));
    const c = result.counts;
    const unassessed = c.notAssessed > 0 ? ` (the NCSC pack did not run on ${result.report.unassessedAssemblies.join(', ')})` : '';
    output.out(`NCSC report for ${args.environment}: ${c.total} controls: ${countsSummary(c)}${unassessed}; `
      + `unmapped NCSC rules: ${result.unmappedRules}; `
      + `wrote ${result.files.markdown}, ${result.files.html}, ${result.files.json}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      output.err(e.message);
      return 2;
    }
    if (e instanceof EvidenceInputError) {
      output.err(`ncsc-report: ${e.message}\nFix the file given to --evidence (or --controls).`);
      return 2;
    }
    if (e instanceof MissingNcscReportError) {
      output.err(`ncsc-report: ${e.message}`);
      return 1;
    }
    if (e instanceof AssemblyReadError) {
      const given = e.directory === undefined ? '' : ` given to --assembly ${e.directory}`;
      output.err(`ncsc-report: cannot read the cloud assembly${given}: ${e.message}`);
      return 1;
    }
    if (e instanceof ReportWriteError) {
      output.err(`ncsc-report: cannot write the report to --out ${e.outDir}: ${e.detail}`);
      return 1;
    }
    output.err(`ncsc-report: ${(e as Error).message ?? String(e)}`);
    return 1;
  }
}

function consoleOutput(): CommandOutput {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  };
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
