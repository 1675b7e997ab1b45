import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnResource, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { AccountConfigRecorder } from '../src/account-config-recorder';
import { denyGrantsExceptForAwsResources } from '../src/private/key-policy';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'AccountConfigRecorderInteg');

// A test account has no central archive, so the stack makes a bucket of its own with the
// policies that the central archive has. It has no Object Lock, which AWS Config does not
// deliver to. The test account must have no configuration recorder in eu-west-2 yet.
// Its key limits grants as the keys of LogArchive do.
const key = denyGrantsExceptForAwsResources(new kms.Key(stack, 'ArchiveKey', { enableKeyRotation: true, removalPolicy: RemovalPolicy.DESTROY }));
const bucket = new s3.Bucket(stack, 'Archive', {
  encryption: s3.BucketEncryption.KMS,
  encryptionKey: key,
  enforceSSL: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  removalPolicy: RemovalPolicy.DESTROY,
  autoDeleteObjects: true,
});
const config = new iam.ServicePrincipal('config.amazonaws.com');
const thisAccount = { 'aws:SourceAccount': stack.account };
bucket.addToResourcePolicy(new iam.PolicyStatement({
  principals: [config],
  actions: ['s3:GetBucketAcl', 's3:ListBucket'],
  resources: [bucket.bucketArn],
  conditions: { StringEquals: thisAccount },
}));
bucket.addToResourcePolicy(new iam.PolicyStatement({
  principals: [config],
  actions: ['s3:PutObject'],
  resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`)],
  conditions: { StringEquals: { ...thisAccount, 's3:x-amz-acl': 'bucket-owner-full-control' } },
}));
key.addToResourcePolicy(new iam.PolicyStatement({
  principals: [config],
  actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
  resources: ['*'],
  conditions: { StringEquals: thisAccount },
}));

// DESTROY stops recording when the test ends. The service-linked role stays: most
// accounts already have it, so the test does not create it.
const recorder = new AccountConfigRecorder(stack, 'Recorder', {
  deliveryBucketName: bucket.bucketName,
  deliveryKeyArn: key.keyArn,
  createServiceLinkedRole: false,
  removalPolicy: RemovalPolicy.DESTROY,
});
recorder.node.addDependency(bucket.policy!);

// aws-cdk-lib's bucket auto-delete provider gives its handler a DependsOn on its role, which
// the handler's GetAtt of the role already implies, and cfn-lint warns about it (W3005).
for (const construct of stack.node.findAll()) {
  if (construct instanceof CfnResource && construct.cfnResourceType === 'AWS::Lambda::Function'
    && construct.node.path.includes('S3AutoDeleteObjectsCustomResourceProvider')) {
    construct.addMetadata('cfn-lint', { config: { ignore_checks: ['W3005'] } });
  }
}

const test = new IntegTest(app, 'AccountConfigRecorderTest', { testCases: [stack], regions: ['eu-west-2'] });

// The recorder records every resource type, with the global ones in the home region.
test.assertions
  .awsApiCall('ConfigService', 'describeConfigurationRecorders', { ConfigurationRecorderNames: [recorder.configurationRecorderName] })
  .expect(ExpectedResult.objectLike({
    ConfigurationRecorders: [{
      name: recorder.configurationRecorderName,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      recordingMode: { recordingFrequency: 'CONTINUOUS' },
    }],
  }));

// The delivery channel sends a daily snapshot to the bucket, encrypted with the key.
test.assertions
  .awsApiCall('ConfigService', 'describeDeliveryChannels', { DeliveryChannelNames: [recorder.deliveryChannelName] })
  .expect(ExpectedResult.objectLike({
    DeliveryChannels: [{
      s3BucketName: bucket.bucketName,
      s3KmsKeyArn: key.keyArn,
      configSnapshotDeliveryProperties: { deliveryFrequency: 'TwentyFour_Hours' },
    }],
  }));
