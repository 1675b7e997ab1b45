import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack, aws_s3 as s3 } from 'aws-cdk-lib';
import { FindingSeverity, SocFeed } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'SocFeedInteg');

// A drop bucket in the same account replaces the SOC's. The feed delivers findings only
// if Security Hub or GuardDuty is on in the account. If the bucket then contains findings, empty
// it by hand before deleting the stack.
const dropBucket = new s3.Bucket(stack, 'DropBucket', {
  encryption: s3.BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.DESTROY,
});
const feed = new SocFeed(stack, 'Feed', {
  deliveryBucket: dropBucket,
  securityHubSeverities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH, FindingSeverity.MEDIUM],
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'SocFeedTest', { testCases: [stack], regions: ['eu-west-2'] });

// The delivery stream is active and encrypted with the feed's customer managed key.
test.assertions
  .awsApiCall('Firehose', 'describeDeliveryStream', { DeliveryStreamName: feed.deliveryStreamName })
  .expect(ExpectedResult.objectLike({
    DeliveryStreamDescription: {
      DeliveryStreamName: feed.deliveryStreamName,
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamEncryptionConfiguration: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: feed.encryptionKey.keyArn, Status: 'ENABLED' },
    },
  }));

// The Security Hub rule retries for a day, then sends the finding to the dead-letter queue.
test.assertions
  .awsApiCall('EventBridge', 'listTargetsByRule', { Rule: feed.securityHubRule.ruleName })
  .expect(ExpectedResult.objectLike({
    Targets: [{
      Arn: feed.deliveryStreamArn,
      RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86400 },
      DeadLetterConfig: { Arn: feed.deadLetterQueue.queueArn },
    }],
  }));

// The dead-letter queue keeps events for 14 days.
test.assertions
  .awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: feed.deadLetterQueue.queueUrl, AttributeNames: ['MessageRetentionPeriod'] })
  .expect(ExpectedResult.objectLike({ Attributes: { MessageRetentionPeriod: '1209600' } }));
