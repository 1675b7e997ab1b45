import {
  App, Aspects, Stack, Tags,
  aws_cloudtrail as cloudtrail, aws_cognito as cognito, aws_dynamodb as dynamodb, aws_ec2 as ec2, aws_efs as efs,
  aws_elasticloadbalancing as elb, aws_iam as iam, aws_kms as kms, aws_rds as rds, aws_redshift as redshift,
  aws_s3 as s3, aws_sns as sns, aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { NagPack } from 'cdk-nag';
import { NcscChecks } from '../../src/ncsc';

export const ACCOUNT = '111122223333';

/** Creates a stack in the home region, with the pack applied to its app. */
export function newStack(region: string = 'eu-west-2', pack: NagPack = new NcscChecks({ reports: false })): Stack {
  const app = new App();
  Aspects.of(app).add(pack);
  return new Stack(app, 'Workload', { env: { account: ACCOUNT, region } });
}

/** Returns the error and warning messages on the stack that name a rule ID. */
export function messagesFor(stack: Stack, ruleId: string): string[] {
  const pattern = Match.stringLikeRegexp(`^${ruleId.replace(/\./g, '\\.')}(\\[.*\\])?:`);
  const annotations = Annotations.fromStack(stack);
  return [...annotations.findError('*', pattern), ...annotations.findWarning('*', pattern)]
    .map((message) => String(message.entry.data));
}

/** Classifies every taggable resource in the stack. */
export function classify(stack: Stack, classification: string): void {
  Tags.of(stack).add('DataClassification', classification);
}

/** Builds a compliant and a non-compliant resource for one rule that the pack reuses from cdk-nag. */
export interface ReusedRuleFixture {
  readonly id: string;
  readonly compliant: (stack: Stack) => void;
  readonly nonCompliant: (stack: Stack) => void;
}

// The keys are in the order aws-cdk-lib renders them, which the cdk-nag rule expects.
const ADMIN_DOCUMENT = { Version: '2012-10-17', Statement: [{ Action: '*', Effect: 'Allow', Resource: '*' }] };
const READ_DOCUMENT = { Version: '2012-10-17', Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: '*' }] };

function dbInstance(stack: Stack, props: Partial<rds.CfnDBInstanceProps>): rds.CfnDBInstance {
  return new rds.CfnDBInstance(stack, 'Database', {
    dbInstanceClass: 'db.t3.micro', engine: 'postgres', allocatedStorage: '20', ...props,
  });
}

function trail(stack: Stack, props: Partial<cloudtrail.CfnTrailProps>): cloudtrail.CfnTrail {
  return new cloudtrail.CfnTrail(stack, 'Trail', { isLogging: true, s3BucketName: 'audit-bucket', ...props });
}

function securityGroup(stack: Stack, port: number, cidrIp: string): ec2.CfnSecurityGroup {
  return new ec2.CfnSecurityGroup(stack, 'SecurityGroup', {
    groupDescription: 'test',
    securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: port, toPort: port, cidrIp }],
  });
}

function instance(stack: Stack, requireImdsv2: boolean, publicIp: boolean): void {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  new ec2.Instance(stack, 'Instance', {
    vpc,
    instanceType: new ec2.InstanceType('t3.micro'),
    machineImage: ec2.MachineImage.genericLinux({ 'eu-west-2': 'ami-12345678' }),
    requireImdsv2,
    associatePublicIpAddress: publicIp,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
  });
}

function redshiftCluster(stack: Stack, requireSsl: boolean): void {
  const group = new redshift.CfnClusterParameterGroup(stack, 'Parameters', {
    description: 'test',
    parameterGroupFamily: 'redshift-1.0',
    parameters: [{ parameterName: 'require_ssl', parameterValue: String(requireSsl) }],
  });
  new redshift.CfnCluster(stack, 'Warehouse', {
    clusterType: 'single-node',
    dbName: 'dev',
    masterUsername: 'admin',
    masterUserPassword: 'Password1',
    nodeType: 'ra3.xlplus',
    clusterParameterGroupName: group.ref,
  });
}

