import {
  App,
  Aspects,
  Duration,
  RemovalPolicy,
  Size,
  Stack,
  Token,
  aws_kms as kms,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { FindingSeverity, SocFeed, SocFeedProps, SocHttpEndpoint } from '../src';
import { expectEveryKeyToDenyGrants } from './support/key-policy';

const SECURITY = '111122223333';
const SOC = '999988887777';
const DROP_BUCKET = 'soc-drop-bucket';
const URL = 'https://soc.example.gov.uk/firehose';

function newStack(app: App = new App()): Stack {
  return new Stack(app, 'Security', { env: { account: SECURITY, region: 'eu-west-2' } });
}

/** Builds the props with the drop bucket, imported into `stack`, and the given overrides. */
function propsFor(stack: Stack, overrides: Partial<SocFeedProps> = {}): SocFeedProps {
  return { deliveryBucket: s3.Bucket.fromBucketName(stack, 'DropBucket', DROP_BUCKET), ...overrides };
}

function synth(overrides: (stack: Stack) => Partial<SocFeedProps> = () => ({})): Template {
  const stack = newStack();
  new SocFeed(stack, 'Feed', propsFor(stack, overrides(stack)));
  return Template.fromStack(stack);
}

function endpoint(stack: Stack, overrides: Partial<SocHttpEndpoint> = {}): SocHttpEndpoint {
  return { url: URL, accessKeySecret: secretsmanager.Secret.fromSecretNameV2(stack, 'AccessKey', 'soc/firehose'), ...overrides };
}

function idOf(template: Template, type: string, props: object = {}): string {
  const ids = Object.keys(template.findResources(type, { Properties: Match.objectLike(props) }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

function keyId(template: Template, descriptionStart: string): string {
  return idOf(template, 'AWS::KMS::Key', { Description: Match.stringLikeRegexp(`^${descriptionStart}`) });
}

function partitionArn(suffix: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] };
}

function stream(template: Template): any {
  return Object.values(template.findResources('AWS::KinesisFirehose::DeliveryStream'))[0].Properties;
}

describe('SocFeed defaults', () => {
  test('stream takes direct puts, encrypted with the feed key', () => {
    const template = synth();

    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamType: 'DirectPut',
      DeliveryStreamName: Match.stringLikeRegexp('^Security-Feed-'),
      DeliveryStreamEncryptionConfigurationInput: {
        KeyType: 'CUSTOMER_MANAGED_CMK',
        KeyARN: { 'Fn::GetAtt': [keyId(template, 'Encrypts the delivery stream'), 'Arn'] },
      },
      HttpEndpointDestinationConfiguration: Match.absent(),
    });
  });

  test('findings go to the bucket folder, compressed and encrypted', () => {
    const template = synth();

    expect(stream(template).ExtendedS3DestinationConfiguration).toEqual(expect.objectContaining({
      BucketARN: partitionArn(`:s3:::${DROP_BUCKET}`),
      Prefix: 'soc-feed/findings/!{timestamp:yyyy/MM/dd}/',
      ErrorOutputPrefix: 'soc-feed/errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/',
      CompressionFormat: 'GZIP',
      EncryptionConfiguration: {
        KMSEncryptionConfig: { AWSKMSKeyARN: { 'Fn::GetAtt': [keyId(template, 'Encrypts the findings'), 'Arn'] } },
      },
    }));
  });

  test('findings are written one per line', () => {
    expect(stream(synth()).ExtendedS3DestinationConfiguration.ProcessingConfiguration).toEqual({
      Enabled: true,
      Processors: [{ Type: 'AppendDelimiterToRecord' }],
    });
  });

  test('stream buffers 60 seconds or 5 MiB', () => {
    expect(stream(synth()).ExtendedS3DestinationConfiguration.BufferingHints).toEqual({ IntervalInSeconds: 60, SizeInMBs: 5 });
  });

  test('delivery errors go to an encrypted log group', () => {
    const template = synth();
    const logGroupId = idOf(template, 'AWS::Logs::LogGroup');

    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/kinesisfirehose/Security-Feed-'),
      KmsKeyId: { 'Fn::GetAtt': [keyId(template, 'Encrypts the delivery stream'), 'Arn'] },
      RetentionInDays: 365,
    });
    template.resourceCountIs('AWS::Logs::LogStream', 1);
    template.hasResourceProperties('AWS::Logs::LogStream', { LogGroupName: { Ref: logGroupId }, LogStreamName: 'DestinationDelivery' });
    expect(stream(template).ExtendedS3DestinationConfiguration.CloudWatchLoggingOptions)
      .toEqual({ Enabled: true, LogGroupName: { Ref: logGroupId }, LogStreamName: 'DestinationDelivery' });
  });

  test('only this account\'s Firehose may assume the delivery role', () => {
    synth().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'firehose.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': SECURITY } },
        }],
      },
    });
  });

  test('delivery role writes only the feed folder', () => {
    const template = synth();

    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'DeliverToTheBucketFolder',
            Resource: [partitionArn(`:s3:::${DROP_BUCKET}`), partitionArn(`:s3:::${DROP_BUCKET}/soc-feed/*`)],
          }),
          Match.objectLike({
            Sid: 'EncryptTheDeliveredObjects',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [keyId(template, 'Encrypts the findings'), 'Arn'] },
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.eu-west-2.amazonaws.com' },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': [partitionArn(`:s3:::${DROP_BUCKET}`), partitionArn(`:s3:::${DROP_BUCKET}/soc-feed/*`)] },
            },
          }),
        ]),
      },
    });
  });

  test('Security Hub rule sends imported findings of every severity', () => {
    synth().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.securityhub'], 'detail-type': ['Security Hub Findings - Imported'], 'detail': Match.absent() },
    });
  });

  test('GuardDuty rule sends every finding', () => {
    synth().hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { 'source': ['aws.guardduty'], 'detail-type': ['GuardDuty Finding'], 'detail': Match.absent() },
    });
  });

  test('rules retry for a day then dead-letter', () => {
    const template = synth();
    const streamId = idOf(template, 'AWS::KinesisFirehose::DeliveryStream');
    const queueId = idOf(template, 'AWS::SQS::Queue');

    const rules = Object.values(template.findResources('AWS::Events::Rule'));
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({
        Arn: { 'Fn::GetAtt': [streamId, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      })]);
    }
  });

  test('events role may only put records into the stream', () => {
    const template = synth();
    const streamId = idOf(template, 'AWS::KinesisFirehose::DeliveryStream');

    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
          Resource: { 'Fn::GetAtt': [streamId, 'Arn'] },
        }],
      },
    });
  });

  test('dead-letter queue is encrypted, TLS-only and keeps 14 days', () => {
    const template = synth();

    template.hasResource('AWS::SQS::Queue', {
      Properties: {
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId(template, 'Encrypts the delivery stream'), 'Arn'] },
        MessageRetentionPeriod: 1209600,
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      },
    });
  });

  test('no other queue may use the dead-letter queue as its own', () => {
    const template = synth();

    template.hasResourceProperties('AWS::SQS::Queue', { RedriveAllowPolicy: { redrivePermission: 'denyAll' } });
  });

  test('only the two rules may send dead letters', () => {
    const template = synth();
    const ruleIds = Object.keys(template.findResources('AWS::Events::Rule'));

    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowTheRulesToSendDeadLetters',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': ruleIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] })) } },
        })]),
      },
    });
  });

  test('EventBridge may use the key for this account\'s queues', () => {
    const template = synth();
    const key = template.findResources('AWS::KMS::Key')[keyId(template, 'Encrypts the delivery stream')];

    expect(key.Properties.KeyPolicy.Statement).toEqual(expect.arrayContaining([expect.objectContaining({
      Sid: 'AllowEventBridgeToUseTheKeyForQueues',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Condition: { StringLike: { 'kms:EncryptionContext:aws:sqs:arn': partitionArn(`:sqs:eu-west-2:${SECURITY}:*`) } },
    })]));
  });

  test('keys rotate and are retained', () => {
    const keys = Object.values(synth().findResources('AWS::KMS::Key'));

    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  test('alarms cover dead letters and deliveries', () => {
    const template = synth();

    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'InvocationsFailedToBeSentToDlq',
      Statistic: 'Sum',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
      Statistic: 'Minimum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.DataFreshness',
      Statistic: 'Maximum',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  test('alarms notify an encrypted TLS-only topic', () => {
    const template = synth();
    const topicId = idOf(template, 'AWS::SNS::Topic');

    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId(template, 'Encrypts the delivery stream'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    }
  });

  test('exposes the stream, keys, queue and rules', () => {
    const stack = newStack();
    const feed = new SocFeed(stack, 'Feed', propsFor(stack));

    expect(feed.deliveryStreamName).toMatch(/^Security-Feed-[0-9A-F]{8}$/);
    expect(Token.isUnresolved(feed.deliveryStreamArn)).toBe(true);
    expect(feed.alarms).toHaveLength(5);
    expect(feed.securityHubRule.node.path).toBe('Security/Feed/SecurityHubFindings');
    expect(feed.guardDutyRule.node.path).toBe('Security/Feed/GuardDutyFindings');
    expect(feed.deadLetterQueue.node.path).toBe('Security/Feed/DeadLetterQueue');
  });
});

describe('SocFeed HTTP endpoint', () => {
  test('findings go to the endpoint with the access key from Secrets Manager', () => {
    const template = synth((stack) => ({ httpEndpoint: endpoint(stack, { name: 'Government SOC' }) }));
    const roleId = idOf(template, 'AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'firehose.amazonaws.com' } })] } });

    const destination = stream(template).HttpEndpointDestinationConfiguration;
    expect(stream(template).ExtendedS3DestinationConfiguration).toBeUndefined();
    expect(destination).toEqual(expect.objectContaining({
      EndpointConfiguration: { Url: URL, Name: 'Government SOC' },
      SecretsManagerConfiguration: {
        Enabled: true,
        SecretARN: partitionArn(`:secretsmanager:eu-west-2:${SECURITY}:secret:soc/firehose`),
        RoleARN: { 'Fn::GetAtt': [roleId, 'Arn'] },
      },
      RequestConfiguration: { ContentEncoding: 'GZIP' },
      BufferingHints: { IntervalInSeconds: 60, SizeInMBs: 5 },
    }));
  });

  test('endpoint is retried for two hours', () => {
    const template = synth((stack) => ({ httpEndpoint: endpoint(stack) }));

    expect(stream(template).HttpEndpointDestinationConfiguration.RetryOptions).toEqual({ DurationInSeconds: 7200 });
  });

  test('rejected records are backed up to the bucket', () => {
    const template = synth((stack) => ({ httpEndpoint: endpoint(stack) }));

    const destination = stream(template).HttpEndpointDestinationConfiguration;
    expect(destination.S3BackupMode).toBe('FailedDataOnly');
    expect(destination.S3Configuration).toEqual(expect.objectContaining({
      BucketARN: partitionArn(`:s3:::${DROP_BUCKET}`),
      Prefix: 'soc-feed/failed/!{timestamp:yyyy/MM/dd}/',
      CompressionFormat: 'GZIP',
      CloudWatchLoggingOptions: expect.objectContaining({ LogStreamName: 'BackupDelivery' }),
    }));
    template.resourceCountIs('AWS::Logs::LogStream', 2);
  });

  test('delivery role reads the access key', () => {
    synth((stack) => ({ httpEndpoint: endpoint(stack) })).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'ReadTheEndpointAccessKey',
          Action: 'secretsmanager:GetSecretValue',
          Resource: partitionArn(`:secretsmanager:eu-west-2:${SECURITY}:secret:soc/firehose-??????`),
        })]),
      },
    });
  });

  test('delivery role decrypts an encrypted access key', () => {
    const template = synth((stack) => ({
      httpEndpoint: endpoint(stack, {
        accessKeySecret: secretsmanager.Secret.fromSecretAttributes(stack, 'EncryptedKey', {
          secretCompleteArn: `arn:aws:secretsmanager:eu-west-2:${SOC}:secret:soc/firehose-AbCdEf`,
          encryptionKey: kms.Key.fromKeyArn(stack, 'SecretKey', `arn:aws:kms:eu-west-2:${SOC}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
        }),
      }),
    }));

    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadTheEndpointAccessKey', Resource: `arn:aws:secretsmanager:eu-west-2:${SOC}:secret:soc/firehose-AbCdEf` }),
          Match.objectLike({
            Sid: 'DecryptTheEndpointAccessKey',
            Action: 'kms:Decrypt',
            Resource: `arn:aws:kms:eu-west-2:${SOC}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
            Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-2.amazonaws.com' } },
          }),
        ]),
      },
    });
  });

  test('common attributes are sent', () => {
    const template = synth((stack) => ({ httpEndpoint: endpoint(stack, { commonAttributes: { platform: 'ssd', environment: 'production' } }) }));

    expect(stream(template).HttpEndpointDestinationConfiguration.RequestConfiguration).toEqual({
      ContentEncoding: 'GZIP',
      CommonAttributes: [{ AttributeName: 'platform', AttributeValue: 'ssd' }, { AttributeName: 'environment', AttributeValue: 'production' }],
    });
  });

  test('alarms watch the endpoint and the backup', () => {
    const template = synth((stack) => ({ httpEndpoint: endpoint(stack) }));

    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    for (const metricName of ['DeliveryToHttpEndpoint.Success', 'DeliveryToHttpEndpoint.DataFreshness', 'BackupToS3.Success']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Firehose', MetricName: metricName });
    }
  });
});

