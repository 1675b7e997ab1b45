import { Stack, Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The service principal that writes Network Load Balancer access logs. Unlike
 * Application Load Balancers, whose logs an Elastic Load Balancing account writes,
 * Network Load Balancers deliver their logs through the log delivery service of
 * CloudWatch Logs.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html
 */
const LOG_DELIVERY_SERVICE = 'delivery.logs.amazonaws.com';

/** The permissions that let the log delivery service write a load balancer's access logs under a prefix. */
export interface NlbAccessLogDelivery {
  /** Whether the statements were added to the bucket's policy. False for an imported bucket. */
  readonly bucketPolicyAdded: boolean;
  /**
   * Whether the statement was added to the policy of the bucket's KMS key. Undefined when
   * the bucket has no key that the construct can see.
   */
  readonly keyPolicyAdded?: boolean;
  /** The objects the log delivery service may put, such as `my-bucket/nlb-access-logs/x/AWSLogs/111111111111/*`. */
  readonly objectPattern: string;
}

/**
 * Lets the log delivery service write the access logs of Network Load Balancers in
 * `scope`'s account to `bucket` under `prefix`.
 *
 * The statements follow the policy that the log delivery service itself would write,
 * limited to this account and to log deliveries of this region and account
 * (`aws:SourceAccount` and `aws:SourceArn`), so that no other account can use the
 * grant. When the bucket has a customer managed KMS key, the key's policy gets the
 * statement that SSE-KMS delivery needs.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html
 */
export function grantNlbAccessLogDelivery(scope: Construct, bucket: s3.IBucket, prefix: string): NlbAccessLogDelivery {
  const stack = Stack.of(scope);
  const principal = new iam.ServicePrincipal(LOG_DELIVERY_SERVICE);
  const sourceConditions = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
  };

  const write = bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowNlbAccessLogDelivery',
    principals: [principal],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
    conditions: {
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account },
      ArnLike: sourceConditions.ArnLike,
    },
  }));
  // The log delivery service reads the bucket's ACL to check who owns the bucket, and
  // lists it; without s3:ListBucket, CloudTrail records AccessDenied errors.
  bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowNlbAccessLogDeliveryAclCheck',
    principals: [principal],
    actions: ['s3:GetBucketAcl', 's3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: sourceConditions,
  }));

  let keyPolicyAdded: boolean | undefined;
  if (bucket.encryptionKey) {
    keyPolicyAdded = bucket.encryptionKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowNlbAccessLogDeliveryToUseTheKey',
      principals: [principal],
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: ['*'],
      conditions: sourceConditions,
    })).statementAdded;
  }

  const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const objectPattern = `${known(bucket.bucketName, '<bucket>')}/${prefix}/AWSLogs/${known(stack.account, '<account ID>')}/*`;
  return { bucketPolicyAdded: write.statementAdded, keyPolicyAdded, objectPattern };
}
