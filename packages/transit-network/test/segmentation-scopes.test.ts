import { App, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SegmentationScopes, SegmentationScopesProps, TransitHub } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const TIER = ['10.64.0.0/14'];
const OTHER_TIER = ['10.0.0.0/14'];
const BENEFITS = ['10.64.16.0/20', '10.64.32.0/20', '10.64.48.0/20'];
const FIREWALL_ARN = 'arn:aws:network-firewall:eu-west-2:111111111111:firewall/production-egress';
const SCOPE_TYPE = 'AWS::EC2::NetworkInsightsAccessScope';

type Overrides = Partial<Omit<SegmentationScopesProps, 'hub'>>;

function build(overrides: Overrides = {}, tierName = 'production'): { scopes: SegmentationScopes; template: Template } {
  const app = new App();
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName });
  const scopes = new SegmentationScopes(stack, 'Scopes', { hub, tierCidrs: TIER, otherTierCidrs: OTHER_TIER, ...overrides });
  return { scopes, template: Template.fromStack(stack) };
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

  test('description without firewall says no egress', () => {
    const { template } = build();

    expect(tagValue(scopeNamed(template, 'production-internet-egress').Tags, 'Description'))
      .toMatch(/The tier has no egress firewall, so any finding is internet access that should not exist/);
  });

  test('tag values fit the EC2 limit', () => {
    const longTier = 'a'.repeat(32);
    for (const egressFirewallArn of [undefined, FIREWALL_ARN]) {
      const { template } = build({ businessApplicationCidrs: BENEFITS, egressFirewallArn }, longTier);
      const values = Object.values(template.findResources(SCOPE_TYPE))
        .flatMap((resource) => resource.Properties.Tags.map((tag: { Value: string }) => tag.Value));

      expect(values).toHaveLength(6);
      // EC2 tag values are at most 256 characters.
      expect(Math.max(...values.map((value: string) => value.length))).toBeLessThanOrEqual(256);
    }
  });

  test('each scope ID is an output', () => {
    const { template } = build({ businessApplicationCidrs: BENEFITS });

    const outputs = template.findOutputs('*', {
      Description: Match.stringLikeRegexp('start-network-insights-access-scope-analysis'),
      Value: { 'Fn::GetAtt': [Match.anyValue(), 'NetworkInsightsAccessScopeId'] },
    });
    const scopesByOutput = Object.values(outputs).map((output) => output.Value['Fn::GetAtt'][0]);

    expect(scopesByOutput.sort()).toEqual(Object.keys(template.findResources(SCOPE_TYPE)).sort());
    expect(Object.keys(outputs).sort()).toEqual([
      expect.stringMatching(/^ScopesBusinessApplicationIsolationScopeId/),
      expect.stringMatching(/^ScopesInternetEgressScopeId/),
      expect.stringMatching(/^ScopesTierIsolationScopeId/),
    ]);
  });

  test('scope IDs are exposed', () => {
    const { scopes } = build({ businessApplicationCidrs: BENEFITS });

    expect(scopes.scopeIds).toEqual([scopes.tierIsolationScopeId, scopes.businessApplicationIsolationScopeId, scopes.internetEgressScopeId]);
  });

  test('business scope ID is absent by default', () => {
    const { scopes } = build();

    expect(scopes.businessApplicationIsolationScopeId).toBeUndefined();
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

  test('token entries are accepted', () => {
    const { template } = build({ tierCidrs: [Fn.importValue('TierSupernet')], otherTierCidrs: Fn.split(',', Fn.importValue('OtherTier')) });

    template.resourceCountIs(SCOPE_TYPE, 2);
  });
});
