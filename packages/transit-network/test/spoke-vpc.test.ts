import { App, Aspects, Stack, Token, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { RoutingDomain, SpokeVpc, SpokeVpcProps, TransitHub } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const ZONES = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly hub: TransitHub;
  readonly bucket: s3.IBucket;
}

function fixture(context?: Record<string, unknown>): Fixture {
  const app = new App({ context });
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
  const bucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');
  return { app, stack, hub, bucket };
}

function baseProps(f: Fixture): SpokeVpcProps {
  return {
    hub: f.hub,
    domain: RoutingDomain.BUSINESS_APPLICATION,
    vpcName: 'lib-case-management',
    cidr: '10.20.0.0/16',
    flowLogBucket: f.bucket,
  };
}

/** Builds a spoke with the base props overridden by `overrides`, and returns its template. */
function synthSpoke(overrides: Partial<SpokeVpcProps> = {}): { f: Fixture; spoke: SpokeVpc; template: Template } {
  const f = fixture();
  const spoke = new SpokeVpc(f.stack, 'Spoke', { ...baseProps(f), ...overrides });
  return { f, spoke, template: Template.fromStack(f.stack) };
}

/** Builds a spoke from `props` (which may be invalid) in a fresh fixture. */
function buildSpoke(props: (f: Fixture) => unknown): () => SpokeVpc {
  const f = fixture();
  return () => new SpokeVpc(f.stack, 'Spoke', props(f) as SpokeVpcProps);
}

/** Returns the CIDR blocks of a subnet group, in zone order. */
function subnetCidrs(template: Template, group: string): string[] {
  const subnets = template.findResources('AWS::EC2::Subnet', {
    Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: group }]) },
  });
  return Object.values(subnets)
    .sort((a, b) => a.Properties.AvailabilityZone.localeCompare(b.Properties.AvailabilityZone))
    .map((subnet) => subnet.Properties.CidrBlock);
}

function logicalIdOf(stack: Stack, value: string): string {
  return stack.resolve(value).Ref;
}

