import { App, Fn, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EastWestInspection, RoutingDomain, RoutingPolicy, SegmentationScopes, SegmentationScopesProps, TransitHub } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const TIER = ['10.64.0.0/14'];
const OTHER_TIER = ['10.0.0.0/14'];
const BENEFITS = ['10.64.16.0/20', '10.64.32.0/20', '10.64.48.0/20'];
const FIREWALL_ARN = 'arn:aws:network-firewall:eu-west-2:111111111111:firewall/production-egress';
const SCOPE_TYPE = 'AWS::EC2::NetworkInsightsAccessScope';
const INSPECTION_ARN = 'arn:aws:network-firewall:eu-west-2:111111111111:firewall/production-east-west-firewall';
const MANAGEMENT = ['10.64.0.0/20'];
const GOVERNMENT_MANAGEMENT = ['10.16.0.0/13'];
const GOVERNMENT_BUSINESS = ['10.24.0.0/13'];
/** Management VPCs and business-application VPCs, inspected between each other. */
const INSPECTION = { inspectionFirewallArn: INSPECTION_ARN, inspectedPairs: [{ cidrs: MANAGEMENT, peerCidrs: BENEFITS }] };
/** Each government-network DMZ with its own government ranges, reaching its own domain's VPCs. */
const GOVERNMENT = {
  governmentNetworkTraffic: [
    { domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, governmentCidrs: GOVERNMENT_MANAGEMENT, allowedCidrs: MANAGEMENT },
    { domain: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ, governmentCidrs: GOVERNMENT_BUSINESS, allowedCidrs: BENEFITS },
  ],
};

type Overrides = Partial<Omit<SegmentationScopesProps, 'hub'>>;

function build(overrides: Overrides = {}, tierName = 'production', routingPolicy?: RoutingPolicy): { scopes: SegmentationScopes; stack: Stack; template: Template } {
  const app = new App();
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName, routingPolicy });
  const scopes = new SegmentationScopes(stack, 'Scopes', { hub, tierCidrs: TIER, otherTierCidrs: OTHER_TIER, ...overrides });
  return { scopes, stack, template: Template.fromStack(stack) };
}

function inspectionWarnings(stack: Stack): string[] {
  return Annotations.fromStack(stack)
    .findWarning('*', Match.stringLikeRegexp('\\[ack: @ssd-platform/transit-network:inspectedPairsWithoutInspection\\]'))
    .map((warning) => String(warning.entry.data));
}

