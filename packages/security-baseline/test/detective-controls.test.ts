import { App, Aspects, Duration, RemovalPolicy, Stack, Token, aws_config as config, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  AwsConfigOptions,
  ConformancePackRule,
  DetectiveControls,
  DetectiveControlsProps,
  LogArchive,
  MacieJobSchedule,
  NcscConformancePack,
  NcscPrinciple,
  OrganizationAutoEnable,
} from '../src';

const ACCOUNT = '111122223333';
const MEMBER_ACCOUNT = '444455556666';
const ROOT_ID = 'r-a1b2';

function newStack(app = new App()): Stack {
  return new Stack(app, 'Security', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

/** Props for a stack, with a delivery bucket encrypted with a key of its own. */
type PropsFor = (stack: Stack) => DetectiveControlsProps;

function deliveryBucket(stack: Stack): s3.Bucket {
  const key = new kms.Key(stack, 'ArchiveKey', { enableKeyRotation: true });
  return new s3.Bucket(stack, 'Archive', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
}

/** Returns the minimal valid props (the organisation root and a delivery bucket), plus `extra`. */
function withDefaults(extra: Partial<DetectiveControlsProps> = {}): PropsFor {
  return (stack) => ({ organizationRootId: ROOT_ID, config: { deliveryBucket: deliveryBucket(stack) }, ...extra });
}

/** Returns the minimal valid props with AWS Config settings besides the delivery bucket. */
function withConfig(extra: Partial<AwsConfigOptions>): PropsFor {
  return (stack) => ({ organizationRootId: ROOT_ID, config: { deliveryBucket: deliveryBucket(stack), ...extra } });
}

function synthStack(propsFor: PropsFor = withDefaults()): Stack {
  const stack = newStack();
  new DetectiveControls(stack, 'Detective', propsFor(stack));
  return stack;
}

function synth(propsFor: PropsFor = withDefaults()): Template {
  return Template.fromStack(synthStack(propsFor));
}

/** Returns the only resource of `type` in the template. */
function only(template: Template, type: string): Record<string, any> {
  const resources = Object.values(template.findResources(type));
  expect(resources).toHaveLength(1);
  return resources[0];
}

/** Returns the logical ID of the only resource of `type`. */
function logicalIdOf(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/**
 * Returns the SDK call of the only custom resource of `type`, for `event` (Create, Update
 * or Delete). Values that resolve at deploy time read as "<token>".
 */
function sdkCall(template: Template, type: string, event = 'Create'): Record<string, any> {
  const value = only(template, type).Properties[event];
  const text = typeof value === 'string'
    ? value
    : value['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '<token>')).join('');
  return JSON.parse(text);
}

/** Returns the statements of the policy attached by the custom resource of `type`. */
function customResourceStatements(template: Template, type: string): Array<Record<string, any>> {
  const resource = only(template, type);
  const policyId = (resource.DependsOn as string[]).find((id) => id.includes('CustomResourcePolicy'))!;
  return template.toJSON().Resources[policyId].Properties.PolicyDocument.Statement;
}

function features(template: Template): Array<Record<string, any>> {
  return only(template, 'AWS::GuardDuty::Detector').Properties.Features;
}

function featureStatus(template: Template, name: string): string | undefined {
  return features(template).find((feature) => feature.Name === name)?.Status;
}

function warningsOf(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*')).map((warning) => String(warning.entry.data));
}

function packTemplate(template: Template): Record<string, any> {
  return JSON.parse(only(template, 'AWS::Config::OrganizationConformancePack').Properties.TemplateBody);
}

describe('DetectiveControls GuardDuty', () => {
  test('detector publishes findings every 15 minutes', () => {
    synth().hasResourceProperties('AWS::GuardDuty::Detector', { Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES' });
  });

  test('S3, malware, RDS and Lambda protection are on', () => {
    const template = synth();

    for (const name of ['S3_DATA_EVENTS', 'EBS_MALWARE_PROTECTION', 'RDS_LOGIN_EVENTS', 'LAMBDA_NETWORK_LOGS']) {
      expect(featureStatus(template, name)).toBe('ENABLED');
    }
  });

  test('EKS and runtime monitoring are off', () => {
    const template = synth();

    expect(featureStatus(template, 'EKS_AUDIT_LOGS')).toBe('DISABLED');
    expect(featureStatus(template, 'RUNTIME_MONITORING')).toBe('DISABLED');
  });

  test('EKS runtime monitoring is never listed', () => {
    const template = synth(withDefaults({ guardDuty: { runtimeMonitoring: true, eksProtection: true } }));

    expect(features(template).map((feature) => feature.Name)).not.toContain('EKS_RUNTIME_MONITORING');
  });

  test('detector is retained', () => {
    const detector = only(synth(), 'AWS::GuardDuty::Detector');

    expect(detector.DeletionPolicy).toBe('Retain');
    expect(detector.UpdateReplacePolicy).toBe('Retain');
  });

  test('organisation auto-enables every member with the same features', () => {
    const call = sdkCall(synth(), 'Custom::GuardDutyOrganizationConfiguration');

    expect(call.action).toBe('updateOrganizationConfiguration');
    expect(call.parameters.DetectorId).toBe('<token>');
    expect(call.parameters.AutoEnableOrganizationMembers).toBe('ALL');
    expect(call.parameters.Features).toEqual([
      { Name: 'S3_DATA_EVENTS', AutoEnable: 'ALL' },
      { Name: 'EBS_MALWARE_PROTECTION', AutoEnable: 'ALL' },
      { Name: 'RDS_LOGIN_EVENTS', AutoEnable: 'ALL' },
      { Name: 'LAMBDA_NETWORK_LOGS', AutoEnable: 'ALL' },
      { Name: 'EKS_AUDIT_LOGS', AutoEnable: 'NONE' },
      { Name: 'RUNTIME_MONITORING', AutoEnable: 'NONE' },
    ]);
  });

  test('organisation call may only update the detector', () => {
    const template = synth();
    const detectorId = logicalIdOf(template, 'AWS::GuardDuty::Detector');

    expect(customResourceStatements(template, 'Custom::GuardDutyOrganizationConfiguration')).toEqual([{
      Effect: 'Allow',
      Action: 'guardduty:UpdateOrganizationConfiguration',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:guardduty:eu-west-2:${ACCOUNT}:detector/`, { Ref: detectorId }]] },
    }]);
  });

  test('runtime monitoring manages the EC2 agent', () => {
    const template = synth(withDefaults({ guardDuty: { runtimeMonitoring: true } }));

    expect(features(template).find((feature) => feature.Name === 'RUNTIME_MONITORING')).toEqual({
      Name: 'RUNTIME_MONITORING',
      Status: 'ENABLED',
      AdditionalConfiguration: [
        { Name: 'EC2_AGENT_MANAGEMENT', Status: 'ENABLED' },
        { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', Status: 'DISABLED' },
        { Name: 'EKS_ADDON_MANAGEMENT', Status: 'DISABLED' },
      ],
    });
  });

  test('EKS protection adds audit logs and the add-on', () => {
    const template = synth(withDefaults({ guardDuty: { runtimeMonitoring: true, eksProtection: true } }));
    const runtime = features(template).find((feature) => feature.Name === 'RUNTIME_MONITORING')!;

    expect(featureStatus(template, 'EKS_AUDIT_LOGS')).toBe('ENABLED');
    expect(runtime.AdditionalConfiguration).toContainEqual({ Name: 'EKS_ADDON_MANAGEMENT', Status: 'ENABLED' });
    expect(sdkCall(template, 'Custom::GuardDutyOrganizationConfiguration').parameters.Features).toContainEqual({
      Name: 'RUNTIME_MONITORING',
      AutoEnable: 'ALL',
      AdditionalConfiguration: [
        { Name: 'EC2_AGENT_MANAGEMENT', AutoEnable: 'ALL' },
        { Name: 'ECS_FARGATE_AGENT_MANAGEMENT', AutoEnable: 'NONE' },
        { Name: 'EKS_ADDON_MANAGEMENT', AutoEnable: 'ALL' },
      ],
    });
  });

  test('a feature can be turned off', () => {
    const template = synth(withDefaults({ guardDuty: { lambdaProtection: false } }));

    expect(featureStatus(template, 'LAMBDA_NETWORK_LOGS')).toBe('DISABLED');
    expect(sdkCall(template, 'Custom::GuardDutyOrganizationConfiguration').parameters.Features)
      .toContainEqual({ Name: 'LAMBDA_NETWORK_LOGS', AutoEnable: 'NONE' });
  });

  test('new members only, with a warning', () => {
    const stack = synthStack(withDefaults({ guardDuty: { autoEnableOrganizationMembers: OrganizationAutoEnable.NEW } }));
    const call = sdkCall(Template.fromStack(stack), 'Custom::GuardDutyOrganizationConfiguration');

    expect(call.parameters.AutoEnableOrganizationMembers).toBe('NEW');
    expect(call.parameters.Features[0]).toEqual({ Name: 'S3_DATA_EVENTS', AutoEnable: 'NEW' });
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/autoEnableOrganizationMembers is NEW.*detectiveControlsGuardDutyMembersNotAll/)]);
  });

  test('turned off, with a warning', () => {
    const stack = synthStack(withDefaults({ guardDuty: { enabled: false } }));

    Template.fromStack(stack).resourceCountIs('AWS::GuardDuty::Detector', 0);
    Template.fromStack(stack).resourceCountIs('Custom::GuardDutyOrganizationConfiguration', 0);
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/guardDuty.enabled is false, so this construct provides no threat detection/)]);
  });
});

describe('DetectiveControls Security Hub', () => {
  test('hub uses consolidated control findings', () => {
    synth().hasResourceProperties('AWS::SecurityHub::Hub', {
      ControlFindingGenerator: 'SECURITY_CONTROL',
      AutoEnableControls: true,
      EnableDefaultStandards: false,
    });
  });

  test('hub is retained', () => {
    expect(only(synth(), 'AWS::SecurityHub::Hub').DeletionPolicy).toBe('Retain');
  });

  test('FSBP and CIS 3.0 standards run in the region', () => {
    const template = synth();
    const arns = Object.values(template.findResources('AWS::SecurityHub::Standard')).map((standard) => standard.Properties.StandardsArn);

    expect(arns).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:eu-west-2::standards/aws-foundational-security-best-practices/v/1.0.0']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:eu-west-2::standards/cis-aws-foundations-benchmark/v/3.0.0']] },
    ]);
  });

  test('configuration is central', () => {
    synth().hasResourceProperties('AWS::SecurityHub::OrganizationConfiguration', {
      ConfigurationType: 'CENTRAL',
      AutoEnable: false,
      AutoEnableStandards: 'NONE',
    });
  });

  test('home region links no other region', () => {
    const template = synth();

    expect(sdkCall(template, 'Custom::SecurityHubHomeRegion')).toMatchObject({
      action: 'createFindingAggregator',
      parameters: { RegionLinkingMode: 'NO_REGIONS' },
    });
    expect(sdkCall(template, 'Custom::SecurityHubHomeRegion', 'Delete').action).toBe('deleteFindingAggregator');
  });

  test('policy enables both standards and every control', () => {
    const policy = only(synth(), 'AWS::SecurityHub::ConfigurationPolicy');

    expect(policy.Properties.ConfigurationPolicy.SecurityHub).toEqual({
      ServiceEnabled: true,
      EnabledStandardIdentifiers: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:eu-west-2::standards/aws-foundational-security-best-practices/v/1.0.0']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':securityhub:eu-west-2::standards/cis-aws-foundations-benchmark/v/3.0.0']] },
      ],
      SecurityControlsConfiguration: { DisabledSecurityControlIdentifiers: [] },
    });
  });

  test('policy is associated with the root', () => {
    const template = synth();

    template.hasResourceProperties('AWS::SecurityHub::PolicyAssociation', {
      ConfigurationPolicyId: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::SecurityHub::ConfigurationPolicy'), 'Id'] },
      TargetType: 'ROOT',
      TargetId: ROOT_ID,
    });
  });

  test('central configuration waits for the home region and standards', () => {
    const template = synth();
    const dependsOn = only(template, 'AWS::SecurityHub::OrganizationConfiguration').DependsOn as string[];

    expect(dependsOn).toEqual(expect.arrayContaining([
      logicalIdOf(template, 'Custom::SecurityHubHomeRegion'),
      ...Object.keys(template.findResources('AWS::SecurityHub::Standard')),
    ]));
  });

  test('disabled controls go in the policy', () => {
    const policy = only(synth(withDefaults({ securityHub: { disabledControlIds: ['EC2.10', 'IAM.6'] } })), 'AWS::SecurityHub::ConfigurationPolicy');

    expect(policy.Properties.ConfigurationPolicy.SecurityHub.SecurityControlsConfiguration)
      .toEqual({ DisabledSecurityControlIdentifiers: ['EC2.10', 'IAM.6'] });
  });

  test('without central configuration only this account', () => {
    const template = synth((stack) => ({ securityHub: { centralConfiguration: false }, config: { deliveryBucket: deliveryBucket(stack) } }));

    template.resourceCountIs('AWS::SecurityHub::Hub', 1);
    template.resourceCountIs('AWS::SecurityHub::Standard', 2);
    template.resourceCountIs('AWS::SecurityHub::OrganizationConfiguration', 0);
    template.resourceCountIs('AWS::SecurityHub::ConfigurationPolicy', 0);
    template.resourceCountIs('Custom::SecurityHubHomeRegion', 0);
  });
});

describe('DetectiveControls Inspector', () => {
  test('scans EC2 instances and ECR images', () => {
    expect(sdkCall(synth(), 'Custom::InspectorEnable')).toMatchObject({
      service: 'Inspector2',
      action: 'enable',
      parameters: { resourceTypes: ['EC2', 'ECR'] },
    });
  });

  test('may create only its service-linked roles', () => {
    const statements = customResourceStatements(synth(), 'Custom::InspectorEnable');

    expect(statements).toContainEqual({ Effect: 'Allow', Action: 'inspector2:Enable', Resource: '*' });
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Condition: { StringEquals: { 'iam:AWSServiceName': ['inspector2.amazonaws.com', 'agentless.inspector2.amazonaws.com'] } },
      Resource: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/aws-service-role/inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2`]] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/aws-service-role/agentless.inspector2.amazonaws.com/AWSServiceRoleForAmazonInspector2Agentless`]] },
      ],
    });
  });

  test('new members are scanned too', () => {
    expect(sdkCall(synth(), 'Custom::InspectorOrganizationConfiguration').parameters)
      .toEqual({ autoEnable: { ec2: true, ecr: true, lambda: false, lambdaCode: false } });
  });

  test('EC2 scanning only', () => {
    const template = synth(withDefaults({ inspector: { ecrScanning: false } }));

    expect(sdkCall(template, 'Custom::InspectorEnable').parameters.resourceTypes).toEqual(['EC2']);
    expect(sdkCall(template, 'Custom::InspectorOrganizationConfiguration').parameters.autoEnable.ecr).toBe(false);
  });

  test('turned off, with a warning', () => {
    const stack = synthStack(withDefaults({ inspector: { enabled: false } }));

    Template.fromStack(stack).resourceCountIs('Custom::InspectorEnable', 0);
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/inspector.enabled is false/)]);
  });
});

describe('DetectiveControls Macie', () => {
  const buckets = [{ accountId: MEMBER_ACCOUNT, bucketNames: ['case-documents', 'case-uploads'] }];

  test('session publishes findings every 15 minutes', () => {
    const session = only(synth(), 'AWS::Macie::Session');

    expect(session.Properties).toEqual({ Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES' });
    expect(session.DeletionPolicy).toBe('Retain');
  });

  test('new members are enabled', () => {
    expect(sdkCall(synth(), 'Custom::MacieOrganizationConfiguration').parameters).toEqual({ autoEnable: true });
  });

  test('no discovery job without buckets', () => {
    synth().resourceCountIs('Custom::MacieClassificationJob', 0);
  });

  test('weekly job over the personal data buckets', () => {
    const call = sdkCall(synth(withDefaults({ macie: { personalDataBuckets: buckets } })), 'Custom::MacieClassificationJob');

    expect(call.action).toBe('createClassificationJob');
    expect(call.parameters).toMatchObject({
      jobType: 'SCHEDULED',
      initialRun: true,
      managedDataIdentifierSelector: 'RECOMMENDED',
      s3JobDefinition: { bucketDefinitions: [{ accountId: MEMBER_ACCOUNT, buckets: ['case-documents', 'case-uploads'] }] },
      scheduleFrequency: { weeklySchedule: { dayOfWeek: 'MONDAY' } },
    });
    expect(call.physicalResourceId).toEqual({ responsePath: 'jobId' });
  });

  test('deleting the job cancels it', () => {
    const call = sdkCall(synth(withDefaults({ macie: { personalDataBuckets: buckets } })), 'Custom::MacieClassificationJob', 'Delete');

    expect(call).toMatchObject({ action: 'updateClassificationJob', parameters: { jobStatus: 'CANCELLED' } });
  });

  test('daily schedule', () => {
    const call = sdkCall(synth(withDefaults({ macie: { personalDataBuckets: buckets, jobSchedule: MacieJobSchedule.DAILY } })),
      'Custom::MacieClassificationJob');

    expect(call.parameters.scheduleFrequency).toEqual({ dailySchedule: {} });
  });

  test('job token is stable and follows the buckets', () => {
    const token = (bucketNames: string[]) => sdkCall(
      synth(withDefaults({ macie: { personalDataBuckets: [{ accountId: MEMBER_ACCOUNT, bucketNames }] } })),
      'Custom::MacieClassificationJob',
    ).parameters.clientToken;

    expect(token(['case-documents'])).toBe(token(['case-documents']));
    expect(token(['case-documents'])).not.toBe(token(['case-uploads']));
  });

  test('job may be cancelled only in this account', () => {
    const statements = customResourceStatements(synth(withDefaults({ macie: { personalDataBuckets: buckets } })), 'Custom::MacieClassificationJob');

    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'macie2:UpdateClassificationJob',
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:macie2:eu-west-2:${ACCOUNT}:classification-job/*`]] },
    });
  });
});

describe('DetectiveControls IAM Access Analyzer', () => {
  test('organisation and unused access analyzers', () => {
    const template = synth();

    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ORGANIZATION' });
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ORGANIZATION_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
    });
  });

  test('account analyzer as an option', () => {
    const template = synth(withDefaults({ accessAnalyzer: { accountAnalyzer: true } }));

    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 3);
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
  });

  test('unused access age can change', () => {
    synth(withDefaults({ accessAnalyzer: { unusedAccessAge: Duration.days(30) } })).hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 30 } },
    });
  });

  test('unused access can be turned off', () => {
    const template = synth(withDefaults({ accessAnalyzer: { unusedAccess: false } }));

    template.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
  });
});

