import { CfnResource, RemovalPolicy, Stack, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ignoreCfnLintChecks } from '../../src/private/cfn-lint-directives';

/*
 * Fixtures that the integration tests of the egress DMZ, the ingress DMZ, the east-west
 * inspection and the vendor deploy endpoint share.
 */

/** Returns an SSE-S3 bucket closed to the public that empties itself when the test stack is destroyed. */
export function throwawayBucket(stack: Stack, id: string): s3.Bucket {
  return new s3.Bucket(stack, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: true,
  });
}

/**
 * Returns a throwaway bucket (ID `Logs`) to use in place of the log archive, with the
 * grants the log delivery service needs to write flow logs and firewall logs.
 */
export function logArchiveStandIn(stack: Stack): s3.Bucket {
  const logBucket = throwawayBucket(stack, 'Logs');
  const logDelivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [logDelivery],
    actions: ['s3:PutObject'],
    resources: [logBucket.arnForObjects(`*/AWSLogs/${stack.account}/*`)],
    conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': stack.account } },
  }));
  logBucket.addToResourcePolicy(new iam.PolicyStatement({
    principals: [logDelivery],
    actions: ['s3:GetBucketAcl', 's3:ListBucket'],
    resources: [logBucket.bucketArn],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  return logBucket;
}

/**
 * Tells cfn-lint to skip W3005 on every resource of the type below `scope`. State where
 * this is called which DependsOn is redundant and why.
 */
export function ignoreRedundantDependsOn(scope: IConstruct | undefined, resourceType: string): void {
  for (const child of scope?.node.findAll() ?? []) {
    if (child instanceof CfnResource && child.cfnResourceType === resourceType) {
      ignoreCfnLintChecks(child, ['W3005']);
    }
  }
}
