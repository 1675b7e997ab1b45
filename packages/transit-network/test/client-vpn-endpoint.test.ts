import {
  App,
  Aspects,
  Fn,
  Stack,
  Token,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DevOpsVpnEndpoint, DevOpsVpnEndpointProps, RoutingDomain, SpokeVpc, TransitHub, VpnAuthentication } from '../src';
import { DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES, keyPolicyStatements } from './support/key-policy';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const VPC_CIDR = '10.1.0.0/16';
const CLIENT_CIDR = '100.64.0.0/22';
const SERVER_CERTIFICATE_ARN = 'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-1111-1111-1111-111111111111';
const CLIENT_CA_ARN = 'arn:aws:acm:eu-west-2:111111111111:certificate/22222222-2222-2222-2222-222222222222';
const DIRECTORY_ID = 'd-1234567890';
const GROUP_SID = 'S-1-5-21-1111111111-2222222222-3333333333-1234';

interface Fixture {
  readonly app: App;
  readonly stack: Stack;
  readonly spoke: SpokeVpc;
  readonly serverCertificate: acm.ICertificate;
  readonly clientCa: acm.ICertificate;
}

/** Creates a management spoke VPC of 10.1.0.0/16 and imports two certificates, in a stack in eu-west-2. */
function fixture(app = new App()): Fixture {
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
  const spoke = new SpokeVpc(stack, 'Management', {
    hub,
    domain: RoutingDomain.MANAGEMENT,
    vpcName: 'management',
    cidr: VPC_CIDR,
    flowLogBucket: s3.Bucket.fromBucketName(stack, 'Logs', 'example-log-archive'),
  });
  const serverCertificate = acm.Certificate.fromCertificateArn(stack, 'ServerCertificate', SERVER_CERTIFICATE_ARN);
  const clientCa = acm.Certificate.fromCertificateArn(stack, 'ClientCa', CLIENT_CA_ARN);
  return { app, stack, spoke, serverCertificate, clientCa };
}

function baseProps(f: Fixture): DevOpsVpnEndpointProps {
  return {
    vpc: f.spoke.vpc,
    serverCertificate: f.serverCertificate,
    authentication: VpnAuthentication.mutualTls(f.clientCa),
    clientCidr: CLIENT_CIDR,
  };
}

interface Built {
  readonly f: Fixture;
  readonly vpn: DevOpsVpnEndpoint;
  readonly template: Template;
}

/** Builds the endpoint with the base props overridden, and returns its template. */
function build(overrides: (f: Fixture) => Partial<DevOpsVpnEndpointProps> = () => ({})): Built {
  const f = fixture();
  const vpn = new DevOpsVpnEndpoint(f.stack, 'DevOpsVpn', { ...baseProps(f), ...overrides(f) });
  return { f, vpn, template: Template.fromStack(f.stack) };
}