describe('SpokeVpc defaults', () => {
  test('spans zones a, b and c of the stack region', () => {
    const { template } = synthSpoke();

    template.resourceCountIs('AWS::EC2::Subnet', 9);
    for (const zone of ZONES) {
      expect(Object.keys(template.findResources('AWS::EC2::Subnet', { Properties: { AvailabilityZone: zone } }))).toHaveLength(3);
    }
  });

  test('carves three subnet tiers out of the VPC', () => {
    const { template } = synthSpoke();

    expect(subnetCidrs(template, 'application')).toEqual(['10.20.0.0/18', '10.20.64.0/18', '10.20.128.0/18']);
    expect(subnetCidrs(template, 'data')).toEqual(['10.20.192.0/20', '10.20.208.0/20', '10.20.224.0/20']);
    expect(subnetCidrs(template, 'transit')).toEqual(['10.20.240.0/28', '10.20.240.16/28', '10.20.240.32/28']);
  });

  test('all subnets are isolated', () => {
    const { template } = synthSpoke();

    const isolated = template.findResources('AWS::EC2::Subnet', {
      Properties: {
        MapPublicIpOnLaunch: false,
        Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-type', Value: 'Isolated' }]),
      },
    });
    expect(Object.keys(isolated)).toHaveLength(9);
  });

  test('has no internet gateway and no NAT', () => {
    const { template } = synthSpoke();

    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
  });

  test('VPC has DNS support and hostnames', () => {
    const { template } = synthSpoke();

    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.20.0.0/16',
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
    });
  });

  test('default security group is closed', () => {
    const { template } = synthSpoke();

    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('attachment uses the transit subnets', () => {
    const { f, template } = synthSpoke();

    const transitSubnets = template.findResources('AWS::EC2::Subnet', {
      Properties: { Tags: Match.arrayWith([{ Key: 'aws-cdk:subnet-name', Value: 'transit' }]) },
    });
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: { Ref: logicalIdOf(f.stack, f.hub.transitGatewayId) },
      SubnetIds: Match.arrayEquals(Object.keys(transitSubnets).map((id) => ({ Ref: id }))),
    });
  });

  test('attachment has DNS support and no appliance mode', () => {
    const { template } = synthSpoke();

    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      Options: { DnsSupport: 'enable', ApplianceModeSupport: 'disable', Ipv6Support: 'disable' },
    });
  });

  test('default routes to hub follow attachment', () => {
    const { f, spoke, template } = synthSpoke();

    const routes = template.findResources('AWS::EC2::Route');
    expect(Object.keys(routes)).toHaveLength(6);
    for (const route of Object.values(routes)) {
      expect(route.Properties).toMatchObject({
        DestinationCidrBlock: '0.0.0.0/0',
        TransitGatewayId: { Ref: logicalIdOf(f.stack, f.hub.transitGatewayId) },
      });
      expect(route.DependsOn).toEqual([logicalIdOf(f.stack, spoke.attachmentId)]);
    }
  });

  test('only application and data subnets route to the hub', () => {
    const { spoke, template } = synthSpoke();

    const routedTables = Object.values(template.findResources('AWS::EC2::Route')).map((route) => route.Properties.RouteTableId.Ref);
    const expected = spoke.vpc.selectSubnets({ subnetGroupName: 'application' }).subnets
      .concat(spoke.vpc.selectSubnets({ subnetGroupName: 'data' }).subnets)
      .map((subnet) => Stack.of(spoke).resolve(subnet.routeTable.routeTableId).Ref);
    expect(routedTables.sort()).toEqual(expected.sort());
  });

  test('attachment is associated with its domain route table', () => {
    const { f, spoke, template } = synthSpoke();

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: { Ref: logicalIdOf(f.stack, spoke.attachmentId) },
      TransitGatewayRouteTableId: { Ref: logicalIdOf(f.stack, f.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION)) },
    });
  });

  test('propagates only into policy peers', () => {
    const { f, template } = synthSpoke();

    const propagatedTables = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .map((propagation) => propagation.Properties.TransitGatewayRouteTableId.Ref);
    const peers = [
      RoutingDomain.MANAGEMENT,
      RoutingDomain.SHARED_SERVICES,
      RoutingDomain.INTERNET_DMZ,
      RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ,
    ].map((domain) => logicalIdOf(f.stack, f.hub.routeTableId(domain)));
    expect(propagatedTables.sort()).toEqual(peers.sort());
    expect(propagatedTables).not.toContain(logicalIdOf(f.stack, f.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION)));
  });

  test('flow log records all traffic to the bucket', () => {
    const { template } = synthSpoke();

    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::example-log-archive/vpc-flow-logs/production/lib-case-management']],
      },
      DestinationOptions: { FileFormat: 'parquet', HiveCompatiblePartitions: true, PerHourPartition: true },
    });
  });

  test('creates the Session Manager endpoints', () => {
    const { template } = synthSpoke();

    template.resourceCountIs('AWS::EC2::VPCEndpoint', 5);
    for (const service of ['ssm', 'ssmmessages', 'ec2messages', 'kms', 'logs']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: `com.amazonaws.eu-west-2.${service}`,
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^SpokeapplicationSubnet') }]),
      });
    }
  });

  test('endpoints accept only HTTPS from the VPC', () => {
    const { spoke, template } = synthSpoke();

    const groupId = Stack.of(spoke).resolve(spoke.endpointSecurityGroup!.securityGroupId);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [{ CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from the VPC' }],
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { SecurityGroupIds: [groupId] });
  });

  test('Name tags combine tier and VPC', () => {
    const { template } = synthSpoke();

    template.hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'production-lib-case-management' }]),
    });
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'production-lib-case-management' }]),
    });
  });

  test('tags resources with the routing domain', () => {
    const { template } = synthSpoke();

    for (const type of ['AWS::EC2::VPC', 'AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::Subnet', 'AWS::EC2::FlowLog']) {
      template.hasResourceProperties(type, {
        Tags: Match.arrayWith([{ Key: 'RoutingDomain', Value: 'business-application' }]),
      });
    }
  });

  test('exposes VPC, attachment, domain and CIDR', () => {
    const { f, spoke } = synthSpoke();

    expect(f.stack.resolve(spoke.vpc.vpcId)).toEqual({ Ref: expect.stringMatching(/^Spoke/) });
    expect(Token.isUnresolved(spoke.attachmentId)).toBe(true);
    expect(spoke.domain).toBe(RoutingDomain.BUSINESS_APPLICATION);
    expect(spoke.cidr).toBe('10.20.0.0/16');
  });

  test('adds no warnings', () => {
    const { f } = synthSpoke();

    expect(Annotations.fromStack(f.stack).findWarning('*', Match.anyValue())).toEqual([]);
  });
});

