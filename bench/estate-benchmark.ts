import { existsSync, mkdirSync, readFileSync, readdirSync } from 'fs';
import { basename, join } from 'path';
import { DeployCriticalPath, StackFigures, deployCriticalPath, readStacks } from './assembly';
import { ROOT, exampleApps, synthEnvironment } from './example-apps';
import { Samples, TimedRun, timeAsyncCall, timeCall, timeCommand } from './timing';
import { ESTATE, segmentationRuns, servesProduction } from '../examples/common/src';
import { writeNcscReport } from '../packages/security-baseline/lib/evidence';
import { ResilienceReport } from '../packages/security-baseline/lib/resilience';
import { checkSegmentation, writeReports } from '../packages/transit-network/lib/segmentation';
import { writeDiagram } from '../packages/transit-network/lib/segmentation/diagram';
import { guardTemplates } from '../tools/cfn-guard';
import { lintTemplates } from '../tools/cfn-lint';

/** Sample names of the estate benchmark. Per-app samples are named `app:<app>:checks` and `app:<app>:no-checks`. */
export const ESTATE_SAMPLES = {
  nodeStartup: 'node startup',
  tsNodeStartup: 'ts-node startup',
  emptyApp: 'empty CDK app',
  floor: 'empty CDK app, once per example app',
  tierImports: 'tier app imports',
  withoutChecks: 'example apps without checks',
  withChecks: 'example apps with checks',
  oneProcess: 'example apps with checks, one process',
  mainJob: 'main job',
  mainJobAppRuns: 'main job: its app runs, as it reports them',
  mainJobImportsTsNode: 'main job imports through ts-node',
  mainJobImportsCompiled: 'main job imports, compiled',
  cfnLint: 'cfn-lint, one process per core',
  cfnLintOneProcess: 'cfn-lint, one process',
  cfnLintStartup: 'cfn-lint startup',
  cfnGuard: 'cfn-guard',
  complianceReports: 'NCSC evidence and resilience reports',
  segmentation: 'segmentation checks and reports',
  diagrams: 'segmentation diagrams',
} as const;

/** Findings of the estate benchmark besides the timings. */
export interface EstateFindings {
  readonly apps: string[];
  /** The stacks of each example app, from its cloud assembly. */
  readonly stacksByApp: Record<string, StackFigures[]>;
  readonly criticalPathByApp: Record<string, DeployCriticalPath>;
  /** Whether the apps built in one process wrote the same templates as the apps built one process each. */
  readonly oneProcessTemplatesMatch: boolean;
  /** Exit codes of the main job runs that failed, with the end of their output. */
  readonly mainJobFailures: string[];
  readonly templateCount: number;
}

const EMPTY_APP = 'const { App } = require("aws-cdk-lib"); new App().synth();';
const TIER_IMPORTS = 'require("aws-cdk-lib"); require("cdk-nag"); require("@ssd-platform/example-common");';

/** The modules tools/main-job.ts imports through ts-node, and the compiled JavaScript of the same modules (less its two helpers in tools/). */
const MAIN_JOB_IMPORTS_TS = 'require("./tools/cfn-lint"); require("./tools/cloud-assembly"); require("./examples/common/src"); '
  + 'require("./packages/transit-network/src/segmentation"); require("./packages/transit-network/src/segmentation/diagram");';
const MAIN_JOB_IMPORTS_JS = 'require("@ssd-platform/example-common"); require("@ssd-platform/transit-network/lib/segmentation"); '
  + 'require("@ssd-platform/transit-network/lib/segmentation/diagram");';

/**
 * Loads every example app's compiled entry point in one process, one after another, each
 * with its own output folder and context. It tests whether one process could replace the
 * main job's one process per app.
 */
const ALL_APPS_IN_ONE_PROCESS = `
const { join } = require('path');
for (const app of JSON.parse(process.env.BENCH_APPS)) {
  process.chdir(app.dir);
  Object.assign(process.env, app.env);
  require(join(app.dir, 'lib', 'main.js'));
}`;

/**
 * Measures one run of the estate synth: the floor, the example apps with and without
 * their checks, the main job, and the main job's passes one by one, in `workdir`.
 */
