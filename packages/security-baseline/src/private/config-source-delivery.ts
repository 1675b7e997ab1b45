import { aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { CONFIG_SERVICE, configObjectKeys } from './config-recorder';

/** The statement IDs of the AWS Config statements of `LogArchive`'s `configSourceAccounts`. */
export const CONFIG_SOURCE_SID_PREFIX = 'AWSConfigSourceAccounts';

/**
 * Builds the bucket policy statements that let AWS Config deliver for the given accounts, in
 * the form that AWS Config's documentation shows. One statement lets it check the bucket for
 * every listed account. One statement per account lets it write only under that account's own
 * folder `AWSLogs/<account>/Config/`, with the `bucket-owner-full-control` ACL.
 *
 * One statement per account makes the policy grow by a whole statement for each account, so
 * S3's 20 KB bucket policy limit is reached at about 50 accounts. `LogArchive` checks the
 * size of the whole policy at synthesis. A single statement with the `${aws:SourceAccount}`
 * policy variable in its resource would admit far more accounts. Whether S3 replaces that
 * variable for AWS Config's requests is not documented, though, and if it did not, AWS Config
 * would fail to deliver for every account. So the documented form is kept.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
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
  const deliveries = accounts.map((account, index) => new iam.PolicyStatement({
    sid: `${CONFIG_SOURCE_SID_PREFIX}Delivery${index + 1}`,
    principals: [principal],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(configObjectKeys(account))],
    conditions: { StringEquals: { 'aws:SourceAccount': account, 's3:x-amz-acl': 'bucket-owner-full-control' } },
  }));
  return [check, ...deliveries];
}
