import { App, Aspects, RemovalPolicy, Stack, Token, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { OrganisationTrail, OrganisationTrailProps } from '../src';
import { expectEveryKeyToDenyGrants } from './support/key-policy';
import { CIS_METRIC_FILTERS, MAX_FILTER_PATTERN_LENGTH } from '../src/private/cis-metric-filters';

const MANAGEMENT = '111122223333';
const SECURITY = '444455556666';
const ORGANIZATION = 'o-a1b2c3d4e5';
const BUCKET = 'ssd-log-archive-444455556666';
const TRAIL_ARN = `arn:aws:cloudtrail:eu-west-2:${MANAGEMENT}:trail/organisation-trail`;

const REQUIRED: OrganisationTrailProps = { organizationId: ORGANIZATION, logArchiveBucketName: BUCKET };

function newStack(): Stack {
  return new Stack(new App(), 'Management', { env: { account: MANAGEMENT, region: 'eu-west-2' } });
}

function synth(props: Partial<OrganisationTrailProps> = {}): Template {
  const stack = newStack();
  new OrganisationTrail(stack, 'Trail', { ...REQUIRED, ...props } as OrganisationTrailProps);
  return Template.fromStack(stack);
}

/** Finds the only KMS key whose description contains `text` and returns its logical ID and resource. */
function keyWith(template: Template, text: string): { id: string; resource: any } {
  const keys = Object.entries(template.findResources('AWS::KMS::Key'))
    .filter(([, resource]) => (resource.Properties.Description as string).includes(text));
  expect(keys).toHaveLength(1);
  return { id: keys[0][0], resource: keys[0][1] };
}

/** Returns the key policy statement with the given Sid. */
function keyStatement(template: Template, keyText: string, sid: string): any {
  const statements = keyWith(template, keyText).resource.Properties.KeyPolicy.Statement as any[];
  const found = statements.filter((statement) => statement.Sid === sid);
  expect(found).toHaveLength(1);
  return found[0];
}

function partitionArn(suffix: string) {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, suffix]] };
}