/** One fixture per rule that the pack takes from cdk-nag, keyed by the NCSC rule ID. */
export const REUSED_RULE_FIXTURES: ReusedRuleFixture[] = [
  {
    id: 'NCSC-P01-S3RequireTls',
    compliant: (stack) => new s3.Bucket(stack, 'Bucket', { enforceSSL: true }),
    nonCompliant: (stack) => new s3.Bucket(stack, 'Bucket'),
  },
  {
    id: 'NCSC-P01-ClassicLoadBalancerTls',
    compliant: (stack) => new elb.CfnLoadBalancer(stack, 'Balancer', {
      listeners: [{ protocol: 'HTTPS', loadBalancerPort: '443', instancePort: '443', instanceProtocol: 'HTTPS', sslCertificateId: 'arn:aws:acm:eu-west-2:111122223333:certificate/1' }],
    }),
    nonCompliant: (stack) => new elb.CfnLoadBalancer(stack, 'Balancer', {
      listeners: [{ protocol: 'HTTPS', loadBalancerPort: '443', instancePort: '80', instanceProtocol: 'HTTP', sslCertificateId: 'arn:aws:acm:eu-west-2:111122223333:certificate/1' }],
    }),
  },
  {
    id: 'NCSC-P01-QueueRequireTls',
    compliant: (stack) => new sqs.Queue(stack, 'Queue', { enforceSSL: true }),
    nonCompliant: (stack) => new sqs.Queue(stack, 'Queue'),
  },
  {
    id: 'NCSC-P01-TopicRequireTls',
    compliant: (stack) => new sns.Topic(stack, 'Topic', { enforceSSL: true }),
    nonCompliant: (stack) => new sns.Topic(stack, 'Topic'),
  },
  {
    id: 'NCSC-P01-RedshiftRequireTls',
    compliant: (stack) => redshiftCluster(stack, true),
    nonCompliant: (stack) => redshiftCluster(stack, false),
  },
  {
    id: 'NCSC-P02-EbsEncrypted',
    compliant: (stack) => new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'eu-west-2a', size: 10, encrypted: true }),
    nonCompliant: (stack) => new ec2.CfnVolume(stack, 'Volume', { availabilityZone: 'eu-west-2a', size: 10 }),
  },
  {
    id: 'NCSC-P02-RdsEncrypted',
    compliant: (stack) => dbInstance(stack, { storageEncrypted: true }),
    nonCompliant: (stack) => dbInstance(stack, { storageEncrypted: false }),
  },
  {
    id: 'NCSC-P02-EfsEncrypted',
    compliant: (stack) => new efs.CfnFileSystem(stack, 'FileSystem', { encrypted: true }),
    nonCompliant: (stack) => new efs.CfnFileSystem(stack, 'FileSystem', { encrypted: false }),
  },
  {
    id: 'NCSC-P02-KmsKeyRotation',
    compliant: (stack) => new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    nonCompliant: (stack) => new kms.Key(stack, 'Key', { enableKeyRotation: false }),
  },
  {
    id: 'NCSC-P02-RdsMultiAz',
    compliant: (stack) => dbInstance(stack, { multiAz: true }),
    nonCompliant: (stack) => dbInstance(stack, { multiAz: false }),
  },
  {
    id: 'NCSC-P02-RdsAutomatedBackups',
    compliant: (stack) => dbInstance(stack, { backupRetentionPeriod: 7 }),
    nonCompliant: (stack) => dbInstance(stack, { backupRetentionPeriod: 0 }),
  },
  {
    id: 'NCSC-P02-RdsDeletionProtection',
    compliant: (stack) => dbInstance(stack, { deletionProtection: true }),
    nonCompliant: (stack) => dbInstance(stack, { deletionProtection: false }),
  },
  {
    id: 'NCSC-P02-DynamoDbPointInTimeRecovery',
    compliant: (stack) => new dynamodb.CfnTable(stack, 'Table', {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    }),
    nonCompliant: (stack) => new dynamodb.CfnTable(stack, 'Table', {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
    }),
  },
  {
    id: 'NCSC-P02-S3Versioning',
    compliant: (stack) => new s3.Bucket(stack, 'Bucket', { versioned: true }),
    nonCompliant: (stack) => new s3.Bucket(stack, 'Bucket'),
  },
  {
    id: 'NCSC-P03-DefaultSecurityGroupClosed',
    compliant: (stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, restrictDefaultSecurityGroup: true }),
    nonCompliant: (stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, restrictDefaultSecurityGroup: false }),
  },
  {
    id: 'NCSC-P05-TrailToCloudWatchLogs',
    compliant: (stack) => trail(stack, {
      cloudWatchLogsLogGroupArn: 'arn:aws:logs:eu-west-2:111122223333:log-group:trail:*',
      cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/trail',
    }),
    nonCompliant: (stack) => trail(stack, {}),
  },
  {
    id: 'NCSC-P09-NoAdminPolicies',
    compliant: (stack) => new iam.CfnManagedPolicy(stack, 'Policy', { policyDocument: READ_DOCUMENT }),
    nonCompliant: (stack) => new iam.CfnManagedPolicy(stack, 'Policy', { policyDocument: ADMIN_DOCUMENT }),
  },
  {
    id: 'NCSC-P09-UserPoliciesThroughGroups',
    compliant: (stack) => new iam.CfnUser(stack, 'User', { groups: ['operators'] }),
    nonCompliant: (stack) => new iam.CfnUser(stack, 'User', { managedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }),
  },
  {
    id: 'NCSC-P10-UserPoolMfa',
    compliant: (stack) => new cognito.CfnUserPool(stack, 'UserPool', { mfaConfiguration: 'ON' }),
    nonCompliant: (stack) => new cognito.CfnUserPool(stack, 'UserPool', { mfaConfiguration: 'OFF' }),
  },
  {
    id: 'NCSC-P11-S3BlockPublicAccess',
    compliant: (stack) => new s3.Bucket(stack, 'Bucket', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL }),
    nonCompliant: (stack) => new s3.CfnBucket(stack, 'Bucket', {
      publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true, restrictPublicBuckets: true },
    }),
  },
  {
    id: 'NCSC-P11-RdsNotPublic',
    compliant: (stack) => dbInstance(stack, { publiclyAccessible: false }),
    nonCompliant: (stack) => dbInstance(stack, { publiclyAccessible: true }),
  },
  {
    id: 'NCSC-P11-Ec2NoPublicIp',
    compliant: (stack) => instance(stack, true, false),
    nonCompliant: (stack) => instance(stack, true, true),
  },
  {
    id: 'NCSC-P11-RestrictedCommonPorts',
    compliant: (stack) => securityGroup(stack, 3389, '10.0.0.0/8'),
    nonCompliant: (stack) => securityGroup(stack, 3389, '0.0.0.0/0'),
  },
  {
    id: 'NCSC-P12-NoSshFromInternet',
    compliant: (stack) => securityGroup(stack, 22, '10.0.0.0/8'),
    nonCompliant: (stack) => securityGroup(stack, 22, '0.0.0.0/0'),
  },
  {
    id: 'NCSC-P12-InstanceMetadataV2',
    compliant: (stack) => instance(stack, true, false),
    nonCompliant: (stack) => instance(stack, false, false),
  },
  {
    id: 'NCSC-P13-TrailLogValidation',
    compliant: (stack) => trail(stack, { enableLogFileValidation: true }),
    nonCompliant: (stack) => trail(stack, { enableLogFileValidation: false }),
  },
  {
    id: 'NCSC-P13-TrailEncrypted',
    compliant: (stack) => trail(stack, { kmsKeyId: 'arn:aws:kms:eu-west-2:111122223333:key/1' }),
    nonCompliant: (stack) => trail(stack, {}),
  },
  {
    id: 'NCSC-P13-VpcFlowLogs',
    compliant: (stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, flowLogs: { All: {} } }),
    nonCompliant: (stack) => new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }),
  },
];
