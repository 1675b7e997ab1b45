import { aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { CONFIG_SERVICE, configObjectKeys } from './config-recorder';

/** The statement IDs of the AWS Config statements of `LogArchive`'s `configSourceAccounts`. */
export const CONFIG_SOURCE_SID_PREFIX = 'AWSConfigSourceAccounts';

/**
 * Builds the bucket policy statements that let AWS Config deliver for the given accounts. One
 * statement lets it check the bucket. The other lets it write for each account only under that
 * account's own folder `AWSLogs/<account>/Config/`, with the `bucket-owner-full-control` ACL.
 *
 * The folder is named with the policy variable `${aws:SourceAccount}`, which IAM replaces with
 * the account that AWS Config delivers for, and the condition admits only the listed accounts.
 * A request for account A can therefore write only under `AWSLogs/A/Config/`, as with one
 * statement per account, while the policy grows by one account ID per account instead of a
 * whole statement, which kept S3's 20 KB bucket policy limit at about 50 accounts. A request
 * without the key matches neither the folder nor the condition, so nothing is allowed.
 *
 * NOTE: not confirmed until deployed: the IAM documentation lets global condition keys serve
 * as policy variables, and AWS Config sends `aws:SourceAccount`, which the condition already
 * relies on. Should S3 not replace the variable, AWS Config's write check fails when a member
 * account creates its delivery channel: it fails closed, and no account can write elsewhere.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function configSourceBucketStatements(bucket: s3.IBucket, accounts: string[]): iam.PolicyStatement[] {
  const principal = new iam.ServicePrincipal(CONFIG_SERVICE);
  const check = new iam.PolicyStatement({
    sid: `${CONFIG_SOURCE_SID_PREFIX}BucketCheck`,
    principals: [principal],
    actions: ['s3:GetBucketAcl', 's3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringEquals: { 'aws:SourceAccount': accounts } },
  });
  const delivery = new iam.PolicyStatement({
    sid: `${CONFIG_SOURCE_SID_PREFIX}Delivery`,
    principals: [principal],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(configObjectKeys('${aws:SourceAccount}'))],
    conditions: { StringEquals: { 'aws:SourceAccount': accounts, 's3:x-amz-acl': 'bucket-owner-full-control' } },
  });
  return [check, delivery];
}