describe('SpokeVpc template checks', () => {
  test('cdk-nag packs report no findings', () => {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const f = fixture(RECOMMENDED_FEATURE_FLAGS);
    new SpokeVpc(f.stack, 'Spoke', baseProps(f));
    Aspects.of(f.app).add(new AwsSolutionsChecks());
    Aspects.of(f.app).add(new NIST80053R5Checks());

    f.app.synth();

    const annotations = Annotations.fromStack(f.stack);
    const errors = annotations.findError('*', Match.anyValue()).map((e) => `${e.id}: ${e.entry.data}`);
    const warnings = annotations.findWarning('*', Match.anyValue()).map((w) => `${w.id}: ${w.entry.data}`);
    expect(errors).toEqual([]);
    // The NIST pack reports an open default security group as a warning, not an error.
    expect(warnings).toEqual([]);
  });

  test('named zones are acknowledged for cfn-lint', () => {
    const { template } = synthSpoke();

    const acknowledged = template.findResources('AWS::EC2::Subnet', {
      Metadata: { 'cfn-lint': { config: { ignore_checks: ['W3010'] } } },
    });
    expect(Object.keys(acknowledged)).toHaveLength(9);
  });

  test('shared provider is acknowledged once', () => {
    const f = fixture();
    new SpokeVpc(f.stack, 'First', baseProps(f));
    new SpokeVpc(f.stack, 'Second', { ...baseProps(f), vpcName: 'second', cidr: '10.21.0.0/16' });

    const template = Template.fromStack(f.stack);
    const handlers = template.findResources('AWS::Lambda::Function');
    expect(Object.values(handlers).map((handler) => handler.Metadata['cfn-lint'])).toEqual([{ config: { ignore_checks: ['W3005'] } }]);
  });
});

describe('SpokeVpc overrides', () => {
  test('availabilityZones picks the zones', () => {
    const { template } = synthSpoke({ availabilityZones: ['eu-west-2c', 'eu-west-2b', 'eu-west-2a'] });

    template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.20.0.0/18', AvailabilityZone: 'eu-west-2c' });
  });

  test('subnet masks set the tier sizes', () => {
    const { template } = synthSpoke({ applicationSubnetMask: 20, dataSubnetMask: 22 });

    expect(subnetCidrs(template, 'application')).toEqual(['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20']);
    expect(subnetCidrs(template, 'data')).toEqual(['10.20.48.0/22', '10.20.52.0/22', '10.20.56.0/22']);
  });

  test('larger data subnets are carved first', () => {
    const { template } = synthSpoke({ cidr: '10.20.0.0/24', applicationSubnetMask: 28, dataSubnetMask: 27 });

    expect(subnetCidrs(template, 'data')).toEqual(['10.20.0.0/27', '10.20.0.32/27', '10.20.0.64/27']);
    expect(subnetCidrs(template, 'application')).toEqual(['10.20.0.96/28', '10.20.0.112/28', '10.20.0.128/28']);
    expect(subnetCidrs(template, 'transit')).toEqual(['10.20.0.144/28', '10.20.0.160/28', '10.20.0.176/28']);
  });

  test.each([
    ['10.20.0.0/20', '/22', '/24'],
    ['10.20.0.0/22', '/24', '/26'],
    ['10.20.0.0/23', '/25', '/28'],
    ['10.20.0.0/24', '/27', '/28'],
  ])('default masks for a %s VPC', (cidr, application, data) => {
    const { template } = synthSpoke({ cidr });

    expect(subnetCidrs(template, 'application').every((block) => block.endsWith(application))).toBe(true);
    expect(subnetCidrs(template, 'data').every((block) => block.endsWith(data))).toBe(true);
    expect(subnetCidrs(template, 'transit').every((block) => block.endsWith('/28'))).toBe(true);
  });

  test('sessionManagerEndpoints false creates no endpoints', () => {
    const { spoke, template } = synthSpoke({ sessionManagerEndpoints: false });

    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    expect(spoke.endpointSecurityGroup).toBeUndefined();
  });

  test('management spoke propagates into its own domain', () => {
    const { f, template } = synthSpoke({ domain: RoutingDomain.MANAGEMENT });

    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayRouteTableId: { Ref: logicalIdOf(f.stack, f.hub.routeTableId(RoutingDomain.MANAGEMENT)) },
    });
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 5);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTablePropagation', {
      TransitGatewayRouteTableId: { Ref: logicalIdOf(f.stack, f.hub.routeTableId(RoutingDomain.MANAGEMENT)) },
    });
  });

  test('shared-services spoke follows the policy', () => {
    const { f, template } = synthSpoke({ domain: RoutingDomain.SHARED_SERVICES });

    const propagatedTables = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .map((propagation) => propagation.Properties.TransitGatewayRouteTableId.Ref);
    const peers = [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES, RoutingDomain.INTERNET_DMZ]
      .map((domain) => logicalIdOf(f.stack, f.hub.routeTableId(domain)));
    expect(propagatedTables.sort()).toEqual(peers.sort());
  });
});

