/**
 * The main job: synthesises every example app, runs every synth-time check over the
 * result and prints one summary line per stack.
 *
 *   node -r ts-node/register/transpile-only tools/main-job.ts [--include-integ-snapshots]
 *
 * Checks: cdk-nag (the packs each app applies, NCSC included, read from their CSV reports),
 * CDK error annotations, and cfn-lint over every template, with one cfn-lint process per
 * CPU core. The AWS Control Tower proactive controls run through cfn-guard. Then come the
 * segmentation proof and, per environment, the NCSC evidence report and the resilience check. With
 * --include-integ-snapshots, the committed integration test snapshots are linted and
 * guarded too. Exits 1 on any error, on any cfn-lint warning, on any cfn-guard failure
 * that tools/cfn-guard-disabled-rules.ts does not exempt, on an unacknowledged single point
 * of failure where production is served, or if an app fails to synthesise.
 * Needs no AWS credentials: every stack has an explicit environment.
 *
 * The apps run in this process, one after another, and the checks import the compiled
 * libraries, so `npx projen compile:all` must have run first (`npm run synth` does).
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'fs';
import { basename, join, relative, resolve } from 'path';
import { GuardResult, formatGuardFailure, guardTemplates } from './cfn-guard';
import { LintCounts, lintTemplates } from './cfn-lint';
import { StackSummary, summariseAssembly } from './cloud-assembly';
import { codeRevision } from './revision';
import { AppRun, synthesiseApps } from './synth-apps';
import { ESTATE, segmentationRuns, servesProduction } from '../examples/common/lib';
import { writeNcscReport } from '../packages/security-baseline/lib/evidence';
import { countsSummary } from '../packages/security-baseline/lib/evidence/labels';
import { ResilienceReport } from '../packages/security-baseline/lib/resilience';
import { checkSegmentation, writeReports } from '../packages/transit-network/lib/segmentation';
import { writeDiagram } from '../packages/transit-network/lib/segmentation/diagram';

const ROOT = resolve(__dirname, '..');

async function main(): Promise<number> {
  try {
    return await runChecks();
  } catch (error) {
    // Expected failures (a missing tool, an unreadable assembly) need the message, not a stack trace.
    console.error(`\nMain job FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function runChecks(): Promise<number> {
  const includeSnapshots = process.argv.includes('--include-integ-snapshots');
  const started = Date.now();

  const runs = synthesiseApps(ROOT, exampleDirs());
  runs.forEach(writeSynthLog);
  const stacks = runs.filter((run) => run.ok).flatMap((run) => summariseAssembly(run.app, join(ROOT, run.app, 'cdk.out')));
  const snapshotTemplates = includeSnapshots ? integSnapshotTemplates() : [];
  const templates = [...stacks.map((s) => s.templatePath), ...snapshotTemplates];
  // Both checks spread their processes over every core, so running them together keeps
  // the cores busy while either waits on its slowest process.
  const [lint, guard] = await Promise.all([lintTemplates(templates), guardTemplates(templates)]);

  printStackTable(stacks, lint, guard);
  printWarnings(stacks);
  const segmentationProblems = await runSegmentationChecks(runs);
  const complianceProblems = writeComplianceReports(runs);
  const snapshotProblems = printSnapshotChecks(snapshotTemplates, lint, guard);
  const problems = [
    ...runs.flatMap(appProblems),
    ...collectProblems(stacks, lint, guard),
    ...segmentationProblems,
    ...complianceProblems,
    ...snapshotProblems,
  ];
  // An app exits 1 when its assembly has error annotations; those are listed per stack already.
  const unexplained = runs.filter((run) => run.ok && run.exitCode !== 0).filter((run) => !problems.some((p) => p.startsWith(basename(run.app))));
  problems.push(...unexplained.map((run) => `${run.app} exited with code ${run.exitCode}; see reports/${basename(run.app)}-synth.log`));

  writeSummary(runs, stacks, lint, guard);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.error(`\n${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    console.error(`\nMain job FAILED (synth and checks took ${seconds} s).`);
    return 1;
  }
  console.log(`\nMain job passed: ${runs.length} app(s), ${stacks.length} stack(s), ${snapshotTemplates.length} integration snapshot template(s); synth and checks took ${seconds} s.`);
  return 0;
}

/** Returns the example apps: the root package's workspaces under examples/ that have a cdk.json. */
function exampleDirs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return pkg.workspaces.filter((dir) => dir.startsWith('examples/') && existsSync(join(ROOT, dir, 'cdk.json')));
}

/** Writes what the app printed to reports/<app>-synth.log and prints its time. */
function writeSynthLog(run: AppRun): void {
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', `${basename(run.app)}-synth.log`), `${run.output}\n`);
  console.log(`Synthesised ${run.app} in ${run.seconds.toFixed(1)} s${run.ok ? '' : ' (FAILED: no cloud assembly)'}`);
}

