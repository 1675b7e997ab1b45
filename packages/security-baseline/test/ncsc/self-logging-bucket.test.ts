import { Tags, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { ACCOUNT, classify, messagesFor, newStack } from './fixtures';

const RULE_ID = 'NCSC-P02-SensitiveDataCustomerKey';
const CUSTOMER_KEY = {
  serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1` } }],
};
const S3_MANAGED = { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }] };

/** Adds an OFFICIAL-SENSITIVE bucket that names itself, by its literal name, as its server access logs destination. */
function bucketLoggingToItsOwnName(encryption: s3.CfnBucket.BucketEncryptionProperty) {
  const stack = newStack();
  const bucket = new s3.CfnBucket(stack, 'Bucket', {
    bucketName: 'sensitive-data',
    bucketEncryption: encryption,
    loggingConfiguration: { destinationBucketName: 'sensitive-data', logFilePrefix: 'access-logs/' },
  });
  Tags.of(bucket).add('DataClassification', 'OFFICIAL-SENSITIVE');
  return stack;
}

// Only a bucket that receives the access logs of another bucket is exempt, because S3 delivers
// those logs only to a bucket with SSE-S3. A bucket that logs to itself contains its own data
// too, so it is judged on its key like any other OFFICIAL-SENSITIVE bucket.
describe('NCSC-P02-SensitiveDataCustomerKey for a bucket that logs to itself', () => {
  test('a self-logging bucket with SSE-S3 is reported', () => {
    // GIVEN an OFFICIAL-SENSITIVE bucket with SSE-S3 that logs to its own name
    // WHEN the pack checks the stack
    const stack = bucketLoggingToItsOwnName(S3_MANAGED);

    // THEN its own logs are no reason to exempt it
    expect(messagesFor(stack, RULE_ID)).toEqual([
      `${RULE_ID}: The OFFICIAL-SENSITIVE data store is not encrypted with a customer managed KMS key.\n`,
    ]);
  });

  test('a self-logging bucket with a customer managed key passes', () => {
    // GIVEN an OFFICIAL-SENSITIVE bucket with a customer managed key that logs to its own name
    // WHEN the pack checks the stack
    const stack = bucketLoggingToItsOwnName(CUSTOMER_KEY);

    // THEN its own logs are no reason to report it
    expect(messagesFor(stack, RULE_ID)).toEqual([]);
  });

  test('a prefix-only self-logging bucket is judged on its key', () => {
    // GIVEN two OFFICIAL-SENSITIVE buckets that log to themselves through the L2 prop, one per key type
    const withSseS3 = newStack();
    classify(withSseS3, 'OFFICIAL-SENSITIVE');
    const withCustomerKey = newStack();
    classify(withCustomerKey, 'OFFICIAL-SENSITIVE');

    // WHEN
    new s3.Bucket(withSseS3, 'Bucket', { encryption: s3.BucketEncryption.S3_MANAGED, serverAccessLogsPrefix: 'access-logs/' });
    new s3.Bucket(withCustomerKey, 'Bucket', { encryptionKey: new kms.Key(withCustomerKey, 'Key'), serverAccessLogsPrefix: 'access-logs/' });

    // THEN only the bucket without a customer managed key is reported
    expect(messagesFor(withSseS3, RULE_ID)).toHaveLength(1);
    expect(messagesFor(withCustomerKey, RULE_ID)).toEqual([]);
  });

  test('a self-logging bucket that also receives another bucket\'s logs is exempt', () => {
    // GIVEN an OFFICIAL-SENSITIVE bucket with SSE-S3 that logs to itself
    const stack = bucketLoggingToItsOwnName(S3_MANAGED);

    // WHEN another bucket sends its server access logs to it
    const data = new s3.CfnBucket(stack, 'Data', {
      bucketEncryption: CUSTOMER_KEY,
      loggingConfiguration: { destinationBucketName: 'sensitive-data' },
    });
    Tags.of(data).add('DataClassification', 'OFFICIAL-SENSITIVE');

    // THEN S3 needs SSE-S3 on it to deliver the other bucket's logs, so neither bucket is reported
    expect(messagesFor(stack, RULE_ID)).toEqual([]);
  });
});
