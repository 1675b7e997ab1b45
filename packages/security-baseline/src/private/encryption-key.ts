import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { isConcreteString, show } from './validation';

const EXAMPLE_KEY = 'kms.Key.fromKeyArn(this, \'LogArchiveKey\', \'arn:aws:kms:eu-west-2:111122223333:key/<key id>\')';

/**
 * Checks the KMS key given to encrypt a bucket in `stack`.
 *
 * @returns one sentence per problem, naming `propName`, the value received and the fix
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-s3-bucket-serversideencryptionbydefault.html
 */
export function encryptionKeyProblems(propName: string, key: unknown, stack: Stack): string[] {
  const candidate = (typeof key === 'object' && key !== null ? key : {}) as Record<string, unknown>;
  if (typeof candidate.keyArn !== 'string' || typeof candidate.addToResourcePolicy !== 'function') {
    return [`${propName} is ${show(key)}, which is not a KMS key. Pass an IKey, for example ${EXAMPLE_KEY}.`];
  }

  const problems: string[] = [];
  const keyArn = candidate.keyArn;

  // S3 resolves an alias in the account of the request that writes the object, so a log
  // file written from another account would be encrypted with that account's key.
  const aliasName = typeof candidate.aliasName === 'string' ? candidate.aliasName : aliasOf(keyArn);
  if (aliasName !== undefined) {
    const aliasDescription = isConcreteString(aliasName) ? `the KMS alias ${show(aliasName)}` : 'a KMS alias';
    problems.push(`${propName} is ${aliasDescription}. S3 resolves an alias in the account that writes each object, so `
      + 'log files sent from another account could be encrypted with a key that this archive does not own. '
      + `Pass the key itself, for example ${EXAMPLE_KEY}.`);
  }

  // S3 uses a key only in the bucket's region. PutBucketEncryption does not check the key,
  // so the bucket would deploy and every write would then fail.
  const keyRegion = regionOf(candidate.env, keyArn);
  if (keyRegion !== undefined && isConcreteString(stack.region) && keyRegion !== stack.region) {
    problems.push(`${propName} is a key in ${keyRegion}, but the archive is in ${stack.region}. `
      + `S3 can use only a KMS key in the bucket's region, so pass a key from ${stack.region}.`);
  }
  return problems;
}

/** Returns the alias name in a concrete alias ARN such as `arn:aws:kms:eu-west-2:111122223333:alias/logs`. */
function aliasOf(keyArn: string): string | undefined {
  if (Token.isUnresolved(keyArn)) {
    return undefined;
  }
  const match = /^arn:[^:]+:kms:[^:]*:[^:]*:(alias\/.+)$/.exec(keyArn);
  return match?.[1];
}

/** Returns the key's region when it is known before deployment. */
function regionOf(env: unknown, keyArn: string): string | undefined {
  const region = typeof env === 'object' && env !== null ? (env as Record<string, unknown>).region : undefined;
  if (isConcreteString(region) && region.length > 0) {
    return region;
  }
  if (Token.isUnresolved(keyArn)) {
    return undefined;
  }
  try {
    const arnRegion = Arn.split(keyArn, ArnFormat.SLASH_RESOURCE_NAME).region;
    return isConcreteString(arnRegion) && arnRegion.length > 0 ? arnRegion : undefined;
  } catch {
    return undefined;
  }
}
