import { Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { NON_PRODUCTION, buildTier, removeAssemblies, synthesise } from './fixtures';
import { RoutingDomain, RoutingPolicy } from '../../src';
import { checkSegmentation } from '../../src/segmentation';
import { IntentResult } from '../../src/segmentation/intent-result';
import { pathLines } from '../../src/segmentation/path-text';

afterAll(removeAssemblies);

function intent(results: IntentResult[], name: string): IntentResult {
  return results.find((result) => result.intent === name)!;
}

const routingPolicy = RoutingPolicy.platformDefaultWithInspection();

describe('a tier with east-west inspection', () => {
  test('inspected pairs reach each other only through the firewall', () => {
    const dir = synthesise((app) => buildTier(app, NON_PRODUCTION, { inspection: true }));
    const { results, passed } = checkSegmentation([dir], { routingPolicy });

    const inspected = intent(results, 'inspectedPairsPassFirewall');
    expect(passed).toBe(true);
    expect(inspected.status).toBe('proven');
    expect(inspected.notes[0]).toBe('4 ordered pair(s) of VPCs in inspected domains were checked.');
    expect(intent(results, 'domainPolicyHolds').status).toBe('proven');
  });

  test('management reaches a business VPC through the inspection VPC', () => {
    const dir = synthesise((app) => buildTier(app, NON_PRODUCTION, { inspection: true }));
    const result = checkSegmentation([dir], {
      routingPolicy,
      reachableOnlyThrough: [{ from: 'non-production-management', to: { vpc: 'non-production-benefit-a' }, through: 'network-firewall-endpoint' }],
    });

    const viaFirewall = result.results.find((r) => r.intent.startsWith('reachableOnlyThrough('))!;
    expect(viaFirewall.status).toBe('proven');
  });

  test('without inspection in the policy the intent does not apply', () => {
    const dir = synthesise((app) => buildTier(app, NON_PRODUCTION));
    const { results } = checkSegmentation([dir]);

    expect(intent(results, 'inspectedPairsPassFirewall').status).toBe('not-applicable');
  });
});

describe('a route that bypasses inspection', () => {
  test('is caught with the path that skips the firewall', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION, { inspection: true });
      // A more specific route than the one the hub steers to the firewall, straight to the management VPC.
      new ec2.CfnTransitGatewayRoute(Stack.of(tier.management), 'Bypass', {
        transitGatewayRouteTableId: tier.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
        destinationCidrBlock: '10.64.0.0/21',
        transitGatewayAttachmentId: tier.management.attachmentId,
      });
    });
    const { results, passed, model } = checkSegmentation([dir], { routingPolicy });

    const inspected = intent(results, 'inspectedPairsPassFirewall');
    expect(passed).toBe(false);
    expect(inspected.status).toBe('violated');
    const summaries = inspected.violations.map((violation) => violation.summary);
    expect(summaries).toEqual(expect.arrayContaining([
      expect.stringMatching(/^VPC non-production-benefit-a .* reaches VPC non-production-management .*without passing the east-west inspection firewall, but the routing policy inspects business-application and management$/),
    ]));
    const lines = pathLines(model, inspected.violations.find((violation) => /benefit-a/.test(violation.summary))!.path).join('\n');
    expect(lines).toMatch(/Bypass/);
    expect(lines).not.toMatch(/endpoint/);
  });

  test('a propagation beside the steering routes is caught', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION, { inspection: true });
      new ec2.CfnTransitGatewayRouteTablePropagation(Stack.of(tier.management), 'LeakManagement', {
        transitGatewayAttachmentId: tier.management.attachmentId,
        transitGatewayRouteTableId: tier.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
      });
    });
    const { results } = checkSegmentation([dir], { routingPolicy });

    // The propagated /20 and the steering static /20 are equal: the static route wins,
    // so the leak changes nothing and the intent still holds.
    expect(intent(results, 'inspectedPairsPassFirewall').status).toBe('proven');
  });
});