describe('SpokeVpc on an imported hub', () => {
  function importedHubSpoke(): { stack: Stack; template: Template } {
    const f = fixture();
    const hub = TransitHub.fromTransitHubAttributes(f.stack, 'RemoteHub', {
      transitGatewayId: 'tgw-0123456789abcdef0',
      tierName: 'production',
    });
    new SpokeVpc(f.stack, 'Spoke', { ...baseProps(f), hub });
    return { stack: f.stack, template: Template.fromStack(f.stack) };
  }

  test('creates nothing on the hub side', () => {
    const { template } = importedHubSpoke();

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 0);
    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTablePropagation', 0);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', { TransitGatewayId: 'tgw-0123456789abcdef0' });
  });

  test('warns to connect from the hub account', () => {
    const { stack } = importedHubSpoke();

    Annotations.fromStack(stack).hasWarning('/Network/Spoke', Match.stringLikeRegexp(
      'routes nowhere until the account that owns transit gateway tgw-0123456789abcdef0 places it in the business-application routing domain'
      + '.*connectRemoteAttachment\\(id, \\{ attachmentId, domain: RoutingDomain.BUSINESS_APPLICATION, cidrs: \\[\'10\\.\\d+\\.\\d+\\.\\d+/\\d+\'\\] \\}\\)'
      + '.*\\[ack: @ssd-platform/transit-network:remoteHubAttachment\\]'));
  });

  test('outputs the attachment ID', () => {
    const { template } = importedHubSpoke();

    template.hasOutput('*', { Value: { Ref: Match.stringLikeRegexp('^SpokeAttachment') } });
  });
});

