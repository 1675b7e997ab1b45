import { App, Aspects, Duration, Lazy, RemovalPolicy, Stack, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { HardwareKeyStore, HardwareKeyStoreProps, HsmClusterMode, HsmType } from '../src/hardware-key-store';

const ACCOUNT = '111122223333';
const AZS = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];

function newStack(region = 'eu-west-2', app: App = new App()): Stack {
  const stack = new Stack(app, 'Security', { env: { account: ACCOUNT, region } });
  // Fixed zones, so that the VPC does not look them up.
  stack.node.setContext(`availability-zones:account=${ACCOUNT}:region=${region}`, AZS.map((zone) => zone.replace('eu-west-2', region)));
  return stack;
}

function newVpc(stack: Stack, maxAzs = 2): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', {
    maxAzs,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'Hsm', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
  });
}

function synth(props: Partial<HardwareKeyStoreProps> = {}, stack: Stack = newStack()): Template {
  new HardwareKeyStore(stack, 'KeyStore', { vpc: props.vpc ?? newVpc(stack), ...props });
  return Template.fromStack(stack);
}

function clusterResource(template: Template): Record<string, any> {
  const clusters = Object.values(template.findResources('Custom::CloudHsmCluster'));
  expect(clusters).toHaveLength(1);
  return clusters[0];
}

/** Parses an AwsCustomResource call, with each reference replaced by the logical ID it refers to. */
function sdkCall(value: unknown): Record<string, any> {
  if (typeof value === 'string') {
    return JSON.parse(value);
  }
  const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : (part as { Ref: string }).Ref)).join(''));
}

function policyStatements(template: Template): Array<Record<string, any>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyName: Match.stringLikeRegexp('^KeyStoreCustomResourcePolicy') },
  }));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function actionsOf(statements: Array<Record<string, any>>): string[] {
  return statements.flatMap((statement) => [statement.Action].flat());
}