export async function measureEstate(samples: Samples, workdir: string): Promise<EstateFindings> {
  const apps = exampleApps();
  const outdir = (mode: string, app: string) => join(workdir, mode, basename(app));
  const node = process.execPath;

  samples.add(ESTATE_SAMPLES.nodeStartup, expectSuccess(timeCommand(node, ['-e', ''], { cwd: ROOT }), 'node -e ""'));
  samples.add(ESTATE_SAMPLES.tsNodeStartup, expectSuccess(timeCommand(node, ['-r', 'ts-node/register/transpile-only', '-e', ''], { cwd: ROOT }), 'ts-node'));
  const production = apps.find((app) => app.endsWith('/production')) ?? apps[0];
  samples.add(ESTATE_SAMPLES.mainJobImportsTsNode, expectSuccess(timeCommand(node, ['-r', 'ts-node/register/transpile-only', '-e', MAIN_JOB_IMPORTS_TS], { cwd: ROOT }), 'main job imports'));
  samples.add(ESTATE_SAMPLES.mainJobImportsCompiled, expectSuccess(timeCommand(node, ['-e', MAIN_JOB_IMPORTS_JS], { cwd: ROOT }), 'compiled imports'));
  samples.add(ESTATE_SAMPLES.tierImports, expectSuccess(timeCommand(node, ['-e', TIER_IMPORTS], { cwd: join(ROOT, production) }), 'imports'));

  let floor = 0;
  for (const app of apps) {
    const seconds = expectSuccess(timeCommand(node, ['-e', EMPTY_APP], { cwd: join(ROOT, app), env: synthEnvironment(app, outdir('empty', app)) }), 'empty app');
    samples.add(ESTATE_SAMPLES.emptyApp, seconds);
    floor += seconds;
  }
  samples.add(ESTATE_SAMPLES.floor, floor);

  samples.add(ESTATE_SAMPLES.withoutChecks, synthesiseApps(samples, apps, 'no-checks', (app) => outdir('no-checks', app)));
  samples.add(ESTATE_SAMPLES.withChecks, synthesiseApps(samples, apps, 'checks', (app) => outdir('checks', app)));
  const oneProcessTemplatesMatch = measureOneProcess(samples, apps, (app) => outdir('one-process', app), (app) => outdir('checks', app));

  const mainJob = timeCommand(node, ['-r', 'ts-node/register/transpile-only', 'tools/main-job.ts'], { cwd: ROOT });
  samples.add(ESTATE_SAMPLES.mainJob, mainJob.seconds);
  samples.add(ESTATE_SAMPLES.mainJobAppRuns, reportedAppSeconds(mainJob.output));
  const mainJobFailures = mainJob.exitCode === 0 ? [] : [`exit code ${mainJob.exitCode}: ${mainJob.output.trim().split('\n').slice(-5).join(' / ')}`];

  const stacksByApp: Record<string, StackFigures[]> = {};
  const criticalPathByApp: Record<string, DeployCriticalPath> = {};
  for (const app of apps) {
    stacksByApp[app] = readStacks(outdir('checks', app));
    criticalPathByApp[app] = deployCriticalPath(stacksByApp[app]);
  }
  const templates = Object.values(stacksByApp).flat().map((stack) => stack.templatePath);
  await measureCfnLint(samples, templates, ESTATE_SAMPLES.cfnLint);
  await measureCfnLint(samples, templates, ESTATE_SAMPLES.cfnLintOneProcess, 1);
  samples.add(ESTATE_SAMPLES.cfnLintStartup, expectSuccess(timeCommand('cfn-lint', ['--version'], { cwd: ROOT }), 'cfn-lint --version'));
  samples.add(ESTATE_SAMPLES.cfnGuard, (await timeAsyncCall(() => guardTemplates(templates))).seconds);
  samples.add(ESTATE_SAMPLES.complianceReports, timeCall(() => writeComplianceReports(apps, (app) => outdir('checks', app), join(workdir, 'reports'))).seconds);
  await measureSegmentation(samples, (app) => outdir('checks', app), join(workdir, 'reports'));

  return { apps, stacksByApp, criticalPathByApp, oneProcessTemplatesMatch, mainJobFailures, templateCount: templates.length };
}

