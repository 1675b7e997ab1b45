import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { LogArchive, ObjectLockMode } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'LogArchiveInteg');

// DESTROY and a one-day governance-mode retention let a maintainer's real run clean up.
// No log source writes to the archive here, so both buckets are normally empty when the
// stack is deleted. S3 may still deliver server access logs of the assertion calls to the
// access logs bucket. If deletion then fails because that bucket is not empty, empty it
// by hand and delete the stack again.
const archive = new LogArchive(stack, 'LogArchive', {
  objectLockMode: ObjectLockMode.GOVERNANCE,
  objectLockRetention: Duration.days(1),
  transitionAfter: Duration.days(30),
  archiveAfter: Duration.days(180),
  expiration: Duration.days(181),
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'LogArchiveTest', { testCases: [stack], regions: ['eu-west-2'] });

// Every new log file is locked by default.
const objectLock = test.assertions
  .awsApiCall('S3', 'getObjectLockConfiguration', { Bucket: archive.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    ObjectLockConfiguration: {
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } },
    },
  }));

// The archive encrypts with the customer managed key, through an S3 Bucket Key.
test.assertions
  .awsApiCall('S3', 'getBucketEncryption', { Bucket: archive.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    ServerSideEncryptionConfiguration: {
      Rules: [{
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: archive.encryptionKey.keyArn },
        BucketKeyEnabled: true,
      }],
    },
  }));

// Public access is blocked on the archive.
test.assertions
  .awsApiCall('S3', 'getPublicAccessBlock', { Bucket: archive.bucket.bucketName })
  .expect(ExpectedResult.objectLike({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    },
  }));

// Requests to the archive are logged to the access logs bucket.
test.assertions
  .awsApiCall('S3', 'getBucketLogging', { Bucket: archive.bucket.bucketName })
  .expect(ExpectedResult.objectLike({ LoggingEnabled: { TargetBucket: archive.accessLogsBucket.bucketName } }));

// The access logs bucket uses S3 managed keys, the only default encryption server access logging accepts.
test.assertions
  .awsApiCall('S3', 'getBucketEncryption', { Bucket: archive.accessLogsBucket.bucketName })
  .expect(ExpectedResult.objectLike({
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
  }));

// integ-tests-alpha names the IAM action of each assertion after its SDK call, which for three
// of these S3 calls is not an IAM action, so the assertion function would be denied. Replace its
// inline policy with the actions S3 authorises these calls with.
const assertionStack = Stack.of(objectLock);
for (const construct of assertionStack.node.findAll()) {
  if (construct instanceof CfnResource && construct.cfnResourceType === 'AWS::IAM::Role') {
    construct.addPropertyOverride('Policies', [{
      PolicyName: 'Inline',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: [
            's3:GetBucketObjectLockConfiguration',
            's3:GetEncryptionConfiguration',
            's3:GetBucketPublicAccessBlock',
            's3:GetBucketLogging',
          ],
          Resource: [archive.bucket.bucketArn, archive.accessLogsBucket.bucketArn],
        }],
      },
    }]);
  }
}