describe('SocFeed overrides', () => {
  test('Security Hub severities filter the findings', () => {
    synth(() => ({ securityHubSeverities: [FindingSeverity.CRITICAL, FindingSeverity.HIGH, FindingSeverity.CRITICAL] }))
      .hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['aws.securityhub'], detail: { findings: { Severity: { Label: ['CRITICAL', 'HIGH'] } } } },
      });
  });

  test('GuardDuty minimum severity filters the findings', () => {
    synth(() => ({ guardDutyMinimumSeverity: 7 })).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.guardduty'], detail: { severity: [{ numeric: ['>=', 7] }] } },
    });
  });

  test('buffering is applied', () => {
    const template = synth(() => ({ bufferInterval: Duration.minutes(15), bufferSize: Size.mebibytes(128) }));

    expect(stream(template).ExtendedS3DestinationConfiguration.BufferingHints).toEqual({ IntervalInSeconds: 900, SizeInMBs: 128 });
  });

  test('retry duration is applied', () => {
    const template = synth((stack) => ({ httpEndpoint: endpoint(stack), retryDuration: Duration.minutes(30) }));

    expect(stream(template).HttpEndpointDestinationConfiguration.RetryOptions).toEqual({ DurationInSeconds: 1800 });
  });

  test('delivery prefix is applied', () => {
    const template = synth(() => ({ deliveryPrefix: 'ssd/production/' }));

    expect(stream(template).ExtendedS3DestinationConfiguration.Prefix).toBe('ssd/production/findings/!{timestamp:yyyy/MM/dd}/');
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Sid: 'DeliverToTheBucketFolder', Resource: Match.arrayWith([partitionArn(`:s3:::${DROP_BUCKET}/ssd/production/*`)]) })]),
      },
    });
  });

  test('given delivery key is used and none created', () => {
    const soc = `arn:aws:kms:eu-west-2:${SOC}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const template = synth((stack) => ({ deliveryEncryptionKey: kms.Key.fromKeyArn(stack, 'SocKey', soc) }));

    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(stream(template).ExtendedS3DestinationConfiguration.EncryptionConfiguration).toEqual({ KMSEncryptionConfig: { AWSKMSKeyARN: soc } });
  });

  test('given alarm topic is notified and none created', () => {
    const topicArn = `arn:aws:sns:eu-west-2:${SECURITY}:security-alarms`;
    const template = synth((stack) => ({ alarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', topicArn) }));

    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topicArn] });
  });

  test('destroy removes the queue, log group and keys', () => {
    const template = synth(() => ({ removalPolicy: RemovalPolicy.DESTROY }));

    for (const type of ['AWS::SQS::Queue', 'AWS::Logs::LogGroup', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource.DeletionPolicy).toBe('Delete');
      }
    }
  });
});

describe('SocFeed validation', () => {
  function synthRaw(props: unknown): void {
    new SocFeed(newStack(), 'Feed', props as SocFeedProps);
  }

  test('rejects props that are not an object', () => {
    expect(() => synthRaw(null)).toThrow(/props is null\. Give the props as an object with at least deliveryBucket/);
  });

  test('rejects a missing delivery bucket', () => {
    expect(() => synthRaw({})).toThrow(/deliveryBucket is undefined, but an S3 bucket is required/);
  });

  test.each([
    ['soc-feed', 'ends with'],
    ['/soc-feed/', 'does not start with'],
    ['soc/!{timestamp:yyyy}/', 'Firehose expression'],
  ])('rejects the delivery prefix %j', (deliveryPrefix, rule) => {
    expect(() => synth(() => ({ deliveryPrefix }))).toThrow(new RegExp(`deliveryPrefix is ${JSON.stringify(deliveryPrefix).replace(/[{}$/]/g, '\\$&')}\\..*${rule}`));
  });

  test('rejects a token delivery prefix', () => {
    expect(() => synth(() => ({ deliveryPrefix: Token.asString({ Ref: 'Prefix' }) }))).toThrow(/deliveryPrefix is a token/);
  });

  test('rejects a delivery key alias', () => {
    expect(() => synth((stack) => ({ deliveryEncryptionKey: kms.Key.fromKeyArn(stack, 'Alias', `arn:aws:kms:eu-west-2:${SOC}:alias/soc`) })))
      .toThrow(/deliveryEncryptionKey is the KMS alias "arn:aws:kms:eu-west-2:999988887777:alias\/soc"/);
  });

  test('rejects a delivery key that is not a key', () => {
    expect(() => synth(() => ({ deliveryEncryptionKey: 'alias/soc' as unknown as kms.IKey })))
      .toThrow(/deliveryEncryptionKey is "alias\/soc", which is not a KMS key/);
  });

  test('rejects an endpoint URL that is not https', () => {
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack, { url: 'http://soc.example.gov.uk/firehose' }) })))
      .toThrow(/httpEndpoint\.url is "http:\/\/soc\.example\.gov\.uk\/firehose", which is not an https URL/);
  });

  test('rejects an endpoint URL that does not parse', () => {
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack, { url: 'https://' }) }))).toThrow(/httpEndpoint\.url is "https:\/\/", which is not an https URL/);
  });

  test('rejects an endpoint URL over 1,000 characters', () => {
    const url = `https://soc.example.gov.uk/${'a'.repeat(1000)}`;
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack, { url }) }))).toThrow(/httpEndpoint\.url is 1027 characters long, and Firehose allows at most 1000/);
  });

  test('rejects a missing endpoint URL', () => {
    expect(() => synth((stack) => ({ httpEndpoint: { accessKeySecret: endpoint(stack).accessKeySecret } as SocHttpEndpoint })))
      .toThrow(/httpEndpoint\.url is undefined, but the URL of the SOC's HTTP endpoint is required/);
  });

  test('rejects a blank endpoint name', () => {
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack, { name: '  ' }) }))).toThrow(/httpEndpoint\.name is " {2}"\. Give a name of 1 to 256 characters/);
  });

  test('rejects a missing access key secret', () => {
    expect(() => synth(() => ({ httpEndpoint: { url: URL } as SocHttpEndpoint })))
      .toThrow(/httpEndpoint\.accessKeySecret is undefined, but a Secrets Manager secret is required/);
  });

  test('rejects an access key secret in another region', () => {
    expect(() => synth((stack) => ({
      httpEndpoint: endpoint(stack, {
        accessKeySecret: secretsmanager.Secret.fromSecretCompleteArn(stack, 'Remote', `arn:aws:secretsmanager:eu-west-1:${SOC}:secret:soc/firehose-AbCdEf`),
      }),
    }))).toThrow(/httpEndpoint\.accessKeySecret is in eu-west-1, but the feed is in eu-west-2/);
  });

  test('rejects common attributes that are not strings', () => {
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack, { commonAttributes: { tier: 3 as unknown as string } }) })))
      .toThrow(/httpEndpoint\.commonAttributes\.tier is 3\. Give each attribute a name of 1 to 256 characters and a string value/);
  });

  test('rejects an empty severity list', () => {
    expect(() => synth(() => ({ securityHubSeverities: [] }))).toThrow(/securityHubSeverities is empty, so no Security Hub finding would reach the SOC/);
  });

  test('rejects an unknown severity', () => {
    expect(() => synth(() => ({ securityHubSeverities: ['SEVERE' as FindingSeverity] })))
      .toThrow(/securityHubSeverities\[0\] is "SEVERE", which is not a Security Hub severity label\. Use a FindingSeverity value: INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL/);
  });

  test.each([0, 10.5, Number.NaN])('rejects the GuardDuty severity %p', (guardDutyMinimumSeverity) => {
    expect(() => synth(() => ({ guardDutyMinimumSeverity }))).toThrow(/guardDutyMinimumSeverity is .*\. GuardDuty severities run from 1\.0 to 10\.0/);
  });

  test('rejects a buffer interval over 900 seconds', () => {
    expect(() => synth(() => ({ bufferInterval: Duration.minutes(16) })))
      .toThrow(/bufferInterval is 16 minutes\. Firehose buffers records for 0 to 900 seconds, in whole seconds/);
  });

  test('rejects a buffer interval of part of a second', () => {
    expect(() => synth(() => ({ bufferInterval: Duration.millis(1500) }))).toThrow(/bufferInterval is 1 second 500 millis\. Firehose buffers records for 0 to 900 seconds, in whole seconds/);
  });

  test('rejects a buffer interval that is not a Duration', () => {
    expect(() => synth(() => ({ bufferInterval: 60 as unknown as Duration }))).toThrow(/bufferInterval is 60, which is not a Duration/);
  });

  test('rejects a buffer over 128 MiB for S3', () => {
    expect(() => synth(() => ({ bufferSize: Size.mebibytes(129) })))
      .toThrow(/bufferSize is 132096 KiB\. For Amazon S3, Firehose buffers 1 to 128 MiB in whole MiB/);
  });

  test('rejects a buffer over 64 MiB for an endpoint', () => {
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack), bufferSize: Size.mebibytes(65) })))
      .toThrow(/bufferSize is 66560 KiB\. For an HTTP endpoint, Firehose buffers 1 to 64 MiB in whole MiB/);
  });

  test('rejects a buffer of part of a MiB', () => {
    expect(() => synth(() => ({ bufferSize: Size.kibibytes(1536) }))).toThrow(/bufferSize is 1536 KiB\./);
  });

  test('rejects a retry duration without an endpoint', () => {
    expect(() => synth(() => ({ retryDuration: Duration.hours(1) })))
      .toThrow(/retryDuration is given without httpEndpoint\. Firehose retries deliveries to Amazon S3 for 24 hours/);
  });

  test('rejects a retry duration over two hours', () => {
    expect(() => synth((stack) => ({ httpEndpoint: endpoint(stack), retryDuration: Duration.hours(3) })))
      .toThrow(/retryDuration is 3 hours\. Firehose retries an HTTP endpoint for 0 to 7,200 seconds/);
  });

  test('rejects an alarm topic that is not a topic', () => {
    expect(() => synth(() => ({ alarmTopic: {} as sns.ITopic }))).toThrow(/alarmTopic is \{\}, which is not an SNS topic/);
  });

  test('rejects an unknown removal policy', () => {
    expect(() => synth(() => ({ removalPolicy: 'snapshot-all' as RemovalPolicy }))).toThrow(/removalPolicy is "snapshot-all", which is not a removal policy/);
  });

  test('lists every problem in one error', () => {
    expect(() => synth((stack) => ({
      deliveryPrefix: 'x',
      httpEndpoint: endpoint(stack, { url: 'ftp://soc' }),
      guardDutyMinimumSeverity: 11,
      retryDuration: Duration.hours(5),
    }))).toThrow(new RegExp('^Invalid SocFeed props at Security/Feed:\\n  - deliveryPrefix is "x".*\\n  - httpEndpoint\\.url is "ftp://soc".*'
      + '\\n  - guardDutyMinimumSeverity is 11.*\\n  - retryDuration is 5 hours.*$'));
  });
});

describe('SocFeed compliance checks', () => {
  test.each([false, true])('no cdk-nag errors remain (HTTP endpoint: %p)', (http) => {
    const stack = newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    new SocFeed(stack, 'Feed', propsFor(stack, http ? { httpEndpoint: endpoint(stack) } : {}));
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });

  test('suppressions carry reasons', () => {
    const template = synth();
    const suppressed = [
      ...Object.values(template.findResources('AWS::IAM::ManagedPolicy')),
      ...Object.values(template.findResources('AWS::SQS::Queue')),
    ].flatMap((resource) => (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []) as Array<{ id: string; reason: string }>);

    expect(suppressed.map((rule) => rule.id).sort()).toEqual(['AwsSolutions-IAM5', 'AwsSolutions-SQS3']);
    for (const rule of suppressed) {
      expect(rule.reason.length).toBeGreaterThan(40);
    }
  });
});

describe('SocFeed grants', () => {
  test('both keys limit grants to AWS resources', () => {
    expectEveryKeyToDenyGrants(synth(), 2);
  });
});
