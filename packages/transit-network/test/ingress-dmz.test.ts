import {
  App,
  Duration,
  Fn,
  Stack,
  Token,
  aws_certificatemanager as acm,
  aws_ec2 as ec2,
  aws_elasticloadbalancingv2 as elbv2,
  aws_elasticloadbalancingv2_targets as targets,
  aws_kms as kms,
  aws_s3 as s3,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { IngressDmz, IngressDmzProps, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub } from '../src';
import { ENV, INTERNAL, ZONES, cdkNagErrors, errorThrownBy, logArchive, newNetworkStack, subnetsOf } from './support/dmz-fixtures';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-2222-3333-4444-555555555555';
const WEB_ACL_ARN = 'arn:aws:wafv2:eu-west-2:111111111111:regional/webacl/ingress/a1b2c3d4-5678-90ab-cdef-111111111111';
const ELB_ACCOUNT_EU_WEST_2 = '652711504416';
const WITHOUT_WAF_ID = '@ssd-platform/transit-network:ingressWithoutWaf';

interface Built {
  readonly app: App;
  readonly stack: Stack;
  readonly hub: TransitHub;
  readonly ingress: IngressDmz;
  readonly template: Template;
}

type Overrides = Partial<Omit<IngressDmzProps, 'hub'>>;

/**
 * Returns valid props for a stack, with the given overrides. Pass a function for
 * overrides that need the stack. Defaults that are overridden are not created.
 */
function propsFor(stack: Stack, hub: unknown, overrides: Record<string, unknown> | ((stack: Stack) => Record<string, unknown>)): IngressDmzProps {
  const overrideValues = typeof overrides === 'function' ? overrides(stack) : overrides;
  const byDefault = (name: string, makeDefault: () => unknown) => (name in overrideValues ? overrideValues[name] : makeDefault());
  return {
    hub,
    cidr: '10.0.254.0/24',
    internalCidrs: INTERNAL,
    logBucket: byDefault('logBucket', () => logArchive(stack)),
    certificate: byDefault('certificate', () => acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN)),
    webAclArn: WEB_ACL_ARN,
    ...overrideValues,
  } as unknown as IngressDmzProps;
}

/** Creates a hub and an IngressDmz with valid props and the given overrides, without synthesising. */
function createIngress(overrides: Overrides | ((stack: Stack) => Overrides) = {}, routingPolicy?: RoutingPolicy): Omit<Built, 'template'> {
  const app = new App();
  const stack = new Stack(app, 'Network', { env: ENV });
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production', routingPolicy });
  const ingress = new IngressDmz(stack, 'Ingress', propsFor(stack, hub, overrides as Record<string, unknown>));
  return { app, stack, hub, ingress };
}

function build(overrides: Overrides | ((stack: Stack) => Overrides) = {}, routingPolicy?: RoutingPolicy): Built {
  const created = createIngress(overrides, routingPolicy);
  return { ...created, template: Template.fromStack(created.stack) };
}

/** Builds an IngressDmz with the given props on top of valid ones and returns the error it throws. */
function errorFor(overrides: Record<string, unknown> | ((stack: Stack) => Record<string, unknown>)): string {
  const stack = newNetworkStack();
  const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
  return errorThrownBy('IngressDmz', () => new IngressDmz(stack, 'Ingress', propsFor(stack, hub, overrides)));
}

function logicalIdOf(stack: Stack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as ec2.CfnSubnet);
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

function warningsWithId(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((warning) => String(warning.entry.data));
}

function nagErrors(configure: (stack: Stack, hub: TransitHub) => void): string[] {
  // Without failSynthOnValidationErrors off, a synth with error annotations (which one
  // test expects) sets the process exit code to 1, and Jest then fails although every test passed.
  return cdkNagErrors((stack) => configure(stack, new TransitHub(stack, 'Hub', { tierName: 'production' })),
    { '@aws-cdk/core:failSynthOnValidationErrors': false });
}

