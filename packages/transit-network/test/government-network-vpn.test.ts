import { App, Aspects, Stack, aws_kms as kms, aws_logs as logs, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  EgressDmz, GovernmentNetworkDirectConnect, GovernmentNetworkVpn, GovernmentNetworkVpnProps, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub,
  VpnRouting,
} from '../src';
import { DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES, keyPolicyStatements } from './support/key-policy';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const GATEWAYS = [
  { name: 'gsi-london-1', ipAddress: '203.0.113.10', bgpAsn: 65010 },
  { name: 'gsi-london-2', ipAddress: '203.0.113.20', bgpAsn: 65010 },
];

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly hub: TransitHub;
}

function fixture(app = new App(), routingPolicy?: RoutingPolicy, env: { account?: string; region?: string } = ENV): Fixture {
  const stack = new Stack(app, 'Network', { env });
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production', routingPolicy });
  return { app, stack, hub };
}

function baseProps(f: Fixture): GovernmentNetworkVpnProps {
  return { hub: f.hub, domain: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ, customerGateways: GATEWAYS, routing: VpnRouting.BGP };
}

interface Built {
  readonly f: Fixture;
  readonly vpn: GovernmentNetworkVpn;
  readonly template: Template;
}

function build(overrides: (f: Fixture) => Partial<GovernmentNetworkVpnProps> = () => ({}), f: Fixture = fixture()): Built {
  const vpn = new GovernmentNetworkVpn(f.stack, 'GovernmentVpn', { ...baseProps(f), ...overrides(f) });
  return { f, vpn, template: Template.fromStack(f.stack) };
}

