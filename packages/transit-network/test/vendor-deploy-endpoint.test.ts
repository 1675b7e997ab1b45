import {
  App,
  Aspects,
  Stack,
  Token,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_kms as kms,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { VendorDeployEndpoint, VendorDeployEndpointProps, VendorEnvironment, VendorServiceProtocol } from '../src';

const ENV = { account: '111111111111', region: 'eu-west-2' };
const ZONES = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];
const VENDOR_ACCOUNT = '222222222222';
const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const ARTEFACTS = { name: 'artefacts', port: 443, targetAddresses: ['10.20.1.10', '10.20.2.10'] };
const SSH = { name: 'orchestrator-ssh', port: 2222, targetPort: 22, protocol: VendorServiceProtocol.TCP, targetAddresses: ['10.20.1.20'] };
const QUOTA_WARNING_ID = '@ssd-platform/transit-network:vendorSecurityGroupRuleQuota';
const BUCKET_POLICY_WARNING_ID = '@ssd-platform/transit-network:vendorAccessLogBucketPolicy';
const KEY_POLICY_WARNING_ID = '@ssd-platform/transit-network:vendorAccessLogKeyPolicy';
const ACCOUNT_WARNING_ID = '@ssd-platform/transit-network:vendorAccountNotCompared';

type Overrides = Record<string, unknown>;

interface VpcOptions {
  readonly zones?: string[];
  readonly isolated?: boolean;
  readonly withEgress?: boolean;
  readonly public?: boolean;
  readonly cidr?: string;
}

/** Imports a VPC of 10.20.0.0/16 with one subnet of each requested kind in each zone. */
function importVpc(stack: Stack, options: VpcOptions = {}): ec2.IVpc {
  const zones = options.zones ?? ZONES;
  const ids = (kind: string) => zones.map((_zone, index) => `subnet-${kind}${index}`);
  return ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: options.cidr ?? '10.20.0.0/16',
    availabilityZones: zones,
    isolatedSubnetIds: options.isolated === false ? undefined : ids('isolated'),
    isolatedSubnetRouteTableIds: options.isolated === false ? undefined : ids('rtb-isolated'),
    privateSubnetIds: options.withEgress ? ids('private') : undefined,
    privateSubnetRouteTableIds: options.withEgress ? ids('rtb-private') : undefined,
    publicSubnetIds: options.public ? ids('public') : undefined,
    publicSubnetRouteTableIds: options.public ? ids('rtb-public') : undefined,
  });
}

/** Creates a VPC in the stack with one isolated subnet in each zone. */
function vpcInApp(stack: Stack, cidr: string): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr),
    availabilityZones: ZONES,
    natGateways: 0,
    subnetConfiguration: [{ name: 'endpoints', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
}

/**
 * Returns valid props for a stack, with the given overrides. Pass a function for
 * overrides that need the stack. Defaults that are overridden are not created.
 */
function propsFor(stack: Stack, overrides: Overrides | ((stack: Stack) => Overrides) = {}): VendorDeployEndpointProps {
  const values = typeof overrides === 'function' ? overrides(stack) : overrides;
  const byDefault = (name: string, makeDefault: () => unknown) => (name in values ? values[name] : makeDefault());
  return {
    vpc: byDefault('vpc', () => importVpc(stack)),
    vendorName: 'acme-benefits',
    vendorAccountId: VENDOR_ACCOUNT,
    environment: VendorEnvironment.PRODUCTION,
    services: [ARTEFACTS, SSH],
    certificate: byDefault('certificate', () => acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN)),
    accessLogBucket: byDefault('accessLogBucket', () => new s3.Bucket(stack, 'AccessLogs', { enforceSSL: true })),
    ...values,
  } as unknown as VendorDeployEndpointProps;
}

function build(overrides: Overrides | ((stack: Stack) => Overrides) = {}) {
  const app = new App();
  const stack = new Stack(app, 'Vendors', { env: ENV });
  const endpoint = new VendorDeployEndpoint(stack, 'Acme', propsFor(stack, overrides));
  return { stack, endpoint, template: Template.fromStack(stack) };
}

