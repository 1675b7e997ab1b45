import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack, aws_sqs as sqs } from 'aws-cdk-lib';
import { DataClassification, TaggingStandard } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'TaggingStandardInteg');

const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });

TaggingStandard.applyTags(stack, {
  costCentre: 'CC-0000',
  environment: 'integ',
  service: 'security-baseline-integ',
  owner: 'platform-engineering',
  dataClassification: DataClassification.OFFICIAL,
});
// Enforced on the test stack only: the assertion stack's own resources are not tagged.
TaggingStandard.enforce(stack);

const test = new IntegTest(app, 'TaggingStandardTest', { testCases: [stack], regions: ['eu-west-2'] });

// The deployed queue carries the five mandatory tags.
test.assertions
  .awsApiCall('SQS', 'listQueueTags', { QueueUrl: queue.queueUrl })
  .expect(ExpectedResult.objectLike({
    Tags: {
      CostCentre: 'CC-0000',
      Environment: 'integ',
      Service: 'security-baseline-integ',
      Owner: 'platform-engineering',
      DataClassification: 'OFFICIAL',
    },
  }));
