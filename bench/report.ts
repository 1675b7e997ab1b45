import { basename } from 'path';
import { DeployCriticalPath, StackFigures } from './assembly';
import { ESTATE_SAMPLES, EstateFindings } from './estate-benchmark';
import { ScaleFindings, scaleSample } from './scale-benchmark';
import { TestCommandRun } from './test-command';
import { Samples } from './timing';

/** CloudFormation's quotas per template. @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html */
const LIMITS = { resources: 500, templateBytes: 1_000_000, parameters: 200 };

/** Everything one benchmark run measured, and where. */
export interface BenchmarkResults {
  readonly date: string;
  readonly command: string;
  readonly runs: number;
  readonly machine: {
    readonly cpuModel: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly platform: string;
    readonly loadAverageAtStart: number[];
    readonly loadAverageAtEnd: number[];
  };
  readonly versions: Record<string, string>;
  readonly samples: Samples;
  readonly estate: EstateFindings;
  readonly scales: ScaleFindings[];
  /** Runs of the test command; empty when it was not run. */
  readonly testCommand: TestCommandRun[];
  readonly wallSeconds: number;
}

const seconds = (value: number) => (Number.isNaN(value) ? 'n/a' : value.toFixed(2));
const kilobytes = (bytes: number) => (bytes / 1024).toFixed(1);
const percent = (part: number, whole: number) => `${Math.round((100 * part) / whole)}%`;
const ratio = (part: number, whole: number) => `${(part / whole).toFixed(1)}×`;
const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
const header = (cells: string[]) => `${row(cells)}\n${row(cells.map(() => '---'))}`;

function largest(stacks: StackFigures[], figure: (stack: StackFigures) => number): StackFigures {
  return stacks.reduce((best, stack) => (figure(stack) > figure(best) ? stack : best));
}

/** Renders docs/benchmarks.md. */
export function renderReport(results: BenchmarkResults): string {
  return [
    '# Benchmarks',
    '',
    `Measured by \`${results.command}\` on ${results.date}. Each time is the median of ${results.runs} run(s), `
      + 'with the fastest and slowest run beside it; stack counts, sizes and dependency chains do not vary between runs. '
      + 'Run the script again to refresh this page; it rewrites the whole file, and the raw samples go to reports/benchmarks.json.',
    '',
    renderMachine(results),
    renderReading(results),
    renderEstate(results),
    renderScale(results),
    renderCriticalPaths(results),
    renderTestCommand(results),
  ].join('\n');
}

function renderMachine(results: BenchmarkResults): string {
  const { machine } = results;
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
  return [
    '## Machine and versions',
    '',
    header(['item', 'value']),
    row(['CPU', `${machine.cores} cores, ${machine.cpuModel}`]),
    row(['memory', `${machine.memoryGiB.toFixed(1)} GiB`]),
    row(['system', machine.platform]),
    row(['load average at start (1, 5, 15 min)', load(machine.loadAverageAtStart)]),
    row(['load average at end (1, 5, 15 min)', load(machine.loadAverageAtEnd)]),
    ...Object.entries(results.versions).map(([name, version]) => row([name, version])),
    row(['benchmark wall time', `${(results.wallSeconds / 60).toFixed(1)} min`]),
    '',
    'Other jobs may share the machine, so compare figures from the same run rather than across runs.',
    '',
  ].join('\n');
}