describe('DetectiveControls AWS Config', () => {
  test('recorder records every resource type continuously', () => {
    synth().hasResourceProperties('AWS::Config::ConfigurationRecorder', {
      RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: true },
      RecordingMode: { RecordingFrequency: 'CONTINUOUS' },
      RoleARN: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`]] },
    });
  });

  test('recorder waits for its service-linked role', () => {
    const template = synth();

    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', { AWSServiceName: 'config.amazonaws.com' });
    expect(only(template, 'AWS::Config::ConfigurationRecorder').DependsOn).toEqual([logicalIdOf(template, 'AWS::IAM::ServiceLinkedRole')]);
  });

  test('delivery goes to the bucket with its key', () => {
    const template = synth();
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket');

    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3BucketName: { Ref: bucketId },
      S3KeyPrefix: Match.absent(),
      S3KmsKeyArn: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key'), 'Arn'] },
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'TwentyFour_Hours' },
    });
  });

  test('delivery channel waits for the bucket policy', () => {
    const template = synth();

    expect(only(template, 'AWS::Config::DeliveryChannel').DependsOn).toEqual([
      logicalIdOf(template, 'AWS::S3::BucketPolicy'),
      logicalIdOf(template, 'AWS::Config::ConfigurationRecorder'),
    ]);
  });

  test('bucket policy lets AWS Config deliver for this account', () => {
    const template = synth();
    const bucketId = logicalIdOf(template, 'AWS::S3::Bucket');

    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'AWSConfigBucketPermissionsCheck',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Action: ['s3:GetBucketAcl', 's3:ListBucket'],
            Resource: { 'Fn::GetAtt': [bucketId, 'Arn'] },
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
          },
          {
            Sid: 'AWSConfigBucketDelivery',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/AWSLogs/${ACCOUNT}/Config/*`]] },
            Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT, 's3:x-amz-acl': 'bucket-owner-full-control' } },
          },
        ]),
      },
    });
  });

  test('key policy lets AWS Config encrypt', () => {
    synth().hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AWSConfigDelivery',
          Effect: 'Allow',
          Principal: { Service: 'config.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        }]),
      },
    });
  });

  test('aggregator covers the organisation in this region', () => {
    const template = synth();

    template.hasResourceProperties('AWS::Config::ConfigurationAggregator', {
      OrganizationAggregationSource: {
        RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DetectiveConfigAggregatorRole'), 'Arn'] },
        AwsRegions: ['eu-west-2'],
      },
    });
  });

  test('aggregator role has the organisations policy', () => {
    const template = synth();

    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'config.amazonaws.com' } })] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSConfigRoleForOrganizations']] }],
    });
  });

  test('recorder and delivery channel are retained', () => {
    const template = synth();

    expect(only(template, 'AWS::Config::ConfigurationRecorder').DeletionPolicy).toBe('Retain');
    expect(only(template, 'AWS::Config::DeliveryChannel').DeletionPolicy).toBe('Retain');
  });

  test('prefix, key and frequency can change', () => {
    const template = synth((stack) => {
      const otherKey = new kms.Key(stack, 'ConfigKey', { enableKeyRotation: true });
      return {
        organizationRootId: ROOT_ID,
        config: {
          deliveryBucket: deliveryBucket(stack),
          deliveryKey: otherKey,
          deliveryPrefix: 'security/config',
          snapshotDeliveryFrequency: config.MaximumExecutionFrequency.SIX_HOURS,
        },
      };
    });
    const keyIds = Object.keys(template.findResources('AWS::KMS::Key'));
    const configKeyId = keyIds.find((id) => id.startsWith('ConfigKey'))!;

    template.hasResourceProperties('AWS::Config::DeliveryChannel', {
      S3KeyPrefix: 'security/config',
      S3KmsKeyArn: { 'Fn::GetAtt': [configKeyId, 'Arn'] },
      ConfigSnapshotDeliveryProperties: { DeliveryFrequency: 'Six_Hours' },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AWSConfigBucketDelivery',
          Resource: { 'Fn::Join': ['', [Match.anyValue(), `/security/config/AWSLogs/${ACCOUNT}/Config/*`]] },
        })]),
      },
    });
  });

  test('imported bucket and key get warnings', () => {
    const stack = synthStack((scope) => ({
      organizationRootId: ROOT_ID,
      config: {
        deliveryBucket: s3.Bucket.fromBucketName(scope, 'Imported', 'ssd-log-archive'),
        deliveryKey: kms.Key.fromKeyArn(scope, 'ImportedKey', `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
      },
    }));

    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/policy of config.deliveryBucket cannot be changed.*"AWSLogs\/111122223333\/Config\/\*".*detectiveControlsConfigBucketPolicyNotUpdated/),
      expect.stringMatching(/key policy of the delivery key cannot be changed.*kms:GenerateDataKey.*detectiveControlsConfigKeyPolicyNotUpdated/),
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  test('global resource types can be left out', () => {
    synth(withConfig({ includeGlobalResourceTypes: false }))
      .hasResourceProperties('AWS::Config::ConfigurationRecorder', { RecordingGroup: { AllSupported: true, IncludeGlobalResourceTypes: false } });
  });

  test('existing service-linked role is reused', () => {
    const template = synth(withConfig({ createServiceLinkedRole: false }));

    template.resourceCountIs('AWS::IAM::ServiceLinkedRole', 0);
    expect(only(template, 'AWS::Config::ConfigurationRecorder').DependsOn).toBeUndefined();
  });

  test('turned off, with warnings', () => {
    const stack = synthStack(() => ({ organizationRootId: ROOT_ID, config: { enabled: false } }));

    Template.fromStack(stack).resourceCountIs('AWS::Config::ConfigurationRecorder', 0);
    Template.fromStack(stack).resourceCountIs('AWS::Config::DeliveryChannel', 0);
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/config.enabled is false, so this construct provides no configuration recording/),
      expect.stringMatching(/Security Hub controls and the conformance pack evaluate only what a configuration recorder records/),
    ]);
  });
});

describe('DetectiveControls conformance pack', () => {
  test('deployed to the organisation with an inline template', () => {
    const pack = only(synth(), 'AWS::Config::OrganizationConformancePack');

    expect(pack.Properties.OrganizationConformancePackName).toBe('ncsc-cloud-security-principles');
    expect(pack.Properties.TemplateS3Uri).toBeUndefined();
    expect(pack.Properties.TemplateBody).toBe(NcscConformancePack.renderTemplate());
  });

  test('inline template fits the inline limit', () => {
    // The 40 rules render to about 17 KB, a third of the 51,200 bytes AWS Config accepts
    // inline, so the template needs no S3 object unless many rules are added.
    const bytes = Buffer.byteLength(NcscConformancePack.renderTemplate(), 'utf8');

    expect(bytes).toBeLessThan(NcscConformancePack.MAX_INLINE_TEMPLATE_BYTES);
    expect(bytes).toBeGreaterThan(10_000);
  });

  test('template holds one managed rule per entry', () => {
    const resources = packTemplate(synth()).Resources;

    expect(Object.keys(resources)).toHaveLength(NcscConformancePack.rules().length);
    expect(resources.S3BucketSslRequestsOnly).toEqual({
      Type: 'AWS::Config::ConfigRule',
      Properties: {
        ConfigRuleName: 's3-bucket-ssl-requests-only',
        Description: 'NCSC principle 1, data in transit protection: S3 bucket policies deny requests that do not use TLS.',
        Source: { Owner: 'AWS', SourceIdentifier: 'S3_BUCKET_SSL_REQUESTS_ONLY' },
      },
    });
    expect(resources.CwLoggroupRetentionPeriodCheck.Properties.InputParameters).toEqual({ MinRetentionTime: '365' });
  });

  test('pack waits for the delivery channel', () => {
    const template = synth();

    expect(only(template, 'AWS::Config::OrganizationConformancePack').DependsOn)
      .toEqual([logicalIdOf(template, 'AWS::Config::DeliveryChannel')]);
  });

  test('S3 template instead of inline', () => {
    const pack = only(synth(withDefaults({ conformancePack: { templateS3Uri: 's3://ssd-config-packs/ncsc.json' } })),
      'AWS::Config::OrganizationConformancePack');

    expect(pack.Properties.TemplateS3Uri).toBe('s3://ssd-config-packs/ncsc.json');
    expect(pack.Properties.TemplateBody).toBeUndefined();
  });

  test('rules can be left out and added', () => {
    const extra: ConformancePackRule = {
      identifier: 'EIP_ATTACHED',
      ruleName: 'eip-attached',
      principle: NcscPrinciple.OPERATIONAL_SECURITY,
      description: 'Elastic IP addresses are attached to an instance or network interface.',
    };
    const resources = packTemplate(synth(withDefaults({
      conformancePack: { excludedRules: ['rds-multi-az-support'], additionalRules: [extra] },
    }))).Resources;

    expect(resources.RdsMultiAzSupport).toBeUndefined();
    expect(resources.EipAttached.Properties.Source).toEqual({ Owner: 'AWS', SourceIdentifier: 'EIP_ATTACHED' });
  });

  test('accounts can be excluded and the name changed', () => {
    synth(withDefaults({ conformancePack: { packName: 'ncsc', excludedAccounts: [MEMBER_ACCOUNT] } }))
      .hasResourceProperties('AWS::Config::OrganizationConformancePack', { OrganizationConformancePackName: 'ncsc', ExcludedAccounts: [MEMBER_ACCOUNT] });
  });

  test('turned off, with a warning', () => {
    const stack = synthStack(withDefaults({ conformancePack: { enabled: false } }));

    Template.fromStack(stack).resourceCountIs('AWS::Config::OrganizationConformancePack', 0);
    expect(warningsOf(stack)).toEqual([expect.stringMatching(/conformancePack.enabled is false, so this construct provides no evidence for the NCSC Cloud Security Principles/)]);
  });
});

describe('NcscConformancePack', () => {
  const rules = NcscConformancePack.rules();

  test('has 20 to 40 rules', () => {
    expect(rules.length).toBeGreaterThanOrEqual(20);
    expect(rules.length).toBeLessThanOrEqual(40);
  });

  test('rule names and identifiers are unique', () => {
    expect(new Set(rules.map((rule) => rule.ruleName)).size).toBe(rules.length);
    expect(new Set(rules.map((rule) => rule.identifier)).size).toBe(rules.length);
  });

  test('identifiers have the managed rule form', () => {
    for (const rule of rules) {
      expect(rule.identifier).toMatch(/^[A-Z0-9_]+$/);
      expect(rule.ruleName).toMatch(/^[a-z0-9-]+$/);
    }
  });

  test('every principle but personnel security is covered', () => {
    const covered = new Set(rules.map((rule) => rule.principle));

    expect(Object.values(NcscPrinciple).filter((principle) => !covered.has(principle))).toEqual([NcscPrinciple.PERSONNEL_SECURITY]);
  });

  test('descriptions fit AWS Config limit', () => {
    for (const resource of Object.values(JSON.parse(NcscConformancePack.renderTemplate()).Resources) as any[]) {
      expect(resource.Properties.Description.length).toBeLessThanOrEqual(256);
    }
  });

  test('rules() returns a copy', () => {
    NcscConformancePack.rules().pop();

    expect(NcscConformancePack.rules()).toHaveLength(rules.length);
  });

  test('renders only the given rules', () => {
    const body = JSON.parse(NcscConformancePack.renderTemplate([rules[0]]));

    expect(Object.keys(body.Resources)).toEqual(['AlbHttpToHttpsRedirectionCheck']);
  });
});

describe('DetectiveControls account only', () => {
  function accountOnly(): Stack {
    return synthStack((stack) => ({ organizationWide: false, config: { deliveryBucket: deliveryBucket(stack) } }));
  }

  test('no organisation configuration', () => {
    const template = Template.fromStack(accountOnly());

    for (const type of [
      'Custom::GuardDutyOrganizationConfiguration',
      'Custom::InspectorOrganizationConfiguration',
      'Custom::MacieOrganizationConfiguration',
      'Custom::SecurityHubHomeRegion',
      'AWS::SecurityHub::OrganizationConfiguration',
      'AWS::Config::ConfigurationAggregator',
      'AWS::Config::OrganizationConformancePack',
    ]) {
      template.resourceCountIs(type, 0);
    }
  });

  test('account analyzers and conformance pack', () => {
    const template = Template.fromStack(accountOnly());

    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
    template.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT_UNUSED_ACCESS' });
    template.hasResourceProperties('AWS::Config::ConformancePack', {
      ConformancePackName: 'ncsc-cloud-security-principles',
      TemplateBody: NcscConformancePack.renderTemplate(),
    });
  });

  test('warns that members are not covered', () => {
    expect(warningsOf(accountOnly())).toEqual([expect.stringMatching(/organizationWide is false.*detectiveControlsAccountOnly/)]);
  });
});

describe('DetectiveControls services turned off', () => {
  test.each([
    ['securityHub', 'AWS::SecurityHub::Hub', /securityHub.enabled is false, so this construct provides no compliance view of the estate/],
    ['macie', 'AWS::Macie::Session', /macie.enabled is false, so this construct provides no discovery of personal data in S3/],
    ['accessAnalyzer', 'AWS::AccessAnalyzer::Analyzer', /accessAnalyzer.enabled is false, so this construct provides no findings of resources shared/],
  ])('%s off, with a warning', (service, type, warning) => {
    const stack = synthStack(withDefaults({ [service]: { enabled: false } }));

    Template.fromStack(stack).resourceCountIs(type, 0);
    expect(warningsOf(stack)).toEqual([expect.stringMatching(warning)]);
  });
});

describe('DetectiveControls removal policy', () => {
  test('DESTROY deletes the service resources', () => {
    const template = synth(withDefaults({ removalPolicy: RemovalPolicy.DESTROY }));

    for (const type of ['AWS::GuardDuty::Detector', 'AWS::SecurityHub::Hub', 'AWS::Macie::Session', 'AWS::Config::ConfigurationRecorder']) {
      expect(only(template, type).DeletionPolicy).toBe('Delete');
    }
  });

  test('no warnings by default', () => {
    expect(warningsOf(synthStack())).toEqual([]);
  });
});

describe('DetectiveControls validation', () => {
  function expectError(propsFor: PropsFor, message: RegExp): void {
    expect(() => synth(propsFor)).toThrow(message);
  }

  test('props must be an object', () => {
    expect(() => new DetectiveControls(newStack(), 'Detective', 'on' as any)).toThrow(/props is "on"\. Give the props as an object/);
  });

  test('root ID is required for central configuration', () => {
    expectError((stack) => ({ config: { deliveryBucket: deliveryBucket(stack) } }), /organizationRootId is missing\. Security Hub central configuration/);
  });

  test('root ID must have the root form', () => {
    expectError(withDefaults({ organizationRootId: 'o-a1b2c3d4e5' }), /organizationRootId is "o-a1b2c3d4e5", which is not an organisation root ID/);
  });

  test('root ID may be a token', () => {
    expect(() => synth(withDefaults({ organizationRootId: Token.asString({ Ref: 'RootId' }) }))).not.toThrow();
  });

  test('organizationWide must be a boolean', () => {
    expectError(withDefaults({ organizationWide: 'yes' as any }), /organizationWide is "yes", which is not a boolean/);
  });

  test('removal policy must be a RemovalPolicy', () => {
    expectError(withDefaults({ removalPolicy: 'keep' as any }), /removalPolicy is "keep", which is not a removal policy/);
  });

  test('service settings must be an object', () => {
    expectError(withDefaults({ guardDuty: true as any }), /guardDuty is true, which is not an object/);
  });

  test('settings of a service turned off are rejected', () => {
    expectError(withDefaults({ guardDuty: { enabled: false, runtimeMonitoring: true } }),
      /guardDuty\.enabled is false, but guardDuty\.runtimeMonitoring is also set and would have no effect/);
  });

  test('feature switches must be booleans', () => {
    expectError(withDefaults({ guardDuty: { s3Protection: 'on' as any } }), /guardDuty\.s3Protection is "on", which is not a boolean/);
  });

  test('auto-enable must be an enum value', () => {
    expectError(withDefaults({ guardDuty: { autoEnableOrganizationMembers: 'SOME' as any } }),
      /guardDuty\.autoEnableOrganizationMembers is "SOME", which is not one of the OrganizationAutoEnable values\. Use one of OrganizationAutoEnable\.ALL/);
  });

  test('control IDs must have the control form', () => {
    expectError(withDefaults({ securityHub: { disabledControlIds: ['ec2-10'] } }),
      /securityHub\.disabledControlIds\[0\] is "ec2-10", which is not a security control ID/);
  });

  test('control IDs must be unique', () => {
    expectError(withDefaults({ securityHub: { disabledControlIds: ['EC2.10', 'EC2.10'] } }),
      /securityHub\.disabledControlIds\[1\] is "EC2\.10", which is listed more than once/);
  });

  test('disabled controls need central configuration', () => {
    expectError(withDefaults({ securityHub: { centralConfiguration: false, disabledControlIds: ['EC2.10'] } }),
      /securityHub\.disabledControlIds is set, but securityHub\.centralConfiguration is false/);
  });

  test('Inspector must scan something', () => {
    expectError(withDefaults({ inspector: { ec2Scanning: false, ecrScanning: false } }),
      /inspector\.ec2Scanning and inspector\.ecrScanning are both false/);
  });

  test('personal data buckets must be a list', () => {
    expectError(withDefaults({ macie: { personalDataBuckets: 'case-documents' as any } }),
      /macie\.personalDataBuckets is the string "case-documents", but a list is expected/);
  });

  test('bucket entries must be objects', () => {
    expectError(withDefaults({ macie: { personalDataBuckets: ['case-documents' as any] } }),
      /macie\.personalDataBuckets\[0\] is "case-documents", which is not an object/);
  });

  test('bucket owner must be an account ID', () => {
    expectError(withDefaults({ macie: { personalDataBuckets: [{ accountId: '1234', bucketNames: ['case-documents'] }] } }),
      /macie\.personalDataBuckets\[0\]\.accountId is "1234", which is not an AWS account ID/);
  });

  test('each account is listed once', () => {
    expectError(withDefaults({
      macie: {
        personalDataBuckets: [
          { accountId: MEMBER_ACCOUNT, bucketNames: ['case-documents'] },
          { accountId: MEMBER_ACCOUNT, bucketNames: ['case-uploads'] },
        ],
      },
    }), /macie\.personalDataBuckets\[1\]\.accountId "444455556666" is listed more than once/);
  });

  test('bucket list must not be empty', () => {
    expectError(withDefaults({ macie: { personalDataBuckets: [{ accountId: MEMBER_ACCOUNT, bucketNames: [] }] } }),
      /macie\.personalDataBuckets\[0\]\.bucketNames is empty/);
  });

  test('bucket names must be valid', () => {
    expectError(withDefaults({ macie: { personalDataBuckets: [{ accountId: MEMBER_ACCOUNT, bucketNames: ['Case_Documents'] }] } }),
      /macie\.personalDataBuckets\[0\]\.bucketNames\[0\] "Case_Documents" is not a valid S3 bucket name: it contains characters/);
  });

  test('bucket names must be unique', () => {
    expectError(withDefaults({ macie: { personalDataBuckets: [{ accountId: MEMBER_ACCOUNT, bucketNames: ['case-documents', 'case-documents'] }] } }),
      /bucketNames\[1\] "case-documents" is listed more than once/);
  });

  test('job schedule must be an enum value', () => {
    expectError(withDefaults({ macie: { jobSchedule: 'HOURLY' as any } }), /macie\.jobSchedule is "HOURLY", which is not one of the MacieJobSchedule values/);
  });

  test('unused access age must be whole days in range', () => {
    expectError(withDefaults({ accessAnalyzer: { unusedAccessAge: Duration.days(400) } }),
      /accessAnalyzer\.unusedAccessAge is 400 days\. IAM Access Analyzer accepts a whole number of days from 1 to 365/);
    expectError(withDefaults({ accessAnalyzer: { unusedAccessAge: Duration.hours(36) } }), /accessAnalyzer\.unusedAccessAge is 1 day 12 hours/);
  });

  test('unused access age must be a Duration', () => {
    expectError(withDefaults({ accessAnalyzer: { unusedAccessAge: 90 as any } }), /accessAnalyzer\.unusedAccessAge is 90, which is not a Duration/);
  });

  test('unused access age must not be a token', () => {
    expectError(withDefaults({ accessAnalyzer: { unusedAccessAge: Duration.days(Token.asNumber({ Ref: 'Days' })) } }),
      /accessAnalyzer\.unusedAccessAge is a token/);
  });

  test('unused access age needs the analyzer', () => {
    expectError(withDefaults({ accessAnalyzer: { unusedAccess: false, unusedAccessAge: Duration.days(30) } }),
      /accessAnalyzer\.unusedAccessAge is set, but accessAnalyzer\.unusedAccess is false/);
  });

  test('delivery bucket is required', () => {
    expectError(withDefaults({ config: {} }), /config\.deliveryBucket is missing\. AWS Config needs a bucket/);
  });

  test('delivery bucket must be a bucket', () => {
    expectError(withDefaults({ config: { deliveryBucket: 'ssd-log-archive' as any } }), /config\.deliveryBucket is "ssd-log-archive", which is not an S3 bucket/);
  });

  test('delivery bucket name must be valid', () => {
    expectError((stack) => ({ organizationRootId: ROOT_ID, config: { deliveryBucket: s3.Bucket.fromBucketName(stack, 'Bad', 'Log_Archive') } }),
      /config\.deliveryBucket has the name "Log_Archive", which is not a valid S3 bucket name/);
  });

  test('delivery key must not be an alias', () => {
    expectError((stack) => ({
      organizationRootId: ROOT_ID,
      config: { deliveryBucket: deliveryBucket(stack), deliveryKey: kms.Alias.fromAliasName(stack, 'Alias', 'alias/logs') as any },
    }), /config\.deliveryKey is the KMS alias "alias\/logs"/);
  });

  test('delivery key must be in the region', () => {
    expectError((stack) => ({
      organizationRootId: ROOT_ID,
      config: {
        deliveryBucket: deliveryBucket(stack),
        deliveryKey: kms.Key.fromKeyArn(stack, 'Far', `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`),
      },
    }), /config\.deliveryKey is a key in eu-west-1, but the archive is in eu-west-2/);
  });

  test('delivery prefix has no outer slashes', () => {
    expectError(withConfig({ deliveryPrefix: '/config/' }),
      /config\.deliveryPrefix is "\/config\/"\. Give path segments/);
  });

  test('snapshot frequency must be an enum value', () => {
    expectError(withConfig({ snapshotDeliveryFrequency: 'Daily' as any }),
      /config\.snapshotDeliveryFrequency is "Daily", which is not one of the config\.MaximumExecutionFrequency values/);
  });

  test('pack name must follow AWS Config rules', () => {
    expectError(withDefaults({ conformancePack: { packName: '1-ncsc' } }), /conformancePack\.packName is "1-ncsc"\. AWS Config accepts 1 to 128 letters/);
  });

  test('template URI must be an S3 URI', () => {
    expectError(withDefaults({ conformancePack: { templateS3Uri: 'https://example.com/ncsc.json' } }),
      /conformancePack\.templateS3Uri is "https:\/\/example\.com\/ncsc\.json", which is not an S3 URI/);
  });

  test('template URI bucket must be valid', () => {
    expectError(withDefaults({ conformancePack: { templateS3Uri: 's3://Packs/ncsc.json' } }),
      /conformancePack\.templateS3Uri names the bucket "Packs", which is not a valid S3 bucket name/);
  });

  test('rule changes need the inline template', () => {
    expectError(withDefaults({ conformancePack: { templateS3Uri: 's3://packs/ncsc.json', excludedRules: ['rds-multi-az-support'] } }),
      /conformancePack\.excludedRules is set, but so is conformancePack\.templateS3Uri/);
  });

  test('excluded rules must exist', () => {
    expectError(withDefaults({ conformancePack: { excludedRules: ['rds-multi-az'] } }),
      /conformancePack\.excludedRules\[0\] is "rds-multi-az", which is not the name of a rule in NcscConformancePack\.rules\(\)/);
  });

  test('additional rule must be well formed', () => {
    let error: Error | undefined;
    try {
      synth(withDefaults({
        conformancePack: {
          additionalRules: [{
            identifier: 'eip-attached',
            ruleName: 'encrypted-volumes',
            principle: 'OPERATIONS' as any,
            description: '',
            inputParameters: { maxAge: 90 as any },
          }],
        },
      }));
    } catch (caught) {
      error = caught as Error;
    }

    expect(error?.message).toMatch(/additionalRules\[0\]\.identifier is "eip-attached", which is not an AWS Config managed rule identifier/);
    expect(error?.message).toMatch(/additionalRules\[0\]\.ruleName "encrypted-volumes" is already in the pack/);
    expect(error?.message).toMatch(/additionalRules\[0\]\.principle is "OPERATIONS", which is not an NcscPrinciple value/);
    expect(error?.message).toMatch(/additionalRules\[0\]\.description is ""\. Give one sentence/);
    expect(error?.message).toMatch(/additionalRules\[0\]\.inputParameters\.maxAge is 90\. The pack template is rendered before deployment/);
  });

  test('additional rule description must fit', () => {
    expectError(withDefaults({
      conformancePack: {
        additionalRules: [{ identifier: 'EIP_ATTACHED', ruleName: 'eip-attached', principle: NcscPrinciple.OPERATIONAL_SECURITY, description: 'x'.repeat(250) }],
      },
    }), /additionalRules\[0\]\.description is too long: with the principle in front it has 290 characters, and AWS Config accepts 256/);
  });

  test('excluded accounts must be account IDs', () => {
    expectError(withDefaults({ conformancePack: { excludedAccounts: ['prod'] } }),
      /conformancePack\.excludedAccounts\[0\] is "prod", which is not an AWS account ID/);
  });

  test('inline template must fit the inline limit', () => {
    const additionalRules: ConformancePackRule[] = Array.from({ length: 150 }, (_, index) => ({
      identifier: 'EIP_ATTACHED',
      ruleName: `eip-attached-${index}`,
      principle: NcscPrinciple.OPERATIONAL_SECURITY,
      description: 'Elastic IP addresses are attached to an instance or network interface.',
    }));

    expectError(withDefaults({ conformancePack: { additionalRules } }),
      /The conformance pack template has \d+ bytes, over the 51200 bytes that AWS Config accepts inline\. Upload the output of NcscConformancePack\.renderTemplate\(\) to S3/);
  });

  test('one error lists every problem', () => {
    let error: Error | undefined;
    try {
      synth(withDefaults({ organizationRootId: 'root', guardDuty: { s3Protection: 1 as any }, macie: { jobSchedule: 'NEVER' as any } }));
    } catch (caught) {
      error = caught as Error;
    }

    expect(error?.message).toMatch(/^Invalid DetectiveControls props at Security\/Detective:/);
    expect(error?.message.split('\n  - ')).toHaveLength(4);
  });
});

describe('DetectiveControls compliance checks', () => {
  function nagErrors(props: (stack: Stack, bucket: s3.IBucket) => DetectiveControlsProps): string[] {
    // The feature flags a new CDK app enables, because some add resources the packs check.
    const stack = newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    const archive = new LogArchive(stack, 'LogArchive');
    new DetectiveControls(stack, 'Detective', props(stack, archive.bucket));
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());
    return Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*')).map((error) => `${error.id}: ${error.entry.data}`);
  }

  test('no cdk-nag errors organisation-wide', () => {
    expect(nagErrors((_, bucket) => ({
      organizationRootId: ROOT_ID,
      config: { deliveryBucket: bucket },
      macie: { personalDataBuckets: [{ accountId: MEMBER_ACCOUNT, bucketNames: ['case-documents'] }] },
      guardDuty: { runtimeMonitoring: true },
      accessAnalyzer: { accountAnalyzer: true },
    }))).toEqual([]);
  });

  test('no cdk-nag errors for one account', () => {
    expect(nagErrors((_, bucket) => ({ organizationWide: false, config: { deliveryBucket: bucket } }))).toEqual([]);
  });
});