/** Builds the endpoint with the base props overridden (possibly with invalid values) and returns the error it throws. */
function errorFor(overrides: (f: Fixture) => Record<string, unknown>): string {
  const f = fixture();
  try {
    new DevOpsVpnEndpoint(f.stack, 'DevOpsVpn', { ...baseProps(f), ...overrides(f) } as unknown as DevOpsVpnEndpointProps);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('DevOpsVpnEndpoint accepted the props');
}

/** Builds an ec2.Vpc of 10.1.0.0/16 in the fixture's stack. */
function plainVpc(f: Fixture, props: Partial<ec2.VpcProps>): ec2.Vpc {
  return new ec2.Vpc(f.stack, 'PlainVpc', {
    ipAddresses: ec2.IpAddresses.cidr(VPC_CIDR),
    availabilityZones: ['eu-west-2a', 'eu-west-2b'],
    subnetConfiguration: [{ name: 'application', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
    ...props,
  });
}

function warnings(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((warning) => String(warning.entry.data));
}

function logicalIdOf(stack: Stack, value: string): string {
  return stack.resolve(value).Ref;
}

describe('DevOpsVpnEndpoint defaults', () => {
  test('split tunnel is on', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', { SplitTunnel: true });
  });

  test('connection log goes to the encrypted log group', () => {
    const { f, vpn, template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: { Ref: logicalIdOf(f.stack, vpn.logGroup.logGroupName) } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      KmsKeyId: f.stack.resolve(vpn.encryptionKey.keyArn),
      RetentionInDays: 365,
    });
  });

  test('log group name is fixed under the platform prefix', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/ssd-platform/client-vpn/Network-DevOpsVpn-[0-9A-F]{8}$'),
    });
  });

  test('new key lets only AWS services create grants', () => {
    const { template } = build();

    const statements = Object.values(keyPolicyStatements(template));
    expect(statements).toHaveLength(1);
    expect(statements[0]).toContainEqual(DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES);
  });

  test('new key rotates and is retained with the log group', () => {
    const { template } = build();

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('key lets CloudWatch Logs encrypt this log group only', () => {
    const { template } = build();
    const logGroupName = Object.values(template.findResources('AWS::Logs::LogGroup'))[0].Properties.LogGroupName;

    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: { Service: 'logs.eu-west-2.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: {
            ArnEquals: {
              'kms:EncryptionContext:aws:logs:arn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-2:111111111111:log-group:${logGroupName}`]],
              },
            },
          },
        }]),
      },
    });
  });

  test('users are authorised for the VPC CIDR only', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::ClientVpnAuthorizationRule', 1);
    template.hasResourceProperties('AWS::EC2::ClientVpnAuthorizationRule', {
      TargetNetworkCidr: VPC_CIDR,
      AuthorizeAllGroups: true,
      AccessGroupId: Match.absent(),
    });
  });

  test('no routes are added, so none to the internet', () => {
    const { template } = build();

    // The VPC's own block is routed by Client VPN when it associates the subnets.
    template.resourceCountIs('AWS::EC2::ClientVpnRoute', 0);
  });

  test('one subnet associated per application subnet', () => {
    const { f, template } = build();
    const applicationSubnets = f.spoke.vpc.selectSubnets({ subnetGroupName: 'application' }).subnets;

    template.resourceCountIs('AWS::EC2::ClientVpnTargetNetworkAssociation', 3);
    for (const subnet of applicationSubnets) {
      template.hasResourceProperties('AWS::EC2::ClientVpnTargetNetworkAssociation', { SubnetId: f.stack.resolve(subnet.subnetId) });
    }
  });

  test('security group allows outbound to the VPC only and no inbound', () => {
    const { f, vpn, template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', { SecurityGroupIds: [f.stack.resolve(vpn.securityGroup.securityGroupId)] });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'DevOps VPN endpoint: outbound to the allowed destinations only',
      SecurityGroupEgress: [{ CidrIp: VPC_CIDR, IpProtocol: '-1', Description: 'VPN clients to an allowed destination' }],
      SecurityGroupIngress: Match.absent(),
    });
  });

  test('mutual TLS uses the client CA certificate', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      ServerCertificateArn: SERVER_CERTIFICATE_ARN,
      AuthenticationOptions: [{ Type: 'certificate-authentication', MutualAuthentication: { ClientRootCertificateChainArn: CLIENT_CA_ARN } }],
    });
  });

  test('UDP on port 443 with the self-service portal off', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', { TransportProtocol: 'udp', VpnPort: 443, SelfServicePortal: 'disabled' });
  });

  test('sessions end after eight hours', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', { SessionTimeoutHours: 8, DisconnectOnSessionTimeout: true });
  });

  test('login banner states authorised use', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      ClientLoginBannerOptions: { Enabled: true, BannerText: Match.stringLikeRegexp('authorised users .* only') },
    });
  });

  test('no self-service portal output', () => {
    const { template } = build();

    expect(Object.keys(template.findOutputs('*'))).toEqual([]);
  });

  test('mutual TLS raises no warnings', () => {
    const { f } = build();

    expect(warnings(f.stack, 'ssd-platform')).toEqual([]);
  });

  test('exposes the allowed destinations and connections', () => {
    const { vpn } = build();

    expect(vpn.allowedCidrs).toEqual([VPC_CIDR]);
    expect(vpn.connections.securityGroups).toEqual([vpn.securityGroup]);
  });
});