/** Writes the plain-language reading from the figures, so that it stays true when the figures change. */
function renderReading(results: BenchmarkResults): string {
  const { samples, estate, scales } = results;
  const median = (name: string) => samples.median(name);
  const mainJob = median(ESTATE_SAMPLES.mainJob);
  const withChecks = median(ESTATE_SAMPLES.withChecks);
  const withoutChecks = median(ESTATE_SAMPLES.withoutChecks);
  const oneProcess = median(ESTATE_SAMPLES.oneProcess);
  const cfnLint = median(ESTATE_SAMPLES.cfnLint);
  const segmentation = median(ESTATE_SAMPLES.segmentation) + median(ESTATE_SAMPLES.diagrams);
  const floor = median(ESTATE_SAMPLES.floor);
  const estateStacks = Object.values(estate.stacksByApp).flat();
  const biggest = largest(estateStacks, (stack) => stack.resources);
  const heaviest = largest(estateStacks, (stack) => stack.templateBytes);
  const first = scales[0];
  const last = scales[scales.length - 1];
  const lastStacks = last.stacks;
  const lastBiggest = largest(lastStacks, (stack) => stack.resources);
  const lastHeaviest = largest(lastStacks, (stack) => stack.templateBytes);
  const lastParameters = largest(lastStacks, (stack) => stack.parameters);
  const added = 2 * (last.benefitsPerTier - first.benefitsPerTier);
  const perWorkload = (measure: 'checks' | 'cfn-lint') =>
    (median(scaleSample(last.benefitsPerTier, measure)) - median(scaleSample(first.benefitsPerTier, measure))) / added;
  const growing = growingStacks(scales);
  const paths = Object.values(last.criticalPathByTier);
  const chainLengths = [...new Set(paths.map((path) => path.chain.length))].join(' or ');
  const lastWaves = [...new Set(paths.map((path) => path.stacksPerWave[path.stacksPerWave.length - 1]))].join(' or ');

  const lines = [
    '## Reading',
    '',
    `- **What dominates.** The main job took ${seconds(mainJob)} s for ${estate.apps.length} apps and ${estate.templateCount} templates. `
      + `Synthesising the apps with their checks in one process, as the main job does, took ${seconds(oneProcess)} s (${percent(oneProcess, mainJob)}); `
      + `run one process per app, the cdk-nag packs and the tagging check account for ${seconds(withChecks - withoutChecks)} s of it. `
      + `cfn-lint, one process per core, took ${seconds(cfnLint)} s (${percent(cfnLint, mainJob)}), and the segmentation proof with its reports and diagrams ${seconds(segmentation)} s. `
      + `The main job takes ${ratio(mainJob, withoutChecks)} as long as the bare apps and ${ratio(mainJob, floor)} as long as the floor.`,
    `- **What grows with workloads.** Each benefit workload adds one VPC stack per tier: the two tier apps have ${first.stacks.length} stacks with `
      + `${first.benefitsPerTier} workload per tier and ${last.stacks.length} with ${last.benefitsPerTier}. `
      + `Each added workload stack costs about ${seconds(perWorkload('checks'))} s of synth with checks and ${seconds(perWorkload('cfn-lint'))} s of cfn-lint, `
      + `so at ${last.benefitsPerTier} workloads per tier the tier apps take ${seconds(median(scaleSample(last.benefitsPerTier, 'checks')))} s to synthesise `
      + `and cfn-lint ${seconds(median(scaleSample(last.benefitsPerTier, 'cfn-lint')))} s to lint them.`,
    growing.length === 0
      ? '- **Platform stacks.** No platform stack gains resources or bytes as workloads are added.'
      : '- **Platform stacks.** No platform stack gains resources with workloads. A few templates grow by the workload ranges they list, '
        + `in bytes per workload: ${growing.map((stack) => `${stack.name} ${Math.round(stack.bytesPerWorkload)}`).join(', ')}.`,
    `- **Largest stacks.** In the estate as configured, ${biggest.stackName} has the most resources, ${biggest.resources} `
      + `(${percent(biggest.resources, LIMITS.resources)} of the ${LIMITS.resources} allowed), and ${heaviest.stackName} the largest template, `
      + `${kilobytes(heaviest.templateBytes)} KB (${percent(heaviest.templateBytes, LIMITS.templateBytes)} of 1 MB). `
      + `With ${last.benefitsPerTier} workloads per tier, the largest are ${lastBiggest.stackName} with ${lastBiggest.resources} resources `
      + `(${percent(lastBiggest.resources, LIMITS.resources)}) and ${lastHeaviest.stackName} at ${kilobytes(lastHeaviest.templateBytes)} KB `
      + `(${percent(lastHeaviest.templateBytes, LIMITS.templateBytes)}); no stack has more than ${lastParameters.parameters} parameter(s) of the ${LIMITS.parameters} allowed.`,
    `- **Deploy order.** The longest chain of stack dependencies in a tier is ${chainLengths} stacks at every scale `
      + `(${paths[0]?.chain.join(' → ')}). Workloads add width, not depth: the last wave of each tier holds ${lastWaves} stacks `
      + `at ${last.benefitsPerTier} workloads, which a deploy with the CDK CLI's default concurrency of one takes one after another.`,
  ];
  const test = results.testCommand[0];
  if (test) {
    const groups = groupSteps(test);
    const slowest = [...groups.entries()].sort((a, b) => b[1] - a[1])[0];
    lines.push(`- **Test command.** \`npm test\` took ${(test.seconds / 60).toFixed(1)} min (exit code ${test.exitCode}); `
      + `its slowest part is ${slowest[0]} at ${seconds(slowest[1])} s (${percent(slowest[1], test.seconds)}).`);
  }
  if (estate.mainJobFailures.length > 0) {
    lines.push(`- **Main job failures.** The main job failed in ${estate.mainJobFailures.length} run(s); its times include the failure: ${estate.mainJobFailures[0]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Returns the stacks of every scale whose template grows between the first and last scale. */
function growingStacks(scales: ScaleFindings[]): Array<{ name: string; bytesPerWorkload: number }> {
  const first = scales[0];
  const last = scales[scales.length - 1];
  const before = new Map(first.stacks.map((stack) => [stack.stackName, stack]));
  return last.stacks
    .filter((stack) => before.has(stack.stackName) && stack.templateBytes !== before.get(stack.stackName)!.templateBytes)
    .map((stack) => ({
      name: stack.stackName,
      bytesPerWorkload: (stack.templateBytes - before.get(stack.stackName)!.templateBytes) / (last.benefitsPerTier - first.benefitsPerTier),
    }));
}

function renderEstate(results: BenchmarkResults): string {
  const { samples, estate } = results;
  const timed = (name: string) => [seconds(samples.median(name)), samples.range(name).map(seconds).join('–')];
  const floor = samples.median(ESTATE_SAMPLES.floor);
  const mainJob = samples.median(ESTATE_SAMPLES.mainJob);
  const appCount = estate.apps.length;
  const lines = [
    '## Estate synth',
    '',
    `The ${appCount} example apps run from their compiled entry points (lib/main.js), one Node.js process each, with the context of cdk.json; `
      + 'the main job runs the same entry points one after another in its own process (see the speed-ups below). "Without checks" preloads bench/without-checks.js, which turns `applyPlatformChecks` into a function '
      + 'that does nothing. The apps then apply neither the tagging check, the cdk-nag AwsSolutions, NIST 800-53 rev 5 and NCSC packs nor the resilience check, '
      + 'and none of the main job\'s later passes (cfn-lint, cfn-guard, segmentation, the NCSC and resilience reports) runs. Everything else the apps build is unchanged.',
    '',
    header(['measure', 'median (s)', 'range (s)', '× floor']),
    row(['`node -e ""`', ...timed(ESTATE_SAMPLES.nodeStartup), ratio(samples.median(ESTATE_SAMPLES.nodeStartup), floor)]),
    row(['empty CDK app, one process', ...timed(ESTATE_SAMPLES.emptyApp), ratio(samples.median(ESTATE_SAMPLES.emptyApp), floor)]),
    row([`**floor**: empty CDK app, ${appCount} processes`, ...timed(ESTATE_SAMPLES.floor), '1.0×']),
    row([`example apps without checks, ${appCount} processes`, ...timed(ESTATE_SAMPLES.withoutChecks), ratio(samples.median(ESTATE_SAMPLES.withoutChecks), floor)]),
    row([`example apps with checks, ${appCount} processes`, ...timed(ESTATE_SAMPLES.withChecks), ratio(samples.median(ESTATE_SAMPLES.withChecks), floor)]),
    row(['**main job**: apps with checks, cfn-lint, segmentation (`tools/main-job.ts`)', ...timed(ESTATE_SAMPLES.mainJob), ratio(mainJob, floor)]),
    '',
    `The main job takes ${ratio(mainJob, samples.median(ESTATE_SAMPLES.withoutChecks))} as long as the same apps without checks.`,
    '',
    '### Where the main job\'s time goes',
    '',
    renderBreakdown(samples, estate),
    '### Per app',
    '',
    header(['app', 'stacks', 'with checks (s)', 'without checks (s)', 'largest template (KB)', 'most resources']),
    ...estate.apps.map((app) => {
      const stacks = estate.stacksByApp[app];
      const heaviest = largest(stacks, (stack) => stack.templateBytes);
      const biggest = largest(stacks, (stack) => stack.resources);
      return row([basename(app), stacks.length, seconds(samples.median(`app:${app}:checks`)), seconds(samples.median(`app:${app}:no-checks`)),
        `${kilobytes(heaviest.templateBytes)} (${heaviest.stackName})`, `${biggest.resources} (${biggest.stackName})`]);
    }),
    '',
    renderSpeedUps(samples, estate),
    '### Other start-up costs',
    '',
    header(['measure', 'median (s)', 'compared with', 'median (s)']),
    row(['`cfn-lint --version` (start-up only)', seconds(samples.median(ESTATE_SAMPLES.cfnLintStartup)),
      'cfn-lint over every template, one process', seconds(samples.median(ESTATE_SAMPLES.cfnLintOneProcess))]),
    row(['loading aws-cdk-lib, cdk-nag and example-common, no app', seconds(samples.median(ESTATE_SAMPLES.tierImports)),
      'empty CDK app', seconds(samples.median(ESTATE_SAMPLES.emptyApp))]),
    row(['`node -r ts-node/register/transpile-only -e ""`', seconds(samples.median(ESTATE_SAMPLES.tsNodeStartup)), '`node -e ""`', seconds(samples.median(ESTATE_SAMPLES.nodeStartup))]),
    '',
  ];
  return lines.join('\n');
}

function renderBreakdown(samples: Samples, estate: EstateFindings): string {
  const mainJob = samples.median(ESTATE_SAMPLES.mainJob);
  const appRuns = samples.median(ESTATE_SAMPLES.mainJobAppRuns);
  const parts: Array<[string, number]> = [
    [`the ${estate.apps.length} apps with their checks, one process`, samples.median(ESTATE_SAMPLES.oneProcess)],
    [`cfn-lint over ${estate.templateCount} templates, one process per core`, samples.median(ESTATE_SAMPLES.cfnLint)],
    ['cfn-guard with the Control Tower proactive controls', samples.median(ESTATE_SAMPLES.cfnGuard)],
    ['NCSC evidence and resilience reports', samples.median(ESTATE_SAMPLES.complianceReports)],
    ['segmentation checks and reports', samples.median(ESTATE_SAMPLES.segmentation)],
    ['segmentation diagrams (Graphviz in WebAssembly)', samples.median(ESTATE_SAMPLES.diagrams)],
    ['the main job\'s compiled imports', samples.median(ESTATE_SAMPLES.mainJobImportsCompiled)],
  ];
  const rest = mainJob - parts.reduce((sum, [, value]) => sum + value, 0);
  return [
    `Inside the main job, by its own log, the app runs took ${seconds(appRuns)} s of its ${seconds(mainJob)} s, `
      + `and everything after them (cfn-lint, cfn-guard, segmentation, reports, summaries) about ${seconds(mainJob - appRuns)} s. `
      + 'Each part below was also timed on its own, outside the main job, over the same assemblies.',
    '',
    header(['part', 'median (s)', 'share of main job']),
    ...parts.map(([name, value]) => row([name, seconds(value), percent(value, mainJob)])),
    row(['main job less the parts above: ts-node start-up, reading assemblies, summaries, and run-to-run noise', seconds(rest), percent(rest, mainJob)]),
    '',
  ].join('\n');
}

/**
 * The main job before its speed-ups, timed by hand at commit 87636e9 with
 * `time node -r ts-node/register/transpile-only tools/main-job.ts`: the median of 3 runs
 * (16.41 s to 18.07 s of wall time, load average 1.43 or less) on the 2-core machine
 * described on this page. That version of the main job is gone, so the benchmark cannot
 * measure it again; its parts are measured below against their replacements.
 */
const MAIN_JOB_BEFORE = { seconds: 16.73, commit: '87636e9', date: '2026-12-05', stacks: 24 };

/** Compares each speed-up of the main job with what it replaced, both measured in this run. */
function renderSpeedUps(samples: Samples, estate: EstateFindings): string {
  const median = (name: string) => samples.median(name);
  const saved = (before: number, after: number) => `${seconds(before - after)} (${percent(before - after, before)})`;
  const withoutNewChecks = median(ESTATE_SAMPLES.mainJob) - median(ESTATE_SAMPLES.cfnGuard) - median(ESTATE_SAMPLES.complianceReports);
  const speedUps: Array<[string, string, number, string, number]> = [
    ['synthesising the apps', 'one Node.js process per app', median(ESTATE_SAMPLES.withChecks),
      `all ${estate.apps.length} apps in one process (templates ${estate.oneProcessTemplatesMatch ? 'identical' : 'DIFFERENT'})`, median(ESTATE_SAMPLES.oneProcess)],
    ['cfn-lint', 'one process over every template', median(ESTATE_SAMPLES.cfnLintOneProcess),
      'one process per core, templates split by size', median(ESTATE_SAMPLES.cfnLint)],
    ['imports of the checks', 'library sources through ts-node', median(ESTATE_SAMPLES.mainJobImportsTsNode),
      'the compiled libraries', median(ESTATE_SAMPLES.mainJobImportsCompiled)],
  ];
  return [
    '### Speed-ups: before and after',
    '',
    'Earlier runs of this benchmark showed where the main job spent its time: starting Node.js and loading aws-cdk-lib once per app, '
      + 'cfn-lint on one core while the other idled, and ts-node transpiling the segmentation checker\'s sources on every run. '
      + 'Each change is measured here against what it replaced, in the same run.',
    '',
    header(['part', 'before', 'before (s)', 'after', 'after (s)', 'saved (s)']),
    ...speedUps.map(([part, before, beforeSeconds, after, afterSeconds]) =>
      row([part, before, seconds(beforeSeconds), after, seconds(afterSeconds), saved(beforeSeconds, afterSeconds)])),
    row(['**main job**', `commit ${MAIN_JOB_BEFORE.commit}, timed by hand on ${MAIN_JOB_BEFORE.date}`, seconds(MAIN_JOB_BEFORE.seconds),
      'this run', seconds(median(ESTATE_SAMPLES.mainJob)), saved(MAIN_JOB_BEFORE.seconds, median(ESTATE_SAMPLES.mainJob))]),
    row(['main job without the checks added since', `commit ${MAIN_JOB_BEFORE.commit}`, seconds(MAIN_JOB_BEFORE.seconds),
      'this run less cfn-guard and the NCSC and resilience reports', seconds(withoutNewChecks), saved(MAIN_JOB_BEFORE.seconds, withoutNewChecks)]),
    '',
    `The main job's before figure is a hand measurement (see \`MAIN_JOB_BEFORE\` in bench/report.ts) of ${MAIN_JOB_BEFORE.stacks} stacks, `
      + `against ${estate.templateCount} now. Since then the job also runs cfn-guard and writes the NCSC and resilience reports, `
      + 'so the last row takes their times, measured on their own above, out of this run\'s figure. It is an estimate that '
      + 'favours the change: in the job cfn-guard runs beside cfn-lint on the same cores, so without it the job would save less than its own time.',
    '',
  ].join('\n');
}

function renderScale(results: BenchmarkResults): string {
  const { samples, scales } = results;
  const timed = (benefits: number, measure: Parameters<typeof scaleSample>[1]) => seconds(samples.median(scaleSample(benefits, measure)));
  const lines = [
    '## Scale: benefit workloads per tier',
    '',
    'Both tier apps, built from `scaledEstate(ESTATE, n)` (examples/common/src/scaled-estate.ts): the configured LIB workload keeps its pinned '
      + '/19 range and each generated workload gets a /21 from the address plan, taking one of the future-workload blocks. '
      + 'Each tier is synthesised in its own process like the example apps. These processes run through ts-node, because the scaled estate is built from '
      + 'the sources of examples/common, so compare the 1-workload row with the two tier apps above to see what ts-node adds. '
      + 'cfn-lint and the per-tier segmentation proof run as the main job would run them over these templates.',
    '',
    header(['workloads per tier', 'stacks', 'synth with checks (s)', 'synth without checks (s)', 'cfn-lint (s)', 'segmentation (s)', 'diagrams (s)']),
    ...scales.map((scale) => row([scale.benefitsPerTier, scale.stacks.length, timed(scale.benefitsPerTier, 'checks'), timed(scale.benefitsPerTier, 'no-checks'),
      timed(scale.benefitsPerTier, 'cfn-lint'), timed(scale.benefitsPerTier, 'segmentation'), timed(scale.benefitsPerTier, 'diagrams')])),
    '',
    '### Against CloudFormation\'s limits',
    '',
    `The limits are ${LIMITS.resources} resources, 1 MB (${LIMITS.templateBytes.toLocaleString('en-GB')} bytes) of template and ${LIMITS.parameters} parameters per stack; `
      + 'the scale test (tools/test/estate-scale.test.ts) fails if any stack of the 50-workload estate passes 60% of one.',
    '',
    header(['workloads per tier', 'largest template', 'KB', '% of 1 MB', 'most resources', 'resources', '% of 500', 'most parameters']),
    ...scales.map((scale) => {
      const heaviest = largest(scale.stacks, (stack) => stack.templateBytes);
      const biggest = largest(scale.stacks, (stack) => stack.resources);
      const parameters = largest(scale.stacks, (stack) => stack.parameters).parameters;
      return row([scale.benefitsPerTier, heaviest.stackName, kilobytes(heaviest.templateBytes), percent(heaviest.templateBytes, LIMITS.templateBytes),
        biggest.stackName, biggest.resources, percent(biggest.resources, LIMITS.resources), parameters]);
    }),
    '',
    renderGrowth(scales),
  ];
  const problems = scales.flatMap((scale) => scale.segmentationProblems.map((problem) => `${scale.benefitsPerTier} workloads, ${problem}`));
  if (problems.length > 0) {
    lines.push(`Segmentation intents not proven: ${problems.join('; ')}.`, '');
  }
  return lines.join('\n');
}

/** Tabulates the stacks that exist at every scale, by template size and resources, for those that change. */
function renderGrowth(scales: ScaleFindings[]): string {
  const names = scales[0].stacks.map((stack) => stack.stackName)
    .filter((name) => scales.every((scale) => scale.stacks.some((stack) => stack.stackName === name)));
  const figure = (scale: ScaleFindings, name: string) => scale.stacks.find((stack) => stack.stackName === name)!;
  const changing = names.filter((name) => scales.some((scale) => {
    const stack = figure(scale, name);
    const base = figure(scales[0], name);
    return stack.templateBytes !== base.templateBytes || stack.resources !== base.resources;
  }));
  if (changing.length === 0) {
    return 'No stack that exists at every scale changes size as workloads are added.\n';
  }
  return [
    'Stacks present at every scale whose template changes with the number of workloads (bytes, resources):',
    '',
    header(['stack', ...scales.map((scale) => `${scale.benefitsPerTier} per tier`)]),
    ...changing.map((name) => row([name, ...scales.map((scale) => `${figure(scale, name).templateBytes} B, ${figure(scale, name).resources}`)])),
    '',
    'Every other stack present at every scale keeps the same template.',
    '',
  ].join('\n');
}

function renderCriticalPaths(results: BenchmarkResults): string {
  const render = (environment: string, stackCount: number, path: DeployCriticalPath) =>
    row([environment, stackCount, path.chain.length, path.chain.join(' → '), path.stacksPerWave.join(', ')]);
  const lines = [
    '## Deploy critical path',
    '',
    'The longest chain of stack dependencies, read from each cloud assembly\'s manifest.json (the `dependencies` of its stack artifacts). '
      + 'Stacks in the same wave do not depend on each other. The CDK CLI deploys one stack at a time unless `cdk deploy --concurrency` is raised, '
      + 'so with the default every stack is on the critical path; with enough concurrency only the chain is.',
    '',
    'NOTE: a manifest records only the dependencies within one app. The order between apps (management, then Security, then the tiers, '
      + 'then Shared Services, whose configuration carries the transit gateway IDs of the tiers\' first deploys) is not in it.',
    '',
    header(['environment', 'stacks', 'longest chain', 'chain', 'stacks per wave']),
    ...results.estate.apps.map((app) => render(basename(app), results.estate.stacksByApp[app].length, results.estate.criticalPathByApp[app])),
    ...results.scales.flatMap((scale) => Object.entries(scale.criticalPathByTier).map(([tier, path]) =>
      render(`${tier}, ${scale.benefitsPerTier} workloads (scaled)`, path.stacksPerWave.reduce((sum, count) => sum + count, 0), path))),
    '',
  ];
  return lines.join('\n');
}

/** Sums the step times of a test command run by the root test task's subtask. */
function groupSteps(run: TestCommandRun): Map<string, number> {
  const groups = new Map<string, number>();
  for (const step of run.steps) {
    const group = step.group === 'test' ? step.label.replace(/^test: /, '') : step.group;
    groups.set(group, (groups.get(group) ?? 0) + step.seconds);
  }
  return groups;
}

function renderTestCommand(results: BenchmarkResults): string {
  const runs = results.testCommand;
  if (runs.length === 0) {
    return '## Test command\n\nNot measured in this run (`--test-runs 0`).\n';
  }
  const first = runs[0];
  const lines = [
    '## Test command',
    '',
    `\`npm test\` from the repository root, run ${runs.length} time(s): it is slow, so it is not repeated with \`--runs\`; \`--test-runs N\` repeats it. `
      + 'Step times run from the line projen prints as a step of the root test task starts to the next such line; they are from the first run.',
    '',
    header(['run', 'wall time', 'exit code']),
    ...runs.map((run, index) => row([index + 1, `${(run.seconds / 60).toFixed(1)} min (${seconds(run.seconds)} s)`, String(run.exitCode)])),
    '',
    header(['part of the test task', 'seconds', 'share']),
    ...[...groupSteps(first).entries()].map(([group, value]) => row([group, seconds(value), percent(value, first.seconds)])),
    '',
    '<details><summary>Every step</summary>',
    '',
    header(['step', 'seconds']),
    ...first.steps.map((step) => row([`\`${step.label}\``, seconds(step.seconds)])),
    '',
    '</details>',
    '',
  ];
  if (first.failure) {
    lines.push('The first run failed; the end of its output:', '', '```', first.failure, '```', '');
  }
  return lines.join('\n');
}