/** Builds the VPN with the base props overridden (possibly with invalid values) and returns the error it throws. */
function errorFor(overrides: (f: Fixture) => Record<string, unknown>, f: Fixture = fixture()): string {
  try {
    new GovernmentNetworkVpn(f.stack, 'GovernmentVpn', { ...baseProps(f), ...overrides(f) } as unknown as GovernmentNetworkVpnProps);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('GovernmentNetworkVpn accepted the props');
}

/** Returns the name of the only log group in a template. */
function logGroupNameIn(template: Template): string {
  const [logGroup] = Object.values(template.findResources('AWS::Logs::LogGroup'));
  return logGroup.Properties.LogGroupName;
}

/** Returns the ARN of a log group in the test environment, as the template writes it. */
function logGroupArn(logGroupName: string): unknown {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-2:111111111111:log-group:${logGroupName}`]] };
}

/** Adds a spoke VPC to the fixture's hub. */
function addSpoke(f: Fixture, id: string, domain: RoutingDomain, cidr: string): SpokeVpc {
  return new SpokeVpc(f.stack, id, {
    hub: f.hub,
    domain,
    vpcName: id.toLowerCase(),
    cidr,
    flowLogBucket: s3.Bucket.fromBucketName(f.stack, `${id}Logs`, 'example-log-archive'),
    sessionManagerEndpoints: false,
  });
}

/** Adds a Direct Connect link in the management DMZ that advertises the given prefixes. */
function addDirectConnect(f: Fixture, allowedPrefixes: string[]): GovernmentNetworkDirectConnect {
  return new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', {
    hub: f.hub,
    domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ,
    connectionId: 'dxcon-fgabc123',
    vlan: 101,
    amazonSideAsn: 64601,
    customerAsn: 65020,
    allowedPrefixes,
  });
}

/** Synthesises the fixture's app and returns the error it throws, or undefined if it synthesises. */
function synthError(f: Fixture): string | undefined {
  try {
    f.app.synth();
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}

const STATIC_MANAGEMENT = { domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, routing: VpnRouting.STATIC };

function warnings(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((warning) => String(warning.entry.data));
}

function routeTable(f: Fixture, domain: RoutingDomain): unknown {
  return f.stack.resolve(f.hub.routeTableId(domain));
}

function attachment(f: Fixture, vpn: GovernmentNetworkVpn, index: number): unknown {
  return f.stack.resolve(vpn.attachmentIds[index]);
}

const SECURE_TUNNEL = {
  IKEVersions: [{ Value: 'ikev2' }],
  Phase1EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }, { Value: 'AES256' }],
  Phase2EncryptionAlgorithms: [{ Value: 'AES256-GCM-16' }, { Value: 'AES256' }],
  Phase1IntegrityAlgorithms: [{ Value: 'SHA2-384' }, { Value: 'SHA2-512' }],
  Phase2IntegrityAlgorithms: [{ Value: 'SHA2-384' }, { Value: 'SHA2-512' }],
  Phase1DHGroupNumbers: [{ Value: 20 }, { Value: 21 }],
  Phase2DHGroupNumbers: [{ Value: 20 }, { Value: 21 }],
  Phase1LifetimeSeconds: 28800,
  Phase2LifetimeSeconds: 3600,
  DPDTimeoutAction: 'restart',
  StartupAction: 'start',
  LogOptions: { CloudwatchLogOptions: { LogEnabled: true, LogOutputFormat: 'json', LogGroupArn: Match.anyValue() } },
};

describe('GovernmentNetworkVpn defaults', () => {
  test('each device gets a customer gateway', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::CustomerGateway', 2);
    template.hasResourceProperties('AWS::EC2::CustomerGateway', {
      Type: 'ipsec.1',
      IpAddress: '203.0.113.10',
      BgpAsn: 65010,
      DeviceName: 'production-government-network-business-dmz-gsi-london-1',
      Tags: [{ Key: 'Name', Value: 'production-government-network-business-dmz-gsi-london-1' }],
    });
  });

  test('each device gets a BGP connection on the hub', () => {
    const { f, template } = build();

    template.resourceCountIs('AWS::EC2::VPNConnection', 2);
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      Type: 'ipsec.1',
      TransitGatewayId: f.stack.resolve(f.hub.transitGatewayId),
      StaticRoutesOnly: false,
      PreSharedKeyStorage: 'SecretsManager',
    });
  });

  test('both tunnels use the secure settings', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      VpnTunnelOptionsSpecifications: [SECURE_TUNNEL, SECURE_TUNNEL],
    });
  });

  test('tunnel logs go to the encrypted log group', () => {
    const { template } = build();
    const logGroupName = logGroupNameIn(template);

    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/ssd-platform/site-to-site-vpn/'),
      RetentionInDays: 365,
      KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GovernmentVpnLogKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      VpnTunnelOptionsSpecifications: Match.arrayWith([Match.objectLike({
        LogOptions: { CloudwatchLogOptions: { LogGroupArn: logGroupArn(logGroupName) } },
      })]),
    });
  });

  test('new key lets only AWS services create grants', () => {
    const { template } = build();

    const statements = Object.values(keyPolicyStatements(template));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContainEqual(DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES);
  });

  test('log key rotates and admits CloudWatch Logs', () => {
    const { template } = build();
    const logGroupName = logGroupNameIn(template);

    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(logGroupName) } },
        })]),
      },
    });
  });

  test('attachment ID is looked up by connection', () => {
    const { f, vpn, template } = build();

    template.resourceCountIs('Custom::VpnAttachmentLookup', 2);
    const lookups = template.findResources('Custom::VpnAttachmentLookup');
    // The SDK call is stored as JSON text joined with references, so compare its text with quotes removed.
    const create = JSON.stringify(Object.values(lookups)[0].Properties.Create).replace(/\\*"/g, '');
    const connectionId = f.stack.resolve(vpn.vpnConnectionIds[0]).Ref;
    expect(create).toMatch(/action:describeTransitGatewayAttachments/);
    expect(create).toContain(`Name:resource-id,Values:[,{Ref:${connectionId}}`);
    expect(create).toContain('Name:resource-type,Values:[vpn]');
    expect(create).toContain('physicalResourceId:{responsePath:TransitGatewayAttachments.0.TransitGatewayAttachmentId}');
  });

  test('lookup policy allows only the describe action', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ec2:DescribeTransitGatewayAttachments', Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('attachments join the given government-network DMZ', () => {
    const { f, vpn, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 2);
    for (const index of [0, 1]) {
      template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
        TransitGatewayAttachmentId: attachment(f, vpn, index),
        TransitGatewayRouteTableId: routeTable(f, RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ),
      });
    }
  });

  test('attachments propagate only to policy peers', () => {
    const { f, vpn, template } = build();

    const propagations = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .filter((resource) => JSON.stringify(resource.Properties.TransitGatewayAttachmentId) === JSON.stringify(attachment(f, vpn, 0)))
      .map((resource) => JSON.stringify(resource.Properties.TransitGatewayRouteTableId));
    expect(propagations).toEqual([JSON.stringify(routeTable(f, RoutingDomain.BUSINESS_APPLICATION))]);
  });

  test('BGP adds no static routes', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 0);
  });

  test('two devices raise no warning', () => {
    const { f } = build();

    expect(warnings(f.stack, 'ssd-platform')).toEqual([]);
  });

  test('exposes IDs in device order', () => {
    const { f, vpn } = build();

    expect(vpn.vpnConnectionIds).toHaveLength(2);
    expect(vpn.attachmentIds).toHaveLength(2);
    expect(f.stack.resolve(vpn.vpnConnectionIds[0]).Ref).toMatch(/^GovernmentVpngsilondon1/);
  });
});

describe('GovernmentNetworkVpn overrides', () => {
  test('static routing sets StaticRoutesOnly', () => {
    const { template } = build(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] }));

    template.hasResourceProperties('AWS::EC2::VPNConnection', { StaticRoutesOnly: true });
  });

  test('static routes go to each peer domain', () => {
    const { f, vpn, template } = build(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16', '172.31.0.0/16'] }));

    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 2);
    for (const domain of [RoutingDomain.BUSINESS_APPLICATION]) {
      for (const cidr of ['10.200.0.0/16', '172.31.0.0/16']) {
        template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', {
          DestinationCidrBlock: cidr,
          TransitGatewayRouteTableId: routeTable(f, domain),
          TransitGatewayAttachmentId: attachment(f, vpn, 0),
        });
      }
    }
  });

  test('a management VPN routes only to management', () => {
    const f = fixture();
    const { template } = build(() => ({ domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] }), f);

    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', { TransitGatewayRouteTableId: routeTable(f, RoutingDomain.MANAGEMENT) });
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayRouteTableId: routeTable(f, RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ),
    });
  });

  test('static routes follow a custom policy', () => {
    const policy = new RoutingPolicy({
      connections: [{ domain: RoutingDomain.SHARED_SERVICES, peer: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ }],
    });
    const f = fixture(new App(), policy);
    const { template } = build(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] }), f);

    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRoute', { TransitGatewayRouteTableId: routeTable(f, RoutingDomain.SHARED_SERVICES) });
  });

  test('static routing without ASN uses 65000', () => {
    const { template } = build(() => ({
      routing: VpnRouting.STATIC,
      staticRoutes: ['10.200.0.0/16'],
      customerGateways: [{ name: 'gsi-london-1', ipAddress: '203.0.113.10' }, { name: 'gsi-london-2', ipAddress: '203.0.113.20' }],
    }));

    template.hasResourceProperties('AWS::EC2::CustomerGateway', { BgpAsn: 65000 });
  });

  test('static routing with two devices warns', () => {
    const { f } = build(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] }));

    expect(warnings(f.stack, 'governmentVpnStaticRoutingNoFailover')).toEqual([
      expect.stringMatching(/goes through the first customer gateway \(gsi-london-1\) only/),
    ]);
  });

  test('one device warns', () => {
    const { f } = build(() => ({ customerGateways: [GATEWAYS[0]] }));

    expect(warnings(f.stack, 'governmentVpnSingleCustomerGateway')).toEqual([
      expect.stringMatching(/has one customer gateway \(gsi-london-1\).*Add a second device/),
    ]);
  });

  test('large ASN goes in BgpAsnExtended', () => {
    const { template } = build(() => ({ customerGateways: [{ ...GATEWAYS[0], bgpAsn: 4200000001 }, GATEWAYS[1]] }));

    template.hasResourceProperties('AWS::EC2::CustomerGateway', { BgpAsnExtended: 4200000001, BgpAsn: Match.absent() });
  });

  test('more devices than the VPN connection quota warn', () => {
    const customerGateways = Array.from({ length: 51 }, (_, index) => ({ name: `gsi-${index}`, ipAddress: `203.0.113.${index + 1}`, bgpAsn: 65010 }));
    const { f } = build(() => ({ customerGateways }));

    expect(warnings(f.stack, 'governmentVpnConnectionQuota')).toEqual([
      expect.stringMatching(/^customerGateways has 51 devices, one VPN connection each, more than the default quota of 50 Site-to-Site VPN connections/),
    ]);
  });

  test('50 devices raise no quota warning', () => {
    const customerGateways = Array.from({ length: 50 }, (_, index) => ({ name: `gsi-${index}`, ipAddress: `203.0.113.${index + 1}`, bgpAsn: 65010 }));
    const { f } = build(() => ({ customerGateways }));

    expect(warnings(f.stack, 'governmentVpnConnectionQuota')).toEqual([]);
  });

  test('domain the policy connects to nothing warns', () => {
    const policy = new RoutingPolicy({ connections: [{ domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.SHARED_SERVICES }] });
    const { f } = build(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] }), fixture(new App(), policy));

    expect(warnings(f.stack, 'attachmentDomainUnconnected')).toEqual([
      expect.stringMatching(/^The attachment is placed in the government-network-business-dmz domain, which the routing policy of transit hub Network\/Hub connects to no domain/),
      expect.stringMatching(/^The attachment is placed in the government-network-business-dmz domain/),
    ]);
  });

  test('log retention is applied', () => {
    const { template } = build(() => ({ logRetention: logs.RetentionDays.TWO_YEARS }));

    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  test('given key encrypts the log', () => {
    const { f, vpn, template } = build((fx) => ({ encryptionKey: new kms.Key(fx.stack, 'OwnKey', { enableKeyRotation: true }) }));

    expect(vpn.encryptionKey.node.path).toBe('Network/OwnKey');
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OwnKey'), 'Arn'] } });
    expect(warnings(f.stack, 'governmentVpnLogKeyPolicy')).toEqual([]);
  });

  test('imported key warns with the statement', () => {
    const { f } = build((fx) => ({ encryptionKey: kms.Key.fromKeyArn(fx.stack, 'Imported', 'arn:aws:kms:eu-west-2:111111111111:key/11111111-1111-1111-1111-111111111111') }));

    expect(warnings(f.stack, 'governmentVpnLogKeyPolicy')).toEqual([expect.stringMatching(/Add this statement to the key policy: .*logs\.eu-west-2\.amazonaws\.com/)]);
  });
});

describe('GovernmentNetworkVpn cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const app = new App({ context: { ...RECOMMENDED_FEATURE_FLAGS, '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const f = fixture(app);
    new GovernmentNetworkVpn(f.stack, 'GovernmentVpn', { ...baseProps(f), routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] });
    Aspects.of(app).add(new AwsSolutionsChecks());
    Aspects.of(app).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(f.stack).findError('*', Match.anyValue());
    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});

describe('GovernmentNetworkVpn validation', () => {
  test('all problems are reported in one error', () => {
    const message = errorFor(() => ({ routing: 'ospf', customerGateways: [{ name: 'GSI', ipAddress: '10.0.0.1' }] }));

    expect(message).toMatch(/^Invalid GovernmentNetworkVpn props at Network\/GovernmentVpn:/);
    expect(message).toMatch(/routing is "ospf"; use VpnRouting.BGP or VpnRouting.STATIC/);
    expect(message).toMatch(/customerGateways\[0\]\.name is "GSI"/);
    expect(message).toMatch(/customerGateways\[0\]\.ipAddress is "10\.0\.0\.1", a private address/);
  });

  test('missing hub is rejected', () => {
    expect(errorFor(() => ({ hub: undefined }))).toMatch(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('a domain outside the government network is rejected', () => {
    expect(errorFor(() => ({ domain: RoutingDomain.MANAGEMENT }))).toMatch(
      /domain is "management"; the VPN lands in a government-network DMZ domain: use RoutingDomain\.GOVERNMENT_NETWORK_MANAGEMENT_DMZ for administration traffic/);
  });

  test('a missing domain is rejected', () => {
    expect(errorFor(() => ({ domain: undefined }))).toMatch(/domain is undefined; the VPN lands in a government-network DMZ domain/);
  });

  test('non-hub is rejected', () => {
    expect(errorFor(() => ({ hub: 'tgw-0123456789abcdef0' }))).toMatch(/hub is "tgw-0123456789abcdef0", which is not a transit hub/);
  });

  test('imported hub is rejected', () => {
    const message = errorFor((f) => ({
      hub: TransitHub.fromTransitHubAttributes(f.stack, 'Imported', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' }),
    }));

    expect(message).toMatch(/hub is the imported transit hub "tgw-0123456789abcdef0" .*create the VPN in that account/);
  });

  test('hub in another account is rejected', () => {
    const app = new App();
    const hubStack = new Stack(app, 'HubStack', { env: { account: '222222222222', region: 'eu-west-2' } });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });
    const f = fixture(app);

    expect(errorFor(() => ({ hub }), f)).toMatch(/hub is in account 222222222222 but the VPN's stack is in 111111111111/);
  });

  test('hub in another region is rejected', () => {
    const app = new App();
    const hubStack = new Stack(app, 'HubStack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });
    const f = fixture(app);

    expect(errorFor(() => ({ hub }), f)).toMatch(/hub is in region eu-west-1 but the VPN's stack is in eu-west-2/);
  });

  test.each([
    ['missing', undefined],
    ['empty', []],
  ])('%s customerGateways is rejected', (_kind, customerGateways) => {
    expect(errorFor(() => ({ customerGateways }))).toMatch(/customerGateways is (undefined|\[\]); pass one entry for each government-side VPN device/);
  });

  test('non-object gateway is rejected', () => {
    expect(errorFor(() => ({ customerGateways: ['203.0.113.10'] }))).toMatch(/customerGateways\[0\] is "203\.0\.113\.10"; pass an object/);
  });

  test.each(['GSI-1', '1-gsi', 'gsi--1', 'gsi-', 'g'.repeat(33)])('gateway name %s is rejected', (name) => {
    expect(errorFor(() => ({ customerGateways: [{ ...GATEWAYS[0], name }, GATEWAYS[1]] })))
      .toMatch(/customerGateways\[0\]\.name is ".*"; use 1 to 32 lower-case letters, digits and single hyphens/);
  });

  test('duplicate gateway name is rejected', () => {
    expect(errorFor(() => ({ customerGateways: [GATEWAYS[0], { ...GATEWAYS[1], name: 'gsi-london-1' }] })))
      .toMatch(/customerGateways\[1\]\.name is "gsi-london-1", the same as customerGateways\[0\]\.name/);
  });

  test.each([
    ['not an address', '203.0.113', /which is not an IPv4 address in dotted-decimal form/],
    ['an RFC 1918 address', '192.168.1.1', /a private address that the VPN endpoints cannot reach/],
    ['a shared address', '100.64.0.1', /a private address/],
    ['a loopback address', '127.0.0.1', /in 127\.0\.0\.0\/8, the loopback range/],
    ['a link-local address', '169.254.10.1', /in 169\.254\.0\.0\/16, the link-local range/],
    ['a multicast address', '224.0.0.5', /in 224\.0\.0\.0\/4, the multicast range/],
  ])('ipAddress that is %s is rejected', (_kind, ipAddress, message) => {
    const error = errorFor(() => ({ customerGateways: [{ ...GATEWAYS[0], ipAddress }, GATEWAYS[1]] }));

    expect(error).toMatch(/customerGateways\[0\]\.ipAddress is /);
    expect(error).toMatch(message);
  });

  test('duplicate ipAddress is rejected', () => {
    expect(errorFor(() => ({ customerGateways: [GATEWAYS[0], { ...GATEWAYS[1], ipAddress: '203.0.113.10' }] })))
      .toMatch(/customerGateways\[1\]\.ipAddress is "203\.0\.113\.10", the same as customerGateways\[0\]\.ipAddress/);
  });

  test('missing ASN with BGP is rejected', () => {
    expect(errorFor(() => ({ customerGateways: [{ name: 'gsi-london-1', ipAddress: '203.0.113.10' }, GATEWAYS[1]] })))
      .toMatch(/customerGateways\[0\]\.bgpAsn is undefined; with VpnRouting.BGP, give the device's ASN/);
  });

  test.each([0, -1, 4294967295, 65000.5])('ASN %s is rejected', (bgpAsn) => {
    expect(errorFor(() => ({ customerGateways: [{ ...GATEWAYS[0], bgpAsn }, GATEWAYS[1]] })))
      .toMatch(/customerGateways\[0\]\.bgpAsn is .*; use an ASN from 1 to 4294967294/);
  });

  test('ASN 7224 is rejected', () => {
    expect(errorFor(() => ({ customerGateways: [{ ...GATEWAYS[0], bgpAsn: 7224 }, GATEWAYS[1]] })))
      .toMatch(/customerGateways\[0\]\.bgpAsn is 7224, which AWS reserves for Site-to-Site VPN in every region/);
  });

  test('ASN 9059 is rejected in eu-west-1', () => {
    const f = fixture(new App(), undefined, { account: '111111111111', region: 'eu-west-1' });

    expect(errorFor(() => ({ customerGateways: [{ ...GATEWAYS[0], bgpAsn: 9059 }, GATEWAYS[1]] }), f))
      .toMatch(/bgpAsn is 9059, which AWS reserves for Site-to-Site VPN in eu-west-1/);
  });

  test('ASN 9059 is accepted in eu-west-2', () => {
    const { template } = build(() => ({ customerGateways: [{ ...GATEWAYS[0], bgpAsn: 9059 }, GATEWAYS[1]] }));

    template.hasResourceProperties('AWS::EC2::CustomerGateway', { BgpAsn: 9059 });
  });

  test('ASN equal to the hub ASN is rejected', () => {
    expect(errorFor(() => ({ customerGateways: [{ ...GATEWAYS[0], bgpAsn: 64512 }, GATEWAYS[1]] })))
      .toMatch(/customerGateways\[0\]\.bgpAsn is 64512, the same as the hub's Amazon-side ASN/);
  });

  test('staticRoutes with BGP is rejected', () => {
    expect(errorFor(() => ({ staticRoutes: ['10.200.0.0/16'] })))
      .toMatch(/staticRoutes is \["10\.200\.0\.0\/16"\], but routing is VpnRouting.BGP/);
  });

  test('STATIC without staticRoutes is rejected', () => {
    expect(errorFor(() => ({ routing: VpnRouting.STATIC })))
      .toMatch(/staticRoutes is undefined; with VpnRouting.STATIC, list the government network's private ranges/);
  });

  test.each([
    ['not a CIDR block', '10.200.0.0', /staticRoutes\[0\] is "10\.200\.0\.0", which is not an IPv4 CIDR block/],
    ['with host bits', '10.200.1.0/16', /staticRoutes\[0\] is "10\.200\.1\.0\/16", which has host bits set; use "10\.200\.0\.0\/16"/],
    ['public', '8.8.8.0/24', /staticRoutes\[0\] is "8\.8\.8\.0\/24", which is not inside 10\.0\.0\.0\/8/],
    ['the default route', '0.0.0.0/0', /staticRoutes\[0\] is "0\.0\.0\.0\/0", which is not inside/],
  ])('static route %s is rejected', (_kind, cidr, message) => {
    expect(errorFor(() => ({ routing: VpnRouting.STATIC, staticRoutes: [cidr] }))).toMatch(message);
  });

  test('duplicate static route is rejected', () => {
    expect(errorFor(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16', '10.200.0.0/16'] })))
      .toMatch(/staticRoutes\[1\] is "10\.200\.0\.0\/16", the same range as staticRoutes\[0\]/);
  });

  test('static route already in the hub is rejected', () => {
    const f = fixture();
    f.hub.addBlackholeRoute('Existing', RoutingDomain.BUSINESS_APPLICATION, '10.200.0.0/16');

    expect(errorFor(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.200.0.0/16'] }), f))
      .toMatch(/staticRoutes: destinationCidr "10\.200\.0\.0\/16" already has a blackhole route in the business-application route table/);
  });

  test('static route clashing with the egress DMZ is rejected', () => {
    const f = fixture();
    new EgressDmz(f.stack, 'Egress', {
      hub: f.hub,
      cidr: '10.0.255.0/24',
      internalCidrs: ['10.0.0.0/12'],
      logBucket: s3.Bucket.fromBucketName(f.stack, 'Logs', 'example-log-archive'),
      allowedDomains: ['.service.gov.uk'],
      availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'],
    });

    expect(errorFor(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.0.0.0/12'] }), f))
      .toMatch(/already has a blackhole route in the business-application route table .* added by Network\/Egress/);
  });

  test('customerGateways with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    const error = errorFor(() => ({ customerGateways: [, GATEWAYS[1]] }));

    expect(error).toMatch(/customerGateways\[0\] is missing \(the list has a hole\); remove the extra comma or give the entry\./);
  });

  test('staticRoutes with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor(() => ({ routing: VpnRouting.STATIC, staticRoutes: [, '10.200.0.0/16'] })))
      .toMatch(/staticRoutes\[0\] is missing \(the list has a hole\)/);
  });

  test.each([
    ['equal to', '10.1.0.0/16', 'equals'],
    ['inside', '10.1.5.0/24', 'lies inside'],
    ['around', '10.0.0.0/14', 'contains'],
  ])('static route %s a spoke VPC is rejected', (_kind, cidr, relation) => {
    const f = fixture();
    addSpoke(f, 'Management', RoutingDomain.MANAGEMENT, '10.1.0.0/16');

    expect(errorFor(() => ({ ...STATIC_MANAGEMENT, staticRoutes: [cidr] }), f)).toMatch(new RegExp(
      `staticRoutes\\[0\\] is "${cidr.replace(/\./g, '\\.')}", which ${relation} the range of VPC management \\(10\\.1\\.0\\.0/16, at Network/Management\\), `
      + 'attached to transit hub Network/Hub\\. The government network and the VPC would share those addresses\\.'));
  });

  test('static route equal to a remote attachment\'s range is rejected', () => {
    const f = fixture();
    f.hub.connectRemoteAttachment('SharedServices', { attachmentId: 'tgw-attach-0123456789abcdef0', domain: RoutingDomain.MANAGEMENT, cidrs: ['10.80.0.0/16'] });

    expect(errorFor(() => ({ ...STATIC_MANAGEMENT, staticRoutes: ['10.80.0.0/16'] }), f))
      .toMatch(/staticRoutes\[0\] is "10\.80\.0\.0\/16", which equals the range of VPC behind remote attachment SharedServices/);
  });

  test('static route equal to a Direct Connect allowed prefix is rejected', () => {
    const f = fixture();
    addDirectConnect(f, ['10.1.0.0/16']);

    expect(errorFor(() => ({ ...STATIC_MANAGEMENT, staticRoutes: ['10.1.0.0/16'] }), f)).toMatch(
      /staticRoutes\[0\] is "10\.1\.0\.0\/16", which equals allowedPrefixes\[0\] \(10\.1\.0\.0\/16\) of the Direct Connect link Network\/ManagementLink, which advertises it to the government network as an AWS range\./);
  });

  test('static route beside the VPC ranges is accepted', () => {
    const f = fixture();
    addSpoke(f, 'Management', RoutingDomain.MANAGEMENT, '10.1.0.0/16');
    build(() => ({ ...STATIC_MANAGEMENT, staticRoutes: ['10.200.0.0/16'] }), f);

    expect(synthError(f)).toBeUndefined();
  });

  test('spoke attached after the VPN inside a static route fails synth', () => {
    const f = fixture();
    new GovernmentNetworkVpn(f.stack, 'GovernmentVpn', { ...baseProps(f), ...STATIC_MANAGEMENT, staticRoutes: ['10.1.0.0/16'] });
    addSpoke(f, 'Management', RoutingDomain.MANAGEMENT, '10.1.4.0/24');

    expect(synthError(f)).toMatch(new RegExp(
      '\\[Network/Hub\\] The VPN Network/GovernmentVpn has a static route to the government range 10\\.1\\.0\\.0/16, which contains the range of '
      + 'VPC management \\(10\\.1\\.4\\.0/24, at Network/Management\\), attached to this transit hub\\.'));
  });

  test('Direct Connect link added after the VPN with a static route fails synth', () => {
    const f = fixture();
    new GovernmentNetworkVpn(f.stack, 'GovernmentVpn', { ...baseProps(f), ...STATIC_MANAGEMENT, staticRoutes: ['10.1.0.0/16'] });
    addDirectConnect(f, ['10.1.0.0/16']);

    expect(synthError(f)).toMatch(
      /The VPN Network\/GovernmentVpn has a static route to the government range 10\.1\.0\.0\/16, which equals allowedPrefixes\[0\] \(10\.1\.0\.0\/16\) of the Direct Connect link Network\/ManagementLink/);
  });

  test('device and ASN of a VPN in the other domain are rejected', () => {
    const f = fixture();
    new GovernmentNetworkVpn(f.stack, 'ManagementVpn', { ...baseProps(f), domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ });

    expect(errorFor(() => ({}), f)).toMatch(new RegExp(
      'customerGateways\\[0\\] is the device 203\\.0\\.113\\.10 with ASN 65010, the same device and ASN as customer gateway gsi-london-1 of the VPN '
      + 'Network/ManagementVpn, which carries the government-network-management-dmz domain on the same hub\\.'));
  });

  test('device with another ASN in the other domain is accepted', () => {
    const f = fixture();
    new GovernmentNetworkVpn(f.stack, 'ManagementVpn', { ...baseProps(f), domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ });
    const { template } = build(() => ({ customerGateways: GATEWAYS.map((gateway) => ({ ...gateway, bgpAsn: 65020 })) }), f);

    template.resourceCountIs('AWS::EC2::CustomerGateway', 4);
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { DeviceName: 'production-government-network-management-dmz-gsi-london-1' });
  });

  test('static VPNs on one device in both domains are rejected', () => {
    const f = fixture();
    const devices = GATEWAYS.map(({ name, ipAddress }) => ({ name, ipAddress }));
    new GovernmentNetworkVpn(f.stack, 'ManagementVpn', { ...baseProps(f), ...STATIC_MANAGEMENT, staticRoutes: ['10.200.0.0/16'], customerGateways: devices });

    expect(errorFor(() => ({ routing: VpnRouting.STATIC, staticRoutes: ['10.201.0.0/16'], customerGateways: devices }), f))
      .toMatch(/customerGateways\[1\] is the device 203\.0\.113\.20 with ASN 65000, the same device and ASN as customer gateway gsi-london-2/);
  });

  test('same device on the hub of another tier is accepted', () => {
    const f = fixture();
    const other = new TransitHub(f.stack, 'OtherHub', { tierName: 'non-production', amazonSideAsn: 64513 });
    new GovernmentNetworkVpn(f.stack, 'ManagementVpn', { ...baseProps(f), hub: other, domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ });

    expect(() => build(() => ({}), f)).not.toThrow();
  });

  test('invalid logRetention is rejected', () => {
    expect(errorFor(() => ({ logRetention: 42 }))).toMatch(/logRetention is 42, which is not a CloudWatch Logs retention period/);
  });

  test('alias as encryptionKey is rejected', () => {
    expect(errorFor((f) => ({ encryptionKey: kms.Alias.fromAliasName(f.stack, 'Alias', 'alias/vpn') })))
      .toMatch(/encryptionKey is the KMS alias "alias\/vpn"; pass the key itself/);
  });
});
