#!/usr/bin/env node
import { readFileSync } from 'fs';
import { RoutingPolicy, RoutingPolicyProps } from '../routing-policy';
import { checkSegmentation } from './check';
import { writeReports } from './report';

const USAGE = `Usage: segmentation-check --assembly <dir> [--assembly <dir> ...] --report-dir <dir>
                          [--environment <name>] [--bind <value>=<resource> ...] [--policy <file.json>]
                          [--internet-facing <vpc> ...]

Proves the network segmentation of synthesised CDK apps and writes
segmentation-<environment>.json and .md to the report folder.

  --assembly <dir>         a cloud assembly folder (cdk.out); give several to check them as one environment
  --report-dir <dir>       the folder the reports are written to; created if missing
  --environment <name>     the environment's name in the reports (default: the first assembly's folder name)
  --bind <value>=<res>     treat a literal ID or export name as the resource <stack>/<logical ID> or construct path
  --policy <file.json>     the routing policy as {"connections": [{"domain": "management", "peer": "shared-services", "inspected": true}]}
                           (default: the platform's default policy)
  --internet-facing <vpc>  a VPC allowed to reach the internet without the egress firewall, such as the
                           ingress DMZ: its Name tag, <stack>/<logical ID> or construct path

Exit status: 0 when every intent is proven or not applicable; 1 when an intent is
violated or inconclusive; 2 when the arguments or the assemblies cannot be read.`;

/** The parsed command line. */
interface CliArguments {
  readonly assemblies: string[];
  readonly reportDir?: string;
  readonly environment?: string;
  readonly bindings: Record<string, string>;
  readonly policyFile?: string;
  readonly internetFacingVpcs: string[];
}

/** The CLI's output streams, replaceable so that tests can capture them. */
export interface CliOutput {
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

/** Runs the check for a command line and returns the exit status. */
export function runCli(argv: string[], output: CliOutput = { log: console.log, error: console.error }): number {
  let args: CliArguments;
  try {
    args = parseArguments(argv);
  } catch (error) {
    output.error(`${messageOf(error)}\n\n${USAGE}`);
    return 2;
  }

  try {
    const result = checkSegmentation(args.assemblies, {
      environment: args.environment,
      bindings: args.bindings,
      routingPolicy: args.policyFile === undefined ? undefined : readPolicy(args.policyFile),
      internetFacingVpcs: args.internetFacingVpcs,
    });
    const files = writeReports(result.report, args.reportDir!);

    output.log(`Segmentation of ${result.environment}: ${result.passed ? 'passed' : 'FAILED'}`);
    for (const intent of result.report.intents) {
      output.log(`  ${intent.status.padEnd(14)} ${intent.intent} (${intent.pathsChecked} paths checked)`);
      for (const finding of [...intent.violations, ...intent.inconclusive]) {
        output.log(`    - ${finding.summary}`);
        finding.text.forEach((line) => output.log(`      ${line}`));
      }
    }
    if (result.report.model.externals.length > 0) {
      output.log(`  ${result.report.model.externals.length} external value(s) stop paths: ${result.report.model.externals.map((e) => e.value).join(', ')}`);
    }
    output.log(`Reports: ${files.join(', ')}`);
    return result.passed ? 0 : 1;
  } catch (error) {
    output.error(`Segmentation check failed: ${messageOf(error)}`);
    return 2;
  }
}

function parseArguments(argv: string[]): CliArguments {
  const assemblies: string[] = [];
  const bindings: Record<string, string> = {};
  const internetFacingVpcs: string[] = [];
  let reportDir: string | undefined;
  let environment: string | undefined;
  let policyFile: string | undefined;
  const problems: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (!['--assembly', '--report-dir', '--environment', '--bind', '--policy', '--internet-facing'].includes(flag)) {
      problems.push(`unknown argument ${JSON.stringify(flag)}`);
      continue;
    }
    if (value === undefined || value.startsWith('--')) {
      problems.push(`${flag} needs a value`);
      continue;
    }
    i++;
    if (flag === '--assembly') {
      assemblies.push(value);
    } else if (flag === '--report-dir') {
      reportDir = value;
    } else if (flag === '--environment') {
      environment = value;
    } else if (flag === '--policy') {
      policyFile = value;
    } else if (flag === '--internet-facing') {
      internetFacingVpcs.push(value);
    } else {
      const equals = value.indexOf('=');
      if (equals <= 0 || equals === value.length - 1) {
        problems.push(`--bind ${JSON.stringify(value)} is not <value>=<resource>`);
      } else {
        bindings[value.slice(0, equals)] = value.slice(equals + 1);
      }
    }
  }
  if (assemblies.length === 0) {
    problems.push('--assembly is missing');
  }
  if (reportDir === undefined) {
    problems.push('--report-dir is missing');
  }
  if (problems.length > 0) {
    throw new Error(`Invalid arguments: ${problems.join('; ')}.`);
  }
  return { assemblies, reportDir, environment, bindings, policyFile, internetFacingVpcs };
}

function readPolicy(file: string): RoutingPolicy {
  let props: RoutingPolicyProps;
  try {
    props = JSON.parse(readFileSync(file, 'utf8')) as RoutingPolicyProps;
  } catch (error) {
    throw new Error(`Cannot read the routing policy ${file}: ${messageOf(error)}`);
  }
  return new RoutingPolicy(props);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

if (require.main === module) {
  process.exitCode = runCli(process.argv.slice(2));
}
