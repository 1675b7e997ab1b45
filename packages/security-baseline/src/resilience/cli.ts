#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { AssemblyReadError } from './private/assembly';
import { ResilienceReport } from './resilience-report';

/*
 * The command line and exit codes are described in HELP below, which `--help` prints.
 * Options take their value as the next word or after "=" (--out=reports).
 */

const USAGE = 'Usage: resilience-check --environment <name> --assembly <cdk.out> [--assembly <cdk.out> ...] --out <dir> [--production] '
  + '[--backup-tag-key <key>] [--backup-tag-value <value> ...] [--revision <text>]';

/** The text that `--help` prints: the usage, what the command reads and writes, and its exit codes. */
export const HELP = `${USAGE}

Lists the single points of failure of one environment, from the cloud assemblies of its
apps, and writes them to <out>/resilience-<name>.md and <out>/resilience-<name>.json.
It reads the manifest.json of each assembly and the CloudFormation templates it lists,
nested stacks included, with the acknowledgements that SinglePointOfFailure.acknowledge
wrote to their metadata. Run it after cdk synth; it deploys and changes nothing.

  --environment <name>      the environment, for example production (1 to 64 letters,
                            digits, . _ -); it names the report files
  --assembly <dir>          a cloud assembly directory (cdk.out); repeat it for each app
  --out <dir>               the directory to write the report to; created when missing
  --production              fail when a single point of failure is not acknowledged
  --backup-tag-key <key>    the tag key that the backup policy selects resources by;
                            default backup
  --backup-tag-value <value>
                            a value of that tag that selects a resource for backup;
                            repeat it for each value; default true
  --revision <text>         the revision of the code the assemblies were synthesised
                            from, printed in the report header, for example
                            "git 1a2b3c4d5e6f"; without it the header reads
                            "revision not given"
  --help, -h                print this text

Exit codes: 0 report written and, with --production, every single point of failure
acknowledged; 1 with --production a single point of failure that is not acknowledged
(the report is still written), an assembly that cannot be read or a report that cannot
be written; 2 invalid arguments.`;

/** An error in the command's arguments, reported with exit code 2. */
class ArgumentError extends Error {}

interface Arguments {
  readonly environment: string;
  readonly assemblyDirs: string[];
  readonly outDir: string;
  readonly production: boolean;
  readonly backupTagKey?: string;
  readonly backupTagValues?: string[];
  readonly revision?: string;
}

/** Options that take a value, and whether they may be given more than once. */
const VALUE_OPTIONS: Record<string, { readonly repeatable: boolean }> = {
  '--environment': { repeatable: false },
  '--assembly': { repeatable: true },
  '--out': { repeatable: false },
  '--backup-tag-key': { repeatable: false },
  '--backup-tag-value': { repeatable: true },
  '--revision': { repeatable: false },
};
const FLAG_OPTIONS = ['--production'];