describe('DevOpsVpnEndpoint overrides', () => {
  test('directory authentication', () => {
    const { template } = build(() => ({ authentication: VpnAuthentication.directory(DIRECTORY_ID) }));

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      AuthenticationOptions: [{ Type: 'directory-service-authentication', ActiveDirectory: { DirectoryId: DIRECTORY_ID } }],
    });
  });

  test('directory alone warns that devices are not authenticated', () => {
    const { f } = build(() => ({ authentication: VpnAuthentication.directory(DIRECTORY_ID), authorizedGroupId: GROUP_SID }));

    expect(warnings(f.stack, 'vpnDeviceNotAuthenticated')).toEqual([expect.stringMatching(/any device with a user's credentials can connect/)]);
  });

  test('directory without a group warns that every user is authorised', () => {
    const { f } = build((fx) => ({ authentication: VpnAuthentication.mutualTlsAndDirectory(fx.clientCa, DIRECTORY_ID) }));

    expect(warnings(f.stack, 'vpnAllDirectoryUsersAuthorized'))
      .toEqual([expect.stringMatching(/Every user of directory d-1234567890 who connects may reach 10\.1\.0\.0\/16/)]);
  });

  test('mutual TLS and directory with a group', () => {
    const { f, template } = build((fx) => ({
      authentication: VpnAuthentication.mutualTlsAndDirectory(fx.clientCa, DIRECTORY_ID),
      authorizedGroupId: GROUP_SID,
    }));

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      AuthenticationOptions: [
        { Type: 'certificate-authentication', MutualAuthentication: { ClientRootCertificateChainArn: CLIENT_CA_ARN } },
        { Type: 'directory-service-authentication', ActiveDirectory: { DirectoryId: DIRECTORY_ID } },
      ],
    });
    template.hasResourceProperties('AWS::EC2::ClientVpnAuthorizationRule', {
      TargetNetworkCidr: VPC_CIDR,
      AccessGroupId: GROUP_SID,
      AuthorizeAllGroups: false,
    });
    expect(warnings(f.stack, 'ssd-platform')).toEqual([]);
  });

  test('allowed CIDRs are authorised and those outside the VPC routed', () => {
    const { f, template } = build(() => ({ allowedCidrs: ['10.1.0.0/27', '10.16.0.0/12'] }));
    const applicationSubnets = f.spoke.vpc.selectSubnets({ subnetGroupName: 'application' }).subnets;

    template.resourceCountIs('AWS::EC2::ClientVpnAuthorizationRule', 2);
    template.hasResourceProperties('AWS::EC2::ClientVpnAuthorizationRule', { TargetNetworkCidr: '10.1.0.0/27' });
    template.hasResourceProperties('AWS::EC2::ClientVpnAuthorizationRule', { TargetNetworkCidr: '10.16.0.0/12' });
    template.resourceCountIs('AWS::EC2::ClientVpnRoute', 3);
    for (const subnet of applicationSubnets) {
      template.hasResourceProperties('AWS::EC2::ClientVpnRoute', {
        DestinationCidrBlock: '10.16.0.0/12',
        TargetVpcSubnetId: f.stack.resolve(subnet.subnetId),
      });
    }
  });

  test('routes wait for the subnet associations', () => {
    const { template } = build(() => ({ allowedCidrs: ['10.16.0.0/12'] }));
    const associations = Object.keys(template.findResources('AWS::EC2::ClientVpnTargetNetworkAssociation'));

    for (const route of Object.values(template.findResources('AWS::EC2::ClientVpnRoute'))) {
      expect(route.DependsOn).toEqual(expect.arrayContaining(associations));
    }
  });

  test('security group allows outbound to each allowed CIDR', () => {
    const { template } = build(() => ({ allowedCidrs: ['10.1.0.0/27', '10.16.0.0/12'] }));

    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [
        Match.objectLike({ CidrIp: '10.1.0.0/27', IpProtocol: '-1' }),
        Match.objectLike({ CidrIp: '10.16.0.0/12', IpProtocol: '-1' }),
      ],
    });
  });

  test('session timeout of twelve hours', () => {
    const { template } = build(() => ({ sessionTimeout: ec2.ClientVpnSessionTimeout.TWELVE_HOURS }));

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', { SessionTimeoutHours: 12 });
  });

  test('log retention', () => {
    const { template } = build(() => ({ logRetention: logs.RetentionDays.TWO_YEARS }));

    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  test('given key encrypts the log and gets the CloudWatch Logs statement', () => {
    const f = fixture();
    const key = new kms.Key(f.stack, 'PlatformKey', { enableKeyRotation: true });
    new DevOpsVpnEndpoint(f.stack, 'DevOpsVpn', { ...baseProps(f), encryptionKey: key });
    const template = Template.fromStack(f.stack);

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: f.stack.resolve(key.keyArn) });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.eu-west-2.amazonaws.com' } })]) },
    });
  });

  test('imported key warns with the statement to add', () => {
    const { f } = build((fx) => ({
      encryptionKey: kms.Key.fromKeyArn(fx.stack, 'ImportedKey', 'arn:aws:kms:eu-west-2:111111111111:key/33333333-3333-3333-3333-333333333333'),
    }));

    const [warning] = warnings(f.stack, 'vpnLogKeyPolicy');
    expect(warning).toMatch(/encryptionKey "arn:aws:kms:eu-west-2:111111111111:key\/3{8}-.*" cannot be changed from this stack/);
    expect(warning).toMatch(/"Principal":\{"Service":"logs\.eu-west-2\.amazonaws\.com"\}/);
    expect(warning).toMatch(/"kms:EncryptionContext:aws:logs:arn":.*log-group:\/ssd-platform\/client-vpn\/Network-DevOpsVpn-/);
  });

  test('TCP transport', () => {
    const { template } = build(() => ({ transportProtocol: ec2.TransportProtocol.TCP }));

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', { TransportProtocol: 'tcp', VpnPort: 443 });
  });

  test('login banner text', () => {
    const { template } = build(() => ({ clientLoginBannerText: 'OFFICIAL-SENSITIVE: authorised DevOps staff only.' }));

    template.hasResourceProperties('AWS::EC2::ClientVpnEndpoint', {
      ClientLoginBannerOptions: { Enabled: true, BannerText: 'OFFICIAL-SENSITIVE: authorised DevOps staff only.' },
    });
  });

  test('subnets of another group', () => {
    const { f, template } = build(() => ({ subnets: { subnetGroupName: 'data' } }));
    const dataSubnets = f.spoke.vpc.selectSubnets({ subnetGroupName: 'data' }).subnets;

    for (const subnet of dataSubnets) {
      template.hasResourceProperties('AWS::EC2::ClientVpnTargetNetworkAssociation', { SubnetId: f.stack.resolve(subnet.subnetId) });
    }
  });

  test('ec2.Vpc with application subnets', () => {
    const { template } = build((fx) => ({ vpc: plainVpc(fx, {}) }));

    template.resourceCountIs('AWS::EC2::ClientVpnTargetNetworkAssociation', 2);
    template.hasResourceProperties('AWS::EC2::ClientVpnAuthorizationRule', { TargetNetworkCidr: VPC_CIDR });
  });

  test('imported VPC with a token CIDR authorises that CIDR', () => {
    const { f, template } = build((fx) => ({
      vpc: ec2.Vpc.fromVpcAttributes(fx.stack, 'ImportedVpc', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidrBlock: Fn.importValue('ManagementVpcCidr'),
        availabilityZones: ['eu-west-2a', 'eu-west-2b'],
        isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
        isolatedSubnetNames: ['application'],
      }),
    }));

    template.hasResourceProperties('AWS::EC2::ClientVpnAuthorizationRule', { TargetNetworkCidr: { 'Fn::ImportValue': 'ManagementVpcCidr' } });
    expect(warnings(f.stack, 'ssd-platform')).toEqual([]);
  });
});