describe('IngressDmz VPC', () => {
  test('public and transit subnets in each of three zones', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::Subnet', 6);
    for (const zone of ZONES) {
      expect(Object.keys(template.findResources('AWS::EC2::Subnet', { Properties: { AvailabilityZone: zone } }))).toHaveLength(2);
    }
  });

  test('public subnets take a quarter of the VPC each', () => {
    const { stack, ingress, template } = build();

    const blocks = subnetsOf(ingress, 'public').map((subnet) => template.toJSON().Resources[logicalIdOf(stack, subnet)].Properties.CidrBlock);
    expect(blocks).toEqual(['10.0.254.0/26', '10.0.254.64/26', '10.0.254.128/26']);
  });

  test('transit subnets are /28', () => {
    const { stack, ingress, template } = build();

    const blocks = subnetsOf(ingress, 'transit').map((subnet) => template.toJSON().Resources[logicalIdOf(stack, subnet)].Properties.CidrBlock);
    expect(blocks).toEqual(['10.0.254.192/28', '10.0.254.208/28', '10.0.254.224/28']);
  });

  test('internet gateway and no NAT gateway', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
  });

  test('public subnets assign no public addresses', () => {
    const { stack, ingress, template } = build();

    for (const subnet of subnetsOf(ingress, 'public')) {
      expect(template.toJSON().Resources[logicalIdOf(stack, subnet)].Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('public subnets keep the default route to the internet gateway', () => {
    const { stack, ingress, template } = build();

    const gatewayId = Object.keys(template.findResources('AWS::EC2::InternetGateway'))[0];
    for (const subnet of subnetsOf(ingress, 'public')) {
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: { Ref: gatewayId },
      });
    }
  });

  test('public subnets send internal ranges to the hub after the attachment', () => {
    const { stack, ingress, hub, template } = build();

    const attachmentId = Object.keys(template.findResources('AWS::EC2::TransitGatewayVpcAttachment'))[0];
    for (const subnet of subnetsOf(ingress, 'public')) {
      for (const cidr of INTERNAL) {
        template.hasResource('AWS::EC2::Route', {
          Properties: {
            RouteTableId: stack.resolve(subnet.routeTable.routeTableId),
            DestinationCidrBlock: cidr,
            TransitGatewayId: stack.resolve(hub.transitGatewayId),
          },
          DependsOn: Match.arrayWith([attachmentId]),
        });
      }
    }
  });

  test('transit subnets have no route to the hub', () => {
    const { stack, ingress, template } = build();

    for (const subnet of subnetsOf(ingress, 'transit')) {
      const routes = template.findResources('AWS::EC2::Route', { Properties: { RouteTableId: stack.resolve(subnet.routeTable.routeTableId) } });
      expect(Object.keys(routes)).toEqual([]);
    }
  });

  test('route IDs follow the CIDR, not its position', () => {
    const first = build({ internalCidrs: ['10.0.0.0/12', '172.16.0.0/16'] }).template;
    const reordered = build({ internalCidrs: ['172.16.0.0/16', '10.0.0.0/12'] }).template;

    const routeIds = (template: Template) => Object.keys(template.findResources('AWS::EC2::Route')).sort();
    expect(routeIds(reordered)).toEqual(routeIds(first));
  });

  test('default security group is restricted', () => {
    const { template } = build();

    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  test('flow logs go to the log bucket', () => {
    const { ingress, template } = build();

    expect(ingress.vpcFlowLogPrefix).toBe('vpc-flow-logs/production/ingress-dmz');
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      TrafficType: 'ALL',
      LogDestinationType: 's3',
      LogDestination: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('example-log-archive/vpc-flow-logs/production/ingress-dmz')])] },
    });
  });

  test('availabilityZones override places the subnets', () => {
    const { template } = build({ availabilityZones: ['eu-west-2c', 'eu-west-2b', 'eu-west-2a'] });

    template.hasResourceProperties('AWS::EC2::Subnet', { AvailabilityZone: 'eu-west-2c', CidrBlock: '10.0.254.0/26' });
  });

  test('a /16 VPC gets /18 public subnets', () => {
    const { template } = build({ cidr: '10.2.0.0/16' });

    template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.2.0.0/18' });
    template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: '10.2.192.0/28' });
  });
});

