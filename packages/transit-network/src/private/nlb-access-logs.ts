import { CfnResource, Stack, Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

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

/** The SSE-KMS algorithms of S3 default encryption: single-layer and dual-layer. */
const KMS_ALGORITHMS = ['aws:kms', 'aws:kms:dsse'];

/**
 * Returns whether a bucket defined in this app encrypts new objects with the AWS managed
 * key `aws/s3`: SSE-KMS with no key ID, as `BucketEncryption.KMS_MANAGED` and
 * `DSSE_MANAGED` write it, or with that key's alias.
 *
 * Network Load Balancer access logs need SSE-S3 or a customer managed key, because the
 * log delivery service must be allowed to use the key, and the policy of an AWS managed
 * key cannot be changed. Returns false for an imported bucket, whose encryption is not
 * known at synth time, and when the encryption settings are tokens.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
 */
export function encryptsWithAwsManagedKey(bucket: IConstruct): boolean {
  const resource = bucket.node.defaultChild;
  if (!CfnResource.isCfnResource(resource) || resource.cfnResourceType !== s3.CfnBucket.CFN_RESOURCE_TYPE_NAME) {
    return false;
  }
  const encryption = (resource as s3.CfnBucket).bucketEncryption as s3.CfnBucket.BucketEncryptionProperty | undefined;
  if (encryption === undefined || Token.isUnresolved(encryption) || !Array.isArray(encryption.serverSideEncryptionConfiguration)) {
    return false;
  }
  return encryption.serverSideEncryptionConfiguration.some((rule) => {
    const byDefault = (rule as s3.CfnBucket.ServerSideEncryptionRuleProperty | undefined)?.serverSideEncryptionByDefault as
      s3.CfnBucket.ServerSideEncryptionByDefaultProperty | undefined;
    if (byDefault === undefined || Token.isUnresolved(byDefault) || !KMS_ALGORITHMS.includes(byDefault.sseAlgorithm)) {
      return false;
    }
    const keyId = byDefault.kmsMasterKeyId;
    return keyId === undefined || (typeof keyId === 'string' && !Token.isUnresolved(keyId) && /(^|:)alias\/aws\/s3$/.test(keyId));
  });
}
