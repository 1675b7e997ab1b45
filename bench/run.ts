/**
 * Benchmarks the synth of the estate on this machine and writes docs/benchmarks.md:
 *
 *   node -r ts-node/register/transpile-only bench/run.ts [--runs N] [--quick] [--test-runs N]
 *
 * --runs N       how many times to repeat each synth measurement; each figure is the median (default 5)
 * --quick        one run of each, for a smoke test (same as --runs 1)
 * --test-runs N  how many times to run `npm test`, which takes minutes (default 1; 0 skips it)
 *
 * It measures the example apps with and without their checks against an empty CDK app,
 * and the main job and each of its passes. It also measures estates of 1, 11 and 50
 * benefit workloads per tier, the deploy critical path of each app, and the wall time of
 * `npm test`. The main
 * job and `npm test` rewrite examples/<app>/cdk.out and reports/ as they always do; every
 * other measurement writes to a temporary folder. The raw samples go to
 * reports/benchmarks.json.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir, totalmem, type, release, arch } from 'os';
import { join } from 'path';
import { measureEstate } from './estate-benchmark';
import { ROOT, installedVersion } from './example-apps';
import { renderReport } from './report';
import { SCALES, ScaleFindings, measureScale } from './scale-benchmark';
import { TestCommandRun, timeTestCommand } from './test-command';
import { Samples, elapsedSeconds } from './timing';

interface Options {
  readonly runs: number;
  readonly testRuns: number;
}

const USAGE = 'Usage: node -r ts-node/register/transpile-only bench/run.ts [--runs N] [--quick] [--test-runs N]';

/** Parses the command line; throws one error listing every invalid argument. */
function parseArguments(args: string[]): Options {
  const problems: string[] = [];
  let runs = 5;
  let testRuns = 1;
  const count = (flag: string, value: string | undefined, min: number): number => {
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < min) {
      problems.push(`${flag} is ${value === undefined ? 'missing its value' : JSON.stringify(value)}; use a whole number of at least ${min}.`);
      return min;
    }
    return parsed;
  };
  for (let index = 0; index < args.length; index++) {
    const flag = args[index];
    if (flag === '--runs') {
      runs = count(flag, args[++index], 1);
    } else if (flag === '--test-runs') {
      testRuns = count(flag, args[++index], 0);
    } else if (flag === '--quick') {
      runs = 1;
    } else {
      problems.push(`${JSON.stringify(flag)} is not an option.`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid arguments:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n${USAGE}`);
  }
  return { runs, testRuns };
}

function versions(): Record<string, string> {
  let cfnLint = 'not found';
  try {
    cfnLint = execFileSync('cfn-lint', ['--version'], { encoding: 'utf8' }).trim().replace(/^cfn-lint /, '');
  } catch (error) {
    cfnLint = `not found (${error instanceof Error ? error.message : String(error)})`;
  }
  return {
    'Node.js': process.versions.node,
    'aws-cdk-lib': installedVersion('aws-cdk-lib'),
    'constructs': installedVersion('constructs'),
    'aws-cdk (CLI)': installedVersion('aws-cdk'),
    'cdk-nag': installedVersion('cdk-nag'),
    'jsii': installedVersion('jsii'),
    'TypeScript': installedVersion('typescript'),
    'ts-node': installedVersion('ts-node'),
    'Jest': installedVersion('jest'),
    'cfn-lint': cfnLint,
  };
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const started = process.hrtime.bigint();
  const loadAverageAtStart = loadavg();
  const command = `node -r ts-node/register/transpile-only bench/run.ts ${process.argv.slice(2).join(' ')}`.trim();
  const workdir = mkdtempSync(join(tmpdir(), 'ssd-bench-'));
  const samples = new Samples();

  try {
    let estate: Awaited<ReturnType<typeof measureEstate>> | undefined;
    let scales: ScaleFindings[] = [];
    for (let run = 1; run <= options.runs; run++) {
      console.log(`Run ${run} of ${options.runs}: estate synth`);
      estate = await measureEstate(samples, join(workdir, `run-${run}`));
      scales = [];
      for (const benefitsPerTier of SCALES) {
        console.log(`Run ${run} of ${options.runs}: ${benefitsPerTier} workload(s) per tier`);
        scales.push(await measureScale(samples, join(workdir, `run-${run}`), benefitsPerTier));
      }
      rmSync(join(workdir, `run-${run}`), { recursive: true, force: true });
    }

    const testCommand: TestCommandRun[] = [];
    for (let run = 1; run <= options.testRuns; run++) {
      console.log(`npm test, run ${run} of ${options.testRuns} (takes minutes)`);
      testCommand.push(await timeTestCommand());
    }

    const report = renderReport({
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      command,
      runs: options.runs,
      machine: {
        cpuModel: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGiB: totalmem() / 2 ** 30,
        platform: `${type()} ${release()} ${arch()}`,
        loadAverageAtStart,
        loadAverageAtEnd: loadavg(),
      },
      versions: versions(),
      samples,
      estate: estate!,
      scales,
      testCommand,
      wallSeconds: elapsedSeconds(started),
    });
    writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), report);
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    writeFileSync(join(ROOT, 'reports', 'benchmarks.json'), `${JSON.stringify({ samples, estate, scales, testCommand }, null, 2)}\n`);
    console.log(`Wrote docs/benchmarks.md and reports/benchmarks.json in ${(elapsedSeconds(started) / 60).toFixed(1)} min.`);
    return 0;
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}

main().then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  console.error(`Benchmark FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
