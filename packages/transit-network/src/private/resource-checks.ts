/**
 * Checks on the resources that props refer to: that a value has the shape of the
 * interface the prop declares, and that it lives where the construct can use it.
 *
 * The shape checks catch plain JavaScript and untyped callers (a bucket name where an
 * IBucket belongs), which would otherwise fail later with a TypeError from aws-cdk-lib.
 */

import { Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PropsValidator, show } from './validation';

/** Returns whether a value has a property of the given name that is a string (tokens included). */
function hasStringProperty(value: unknown, name: string): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'string';
}

/**
 * Records a problem unless `bucket` looks like an `s3.IBucket`: an object with a string
 * `bucketName` and `bucketArn`.
 *
 * @param prop the prop name, for example `flowLogBucket`
 * @param purpose what the bucket is for, to finish "pass …"
 */
export function validateBucket(validator: PropsValidator, prop: string, bucket: unknown, purpose: string): void {
  const example = 'for example s3.Bucket.fromBucketName(this, \'LogArchive\', \'log-archive-bucket\')';
  if (bucket === undefined || bucket === null) {
    validator.fail(`${prop} is ${show(bucket)}; pass ${purpose}, ${example}.`);
  } else if (!hasStringProperty(bucket, 'bucketName') || !hasStringProperty(bucket, 'bucketArn')) {
    validator.fail(`${prop} is ${show(bucket)}, which is not an s3.IBucket; pass ${purpose} as a bucket object, not its name or ARN, ${example}.`);
  }
}

/**
 * Records a problem unless `key` is undefined or looks like a `kms.IKey` in the stack's
 * region: an object with a string `keyArn` that is not an alias.
 *
 * An alias is rejected although `kms.IAlias` extends `kms.IKey`. Its `keyArn` is the
 * alias ARN, and an IAM statement whose Resource is an alias ARN applies to the alias,
 * not to the key behind it, so the permissions the construct writes would allow nothing.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html
 */
export function validateOptionalKey(validator: PropsValidator, self: Construct, prop: string, key: unknown): void {
  if (key === undefined) {
    return;
  }
  const example = 'for example kms.Key.fromKeyArn(this, \'Key\', \'arn:aws:kms:eu-west-2:111111111111:key/…\')';
  if (hasStringProperty(key, 'aliasName')) {
    const aliasName = (key as { aliasName: string }).aliasName;
    validator.fail(`${prop} is the KMS alias ${show(aliasName)}; pass the key itself, ${example}. `
      + 'IAM policies and KMS grants name keys, not aliases, so permissions written for the alias would allow nothing on the key.');
    return;
  }
  if (!hasStringProperty(key, 'keyArn')) {
    validator.fail(`${prop} is ${show(key)}, which is not a kms.IKey; pass a key object, not its ARN or ID, ${example}.`);
    return;
  }

  const keyRegion = (key as { env?: { region?: unknown } }).env?.region;
  const stackRegion = Stack.of(self).region;
  if (typeof keyRegion === 'string' && !Token.isUnresolved(keyRegion) && !Token.isUnresolved(stackRegion) && keyRegion !== stackRegion) {
    validator.fail(`${prop} is a key in region ${keyRegion} but the stack is in ${stackRegion}; `
      + 'AWS services use KMS keys of their own region only, so pass a key from this region.');
  }
}

/**
 * Records a problem if `hub` lies in another region than `self`, or, for a hub whose
 * route tables are managed here, in another account.
 *
 * Region and account are compared only where both are known at synth time, so
 * environment-agnostic stacks pass.
 *
 * @param subject what attaches to the hub, for example "the VPC"
 * @param accountFix how to fix a hub in another account
 * @param propName the prop that contains the hub, for the message
 */
export function validateHubPlacement(validator: PropsValidator, self: Construct, hub: unknown, subject: string, accountFix: string, propName: string = 'hub'): void {
  if (!Construct.isConstruct(hub)) {
    return;
  }
  const ownStack = Stack.of(self);
  const hubStack = Stack.of(hub);
  const known = (value: string) => !Token.isUnresolved(value);

  if (known(ownStack.region) && known(hubStack.region) && ownStack.region !== hubStack.region) {
    validator.fail(`${propName} is in region ${hubStack.region} but ${subject}'s stack is in ${ownStack.region}; `
      + 'a VPC can attach only to a transit gateway in its own region, so use the hub of this region.');
  }
  const managed = (hub as { manageRouteTables?: unknown }).manageRouteTables === true;
  if (managed && known(ownStack.account) && known(hubStack.account) && ownStack.account !== hubStack.account) {
    validator.fail(`${propName} is in account ${hubStack.account} but ${subject}'s stack is in ${ownStack.account}; ${accountFix}`);
  }
}