describe('HardwareKeyStore defaults', () => {
  test('creates an hsm2m.medium FIPS cluster in two zones', () => {
    const create = sdkCall(clusterResource(synth()).Properties.Create);

    expect(create).toEqual({
      service: 'CloudHSMV2',
      action: 'createCluster',
      parameters: {
        HsmType: 'hsm2m.medium',
        SubnetIds: [expect.stringMatching(/^VpcHsmSubnet1/), expect.stringMatching(/^VpcHsmSubnet2/)],
        BackupRetentionPolicy: { Type: 'DAYS', Value: '90' },
        Mode: 'FIPS',
        TagList: [{ Key: 'ssd-platform:hardware-key-store', Value: expect.stringMatching(/^SecurityKeyStore/) }],
      },
      physicalResourceId: { responsePath: 'Cluster.ClusterId' },
      outputPaths: ['Cluster.ClusterId'],
    });
  });

  test('cluster is retained and never deleted', () => {
    const cluster = clusterResource(synth());

    expect(cluster.DeletionPolicy).toBe('Retain');
    expect(cluster.UpdateReplacePolicy).toBe('Retain');
    expect(cluster.Properties.Delete).toBeUndefined();
  });

  test('update changes the backup retention', () => {
    expect(sdkCall(clusterResource(synth()).Properties.Update)).toEqual({
      service: 'CloudHSMV2',
      action: 'modifyCluster',
      parameters: { ClusterId: 'PHYSICAL:RESOURCEID:', BackupRetentionPolicy: { Type: 'DAYS', Value: '90' } },
      outputPaths: ['Cluster.ClusterId'],
    });
  });

  test('client security group reaches only the HSM ports of the HSM subnets', () => {
    synth().hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Clients of the CloudHSM cluster Security/KeyStore',
      SecurityGroupIngress: Match.absent(),
      SecurityGroupEgress: [
        { CidrIp: '10.0.2.0/24', IpProtocol: 'tcp', FromPort: 2223, ToPort: 2225, Description: 'CloudHSM client traffic to the HSM subnets' },
        { CidrIp: '10.0.3.0/24', IpProtocol: 'tcp', FromPort: 2223, ToPort: 2225, Description: 'CloudHSM client traffic to the HSM subnets' },
      ],
    });
  });

  test('custom resource may modify only its own cluster', () => {
    const statements = policyStatements(synth());

    expect(statements.find((statement) => [statement.Action].flat().includes('cloudhsm:ModifyCluster'))).toEqual({
      Effect: 'Allow',
      Action: 'cloudhsm:ModifyCluster',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:cloudhsm:eu-west-2:${ACCOUNT}:cluster/*`]] },
      Condition: { StringEquals: { 'aws:ResourceTag/ssd-platform:hardware-key-store': expect.stringMatching(/^SecurityKeyStore/) } },
    });
    expect(statements.find((statement) => [statement.Action].flat().includes('cloudhsm:CreateCluster'))?.Condition).toEqual({
      StringEquals: { 'aws:RequestTag/ssd-platform:hardware-key-store': expect.stringMatching(/^SecurityKeyStore/) },
    });
  });

  test('custom resource cannot delete by default', () => {
    const actions = actionsOf(policyStatements(synth()));

    expect(actions).not.toContain('cloudhsm:DeleteCluster');
    expect(actions).not.toContain('ec2:DeleteSecurityGroup');
    expect(actions).not.toContain('cloudhsm:CreateHsm');
  });

  test('service-linked role creation is limited to CloudHSM', () => {
    const statement = policyStatements(synth()).find((entry) => entry.Action === 'iam:CreateServiceLinkedRole');

    expect(statement?.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': 'cloudhsm.amazonaws.com' } });
  });

  test('stack with a known region has no region rule', () => {
    expect(Object.keys(synth().toJSON().Rules)).toEqual(['CheckBootstrapVersion']);
  });

  test('environment-agnostic stack gets a UK region rule', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const template = synth({}, stack);

    const rules = template.toJSON().Rules;
    const ruleId = Object.keys(rules).find((id) => id.startsWith('KeyStoreUkRegionOnly'));
    expect(rules[ruleId!]).toEqual({
      Assertions: [{
        Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-2'] },
        AssertDescription: 'The hardware key store must be in the UK region eu-west-2.',
      }],
    });
  });

  test('exposes the zones and subnets of the HSMs', () => {
    const stack = newStack();
    const store = new HardwareKeyStore(stack, 'KeyStore', { vpc: newVpc(stack, 3) });

    expect(store.availabilityZones).toEqual(AZS);
    expect(store.subnets).toHaveLength(3);
    expect(stack.resolve(store.clusterId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^KeyStore/), 'Cluster.ClusterId'] });
  });
});

describe('HardwareKeyStore overrides', () => {
  test('hsm1.medium cluster has no mode', () => {
    const create = sdkCall(clusterResource(synth({ hsmType: HsmType.HSM1_MEDIUM })).Properties.Create);

    expect(create.parameters.HsmType).toBe('hsm1.medium');
    expect(create.parameters.Mode).toBeUndefined();
  });

  test('non-FIPS mode is passed on', () => {
    expect(sdkCall(clusterResource(synth({ mode: HsmClusterMode.NON_FIPS })).Properties.Create).parameters.Mode).toBe('NON_FIPS');
  });

  test('backup retention is configurable', () => {
    const cluster = clusterResource(synth({ backupRetention: Duration.days(379) }));

    expect(sdkCall(cluster.Properties.Create).parameters.BackupRetentionPolicy).toEqual({ Type: 'DAYS', Value: '379' });
    expect(sdkCall(cluster.Properties.Update).parameters.BackupRetentionPolicy).toEqual({ Type: 'DAYS', Value: '379' });
  });

  test('destroy deletes the cluster', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });
    const cluster = clusterResource(template);

    expect(cluster.DeletionPolicy).toBe('Delete');
    expect(sdkCall(cluster.Properties.Delete)).toEqual({
      service: 'CloudHSMV2',
      action: 'deleteCluster',
      parameters: { ClusterId: 'PHYSICAL:RESOURCEID:' },
      ignoreErrorCodesMatching: 'CloudHsmResourceNotFoundException',
    });
    expect(actionsOf(policyStatements(template))).toEqual(expect.arrayContaining(['cloudhsm:DeleteCluster', 'ec2:DeleteSecurityGroup']));
  });

  test('subnet selection picks one subnet a zone', () => {
    const stack = newStack();
    const vpc = newVpc(stack, 3);
    const create = sdkCall(clusterResource(synth({ vpc, vpcSubnets: { availabilityZones: ['eu-west-2a', 'eu-west-2c'] } }, stack)).Properties.Create);

    expect(create.parameters.SubnetIds).toEqual([expect.stringMatching(/^VpcHsmSubnet1/), expect.stringMatching(/^VpcHsmSubnet3/)]);
  });

  test('imported subnets without CIDR blocks use the VPC CIDR', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.20.0.0/16',
      availabilityZones: ['eu-west-2a', 'eu-west-2b'],
      isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    });

    synth({ vpc }, stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '10.20.0.0/16', IpProtocol: 'tcp', FromPort: 2223, ToPort: 2225 }].map((rule) => Match.objectLike(rule)),
    });
  });
});

describe('HardwareKeyStore validation', () => {
  test('missing props are rejected', () => {
    expect(() => new HardwareKeyStore(newStack(), 'KeyStore', undefined as unknown as HardwareKeyStoreProps))
      .toThrow(/props is undefined\. Give the props as an object with at least vpc/);
  });

  test('region outside the UK is rejected', () => {
    expect(() => synth({}, newStack('eu-west-1'))).toThrow(/the stack is in eu-west-1, but the hardware key store must stay in the UK\. Deploy it to a stack in eu-west-2/);
  });

  test('vpc that is not a VPC is rejected', () => {
    expect(() => synth({ vpc: 'vpc-0123' as unknown as ec2.IVpc })).toThrow(/vpc is "vpc-0123", which is not a VPC/);
  });

  test('subnets in one zone are rejected', () => {
    expect(() => synth({ vpcSubnets: { availabilityZones: ['eu-west-2a'] } }))
      .toThrow(/vpcSubnets selects subnets in one Availability Zone \(eu-west-2a\)\. A CloudHSM cluster needs subnets in at least two zones/);
  });

  test('public subnets are rejected', () => {
    expect(() => synth({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } })).toThrow(/vpcSubnets selects public subnets\. Place the HSMs in private subnets/);
  });

  test('selection without subnets is rejected', () => {
    expect(() => synth({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }))
      .toThrow(/vpcSubnets selects no subnets of the VPC: .*Select private subnets in at least two Availability Zones/);
  });

  test('unknown HSM type is rejected', () => {
    expect(() => synth({ hsmType: 'hsm3.large' as HsmType })).toThrow(/hsmType is "hsm3\.large", which is not an HSM type/);
  });

  test('non-FIPS hsm1.medium is rejected', () => {
    expect(() => synth({ hsmType: HsmType.HSM1_MEDIUM, mode: HsmClusterMode.NON_FIPS }))
      .toThrow(/mode is NON_FIPS, but hsm1\.medium HSMs run in FIPS mode only/);
  });

  test('unknown mode is rejected', () => {
    expect(() => synth({ mode: 'FAST' as HsmClusterMode })).toThrow(/mode is "FAST", which is not a cluster mode/);
  });

  test.each([
    [Duration.days(6), '6 days'],
    [Duration.days(380), '380 days'],
    [Duration.hours(200), '8 days 8 hours'],
  ])('backup retention %s is rejected', (backupRetention, shown) => {
    expect(() => synth({ backupRetention })).toThrow(new RegExp(`backupRetention is ${shown}\\. CloudHSM keeps backups for a whole number of days from 7 to 379`));
  });

  test('backup retention token is rejected', () => {
    expect(() => synth({ backupRetention: Duration.days(Lazy.number({ produce: () => 30 })) })).toThrow(/backupRetention is a token/);
  });

  test('unsupported removal policy is rejected', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy is "snapshot"\. Use RemovalPolicy\.RETAIN or RemovalPolicy\.DESTROY/);
  });

  test('imported network without CIDR blocks is rejected', () => {
    const stack = newStack();
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-2a', 'eu-west-2b'],
      isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
    });

    expect(() => synth({ vpc }, stack)).toThrow(/vpc and its subnets were imported without CIDR blocks/);
  });

  test('all problems are reported at once', () => {
    expect(() => synth({ hsmType: 'x' as HsmType, backupRetention: Duration.days(1) }, newStack('eu-west-1')))
      .toThrow(new RegExp('^Invalid HardwareKeyStore props at Security/KeyStore:\\n  - the stack is in eu-west-1.*\\n'
        + '  - hsmType is "x".*\\n  - backupRetention is 1 day.*$'));
  });
});

describe('HardwareKeyStore compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = newStack('eu-west-2', new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    // An imported VPC, so that the findings are the store's own.
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-2a', 'eu-west-2b'],
      isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
      isolatedSubnetIpv4CidrBlocks: ['10.0.2.0/24', '10.0.3.0/24'],
      isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaaa', 'rtb-0bbbbbbbbbbbbbbbb'],
    });
    synth({ vpc }, stack);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