/** Builds a VendorDeployEndpoint with the given props on top of valid ones and returns the error it throws. */
function errorFor(overrides: Overrides | ((stack: Stack) => Overrides)): string {
  const app = new App();
  const stack = new Stack(app, 'Vendors', { env: ENV });
  try {
    new VendorDeployEndpoint(stack, 'Acme', propsFor(stack, overrides));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('VendorDeployEndpoint accepted the props');
}

function warningsWithId(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((warning) => String(warning.entry.data));
}

function loadBalancerAttributes(template: Template): Record<string, string> {
  const [loadBalancer] = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
  const attributes: Array<{ Key: string; Value: string }> = loadBalancer.Properties.LoadBalancerAttributes;
  return Object.fromEntries(attributes.map((attribute) => [attribute.Key, attribute.Value]));
}

function listenerOnPort(template: Template, port: number): any {
  const listeners = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::Listener', { Properties: { Port: port } }));
  expect(listeners).toHaveLength(1);
  return listeners[0].Properties;
}

function targetGroupOnPort(template: Template, port: number): any {
  const groups = Object.values(template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup', { Properties: { Port: port } }));
  expect(groups).toHaveLength(1);
  return groups[0].Properties;
}

function securityGroupRules(template: Template): { ingress: any[]; egress: any[] } {
  const [group] = Object.values(template.findResources('AWS::EC2::SecurityGroup'));
  return { ingress: group.Properties.SecurityGroupIngress ?? [], egress: group.Properties.SecurityGroupEgress ?? [] };
}

describe('VendorDeployEndpoint endpoint service', () => {
  test('endpoint service fronts the load balancer and requires acceptance', () => {
    const { template } = build();

    const loadBalancerId = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'))[0];
    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      AcceptanceRequired: true,
      NetworkLoadBalancerArns: [{ Ref: loadBalancerId }],
      SupportedIpAddressTypes: ['ipv4'],
      SupportedRegions: Match.absent(),
    });
  });

  test('endpoint service is the main resource', () => {
    const { endpoint } = build();

    expect(endpoint.node.defaultChild).toBeInstanceOf(ec2.CfnVPCEndpointService);
  });

  test('only the vendor account may connect', () => {
    const { stack, endpoint, template } = build();

    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpointServicePermissions', {
      ServiceId: stack.resolve(endpoint.serviceId),
      AllowedPrincipals: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${VENDOR_ACCOUNT}:root`]] }],
    });
    expect(stack.resolve(endpoint.allowedPrincipalArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${VENDOR_ACCOUNT}:root`]] });
  });

  test('serviceName is the region prefix and the service ID', () => {
    const { stack, endpoint } = build();

    const serviceId = Object.keys(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpointService'))[0];
    expect(stack.resolve(endpoint.serviceName)).toEqual({ 'Fn::Join': ['.', ['com.amazonaws.vpce.eu-west-2', { Ref: serviceId }]] });
  });

  test('serviceName in a stack with no region uses the deploy-time region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const endpoint = new VendorDeployEndpoint(stack, 'Acme', propsFor(stack));

    expect(JSON.stringify(stack.resolve(endpoint.serviceName))).toContain('{"Ref":"AWS::Region"}');
  });

  test.each([
    [VendorEnvironment.PRODUCTION, 'production'],
    [VendorEnvironment.PRE_PRODUCTION, 'pre-production'],
  ])('resources carry the name, vendor and %s tags', (environment, name) => {
    const { template } = build({ environment });

    const tags = [
      { Key: 'Environment', Value: name },
      { Key: 'Name', Value: `acme-benefits-${name}-deploy` },
      { Key: 'Vendor', Value: 'acme-benefits' },
    ];
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', { Tags: tags });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Tags: tags });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { Tags: tags });
  });
});

describe('VendorDeployEndpoint load balancer', () => {
  test('load balancer is internal with cross-zone load balancing', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internal', IpAddressType: 'ipv4' });
    expect(loadBalancerAttributes(template)['load_balancing.cross_zone.enabled']).toBe('true');
  });

  test('one isolated subnet per zone by default', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: ['subnet-isolated0', 'subnet-isolated1', 'subnet-isolated2'] });
  });

  test('private subnets with egress when the VPC has no isolated subnets', () => {
    const { template } = build((stack) => ({ vpc: importVpc(stack, { isolated: false, withEgress: true }) }));

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: ['subnet-private0', 'subnet-private1', 'subnet-private2'] });
  });

  test('vpcSubnets override places the load balancer', () => {
    const { template } = build((stack) => ({
      vpc: importVpc(stack, { withEgress: true }),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    }));

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: ['subnet-private0', 'subnet-private1', 'subnet-private2'] });
  });

  test('load balancer spans more than three zones when the VPC does', () => {
    const zones = [...ZONES, 'eu-west-2d'];
    const { template } = build((stack) => ({ vpc: importVpc(stack, { zones }) }));

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: Match.arrayWith(['subnet-isolated3']) });
  });

  test('deletion protection is on by default', () => {
    expect(loadBalancerAttributes(build().template)['deletion_protection.enabled']).toBe('true');
  });

  test('deletionProtection false turns it off', () => {
    expect(loadBalancerAttributes(build({ deletionProtection: false }).template)['deletion_protection.enabled']).toBe('false');
  });

  test('inbound rules apply to PrivateLink traffic', () => {
    const { endpoint, template } = build();

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: 'on',
      SecurityGroups: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AcmeSecurityGroup'), 'GroupId'] }],
    });
    expect(endpoint.loadBalancer.loadBalancerArn).toBeDefined();
  });
});

