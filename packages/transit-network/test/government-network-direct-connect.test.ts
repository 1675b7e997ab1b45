import { App, Aspects, CfnParameter, Stack, Token, aws_kms as kms, aws_s3 as s3, aws_secretsmanager as secretsmanager, aws_sns as sns } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { GovernmentNetworkDirectConnect, GovernmentNetworkDirectConnectProps, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const MANAGEMENT_DMZ = RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ;
const BUSINESS_DMZ = RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ;

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly hub: TransitHub;
}

function fixture(app = new App(), env: { account?: string; region?: string } = ENV, tierName = 'production', routingPolicy?: RoutingPolicy): Fixture {
  const stack = new Stack(app, `Network${tierName === 'production' ? '' : tierName}`, { env });
  const hub = new TransitHub(stack, 'Hub', { tierName, amazonSideAsn: 64512, routingPolicy });
  return { app, stack, hub };
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

function baseProps(f: Fixture): GovernmentNetworkDirectConnectProps {
  return {
    hub: f.hub,
    domain: MANAGEMENT_DMZ,
    connectionId: 'dxcon-fgabc123',
    vlan: 101,
    amazonSideAsn: 64601,
    customerAsn: 65010,
    allowedPrefixes: ['10.64.0.0/16', '10.65.0.0/16'],
  };
}

interface Built {
  readonly f: Fixture;
  readonly link: GovernmentNetworkDirectConnect;
  readonly template: Template;
}

function build(overrides: (f: Fixture) => Partial<GovernmentNetworkDirectConnectProps> = () => ({}), f: Fixture = fixture()): Built {
  const link = new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', { ...baseProps(f), ...overrides(f) });
  return { f, link, template: Template.fromStack(f.stack) };
}

/** Builds the link with the base props overridden (possibly with invalid values) and returns the error it throws. */
function errorFor(overrides: (f: Fixture) => Record<string, unknown>, f: Fixture = fixture()): string {
  try {
    new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', { ...baseProps(f), ...overrides(f) } as unknown as GovernmentNetworkDirectConnectProps);
  } catch (error) {
    expect(error).not.toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('GovernmentNetworkDirectConnect accepted the props');
}

function warnings(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((warning) => String(warning.entry.data));
}

function routeTable(f: Fixture, domain: RoutingDomain): unknown {
  return f.stack.resolve(f.hub.routeTableId(domain));
}

/** Returns the SDK call of the only attachment lookup, as JSON text with its quotes removed. */
function lookupCall(template: Template): string {
  const lookups = Object.values(template.findResources('Custom::DirectConnectGatewayAttachmentLookup'));
  expect(lookups).toHaveLength(1);
  return JSON.stringify(lookups[0].Properties.Create).replace(/\\*"/g, '');
}

function encryptedTopic(stack: Stack): sns.Topic {
  const key = new kms.Key(stack, 'AlarmTopicKey', { enableKeyRotation: true });
  return new sns.Topic(stack, 'AlarmTopic', { masterKey: key, enforceSSL: true });
}

describe('GovernmentNetworkDirectConnect defaults', () => {
  test('gateway is named after tier and domain', () => {
    const { template } = build();

    template.resourceCountIs('AWS::DirectConnect::DirectConnectGateway', 1);
    template.hasResourceProperties('AWS::DirectConnect::DirectConnectGateway', {
      DirectConnectGatewayName: 'production-government-network-management-dmz',
      AmazonSideAsn: '64601',
      Tags: [
        { Key: 'Name', Value: 'production-government-network-management-dmz' },
        { Key: 'RoutingDomain', Value: 'government-network-management-dmz' },
      ],
    });
  });

  test('association advertises only the allowed prefixes', () => {
    const { f, link, template } = build();

    template.resourceCountIs('AWS::DirectConnect::DirectConnectGatewayAssociation', 1);
    template.hasResourceProperties('AWS::DirectConnect::DirectConnectGatewayAssociation', {
      DirectConnectGatewayId: f.stack.resolve(link.directConnectGatewayId),
      AssociatedGatewayId: f.stack.resolve(f.hub.transitGatewayId),
      AllowedPrefixesToDirectConnectGateway: ['10.64.0.0/16', '10.65.0.0/16'],
    });
  });

  test('virtual interface uses the connection and VLAN', () => {
    const { f, link, template } = build();

    template.resourceCountIs('AWS::DirectConnect::TransitVirtualInterface', 1);
    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', {
      VirtualInterfaceName: 'production-government-network-management-dmz',
      ConnectionId: 'dxcon-fgabc123',
      DirectConnectGatewayId: f.stack.resolve(link.directConnectGatewayId),
      Vlan: 101,
      Mtu: 1500,
      EnableSiteLink: false,
      Tags: [
        { Key: 'Name', Value: 'production-government-network-management-dmz' },
        { Key: 'RoutingDomain', Value: 'government-network-management-dmz' },
      ],
    });
  });

  test('one IPv4 peer with AWS-assigned addresses', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', {
      BgpPeers: [{
        AddressFamily: 'ipv4',
        Asn: '65010',
        AmazonAddress: Match.absent(),
        CustomerAddress: Match.absent(),
        AuthKey: Match.absent(),
      }],
    });
  });

  test('virtual interface is the default child', () => {
    const { link } = build();

    expect(link.node.defaultChild?.constructor.name).toBe('CfnTransitVirtualInterface');
  });

  test('missing auth key warns', () => {
    const { f } = build();

    expect(warnings(f.stack, 'governmentDirectConnectNoBgpAuthKey')).toEqual([expect.stringMatching(/bgpAuthKey is not set, so AWS generates the BGP MD5 key/)]);
  });

  test('attachment is looked up by gateway ID', () => {
    const { f, link, template } = build();
    const call = lookupCall(template);
    const gatewayId = JSON.stringify(f.stack.resolve(link.directConnectGatewayId)).replace(/"/g, '');

    expect(call).toMatch(/action:describeTransitGatewayAttachments/);
    expect(call).toContain(`Name:resource-id,Values:[,${gatewayId}`);
    expect(call).toContain('Name:resource-type,Values:[direct-connect-gateway]');
    expect(call).toContain('Name:transit-gateway-id,Values:[,{Ref:');
    expect(call).toContain('Name:state,Values:[pending,available,modifying]');
    expect(call).toContain('physicalResourceId:{responsePath:TransitGatewayAttachments.0.TransitGatewayAttachmentId}');
  });

  test('lookup runs after the association', () => {
    const { template } = build();
    const [associationId] = Object.keys(template.findResources('AWS::DirectConnect::DirectConnectGatewayAssociation'));

    template.hasResource('Custom::DirectConnectGatewayAttachmentLookup', { DependsOn: Match.arrayWith([associationId]) });
  });

  test('lookup policy allows only the describe action', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ec2:DescribeTransitGatewayAttachments', Effect: 'Allow', Resource: '*' }] },
    });
  });

  test('attachment joins the domain route table', () => {
    const { f, link, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: f.stack.resolve(link.attachmentId),
      TransitGatewayRouteTableId: routeTable(f, MANAGEMENT_DMZ),
    });
  });

  test('attachment propagates only to policy peers', () => {
    const { f, link, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayAttachmentId: f.stack.resolve(link.attachmentId),
      TransitGatewayRouteTableId: routeTable(f, RoutingDomain.MANAGEMENT),
    });
  });

  test('BGP status alarm watches the virtual interface', () => {
    const { f, link, template } = build();

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/DX',
      MetricName: 'VirtualInterfaceBgpStatus',
      Dimensions: Match.arrayEquals([
        { Name: 'ConnectionId', Value: 'dxcon-fgabc123' },
        { Name: 'IpAddressFamily', Value: 'ipv4' },
        { Name: 'VirtualInterfaceId', Value: f.stack.resolve(link.virtualInterfaceId) },
      ]),
      Statistic: 'Minimum',
      Period: 300,
      EvaluationPeriods: 2,
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
  });

  test('connection state alarm watches the connection', () => {
    const { template } = build();

    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/DX',
      MetricName: 'ConnectionState',
      Dimensions: [{ Name: 'ConnectionId', Value: 'dxcon-fgabc123' }],
      Statistic: 'Minimum',
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmDescription: Match.stringLikeRegexp('^The connection dxcon-fgabc123 of the Direct Connect link production-government-network-management-dmz'),
    });
  });

  test('alarms without topic warn', () => {
    const { f, template } = build();

    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
    expect(warnings(f.stack, 'governmentDirectConnectAlarmWithoutAction')).toEqual([expect.stringMatching(/alarmTopic is not set/)]);
  });

  test('exposes the IDs and domain', () => {
    const { f, link } = build();

    expect(f.stack.resolve(link.directConnectGatewayId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ManagementLinkGateway/), 'DirectConnectGatewayId'] });
    expect(f.stack.resolve(link.associationId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ManagementLinkAssociation/), 'AssociationId'] });
    expect(f.stack.resolve(link.virtualInterfaceId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^ManagementLink/), 'VirtualInterfaceId'] });
    expect(f.stack.resolve(link.attachmentId)).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^ManagementLinkAttachmentLookup/), 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'],
    });
    expect(link.domain).toBe(MANAGEMENT_DMZ);
  });
});