describe('OrganisationTrail defaults', () => {
  test('trail covers the organisation in every region', () => {
    synth().hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'organisation-trail',
      IsOrganizationTrail: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      IsLogging: true,
    });
  });

  test('trail validates log files', () => {
    synth().hasResourceProperties('AWS::CloudTrail::Trail', { EnableLogFileValidation: true });
  });

  test('trail delivers to the archive with its own key', () => {
    const template = synth();
    const key = keyWith(template, 'log files');

    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      S3BucketName: BUCKET,
      KMSKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
    });
  });

  test('trail records management events and archive object events', () => {
    synth().hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: [
        { Name: 'All management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        {
          Name: 'Log archive object events',
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Data'] },
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            { Field: 'resources.ARN', StartsWith: [partitionArn(`:s3:::${BUCKET}/`)] },
          ],
        },
      ],
      EventSelectors: Match.absent(),
    });
  });

  test('both keys rotate and are retained', () => {
    const template = synth();

    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  test('only this trail may encrypt with the trail key', () => {
    const statement = keyStatement(synth(), 'log files', 'AllowCloudTrailToEncryptLogFiles');

    expect(statement).toEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Condition: {
        StringEquals: { 'aws:SourceArn': TRAIL_ARN },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': partitionArn(`:cloudtrail:*:${MANAGEMENT}:trail/*`) },
      },
    }));
  });

  test('this trail may describe the key and decrypt for bucket keys', () => {
    const template = synth();

    const describe = keyStatement(template, 'log files', 'AllowCloudTrailToDescribeTheKey');
    const decrypt = keyStatement(template, 'log files', 'AllowCloudTrailToDecryptForBucketKeys');
    expect(describe.Action).toBe('kms:DescribeKey');
    expect(decrypt.Action).toBe('kms:Decrypt');
    for (const statement of [describe, decrypt]) {
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:SourceArn': TRAIL_ARN } });
    }
  });

  test('log readers default to this account through S3', () => {
    const statement = keyStatement(synth(), 'log files', 'AllowLogReadersToDecryptThroughS3');

    expect(statement.Action).toBe('kms:Decrypt');
    expect(statement.Principal).toEqual({ AWS: partitionArn(`:iam::${MANAGEMENT}:root`) });
    expect(statement.Condition).toEqual({
      StringEquals: { 'kms:CallerAccount': [MANAGEMENT], 'kms:ViaService': 's3.eu-west-2.amazonaws.com' },
    });
  });

  test('events are copied to an encrypted log group kept one year', () => {
    const template = synth();
    const key = keyWith(template, 'CloudWatch Logs');

    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: 'CloudTrail/organisation-trail',
        KmsKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
        RetentionInDays: 365,
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
    });
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
    });
  });

  test('log group key serves only that log group', () => {
    const statement = keyStatement(synth(), 'CloudWatch Logs', 'AllowCloudWatchLogsForTheLogGroup');

    expect(statement.Principal).toEqual({ Service: 'logs.eu-west-2.amazonaws.com' });
    expect(statement.Condition).toEqual({
      ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': partitionArn(`:logs:eu-west-2:${MANAGEMENT}:log-group:CloudTrail/organisation-trail`) },
    });
  });

  test('role writes only the trail log streams', () => {
    const template = synth();
    const logGroupId = Object.keys(template.findResources('AWS::Logs::LogGroup'))[0];
    const streamArn = (prefix: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:eu-west-2:${MANAGEMENT}:log-group:`, { Ref: logGroupId }, `:log-stream:${prefix}`]],
    });

    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'cloudtrail.amazonaws.com' } })] },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: [streamArn(`${MANAGEMENT}_CloudTrail_eu-west-2*`), streamArn(`${ORGANIZATION}_*`)],
        }],
      },
    });
  });

  test('trail is created after the role policy', () => {
    const template = synth();
    const policyId = Object.keys(template.findResources('AWS::IAM::ManagedPolicy'))[0];

    template.hasResource('AWS::CloudTrail::Trail', { DependsOn: Match.arrayWith([policyId]) });
  });

  test('one filter and alarm per CIS recommendation', () => {
    const template = synth();

    template.resourceCountIs('AWS::Logs::MetricFilter', 15);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 15);
    expect(CIS_METRIC_FILTERS.map((filter) => filter.recommendation)).toEqual(
      Array.from({ length: 15 }, (_, index) => `4.${index + 1}`));
  });

  test('filter patterns fit CloudWatch Logs', () => {
    for (const filter of CIS_METRIC_FILTERS) {
      expect(filter.pattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_LENGTH);
      expect(filter.pattern.startsWith('{ ')).toBe(true);
      expect(filter.pattern.endsWith(' }')).toBe(true);
    }
    expect(new Set(CIS_METRIC_FILTERS.map((filter) => filter.id)).size).toBe(15);
  });

  test('root usage filter publishes one per event', () => {
    synth().hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      MetricTransformations: [{ MetricNamespace: 'CloudTrailMetrics', MetricName: 'RootUserUsage', MetricValue: '1' }],
    });
  });

  test('alarms go off on one matching event', () => {
    synth().hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UnauthorizedApiCalls',
      Namespace: 'CloudTrailMetrics',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('^CIS AWS Foundations Benchmark v3.0.0 4.1: '),
    });
  });

  test('alarms notify an encrypted TLS-only topic', () => {
    const template = synth();
    const key = keyWith(template, 'alarm topic');
    const topicId = Object.keys(template.findResources('AWS::SNS::Topic'))[0];

    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
    }
  });

  test('only this account\'s alarms may publish', () => {
    synth().hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchAlarmsToPublish',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            StringEquals: { 'aws:SourceAccount': MANAGEMENT },
            ArnLike: { 'aws:SourceArn': partitionArn(`:cloudwatch:eu-west-2:${MANAGEMENT}:alarm:*`) },
          },
        })]),
      },
    });
  });

  test('alarms may use the key for this account\'s topics', () => {
    const statement = keyStatement(synth(), 'alarm topic', 'AllowCloudWatchAlarmsToUseTheKey');

    expect(statement.Principal).toEqual({ Service: 'cloudwatch.amazonaws.com' });
    expect(statement.Condition).toEqual({
      StringLike: { 'kms:EncryptionContext:aws:sns:topicArn': partitionArn(`:sns:eu-west-2:${MANAGEMENT}:*`) },
    });
  });

  test('exposes the trail and its archive source', () => {
    const stack = newStack();
    const trail = new OrganisationTrail(stack, 'Trail', REQUIRED);

    expect(trail.trailArn).toBe(TRAIL_ARN);
    expect(trail.trailName).toBe('organisation-trail');
    expect(trail.archiveSource).toEqual({ trailArn: TRAIL_ARN, organizationId: ORGANIZATION });
    expect(trail.alarms).toHaveLength(15);
  });

  test('trail ARN is a token without an environment', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const trail = new OrganisationTrail(stack, 'Trail', REQUIRED);

    expect(Token.isUnresolved(trail.trailArn)).toBe(true);
    expect(stack.resolve(trail.trailArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':trail/organisation-trail']],
    });
  });
});

describe('OrganisationTrail overrides', () => {
  test('trail name sets the ARN and log group', () => {
    const stack = newStack();
    const trail = new OrganisationTrail(stack, 'Trail', { ...REQUIRED, trailName: 'ssd.audit_trail-1' });
    const template = Template.fromStack(stack);

    expect(trail.trailArn).toBe(`arn:aws:cloudtrail:eu-west-2:${MANAGEMENT}:trail/ssd.audit_trail-1`);
    template.hasResourceProperties('AWS::CloudTrail::Trail', { TrailName: 'ssd.audit_trail-1' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'CloudTrail/ssd.audit_trail-1' });
  });

  test('log reader accounts may decrypt', () => {
    const statement = keyStatement(synth({ logReaderAccounts: [SECURITY, MANAGEMENT, SECURITY] }), 'log files',
      'AllowLogReadersToDecryptThroughS3');

    expect(statement.Principal).toEqual({ AWS: [partitionArn(`:iam::${SECURITY}:root`), partitionArn(`:iam::${MANAGEMENT}:root`)] });
    expect(statement.Condition.StringEquals['kms:CallerAccount']).toEqual([SECURITY, MANAGEMENT]);
  });

  test('archive data events can be turned off', () => {
    synth({ logArchiveDataEvents: false }).hasResourceProperties('AWS::CloudTrail::Trail', {
      AdvancedEventSelectors: [{ Name: 'All management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
    });
  });

  test('log retention is applied', () => {
    synth({ cloudWatchLogsRetention: logs.RetentionDays.TWO_YEARS })
      .hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 731 });
  });

  test('given topic is notified and none created', () => {
    const stack = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:eu-west-2:${MANAGEMENT}:security-alarms`);
    const trail = new OrganisationTrail(stack, 'Trail', { ...REQUIRED, alarmTopic: topic });
    const template = Template.fromStack(stack);

    expect(trail.alarmTopic).toBe(topic);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [`arn:aws:sns:eu-west-2:${MANAGEMENT}:security-alarms`] });
  });

  test('metric namespace is applied', () => {
    const template = synth({ metricNamespace: 'SSD/CIS' });

    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      MetricTransformations: [Match.objectLike({ MetricNamespace: 'SSD/CIS' })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Namespace: 'SSD/CIS' });
  });

  test('destroy removes keys and log group', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    for (const key of Object.values(template.findResources('AWS::KMS::Key'))) {
      expect(key.DeletionPolicy).toBe('Delete');
    }
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { DeletionProtectionEnabled: false },
      DeletionPolicy: 'Delete',
    });
  });
});