describe('IngressDmz attachment', () => {
  test('attachment in the transit subnets without appliance mode', () => {
    const { stack, ingress, hub, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayVpcAttachment', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: stack.resolve(hub.transitGatewayId),
      SubnetIds: subnetsOf(ingress, 'transit').map((subnet) => stack.resolve(subnet.subnetId)),
      Options: { ApplianceModeSupport: 'disable', DnsSupport: 'enable' },
    });
  });

  test('attachmentId is the attachment', () => {
    const { stack, ingress, template } = build();

    const attachmentId = Object.keys(template.findResources('AWS::EC2::TransitGatewayVpcAttachment'))[0];
    expect(stack.resolve(ingress.attachmentId)).toEqual({ Ref: attachmentId });
  });

  test('attachment is associated with the internet DMZ route table', () => {
    const { stack, ingress, hub, template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayRouteTableAssociation', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: stack.resolve(ingress.attachmentId),
      TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(RoutingDomain.INTERNET_DMZ)),
    });
  });

  test('propagations reach only internet DMZ peers', () => {
    const { stack, ingress, hub, template } = build();

    const propagations = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation')).map((resource) => resource.Properties);
    const expected = [RoutingDomain.MANAGEMENT, RoutingDomain.BUSINESS_APPLICATION, RoutingDomain.SHARED_SERVICES].map((domain) => ({
      TransitGatewayAttachmentId: stack.resolve(ingress.attachmentId),
      TransitGatewayRouteTableId: stack.resolve(hub.routeTableId(domain)),
    }));
    expect(propagations).toHaveLength(expected.length);
    expect(propagations).toEqual(expect.arrayContaining(expected));
  });

  test('routingPolicy decides the propagations', () => {
    const policy = new RoutingPolicy({ connections: [{ domain: RoutingDomain.BUSINESS_APPLICATION, peer: RoutingDomain.INTERNET_DMZ }] });
    const { stack, hub, template } = build({}, policy);

    const propagations = Object.values(template.findResources('AWS::EC2::TransitGatewayRouteTablePropagation')).map((resource) => resource.Properties);
    expect(propagations.map((propagation) => propagation.TransitGatewayRouteTableId))
      .toEqual([stack.resolve(hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION))]);
  });

  test('the hub adds no static route for the ingress VPC', () => {
    const { template } = build();

    template.resourceCountIs('AWS::EC2::TransitGatewayRoute', 0);
  });

  test('ingress VPC overlapping a spoke fails synth', () => {
    const { app, stack, hub } = createIngress();
    new SpokeVpc(stack, 'Casework', {
      hub,
      domain: RoutingDomain.BUSINESS_APPLICATION,
      vpcName: 'casework',
      cidr: '10.0.254.0/24',
      flowLogBucket: s3.Bucket.fromBucketName(stack, 'SpokeLogs', 'example-log-archive'),
    });

    expect(() => app.synth()).toThrow(/VPC ingress-dmz \(10\.0\.254\.0\/24, at Network\/Ingress\) and VPC casework \(10\.0\.254\.0\/24, at Network\/Casework\) overlap/);
  });
});