function appProblems(run: AppRun): string[] {
  if (run.ok) {
    return [];
  }
  // The error message states what to fix; the stack trace below it stays in the log.
  const lines = run.output.split('\n');
  const errorStart = lines.findIndex((line) => /^\w*Error: /.test(line));
  const message = lines.slice(Math.max(errorStart, 0)).filter((line) => !/^\s+at |^Node\.js v/.test(line)).join('\n').trim();
  return [`${run.app} failed to synthesise (full output in reports/${basename(run.app)}-synth.log):\n${message}`];
}

/** Returns every template in the committed integration test snapshots of the packages. */
function integSnapshotTemplates(): string[] {
  const templates: string[] = [];
  const packagesDir = join(ROOT, 'packages');
  for (const pkg of readdirSync(packagesDir)) {
    const testDir = join(packagesDir, pkg, 'test');
    if (!existsSync(testDir)) {
      continue;
    }
    for (const entry of readdirSync(testDir)) {
      if (!entry.endsWith('.snapshot')) {
        continue;
      }
      for (const file of readdirSync(join(testDir, entry))) {
        if (file.endsWith('.template.json')) {
          templates.push(join(testDir, entry, file));
        }
      }
    }
  }
  return templates.sort();
}

function printStackTable(stacks: StackSummary[], lint: Map<string, LintCounts>, guard: Map<string, GuardResult>): void {
  const header = ['app', 'stack', 'resources', 'size KB', 'synth err', 'synth warn', 'nag err', 'nag warn', 'nag suppressed', 'cfn-lint err', 'cfn-lint warn', 'cfn-lint info',
    'guard fail', 'guard exempt'];
  const rows = stacks.map((stack) => {
    const lintCounts = lint.get(resolve(stack.templatePath))!;
    const guardResult = guard.get(resolve(stack.templatePath))!;
    return [
      basename(stack.app),
      stack.stackName,
      String(stack.resourceCount),
      stack.templateSizeKb.toFixed(1),
      String(stack.synthErrors.length),
      String(stack.synthWarnings.length),
      String(stack.nag.errors + stack.nag.unknown),
      String(stack.nag.warnings),
      String(stack.nag.suppressed),
      String(lintCounts.errors),
      String(lintCounts.warnings),
      String(lintCounts.informational),
      String(guardResult.failures.length),
      String(guardResult.exempted.length),
    ];
  });
  const total = (column: number) => String(rows.reduce((sum, row) => sum + Number(row[column]), 0));
  const totals = header.slice(4).map((_, index) => total(index + 4));
  rows.push(['TOTAL', `${stacks.length} stacks`, total(2), stacks.reduce((sum, s) => sum + s.templateSizeKb, 0).toFixed(1), ...totals]);

  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const format = (row: string[]) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  rows.forEach((row, index) => {
    if (index === rows.length - 1) {
      console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    }
    console.log(format(row));
  });
}

/**
 * Proves the network segmentation of each environment from its cloud assemblies, writes
 * reports/segmentation-<environment>.md and .json and the network diagram
 * reports/network-<environment>.dot and .svg, and returns a problem per intent that is
 * violated or cannot be proven. Environments whose apps did not synthesise are skipped.
 */
async function runSegmentationChecks(runs: AppRun[]): Promise<string[]> {
  const synthesised = new Set(runs.filter((run) => run.ok).map((run) => run.app));
  const problems: string[] = [];
  console.log('\nSegmentation:');
  for (const check of segmentationRuns(ESTATE)) {
    if (!check.apps.every((app) => synthesised.has(app))) {
      continue;
    }
    const result = checkSegmentation(check.apps.map((app) => join(ROOT, app, 'cdk.out')), {
      environment: check.environment,
      bindings: check.bindings,
      routingPolicy: check.routingPolicy,
      internetFacingVpcs: check.internetFacingVpcs,
    });
    writeReports(result.report, join(ROOT, 'reports'));
    const [, svg] = await writeDiagram(result.model, check.environment, join(ROOT, 'reports'));
    const summary = result.results.map((r) => `${r.intent} ${r.status} (${r.pathsChecked} paths)`).join(', ');
    console.log(`  ${check.environment}: ${summary}`);
    console.log(`    diagram: ${relative(ROOT, svg)}`);
    for (const failed of result.results.filter((r) => r.status === 'violated' || r.status === 'inconclusive')) {
      problems.push(`segmentation of ${check.environment}: ${failed.intent} is ${failed.status}; the paths are in reports/segmentation-${check.environment}.md`);
    }
  }
  return problems;
}

/** Lists warnings that are not cdk-nag findings, so that the user reads them, not only counts them. */
function printWarnings(stacks: StackSummary[]): void {
  const warnings = stacks.flatMap((stack) => stack.synthWarnings.map((warning) => `${stack.stackName}: ${warning}`));
  if (warnings.length > 0) {
    console.log(`\nWarnings (${warnings.length}):\n${warnings.map((w) => `  - ${w}`).join('\n')}`);
  }
}