/** Builds SegmentationScopes with the given props on top of valid ones and returns the error it throws. */
function errorFor(overrides: Record<string, unknown>): string {
  const app = new App();
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
  const props = { hub, tierCidrs: TIER, otherTierCidrs: OTHER_TIER, ...overrides } as unknown as SegmentationScopesProps;
  try {
    new SegmentationScopes(stack, 'Scopes', props);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('SegmentationScopes accepted the props');
}

function tagValue(tags: Array<{ Key: string; Value: string }>, key: string): string | undefined {
  return tags.find((tag) => tag.Key === key)?.Value;
}

function scopeNamed(template: Template, name: string): Record<string, any> {
  const scopes = Object.values(template.findResources(SCOPE_TYPE))
    .filter((resource) => tagValue(resource.Properties.Tags, 'Name') === name);
  expect(scopes).toHaveLength(1);
  return scopes[0].Properties;
}

describe('scopes', () => {
  test('defaults create the tier and internet scopes', () => {
    const { template } = build();

    template.resourceCountIs(SCOPE_TYPE, 2);
  });

  test('tier scope matches both directions', () => {
    const { template } = build();

    expect(scopeNamed(template, 'production-tier-isolation').MatchPaths).toEqual([
      {
        Source: { PacketHeaderStatement: { SourceAddresses: TIER } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: OTHER_TIER } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: OTHER_TIER } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: TIER } },
      },
    ]);
  });

  test('tier scope has no exclusions', () => {
    const { template } = build();

    expect(scopeNamed(template, 'production-tier-isolation').ExcludePaths).toBeUndefined();
  });

  test('business scope has a path for each range', () => {
    const { template } = build({ businessApplicationCidrs: BENEFITS });

    template.resourceCountIs(SCOPE_TYPE, 3);
    expect(scopeNamed(template, 'production-business-application-isolation').MatchPaths).toEqual([
      {
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.16.0/20'] } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: ['10.64.32.0/20', '10.64.48.0/20'] } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.32.0/20'] } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: ['10.64.16.0/20', '10.64.48.0/20'] } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.48.0/20'] } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: ['10.64.16.0/20', '10.64.32.0/20'] } },
      },
    ]);
  });

  test('eleven benefits make one scope of eleven paths', () => {
    const benefits = Array.from({ length: 11 }, (_unused, i) => `10.64.${16 + i * 16}.0/20`);
    const { template } = build({ businessApplicationCidrs: benefits });

    const matchPaths = scopeNamed(template, 'production-business-application-isolation').MatchPaths;
    expect(matchPaths).toHaveLength(11);
    expect(matchPaths.map((path: any) => path.Destination.PacketHeaderStatement.DestinationAddresses.length)).toEqual(Array(11).fill(10));
  });

  test('internet scope matches paths to internet gateways', () => {
    const { template } = build();

    expect(scopeNamed(template, 'production-internet-egress').MatchPaths).toEqual([{
      Source: { PacketHeaderStatement: { SourceAddresses: TIER } },
      Destination: { ResourceStatement: { ResourceTypes: ['AWS::EC2::InternetGateway'] } },
    }]);
  });

  test('internet scope without firewall excludes nothing', () => {
    const { template } = build();

    expect(scopeNamed(template, 'production-internet-egress').ExcludePaths).toBeUndefined();
  });

  test('internet scope excludes paths through the firewall', () => {
    const { template } = build({ egressFirewallArn: FIREWALL_ARN });

    expect(scopeNamed(template, 'production-internet-egress').ExcludePaths).toEqual([
      { ThroughResources: [{ ResourceStatement: { Resources: [FIREWALL_ARN] } }] },
    ]);
  });

  test('internet scope excludes internet-facing sources', () => {
    const { template } = build({ egressFirewallArn: FIREWALL_ARN, internetFacingCidrs: ['10.64.254.0/24'] });

    expect(scopeNamed(template, 'production-internet-egress').ExcludePaths).toEqual([
      { ThroughResources: [{ ResourceStatement: { Resources: [FIREWALL_ARN] } }] },
      { Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.254.0/24'] } } },
    ]);
  });

  test('firewall ARN token reaches the template', () => {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: ENV });
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    new SegmentationScopes(stack, 'Scopes', {
      hub,
      tierCidrs: TIER,
      otherTierCidrs: OTHER_TIER,
      egressFirewallArn: Fn.importValue('EgressFirewallArn'),
    });

    Template.fromStack(stack).hasResourceProperties(SCOPE_TYPE, {
      ExcludePaths: [{ ThroughResources: [{ ResourceStatement: { Resources: [{ 'Fn::ImportValue': 'EgressFirewallArn' }] } }] }],
    });
  });
});

