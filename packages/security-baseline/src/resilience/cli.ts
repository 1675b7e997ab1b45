#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { ResilienceReport } from './resilience-report';

/*
 * resilience-check --environment <name> --assembly <cdk.out> [--assembly ...] --out <dir> [--production]
 *
 * Exit codes: 0 when the report is written and passes, 1 when a production environment has
 * an unacknowledged single point of failure (or an assembly cannot be read), 2 when the
 * arguments are wrong.
 */

const USAGE = 'Usage: resilience-check --environment <name> --assembly <cdk.out> [--assembly <cdk.out> ...] --out <dir> [--production]';

/** An error in the command's arguments, reported with exit code 2. */
class ArgumentError extends Error {}

interface Arguments {
  readonly environment: string;
  readonly assemblyDirs: string[];
  readonly outDir: string;
  readonly production: boolean;
}

function parseArguments(argv: string[]): Arguments {
  let environment: string | undefined;
  let outDir: string | undefined;
  let production = false;
  const assemblyDirs: string[] = [];

  for (let index = 0; index < argv.length; index++) {
    const option = argv[index];
    const valueOf = (): string => {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new ArgumentError(`${option} needs a value, but got ${value === undefined ? 'nothing' : `"${value}"`}.`);
      }
      index++;
      return value;
    };
    switch (option) {
      case '--environment':
        environment = valueOf();
        break;
      case '--assembly':
        assemblyDirs.push(valueOf());
        break;
      case '--out':
        outDir = valueOf();
        break;
      case '--production':
        production = true;
        break;
      default:
        throw new ArgumentError(`unknown option "${option}".`);
    }
  }

  if (environment === undefined) {
    throw new ArgumentError('--environment is missing. Give the environment name, for example --environment production.');
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(environment)) {
    throw new ArgumentError(`--environment is "${environment}". Give 1 to 64 letters, digits, dots, hyphens and underscores, `
      + 'starting with a letter or digit.');
  }
  if (assemblyDirs.length === 0) {
    throw new ArgumentError('--assembly is missing. Give the cloud assembly directory at least once, for example --assembly cdk.out.');
  }
  for (const directory of assemblyDirs) {
    if (!fs.existsSync(path.join(directory, 'manifest.json'))) {
      throw new ArgumentError(`--assembly is "${directory}", which is not a cloud assembly directory: it has no manifest.json. `
        + 'Give the directory that cdk synth writes, for example cdk.out.');
    }
  }
  if (outDir === undefined) {
    throw new ArgumentError('--out is missing. Give the directory to write the report to, for example --out reports.');
  }
  return { environment, assemblyDirs, outDir, production };
}

/**
 * Runs the command and returns its exit code. Output goes to the given streams, so that
 * tests can run it in-process.
 */
export function main(argv: string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    if (error instanceof ArgumentError) {
      err(`resilience-check: ${error.message}`);
      err(USAGE);
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
    err(`resilience-check: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
