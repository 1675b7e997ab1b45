import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy, Stack, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { DetectiveControls } from '../src';
import { ignoreRedundantStateMachineDependsOn } from './support/integ-wait';
import { denyGrantsExceptForAwsResources } from '../src/private/key-policy';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'DetectiveControlsInteg');

// A test account is not the delegated administrator of an organisation, so every service
// covers this account only. The account must have none of the services on beforehand: each
// allows one detector, hub, session or configuration recorder per account and region.
// DESTROY turns the services off again when the stack is deleted. AWS Config writes to the
// delivery bucket, so empty it by hand before deleting the stack.
// The delivery key limits grants as the keys of LogArchive do.
const key = denyGrantsExceptForAwsResources(new kms.Key(stack, 'DeliveryKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }));
const bucket = new s3.Bucket(stack, 'DeliveryBucket', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
});

const controls = new DetectiveControls(stack, 'Detective', {
  organizationWide: false,
  config: { deliveryBucket: bucket },
  removalPolicy: RemovalPolicy.DESTROY,
});

const test = new IntegTest(app, 'DetectiveControlsTest', { testCases: [stack], regions: ['eu-west-2'] });

// GuardDuty is on and publishes findings every 15 minutes.
test.assertions
  .awsApiCall('GuardDuty', 'getDetector', { DetectorId: controls.guardDutyDetectorId })
  .expect(ExpectedResult.objectLike({ Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES' }));

// Security Hub is on with consolidated control findings, and turns on new controls.
test.assertions
  .awsApiCall('SecurityHub', 'describeHub', {})
  .expect(ExpectedResult.objectLike({
    HubArn: controls.securityHubArn,
    AutoEnableControls: true,
    ControlFindingGenerator: 'SECURITY_CONTROL',
  }));

// Macie is on and publishes findings every 15 minutes.
test.assertions
  .awsApiCall('Macie2', 'getMacieSession', {})
  .expect(ExpectedResult.objectLike({ status: 'ENABLED', findingPublishingFrequency: 'FIFTEEN_MINUTES' }));

// Inspector scans EC2 instances and ECR images. Enabling takes a while, so the check retries.
const inspector = test.assertions
  .awsApiCall('Inspector2', 'batchGetAccountStatus', {})
  .expect(ExpectedResult.objectLike({
    accounts: [{ resourceState: { ec2: { status: 'ENABLED' }, ecr: { status: 'ENABLED' } } }],
  }))
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

ignoreRedundantStateMachineDependsOn(inspector);

// The configuration recorder is recording.
test.assertions
  .awsApiCall('ConfigService', 'describeConfigurationRecorderStatus', { ConfigurationRecorderNames: [controls.configurationRecorderName] })
  .expect(ExpectedResult.objectLike({ ConfigurationRecordersStatus: [{ recording: true }] }));
