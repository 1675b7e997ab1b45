import { NON_PRODUCTION, buildTier, removeAssemblies, synthesise } from './fixtures';
import { checkSegmentation } from '../../src/segmentation';
import { IntentResult } from '../../src/segmentation/intent-result';

afterAll(removeAssemblies);

function intent(results: IntentResult[], name: string): IntentResult {
  const found = results.find((result) => result.intent === name);
  if (found === undefined) {
    throw new Error(`no result for ${name}`);
  }
  return found;
}

describe('the platform estate', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesise((app) => buildTier(app, NON_PRODUCTION));
  });

  test('every intent is proven or not applicable', () => {
    const result = checkSegmentation([dir]);

    expect(result.passed).toBe(true);
    expect(intent(result.results, 'domainPolicyHolds').status).toBe('proven');
    expect(intent(result.results, 'internetOnlyThroughEgressFirewall').status).toBe('proven');
    expect(intent(result.results, 'tiersIsolated').status).toBe('not-applicable');
    expect(intent(result.results, 'inspectedPairsPassFirewall').status).toBe('not-applicable');
  });

  test('model has no external values or gaps', () => {
    const { report } = checkSegmentation([dir]);

    expect(report.model.externals).toEqual([]);
    expect(report.model.gaps).toEqual([]);
    expect(report.model.counts.vpcs).toBe(4);
    expect(report.model.counts.transitGatewayRouteTables).toBe(6);
  });

  test('business VPCs cannot reach each other', () => {
    const result = checkSegmentation([dir], {
      unreachable: [
        { from: 'non-production-benefit-a', to: { vpc: 'non-production-benefit-b' } },
        { from: 'non-production-benefit-b', to: { vpc: 'non-production-benefit-a' } },
      ],
    });

    const unreachable = result.results.filter((r) => r.intent.startsWith('unreachable('));
    expect(unreachable.map((r) => r.status)).toEqual(['proven', 'proven']);
    expect(unreachable.every((r) => r.pathsChecked > 0)).toBe(true);
  });

  test('management reaches business VPCs', () => {
    const result = checkSegmentation([dir], {
      unreachable: [{ from: 'non-production-management', to: { vpc: 'non-production-benefit-a' } }],
    });

    const reach = result.results[5];
    expect(reach.status).toBe('violated');
    expect(reach.violations[0].path.outcome.kind).toBe('delivered');
  });

  test('internet traffic passes the firewall', () => {
    const result = checkSegmentation([dir], {
      reachableOnlyThrough: [{ from: 'non-production-benefit-a', to: { internet: true }, through: 'network-firewall-endpoint' }],
    });

    const viaFirewall = result.results[5];
    expect(viaFirewall.status).toBe('proven');
    // Six application and data subnets, each landing in any of the three egress zones
    // (appliance mode), and three transit subnets with no route out.
    expect(viaFirewall.pathsChecked).toBe(6 * 3 + 3);
  });

  test('report names the checked paths', () => {
    const { report } = checkSegmentation([dir], { environment: 'test-estate' });

    expect(report.environment).toBe('test-estate');
    expect(report.intents.map((i) => i.intent)).toEqual([
      'tiersIsolated', 'domainPolicyHolds', 'inspectedPairsPassFirewall', 'governmentNetworkReachesOnlyPolicy', 'internetOnlyThroughEgressFirewall',
    ]);
    expect(report.intents.every((i) => i.violations.length === 0)).toBe(true);
    expect(report.intents[4].notes[0]).toMatch(/non-production-benefit-a/);
  });
});