/** Sums the app times the main job prints ("Synthesised examples/x in 1.2 s"), to a tenth of a second. */
function reportedAppSeconds(output: string): number {
  return [...output.matchAll(/^Synthesised \S+ in ([\d.]+) s/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/** Runs each app's compiled entry point as the main job does; returns the total seconds. */
function synthesiseApps(samples: Samples, apps: string[], mode: 'checks' | 'no-checks', outdir: (app: string) => string): number {
  const preload = mode === 'no-checks' ? ['-r', join(ROOT, 'bench', 'without-checks.js')] : [];
  let total = 0;
  for (const app of apps) {
    const run = timeCommand(process.execPath, [...preload, join(ROOT, app, 'lib', 'main.js')], {
      cwd: join(ROOT, app),
      env: synthEnvironment(app, outdir(app)),
    });
    // An app exits 1 when its assembly has error annotations; the assembly is still written.
    if (!existsSync(join(outdir(app), 'manifest.json'))) {
      throw new Error(`${app} did not synthesise (exit code ${run.exitCode}):\n${run.output}`);
    }
    samples.add(`app:${app}:${mode}`, run.seconds);
    total += run.seconds;
  }
  return total;
}

/** Synthesises every app in one process and compares its templates with those of one process per app. */
function measureOneProcess(samples: Samples, apps: string[], outdir: (app: string) => string, reference: (app: string) => string): boolean {
  const plan = apps.map((app) => ({ dir: join(ROOT, app), env: synthEnvironment(app, outdir(app)) }));
  const run = timeCommand(process.execPath, ['-e', ALL_APPS_IN_ONE_PROCESS], { cwd: ROOT, env: { BENCH_APPS: JSON.stringify(plan) } });
  samples.add(ESTATE_SAMPLES.oneProcess, run.seconds);
  return apps.every((app) => existsSync(join(outdir(app), 'manifest.json')) && sameTemplates(outdir(app), reference(app)));
}

function sameTemplates(left: string, right: string): boolean {
  const templates = (dir: string) => readdirSync(dir).filter((file) => file.endsWith('.template.json')).sort();
  const names = templates(left);
  return names.join() === templates(right).join()
    && names.every((name) => readFileSync(join(left, name), 'utf8') === readFileSync(join(right, name), 'utf8'));
}

/** Lints the templates as the main job does, one cfn-lint process per core unless `processes` is given. */
export async function measureCfnLint(samples: Samples, templates: string[], name: string, processes?: number): Promise<void> {
  const lint = await timeAsyncCall(() => lintTemplates(templates, processes));
  samples.add(name, lint.seconds);
}

/** Writes each app's NCSC evidence and resilience reports, as the main job does. */
function writeComplianceReports(apps: string[], outdir: (app: string) => string, reportDir: string): void {
  const generatedOn = new Date().toISOString().slice(0, 10);
  for (const app of apps) {
    const environment = basename(app);
    writeNcscReport({ environment, assemblyDirs: [outdir(app)], outDir: reportDir, generatedOn, evidence: ESTATE.ncscEvidence });
    ResilienceReport.write({ environment, assemblyDirs: [outdir(app)], outDir: reportDir, production: servesProduction(environment) });
  }
}

/** Runs the main job's segmentation checks, reports and diagrams over the given assemblies. */
async function measureSegmentation(samples: Samples, outdir: (app: string) => string, reportDir: string): Promise<void> {
  mkdirSync(reportDir, { recursive: true });
  let checks = 0;
  let diagrams = 0;
  for (const run of segmentationRuns(ESTATE)) {
    const options = {
      environment: run.environment,
      bindings: run.bindings,
      routingPolicy: run.routingPolicy,
      internetFacingVpcs: run.internetFacingVpcs,
    };
    const check = timeCall(() => {
      const result = checkSegmentation(run.apps.map(outdir), options);
      writeReports(result.report, reportDir);
      return result;
    });
    checks += check.seconds;
    diagrams += (await timeAsyncCall(() => writeDiagram(check.value.model, run.environment, reportDir))).seconds;
  }
  samples.add(ESTATE_SAMPLES.segmentation, checks);
  samples.add(ESTATE_SAMPLES.diagrams, diagrams);
}

/** Returns the run's seconds, or throws with its output if it failed. */
export function expectSuccess(run: TimedRun, description: string): number {
  if (run.exitCode !== 0) {
    throw new Error(`${description} failed with exit code ${run.exitCode}:\n${run.output}`);
  }
  return run.seconds;
}