describe('OrganisationTrail validation', () => {
  function synthRaw(props: unknown): void {
    new OrganisationTrail(newStack(), 'Trail', props as OrganisationTrailProps);
  }

  test('rejects props that are not an object', () => {
    expect(() => synthRaw(undefined)).toThrow(/props is undefined\. Give the props as an object with at least organizationId/);
  });

  test('rejects a missing organization id', () => {
    expect(() => synthRaw({ logArchiveBucketName: BUCKET })).toThrow(/organizationId is undefined, but the ID of the organization is required/);
  });

  test('rejects a malformed organization id', () => {
    expect(() => synth({ organizationId: 'o-ABC' })).toThrow(/organizationId is "o-ABC", which is not an organization ID/);
  });

  test('rejects a missing bucket name', () => {
    expect(() => synthRaw({ organizationId: ORGANIZATION })).toThrow(/logArchiveBucketName is undefined, but the name of the log archive bucket is required/);
  });

  test('rejects an invalid bucket name', () => {
    expect(() => synth({ logArchiveBucketName: 'Log_Archive' }))
      .toThrow(/logArchiveBucketName "Log_Archive" is not a valid S3 bucket name: it contains characters other than/);
  });

  test.each([
    ['ab', 'it is 2 characters long, and CloudTrail allows 3 to 128'],
    ['trail name', 'it contains characters other than letters, digits, periods, underscores and hyphens'],
    ['-trail', 'it must begin and end with a letter or a digit'],
    ['my-_trail', 'it has two periods, underscores or hyphens next to each other'],
    ['10.0.0.1', 'it is formatted as an IP address'],
  ])('rejects the trail name %j', (trailName, problem) => {
    expect(() => synth({ trailName })).toThrow(`trailName ${JSON.stringify(trailName)} is not a valid trail name: ${problem}.`);
  });

  test('rejects a token trail name', () => {
    expect(() => synth({ trailName: Token.asString({ Ref: 'Name' }) })).toThrow(/trailName is a token, whose value is known only at deploy time/);
  });

  test('rejects an invalid reader account', () => {
    expect(() => synth({ logReaderAccounts: ['4444'] })).toThrow(/logReaderAccounts\[0\] is "4444", which is not an AWS account ID/);
  });

  test('rejects an empty reader list', () => {
    expect(() => synth({ logReaderAccounts: [] })).toThrow(/logReaderAccounts is empty\. List at least one 12-digit AWS account ID/);
  });

  test('rejects a data events flag that is not a boolean', () => {
    expect(() => synth({ logArchiveDataEvents: 'yes' as unknown as boolean }))
      .toThrow(/logArchiveDataEvents is "yes", which is not a boolean/);
  });

  test('rejects an unknown retention', () => {
    expect(() => synth({ cloudWatchLogsRetention: 42 as logs.RetentionDays }))
      .toThrow(/cloudWatchLogsRetention is 42, which is not a retention period that CloudWatch Logs accepts/);
  });

  test('rejects a reserved metric namespace', () => {
    expect(() => synth({ metricNamespace: 'AWS/CloudTrail' })).toThrow(/metricNamespace "AWS\/CloudTrail" starts with "AWS\/"/);
  });

  test('rejects a metric namespace with invalid characters', () => {
    expect(() => synth({ metricNamespace: 'CIS*Metrics' })).toThrow(/metricNamespace "CIS\*Metrics" is not a valid CloudWatch namespace/);
  });

  test('rejects an alarm topic that is not a topic', () => {
    expect(() => synth({ alarmTopic: 'arn:aws:sns:eu-west-2:111122223333:alarms' as unknown as sns.ITopic }))
      .toThrow(/alarmTopic is "arn:aws:sns:eu-west-2:111122223333:alarms", which is not an SNS topic/);
  });

  test('rejects an unknown removal policy', () => {
    expect(() => synth({ removalPolicy: 'keep' as RemovalPolicy })).toThrow(/removalPolicy is "keep", which is not a removal policy/);
  });

  test('lists every problem in one error', () => {
    expect(() => synth({ organizationId: 'org', logArchiveBucketName: 'A', trailName: 'x' })).toThrow(new RegExp(
      '^Invalid OrganisationTrail props at Management/Trail:\\n  - organizationId is "org".*\\n  - logArchiveBucketName "A".*'
      + '\\n  - logArchiveBucketName "A".*\\n  - trailName "x".*$', 's'));
  });
});

describe('OrganisationTrail compliance checks', () => {
  test('no cdk-nag errors remain', () => {
    const stack = new Stack(new App({ context: RECOMMENDED_FEATURE_FLAGS }), 'Management', { env: { account: MANAGEMENT, region: 'eu-west-2' } });
    new OrganisationTrail(stack, 'Trail', { ...REQUIRED, logReaderAccounts: [SECURITY] });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });

  test('suppressions carry reasons', () => {
    const policy = Object.values(synth().findResources('AWS::IAM::ManagedPolicy'))[0];
    const rules = policy.Metadata.cdk_nag.rules_to_suppress as Array<{ id: string; reason: string }>;

    expect(rules.map((rule) => rule.id)).toEqual(['AwsSolutions-IAM5']);
    expect(rules[0].reason.length).toBeGreaterThan(40);
  });
});

describe('OrganisationTrail grants', () => {
  test('both keys limit grants to AWS resources', () => {
    expectEveryKeyToDenyGrants(synth(), 2);
  });
});