describe('VendorDeployEndpoint listeners', () => {
  test('TLS listener uses the certificate and a TLS 1.3 policy', () => {
    const listener = listenerOnPort(build().template, 443);

    expect(listener.Protocol).toBe('TLS');
    expect(listener.Certificates).toEqual([{ CertificateArn: CERTIFICATE_ARN }]);
    expect(listener.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
  });

  test('sslPolicy override sets the policy', () => {
    const listener = listenerOnPort(build({ sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS }).template, 443);

    expect(listener.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-2021-06');
  });

  test('TCP listener only for a service that asks for it', () => {
    const listener = listenerOnPort(build().template, 2222);

    expect(listener.Protocol).toBe('TCP');
    expect(listener.Certificates).toBeUndefined();
    expect(listener.SslPolicy).toBeUndefined();
  });

  test('TCP-only services need no certificate', () => {
    const { template } = build({ services: [SSH], certificate: undefined });

    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
  });

  test('TLS listener opens TLS connections to the targets', () => {
    expect(targetGroupOnPort(build().template, 443).Protocol).toBe('TLS');
  });

  test('targetTls false sends plain TCP to the targets', () => {
    const { template } = build({ services: [{ ...ARTEFACTS, targetTls: false }] });

    expect(targetGroupOnPort(template, 443).Protocol).toBe('TCP');
    expect(listenerOnPort(template, 443).Protocol).toBe('TLS');
  });

  test('targets are the given addresses on the target port', () => {
    const { template } = build();

    expect(targetGroupOnPort(template, 443)).toMatchObject({
      TargetType: 'ip',
      Targets: [{ Id: '10.20.1.10', Port: 443 }, { Id: '10.20.2.10', Port: 443 }],
    });
    expect(targetGroupOnPort(template, 22)).toMatchObject({ TargetType: 'ip', Protocol: 'TCP', Targets: [{ Id: '10.20.1.20', Port: 22 }] });
  });

  test('health checks use TCP on the traffic port', () => {
    expect(targetGroupOnPort(build().template, 443)).toMatchObject({
      HealthCheckProtocol: 'TCP',
      HealthCheckPort: 'traffic-port',
      HealthCheckIntervalSeconds: 10,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 3,
      UnhealthyThresholdCount: 3,
    });
  });

  test('listener IDs follow the service name, not its position', () => {
    const ids = (template: Template) => Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::Listener')).sort();

    expect(ids(build({ services: [SSH, ARTEFACTS] }).template)).toEqual(ids(build().template));
  });

  test('TCP listener carries a specific cdk-nag suppression', () => {
    const { endpoint } = build();

    const listener = endpoint.node.findAll().find((child) => child instanceof elbv2.CfnListener && child.protocol === 'TCP') as elbv2.CfnListener;
    expect(listener.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [{ id: 'NIST.800.53.R5-ELBv2ACMCertificateRequired', reason: expect.stringMatching(/orchestrator-ssh service was given VendorServiceProtocol\.TCP/) }],
    });
  });
});

describe('VendorDeployEndpoint security group', () => {
  test('listener ports are open to the private ranges by default', () => {
    const { ingress } = securityGroupRules(build().template);

    const sources = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];
    expect(ingress).toEqual([
      ...sources.map((cidr) => expect.objectContaining({ CidrIp: cidr, IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })),
      ...sources.map((cidr) => expect.objectContaining({ CidrIp: cidr, IpProtocol: 'tcp', FromPort: 2222, ToPort: 2222 })),
    ]);
  });

  test('vendorClientCidrs narrows the sources', () => {
    const { ingress } = securityGroupRules(build({ vendorClientCidrs: ['172.31.16.0/20'] }).template);

    expect(ingress).toEqual([
      expect.objectContaining({ CidrIp: '172.31.16.0/20', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({ CidrIp: '172.31.16.0/20', FromPort: 2222, ToPort: 2222 }),
    ]);
  });

  test('outbound rules reach each target on its port only', () => {
    const { egress } = securityGroupRules(build().template);

    expect(egress).toEqual([
      expect.objectContaining({ CidrIp: '10.20.1.10/32', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({ CidrIp: '10.20.2.10/32', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      expect.objectContaining({ CidrIp: '10.20.1.20/32', IpProtocol: 'tcp', FromPort: 22, ToPort: 22 }),
    ]);
  });

  test('rules within the quota add no warning', () => {
    expect(warningsWithId(build().stack, QUOTA_WARNING_ID)).toEqual([]);
  });

  test('rules beyond the default quota add a warning', () => {
    const services = Array.from({ length: 16 }, (_unused, index) => ({ name: `service-${index}`, port: 8000 + index, targetAddresses: ['10.20.1.10'] }));
    const { stack } = build({ services });

    expect(warningsWithId(stack, QUOTA_WARNING_ID)).toEqual([expect.stringMatching(/needs 64 inbound and 16 outbound rules, more than the default quota of 60/)]);
  });
});

describe('VendorDeployEndpoint access logs', () => {
  test('access logs go to the bucket under the vendor prefix', () => {
    const { stack, endpoint, template } = build();

    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    expect(endpoint.accessLogPrefix).toBe('nlb-access-logs/acme-benefits/production');
    expect(loadBalancerAttributes(template)).toMatchObject({
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.bucket': { Ref: bucketId },
      'access_logs.s3.prefix': 'nlb-access-logs/acme-benefits/production',
    });
    expect(warningsWithId(stack, BUCKET_POLICY_WARNING_ID)).toEqual([]);
  });

  test('log delivery may write under the prefix from this account only', () => {
    const { template } = build();

    const sourceArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-2:111111111111:*']] };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowNlbAccessLogDelivery',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [Match.anyValue(), '/nlb-access-logs/acme-benefits/production/AWSLogs/111111111111/*']] },
            Condition: {
              StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': '111111111111' },
              ArnLike: { 'aws:SourceArn': sourceArn },
            },
          }),
          Match.objectLike({
            Sid: 'AllowNlbAccessLogDeliveryAclCheck',
            Principal: { Service: 'delivery.logs.amazonaws.com' },
            Action: ['s3:GetBucketAcl', 's3:ListBucket'],
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' }, ArnLike: { 'aws:SourceArn': sourceArn } },
          }),
        ]),
      },
    });
  });

  test('load balancer waits for the bucket policy', () => {
    const { template } = build();

    const policyId = Object.keys(template.findResources('AWS::S3::BucketPolicy'))[0];
    template.hasResource('AWS::ElasticLoadBalancingV2::LoadBalancer', { DependsOn: Match.arrayWith([policyId]) });
  });

  test('KMS key policy lets log delivery use the key', () => {
    const { stack, template } = build((scope) => ({
      accessLogBucket: new s3.Bucket(scope, 'AccessLogs', { encryptionKey: new kms.Key(scope, 'LogKey', { enableKeyRotation: true }), enforceSSL: true }),
    }));

    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowNlbAccessLogDeliveryToUseTheKey',
          Principal: { Service: 'delivery.logs.amazonaws.com' },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
        })]),
      },
    });
    expect(warningsWithId(stack, KEY_POLICY_WARNING_ID)).toEqual([]);
  });

  test('imported bucket gets a warning with the grant it needs', () => {
    const { stack } = build((scope) => ({ accessLogBucket: s3.Bucket.fromBucketName(scope, 'AccessLogs', 'example-nlb-logs') }));

    expect(warningsWithId(stack, BUCKET_POLICY_WARNING_ID)).toEqual([expect.stringMatching(
      /bucket policy cannot be changed from here\. Until its owner allows delivery\.logs\.amazonaws\.com to call s3:PutObject on example-nlb-logs\/nlb-access-logs\/acme-benefits\/production\/AWSLogs\/111111111111\/\*/)]);
  });

  test('imported KMS key gets a warning', () => {
    const { stack } = build((scope) => ({
      accessLogBucket: new s3.Bucket(scope, 'AccessLogs', {
        encryptionKey: kms.Key.fromKeyArn(scope, 'LogKey', 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555'),
        enforceSSL: true,
      }),
    }));

    expect(warningsWithId(stack, KEY_POLICY_WARNING_ID)).toEqual([expect.stringMatching(/key policy cannot be changed from here\. .*kms:GenerateDataKey\*/)]);
  });
});