describe('SpokeVpc validation', () => {
  test('rejects the internet DMZ domain', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), domain: RoutingDomain.INTERNET_DMZ })))
      .toThrow(/domain is "internet-dmz", a DMZ domain: .*A spoke VPC uses one of: management, business-application, shared-services\./);
  });

  test('rejects the government-network DMZ domain', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), domain: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ })))
      .toThrow(/domain is "government-network-business-dmz", a DMZ domain/);
  });

  test('rejects an unknown domain', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), domain: 'workload' })))
      .toThrow(/domain is "workload", which is not a routing domain; use one of: management, business-application, shared-services\./);
  });

  test.each(['LIB', 'lib_app', 'lib-', 'x', '1lib', 'a'.repeat(33)])('rejects vpcName %s', (vpcName) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), vpcName })))
      .toThrow(/vpcName is ".*"; use 2 to 32 lower-case letters, digits and hyphens starting with a letter/);
  });

  test.each(['10.20.0.0', '10.20.0.0/33', '10.256.0.0/16', 'ten/16', ''])('rejects cidr %j', (cidr) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), cidr })))
      .toThrow(/cidr is ".*"; use an IPv4 CIDR block, for example "10\.20\.0\.0\/16"\./);
  });

  test('rejects cidr with host bits', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), cidr: '10.20.1.0/16' })))
      .toThrow(/cidr is "10\.20\.1\.0\/16", which has host bits set; use its network address, 10\.20\.0\.0\/16\./);
  });

  test.each(['10.0.0.0/15', '10.20.0.0/25'])('rejects cidr size %s', (cidr) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), cidr })))
      .toThrow(/a spoke VPC's block must be from \/16 \(the largest AWS allows\) to \/24/);
  });

  test('rejects a token cidr', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), cidr: Token.asString({ Ref: 'Cidr' }) })))
      .toThrow(/cidr is a token .*; pass the CIDR block as a string/);
  });

  test('rejects two zones', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), availabilityZones: ['eu-west-2a', 'eu-west-2b'] })))
      .toThrow(/availabilityZones is \["eu-west-2a","eu-west-2b"\]; pass 3 distinct zones/);
  });

  test('rejects zones of another region', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), availabilityZones: ['eu-west-1a', 'eu-west-2b', 'eu-west-2c'] })))
      .toThrow(/availabilityZones\[0\] is "eu-west-1a", which is not in the stack's region eu-west-2\./);
  });

  test('default zones need a stack region', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    const flowLogBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');

    expect(() => new SpokeVpc(stack, 'Spoke', { hub, flowLogBucket, domain: RoutingDomain.MANAGEMENT, vpcName: 'mgmt', cidr: '10.0.0.0/16' }))
      .toThrow(/availabilityZones is undefined and the stack has no region/);
  });

  test.each([
    ['applicationSubnetMask', 29],
    ['applicationSubnetMask', 15],
    ['dataSubnetMask', 20.5],
    ['dataSubnetMask', '24'],
  ])('rejects %s %j', (prop, value) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), [prop]: value })))
      .toThrow(new RegExp(`${prop} is .*; use a whole number from 16 to 28, the subnet sizes AWS allows\\.`));
  });

  test('rejects subnets that do not fit', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), cidr: '10.20.0.0/24', applicationSubnetMask: 26 })))
      .toThrow(/applicationSubnetMask \/26 and dataSubnetMask \/28 do not fit in a \/24 VPC: 3 zones of application, data and \/28 transit subnets need 288 addresses and the VPC has 256\. Use smaller subnets \(larger masks\), for example the defaults for a \/24: \/27 and \/28\./);
  });

  test('rejects a subnet as large as the VPC', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), dataSubnetMask: 16 })))
      .toThrow(/applicationSubnetMask \/18 and dataSubnetMask \/16 do not fit in a \/16 VPC/);
  });

  test('rejects a missing hub', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), hub: undefined })))
      .toThrow(/hub is undefined; pass the TransitHub of the VPC's tier/);
  });

  test('rejects a hub that is not a construct', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), hub: { transitGatewayId: 'tgw-0123456789abcdef0' } })))
      .toThrow(/hub is \{"transitGatewayId":"tgw-0123456789abcdef0"\}, which is not a transit hub/);
  });

  test('rejects a construct that is not a transit hub', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), hub: new Construct(f.stack, 'NotAHub') })))
      .toThrow(/hub is the construct Network\/NotAHub, which is not a transit hub: its transitGatewayId is undefined, not a string/);
  });

  test('rejects a hub in another region', () => {
    const app = new App();
    const hubStack = new Stack(app, 'Hub', { env: { account: ENV.account, region: 'eu-west-1' } });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Spoke', { env: ENV });
    const flowLogBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');

    expect(() => new SpokeVpc(stack, 'Spoke', { hub, flowLogBucket, domain: RoutingDomain.MANAGEMENT, vpcName: 'mgmt', cidr: '10.0.0.0/16' }))
      .toThrow(/hub is in region eu-west-1 but the VPC's stack is in eu-west-2; a VPC can attach only to a transit gateway in its own region/);
  });

  test('rejects a managed hub in another account', () => {
    const app = new App();
    const hubStack = new Stack(app, 'Hub', { env: { account: '222222222222', region: ENV.region } });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Spoke', { env: ENV });
    const flowLogBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');

    expect(() => new SpokeVpc(stack, 'Spoke', { hub, flowLogBucket, domain: RoutingDomain.MANAGEMENT, vpcName: 'mgmt', cidr: '10.0.0.0/16' }))
      .toThrow(/hub is in account 222222222222 but the VPC's stack is in 111111111111; share the hub with this account and import it with TransitHub\.fromTransitHubAttributes/);
  });

  test('accepts a hub in another stack of the same account', () => {
    const app = new App();
    const hubStack = new Stack(app, 'Hub', { env: ENV });
    const hub = new TransitHub(hubStack, 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Spoke', { env: ENV });
    const flowLogBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');

    new SpokeVpc(stack, 'Spoke', { hub, flowLogBucket, domain: RoutingDomain.MANAGEMENT, vpcName: 'mgmt', cidr: '10.0.0.0/16' });

    Template.fromStack(stack).resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
  });

  test('rejects a missing flow-log bucket', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), flowLogBucket: undefined })))
      .toThrow(/flowLogBucket is undefined; pass the bucket that archives VPC flow logs/);
  });

  test.each([
    ['a bucket name', 'example-log-archive', /flowLogBucket is "example-log-archive", which is not an s3\.IBucket; pass the bucket that archives VPC flow logs as a bucket object, not its name or ARN, for example s3\.Bucket\.fromBucketName/],
    ['a bucket ARN', 'arn:aws:s3:::example-log-archive', /flowLogBucket is "arn:aws:s3:::example-log-archive", which is not an s3\.IBucket/],
    ['an empty object', {}, /flowLogBucket is \{\}, which is not an s3\.IBucket/],
  ])('rejects a flow-log bucket that is %s', (_kind, flowLogBucket, message) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), flowLogBucket }))).toThrow(message);
  });

  test('rejects a construct that is not a bucket', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), flowLogBucket: new Construct(f.stack, 'NotABucket') })))
      .toThrow(/flowLogBucket is the construct Network\/NotABucket, which is not an s3\.IBucket/);
  });

  test.each(['false', 0, null])('rejects sessionManagerEndpoints %j', (sessionManagerEndpoints) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), sessionManagerEndpoints })))
      .toThrow(/sessionManagerEndpoints is .*; use true or false, or leave it out to create the endpoints\./);
  });

  test.each([
    ['224.0.0.0/16', '224\\.0\\.0\\.0\\/4, the multicast range'],
    ['127.0.0.0/16', '127\\.0\\.0\\.0\\/8, the loopback range'],
    ['169.254.0.0/16', '169\\.254\\.0\\.0\\/16, the link-local range'],
    ['0.0.0.0/16', '0\\.0\\.0\\.0\\/8, addresses of "this network"'],
    ['255.255.0.0/16', '240\\.0\\.0\\.0\\/4, the reserved range'],
  ])('rejects cidr %s in an unusable range', (cidr, range) => {
    expect(buildSpoke((f) => ({ ...baseProps(f), cidr })))
      .toThrow(new RegExp(`cidr is "${cidr.replace(/[./]/g, '\\$&')}", which overlaps ${range}.*No network can route these addresses to a VPC`));
  });

  test.each(['100.64.0.0/16', '172.17.0.0/16', '192.168.0.0/16'])('accepts cidr %s', (cidr) => {
    const { spoke } = synthSpoke({ cidr });

    expect(spoke.cidr).toBe(cidr);
  });

  test('shows a token subnet mask as a token', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), applicationSubnetMask: Token.asNumber({ Ref: 'Mask' }) })))
      .toThrow(/applicationSubnetMask is a token; use a whole number from 16 to 28/);
  });

  test('rejects default zones in a region outside the zone table', () => {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: { account: ENV.account, region: 'us-west-1' } });
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    const flowLogBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');

    expect(() => new SpokeVpc(stack, 'Spoke', { hub, flowLogBucket, domain: RoutingDomain.MANAGEMENT, vpcName: 'mgmt', cidr: '10.0.0.0/16' }))
      .toThrow(/availabilityZones is undefined and the stack's region us-west-1 is not in this package's table of zone names/);
  });

  test('rejects a zone that eu-west-2 does not have', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), availabilityZones: ['eu-west-2a', 'eu-west-2b', 'eu-west-2d'] })))
      .toThrow(/availabilityZones\[2\] is "eu-west-2d", which is not a zone of eu-west-2; use eu-west-2a, eu-west-2b, eu-west-2c\./);
  });

  test('accepts explicit zones in a stack without a region', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    const flowLogBucket = s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive');

    new SpokeVpc(stack, 'Spoke', { hub, flowLogBucket, domain: RoutingDomain.MANAGEMENT, vpcName: 'mgmt', cidr: '10.0.0.0/16', availabilityZones: ZONES });

    expect(Template.fromStack(stack).findResources('AWS::EC2::Subnet', { Properties: { AvailabilityZone: 'eu-west-2c' } })).not.toEqual({});
  });

  test('lists every problem in one error', () => {
    expect(buildSpoke(() => ({ domain: RoutingDomain.INTERNET_DMZ, vpcName: 'Bad Name', cidr: '10.20.0.1/12' })))
      .toThrow(/^Invalid SpokeVpc props at Network\/Spoke:\n  - hub is undefined.*\n  - domain is "internet-dmz".*\n  - vpcName is "Bad Name".*\n  - flowLogBucket is undefined.*\n  - cidr is "10\.20\.0\.1\/12", which has host bits set.*\n  - cidr is "10\.20\.0\.1\/12"; a spoke VPC's block must be from \/16/);
  });

  test('missing props give the validation error', () => {
    expect(buildSpoke(() => undefined)).toThrow(/^Invalid SpokeVpc props at Network\/Spoke:\n  - hub is undefined/);
  });
});

