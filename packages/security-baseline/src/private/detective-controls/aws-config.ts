import { Annotations, Stack, Token, aws_config as config, aws_iam as iam } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { CONFIG_SERVICE, configObjectKeys, createConfigurationRecorder, createDeliveryChannel } from '../config-recorder';
import { addNagSuppressions } from '../nag-suppressions';
import { AwsConfigSettings, CommonSettings } from './settings';

const WARNING_PREFIX = '@ssd-platform/security-baseline:';

/**
 * Records the configuration of every supported resource type in this account, delivers
 * it to the bucket, and with `organizationWide`, aggregates every account's configuration here.
 *
 * The recorder uses the service-linked role `AWSServiceRoleForConfig`, which Security Hub's
 * Config.1 control expects. AWS Config then delivers to S3 as its service principal, so the
 * bucket policy and the key policy must allow `config.amazonaws.com`.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
 * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
 */
export function enableAwsConfig(
  scope: Construct,
  settings: AwsConfigSettings,
  common: CommonSettings,
): { recorderName: string; dependable: IDependable } {
  const root = new Construct(scope, 'Config');

  const recorder = createConfigurationRecorder(root, {
    id: 'Recorder',
    includeGlobalResourceTypes: settings.includeGlobalResourceTypes,
    createServiceLinkedRole: settings.createServiceLinkedRole,
    removalPolicy: common.removalPolicy,
  });

  const bucketPolicy = allowDelivery(root, settings);

  // AWS Config checks that it can write to the bucket when the delivery channel is created,
  // so the channel waits for the bucket policy.
  const channel = createDeliveryChannel(root, recorder, {
    bucketName: settings.deliveryBucket.bucketName,
    keyPrefix: settings.deliveryPrefix,
    kmsKeyArn: settings.deliveryKey?.keyArn,
    snapshotDeliveryFrequency: settings.snapshotDeliveryFrequency,
    removalPolicy: common.removalPolicy,
  });
  if (bucketPolicy !== undefined) {
    channel.node.addDependency(bucketPolicy);
  }

  if (common.organizationWide) {
    createOrganizationAggregator(root);
  }
  return { recorderName: recorder.ref, dependable: channel };
}

/**
 * Lets the AWS Config service principal write to the bucket and use the key, for this
 * account only. Returns the bucket policy when the bucket is defined in this app.
 */
function allowDelivery(scope: Construct, settings: AwsConfigSettings): IDependable | undefined {
  const stack = Stack.of(scope);
  const bucket = settings.deliveryBucket;
  const principal = new iam.ServicePrincipal(CONFIG_SERVICE);
  const sourceAccount = { 'aws:SourceAccount': stack.account };
  const objectKeys = configObjectKeys(stack.account, settings.deliveryPrefix);

  const statements = [
    new iam.PolicyStatement({
      sid: 'AWSConfigBucketPermissionsCheck',
      principals: [principal],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringEquals: sourceAccount },
    }),
    new iam.PolicyStatement({
      sid: 'AWSConfigBucketDelivery',
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(objectKeys)],
      conditions: { StringEquals: { ...sourceAccount, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  ];
  const added = statements.map((statement) => bucket.addToResourcePolicy(statement).statementAdded);
  if (added.includes(false)) {
    Annotations.of(scope).addWarningV2(`${WARNING_PREFIX}detectiveControlsConfigBucketPolicyNotUpdated`,
      'The policy of config.deliveryBucket cannot be changed from this stack, so AWS Config cannot deliver until the '
      + `bucket policy allows principal service ${CONFIG_SERVICE} s3:GetBucketAcl and s3:ListBucket on the bucket, and `
      + `s3:PutObject on the objects ${describe(stack, objectKeys)} with s3:x-amz-acl bucket-owner-full-control, both with StringEquals `
      + `aws:SourceAccount ${describe(stack, stack.account)}.`);
  }

  const key = settings.deliveryKey;
  if (key !== undefined) {
    const keyStatement = new iam.PolicyStatement({
      sid: 'AWSConfigDelivery',
      principals: [principal],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      conditions: { StringEquals: sourceAccount },
    });
    if (!key.addToResourcePolicy(keyStatement).statementAdded) {
      Annotations.of(scope).addWarningV2(`${WARNING_PREFIX}detectiveControlsConfigKeyPolicyNotUpdated`,
        'The key policy of the delivery key cannot be changed from this stack, so AWS Config cannot encrypt what it '
        + `delivers until the key policy allows principal service ${CONFIG_SERVICE} kms:Decrypt and kms:GenerateDataKey `
        + `on resource "*" with StringEquals aws:SourceAccount ${describe(stack, stack.account)}.`);
    }
  }
  return bucket.policy;
}

/** Quotes a value for a warning, with placeholders for the parts known only at deploy time. */
function describe(stack: Stack, value: string): string {
  if (!Token.isUnresolved(value)) {
    return `"${value}"`;
  }
  const withPlaceholders = value
    .split(stack.account).join('<this account>')
    .replace(/\$\{Token\[[^\]]+\]\}/g, '<deploy-time value>');
  return `"${withPlaceholders}"`;
}

/**
 * Creates an aggregator of the configuration of every account in the organisation, for
 * this region only: the platform keeps its data in one region.
 */
export function createOrganizationAggregator(scope: Construct): void {
  const role = new iam.Role(scope, 'AggregatorRole', {
    assumedBy: new iam.ServicePrincipal(CONFIG_SERVICE),
    description: 'Lets AWS Config read the accounts of the organisation for the configuration aggregator.',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations')],
  });
  addNagSuppressions(role.node.defaultChild as iam.CfnRole, [{
    id: 'AwsSolutions-IAM4',
    reason: 'AWSConfigRoleForOrganizations is the policy AWS documents for an organisation aggregator; it only lets AWS Config describe the organisation and its accounts.',
    appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations'],
  }]);

  new config.CfnConfigurationAggregator(scope, 'OrganizationAggregator', {
    organizationAggregationSource: { roleArn: role.roleArn, awsRegions: [Stack.of(scope).region] },
  });
}
