import { App, Aspects, Lazy, RemovalPolicy, Stack, aws_config as config } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AccountConfigRecorder, AccountConfigRecorderProps } from '../src/account-config-recorder';

const ACCOUNT = '444455556666';
const BUCKET = 'ssd-config-archive-222222222222';
const KEY_ARN = 'arn:aws:kms:eu-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Returns a stack in the production account, or an environment-agnostic stack when `region` is null. */
function newStack(region: string | null = 'eu-west-2', app = new App()): Stack {
  return new Stack(app, 'Production', { env: region === null ? undefined : { account: ACCOUNT, region } });
}

function synth(props: Partial<AccountConfigRecorderProps> = {}, stack: Stack = newStack()): Template {
  new AccountConfigRecorder(stack, 'ConfigRecorder', { deliveryBucketName: BUCKET, deliveryKeyArn: KEY_ARN, ...props });
  return Template.fromStack(stack);
}

function synthProps(props: unknown): Template {
  const stack = newStack();
  new AccountConfigRecorder(stack, 'ConfigRecorder', props as AccountConfigRecorderProps);
  return Template.fromStack(stack);
}

function onlyResource(template: Template, type: string): [string, Record<string, any>] {
  const resources = Object.entries(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

describe('AccountConfigRecorder defaults', () => {
  test('records every supported resource type continuously', () => {
    synth().hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
    });
  });

  test('uses the AWS Config service-linked role', () => {
    synth().hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RoleARN: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`]] },
    });
  });

  test('creates the service-linked role before the recorder', () => {
    const template = synth();
    const [roleId] = onlyResource(template, 'AWS::IAM::ServiceLinkedRole');

    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'config.amazonaws.com' });
    expect(onlyResource(template, 'AWS::Config::ConfigurationRecorder')[1].DependsOn).toEqual([roleId]);
  });

  test('service-linked role is retained with the recorder', () => {
    const template = synth();

    template.hasResource('AWS::IAM::ServiceLinkedRole', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  test('delivers daily snapshots with the key', () => {
    synth().hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: BUCKET,
      S3KmsKeyArn: KEY_ARN,
      S3KeyPrefix: Match.absent(),
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
  });

  test('delivery channel waits for the recorder', () => {
    const template = synth();
    const [recorderId] = onlyResource(template, 'AWS::Config::ConfigurationRecorder');

    expect(onlyResource(template, 'AWS::Config::DeliveryChannel')[1].DependsOn).toEqual([recorderId]);
  });

  test('recorder and delivery channel are retained', () => {
    const template = synth();

    for (const type of ['AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel']) {
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('the recorder is the main resource', () => {
    const stack = newStack();
    const recorder = new AccountConfigRecorder(stack, 'ConfigRecorder', { deliveryBucketName: BUCKET });

    expect(recorder.node.defaultChild).toBeInstanceOf(config.CfnConfigurationRecorder);
    const recorderId = stack.getLogicalId(recorder.node.defaultChild as config.CfnConfigurationRecorder);

    expect(stack.resolve(recorder.configurationRecorderName)).toEqual({ Ref: recorderId });
  });
});

describe('AccountConfigRecorder overrides', () => {
  test('no global types outside home region', () => {
    synth({}, newStack('eu-west-1')).hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false },
    });
  });

  test('the home region can be changed', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    synth({ homeRegion: 'eu-west-1', deliveryKeyArn: keyArn }, newStack('eu-west-1')).hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { IncludeGlobalResourceTypes: true },
    });
  });

  test('agnostic stack decides at deploy time', () => {
    const template = synth({}, newStack(null));
    const conditions = template.findConditions('*');
    const [conditionId] = Object.keys(conditions).filter((id) => id.includes('InHomeRegion'));

    expect(conditions[conditionId]).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-2'] });
    template.hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: { 'Fn::If': [conditionId, true, false] } },
    });
  });

  test('without a key the channel names none', () => {
    synth({ deliveryKeyArn: undefined }).hasResourceProperties('AWS::Config::DeliveryChannel', { S3KmsKeyArn: Match.absent() });
  });

  test('snapshot frequency is configurable', () => {
    synth({ snapshotDeliveryFrequency: config.MaximumExecutionFrequency.TWELVE_HOURS }).hasResourceProperties('AWS::Config::DeliveryChannel', {
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'Twelve_Hours' },
    });
  });

  test('an existing service-linked role is not created again', () => {
    const template = synth({ createServiceLinkedRole: false });

    template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    expect(onlyResource(template, 'AWS::Config::ConfigurationRecorder')[1].DependsOn).toBeUndefined();
  });

  test('destroy removal policy applies', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    for (const type of ['AWS::Config::ConfigurationRecorder', 'AWS::Config::DeliveryChannel']) {
      template.hasResource(type, { DeletionPolicy: 'Delete' });
    }
  });

  test('tokens are accepted', () => {
    const token = (value: string) => Lazy.string({ produce: () => value });
    const template = synth({ deliveryBucketName: token(BUCKET), deliveryKeyArn: token(KEY_ARN), homeRegion: token('eu-west-2') });

    template.hasResourceProperties('AWS::Config::DeliveryChannel', { S3BucketName: BUCKET, S3KmsKeyArn: KEY_ARN });
    expect(Object.keys(template.findConditions('*')).filter((id) => id.includes('InHomeRegion'))).toHaveLength(1);
  });
});

describe('AccountConfigRecorder validation', () => {
  test('missing props are rejected', () => {
    expect(() => synthProps(undefined)).toThrow(/props is undefined\. Give the props as an object with at least deliveryBucketName/);
  });

  test('missing bucket name is rejected', () => {
    expect(() => synthProps({})).toThrow(/deliveryBucketName is missing\. Give the name of the central AWS Config bucket/);
  });

  test('bucket name that is not a string is rejected', () => {
    expect(() => synthProps({ deliveryBucketName: 42 })).toThrow(/deliveryBucketName is 42, which is not a string/);
  });

  test('invalid bucket name is rejected', () => {
    expect(() => synth({ deliveryBucketName: 'Config_Archive' }))
      .toThrow(/deliveryBucketName "Config_Archive" is not a valid S3 bucket name: it contains characters other than lower-case letters/);
  });

  test('bucket name with dots is rejected with the reason and the fix', () => {
    // GIVEN a central bucket name that S3 allows, but that contains dots
    const deliveryBucketName = 'ssd.config-archive.222222222222';

    // WHEN the recorder is created
    // THEN the error names the prop and the value, explains why dots break TLS, and gives a name to use instead
    expect(() => synth({ deliveryBucketName })).toThrow(
      'deliveryBucketName "ssd.config-archive.222222222222" is not accepted: it contains dots, and the TLS certificate that S3 '
      + 'presents for virtual-hosted-style requests (*.s3.<region>.amazonaws.com) does not match a bucket name with dots, so HTTPS '
      + 'requests to the bucket fail certificate checks. Give the name of a central bucket without dots, for example '
      + '"ssd-config-archive-222222222222", as the platform names its buckets.');
  });

  test('bucket name with adjacent dots gets both problems in the one error', () => {
    // GIVEN a name with two adjacent dots, which breaks an S3 naming rule as well
    // WHEN the recorder is created
    // THEN both problems are listed in the one error
    expect(() => synth({ deliveryBucketName: 'config..archive' })).toThrow(new RegExp(
      '\\n {2}- deliveryBucketName "config\\.\\.archive" is not a valid S3 bucket name: it contains two adjacent dots\\..*'
      + '\\n {2}- deliveryBucketName "config\\.\\.archive" is not accepted: it contains dots,'));
  });

  test('bucket name token is not checked for dots', () => {
    // GIVEN a bucket name known only at deploy time
    const deliveryBucketName = Lazy.string({ produce: () => 'config.archive' });

    // WHEN the recorder is created
    const template = synth({ deliveryBucketName });

    // THEN the name is passed on, because it cannot be checked before deployment
    template.hasResourceProperties('AWS::Config::DeliveryChannel', { S3BucketName: 'config.archive' });
  });

  test('alias ARN is rejected', () => {
    expect(() => synth({ deliveryKeyArn: 'arn:aws:kms:eu-west-2:222222222222:alias/config' }))
      .toThrow(/deliveryKeyArn is the alias ARN "arn:aws:kms:eu-west-2:222222222222:alias\/config"\. An alias resolves in the account/);
  });

  test('value that is not a key ARN is rejected', () => {
    expect(() => synth({ deliveryKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }))
      .toThrow(/deliveryKeyArn is "1234abcd-12ab-34cd-56ef-1234567890ab", which is not a KMS key ARN\. Give an ARN of the form/);
  });

  test('key that is not a string is rejected', () => {
    expect(() => synth({ deliveryKeyArn: {} as string })).toThrow(/deliveryKeyArn is \{\}, which is not a string/);
  });

  test('key outside the home region is rejected', () => {
    expect(() => synth({ deliveryKeyArn: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab' }))
      .toThrow(/deliveryKeyArn is a key in eu-west-1, but the central bucket is in the home region eu-west-2/);
  });

  test('multi-Region key ARN is accepted', () => {
    const keyArn = 'arn:aws:kms:eu-west-2:222222222222:key/mrk-1234abcd12ab34cd56ef1234567890ab';
    synth({ deliveryKeyArn: keyArn }).hasResourceProperties('AWS::Config::DeliveryChannel', { S3KmsKeyArn: keyArn });
  });

  test('invalid home region is rejected', () => {
    expect(() => synth({ homeRegion: 'London' })).toThrow(/homeRegion is "London", which is not an AWS region/);
  });

  test('unknown snapshot frequency is rejected', () => {
    expect(() => synth({ snapshotDeliveryFrequency: 'Daily' as config.MaximumExecutionFrequency }))
      .toThrow(/snapshotDeliveryFrequency is "Daily", which is not a delivery frequency/);
  });

  test('non-boolean role choice is rejected', () => {
    expect(() => synth({ createServiceLinkedRole: 'no' as unknown as boolean }))
      .toThrow(/createServiceLinkedRole is "no", which is not a boolean/);
  });

  test('snapshot removal policy is rejected', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT })).toThrow(/removalPolicy is "snapshot", which the recorder does not support/);
  });

  test('every problem is reported at once', () => {
    expect(() => synth({ deliveryBucketName: 'A', homeRegion: 'London', createServiceLinkedRole: 1 as unknown as boolean }))
      .toThrow(/AccountConfigRecorder props at Production\/ConfigRecorder:\n(  - .*\n){3,}/);
  });
});

describe('AccountConfigRecorder checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = newStack('eu-west-2', new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    synth({}, stack);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