function parseArguments(argv: string[]): Arguments {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();

  for (let index = 0; index < argv.length; index++) {
    const word = argv[index];
    if (!word.startsWith('--')) {
      throw new ArgumentError(`unexpected argument "${word}". Every value follows its option, for example --out reports.`);
    }
    const equals = word.indexOf('=');
    const option = equals >= 0 ? word.slice(0, equals) : word;
    if (FLAG_OPTIONS.includes(option)) {
      if (equals >= 0) {
        throw new ArgumentError(`${option} takes no value, but got "${word.slice(equals + 1)}". Give ${option} alone.`);
      }
      if (flags.has(option)) {
        throw new ArgumentError(`${option} is given twice. Give it once.`);
      }
      flags.add(option);
      continue;
    }
    const spec = VALUE_OPTIONS[option];
    if (spec === undefined) {
      throw new ArgumentError(`unknown option "${option}".`);
    }
    let value: string | undefined;
    if (equals >= 0) {
      value = word.slice(equals + 1);
    } else {
      value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new ArgumentError(`${option} needs a value, but got ${value === undefined ? 'nothing' : `"${value}"`}.`);
      }
      index++;
    }
    if (value.length === 0) {
      throw new ArgumentError(`${option} is empty. Give a value after it, as ${option} <value> or ${option}=<value>.`);
    }
    const given = values.get(option) ?? [];
    if (given.length > 0 && !spec.repeatable) {
      throw new ArgumentError(`${option} is given twice, as "${given[0]}" and "${value}". Give it once.`);
    }
    values.set(option, [...given, value]);
  }

  const single = (option: string): string | undefined => values.get(option)?.[0];
  const environment = single('--environment');
  if (environment === undefined) {
    throw new ArgumentError('--environment is missing. Give the environment name, for example --environment production.');
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(environment)) {
    throw new ArgumentError(`--environment is "${environment}". Give 1 to 64 letters, digits, dots, hyphens and underscores, `
      + 'starting with a letter or digit.');
  }
  const assemblyDirs = checkAssemblyDirs(values.get('--assembly') ?? []);
  const outDir = single('--out');
  if (outDir === undefined) {
    throw new ArgumentError('--out is missing. Give the directory to write the report to, for example --out reports.');
  }
  checkOutDir(outDir);
  const revision = single('--revision');
  if (revision !== undefined && revision.trim() === '') {
    throw new ArgumentError(`--revision is "${revision}". Give the revision as text, for example --revision "git 1a2b3c4d5e6f", or leave it out.`);
  }
  return {
    environment,
    assemblyDirs,
    outDir,
    production: flags.has('--production'),
    ...(values.has('--backup-tag-key') ? { backupTagKey: single('--backup-tag-key') } : {}),
    ...(values.has('--backup-tag-value') ? { backupTagValues: values.get('--backup-tag-value') } : {}),
    ...(revision !== undefined ? { revision } : {}),
  };
}

function checkAssemblyDirs(assemblyDirs: string[]): string[] {
  if (assemblyDirs.length === 0) {
    throw new ArgumentError('--assembly is missing. Give the cloud assembly directory at least once, for example --assembly cdk.out.');
  }
  const seen = new Map<string, string>();
  for (const directory of assemblyDirs) {
    const resolved = path.resolve(directory);
    if (seen.has(resolved)) {
      throw new ArgumentError(`--assembly is given twice for the same directory, as "${seen.get(resolved)}" and "${directory}". Give each assembly once.`);
    }
    seen.set(resolved, directory);
    if (!fs.existsSync(path.join(directory, 'manifest.json'))) {
      throw new ArgumentError(`--assembly is "${directory}", which is not a cloud assembly directory: it has no manifest.json. `
        + 'Give the directory that cdk synth writes, for example cdk.out.');
    }
  }
  return assemblyDirs;
}

/** Rejects an output path that is a file, or that has a file where a directory above it should be. */
function checkOutDir(outDir: string): void {
  let current = path.resolve(outDir);
  for (;;) {
    if (fs.existsSync(current)) {
      if (!fs.statSync(current).isDirectory()) {
        throw new ArgumentError(current === path.resolve(outDir)
          ? `--out is "${outDir}", which is a file. Give a directory to write the report to, for example --out reports.`
          : `--out is "${outDir}", but "${current}" above it is a file. Give a directory to write the report to, for example --out reports.`);
      }
      return;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return;
    }
    current = parent;
  }
}

/**
 * Runs the command and returns its exit code. Output goes to the given streams, so that
 * tests can run it in-process.
 */
export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  // Help wins over every other argument, as in ncsc-report, so that a user who gets an
  // argument wrong can add --help to the same command line.
  if (argv.includes('--help') || argv.includes('-h')) {
    out(HELP);
    return 0;
  }
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (error instanceof ArgumentError) {
      err(`resilience-check: ${error.message}`);
      err(USAGE);
      err('Run "resilience-check --help" for what each option means and the exit codes.');
      return 2;
    }
    throw error;
  }

  try {
    const result = ResilienceReport.write(args);
    out(`${args.environment}: ${result.unacknowledgedCount} unacknowledged and ${result.acknowledgedCount} acknowledged `
      + `single points of failure. Report: ${result.markdownFile}, ${result.jsonFile}`);
    if (!result.passed) {
      err(`resilience-check: the production environment ${args.environment} has ${result.unacknowledgedCount} unacknowledged `
        + 'single points of failure. Fix each one, or acknowledge it with SinglePointOfFailure.acknowledge and its recovery procedure.');
      return 1;
    }
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An assembly that cannot be read is named with the option that gave it.
    err(`resilience-check: ${error instanceof AssemblyReadError ? `--assembly: ${message}` : message}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
