import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import { DeployCriticalPath, StackFigures, deployCriticalPath, readStacks } from './assembly';
import { measureCfnLint } from './estate-benchmark';
import { ROOT, synthEnvironment } from './example-apps';
import { Samples, timeAsyncCall, timeCall, timeCommand } from './timing';
import { ESTATE, scaledEstate, segmentationRuns } from '../examples/common/src';
import { checkSegmentation, writeReports } from '../packages/transit-network/lib/segmentation';
import { writeDiagram } from '../packages/transit-network/lib/segmentation/diagram';

/** The numbers of benefit workloads per tier that the benchmark synthesises. */
export const SCALES = [1, 11, 50];

/** Returns the name of a timing sample of the scaled estate with `benefitsPerTier` workloads. */
export function scaleSample(benefitsPerTier: number, measure: 'checks' | 'no-checks' | 'cfn-lint' | 'segmentation' | 'diagrams'): string {
  return `scale:${benefitsPerTier}:${measure}`;
}

/** The stacks of a scaled estate's two tier apps. */
export interface ScaleFindings {
  readonly benefitsPerTier: number;
  /** Every stack of both tier apps. */
  readonly stacks: StackFigures[];
  readonly criticalPathByTier: Record<string, DeployCriticalPath>;
  /** Segmentation intents that were violated or could not be proven, as "tier: intent status". */
  readonly segmentationProblems: string[];
}

/**
 * Measures one run of the two tier apps of an estate with `benefitsPerTier` workloads per
 * tier: synth with and without checks (one process per tier, like the example apps),
 * then cfn-lint over every template and each tier's segmentation check, as the main job
 * would run them.
 *
 * The tier apps run through ts-node, because the scaled estate is built from the sources
 * of examples/common; the example apps run compiled JavaScript.
 */
export async function measureScale(samples: Samples, workdir: string, benefitsPerTier: number): Promise<ScaleFindings> {
  const estate = scaledEstate(ESTATE, benefitsPerTier);
  const tiers = [estate.nonProduction, estate.production];
  const outdir = (mode: string, tierName: string) => join(workdir, `scale-${benefitsPerTier}`, mode, tierName);

  for (const mode of ['no-checks', 'checks'] as const) {
    let total = 0;
    for (const tier of tiers) {
      const args = ['-r', 'ts-node/register/transpile-only', join('bench', 'scaled-tier-app.ts'), String(benefitsPerTier), tier.name];
      const run = timeCommand(process.execPath, mode === 'checks' ? args : [...args, '--without-checks'], {
        cwd: ROOT,
        env: synthEnvironment(`examples/${tier.name}`, outdir(mode, tier.name)),
      });
      if (!existsSync(join(outdir(mode, tier.name), 'manifest.json'))) {
        throw new Error(`The ${tier.name} tier with ${benefitsPerTier} workloads did not synthesise (exit code ${run.exitCode}):\n${run.output}`);
      }
      total += run.seconds;
    }
    samples.add(scaleSample(benefitsPerTier, mode), total);
  }

  const stacks: StackFigures[] = [];
  const criticalPathByTier: Record<string, DeployCriticalPath> = {};
  for (const tier of tiers) {
    const tierStacks = readStacks(outdir('checks', tier.name));
    stacks.push(...tierStacks);
    criticalPathByTier[tier.name] = deployCriticalPath(tierStacks);
  }
  await measureCfnLint(samples, stacks.map((stack) => stack.templatePath), scaleSample(benefitsPerTier, 'cfn-lint'));

  const reportDir = join(workdir, `scale-${benefitsPerTier}`, 'reports');
  mkdirSync(reportDir, { recursive: true });
  let checks = 0;
  let diagrams = 0;
  const segmentationProblems: string[] = [];
  for (const run of segmentationRuns(estate).filter((candidate) => tiers.some((tier) => tier.name === candidate.environment))) {
    const options = {
      environment: run.environment,
      bindings: run.bindings,
      routingPolicy: run.routingPolicy,
      internetFacingVpcs: run.internetFacingVpcs,
    };
    const check = timeCall(() => {
      const result = checkSegmentation([outdir('checks', run.environment)], options);
      writeReports(result.report, reportDir);
      return result;
    });
    checks += check.seconds;
    segmentationProblems.push(...check.value.results
      .filter((result) => result.status === 'violated' || result.status === 'inconclusive')
      .map((result) => `${run.environment}: ${result.intent} ${result.status}`));
    diagrams += (await timeAsyncCall(() => writeDiagram(check.value.model, run.environment, reportDir))).seconds;
  }
  samples.add(scaleSample(benefitsPerTier, 'segmentation'), checks);
  samples.add(scaleSample(benefitsPerTier, 'diagrams'), diagrams);

  return { benefitsPerTier, stacks, criticalPathByTier, segmentationProblems };
}
