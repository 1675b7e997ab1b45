import { ArnFormat, Stack, aws_iam as iam, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The service principal of Amazon CloudWatch, which publishes alarm notifications. */
const CLOUDWATCH_SERVICE = 'cloudwatch.amazonaws.com';

/**
 * Creates an SNS topic for CloudWatch alarm notifications, encrypted with `key` and accepting
 * only TLS requests.
 *
 * The topic policy that `enforceSSL` creates replaces the default topic policy, so the topic
 * also gets a statement that lets CloudWatch alarms of this account publish. CloudWatch
 * encrypts each message with the topic's key, which an AWS managed key would not allow, so
 * the key policy lets CloudWatch use `key` for the SNS topics of this account only.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
export function createAlarmTopic(scope: Construct, id: string, key: kms.IKey): sns.Topic {
  const stack = Stack.of(scope);
  const topic = new sns.Topic(scope, id, { masterKey: key, enforceSSL: true });

  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublish',
    principals: [new iam.ServicePrincipal(CLOUDWATCH_SERVICE)],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }));

  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToUseTheKey',
    principals: [new iam.ServicePrincipal(CLOUDWATCH_SERVICE)],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: {
      StringLike: {
        'kms:EncryptionContext:aws:sns:topicArn': stack.formatArn({ service: 'sns', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }),
      },
    },
  }));
  return topic;
}

/**
 * Builds the key policy statement that lets CloudWatch Logs encrypt one log group with the key.
 *
 * @param logGroupArn the log group's ARN without the `:*` suffix, which is the encryption context
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logGroupKeyStatement(stack: Stack, logGroupArn: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsForTheLogGroup',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  });
}

/** Builds the ARN of a log group from its name, without the `:*` suffix that `LogGroup.logGroupArn` has. */
export function logGroupArnOf(stack: Stack, logGroupName: string): string {
  return stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}