describe('IngressDmz load balancer', () => {
  test('load balancer is internet-facing in the public subnets', () => {
    const { stack, ingress, template } = build();

    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'application',
      Scheme: 'internet-facing',
      IpAddressType: 'ipv4',
      Subnets: subnetsOf(ingress, 'public').map((subnet) => stack.resolve(subnet.subnetId)),
      SecurityGroups: [stack.resolve(ingress.securityGroup.securityGroupId)],
    });
  });

  test('invalid header fields are dropped', () => {
    expect(loadBalancerAttributes(build().template)['routing.http.drop_invalid_header_fields.enabled']).toBe('true');
  });

  test('desync mitigation is strictest', () => {
    expect(loadBalancerAttributes(build().template)['routing.http.desync_mitigation_mode']).toBe('strictest');
  });

  test('HTTP/2 is on', () => {
    expect(loadBalancerAttributes(build().template)['routing.http2.enabled']).toBe('true');
  });

  test('requests fail closed when AWS WAF is unreachable', () => {
    expect(loadBalancerAttributes(build().template)['waf.fail_open.enabled']).toBe('false');
  });

  test('deletion protection is on by default', () => {
    expect(loadBalancerAttributes(build().template)['deletion_protection.enabled']).toBe('true');
  });

  test('deletionProtection false turns it off', () => {
    expect(loadBalancerAttributes(build({ deletionProtection: false }).template)['deletion_protection.enabled']).toBe('false');
  });

  test('HTTPS listener uses certificate and TLS policy', () => {
    const listener = listenerOnPort(build().template, 443);

    expect(listener.Protocol).toBe('HTTPS');
    expect(listener.Certificates).toEqual([{ CertificateArn: CERTIFICATE_ARN }]);
    expect(listener.SslPolicy).toBe('ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09');
  });

  test('HTTPS listener returns 404 by default', () => {
    const listener = listenerOnPort(build().template, 443);

    expect(listener.DefaultActions).toEqual([{
      Type: 'fixed-response',
      FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not found' },
    }]);
  });

  test('HTTP listener only redirects to HTTPS', () => {
    const listener = listenerOnPort(build().template, 80);

    expect(listener.Protocol).toBe('HTTP');
    expect(listener.Certificates).toBeUndefined();
    expect(listener.DefaultActions).toEqual([{
      Type: 'redirect',
      RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' },
    }]);
  });

  test('httpsListener and loadBalancer are exposed', () => {
    const { stack, ingress, template } = build();

    const [loadBalancerId] = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::LoadBalancer'));
    const [httpsListenerId] = Object.keys(template.findResources('AWS::ElasticLoadBalancingV2::Listener', { Properties: { Port: 443 } }));
    expect(stack.resolve(ingress.loadBalancer.loadBalancerArn)).toEqual({ Ref: loadBalancerId });
    expect(stack.resolve(ingress.httpsListener.listenerArn)).toEqual({ Ref: httpsListenerId });
  });

  test('workloads add IP targets behind the hub', () => {
    const { stack, ingress } = createIngress();

    ingress.httpsListener.addTargets('Casework', {
      priority: 10,
      conditions: [elbv2.ListenerCondition.hostHeaders(['casework.example.gov.uk'])],
      protocol: elbv2.ApplicationProtocol.HTTPS,
      port: 8443,
      targets: [new targets.IpTarget('10.1.4.10', 8443, 'all')],
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'ip',
      VpcId: stack.resolve(ingress.vpc.vpcId),
      Targets: [{ Id: '10.1.4.10', Port: 8443, AvailabilityZone: 'all' }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', { Priority: 10 });
  });
});

describe('IngressDmz security group', () => {
  test('HTTPS and HTTP come in from anywhere, nothing else', () => {
    const { template } = build();

    const [securityGroup] = Object.values(template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: 'Internet-facing load balancer of the production ingress DMZ' },
    }));
    expect(securityGroup.Properties.SecurityGroupIngress).toEqual([
      { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from the internet' },
      { CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 80, ToPort: 80, Description: 'HTTP from the internet, redirected to HTTPS' },
    ]);
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0);
  });

  test('TCP goes out to the internal ranges only', () => {
    const { template } = build();

    const [securityGroup] = Object.values(template.findResources('AWS::EC2::SecurityGroup', {
      Properties: { GroupDescription: 'Internet-facing load balancer of the production ingress DMZ' },
    }));
    expect(securityGroup.Properties.SecurityGroupEgress).toEqual(INTERNAL.map((cidr) => ({
      CidrIp: cidr, IpProtocol: 'tcp', FromPort: 0, ToPort: 65535, Description: 'Targets and health checks behind the transit hub',
    })));
    template.resourceCountIs('AWS::EC2::SecurityGroupEgress', 0);
  });
});

