import { App, Stack, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { ENV, NON_PRODUCTION, PRODUCTION, Tier, buildTier, removeAssemblies, synthesise } from './fixtures';
import { RoutingDomain, SpokeVpc } from '../../src';
import { checkSegmentation } from '../../src/segmentation';
import { IntentResult } from '../../src/segmentation/intent-result';
import { pathLines } from '../../src/segmentation/path-text';

afterAll(removeAssemblies);

function tiersResult(results: IntentResult[]): IntentResult {
  return results.find((result) => result.intent === 'tiersIsolated')!;
}

/**
 * Builds a Shared Services VPC attached to both hubs. Production's business-application
 * domain sends Non-Production's range to it. With `transitRoutes`, its transit subnets
 * send that range on to Non-Production's hub, which makes it a path between the tiers.
 */
function buildSharedServices(app: App, nonProduction: Tier, production: Tier, transitRoutes: boolean): void {
  const stack = new Stack(app, 'SharedServices', { env: ENV });
  const shared = new SpokeVpc(stack, 'Shared', {
    hub: nonProduction.hub,
    domain: RoutingDomain.SHARED_SERVICES,
    vpcName: 'shared-services',
    cidr: '10.80.0.0/20',
    flowLogBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive'),
    sessionManagerEndpoints: false,
  });
  const transit = shared.vpc.selectSubnets({ subnetGroupName: 'transit' }).subnets;

  const prodAttachment = new ec2.CfnTransitGatewayVpcAttachment(stack, 'ProductionAttachment', {
    transitGatewayId: production.hub.transitGatewayId,
    vpcId: shared.vpc.vpcId,
    subnetIds: transit.map((subnet) => subnet.subnetId),
  });
  new ec2.CfnTransitGatewayRouteTableAssociation(stack, 'ProductionAssociation', {
    transitGatewayAttachmentId: prodAttachment.ref,
    transitGatewayRouteTableId: production.hub.routeTableId(RoutingDomain.SHARED_SERVICES),
  });
  for (const domain of [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES]) {
    new ec2.CfnTransitGatewayRouteTablePropagation(stack, `ProductionPropagation${domain}`, {
      transitGatewayAttachmentId: prodAttachment.ref,
      transitGatewayRouteTableId: production.hub.routeTableId(domain),
    });
  }
  new ec2.CfnTransitGatewayRoute(stack, 'NonProductionRangeToShared', {
    transitGatewayRouteTableId: production.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
    destinationCidrBlock: NON_PRODUCTION.supernet,
    transitGatewayAttachmentId: prodAttachment.ref,
  });

  if (transitRoutes) {
    transit.forEach((subnet, index) => new ec2.CfnRoute(stack, `NonProductionViaShared${index}`, {
      routeTableId: subnet.routeTable.routeTableId,
      destinationCidrBlock: NON_PRODUCTION.supernet,
      transitGatewayId: nonProduction.hub.transitGatewayId,
    }));
  }
}

describe('two tiers in separate assemblies', () => {
  test('tiers are isolated', () => {
    const production = synthesise((app) => buildTier(app, PRODUCTION));
    const nonProduction = synthesise((app) => buildTier(app, NON_PRODUCTION));
    const { results, passed } = checkSegmentation([production, nonProduction]);

    const tiers = tiersResult(results);
    expect(tiers.status).toBe('proven');
    expect(tiers.pathsChecked).toBeGreaterThan(0);
    expect(tiers.notes[0]).toMatch(/^2 transit gateway\(s\) have VPCs attached/);
    expect(passed).toBe(true);
  });
});

describe('a VPC attached to both hubs', () => {
  test('is no path without transit routes', () => {
    const dir = synthesise((app) => {
      const nonProduction = buildTier(app, NON_PRODUCTION);
      buildSharedServices(app, nonProduction, buildTier(app, PRODUCTION), false);
    });
    const { results, model } = checkSegmentation([dir]);

    const tiers = tiersResult(results);
    expect(tiers.status).toBe('proven');
    expect(tiers.violations).toEqual([]);
    expect(model.vpcs.size).toBe(9);
  });

  test('transit routes make it a path', () => {
    const dir = synthesise((app) => {
      const nonProduction = buildTier(app, NON_PRODUCTION);
      buildSharedServices(app, nonProduction, buildTier(app, PRODUCTION), true);
    });
    const { results, model } = checkSegmentation([dir]);

    const tiers = tiersResult(results);
    expect(tiers.status).toBe('violated');
    const fromProduction = tiers.violations.filter((v) => v.path.sourceVpc.startsWith('Prod-BenefitA/') && v.path.outcome.vpc?.startsWith('NonProd-BenefitA/'));
    expect(fromProduction[0].summary).toMatch(/production-benefit-a .* reaches VPC non-production-benefit-a .* of another tier/);
    const text = pathLines(model, fromProduction[0].path).join('\n');
    expect(text).toMatch(/10\.64\.0\.0\/14 to attachment SharedServices\/ProductionAttachment \(static route SharedServices\/NonProductionRangeToShared\)/);
    expect(text).toMatch(/route table SharedServices\/Shared\/Resource\/transitSubnet1\/RouteTable in eu-west-2a: 10\.64\.0\.0\/14 to transit gateway NonProd-TransitHub\/Hub\/Resource/);
    expect(text).toMatch(/transit gateway route table NonProd-TransitHub\/Hub\/SharedServicesRouteTable/);
    expect(text).toMatch(/=> delivered: .* in VPC non-production-benefit-a$/);
  });
});

describe('a peering between the hubs', () => {
  function buildPeering(associate: boolean): string {
    return synthesise((app) => {
      const nonProduction = buildTier(app, NON_PRODUCTION);
      const production = buildTier(app, PRODUCTION);
      const stack = new Stack(app, 'Peering', { env: ENV });
      const peering = new ec2.CfnTransitGatewayPeeringAttachment(stack, 'Peering', {
        transitGatewayId: production.hub.transitGatewayId,
        peerTransitGatewayId: nonProduction.hub.transitGatewayId,
        peerAccountId: ENV.account,
        peerRegion: ENV.region,
      });
      new ec2.CfnTransitGatewayRoute(stack, 'ProductionToNonProduction', {
        transitGatewayRouteTableId: production.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
        destinationCidrBlock: NON_PRODUCTION.supernet,
        transitGatewayAttachmentId: peering.attrTransitGatewayAttachmentId,
      });
      if (associate) {
        new ec2.CfnTransitGatewayRouteTableAssociation(stack, 'NonProductionAssociation', {
          transitGatewayAttachmentId: peering.attrTransitGatewayAttachmentId,
          transitGatewayRouteTableId: nonProduction.hub.routeTableId(RoutingDomain.MANAGEMENT),
        });
      }
    });
  }

  test('associated peering joins the tiers', () => {
    const { results, model } = checkSegmentation([buildPeering(true)]);

    const tiers = tiersResult(results);
    expect(tiers.status).toBe('violated');
    const text = pathLines(model, tiers.violations[0].path).join('\n');
    expect(text).toMatch(/transit gateway attachment Peering\/Peering \(crosses the peering to transit gateway NonProd-TransitHub\/Hub\/Resource\)/);
    expect(text).toMatch(/transit gateway route table NonProd-TransitHub\/Hub\/ManagementRouteTable .*propagated by/);
  });

  test('unassociated peering drops traffic', () => {
    const { results, model } = checkSegmentation([buildPeering(false)]);

    const tiers = tiersResult(results);
    expect(tiers.status).toBe('proven');
    expect(model.attachments.get('Peering/Peering')?.transitGateways).toEqual(['Prod-TransitHub/HubC5CB2B3F', 'NonProd-TransitHub/HubC5CB2B3F']);
  });
});

describe('a static route to an attachment of the other tier', () => {
  test('is reported and carries nothing', () => {
    const dir = synthesise((app) => {
      const nonProduction = buildTier(app, NON_PRODUCTION);
      const production = buildTier(app, PRODUCTION);
      new ec2.CfnTransitGatewayRoute(new Stack(app, 'CrossTier', { env: ENV }), 'ToOtherTier', {
        transitGatewayRouteTableId: production.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
        destinationCidrBlock: NON_PRODUCTION.businessA,
        transitGatewayAttachmentId: nonProduction.businessA.attachmentId,
      });
    });
    const { results, report } = checkSegmentation([dir]);

    expect(tiersResult(results).status).toBe('proven');
    expect(report.model.gaps).toEqual([expect.objectContaining({
      resource: 'CrossTier/ToOtherTier',
      message: expect.stringMatching(/attachment NonProd-BenefitA\/BenefitA\/Attachment, which belongs to another transit gateway/),
    })]);
  });
});
