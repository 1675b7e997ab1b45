import { IResolvable, RemovalPolicy, Stack, aws_config as config, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The service principal of AWS Config, which delivers to S3 and uses the KMS key. */
export const CONFIG_SERVICE = 'config.amazonaws.com';

/** Settings of a configuration recorder that records every supported resource type. */
export interface RecorderSettings {
  /** The construct ID of the recorder. */
  readonly id: string;
  /** Whether to record IAM users, groups, roles and policies, which are the same in every region. */
  readonly includeGlobalResourceTypes: boolean | IResolvable;
  readonly createServiceLinkedRole: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/** Settings of a delivery channel to an S3 bucket. */
export interface DeliveryChannelSettings {
  readonly bucketName: string;
  readonly keyPrefix?: string;
  readonly kmsKeyArn?: string;
  /** A `config.MaximumExecutionFrequency` value, for example `TwentyFour_Hours`. */
  readonly snapshotDeliveryFrequency: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Creates a configuration recorder that records every supported resource type continuously,
 * with the service-linked role `AWSServiceRoleForConfig`.
 *
 * The recorder uses the service-linked role rather than a role of its own, because Security
 * Hub's Config.1 control expects it. With it, AWS Config delivers to S3 as its service
 * principal, so the bucket policy and the key policy name `config.amazonaws.com`.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/using-service-linked-roles.html
 */
export function createConfigurationRecorder(scope: Construct, settings: RecorderSettings): config.CfnConfigurationRecorder {
  const roleArn = Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: `aws-service-role/${CONFIG_SERVICE}/AWSServiceRoleForConfig`,
  });
  const recorder = new config.CfnConfigurationRecorder(scope, settings.id, {
    roleArn,
    recordingGroup: { allSupported: true, includeGlobalResourceTypes: settings.includeGlobalResourceTypes },
    recordingMode: { recordingFrequency: 'CONTINUOUS' },
  });
  recorder.applyRemovalPolicy(settings.removalPolicy);

  // An account has the role once, so a second recorder set-up must not create it again.
  if (settings.createServiceLinkedRole) {
    const serviceLinkedRole = new iam.CfnServiceLinkedRole(scope, 'ServiceLinkedRole', { awsServiceName: CONFIG_SERVICE });
    // A retained recorder keeps using the role, and IAM refuses to delete a service-linked
    // role that is in use, so the role follows the recorder's removal policy.
    serviceLinkedRole.applyRemovalPolicy(settings.removalPolicy);
    recorder.addDependency(serviceLinkedRole);
  }
  return recorder;
}

/**
 * Creates the delivery channel of a recorder, which AWS Config accepts only once the
 * recorder exists.
 */
export function createDeliveryChannel(scope: Construct, recorder: config.CfnConfigurationRecorder,
  settings: DeliveryChannelSettings): config.CfnDeliveryChannel {
  const channel = new config.CfnDeliveryChannel(scope, 'DeliveryChannel', {
    s3BucketName: settings.bucketName,
    s3KeyPrefix: settings.keyPrefix,
    s3KmsKeyArn: settings.kmsKeyArn,
    configSnapshotDeliveryProperties: { deliveryFrequency: settings.snapshotDeliveryFrequency },
  });
  channel.applyRemovalPolicy(settings.removalPolicy);
  channel.addDependency(recorder);
  return channel;
}

/**
 * Returns the key of every object AWS Config delivers for one account, under an optional
 * prefix: `<prefix>/AWSLogs/<account>/Config/*`.
 */
export function configObjectKeys(account: string, prefix?: string): string {
  return `${prefix !== undefined ? `${prefix}/` : ''}AWSLogs/${account}/Config/*`;
}

/**
 * Builds the key policy statement that lets AWS Config encrypt what it delivers for the
 * given accounts.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
 */
export function configDeliveryKeyStatement(accounts: string[], sid: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid,
    principals: [new iam.ServicePrincipal(CONFIG_SERVICE)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': accounts } },
  });
}