describe('IngressDmz access logs', () => {
  test('access logs go to a new SSE-S3 bucket', () => {
    const { stack, ingress, template } = build();

    const attributes = loadBalancerAttributes(template);
    expect(attributes['access_logs.s3.enabled']).toBe('true');
    expect(attributes['access_logs.s3.prefix']).toBe('alb-access-logs/production/ingress-dmz');
    expect(ingress.accessLogPrefix).toBe('alb-access-logs/production/ingress-dmz');
    expect(stack.resolve(attributes['access_logs.s3.bucket'])).toEqual(stack.resolve(ingress.accessLogBucket.bucketName));
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    });
  });

  test('new access-log bucket is versioned and closed to the public', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  test('new access-log bucket accepts TLS 1.2 or later only', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('new access-log bucket expires logs after 365 days', () => {
    const { template } = build();

    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({
          Id: 'ExpireAccessLogs',
          Status: 'Enabled',
          ExpirationInDays: 365,
          NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        })],
      },
    });
  });

  test('accessLogRetention override sets the expiry', () => {
    const { template } = build({ accessLogRetention: Duration.days(400) });

    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 400 })] },
    });
  });

  test('new access-log bucket is retained', () => {
    const { template } = build();

    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('the eu-west-2 Elastic Load Balancing account may write under the prefix', () => {
    const { stack, ingress, template } = build();

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Sid: 'AllowElasticLoadBalancingAccessLogs',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ELB_ACCOUNT_EU_WEST_2}:root`]] } },
          Action: 's3:PutObject',
          Resource: stack.resolve(ingress.accessLogBucket.arnForObjects('alb-access-logs/production/ingress-dmz/AWSLogs/111111111111/*')),
        }]),
      },
    });
  });

  test('load balancer waits for the bucket policy', () => {
    const { template } = build();

    const [policyId] = Object.keys(template.findResources('AWS::S3::BucketPolicy'));
    template.hasResource('AWS::ElasticLoadBalancingV2::LoadBalancer', { DependsOn: Match.arrayWith([policyId]) });
  });

  test('accessLogBucket override receives the logs and the grant', () => {
    const { stack, ingress, template } = build((scope) => ({
      accessLogBucket: new s3.Bucket(scope, 'OwnAccessLogs', { encryption: s3.BucketEncryption.S3_MANAGED }),
    }));

    template.resourceCountIs('AWS::S3::Bucket', 1);
    expect(ingress.accessLogBucket.node.id).toBe('OwnAccessLogs');
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(ingress.accessLogBucket.bucketName),
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowElasticLoadBalancingAccessLogs' })]) },
    });
  });

  test('imported accessLogBucket gets a warning with the grant it needs', () => {
    const { stack } = build((scope) => ({ accessLogBucket: s3.Bucket.fromBucketName(scope, 'Imported', 'example-alb-logs') }));

    expect(warningsWithId(stack, 'accessLogBucketPolicy')).toEqual([expect.stringContaining(
      `Until its owner allows the Elastic Load Balancing account ${ELB_ACCOUNT_EU_WEST_2} of eu-west-2 to call s3:PutObject on `
      + 'example-alb-logs/alb-access-logs/production/ingress-dmz/AWSLogs/111111111111/*, the load balancer fails to deploy')]);
  });

  test('stack without a region looks the account up at deploy time', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    new IngressDmz(stack, 'Ingress', propsFor(stack, hub, { availabilityZones: ZONES }));

    const template = Template.fromStack(stack);
    template.hasMapping('*', { 'eu-west-2': { value: ELB_ACCOUNT_EU_WEST_2 } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowElasticLoadBalancingAccessLogs',
          Principal: { AWS: { 'Fn::Join': ['', Match.arrayWith([Match.objectLike({ 'Fn::FindInMap': Match.arrayWith([{ Ref: 'AWS::Region' }]) })])] } },
        })]),
      },
    });
  });

  test('a region without an Elastic Load Balancing account uses the service principal', () => {
    const app = new App();
    const stack = new Stack(app, 'Network', { env: { account: ENV.account, region: 'ap-southeast-7' } });
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });
    new IngressDmz(stack, 'Ingress', propsFor(stack, hub, {
      availabilityZones: ['ap-southeast-7a', 'ap-southeast-7b', 'ap-southeast-7c'],
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN.replace('eu-west-2', 'ap-southeast-7')),
      webAclArn: WEB_ACL_ARN.replace('eu-west-2', 'ap-southeast-7'),
    }));

    Template.fromStack(stack).hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowElasticLoadBalancingAccessLogs',
          Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
        })]),
      },
    });
  });
});

describe('IngressDmz web ACL', () => {
  test('web ACL is associated when webAclArn is given', () => {
    const { stack, ingress, template } = build();

    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: stack.resolve(ingress.loadBalancer.loadBalancerArn),
      WebACLArn: WEB_ACL_ARN,
    });
  });

  test('no association without webAclArn', () => {
    const { template } = build({ webAclArn: undefined });

    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  test('missing webAclArn adds a warning', () => {
    const { stack } = build({ webAclArn: undefined });

    expect(warningsWithId(stack, WITHOUT_WAF_ID)).toEqual([expect.stringMatching(
      /^The internet-facing load balancer has no AWS WAF web ACL\. Internet-facing services need a web ACL .*pass webAclArn/)]);
  });

  test('webAclArn leaves no warning', () => {
    const { stack } = build();

    expect(warningsWithId(stack, WITHOUT_WAF_ID)).toEqual([]);
  });

  test('webAclArn token is accepted', () => {
    const { template } = build({ webAclArn: Token.asString({ Ref: 'WebAcl' }) });

    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { WebACLArn: { Ref: 'WebAcl' } });
  });
});

describe('IngressDmz cdk-nag', () => {
  test('AwsSolutions and NIST 800-53 rev 5 report no errors', () => {
    const errors = nagErrors((stack, hub) => new IngressDmz(stack, 'Ingress', propsFor(stack, hub, {})));

    expect(errors).toEqual([]);
  });

  test('without a web ACL only the WAF rule fails', () => {
    const errors = nagErrors((stack, hub) => new IngressDmz(stack, 'Ingress', propsFor(stack, hub, { webAclArn: undefined })));

    expect(errors).toEqual([expect.stringMatching(/^\/Network\/Ingress\/LoadBalancer\/Resource: NIST\.800\.53\.R5-ALBWAFEnabled: /)]);
  });
});

describe('IngressDmz validation', () => {
  test('missing hub is rejected', () => {
    expect(errorFor({ hub: undefined })).toMatch(/hub is undefined; pass the TransitHub of the tier/);
  });

  test('hub that is a transit gateway ID is rejected', () => {
    expect(errorFor({ hub: 'tgw-0123456789abcdef0' })).toMatch(/hub is "tgw-0123456789abcdef0", which is not a transit hub/);
  });

  test('imported hub is rejected', () => {
    const message = errorFor((stack) => ({
      hub: TransitHub.fromTransitHubAttributes(stack, 'Imported', { transitGatewayId: 'tgw-0123456789abcdef0', tierName: 'production' }),
    }));

    expect(message).toMatch(/hub is the imported transit hub "tgw-0123456789abcdef0" .*create it in the hub's own account/);
  });

  test.each([
    ['another region', { account: ENV.account, region: 'us-east-1' }, /hub is in region eu-west-2 but the ingress DMZ's stack is in us-east-1; a VPC can attach only to a transit gateway in its own region/],
    ['another account', { account: '222222222222', region: ENV.region }, /hub is in account 111111111111 but the ingress DMZ's stack is in 222222222222; the ingress DMZ places its attachment/],
  ])('hub in %s is rejected', (_where, env, message) => {
    const app = new App();
    const hub = new TransitHub(new Stack(app, 'Hub', { env: ENV }), 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Ingress', { env });

    expect(() => new IngressDmz(stack, 'Ingress', propsFor(stack, hub, {
      availabilityZones: env.region === ENV.region ? ZONES : ['us-east-1a', 'us-east-1b', 'us-east-1c'],
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', CERTIFICATE_ARN.replace('eu-west-2', env.region)),
      webAclArn: undefined,
    }))).toThrow(message);
  });

  test('hub in another stack of the same environment is accepted', () => {
    const app = new App();
    const hub = new TransitHub(new Stack(app, 'Hub', { env: ENV }), 'Hub', { tierName: 'production' });
    const stack = new Stack(app, 'Ingress', { env: ENV });

    new IngressDmz(stack, 'Ingress', propsFor(stack, hub, {}));

    Template.fromStack(stack).resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 1);
  });

  test.each([
    ['10.0.254.0', /cidr is "10.0.254.0", which is not an IPv4 CIDR block; use an IPv4 CIDR block from \/16 to \/24/],
    ['10.0.254.1/24', /cidr is "10.0.254.1\/24", which has host bits set; use "10.0.254.0\/24"/],
    ['10.0.254.0/25', /cidr is "10.0.254.0\/25"; .*public subnets of at least \/27 in three zones/],
    ['10.0.0.0/15', /cidr is "10.0.0.0\/15"; use an IPv4 CIDR block from \/16 to \/24/],
    ['169.254.0.0/24', /cidr is "169.254.0.0\/24", which overlaps 169\.254\.0\.0\/16, the link-local range/],
  ])('cidr %s is rejected', (cidr, message) => {
    expect(errorFor({ cidr })).toMatch(message);
  });

  test('cidr token is rejected', () => {
    expect(errorFor({ cidr: Token.asString({ Ref: 'Cidr' }) })).toMatch(/cidr is a token .*the subnets are laid out at synth time/);
  });

  test('empty internalCidrs is rejected', () => {
    expect(errorFor({ internalCidrs: [] })).toMatch(/internalCidrs is \[\]; pass the tier's supernets/);
  });

  test('internalCidrs list token is rejected', () => {
    expect(errorFor({ internalCidrs: Token.asList(Fn.importValue('TierSupernets')) }))
      .toMatch(/internalCidrs is a list token; pass a literal list, because a route and a security group rule are created for each range at synth time/);
  });

  test.each([
    [['10.0.0.0'], /internalCidrs\[0\] is "10.0.0.0", which is not an IPv4 CIDR block/],
    [['10.0.0.1/12'], /internalCidrs\[0\] is "10.0.0.1\/12", which has host bits set; use "10.0.0.0\/12"/],
    [['0.0.0.0/0'], /internalCidrs\[0\] is "0.0.0.0\/0", which is not a private range/],
    [['10.0.0.0/12', '8.8.8.0/24'], /internalCidrs\[1\] is "8.8.8.0\/24", which is not a private range\. The public subnets route internal ranges to the hub/],
    [['10.0.0.0/12', '10.1.0.0/16'], /internalCidrs\[1\] "10.1.0.0\/16" overlaps internalCidrs\[0\] "10.0.0.0\/12"/],
    [['10.0.254.0/24'], /internalCidrs\[0\] "10.0.254.0\/24" is the ingress VPC's cidr "10.0.254.0\/24" or lies inside it/],
    [['10.0.254.128/25'], /internalCidrs\[0\] "10.0.254.128\/25" is the ingress VPC's cidr "10.0.254.0\/24" or lies inside it/],
  ])('internalCidrs %j is rejected', (internalCidrs, message) => {
    expect(errorFor({ internalCidrs })).toMatch(message);
  });

  test('ingress cidr outside the internal ranges is accepted', () => {
    expect(() => build({ cidr: '192.168.0.0/24' })).not.toThrow();
  });

  test('internalCidrs tokens are accepted', () => {
    const { template } = build({ internalCidrs: [Token.asString({ Ref: 'Supernet' })] });

    template.hasResourceProperties('AWS::EC2::Route', { DestinationCidrBlock: { Ref: 'Supernet' } });
  });

  test('missing logBucket is rejected', () => {
    expect(errorFor({ logBucket: undefined })).toMatch(/logBucket is undefined; pass the log archive bucket that receives the VPC flow logs/);
  });

  test('logBucket name is rejected', () => {
    expect(errorFor({ logBucket: 'example-log-archive' })).toMatch(/logBucket is "example-log-archive", which is not an s3\.IBucket/);
  });

  test('accessLogBucket name is rejected', () => {
    expect(errorFor({ accessLogBucket: 'example-alb-logs' })).toMatch(/accessLogBucket is "example-alb-logs", which is not an s3\.IBucket/);
  });

  test('accessLogBucket encrypted with a KMS key is rejected', () => {
    const message = errorFor((stack) => ({
      accessLogBucket: new s3.Bucket(stack, 'Archive', { encryptionKey: new kms.Key(stack, 'ArchiveKey', { enableKeyRotation: true }) }),
    }));

    expect(message).toMatch(/accessLogBucket is encrypted with the KMS key a token\. Elastic Load Balancing writes access logs only to buckets encrypted with SSE-S3/);
  });

  test('imported accessLogBucket with a KMS key is rejected', () => {
    const message = errorFor((stack) => ({
      accessLogBucket: s3.Bucket.fromBucketAttributes(stack, 'Archive', {
        bucketName: 'example-log-archive',
        encryptionKey: kms.Key.fromKeyArn(stack, 'ArchiveKey', 'arn:aws:kms:eu-west-2:111111111111:key/11111111-2222-3333-4444-555555555555'),
      }),
    }));

    expect(message).toMatch(/accessLogBucket is encrypted with the KMS key "arn:aws:kms:eu-west-2:111111111111:key\/11111111-2222-3333-4444-555555555555"/);
  });

  test('accessLogBucket in another region is rejected', () => {
    const message = errorFor((stack) => ({
      accessLogBucket: s3.Bucket.fromBucketAttributes(stack, 'Elsewhere', { bucketName: 'example-alb-logs', region: 'eu-west-1' }),
    }));

    expect(message).toMatch(/accessLogBucket is in region eu-west-1 but the stack is in eu-west-2; Elastic Load Balancing writes access logs only to a bucket in the load balancer's region/);
  });

  test('accessLogRetention with accessLogBucket is rejected', () => {
    const message = errorFor((stack) => ({
      accessLogBucket: s3.Bucket.fromBucketName(stack, 'Own', 'example-alb-logs'),
      accessLogRetention: Duration.days(90),
    }));

    expect(message).toMatch(/accessLogRetention is set together with accessLogBucket, but it applies only to the bucket the construct creates/);
  });

  test.each([
    [Duration.hours(36), /accessLogRetention is 1 day 12 hours; S3 lifecycle rules expire objects after a whole number of days/],
    [Duration.days(0), /accessLogRetention is 0 days; S3 lifecycle rules expire objects after a whole number of days/],
    [365, /accessLogRetention is 365; pass a Duration, for example Duration\.days\(365\)/],
  ])('accessLogRetention %p is rejected', (accessLogRetention, message) => {
    expect(errorFor({ accessLogRetention })).toMatch(message);
  });

  test('missing certificate is rejected', () => {
    expect(errorFor({ certificate: undefined })).toMatch(/certificate is undefined; pass the certificate of the HTTPS listener/);
  });

  test('certificate ARN string is rejected', () => {
    expect(errorFor({ certificate: CERTIFICATE_ARN })).toMatch(/certificate is "arn:aws:acm:.*", which is not an acm\.ICertificate; pass a certificate object, not its ARN/);
  });

  test('certificate in us-east-1 is rejected', () => {
    const message = errorFor((stack) => ({
      certificate: acm.Certificate.fromCertificateArn(stack, 'CloudFrontCertificate', CERTIFICATE_ARN.replace('eu-west-2', 'us-east-1')),
    }));

    expect(message).toMatch(/certificate is an ACM certificate in region us-east-1 but the stack is in eu-west-2; a load balancer uses certificates from its own region only/);
  });

  test('certificate with a malformed ARN is rejected', () => {
    const message = errorFor((stack) => ({ certificate: acm.Certificate.fromCertificateArn(stack, 'Odd', 'certificate-1234') }));

    expect(message).toMatch(/certificate has the ARN "certificate-1234", which is not an ACM certificate ARN/);
  });

  test('IAM server certificate is accepted', () => {
    const { template } = build((stack) => ({
      certificate: acm.Certificate.fromCertificateArn(stack, 'IamCertificate', 'arn:aws:iam::111111111111:server-certificate/ingress'),
    }));

    expect(listenerOnPort(template, 443).Certificates).toEqual([{ CertificateArn: 'arn:aws:iam::111111111111:server-certificate/ingress' }]);
  });

  test.each([
    ['arn:aws:wafv2:eu-west-2:111111111111:regional/ipset/ingress/a1b2c3d4-5678-90ab-cdef-111111111111', /webAclArn is ".*regional\/ipset\/.*", which is not the ARN of a regional AWS WAF web ACL/],
    ['arn:aws:wafv2:eu-west-2:111111111111:regional/webacl/ingress', /webAclArn is ".*regional\/webacl\/ingress", which is not the ARN of a regional AWS WAF web ACL/],
    ['ingress-web-acl', /webAclArn is "ingress-web-acl", which is not the ARN of a regional AWS WAF web ACL; expected arn:aws:wafv2:<region>:<account>:regional\/webacl\/<name>\/<id>/],
  ])('webAclArn %s is rejected', (webAclArn, message) => {
    expect(errorFor({ webAclArn })).toMatch(message);
  });

  test('web ACL of CLOUDFRONT scope is rejected', () => {
    expect(errorFor({ webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/edge/a1b2c3d4-5678-90ab-cdef-111111111111' }))
      .toMatch(/webAclArn is ".*global\/webacl\/edge\/.*", a web ACL of CLOUDFRONT scope, which protects CloudFront distributions only/);
  });

  test('web ACL in another region is rejected', () => {
    expect(errorFor({ webAclArn: WEB_ACL_ARN.replace('eu-west-2', 'eu-west-1') }))
      .toMatch(/webAclArn names a web ACL in region eu-west-1 but the stack is in eu-west-2; AWS WAF associates a regional web ACL only with resources in its own region/);
  });

  test('webAclArn that is not a string is rejected', () => {
    expect(errorFor({ webAclArn: 42 })).toMatch(/webAclArn is 42; pass the ARN of a regional AWS WAF web ACL/);
  });

  test('availabilityZones of another region are rejected', () => {
    expect(errorFor({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }))
      .toMatch(/availabilityZones\[0\] is "eu-west-1a", which is not in the stack's region eu-west-2/);
  });

  test('two availabilityZones are rejected', () => {
    expect(errorFor({ availabilityZones: ['eu-west-2a', 'eu-west-2b'] })).toMatch(/pass 3 distinct zones/);
  });

  test('deletionProtection that is not a boolean is rejected', () => {
    expect(errorFor({ deletionProtection: 'false' })).toMatch(/deletionProtection is "false"; use true or false, or leave it out to protect the load balancer\./);
  });

  test('explicit zones are accepted in a stack without a region', () => {
    const app = new App();
    const stack = new Stack(app, 'Agnostic');
    const hub = new TransitHub(stack, 'Hub', { tierName: 'production' });

    new IngressDmz(stack, 'Ingress', propsFor(stack, hub, { availabilityZones: ZONES }));

    Template.fromStack(stack).resourceCountIs('AWS::EC2::Subnet', 6);
  });

  test('one error lists every problem', () => {
    const message = errorFor({ cidr: 'nonsense', internalCidrs: [], logBucket: undefined, certificate: undefined, webAclArn: 'nonsense' });

    expect(message).toMatch(/^Invalid IngressDmz props at Network\/Ingress:/);
    expect(message).toMatch(/cidr is "nonsense"/);
    expect(message).toMatch(/internalCidrs is \[\]/);
    expect(message).toMatch(/logBucket is undefined/);
    expect(message).toMatch(/certificate is undefined/);
    expect(message).toMatch(/webAclArn is "nonsense"/);
  });
});