describe('VendorDeployEndpoint cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const app = new App({ context: { ...RECOMMENDED_FEATURE_FLAGS, '@aws-cdk/core:failSynthOnValidationErrors': false } });
    // The bucket lives in a stack of its own, as the log archive does, so that the check
    // covers the endpoint's resources rather than a stand-in bucket.
    const logging = new Stack(app, 'Logging', { env: ENV });
    const accessLogBucket = new s3.Bucket(logging, 'AccessLogs', { enforceSSL: true });
    const stack = new Stack(app, 'Vendors', { env: ENV });
    new VendorDeployEndpoint(stack, 'Acme', propsFor(stack, { accessLogBucket }));
    Aspects.of(app).add(new AwsSolutionsChecks());
    Aspects.of(app).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.anyValue()).map((error) => `${error.id}: ${error.entry.data}`);
    expect(errors).toEqual([]);
  });
});

describe('VendorDeployEndpoint validation', () => {
  test.each([
    ['12345', /vendorAccountId is "12345"; use the vendor's 12-digit AWS account ID as a string/],
    [222222222222, /vendorAccountId is 222222222222; use the vendor's 12-digit AWS account ID as a string/],
    [undefined, /vendorAccountId is undefined; use the vendor's 12-digit AWS account ID/],
  ])('vendorAccountId %j is rejected', (vendorAccountId, message) => {
    expect(errorFor({ vendorAccountId })).toMatch(message);
  });

  test('vendorAccountId of the platform account is rejected', () => {
    expect(errorFor({ vendorAccountId: ENV.account })).toMatch(/vendorAccountId is "111111111111", the account of this stack\. The vendor must connect from its own account/);
  });

  test('vendorAccountId token is accepted', () => {
    const { template } = build({ vendorAccountId: Token.asString({ Ref: 'VendorAccount' }) });

    template.resourceCountIs('AWS::EC2::VPCEndpointServicePermissions', 1);
  });

  test('vendorAccountId token warns that it was not compared', () => {
    const { stack } = build({ vendorAccountId: Token.asString({ Ref: 'VendorAccount' }) });

    expect(warningsWithId(stack, ACCOUNT_WARNING_ID)).toEqual([expect.stringMatching(/^vendorAccountId is a token, so the vendor's account could not be compared/)]);
  });

  test('stack without an account warns that the accounts were not compared', () => {
    const stack = new Stack(new App(), 'Vendors', { env: { region: ENV.region } });
    new VendorDeployEndpoint(stack, 'Acme', propsFor(stack));

    expect(warningsWithId(stack, ACCOUNT_WARNING_ID))
      .toEqual([expect.stringMatching(/^The stack has no account, so the vendor's account could not be compared with the platform's account at synth time/)]);
  });

  test('stack with an account does not warn about the accounts', () => {
    const { stack } = build();

    expect(warningsWithId(stack, ACCOUNT_WARNING_ID)).toEqual([]);
  });

  test.each([
    ['Acme_Benefits'],
    ['acme-'],
    ['-acme'],
    ['a'.repeat(33)],
    [''],
  ])('vendorName %j is rejected', (vendorName) => {
    expect(errorFor({ vendorName })).toMatch(new RegExp(`vendorName is "${vendorName}"; use 1 to 32 lower-case letters, digits and hyphens, starting with a letter`));
  });

  test('vendorName token is rejected', () => {
    expect(errorFor({ vendorName: Token.asString({ Ref: 'Vendor' }) })).toMatch(/vendorName is a token; .*cannot be a token/);
  });

  test('environment outside the enum is rejected', () => {
    expect(errorFor({ environment: 'development' })).toMatch(/environment is "development"; use VendorEnvironment\.PRE_PRODUCTION or VendorEnvironment\.PRODUCTION/);
  });

  test.each([
    [[], /services is \[\]; list the deploy services the vendor may reach, at least one/],
    [undefined, /services is undefined; list the deploy services/],
    [Token.asList({ Ref: 'Services' }), /services is a list token; list the deploy services/],
  ])('services %j is rejected', (services, message) => {
    expect(errorFor({ services })).toMatch(message);
  });

  test('more than 50 services is rejected', () => {
    const services = Array.from({ length: 51 }, (_unused, index) => ({ name: `service-${index}`, port: 8000 + index, targetAddresses: ['10.20.1.10'] }));

    expect(errorFor({ services, vendorClientCidrs: ['172.31.0.0/16'] })).toMatch(/services has 51 entries; a Network Load Balancer has at most 50 listeners/);
  });

  test('duplicate ports are rejected', () => {
    expect(errorFor({ services: [ARTEFACTS, { ...SSH, port: 443 }] }))
      .toMatch(/services\[1\]\.port is 443, the same as services\[0\]\.port; each service needs its own listener port/);
  });

  test.each([0, 65536, 44.5, -1])('port %j is rejected', (port) => {
    expect(errorFor({ services: [{ ...ARTEFACTS, port }] })).toMatch(new RegExp(`services\\[0\\]\\.port is ${port}; use a whole number from 1 to 65535`));
  });

  test('targetPort out of range is rejected', () => {
    expect(errorFor({ services: [{ ...ARTEFACTS, targetPort: 70000 }] })).toMatch(/services\[0\]\.targetPort is 70000; use a whole number from 1 to 65535/);
  });

  test('port token is accepted', () => {
    const { template } = build({ services: [{ ...ARTEFACTS, port: Token.asNumber({ Ref: 'Port' }) }] });

    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: { Ref: 'Port' } });
  });

  test('duplicate service names are rejected', () => {
    expect(errorFor({ services: [ARTEFACTS, { ...SSH, name: 'artefacts' }] }))
      .toMatch(/services\[1\]\.name is "artefacts", the same as services\[0\]\.name; give each service its own name/);
  });

  test.each([
    ['foo-1', 'foo1', 'Foo1'],
    ['foo-bar', 'foo--bar', 'FooBar'],
  ])('service names %s and %s are rejected', (first, second, constructId) => {
    const services = [{ ...ARTEFACTS, name: first }, { ...ARTEFACTS, name: second, port: 444 }];

    expect(errorFor({ services })).toMatch(new RegExp(`services\\[1\\]\\.name "${second}" and services\\[0\\]\\.name "${first}" both become `
      + `the construct ID prefix "${constructId}", .*rename one`));
  });

  test('services with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor({ services: [, ARTEFACTS] })).toMatch(/services\[0\] is missing \(the list has a hole\)/);
  });

  test('bad service name is rejected', () => {
    expect(errorFor({ services: [{ ...ARTEFACTS, name: 'Artefact Repository' }] }))
      .toMatch(/services\[0\]\.name is "Artefact Repository"; use 1 to 32 lower-case letters/);
  });

  test('service that is not an object is rejected', () => {
    expect(errorFor({ services: ['artefacts'] })).toMatch(/services\[0\] is "artefacts"; pass an object such as/);
  });

  test('protocol outside the enum is rejected', () => {
    expect(errorFor({ services: [{ ...ARTEFACTS, protocol: 'UDP' }] })).toMatch(/services\[0\]\.protocol is "UDP"; use VendorServiceProtocol\.TLS/);
  });

  test('targetTls on a TCP service is rejected', () => {
    expect(errorFor({ services: [ARTEFACTS, { ...SSH, targetTls: true }] }))
      .toMatch(/services\[1\]\.targetTls is true, but the service uses a TCP listener/);
  });

  test.each([
    [[], /services\[0\]\.targetAddresses is \[\]; list the private IPv4 addresses of the service's targets/],
    [['10.20.1'], /services\[0\]\.targetAddresses\[0\] is "10.20.1"; use an IPv4 address in dotted-decimal notation/],
    [['10.20.1.10/32'], /services\[0\]\.targetAddresses\[0\] is "10.20.1.10\/32"; use an IPv4 address/],
    [['10.20.1.10', '10.20.1.10'], /services\[0\]\.targetAddresses\[1\] is "10.20.1.10", which the list already contains/],
    [['10.21.0.1'], /services\[0\]\.targetAddresses\[0\] is "10.21.0.1", which is outside the VPC's CIDR block\(s\) 10\.20\.0\.0\/16/],
  ])('targetAddresses %j is rejected', (targetAddresses, message) => {
    expect(errorFor({ services: [{ ...ARTEFACTS, targetAddresses }] })).toMatch(message);
  });

  test('targetAddresses with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor({ services: [{ ...ARTEFACTS, targetAddresses: [, '10.20.1.10'] }] }))
      .toMatch(/services\[0\]\.targetAddresses\[0\] is missing \(the list has a hole\)/);
  });

  test('target address token is accepted', () => {
    const { template } = build({ services: [{ ...ARTEFACTS, targetAddresses: [Token.asString({ Ref: 'TargetAddress' })] }] });

    expect(targetGroupOnPort(template, 443).Targets).toEqual([{ Id: { Ref: 'TargetAddress' }, Port: 443 }]);
  });

  test('target outside a VPC defined in the app is rejected', () => {
    const message = errorFor((stack) => ({ vpc: vpcInApp(stack, '10.30.0.0/16') }));

    expect(message).toMatch(/services\[0\]\.targetAddresses\[0\] is "10.20.1.10", which is outside the VPC's CIDR block\(s\) 10\.30\.0\.0\/16/);
  });

  test('target in a secondary CIDR block is accepted', () => {
    const { template } = build((stack) => {
      const vpc = vpcInApp(stack, '10.30.0.0/16');
      new ec2.CfnVPCCidrBlock(vpc, 'Secondary', { vpcId: vpc.vpcId, cidrBlock: '10.20.0.0/16' });
      return { vpc };
    });

    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
  });

  test('VPC CIDR token skips the address check', () => {
    const { template } = build((stack) => ({
      vpc: ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidrBlock: Token.asString({ 'Fn::ImportValue': 'VpcCidr' }),
        availabilityZones: ZONES,
        isolatedSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
      }),
    }));

    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
  });

  test.each([
    ['arn:aws:acm:eu-west-2:111111111111:certificate/not-a-uuid', /certificate has the ARN "arn:aws:acm:eu-west-2:111111111111:certificate\/not-a-uuid", which is not an ACM certificate ARN/],
    ['arn:aws:iam::111111111111:server-certificate/deploy', /certificate has the ARN "arn:aws:iam::111111111111:server-certificate\/deploy", which is not an ACM certificate ARN/],
    [CERTIFICATE_ARN.replace('eu-west-2', 'us-east-1'), /certificate is an ACM certificate in region us-east-1 but the stack is in eu-west-2/],
  ])('certificate %s is rejected', (arn, message) => {
    expect(errorFor((stack) => ({ certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', arn) }))).toMatch(message);
  });

  test('certificate ARN string is rejected', () => {
    expect(errorFor({ certificate: CERTIFICATE_ARN })).toMatch(/certificate is "arn:aws:acm:.*", which is not an acm\.ICertificate; pass a certificate object, not its ARN/);
  });

  test('missing certificate with a TLS service is rejected', () => {
    expect(errorFor({ certificate: undefined })).toMatch(/certificate is undefined, but a service uses a TLS listener; pass the ACM certificate/);
  });

  test('certificate with only TCP services is rejected', () => {
    expect(errorFor({ services: [SSH] })).toMatch(/certificate is set, but every service uses a TCP listener, so no listener would present it/);
  });

  test.each([
    elbv2.SslPolicy.RECOMMENDED,
    elbv2.SslPolicy.TLS13_10,
    elbv2.SslPolicy.TLS11,
    elbv2.SslPolicy.FORWARD_SECRECY,
  ])('sslPolicy %s is rejected', (sslPolicy) => {
    expect(errorFor({ sslPolicy })).toMatch(new RegExp(`sslPolicy is "${sslPolicy}" \\(elbv2\\.SslPolicy\\.[A-Z0-9_]+\\), which accepts TLS versions older than 1\\.2\\. `
      + 'Use one of these elbv2\\.SslPolicy members, whose lowest TLS version is 1\\.2 or later: RECOMMENDED_TLS, .*TLS12_EXT; '
      + 'or leave sslPolicy out'));
  });

  test('sslPolicy outside the enum is rejected', () => {
    expect(errorFor({ sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Bogus' }))
      .toMatch(/sslPolicy is "ELBSecurityPolicy-TLS13-1-2-Bogus", which is not a member of elbv2\.SslPolicy\. Use one of these elbv2\.SslPolicy members/);
  });

  test.each([
    elbv2.SslPolicy.TLS13_13,
    elbv2.SslPolicy.FIPS_TLS13_12_RES_PQ,
    elbv2.SslPolicy.FORWARD_SECRECY_TLS12_RES_GCM,
    elbv2.SslPolicy.TLS12,
  ])('sslPolicy %s is accepted', (sslPolicy) => {
    expect(listenerOnPort(build({ sslPolicy }).template, 443).SslPolicy).toBe(sslPolicy);
  });

  test('sslPolicy with only TCP services is rejected', () => {
    expect(errorFor({ services: [SSH], certificate: undefined, sslPolicy: elbv2.SslPolicy.TLS13_13 }))
      .toMatch(/sslPolicy is "ELBSecurityPolicy-TLS13-1-3-2021-06", but no service uses a TLS listener/);
  });

  test('VPC in two zones is rejected', () => {
    expect(errorFor((stack) => ({ vpc: importVpc(stack, { zones: ['eu-west-2a', 'eu-west-2b'] }) })))
      .toMatch(/vpcSubnets \(default: private isolated or private-with-egress subnets\) selects subnets in 2 zone\(s\) \("eu-west-2a", "eu-west-2b"\); the load balancer must span at least 3 zones/);
  });

  test('VPC without private subnets is rejected', () => {
    expect(errorFor((stack) => ({ vpc: importVpc(stack, { isolated: false, public: true }) })))
      .toMatch(/vpcSubnets \(default: private isolated or private-with-egress subnets\) selects no subnets of .*: There are no 'Private' subnet groups in this VPC/);
  });

  test('public subnets are rejected', () => {
    expect(errorFor((stack) => ({ vpc: importVpc(stack, { public: true }), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })))
      .toMatch(/vpcSubnets selects public subnets \(.*\); the load balancer is internal/);
  });

  test('two subnets in one zone are rejected', () => {
    const message = errorFor((stack) => ({
      vpcSubnets: {
        subnets: ['a', 'b', 'c'].map((name, index) => ec2.Subnet.fromSubnetAttributes(stack, `Subnet${name}`, {
          subnetId: `subnet-${name}`,
          availabilityZone: index < 2 ? 'eu-west-2a' : 'eu-west-2b',
        })),
      },
    }));

    expect(message).toMatch(/vpcSubnets selects more than one subnet in a zone \(eu-west-2a, eu-west-2a, eu-west-2b\); .*onePerAz: true/);
    expect(message).toMatch(/vpcSubnets selects subnets in 2 zone\(s\)/);
  });

  test.each([
    [[], /vendorClientCidrs is \[\]; list the address ranges of the vendor's deploy clients/],
    [['172.31.0.0'], /vendorClientCidrs\[0\] is "172.31.0.0"; use an IPv4 CIDR block/],
    [['172.31.0.1/16'], /vendorClientCidrs\[0\] is "172.31.0.1\/16", which has host bits set; .*write it as 172\.31\.0\.0\/16/],
    [['0.0.0.0/0'], /vendorClientCidrs\[0\] is "0.0.0.0\/0", the whole address space, .*list the address ranges of the vendor's deploy clients/],
    [['0.0.0.0/8'], /vendorClientCidrs\[0\] is "0.0.0.0\/8", which overlaps 0\.0\.0\.0\/8/],
  ])('vendorClientCidrs %j is rejected', (vendorClientCidrs, message) => {
    expect(errorFor({ vendorClientCidrs })).toMatch(message);
  });

  test('vendorClientCidrs with a hole is rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(errorFor({ vendorClientCidrs: [, '172.31.0.0/16'] }))
      .toMatch(/vendorClientCidrs\[0\] is missing \(the list has a hole\); remove the extra comma or give the entry/);
  });

  test.each([
    ['KMS_MANAGED', s3.BucketEncryption.KMS_MANAGED],
    ['DSSE_MANAGED', s3.BucketEncryption.DSSE_MANAGED],
  ])('accessLogBucket with %s encryption is rejected', (_name, encryption) => {
    expect(errorFor((stack) => ({ accessLogBucket: new s3.Bucket(stack, 'AwsManagedKeyLogs', { encryption }) })))
      .toMatch(/accessLogBucket Vendors\/AwsManagedKeyLogs is encrypted with the AWS managed key aws\/s3 .*the policy of an AWS managed key cannot be changed\. Use BucketEncryption\.S3_MANAGED/);
  });

  test('accessLogBucket with a customer managed key is accepted', () => {
    const { template } = build((stack) => ({
      accessLogBucket: new s3.Bucket(stack, 'KeyLogs', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'LogKey') }),
    }));

    template.resourceCountIs('AWS::EC2::VPCEndpointService', 1);
  });

  test('missing accessLogBucket is rejected', () => {
    expect(errorFor({ accessLogBucket: undefined })).toMatch(/accessLogBucket is undefined; pass the bucket for the load balancer's access logs/);
  });

  test('accessLogBucket name is rejected', () => {
    expect(errorFor({ accessLogBucket: 'example-nlb-logs' })).toMatch(/accessLogBucket is "example-nlb-logs", which is not an s3\.IBucket/);
  });

  test('accessLogBucket in another region is rejected', () => {
    const message = errorFor((stack) => ({
      accessLogBucket: s3.Bucket.fromBucketAttributes(stack, 'Elsewhere', { bucketName: 'example-nlb-logs', region: 'eu-west-1' }),
    }));

    expect(message).toMatch(/accessLogBucket is in region eu-west-1 but the stack is in eu-west-2/);
  });

  test('deletionProtection that is not a boolean is rejected', () => {
    expect(errorFor({ deletionProtection: 'false' })).toMatch(/deletionProtection is "false"; use true or false/);
  });

  test('missing vpc is rejected', () => {
    expect(errorFor({ vpc: undefined })).toMatch(/vpc is undefined; pass the ec2\.IVpc that hosts the deploy services/);
  });

  test('every problem in one error', () => {
    const message = errorFor({ vendorAccountId: 'acme', vendorName: 'ACME', services: [] });

    expect(message).toMatch(/^Invalid VendorDeployEndpoint props at Vendors\/Acme:\n {2}- /);
    expect(message).toMatch(/vendorAccountId is "acme"/);
    expect(message).toMatch(/vendorName is "ACME"/);
    expect(message).toMatch(/services is \[\]/);
  });

  test('missing props give a list of problems, not a TypeError', () => {
    const stack = new Stack(new App(), 'Vendors', { env: ENV });

    expect(() => new VendorDeployEndpoint(stack, 'Acme', undefined as unknown as VendorDeployEndpointProps))
      .toThrow(/^Invalid VendorDeployEndpoint props at Vendors\/Acme:\n.*vendorName is undefined/s);
  });
});