describe('SpokeVpc on additional hubs', () => {
  /** A second tier's hub in the same stack, and a spoke attached to both. */
  function dualHubSpoke(routedCidrs: string[] = ['10.72.0.0/14']): { f: Fixture; second: TransitHub; spoke: SpokeVpc; template: Template } {
    const f = fixture();
    const second = new TransitHub(f.stack, 'SecondHub', { tierName: 'non-production', amazonSideAsn: 64601 });
    const spoke = new SpokeVpc(f.stack, 'Spoke', {
      ...baseProps(f),
      domain: RoutingDomain.SHARED_SERVICES,
      additionalHubs: [{ hub: second, routedCidrs }],
    });
    return { f, second, spoke, template: Template.fromStack(f.stack) };
  }

  test('attaches to the second hub in the transit subnets', () => {
    const { f, second, spoke, template } = dualHubSpoke();

    template.resourceCountIs('AWS::EC2::TransitGatewayVpcAttachment', 2);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: f.stack.resolve(second.transitGatewayId),
      SubnetIds: f.stack.resolve(spoke.vpc.selectSubnets({ subnetGroupName: 'transit' }).subnetIds),
    });
    expect(spoke.additionalAttachmentIds).toHaveLength(1);
  });

  test('the VPC is named without a tier, its attachments with their hub\'s tier', () => {
    const { template } = dualHubSpoke();

    template.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'Name', Value: 'lib-case-management' }]) });
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', { Tags: Match.arrayWith([{ Key: 'Name', Value: 'non-production-lib-case-management' }]) });
  });

  test('routes only the listed ranges to the second hub', () => {
    const { f, second, template } = dualHubSpoke(['10.72.0.0/14', '10.76.0.0/16']);

    const routes = template.findResources('AWS::EC2::Route', {
      Properties: { TransitGatewayId: f.stack.resolve(second.transitGatewayId) },
    });
    const destinations = Object.values(routes).map((route) => route.Properties.DestinationCidrBlock);
    // Three application and three data subnets, two ranges each.
    expect(destinations.sort()).toEqual([...Array(6).fill('10.72.0.0/14'), ...Array(6).fill('10.76.0.0/16')].sort());
    for (const route of Object.values(routes)) {
      expect(route.DependsOn).toEqual([expect.stringMatching(/AdditionalHub1Attachment/)]);
    }
  });

  test('transit subnets route to neither hub', () => {
    const { f, spoke, template } = dualHubSpoke();
    const transitRouteTables = spoke.vpc.selectSubnets({ subnetGroupName: 'transit' }).subnets
      .map((subnet) => f.stack.resolve(subnet.routeTable.routeTableId));

    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    const isTransitTable = (table: unknown) => transitRouteTables.some((transit) => JSON.stringify(transit) === JSON.stringify(table));
    const fromTransit = routes.filter((route) => isTransitTable(route.Properties.RouteTableId));
    expect(fromTransit).toEqual([]);
  });

  test('second attachment joins its domain on the second hub', () => {
    const { f, second, spoke, template } = dualHubSpoke();

    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: f.stack.resolve(spoke.additionalAttachmentIds[0]),
      TransitGatewayRouteTableId: f.stack.resolve(second.routeTableId(RoutingDomain.SHARED_SERVICES)),
    });
  });

  test('imported second hub gets a warning and an output', () => {
    const f = fixture();
    const imported = TransitHub.fromTransitHubAttributes(f.stack, 'Other', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'non-production' });
    new SpokeVpc(f.stack, 'Spoke', {
      ...baseProps(f),
      domain: RoutingDomain.SHARED_SERVICES,
      additionalHubs: [{ hub: imported, routedCidrs: ['10.72.0.0/14'] }],
    });

    Annotations.fromStack(f.stack).hasWarning('/Network/Spoke', Match.stringLikeRegexp('tgw-0123456789abcdef0'));
    Template.fromStack(f.stack).hasOutput('*', { Description: Match.stringLikeRegexp('to tgw-0123456789abcdef0') });
  });

  test('same hub twice is rejected', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), additionalHubs: [{ hub: f.hub, routedCidrs: ['10.72.0.0/14'] }] }))).toThrow(
      /additionalHubs\[0\]\.hub is transit gateway .*, which the VPC already attaches to; a VPC attaches to a transit gateway once\./);
  });

  test('empty routedCidrs is rejected', () => {
    expect(buildSpoke((f) => ({
      ...baseProps(f),
      additionalHubs: [{ hub: new TransitHub(f.stack, 'SecondHub', { tierName: 'other' }), routedCidrs: [] }],
    }))).toThrow('additionalHubs[0].routedCidrs is []; list the ranges to send to this hub');
  });

  test('public routed range is rejected', () => {
    expect(buildSpoke((f) => ({
      ...baseProps(f),
      additionalHubs: [{ hub: new TransitHub(f.stack, 'SecondHub', { tierName: 'other' }), routedCidrs: ['8.8.8.0/24'] }],
    }))).toThrow('additionalHubs[0].routedCidrs[0] is "8.8.8.0/24", which is not a private range');
  });

  test('routed range overlapping the VPC is rejected', () => {
    expect(buildSpoke((f) => ({
      ...baseProps(f),
      additionalHubs: [{ hub: new TransitHub(f.stack, 'SecondHub', { tierName: 'other' }), routedCidrs: ['10.20.0.0/20'] }],
    }))).toThrow("additionalHubs[0].routedCidrs[0] 10.20.0.0/20 overlaps the VPC's own range 10.20.0.0/16.");
  });

  test('ranges of two hubs must not overlap', () => {
    expect(buildSpoke((f) => ({
      ...baseProps(f),
      additionalHubs: [
        { hub: new TransitHub(f.stack, 'SecondHub', { tierName: 'second' }), routedCidrs: ['10.72.0.0/14'] },
        { hub: new TransitHub(f.stack, 'ThirdHub', { tierName: 'third' }), routedCidrs: ['10.74.0.0/16'] },
      ],
    }))).toThrow('additionalHubs[1].routedCidrs[0] 10.74.0.0/16 overlaps additionalHubs[0].routedCidrs[0] 10.72.0.0/14; each range goes to one hub.');
  });

  test('a hub that is not a transit hub is rejected', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), additionalHubs: [{ hub: 'tgw-1', routedCidrs: ['10.72.0.0/14'] }] }))).toThrow(
      'additionalHubs[0].hub is "tgw-1", which is not a transit hub');
  });

  test('additionalHubs that is not a list is rejected', () => {
    expect(buildSpoke((f) => ({ ...baseProps(f), additionalHubs: { hub: f.hub } }))).toThrow(
      'additionalHubs is {');
  });
});