describe('DevOpsVpnEndpoint cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const f = fixture(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    new DevOpsVpnEndpoint(f.stack, 'DevOpsVpn', {
      ...baseProps(f),
      authentication: VpnAuthentication.mutualTlsAndDirectory(f.clientCa, DIRECTORY_ID),
      authorizedGroupId: GROUP_SID,
      allowedCidrs: [VPC_CIDR, '10.16.0.0/12'],
    });
    Aspects.of(f.app).add(new AwsSolutionsChecks());
    Aspects.of(f.app).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(f.stack).findError('*', Match.anyValue());
    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});

describe('DevOpsVpnEndpoint validation', () => {
  test('all problems are reported in one error', () => {
    const message = errorFor(() => ({ clientCidr: '10.1.0.0/23', sessionTimeout: 9, allowedCidrs: ['8.8.8.0/24'] }));

    expect(message).toMatch(/^Invalid DevOpsVpnEndpoint props at Network\/DevOpsVpn:/);
    expect(message).toMatch(/clientCidr is "10\.1\.0\.0\/23"/);
    expect(message).toMatch(/sessionTimeout is 9/);
    expect(message).toMatch(/allowedCidrs\[0\] is "8\.8\.8\.0\/24"/);
  });

  test('missing vpc is rejected', () => {
    expect(errorFor(() => ({ vpc: undefined }))).toMatch(/vpc is undefined, which is not an ec2.IVpc; pass the management VPC/);
  });

  test('VPC imported without its CIDR block is rejected', () => {
    const message = errorFor((f) => ({
      vpc: ec2.Vpc.fromVpcAttributes(f.stack, 'ImportedVpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-2a'] }),
    }));

    expect(message).toMatch(/vpc was imported without its CIDR block; import it with vpcCidrBlock/);
  });

  test('dedicated-tenancy VPC is rejected', () => {
    const message = errorFor((f) => ({ vpc: plainVpc(f, { defaultInstanceTenancy: ec2.DefaultInstanceTenancy.DEDICATED }) }));

    expect(message).toMatch(/vpc has dedicated instance tenancy, and Client VPN cannot associate subnets/);
  });

  test.each([
    ['100.64.0.0/23', /clientCidr is "100\.64\.0\.0\/23"; Client VPN takes a client range from \/12 to \/22/],
    ['100.64.0.0/11', /clientCidr is "100\.64\.0\.0\/11"; Client VPN takes a client range from \/12 to \/22/],
    ['100.64.0', /clientCidr is "100\.64\.0", which is not an IPv4 CIDR block/],
    ['100.64.1.0/22', /clientCidr is "100\.64\.1\.0\/22", which has host bits set; use "100\.64\.0\.0\/22"/],
    ['198.51.100.0/22', /clientCidr is "198\.51\.100\.0\/22", which is not a private range/],
    ['169.254.0.0/22', /clientCidr is "169\.254\.0\.0\/22", which overlaps 169\.254\.0\.0\/16, the link-local range/],
  ])('clientCidr %s is rejected', (clientCidr, message) => {
    expect(errorFor(() => ({ clientCidr }))).toMatch(message);
  });

  test('clientCidr token is rejected', () => {
    expect(errorFor(() => ({ clientCidr: Token.asString({ Ref: 'ClientCidr' }) }))).toMatch(/clientCidr is a token; .*cannot change it after the endpoint is created/);
  });

  test('clientCidr overlapping the VPC is rejected', () => {
    expect(errorFor(() => ({ clientCidr: '10.0.0.0/14' }))).toMatch(/clientCidr "10\.0\.0\.0\/14" overlaps the VPC's CIDR block "10\.1\.0\.0\/16"/);
  });

  test('clientCidr overlapping a subnet is rejected', () => {
    expect(errorFor(() => ({ clientCidr: '10.0.0.0/14' }))).toMatch(/clientCidr "10\.0\.0\.0\/14" overlaps Network\/Management\/Resource\/applicationSubnet1/);
  });

  test('clientCidr overlapping allowedCidrs is rejected', () => {
    const message = errorFor(() => ({ clientCidr: '10.20.0.0/22', allowedCidrs: [VPC_CIDR, '10.16.0.0/12'] }));

    expect(message).toMatch(/allowedCidrs\[1\] "10\.16\.0\.0\/12" overlaps clientCidr "10\.20\.0\.0\/22"; Client VPN rejects a client range that overlaps a route/);
  });

  test.each([
    [['0.0.0.0/0'], /allowedCidrs\[0\] is "0\.0\.0\.0\/0", which is not a private range\. The VPN must not carry internet traffic/],
    [['8.8.8.0/24'], /allowedCidrs\[0\] is "8\.8\.8\.0\/24", which is not a private range/],
    [['10.1.0.0'], /allowedCidrs\[0\] is "10\.1\.0\.0", which is not an IPv4 CIDR block/],
    [['10.1.0.1/16'], /allowedCidrs\[0\] is "10\.1\.0\.1\/16", which has host bits set; use "10\.1\.0\.0\/16"/],
    [['10.1.0.0/16', '10.1.2.0/24'], /allowedCidrs\[1\] "10\.1\.2\.0\/24" overlaps allowedCidrs\[0\] "10\.1\.0\.0\/16"/],
    [[], /allowedCidrs is \[\]; pass the private ranges that users may reach/],
  ])('allowedCidrs %j is rejected', (allowedCidrs, message) => {
    expect(errorFor(() => ({ allowedCidrs }))).toMatch(message);
  });

  test('allowedCidrs list token is rejected', () => {
    expect(errorFor(() => ({ allowedCidrs: Token.asList({ Ref: 'Cidrs' }) }))).toMatch(/allowedCidrs is a list token; pass a literal list/);
  });

  test('allowedCidrs entry token is rejected', () => {
    expect(errorFor(() => ({ allowedCidrs: [Fn.importValue('Cidr')] }))).toMatch(/allowedCidrs\[0\] is a token; pass the CIDR block as a string/);
  });

  test('allowedCidrs with a VPC CIDR token is rejected', () => {
    const message = errorFor((f) => ({
      vpc: ec2.Vpc.fromVpcAttributes(f.stack, 'ImportedVpc', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidrBlock: Fn.importValue('ManagementVpcCidr'),
        availabilityZones: ['eu-west-2a', 'eu-west-2b'],
        isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
        isolatedSubnetNames: ['application'],
      }),
      allowedCidrs: ['10.16.0.0/12'],
    }));

    expect(message).toMatch(/allowedCidrs is given, but the VPC's CIDR block is not known at synth time/);
  });

  test('subnets in one zone are rejected', () => {
    const message = errorFor((f) => ({ vpc: plainVpc(f, { availabilityZones: ['eu-west-2a'] }) }));

    expect(message).toMatch(/subnets \(default \{ subnetGroupName: 'application' \}\) selects 1 subnet\(s\); select one subnet in each of at least two availability zones/);
  });

  test('two subnets in one zone are rejected', () => {
    const message = errorFor((f) => ({
      vpc: plainVpc(f, {
        availabilityZones: ['eu-west-2a'],
        subnetConfiguration: [
          { name: 'application', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
          { name: 'bastion', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        ],
      }),
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    }));

    expect(message).toMatch(/subnets selects Network\/PlainVpc\/applicationSubnet1 and Network\/PlainVpc\/bastionSubnet1, both in eu-west-2a; .*onePerAz: true/);
    expect(message).toMatch(/subnets selects subnets in one availability zone only \(eu-west-2a\)/);
  });

  test('subnets smaller than /27 are rejected', () => {
    expect(errorFor(() => ({ subnets: { subnetGroupName: 'transit' } })))
      .toMatch(/subnets selects Network\/Management\/Resource\/transitSubnet1 \(10\.1\.[0-9.]+\/28\), smaller than the \/27 that Client VPN needs/);
  });

  test('missing subnet group is rejected', () => {
    const message = errorFor((f) => ({
      vpc: plainVpc(f, { subnetConfiguration: [{ name: 'workload', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] }),
    }));

    expect(message).toMatch(/subnets \(default \{ subnetGroupName: 'application' \}\) selects no subnets of the VPC: There are no subnet groups with name 'application'/);
  });

  test('certificate ARN string is rejected', () => {
    expect(errorFor(() => ({ serverCertificate: SERVER_CERTIFICATE_ARN })))
      .toMatch(/serverCertificate is "arn:aws:acm:eu-west-2:111111111111:certificate\/1{8}-.*", which is not an acm.ICertificate; pass the server certificate/);
  });

  test('missing server certificate is rejected', () => {
    expect(errorFor(() => ({ serverCertificate: undefined }))).toMatch(/serverCertificate is undefined; pass the server certificate of the endpoint/);
  });

  test('certificate from outside ACM is rejected', () => {
    const message = errorFor((f) => ({
      serverCertificate: acm.Certificate.fromCertificateArn(f.stack, 'IamCertificate', 'arn:aws:iam::111111111111:server-certificate/vpn'),
    }));

    expect(message).toMatch(/serverCertificate has the ARN "arn:aws:iam::111111111111:server-certificate\/vpn", which is not an ACM certificate ARN/);
  });

  test('certificate in another region is rejected', () => {
    const message = errorFor((f) => ({
      serverCertificate: acm.Certificate.fromCertificateArn(f.stack, 'UsCertificate', 'arn:aws:acm:us-east-1:111111111111:certificate/44444444-4444-4444-4444-444444444444'),
    }));

    expect(message).toMatch(/serverCertificate is a certificate in region us-east-1 but the stack is in eu-west-2/);
  });

  test('client root certificate that is not an ICertificate is rejected', () => {
    const message = errorFor(() => ({ authentication: VpnAuthentication.mutualTls(CLIENT_CA_ARN as unknown as acm.ICertificate) }));

    expect(message).toMatch(/authentication\.clientRootCertificate is "arn:aws:acm:.*", which is not an acm.ICertificate; pass the ACM certificate of the CA/);
  });

  test('authentication that is not a VpnAuthentication is rejected', () => {
    expect(errorFor((f) => ({ authentication: { clientRootCertificate: f.clientCa } })))
      .toMatch(/authentication is .*; use VpnAuthentication\.mutualTls\(clientRootCertificate\), VpnAuthentication\.directory\(directoryId\)/);
  });

  test.each(['d-12345', 'D-1234567890', 'd-123456789g', ''])('directory ID %j is rejected', (directoryId) => {
    expect(errorFor(() => ({ authentication: VpnAuthentication.directory(directoryId) })))
      .toMatch(/authentication\.directoryId is ".*"; use the ID of an AWS Directory Service directory, "d-" and ten hexadecimal digits/);
  });

  test('authorizedGroupId without a directory is rejected', () => {
    expect(errorFor(() => ({ authorizedGroupId: GROUP_SID })))
      .toMatch(/authorizedGroupId is "S-1-5-21-.*", but the authentication uses no directory/);
  });

  test('authorizedGroupId that is not a SID is rejected', () => {
    const message = errorFor((f) => ({
      authentication: VpnAuthentication.mutualTlsAndDirectory(f.clientCa, DIRECTORY_ID),
      authorizedGroupId: 'DevOps Engineers',
    }));

    expect(message).toMatch(/authorizedGroupId is "DevOps Engineers"; use the security identifier \(SID\) of the Active Directory group/);
  });

  test.each([9, 6, 48])('session timeout of %d hours is rejected', (sessionTimeout) => {
    expect(errorFor(() => ({ sessionTimeout })))
      .toMatch(new RegExp(`sessionTimeout is ${sessionTimeout}; Client VPN allows sessions of 8, 10, 12, 24 hours`));
  });

  test('log retention that is not a RetentionDays is rejected', () => {
    expect(errorFor(() => ({ logRetention: 42 }))).toMatch(/logRetention is 42, which is not a CloudWatch Logs retention period/);
  });

  test('encryption key alias is rejected', () => {
    const message = errorFor((f) => ({ encryptionKey: kms.Alias.fromAliasName(f.stack, 'Alias', 'alias/platform') }));

    expect(message).toMatch(/encryptionKey is the KMS alias "alias\/platform"; pass the key itself/);
  });

  test('unknown transport protocol is rejected', () => {
    expect(errorFor(() => ({ transportProtocol: 'sctp' }))).toMatch(/transportProtocol is "sctp"; use ec2\.TransportProtocol\.UDP or ec2\.TransportProtocol\.TCP/);
  });

  test('login banner over 1400 characters is rejected', () => {
    expect(errorFor(() => ({ clientLoginBannerText: 'x'.repeat(1401) })))
      .toMatch(/clientLoginBannerText is "x{80}…" \(1401 characters\); use text of 1 to 1400 characters/);
  });

  test('empty login banner is rejected', () => {
    expect(errorFor(() => ({ clientLoginBannerText: '' }))).toMatch(/clientLoginBannerText is "" \(0 characters\); use text of 1 to 1400 characters/);
  });
});