function printSnapshotChecks(templates: string[], lint: Map<string, LintCounts>, guard: Map<string, GuardResult>): string[] {
  if (templates.length === 0) {
    return [];
  }
  const problems: string[] = [];
  let findings = 0;
  let guardFailures = 0;
  for (const template of templates) {
    const counts = lint.get(resolve(template))!;
    findings += counts.errors + counts.warnings;
    for (const finding of counts.findings.filter((f) => !f.startsWith('Informational'))) {
      problems.push(`cfn-lint on ${relative(ROOT, template)}: ${finding}`);
    }
    const failures = guard.get(resolve(template))!.failures;
    guardFailures += failures.length;
    for (const failure of failures) {
      problems.push(`cfn-guard on ${relative(ROOT, template)}: ${formatGuardFailure(failure)}`);
    }
  }
  console.log(`\nIntegration snapshot templates: ${templates.length}; cfn-lint found ${findings} error(s) and warning(s), cfn-guard ${guardFailures} failure(s).`);
  return problems;
}

/**
 * Writes, for each environment whose app synthesised, the NCSC evidence report
 * (reports/ncsc-<environment>.md, .html and .json) and the resilience report
 * (reports/resilience-<environment>.md and .json). Returns a problem for an NCSC rule that
 * has no control in the mapping, and for an unacknowledged single point of failure in an
 * environment that serves production. Failing NCSC rules are cdk-nag errors, listed per stack.
 */
function writeComplianceReports(runs: AppRun[]): string[] {
  const problems: string[] = [];
  const outDir = join(ROOT, 'reports');
  const generatedOn = new Date().toISOString().slice(0, 10);
  const revision = codeRevision(ROOT);
  console.log('\nNCSC evidence and resilience:');
  for (const run of runs.filter((r) => r.ok)) {
    const environment = basename(run.app);
    const assemblyDirs = [join(ROOT, run.app, 'cdk.out')];
    const ncsc = writeNcscReport({ environment, assemblyDirs, outDir, generatedOn, revision, evidence: ESTATE.ncscEvidence });
    const { counts } = ncsc;
    console.log(`  ${environment}: NCSC controls ${countsSummary(counts)} (${relative(ROOT, ncsc.files.html)})`);
    if (ncsc.unmappedRules > 0) {
      problems.push(`NCSC report of ${environment}: ${ncsc.unmappedRules} NCSC rule(s) reported findings but have no control in NcscControlCatalogue; see ${relative(ROOT, ncsc.files.markdown)}`);
    }

    const production = servesProduction(environment);
    const resilience = ResilienceReport.write({ environment, assemblyDirs, outDir, production, revision });
    console.log(`    single points of failure: ${resilience.unacknowledgedCount} unacknowledged, ${resilience.acknowledgedCount} acknowledged`
      + `${production ? ' (serves production: unacknowledged ones fail)' : ''} (${relative(ROOT, resilience.markdownFile)})`);
    if (!resilience.passed) {
      problems.push(`resilience of ${environment}: ${resilience.unacknowledgedCount} single point(s) of failure without an acknowledgement; see ${relative(ROOT, resilience.markdownFile)}`);
    }
  }
  return problems;
}

function collectProblems(stacks: StackSummary[], lint: Map<string, LintCounts>, guard: Map<string, GuardResult>): string[] {
  const problems: string[] = [];
  for (const stack of stacks) {
    const where = `${basename(stack.app)}/${stack.stackName}`;
    for (const error of stack.synthErrors) {
      problems.push(`${where}: ${error}`);
    }
    for (const finding of stack.nag.findings.filter((f) => !f.startsWith('Warning'))) {
      problems.push(`${where}: cdk-nag ${finding}`);
    }
    for (const finding of lint.get(resolve(stack.templatePath))!.findings.filter((f) => !f.startsWith('Informational'))) {
      problems.push(`${where}: cfn-lint ${finding}`);
    }
    for (const failure of guard.get(resolve(stack.templatePath))!.failures) {
      problems.push(`${where}: cfn-guard ${formatGuardFailure(failure)}`);
    }
  }
  return problems;
}

/** Writes the figures as JSON for other tools (benchmarks, reports). */
function writeSummary(runs: AppRun[], stacks: StackSummary[], lint: Map<string, LintCounts>, guard: Map<string, GuardResult>): void {
  const dir = join(ROOT, 'reports');
  mkdirSync(dir, { recursive: true });
  const summary = {
    apps: runs.map(({ app, seconds, ok }) => ({ app, seconds, ok })),
    stacks: stacks.map((stack) => ({ stack, guardResult: guard.get(resolve(stack.templatePath))! })).map(({ stack, guardResult }) => ({
      app: stack.app,
      stackName: stack.stackName,
      resources: stack.resourceCount,
      templateSizeKb: Number(stack.templateSizeKb.toFixed(1)),
      nag: { errors: stack.nag.errors, warnings: stack.nag.warnings, suppressed: stack.nag.suppressed, unknown: stack.nag.unknown },
      cfnLint: (({ errors, warnings, informational }) => ({ errors, warnings, informational }))(lint.get(resolve(stack.templatePath))!),
      cfnGuard: { failures: guardResult.failures.length, exempted: guardResult.exempted.length },
      synthErrors: stack.synthErrors,
      synthWarnings: stack.synthWarnings,
    })),
  };
  writeFileSync(join(dir, 'main-job-summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
}

void main().then((code) => {
  process.exitCode = code;
});
