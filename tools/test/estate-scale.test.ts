import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { App } from 'aws-cdk-lib';
import { ESTATE, EstateConfig, buildManagement, buildSecurity, buildTierNetwork, scaledEstate } from '../../examples/common/src';

/**
 * CloudFormation quotas per stack template, and the share of each that a stack may use,
 * so that a stack keeps room to grow before a deploy fails.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
const RESOURCES_PER_TEMPLATE = 500;
const TEMPLATE_BYTES = 1_000_000;
const PARAMETERS_PER_TEMPLATE = 200;
const HEADROOM = 0.6;

const BENEFITS_PER_TIER = 50;

const ROOT = resolve(__dirname, '..', '..');

interface SynthesisedStack {
  readonly stackName: string;
  readonly resources: number;
  readonly parameters: number;
  /** The size of the template file that the CDK uploads, in bytes. */
  readonly templateBytes: number;
  /** The logical IDs of the SNS topics that no subscription in the template delivers from. */
  readonly topicsWithoutSubscriber: string[];
}

/** Returns the SNS topics of a template that no `AWS::SNS::Subscription` of the same template refers to. */
function topicsWithoutSubscriber(template: any): string[] {
  const resources: Record<string, any> = template.Resources ?? {};
  const subscribed = new Set(Object.values(resources)
    .filter((resource) => resource.Type === 'AWS::SNS::Subscription')
    .map((resource) => resource.Properties?.TopicArn?.Ref));
  return Object.keys(resources).filter((id) => resources[id].Type === 'AWS::SNS::Topic' && !subscribed.has(id));
}

/**
 * Returns the context an example app runs with: its cdk.json feature flags, which change
 * templates (a flag can add a resource), and its cdk.context.json if it has one.
 */
function appContext(app: string): Record<string, unknown> {
  const readContext = (file: string) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {});
  return { ...readContext(join(ROOT, 'examples', app, 'cdk.json')).context, ...readContext(join(ROOT, 'examples', app, 'cdk.context.json')) };
}

/**
 * Synthesises the tier apps, and the management and Security apps, of an estate into
 * temporary folders, with each example app's context, and measures every stack.
 *
 * The cdk-nag packs and the tagging check are not applied: they only add annotations
 * to the cloud assembly, never anything to a template.
 */
function synthesiseEstate(estate: EstateConfig, outdirs: string[]): SynthesisedStack[] {
  const builders: Array<[string, (app: App) => void]> = [
    ['non-production', (app) => buildTierNetwork(app, estate, estate.nonProduction)],
    ['production', (app) => buildTierNetwork(app, estate, estate.production)],
    ['management', (app) => buildManagement(app, estate)],
    ['security', (app) => buildSecurity(app, estate)],
  ];
  return builders.flatMap(([exampleApp, build]) => {
    const outdir = mkdtempSync(join(tmpdir(), 'estate-scale-'));
    outdirs.push(outdir);
    const app = new App({ outdir, context: appContext(exampleApp) });
    build(app);
    return app.synth().stacks.map((stack) => ({
      stackName: stack.stackName,
      resources: Object.keys(stack.template.Resources ?? {}).length,
      parameters: Object.keys(stack.template.Parameters ?? {}).length,
      templateBytes: statSync(stack.templateFullPath).size,
      topicsWithoutSubscriber: topicsWithoutSubscriber(stack.template),
    }));
  });
}

/** Lists the stacks whose figure is over the limit, as "stack: figure", so that a failure names them. */
function over(stacks: SynthesisedStack[], figure: (stack: SynthesisedStack) => number, limit: number): string[] {
  return stacks.filter((stack) => figure(stack) > limit).map((stack) => `${stack.stackName}: ${figure(stack)} > ${limit}`);
}

describe(`estate with ${BENEFITS_PER_TIER} benefit workloads per tier`, () => {
  const outdirs: string[] = [];
  let stacks: SynthesisedStack[] = [];

  beforeAll(() => {
    // The @aws-cdk/core:annotationsInValidationReport flag of cdk.json prints every warning
    // annotation as a report on the console. This test checks sizes only; the main job lists the warnings.
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      stacks = synthesiseEstate(scaledEstate(ESTATE, BENEFITS_PER_TIER), outdirs);
    } finally {
      consoleError.mockRestore();
    }
  }, 120_000);

  afterAll(() => {
    for (const outdir of outdirs) {
      rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('each tier has a VPC stack per workload', () => {
    for (const prefix of [ESTATE.nonProduction.stackPrefix, ESTATE.production.stackPrefix]) {
      const workloadStacks = stacks.filter((stack) => stack.stackName.startsWith(`${prefix}-`) && stack.stackName.endsWith('Vpc'));

      // The management VPC's stack also ends in "Vpc".
      expect(workloadStacks).toHaveLength(BENEFITS_PER_TIER + 1);
    }
  });

  test('no stack exceeds 60% of the resource limit', () => {
    expect(over(stacks, (stack) => stack.resources, RESOURCES_PER_TEMPLATE * HEADROOM)).toEqual([]);
  });

  test('no template exceeds 60% of the size limit', () => {
    expect(over(stacks, (stack) => stack.templateBytes, TEMPLATE_BYTES * HEADROOM)).toEqual([]);
  });

  test('no stack exceeds 60% of the parameter limit', () => {
    expect(over(stacks, (stack) => stack.parameters, PARAMETERS_PER_TEMPLATE * HEADROOM)).toEqual([]);
  });

  // A topic of alarms or alerts without a subscription delivers them to no one.
  test('every SNS topic has a subscriber', () => {
    const unsubscribed = stacks.flatMap((stack) => stack.topicsWithoutSubscriber.map((topic) => `${stack.stackName}/${topic}`));

    expect(unsubscribed).toEqual([]);
    expect(stacks.some((stack) => stack.stackName.endsWith('-AccountBaseline'))).toBe(true);
  });
});

describe('scaledEstate', () => {
  test('adds generated workloads after the configured ones', () => {
    const estate = scaledEstate(ESTATE, 3);

    expect(estate.production.benefits.map((benefit) => benefit.name)).toEqual(['lib', 'benefit-02', 'benefit-03']);
    expect(estate.production.benefits[1].prefixLength).toBe(21);
  });

  test('takes each generated workload from the future reserve', () => {
    expect(scaledEstate(ESTATE, 3).nonProduction.futureBenefits.count).toBe(ESTATE.nonProduction.futureBenefits.count - 2);
    expect(scaledEstate(ESTATE, 50).nonProduction.futureBenefits.count).toBe(0);
  });

  test('keeps the deployed ranges pinned', () => {
    expect(scaledEstate(ESTATE, 50).production.deployedRanges).toEqual(ESTATE.production.deployedRanges);
  });

  test('keeps the configured estate unchanged at its own size', () => {
    expect(scaledEstate(ESTATE, 1)).toEqual(ESTATE);
  });

  test('rejects fewer workloads than configured and a bad prefix length together', () => {
    expect(() => scaledEstate(ESTATE, 0, { workloadPrefixLength: 30 }))
      .toThrow(/benefitsPerTier is 0; use a whole number of at least 1[\s\S]*workloadPrefixLength is 30; use a whole number from 16 to 28/);
  });
});