describe('east-west inspection scope', () => {
  test('pair matches both directions', () => {
    const { template } = build(INSPECTION);

    template.resourceCountIs(SCOPE_TYPE, 3);
    expect(scopeNamed(template, 'production-east-west-inspection').MatchPaths).toEqual([
      {
        Source: { PacketHeaderStatement: { SourceAddresses: MANAGEMENT } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: BENEFITS } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: BENEFITS } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: MANAGEMENT } },
      },
    ]);
  });

  test('pair inside one domain has a path for each range', () => {
    const { template } = build({
      inspectionFirewallArn: INSPECTION_ARN,
      inspectedPairs: [{ cidrs: ['10.64.0.0/22', '10.64.4.0/22', '10.64.8.0/22'] }],
    });

    expect(scopeNamed(template, 'production-east-west-inspection').MatchPaths).toEqual([
      {
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.0.0/22'] } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: ['10.64.4.0/22', '10.64.8.0/22'] } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.4.0/22'] } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: ['10.64.0.0/22', '10.64.8.0/22'] } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.8.0/22'] } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: ['10.64.0.0/22', '10.64.4.0/22'] } },
      },
    ]);
  });

  test('several pairs share one scope', () => {
    const { template } = build({
      inspectionFirewallArn: INSPECTION_ARN,
      inspectedPairs: [{ cidrs: MANAGEMENT, peerCidrs: BENEFITS }, { cidrs: ['10.64.0.0/22', '10.64.4.0/22'] }],
    });

    template.resourceCountIs(SCOPE_TYPE, 3);
    expect(scopeNamed(template, 'production-east-west-inspection').MatchPaths).toHaveLength(4);
  });

  test('paths through the inspection firewall are excluded', () => {
    const { template } = build(INSPECTION);

    expect(scopeNamed(template, 'production-east-west-inspection').ExcludePaths).toEqual([
      { ThroughResources: [{ ResourceStatement: { Resources: [INSPECTION_ARN] } }] },
    ]);
  });

  test('firewall ARN of an EastWestInspection reaches the template', () => {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: ENV });
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production', routingPolicy: RoutingPolicy.platformDefaultWithInspection() });
    const inspection = new EastWestInspection(stack, 'Inspection', {
      hub,
      cidr: '10.64.254.0/25',
      internalCidrs: TIER,
      logBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive'),
    });
    new SegmentationScopes(stack, 'Scopes', {
      hub,
      tierCidrs: TIER,
      otherTierCidrs: OTHER_TIER,
      inspectionFirewallArn: inspection.firewallArn,
      inspectedPairs: [{ cidrs: MANAGEMENT, peerCidrs: BENEFITS }],
    });

    Template.fromStack(stack).hasResourceProperties(SCOPE_TYPE, {
      ExcludePaths: [{ ThroughResources: [{ ResourceStatement: { Resources: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^InspectionFirewall'), 'FirewallArn'] }] } }] }],
    });
  });

  test('list tokens reach a pair of two sides', () => {
    const { template } = build({
      inspectionFirewallArn: INSPECTION_ARN,
      inspectedPairs: [{ cidrs: Fn.split(',', Fn.importValue('Management')), peerCidrs: BENEFITS }],
    });

    expect(scopeNamed(template, 'production-east-west-inspection').MatchPaths[0].Source.PacketHeaderStatement.SourceAddresses)
      .toEqual({ 'Fn::Split': [',', { 'Fn::ImportValue': 'Management' }] });
  });

  test('policy without inspection warns', () => {
    const { stack } = build(INSPECTION);

    expect(inspectionWarnings(stack)).toEqual([expect.stringMatching(/inspectedPairs is set, but the routing policy of hub Network\/Hub inspects no connection/)]);
  });

  test('policy with inspection does not warn', () => {
    const { stack } = build(INSPECTION, 'production', RoutingPolicy.platformDefaultWithInspection());

    expect(inspectionWarnings(stack)).toEqual([]);
  });
});

describe('government network scope', () => {
  test('each DMZ matches its government ranges', () => {
    const { template } = build(GOVERNMENT);

    template.resourceCountIs(SCOPE_TYPE, 3);
    expect(scopeNamed(template, 'production-government-network').MatchPaths).toEqual([
      { Source: { PacketHeaderStatement: { SourceAddresses: GOVERNMENT_MANAGEMENT } } },
      { Source: { PacketHeaderStatement: { SourceAddresses: GOVERNMENT_BUSINESS } } },
    ]);
  });

  test('allowed ranges and internet gateways are excluded', () => {
    const { template } = build(GOVERNMENT);

    expect(scopeNamed(template, 'production-government-network').ExcludePaths).toEqual([
      {
        Source: { PacketHeaderStatement: { SourceAddresses: GOVERNMENT_MANAGEMENT } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: MANAGEMENT } },
      },
      {
        Source: { PacketHeaderStatement: { SourceAddresses: GOVERNMENT_BUSINESS } },
        Destination: { PacketHeaderStatement: { DestinationAddresses: BENEFITS } },
      },
      { Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::InternetGateway'] } } },
    ]);
  });

  test('one DMZ alone makes the scope', () => {
    const { template } = build({ governmentNetworkTraffic: [GOVERNMENT.governmentNetworkTraffic[1]] });

    expect(scopeNamed(template, 'production-government-network').MatchPaths).toEqual([
      { Source: { PacketHeaderStatement: { SourceAddresses: GOVERNMENT_BUSINESS } } },
    ]);
  });

  test('public government ranges are accepted', () => {
    const { template } = build({
      governmentNetworkTraffic: [{ domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, governmentCidrs: ['51.0.0.0/8'], allowedCidrs: MANAGEMENT }],
    });

    expect(scopeNamed(template, 'production-government-network').MatchPaths).toEqual([
      { Source: { PacketHeaderStatement: { SourceAddresses: ['51.0.0.0/8'] } } },
    ]);
  });

  test('token ranges reach the template', () => {
    const { template } = build({
      governmentNetworkTraffic: [{
        domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
        governmentCidrs: Fn.split(',', Fn.importValue('GovernmentRanges')),
        allowedCidrs: [Fn.importValue('ManagementRange')],
      }],
    });

    expect(scopeNamed(template, 'production-government-network').ExcludePaths[0]).toEqual({
      Source: { PacketHeaderStatement: { SourceAddresses: { 'Fn::Split': [',', { 'Fn::ImportValue': 'GovernmentRanges' }] } } },
      Destination: { PacketHeaderStatement: { DestinationAddresses: [{ 'Fn::ImportValue': 'ManagementRange' }] } },
    });
  });
});

describe('tags and outputs', () => {
  test('each scope has a name and description', () => {
    const { template } = build({ businessApplicationCidrs: BENEFITS, egressFirewallArn: FIREWALL_ARN });

    expect(tagValue(scopeNamed(template, 'production-tier-isolation').Tags, 'Description'))
      .toMatch(/^Findings are paths between the production tier and the other tier.*tiers can reach each other/);
    expect(tagValue(scopeNamed(template, 'production-business-application-isolation').Tags, 'Description'))
      .toMatch(/business-application VPC of the production tier.*two deployed benefit VPCs can reach each other/);
    expect(tagValue(scopeNamed(template, 'production-internet-egress').Tags, 'Description'))
      .toMatch(/bypass the egress DMZ's Network Firewall.*reach the internet unfiltered/);
  });

  test('new scopes have a name and description', () => {
    const { template } = build({ ...INSPECTION, ...GOVERNMENT });

    expect(tagValue(scopeNamed(template, 'production-east-west-inspection').Tags, 'Description'))
      .toMatch(/^Findings are paths, in either direction, between ranges the production tier inspects east-west that bypass the inspection firewall/);
    expect(tagValue(scopeNamed(template, 'production-government-network').Tags, 'Description'))
      .toMatch(/^Findings are paths from a government-network DMZ's ranges to addresses the production tier's policy does not connect to that DMZ/);
  });

  test('description without firewall says no egress', () => {
    const { template } = build();

    expect(tagValue(scopeNamed(template, 'production-internet-egress').Tags, 'Description'))
      .toMatch(/The tier has no egress firewall, so any finding is internet access that should not exist/);
  });

  test('tag values fit the EC2 limit', () => {
    const longTier = 'a'.repeat(32);
    for (const egressFirewallArn of [undefined, FIREWALL_ARN]) {
      const { template } = build({ businessApplicationCidrs: BENEFITS, egressFirewallArn, ...INSPECTION, ...GOVERNMENT }, longTier);
      const values = Object.values(template.findResources(SCOPE_TYPE))
        .flatMap((resource) => resource.Properties.Tags.map((tag: { Value: string }) => tag.Value));

      expect(values).toHaveLength(10);
      // EC2 tag values are at most 256 characters.
      expect(Math.max(...values.map((value: string) => value.length))).toBeLessThanOrEqual(256);
    }
  });

  test('each scope ID is an output', () => {
    const { template } = build({ businessApplicationCidrs: BENEFITS, ...INSPECTION, ...GOVERNMENT });

    const outputs = template.findOutputs('*', {
      Description: Match.stringLikeRegexp('start-network-insights-access-scope-analysis'),
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'NetworkInsightsAccessScopeId'] },
    });
    const scopesByOutput = Object.values(outputs).map((output) => output.Value['Fn::GetAtt'][0]);

    expect(scopesByOutput.sort()).toEqual(Object.keys(template.findResources(SCOPE_TYPE)).sort());
    expect(Object.keys(outputs).sort()).toEqual([
      expect.stringMatching(/^ScopesBusinessApplicationIsolationScopeId/),
      expect.stringMatching(/^ScopesEastWestInspectionScopeId/),
      expect.stringMatching(/^ScopesGovernmentNetworkScopeId/),
      expect.stringMatching(/^ScopesInternetEgressScopeId/),
      expect.stringMatching(/^ScopesTierIsolationScopeId/),
    ]);
  });

  test('scope IDs are exposed', () => {
    const { scopes } = build({ businessApplicationCidrs: BENEFITS, ...INSPECTION, ...GOVERNMENT });

    expect(scopes.scopeIds).toEqual([
      scopes.tierIsolationScopeId,
      scopes.businessApplicationIsolationScopeId,
      scopes.internetEgressScopeId,
      scopes.eastWestInspectionScopeId,
      scopes.governmentNetworkScopeId,
    ]);
    expect(scopes.scopeIds.every((scopeId) => typeof scopeId === 'string')).toBe(true);
  });

  test('optional scope IDs are absent by default', () => {
    const { scopes } = build();

    expect(scopes.businessApplicationIsolationScopeId).toBeUndefined();
    expect(scopes.eastWestInspectionScopeId).toBeUndefined();
    expect(scopes.governmentNetworkScopeId).toBeUndefined();
    expect(scopes.scopeIds).toHaveLength(2);
  });
});

