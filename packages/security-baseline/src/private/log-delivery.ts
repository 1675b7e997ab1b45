import { ArnFormat, Stack, Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** The service principal that delivers VPC flow logs, AWS Network Firewall logs and other vended logs. */
export const LOG_DELIVERY_SERVICE = 'delivery.logs.amazonaws.com';

/** The actions the log delivery service needs on the key that encrypts the destination bucket. */
export const LOG_DELIVERY_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/**
 * Builds the conditions that limit the log delivery service to logs from the given accounts.
 * They stop another account from sending its logs here through the same service (the
 * confused deputy problem).
 */
export function logSourceConditions(stack: Stack, accounts: string[]): Record<string, unknown> {
  return {
    StringEquals: { 'aws:SourceAccount': accounts },
    ArnLike: { 'aws:SourceArn': accounts.map((account) => logSourceArnPattern(stack, account)) },
  };
}

/** Builds the bucket policy statements that let the log delivery service write log files to the bucket. */
export function logDeliveryBucketStatements(bucket: s3.IBucket, conditions: Record<string, unknown>): iam.PolicyStatement[] {
  const principal = new iam.ServicePrincipal(LOG_DELIVERY_SERVICE);
  return [
    new iam.PolicyStatement({
      sid: 'AWSLogDeliveryWrite',
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects('*')],
      conditions: {
        ...conditions,
        StringEquals: {
          ...(conditions.StringEquals as Record<string, unknown>),
          's3:x-amz-acl': 'bucket-owner-full-control',
        },
      },
    }),
    new iam.PolicyStatement({
      sid: 'AWSLogDeliveryAclCheck',
      principals: [principal],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions,
    }),
  ];
}

/** Builds the key policy statement that lets the log delivery service encrypt log files with the key. */
export function logDeliveryKeyStatement(conditions: Record<string, unknown>): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'AllowLogDeliveryToUseTheKey',
    principals: [new iam.ServicePrincipal(LOG_DELIVERY_SERVICE)],
    actions: LOG_DELIVERY_KEY_ACTIONS,
    resources: ['*'],
    conditions,
  });
}

/**
 * Describes the key policy statement in words, for a warning about a key whose policy
 * cannot be changed here. Values known only at deploy time are shown as placeholders.
 */
export function describeLogDeliveryKeyStatement(stack: Stack, accounts: string[]): string {
  const region = Token.isUnresolved(stack.region) ? undefined : stack.region;
  const partition = (Token.isUnresolved(stack.partition) ? undefined : stack.partition)
    ?? (region === undefined ? undefined : RegionInfo.get(region).partition)
    ?? '<partition>';
  const shownAccounts = accounts.map((account) => (Token.isUnresolved(account) ? '<account known at deploy time>' : account));
  const arns = shownAccounts.map((account) => `arn:${partition}:logs:${region ?? '<region>'}:${account}:*`);
  return `Allow principal service ${LOG_DELIVERY_SERVICE} the actions ${LOG_DELIVERY_KEY_ACTIONS.join(', ')} `
    + `on resource "*", with conditions StringEquals aws:SourceAccount [${shownAccounts.join(', ')}] `
    + `and ArnLike aws:SourceArn [${arns.join(', ')}]`;
}

function logSourceArnPattern(stack: Stack, account: string): string {
  return stack.formatArn({ service: 'logs', account, resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME });
}