describe('GovernmentNetworkDirectConnect overrides', () => {
  test('auth key is a dynamic reference', () => {
    const { f, template } = build((fx) => ({
      bgpAuthKey: secretsmanager.Secret.fromSecretCompleteArn(fx.stack, 'BgpKey',
        'arn:aws:secretsmanager:eu-west-2:111111111111:secret:government-network/production/management-bgp-key-AbCdEf'),
    }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', {
      BgpPeers: [Match.objectLike({
        AuthKey: '{{resolve:secretsmanager:arn:aws:secretsmanager:eu-west-2:111111111111:secret:government-network/production/management-bgp-key-AbCdEf:SecretString:::}}',
      })],
    });
    expect(warnings(f.stack, 'governmentDirectConnectNoBgpAuthKey')).toEqual([]);
  });

  test('peer addresses are passed on', () => {
    const { template } = build(() => ({ amazonAddress: '192.168.100.1/30', customerAddress: '192.168.100.2/30' }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', {
      BgpPeers: [Match.objectLike({ AmazonAddress: '192.168.100.1/30', CustomerAddress: '192.168.100.2/30' })],
    });
  });

  test('/31 peer addresses are accepted', () => {
    const { template } = build(() => ({ amazonAddress: '169.254.10.0/31', customerAddress: '169.254.10.1/31' }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', {
      BgpPeers: [Match.objectLike({ AmazonAddress: '169.254.10.0/31', CustomerAddress: '169.254.10.1/31' })],
    });
  });

  test('jumbo MTU is applied', () => {
    const { template } = build(() => ({ mtuBytes: 8500 }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', { Mtu: 8500 });
  });

  test('alarm topic receives alarm and OK', () => {
    const { f, template } = build((fx) => ({ alarmTopic: encryptedTopic(fx.stack) }));
    const topicRef = f.stack.resolve((f.stack.node.findChild('AlarmTopic') as sns.Topic).topicArn);

    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicRef]);
      expect(alarm.Properties.OKActions).toEqual([topicRef]);
    }
    expect(warnings(f.stack, 'governmentDirectConnectAlarmWithoutAction')).toEqual([]);
  });

  test('LAG connection is accepted', () => {
    const { template } = build(() => ({ connectionId: 'dxlag-ffabc123' }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', { ConnectionId: 'dxlag-ffabc123' });
  });

  test('long ASNs are written as strings', () => {
    const { template } = build(() => ({ amazonSideAsn: 4200000000, customerAsn: 4200000001 }));

    template.hasResourceProperties('AWS::DirectConnect::DirectConnectGateway', { AmazonSideAsn: '4200000000' });
    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', { BgpPeers: [Match.objectLike({ Asn: '4200000001' })] });
  });

  test('public customer ASN is accepted', () => {
    const { template } = build(() => ({ customerAsn: 3356 }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', { BgpPeers: [Match.objectLike({ Asn: '3356' })] });
  });

  test('business DMZ propagates to business applications', () => {
    const { f, link, template } = build(() => ({ domain: BUSINESS_DMZ }));

    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: f.stack.resolve(link.attachmentId),
      TransitGatewayRouteTableId: routeTable(f, BUSINESS_DMZ),
    });
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: routeTable(f, RoutingDomain.BUSINESS_APPLICATION),
    });
    template.hasResourceProperties('AWS::DirectConnect::DirectConnectGateway', { DirectConnectGatewayName: 'production-government-network-business-dmz' });
  });

  test('four links build across two tiers', () => {
    const app = new App();
    const tiers = (['production', 'non-production'] as const).map((tier, index) => {
      const f = fixture(app, ENV, tier);
      const offset = index * 10;
      new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', {
        ...baseProps(f), connectionId: `dxcon-mgmt${offset}abc`, vlan: 101 + offset, amazonSideAsn: 64601 + offset,
      });
      new GovernmentNetworkDirectConnect(f.stack, 'BusinessLink', {
        ...baseProps(f), domain: BUSINESS_DMZ, connectionId: `dxcon-busi${offset}abc`, vlan: 102 + offset, amazonSideAsn: 64602 + offset,
      });
      return f;
    });

    for (const f of tiers) {
      const template = Template.fromStack(f.stack);
      template.resourceCountIs('AWS::DirectConnect::TransitVirtualInterface', 2);
      template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 2);
      expect(warnings(f.stack, 'governmentDirectConnectSharedConnection')).toEqual([]);
    }
  });

  test('second link on one connection warns', () => {
    const f = fixture();
    new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', baseProps(f));
    new GovernmentNetworkDirectConnect(f.stack, 'BusinessLink', { ...baseProps(f), domain: BUSINESS_DMZ, vlan: 102 });

    expect(warnings(f.stack, 'governmentDirectConnectSharedConnection'))
      .toEqual([expect.stringMatching(/Connection dxcon-fgabc123 already carries the virtual interface of Network\/ManagementLink/)]);
  });

  test('prefix covering only VPCs the domain cannot reach warns', () => {
    const f = fixture();
    addSpoke(f, 'Casework', RoutingDomain.BUSINESS_APPLICATION, '10.65.0.0/16');
    new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', baseProps(f));

    expect(warnings(f.stack, 'governmentDirectConnectUnreachablePrefix')).toEqual([expect.stringMatching(new RegExp(
      '^allowedPrefixes\\[1\\] \\(10\\.65\\.0\\.0/16\\) covers only VPC casework \\(10\\.65\\.0\\.0/16, business-application, at Network/Casework\\)\\. '
      + 'The routing policy of transit hub Network/Hub does not connect the government-network-management-dmz domain to those VPCs'))]);
  });

  test('VPC attached after the link is checked at synth', () => {
    const f = fixture();
    new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', baseProps(f));
    addSpoke(f, 'Casework', RoutingDomain.BUSINESS_APPLICATION, '10.65.4.0/22');

    expect(warnings(f.stack, 'governmentDirectConnectUnreachablePrefix')).toEqual([
      expect.stringMatching(/^allowedPrefixes\[1\] \(10\.65\.0\.0\/16\) covers only VPC casework \(10\.65\.4\.0\/22, business-application/),
    ]);
  });

  test('prefix covering a reachable VPC raises no prefix warning', () => {
    const f = fixture();
    addSpoke(f, 'Directory', RoutingDomain.MANAGEMENT, '10.64.0.0/20');
    addSpoke(f, 'Casework', RoutingDomain.BUSINESS_APPLICATION, '10.64.16.0/20');
    new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', { ...baseProps(f), allowedPrefixes: ['10.64.0.0/16'] });

    expect(warnings(f.stack, 'governmentDirectConnectUnreachablePrefix')).toEqual([]);
  });

  test('prefix covering no known VPC raises no prefix warning', () => {
    const { f } = build();

    expect(warnings(f.stack, 'governmentDirectConnectUnreachablePrefix')).toEqual([]);
  });

  test('domain the policy connects to nothing warns', () => {
    const policy = new RoutingPolicy({ connections: [{ domain: RoutingDomain.MANAGEMENT, peer: RoutingDomain.SHARED_SERVICES }] });
    const { f } = build(() => ({}), fixture(new App(), ENV, 'production', policy));

    expect(warnings(f.stack, 'attachmentDomainUnconnected')).toEqual([
      expect.stringMatching(/^The attachment is placed in the government-network-management-dmz domain, which the routing policy of transit hub Network\/Hub connects to no domain/),
    ]);
  });

  test('tokens are accepted unchecked', () => {
    const { template } = build((fx) => ({
      connectionId: new CfnParameter(fx.stack, 'ConnectionId').valueAsString,
      vlan: Token.asNumber(new CfnParameter(fx.stack, 'Vlan', { type: 'Number' }).value),
      customerAsn: Token.asNumber(new CfnParameter(fx.stack, 'CustomerAsn', { type: 'Number' }).value),
      allowedPrefixes: [new CfnParameter(fx.stack, 'Prefix').valueAsString],
    }));

    template.hasResourceProperties('AWS::DirectConnect::TransitVirtualInterface', { ConnectionId: { Ref: 'ConnectionId' }, Vlan: { Ref: 'Vlan' } });
  });
});

