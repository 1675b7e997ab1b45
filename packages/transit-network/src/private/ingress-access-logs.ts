import { CfnResource, Duration, RemovalPolicy, Stack, Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { FactName, RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { addNagSuppressions } from './nag-suppressions';

/**
 * The service principal that writes Application Load Balancer access logs in regions
 * opened in or after August 2022, which have no Elastic Load Balancing account.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
const ELB_LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/** How long the versions that a deletion or an expiry leaves behind are kept, so that a mistaken deletion can be undone. */
const NONCURRENT_VERSION_RETENTION = Duration.days(30);

/**
 * Creates the bucket that receives the load balancer's access logs.
 *
 * Elastic Load Balancing writes access logs only to buckets whose default encryption is
 * SSE-S3 (Amazon S3 managed keys), so this bucket cannot use the customer managed key
 * of the log archive. It is versioned, TLS only, closed to the public, owned by its
 * account for every object (ACLs disabled), expires logs after `retention` and is
 * retained when the stack is deleted.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export function createAccessLogBucket(scope: Construct, id: string, retention: Duration): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
    lifecycleRules: [{
      id: 'ExpireAccessLogs',
      expiration: retention,
      noncurrentVersionExpiration: NONCURRENT_VERSION_RETENTION,
      abortIncompleteMultipartUploadAfter: Duration.days(7),
    }],
  });

  const serverAccessLogsReason = 'The bucket holds only load balancer access logs, written by Elastic Load Balancing. Logging requests to it '
    + 'would need a further log bucket; CloudTrail data events can record reads of these objects instead.';
  addNagSuppressions(bucket.node.defaultChild as CfnResource, [
    { id: 'AwsSolutions-S1', reason: serverAccessLogsReason },
    { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: serverAccessLogsReason },
    {
      id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
      reason: 'Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3 (Amazon S3 managed keys), not SSE-KMS.',
    },
    {
      id: 'NIST.800.53.R5-S3BucketReplicationEnabled',
      reason: 'The access logs stay in the load balancer\'s region; the bucket is versioned and retained when the stack is deleted.',
    },
  ]);
  return bucket;
}

/** The permission that lets Elastic Load Balancing write access logs under a prefix. */
export interface AccessLogDelivery {
  /** Whether the statement was added to the bucket's policy. False for an imported bucket. */
  readonly added: boolean;
  /** The principal that writes the logs, in words, for example "the Elastic Load Balancing account 652711504416 of eu-west-2". */
  readonly writer: string;
  /** The objects the writer may put, such as `my-bucket/alb-access-logs/production/ingress-dmz/AWSLogs/111111111111/*`. */
  readonly objectPattern: string;
}

/**
 * Lets Elastic Load Balancing write the access logs of load balancers in `scope`'s
 * account to `bucket` under `prefix`.
 *
 * In a region opened before August 2022, such as eu-west-2, the writer is the region's
 * Elastic Load Balancing account (652711504416 in eu-west-2). In a later region it is
 * the service principal `logdelivery.elasticloadbalancing.amazonaws.com`. A stack with no
 * region looks the account up at deploy time from the accounts that aws-cdk-lib lists.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export function grantAccessLogDelivery(scope: Construct, bucket: s3.IBucket, prefix: string): AccessLogDelivery {
  const stack = Stack.of(scope);
  const { principal, writer } = elbLogDeliveryPrincipal(stack);
  const { statementAdded } = bucket.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowElasticLoadBalancingAccessLogs',
    principals: [principal],
    actions: ['s3:PutObject'],
    resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
  }));

  const known = (value: string, placeholder: string) => (Token.isUnresolved(value) ? placeholder : value);
  const objectPattern = `${known(bucket.bucketName, '<bucket>')}/${prefix}/AWSLogs/${known(stack.account, '<account ID>')}/*`;
  return { added: statementAdded, writer, objectPattern };
}

function elbLogDeliveryPrincipal(stack: Stack): { principal: iam.IPrincipal; writer: string } {
  if (Token.isUnresolved(stack.region)) {
    // NOTE: the deploy-time lookup covers only regions with an Elastic Load Balancing
    // account. In a region opened in or after August 2022, Fn::FindInMap fails and the
    // stack does not deploy. Give such a stack its region, so that the service principal is used.
    return {
      principal: new iam.AccountPrincipal(stack.regionalFact(FactName.ELBV2_ACCOUNT)),
      writer: 'the Elastic Load Balancing account of the stack\'s region',
    };
  }
  const account = RegionInfo.get(stack.region).elbv2Account;
  if (account !== undefined) {
    return { principal: new iam.AccountPrincipal(account), writer: `the Elastic Load Balancing account ${account} of ${stack.region}` };
  }
  return { principal: new iam.ServicePrincipal(ELB_LOG_DELIVERY_SERVICE), writer: `the service principal ${ELB_LOG_DELIVERY_SERVICE}` };
}
