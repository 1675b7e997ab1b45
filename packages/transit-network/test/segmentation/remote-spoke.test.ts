import { App, Stack, aws_ec2 as ec2, aws_s3 as s3 } from 'aws-cdk-lib';
import { ENV, NON_PRODUCTION, buildTier, removeAssemblies, synthesise } from './fixtures';
import { RoutingDomain, SpokeVpc, TransitHub } from '../../src';
import { checkSegmentation } from '../../src/segmentation';
import { IntentResult } from '../../src/segmentation/intent-result';
import { renderMarkdown } from '../../src/segmentation/report';

afterAll(removeAssemblies);

const TRANSIT_GATEWAY_ID = 'tgw-0a1b2c3d4e5f67890';
const ATTACHMENT_ID = 'tgw-attach-0123456789abcdef0';
const BINDINGS = { [TRANSIT_GATEWAY_ID]: 'NonProd-TransitHub/Hub', [ATTACHMENT_ID]: 'SharedServices/Shared/Attachment' };

function intent(results: IntentResult[], name: string): IntentResult {
  return results.find((result) => result.intent === name)!;
}

/**
 * Builds a tier and a Shared Services VPC in another account, attached to the tier's hub
 * by its ID as the example app does. With `connect`, the hub's account places the
 * attachment, by its ID, in the shared-services domain.
 */
function buildWithRemoteSpoke(app: App, connect: boolean): void {
  const tier = buildTier(app, NON_PRODUCTION);
  const stack = new Stack(app, 'SharedServices', { env: { account: '222222222222', region: ENV.region } });
  const hub = TransitHub.fromTransitHubAttributes(stack, 'Hub', { transitGatewayId: TRANSIT_GATEWAY_ID, tierName: NON_PRODUCTION.tierName });
  new SpokeVpc(stack, 'Shared', {
    hub,
    domain: RoutingDomain.SHARED_SERVICES,
    vpcName: 'shared-services',
    cidr: '10.80.0.0/20',
    flowLogBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive'),
    sessionManagerEndpoints: false,
  });
  if (connect) {
    tier.hub.connectRemoteAttachment('SharedServices', { attachmentId: ATTACHMENT_ID, domain: RoutingDomain.SHARED_SERVICES });
  }
}

describe('a spoke attached by transit gateway ID', () => {
  let unconnected: string;
  let connected: string;
  beforeAll(() => {
    unconnected = synthesise((app) => buildWithRemoteSpoke(app, false));
    connected = synthesise((app) => buildWithRemoteSpoke(app, true));
  });

  test('unbound ID is external and inconclusive', () => {
    const { results, report, passed } = checkSegmentation([unconnected]);

    expect(passed).toBe(false);
    expect(intent(results, 'internetOnlyThroughEgressFirewall').status).toBe('inconclusive');
    expect(report.model.externals).toEqual([expect.objectContaining({ value: TRANSIT_GATEWAY_ID, usedAs: ['transit gateway'] })]);
    expect(renderMarkdown(report)).toMatch(/\| tgw-0a1b2c3d4e5f67890 \| transit gateway \| SharedServices\/Shared\/Attachment, /);
  });

  test('bound ID joins the hub', () => {
    const { results, report, passed } = checkSegmentation([unconnected], { bindings: { [TRANSIT_GATEWAY_ID]: BINDINGS[TRANSIT_GATEWAY_ID] } });

    expect(passed).toBe(true);
    expect(report.model.externals).toEqual([]);
    expect(intent(results, 'domainPolicyHolds').notes).toContainEqual(expect.stringMatching(
      /^The policy connects non-production-management .* and non-production-shared-services .*, but no route takes the first to the second\.$/));
  });

  test('connected attachment is checked', () => {
    const { results, report, passed } = checkSegmentation([connected], { bindings: BINDINGS });

    expect(passed).toBe(true);
    expect(report.model.externals).toEqual([]);
    const domains = intent(results, 'domainPolicyHolds');
    expect(domains.notes.filter((note) => note.includes('no route takes'))).toEqual([]);
    expect(intent(results, 'internetOnlyThroughEgressFirewall').notes[0]).toMatch(/non-production-shared-services/);
  });

  test('unbound attachment ID is a gap', () => {
    const { report } = checkSegmentation([connected], { bindings: { [TRANSIT_GATEWAY_ID]: BINDINGS[TRANSIT_GATEWAY_ID] } });

    expect(report.model.externals.map((external) => external.value)).toEqual([ATTACHMENT_ID]);
    expect(report.model.gaps.map((gap) => gap.message)).toContainEqual(expect.stringMatching(
      /^tgw-attach-0123456789abcdef0 propagates into .* but it is outside the assemblies, so the routes it propagates are not known/));
  });
});

describe('an internet-facing VPC', () => {
  let dir: string;
  beforeAll(() => {
    dir = synthesise((app) => {
      buildTier(app, NON_PRODUCTION);
      const stack = new Stack(app, 'Ingress', { env: ENV });
      new ec2.Vpc(stack, 'Vpc', {
        vpcName: 'ingress',
        ipAddresses: ec2.IpAddresses.cidr('10.64.20.0/24'),
        availabilityZones: ['eu-west-2a'],
        natGateways: 0,
        subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 26 }],
      });
    });
  });

  test('public subnet bypasses the firewall', () => {
    const internet = intent(checkSegmentation([dir]).results, 'internetOnlyThroughEgressFirewall');

    expect(internet.status).toBe('violated');
    expect(internet.violations.map((violation) => violation.summary)).toEqual([
      expect.stringMatching(/^VPC ingress .* reaches the internet through Ingress\/Vpc\/IGW without passing a Network Firewall endpoint$/),
    ]);
  });

  test('exemption is noted', () => {
    const internet = intent(checkSegmentation([dir], { internetFacingVpcs: ['ingress'] }).results, 'internetOnlyThroughEgressFirewall');

    expect(internet.status).toBe('proven');
    expect(internet.notes).toContainEqual(expect.stringMatching(/^VPC ingress .* is internet-facing by configuration/));
  });

  test('unknown exemption throws', () => {
    expect(() => checkSegmentation([dir], { internetFacingVpcs: ['egress'] })).toThrow(/No VPC matches "egress"\. Name a VPC by its Name tag/);
  });
});