describe('validation', () => {
  test('missing hub is rejected', () => {
    expect(errorFor({ hub: undefined })).toMatch(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('object that is not a hub is rejected', () => {
    expect(errorFor({ hub: { tierName: 'production' } })).toMatch(/hub is .*which is not a transit hub/);
  });

  test('empty tier list is rejected', () => {
    expect(errorFor({ tierCidrs: [] })).toMatch(/tierCidrs is \[\]; pass a list of CIDR blocks, for example \["10\.64\.0\.0\/14"\]/);
  });

  test('missing other tier is rejected', () => {
    expect(errorFor({ otherTierCidrs: undefined })).toMatch(/otherTierCidrs is undefined; pass a list of CIDR blocks/);
  });

  test('invalid CIDR is rejected', () => {
    expect(errorFor({ tierCidrs: ['10.64.0.0/33'] })).toMatch(/tierCidrs\[0\] is "10\.64\.0\.0\/33", which is not an IPv4 CIDR block/);
  });

  test('host bits are rejected', () => {
    expect(errorFor({ otherTierCidrs: ['10.1.0.0/14'] })).toMatch(/otherTierCidrs\[0\] is "10\.1\.0\.0\/14", which has host bits set; use "10\.0\.0\.0\/14"/);
  });

  test('public range is rejected', () => {
    expect(errorFor({ otherTierCidrs: ['8.8.0.0/16'] })).toMatch(/otherTierCidrs\[0\] is "8\.8\.0\.0\/16", which is not a private range/);
  });

  test('overlapping tiers are rejected', () => {
    expect(errorFor({ otherTierCidrs: ['10.0.0.0/8'] }))
      .toMatch(/otherTierCidrs\[0\] "10\.0\.0\.0\/8" overlaps tierCidrs\[0\] "10\.64\.0\.0\/14"; the tiers must share no addresses/);
  });

  test('single business range is rejected', () => {
    expect(errorFor({ businessApplicationCidrs: ['10.64.16.0/20'] }))
      .toMatch(/businessApplicationCidrs is \["10\.64\.16\.0\/20"\]; list the ranges of at least two business-application VPCs/);
  });

  test('overlapping business ranges are rejected', () => {
    expect(errorFor({ businessApplicationCidrs: ['10.64.16.0/20', '10.64.16.0/24'] }))
      .toMatch(/businessApplicationCidrs\[1\] "10\.64\.16\.0\/24" overlaps businessApplicationCidrs\[0\] "10\.64\.16\.0\/20"; list each VPC's own range once/);
  });

  test('business range outside the tier is rejected', () => {
    expect(errorFor({ businessApplicationCidrs: ['10.64.16.0/20', '10.0.16.0/20'] }))
      .toMatch(/businessApplicationCidrs\[1\] "10\.0\.16\.0\/20" lies outside every range of tierCidrs/);
  });

  test('business list token is rejected', () => {
    expect(errorFor({ businessApplicationCidrs: Fn.split(',', Fn.importValue('Benefits')) }))
      .toMatch(/businessApplicationCidrs is a list token; pass a literal list/);
  });

  test('internet-facing business range is rejected', () => {
    expect(errorFor({ businessApplicationCidrs: BENEFITS, internetFacingCidrs: ['10.64.32.0/24'] }))
      .toMatch(/internetFacingCidrs\[0\] "10\.64\.32\.0\/24" overlaps businessApplicationCidrs\[1\] "10\.64\.32\.0\/20"/);
  });

  test('invalid firewall ARN is rejected', () => {
    expect(errorFor({ egressFirewallArn: 'production-egress' }))
      .toMatch(/egressFirewallArn is "production-egress", which is not the ARN of a Network Firewall firewall; pass EgressDmz\.firewallArn/);
  });

  test('every problem is listed at once', () => {
    const message = errorFor({ tierCidrs: ['10.64.0.0/33'], otherTierCidrs: ['8.8.0.0/16'], egressFirewallArn: 'x' });

    expect(message).toMatch(/^Invalid SegmentationScopes props at Network\/Scopes:/);
    expect(message.split('\n  - ')).toHaveLength(4);
  });

  test('inspected pairs without firewall are rejected', () => {
    expect(errorFor({ inspectedPairs: INSPECTION.inspectedPairs }))
      .toMatch(/inspectionFirewallArn is undefined, but inspectedPairs is set; pass EastWestInspection\.firewallArn/);
  });

  test('firewall without inspected pairs is rejected', () => {
    expect(errorFor({ inspectionFirewallArn: INSPECTION_ARN }))
      .toMatch(/inspectedPairs is undefined, but inspectionFirewallArn is set; list the ranges whose traffic the firewall inspects/);
  });

  test('invalid inspection firewall ARN is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectionFirewallArn: 'arn:aws:network-firewall:eu-west-2:111111111111:firewall-policy/east-west' }))
      .toMatch(/inspectionFirewallArn is "arn:aws:network-firewall:eu-west-2:111111111111:firewall-policy\/east-west", which is not the ARN of a Network Firewall firewall; pass EastWestInspection\.firewallArn/);
  });

  test('egress firewall as inspection firewall is rejected', () => {
    expect(errorFor({ ...INSPECTION, egressFirewallArn: FIREWALL_ARN, inspectionFirewallArn: FIREWALL_ARN }))
      .toMatch(/inspectionFirewallArn is "arn:aws:network-firewall:eu-west-2:111111111111:firewall\/production-egress", the same as egressFirewallArn; pass the east-west inspection firewall/);
  });

  test('inspected pairs list token is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: Fn.split(',', Fn.importValue('Pairs')) }))
      .toMatch(/inspectedPairs is a list token; pass a literal list/);
  });

  test('empty inspected pairs are rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [] }))
      .toMatch(/inspectedPairs is \[\]; pass a list such as \[\{ cidrs: \["10\.64\.0\.0\/20"\], peerCidrs: \["10\.64\.16\.0\/20"\] \}\]/);
  });

  test('inspected pair that is no object is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: ['10.64.0.0/20'] }))
      .toMatch(/inspectedPairs\[0\] is "10\.64\.0\.0\/20"; pass \{ cidrs, peerCidrs \}/);
  });

  test('pair without cidrs is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ peerCidrs: BENEFITS }] }))
      .toMatch(/inspectedPairs\[0\]\.cidrs is undefined; pass a list of CIDR blocks/);
  });

  test('single range inside one domain is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ cidrs: MANAGEMENT }] }))
      .toMatch(/inspectedPairs\[0\]\.cidrs is \["10\.64\.0\.0\/20"\] and peerCidrs is undefined; list the ranges of at least two VPCs of the domain/);
  });

  test('list token inside one domain is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ cidrs: Fn.split(',', Fn.importValue('Management')) }] }))
      .toMatch(/inspectedPairs\[0\]\.cidrs is a list token and peerCidrs is undefined; pass a literal list/);
  });

  test('overlapping ranges inside one domain are rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ cidrs: ['10.64.0.0/20', '10.64.0.0/22'] }] }))
      .toMatch(/inspectedPairs\[0\]\.cidrs\[1\] "10\.64\.0\.0\/22" overlaps inspectedPairs\[0\]\.cidrs\[0\] "10\.64\.0\.0\/20"; list each VPC's own range once/);
  });

  test('overlapping sides of a pair are rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ cidrs: ['10.64.0.0/18'], peerCidrs: BENEFITS }] }))
      .toMatch(/inspectedPairs\[0\]\.peerCidrs\[0\] "10\.64\.16\.0\/20" overlaps inspectedPairs\[0\]\.cidrs\[0\] "10\.64\.0\.0\/18"; the two sides of a pair must share no addresses/);
  });

  test('inspected range outside the tier is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ cidrs: ['10.0.0.0/20'], peerCidrs: BENEFITS }] }))
      .toMatch(/inspectedPairs\[0\]\.cidrs\[0\] "10\.0\.0\.0\/20" lies outside every range of tierCidrs/);
  });

  test('invalid inspected range is rejected', () => {
    expect(errorFor({ ...INSPECTION, inspectedPairs: [{ cidrs: MANAGEMENT, peerCidrs: ['10.64.16.1/20'] }] }))
      .toMatch(/inspectedPairs\[0\]\.peerCidrs\[0\] is "10\.64\.16\.1\/20", which has host bits set; use "10\.64\.16\.0\/20"/);
  });

  test('government list token is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: Fn.split(',', Fn.importValue('Government')) }))
      .toMatch(/governmentNetworkTraffic is a list token; pass a literal list/);
  });

  test('empty government list is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: [] }))
      .toMatch(/governmentNetworkTraffic is \[\]; pass a list such as \[\{ domain: RoutingDomain\.GOVERNMENT_NETWORK_MANAGEMENT_DMZ/);
  });

  test('government entry that is no object is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: [RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ] }))
      .toMatch(/governmentNetworkTraffic\[0\] is "government-network-management-dmz"; pass \{ domain, governmentCidrs, allowedCidrs \}/);
  });

  test('domain that is no government DMZ is rejected', () => {
    const entry = { ...GOVERNMENT.governmentNetworkTraffic[0], domain: RoutingDomain.INTERNET_DMZ };

    expect(errorFor({ governmentNetworkTraffic: [entry] }))
      .toMatch(/governmentNetworkTraffic\[0\]\.domain is "internet-dmz", which is not a government-network DMZ domain; use "government-network-management-dmz" or "government-network-business-dmz"/);
  });

  test('repeated government DMZ is rejected', () => {
    const management = GOVERNMENT.governmentNetworkTraffic[0];

    expect(errorFor({ governmentNetworkTraffic: [management, { ...management, governmentCidrs: GOVERNMENT_BUSINESS }] }))
      .toMatch(/governmentNetworkTraffic\[1\]\.domain is "government-network-management-dmz", the same as governmentNetworkTraffic\[0\]\.domain; list each government-network DMZ once/);
  });

  test('government range inside the tier is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: [{ ...GOVERNMENT.governmentNetworkTraffic[0], governmentCidrs: ['10.64.0.0/12'] }] }))
      .toMatch(/governmentNetworkTraffic\[0\]\.governmentCidrs\[0\] "10\.64\.0\.0\/12" overlaps tierCidrs\[0\] "10\.64\.0\.0\/14"; government-network ranges must lie outside the tier/);
  });

  test('government range inside the other tier is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: [{ ...GOVERNMENT.governmentNetworkTraffic[0], governmentCidrs: ['10.0.0.0/12'] }] }))
      .toMatch(/governmentNetworkTraffic\[0\]\.governmentCidrs\[0\] "10\.0\.0\.0\/12" overlaps otherTierCidrs\[0\] "10\.0\.0\.0\/14"; government-network ranges must lie outside both tiers/);
  });

  test('government range used by both DMZs is rejected', () => {
    const [management, business] = GOVERNMENT.governmentNetworkTraffic;

    expect(errorFor({ governmentNetworkTraffic: [management, { ...business, governmentCidrs: ['10.16.0.0/16'] }] }))
      .toMatch(/governmentNetworkTraffic\[1\]\.governmentCidrs\[0\] "10\.16\.0\.0\/16" overlaps governmentNetworkTraffic\[0\]\.governmentCidrs\[0\] "10\.16\.0\.0\/13"; the scope distinguishes the DMZs by source address only/);
  });

  test('invalid government range is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: [{ ...GOVERNMENT.governmentNetworkTraffic[0], governmentCidrs: ['government'] }] }))
      .toMatch(/governmentNetworkTraffic\[0\]\.governmentCidrs\[0\] is "government", which is not an IPv4 CIDR block/);
  });

  test('missing allowed ranges are rejected', () => {
    const entry = { domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, governmentCidrs: GOVERNMENT_MANAGEMENT };

    expect(errorFor({ governmentNetworkTraffic: [entry] }))
      .toMatch(/governmentNetworkTraffic\[0\]\.allowedCidrs is undefined; pass a list of CIDR blocks, for example \["10\.64\.0\.0\/20"\]/);
  });

  test('allowed range outside the tier is rejected', () => {
    expect(errorFor({ governmentNetworkTraffic: [{ ...GOVERNMENT.governmentNetworkTraffic[0], allowedCidrs: ['10.0.0.0/20'] }] }))
      .toMatch(/governmentNetworkTraffic\[0\]\.allowedCidrs\[0\] "10\.0\.0\.0\/20" lies outside every range of tierCidrs/);
  });

  test('new props list every problem at once', () => {
    const message = errorFor({
      inspectedPairs: [{ cidrs: MANAGEMENT }],
      governmentNetworkTraffic: [{ domain: 'management', governmentCidrs: ['10.64.0.0/16'], allowedCidrs: [] }],
    });

    expect(message).toMatch(/^Invalid SegmentationScopes props at Network\/Scopes:/);
    // The missing firewall, the single range, the domain, the overlap with the tier and the empty allowed list.
    expect(message.split('\n  - ')).toHaveLength(6);
  });

  test('token entries are accepted', () => {
    const { template } = build({ tierCidrs: [Fn.importValue('TierSupernet')], otherTierCidrs: Fn.split(',', Fn.importValue('OtherTier')) });

    template.resourceCountIs(SCOPE_TYPE, 2);
  });
});