describe('GovernmentNetworkDirectConnect cdk-nag', () => {
  function nagErrors(withTopic: boolean): string[] {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const app = new App({ context: { ...RECOMMENDED_FEATURE_FLAGS, '@aws-cdk/core:failSynthOnValidationErrors': false } });
    const f = fixture(app);
    new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', {
      ...baseProps(f),
      bgpAuthKey: secretsmanager.Secret.fromSecretNameV2(f.stack, 'BgpKey', 'government-network/production/management-bgp-key'),
      alarmTopic: withTopic ? encryptedTopic(f.stack) : undefined,
    });
    Aspects.of(app).add(new AwsSolutionsChecks());
    Aspects.of(app).add(new NIST80053R5Checks());

    return Annotations.fromStack(f.stack).findError('*', Match.anyValue()).map((error) => `${error.id}: ${error.entry.data}`);
  }

  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    expect(nagErrors(true)).toEqual([]);
  });

  test('alarms without topic are reported', () => {
    const errors = nagErrors(false);

    expect(errors).toHaveLength(2);
    for (const error of errors) {
      expect(error).toMatch(/Alarm\/Resource: NIST\.800\.53\.R5-CloudWatchAlarmAction:/);
    }
  });
});

describe('GovernmentNetworkDirectConnect validation', () => {
  test('all problems are reported in one error', () => {
    const message = errorFor(() => ({ domain: RoutingDomain.MANAGEMENT, vlan: 0, customerAsn: 0, allowedPrefixes: ['8.8.8.0/24'] }));

    expect(message).toMatch(/^Invalid GovernmentNetworkDirectConnect props at Network\/ManagementLink:/);
    expect(message).toMatch(/domain is "management"; the Direct Connect link lands in a government-network DMZ domain/);
    expect(message).toMatch(/vlan is 0; use the VLAN ID from 1 to 4094/);
    expect(message).toMatch(/customerAsn is 0; use the ASN of the government network's router/);
    expect(message).toMatch(/allowedPrefixes\[0\] is "8\.8\.8\.0\/24", which is not a private range/);
  });

  test('undefined props are rejected', () => {
    const f = fixture();

    expect(() => new GovernmentNetworkDirectConnect(f.stack, 'ManagementLink', undefined as unknown as GovernmentNetworkDirectConnectProps))
      .toThrow(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('missing hub is rejected', () => {
    expect(errorFor(() => ({ hub: undefined }))).toMatch(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('non-hub is rejected', () => {
    expect(errorFor(() => ({ hub: 'tgw-0123456789abcdef0' }))).toMatch(/hub is "tgw-0123456789abcdef0", which is not a transit hub/);
  });

  test('imported hub is rejected', () => {
    const message = errorFor((f) => ({
      hub: TransitHub.fromTransitHubAttributes(f.stack, 'Imported', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' }),
    }));

    expect(message).toMatch(/hub is the imported transit hub "tgw-0123456789abcdef0" .*The Direct Connect link associates its transit gateway attachment/);
  });

  test('hub in another account is rejected', () => {
    const app = new App();
    const hubStack = new Stack(app, 'HubStack', { env: { account: '222222222222', region: 'eu-west-2' } });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });

    expect(errorFor(() => ({ hub }), fixture(app))).toMatch(/hub is in account 222222222222 but the Direct Connect link's stack is in 111111111111/);
  });

  test('hub in another region is rejected', () => {
    const app = new App();
    const hubStack = new Stack(app, 'HubStack', { env: { account: '111111111111', region: 'eu-west-1' } });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });

    expect(errorFor(() => ({ hub }), fixture(app))).toMatch(/hub is in region eu-west-1 but the Direct Connect link's stack is in eu-west-2/);
  });

  test.each([RoutingDomain.MANAGEMENT, RoutingDomain.INTERNET_DMZ, undefined, 'government-network-dmz'])('domain %s is rejected', (domain) => {
    expect(errorFor(() => ({ domain }))).toMatch(/domain is .*; the Direct Connect link lands in a government-network DMZ domain: use RoutingDomain\.GOVERNMENT_NETWORK_MANAGEMENT_DMZ/);
  });

  test.each([
    undefined,
    'dxcon-1234',
    'DXCON-FGABC123',
    'arn:aws:directconnect:eu-west-2:111111111111:dxcon/dxcon-fgabc123',
    'dxvif-fgabc123',
  ])('connectionId %s is rejected', (connectionId) => {
    expect(errorFor(() => ({ connectionId }))).toMatch(/connectionId is .*; use the ID of the hosted connection .*dxcon- followed by 8 to 21 letters or digits/);
  });

  test.each([undefined, 0, 4095, 101.5, '101'])('vlan %s is rejected', (vlan) => {
    expect(errorFor(() => ({ vlan }))).toMatch(/vlan is .*; use the VLAN ID from 1 to 4094 that the Direct Connect partner assigned/);
  });

  test('connection and VLAN used twice are rejected', () => {
    const f = fixture();
    new GovernmentNetworkDirectConnect(f.stack, 'First', baseProps(f));

    expect(errorFor(() => ({ domain: BUSINESS_DMZ }), f))
      .toMatch(/vlan is 101, which Network\/First already uses on connection dxcon-fgabc123\. A VLAN carries one virtual interface/);
  });

  test.each([undefined, 7224, 65535, 64511, 4199999999, 4294967295, 64600.5])('amazonSideAsn %s is rejected', (amazonSideAsn) => {
    expect(errorFor(() => ({ amazonSideAsn })))
      .toMatch(/amazonSideAsn is .*; use a private ASN from 64512 to 65534 or 4200000000 to 4294967294 for the Amazon side of the Direct Connect gateway/);
  });

  test('amazonSideAsn equal to the hub ASN is rejected', () => {
    expect(errorFor(() => ({ amazonSideAsn: 64512 })))
      .toMatch(/amazonSideAsn is 64512, the same as the hub's transit gateway ASN\. AWS rejects the association of a transit gateway and a Direct Connect gateway that have the same ASN/);
  });

  test.each([undefined, 0, -1, 4294967295, 65010.5, '65010'])('customerAsn %s is rejected', (customerAsn) => {
    expect(errorFor(() => ({ customerAsn }))).toMatch(/customerAsn is .*; use the ASN of the government network's router on this link, from 1 to 4294967294/);
  });

  test('customerAsn equal to amazonSideAsn is rejected', () => {
    expect(errorFor(() => ({ customerAsn: 64601 }))).toMatch(/customerAsn is 64601, the same as amazonSideAsn\. The session is external BGP/);
  });

  test('customerAsn equal to the hub ASN is rejected', () => {
    expect(errorFor(() => ({ customerAsn: 64512 }))).toMatch(/customerAsn is 64512, the same as the hub's transit gateway ASN/);
  });

  test.each([
    ['amazonAddress', { amazonAddress: '192.168.100.1/30' }, /customerAddress is undefined but amazonAddress is set; give both peer addresses/],
    ['customerAddress', { customerAddress: '192.168.100.2/30' }, /amazonAddress is undefined but customerAddress is set; give both peer addresses/],
  ])('only %s is rejected', (_prop, addresses, message) => {
    expect(errorFor(() => addresses)).toMatch(message);
  });

  test.each(['192.168.100.1', '192.168.100.1/29', '192.168.100.1/32', 'not an address', '192.168.100.256/30'])('peer address %s is rejected', (amazonAddress) => {
    expect(errorFor(() => ({ amazonAddress, customerAddress: '192.168.100.2/30' })))
      .toMatch(/amazonAddress is .*; give the address with the prefix length of its point-to-point subnet, \/30 or \/31/);
  });

  test('peer address in loopback is rejected', () => {
    expect(errorFor(() => ({ amazonAddress: '127.0.0.1/30', customerAddress: '127.0.0.2/30' })))
      .toMatch(/amazonAddress is "127\.0\.0\.1\/30", in 127\.0\.0\.0\/8, the loopback range/);
  });

  test.each(['192.168.100.0/30', '192.168.100.3/30'])('network or broadcast address %s is rejected', (customerAddress) => {
    expect(errorFor(() => ({ amazonAddress: '192.168.100.1/30', customerAddress })))
      .toMatch(/customerAddress is .*, the network or broadcast address of its \/30/);
  });

  test('peer addresses in two subnets are rejected', () => {
    expect(errorFor(() => ({ amazonAddress: '192.168.100.1/30', customerAddress: '192.168.100.6/30' })))
      .toMatch(/amazonAddress "192\.168\.100\.1\/30" and customerAddress "192\.168\.100\.6\/30" are not in the same subnet/);
  });

  test('peer addresses of two sizes are rejected', () => {
    expect(errorFor(() => ({ amazonAddress: '192.168.100.1/30', customerAddress: '192.168.100.0/31' })))
      .toMatch(/are not in the same subnet; give two addresses of one \/30 or \/31/);
  });

  test('one address for both peers is rejected', () => {
    expect(errorFor(() => ({ amazonAddress: '192.168.100.1/30', customerAddress: '192.168.100.1/30' })))
      .toMatch(/amazonAddress and customerAddress are both "192\.168\.100\.1\/30"; give each side its own address/);
  });

  test.each([['missing', undefined], ['empty', []], ['a string', '10.64.0.0/16']])('%s allowedPrefixes is rejected', (_kind, allowedPrefixes) => {
    expect(errorFor(() => ({ allowedPrefixes })))
      .toMatch(/allowedPrefixes is .*; list the AWS-side ranges that the Direct Connect gateway advertises to the government network/);
  });

  test('list token allowedPrefixes is rejected', () => {
    expect(errorFor((f) => ({ allowedPrefixes: new CfnParameter(f.stack, 'Prefixes', { type: 'CommaDelimitedList' }).valueAsList })))
      .toMatch(/allowedPrefixes is a list token; pass a literal list/);
  });

  test('more than 200 allowedPrefixes are rejected', () => {
    const allowedPrefixes = Array.from({ length: 201 }, (_, index) => `10.${Math.floor(index / 256)}.${index % 256}.0/24`);

    expect(errorFor(() => ({ allowedPrefixes })))
      .toMatch(/allowedPrefixes has 201 entries; a transit gateway advertises at most 200 prefixes to on-premises over a transit virtual interface/);
  });

  test('200 allowedPrefixes are accepted', () => {
    const allowedPrefixes = Array.from({ length: 200 }, (_, index) => `10.${Math.floor(index / 256)}.${index % 256}.0/24`);
    const { template } = build(() => ({ allowedPrefixes }));

    template.hasResourceProperties('AWS::DirectConnect::DirectConnectGatewayAssociation', { AllowedPrefixesToDirectConnectGateway: Match.arrayWith(['10.0.199.0/24']) });
  });

  test.each([
    ['not a CIDR block', '10.64.0.0', /allowedPrefixes\[0\] is "10\.64\.0\.0", which is not an IPv4 CIDR block/],
    ['not a string', 42, /allowedPrefixes\[0\] is 42, which is not an IPv4 CIDR block/],
    ['with host bits', '10.64.1.0/16', /allowedPrefixes\[0\] is "10\.64\.1\.0\/16", which has host bits set; use "10\.64\.0\.0\/16"/],
    ['public', '203.0.113.0/24', /allowedPrefixes\[0\] is "203\.0\.113\.0\/24", which is not a private range/],
    ['the default route', '0.0.0.0/0', /allowedPrefixes\[0\] is "0\.0\.0\.0\/0", which is not a private range/],
  ])('allowed prefix %s is rejected', (_kind, prefix, message) => {
    expect(errorFor(() => ({ allowedPrefixes: [prefix, '10.65.0.0/16'] }))).toMatch(message);
  });

  test('allowedPrefixes with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor(() => ({ allowedPrefixes: [, '10.65.0.0/16'] })))
      .toMatch(/allowedPrefixes\[0\] is missing \(the list has a hole\); remove the extra comma or give the entry\./);
  });

  test('duplicate allowed prefix is rejected', () => {
    expect(errorFor(() => ({ allowedPrefixes: ['10.64.0.0/16', '10.65.0.0/16', '10.64.0.0/16'] })))
      .toMatch(/allowedPrefixes\[2\] is "10\.64\.0\.0\/16", the same range as allowedPrefixes\[0\]; list each range once/);
  });

  test.each([1400, 9001, 1500.5])('mtuBytes %s is rejected', (mtuBytes) => {
    expect(errorFor(() => ({ mtuBytes }))).toMatch(/mtuBytes is .*; a transit virtual interface accepts 1500 \(the default\) or 8500 \(jumbo frames\)/);
  });

  test('secret name as bgpAuthKey is rejected', () => {
    expect(errorFor(() => ({ bgpAuthKey: 'government-network/production/management-bgp-key' })))
      .toMatch(/bgpAuthKey is "government-network\/production\/management-bgp-key", which is not a secretsmanager\.ISecret/);
  });

  test('secret in another region is rejected', () => {
    expect(errorFor((f) => ({
      bgpAuthKey: secretsmanager.Secret.fromSecretCompleteArn(f.stack, 'BgpKey', 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:bgp-key-AbCdEf'),
    }))).toMatch(/bgpAuthKey is a secret in region eu-west-1 but the stack is in eu-west-2/);
  });

  test('topic ARN as alarmTopic is rejected', () => {
    expect(errorFor(() => ({ alarmTopic: 'arn:aws:sns:eu-west-2:111111111111:network-alarms' })))
      .toMatch(/alarmTopic is "arn:aws:sns:eu-west-2:111111111111:network-alarms", which is not an sns\.ITopic/);
  });
});
