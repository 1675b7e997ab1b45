import { App, Aspects, Duration, RemovalPolicy, Stack, aws_events as events, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { ChangeDetection, ChangeDetectionProps, DriftDetectionMethod, SecurityChange } from '../src/change-detection';
import { expectEveryKeyToDenyGrants } from './support/key-policy';

const ACCOUNT = '222233334444';

function newStack(): Stack {
  return new Stack(new App(), 'Workload', { env: { account: ACCOUNT, region: 'eu-west-2' } });
}

function synth(props?: ChangeDetectionProps, stack: Stack = newStack()): Template {
  new ChangeDetection(stack, 'ChangeDetection', props);
  return Template.fromStack(stack);
}

function build(props: ChangeDetectionProps): () => ChangeDetection {
  return () => new ChangeDetection(newStack(), 'ChangeDetection', props);
}

/** Returns the properties of the rule whose logical ID starts with the construct path. */
function rule(template: Template, pathPrefix: string): Record<string, any> {
  const rules = Object.entries(template.findResources('AWS::Events::Rule'))
    .filter(([logicalId]) => logicalId.startsWith(pathPrefix));
  expect(rules).toHaveLength(1);
  return rules[0][1].Properties;
}

/** Returns a rule target's input template as one string, with CloudFormation references shown as `${...}`. */
function inputTemplate(target: Record<string, any>): string {
  if (target.Input !== undefined) {
    const input = target.Input;
    return typeof input === 'string' ? input : input['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '${ref}')).join('');
  }
  const template = target.InputTransformer.InputTemplate;
  if (typeof template === 'string') {
    return template;
  }
  return template['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : '${ref}')).join('');
}

function automationTarget(runbookName: string): object {
  return {
    'Fn::Join': ['', [
      'arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' },
      `:automation-definition/${runbookName}:$DEFAULT`,
    ]],
  };
}

function documentContent(template: Template, logicalIdPrefix: string): Record<string, any> {
  const documents = Object.entries(template.findResources('AWS::SSM::Document'))
    .filter(([logicalId]) => logicalId.startsWith(logicalIdPrefix));
  expect(documents).toHaveLength(1);
  return documents[0][1].Properties.Content;
}

describe('ChangeDetection alert topic', () => {
  test('the topic is encrypted with a rotated customer managed key', () => {
    const template = synth();

    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChangeDetectionKey'), 'Arn'] } });
  });

  test('the topic accepts only TLS requests', () => {
    synth().hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    });
  });

  test('only EventBridge rules of this account may publish', () => {
    synth().hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowEventBridgeRulesOfThisAccount',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sns:Publish',
          Condition: {
            ArnLike: {
              'aws:SourceArn': {
                'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':rule/*']],
              },
            },
          },
        })]),
      },
    });
  });

  test('EventBridge may use the key', () => {
    synth().hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        })]),
      },
    });
  });

  test('the key and the topic are retained', () => {
    const template = synth();

    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Retain' });
  });
});

describe('ChangeDetection alerts', () => {
  test('bucket access changes are reported', () => {
    const properties = rule(synth(), 'ChangeDetectionPublicBucketAlert');

    expect(properties.EventPattern).toEqual({
      'source': ['aws.s3'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['s3.amazonaws.com'],
        eventName: ['PutBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock',
          'PutAccountPublicAccessBlock', 'DeleteAccountPublicAccessBlock'],
        errorCode: [{ exists: false }],
      },
    });
  });

  test('security groups opened to every address are reported', () => {
    const properties = rule(synth(), 'ChangeDetectionOpenSecurityGroupAlert');

    expect(properties.EventPattern.detail.eventName).toEqual(['AuthorizeSecurityGroupIngress']);
    expect(properties.EventPattern.detail.$or).toEqual([
      { requestParameters: { ipPermissions: { items: { ipRanges: { items: { cidrIp: ['0.0.0.0/0'] } } } } } },
      { requestParameters: { ipPermissions: { items: { ipv6Ranges: { items: { cidrIpv6: ['::/0'] } } } } } },
    ]);
  });

  test('stopped, deleted and changed trails are reported', () => {
    const properties = rule(synth(), 'ChangeDetectionTrailStoppedAlert');

    expect(properties.EventPattern.source).toEqual(['aws.cloudtrail']);
    expect(properties.EventPattern.detail.eventName).toEqual(['StopLogging', 'DeleteTrail', 'UpdateTrail']);
  });

  test('keys scheduled for deletion or disabled are reported', () => {
    const properties = rule(synth(), 'ChangeDetectionKeyDeletionAlert');

    expect(properties.EventPattern.detail.eventSource).toEqual(['kms.amazonaws.com']);
    expect(properties.EventPattern.detail.eventName).toEqual(['ScheduleKeyDeletion', 'DisableKey']);
  });

  test('unencrypted volumes are reported', () => {
    const properties = rule(synth(), 'ChangeDetectionUnencryptedVolumeAlert');

    expect(properties.EventPattern.detail.eventName).toEqual(['CreateVolume']);
    expect(properties.EventPattern.detail.responseElements).toEqual({ encrypted: [false] });
  });

  test('failed calls are not reported', () => {
    const template = synth();
    for (const change of ['PublicBucket', 'OpenSecurityGroup', 'TrailStopped', 'KeyDeletion', 'UnencryptedVolume']) {
      expect(rule(template, `ChangeDetection${change}Alert`).EventPattern.detail.errorCode).toEqual([{ exists: false }]);
    }
  });

  test('the alert names the call, the resource and the caller', () => {
    const target = rule(synth(), 'ChangeDetectionOpenSecurityGroupAlert').Targets[0];

    expect(target.Arn).toEqual({ Ref: expect.stringMatching(/^ChangeDetectionAlertTopic/) });
    expect(target.InputTransformer.InputPathsMap).toMatchObject({
      'detail-requestParameters-groupId': '$.detail.requestParameters.groupId',
      'detail-userIdentity-arn': '$.detail.userIdentity.arn',
    });
    expect(inputTemplate(target)).toContain('<detail-eventName> on <detail-requestParameters-groupId> by <detail-userIdentity-arn>');
    expect(inputTemplate(target)).toContain('Unless CloudFormation made the change, the rules of the security group');
  });
});

describe('ChangeDetection remediation', () => {
  test('public buckets get Block Public Access', () => {
    const properties = rule(synth(), 'ChangeDetectionPublicBucketRemediation');
    const target = properties.Targets[0];

    expect(properties.EventPattern.detail.eventName).toEqual(['PutBucketPolicy', 'PutBucketAcl', 'DeleteBucketPublicAccessBlock']);
    expect(target.Arn).toEqual(automationTarget('AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock'));
    expect(target.InputTransformer.InputPathsMap).toEqual({ 'detail-requestParameters-bucketName': '$.detail.requestParameters.bucketName' });
    expect(inputTemplate(target)).toBe('{"AutomationAssumeRole":["${ref}"],"BucketName":[<detail-requestParameters-bucketName>]}');
  });

  test('open security groups lose their unrestricted rules', () => {
    const properties = rule(synth(), 'ChangeDetectionOpenSecurityGroupRemediation');

    expect(properties.EventPattern.detail.requestParameters).toEqual({ groupId: [{ exists: true }] });
    expect(properties.Targets[0].Arn).toEqual(automationTarget('AWSConfigRemediation-RemoveUnrestrictedSourceIngressRules'));
    expect(inputTemplate(properties.Targets[0])).toContain('"SecurityGroupId":[<detail-requestParameters-groupId>]');
  });

  test('stopped trails start logging again through a runbook defined here', () => {
    const template = synth();
    const properties = rule(template, 'ChangeDetectionTrailStoppedRemediation');
    const content = documentContent(template, 'ChangeDetectionTrailStoppedRunbook');

    expect(properties.EventPattern.detail.eventName).toEqual(['StopLogging']);
    expect(content.mainSteps).toEqual([{
      name: 'StartLogging',
      action: 'aws:executeAwsApi',
      inputs: { Service: 'cloudtrail', Api: 'StartLogging', Name: '{{ TrailName }}' },
      isEnd: true,
    }]);
    expect(inputTemplate(properties.Targets[0])).toContain('"TrailName":[<detail-requestParameters-name>]');
  });

  test('scheduled key deletions are cancelled', () => {
    const properties = rule(synth(), 'ChangeDetectionKeyDeletionRemediation');

    expect(properties.EventPattern.detail.eventName).toEqual(['ScheduleKeyDeletion']);
    expect(properties.Targets[0].Arn).toEqual(automationTarget('AWSConfigRemediation-CancelKeyDeletion'));
    expect(inputTemplate(properties.Targets[0])).toContain('"KeyId":[<detail-requestParameters-keyId>]');
  });

  test('unencrypted volumes turn on encryption by default', () => {
    const properties = rule(synth(), 'ChangeDetectionUnencryptedVolumeRemediation');

    expect(properties.Targets[0].Arn).toEqual(automationTarget('AWSConfigRemediation-EnableEbsEncryptionByDefault'));
    expect(inputTemplate(properties.Targets[0])).toBe('{"AutomationAssumeRole":["${ref}"]}');
  });

  test('no remediation matches the calls its own runbook makes', () => {
    const template = synth();
    const ownCalls: Record<string, string> = {
      PublicBucket: 'PutBucketPublicAccessBlock',
      OpenSecurityGroup: 'RevokeSecurityGroupIngress',
      TrailStopped: 'StartLogging',
      KeyDeletion: 'CancelKeyDeletion',
      UnencryptedVolume: 'EnableEbsEncryptionByDefault',
    };
    for (const [change, call] of Object.entries(ownCalls)) {
      expect(rule(template, `ChangeDetection${change}Remediation`).EventPattern.detail.eventName).not.toContain(call);
    }
  });

  test('changes made by CloudFormation are not reverted', () => {
    const properties = rule(synth(), 'ChangeDetectionKeyDeletionRemediation');

    expect(properties.EventPattern.detail.sourceIPAddress).toEqual([{ 'anything-but': 'cloudformation.amazonaws.com' }]);
  });

  test('automation roles trust only automations of this account and region', () => {
    synth().hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Principal: { Service: 'ssm.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': ACCOUNT },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:eu-west-2:${ACCOUNT}:automation-execution/*`]] } },
          },
        }],
      },
      Policies: [{
        PolicyName: 'Automation',
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: ['kms:CancelKeyDeletion', 'kms:DescribeKey'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/*']] },
          })]),
        },
      }],
    });
  });

  test('the starter role passes automation roles only to Systems Manager', () => {
    synth().hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: Match.stringLikeRegexp('RunbookStarter'),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'iam:PassRole',
          Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        })]),
      },
    });
  });

  test('remediationRule returns the rule of a remediated change', () => {
    const detection = new ChangeDetection(newStack(), 'ChangeDetection');

    expect(detection.remediationRule(SecurityChange.KEY_DELETION)).toBeDefined();
    expect(detection.alertRule(SecurityChange.KEY_DELETION)).toBeDefined();
  });
});

describe('ChangeDetection drift detection', () => {
  test('the runbook runs a Python 3.11 script', () => {
    const content = documentContent(synth(), 'ChangeDetectionDriftDetectionDocument');

    expect(content.schemaVersion).toBe('0.3');
    expect(content.assumeRole).toBe('{{ AutomationAssumeRole }}');
    expect(content.mainSteps).toHaveLength(1);
    expect(content.mainSteps[0]).toMatchObject({
      name: 'DetectDrift',
      action: 'aws:executeScript',
      timeoutSeconds: 600,
      isEnd: true,
      inputs: {
        Runtime: 'python3.11',
        Handler: 'handler',
        InputPayload: { TopicArn: '{{ TopicArn }}', AccountId: '{{ global:ACCOUNT_ID }}', Region: '{{ global:REGION }}' },
      },
    });
    expect(content.outputs).toEqual(['DetectDrift.DriftedStacks', 'DetectDrift.UncheckedStacks']);
  });

  test('the script detects drift on every stack and publishes the drifted ones', () => {
    const script: string = documentContent(synth(), 'ChangeDetectionDriftDetectionDocument').mainSteps[0].inputs.Script;

    expect(script).toContain('def handler(events, context):');
    expect(script).toContain("get_paginator('list_stacks')");
    expect(script).toContain('detect_stack_drift(StackName=');
    expect(script).toContain('describe_stack_drift_detection_status(StackDriftDetectionId=');
    expect(script).toContain("boto3.client('sns').publish(TopicArn=events['TopicArn']");
    expect(script).not.toContain('DELETE_COMPLETE');
  });

  test('every parameter the step uses is declared', () => {
    const content = documentContent(synth(), 'ChangeDetectionDriftDetectionDocument');
    const used = JSON.stringify(content.mainSteps).match(/\{\{ ?([A-Za-z]+) ?\}\}/g) ?? [];

    for (const reference of used) {
      expect(Object.keys(content.parameters)).toContain(reference.replace(/[{} ]/g, ''));
    }
  });

  test('the runbook runs every day at 06:00 UTC', () => {
    const properties = rule(synth(), 'ChangeDetectionDriftDetectionSchedule');

    expect(properties.ScheduleExpression).toBe('cron(0 6 * * ? *)');
    expect(properties.Targets[0].Arn['Fn::Join'][1]).toContainEqual({ Ref: expect.stringMatching(/^ChangeDetectionDriftDetectionDocument/) });
  });

  test('the drift role reads resources but not their data', () => {
    synth().hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']] }],
      Policies: [{
        PolicyName: 'DriftDetection',
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'] }),
            Match.objectLike({ Sid: 'DenyDataReads', Effect: 'Deny', Action: Match.arrayWith(['s3:GetObject*', 'secretsmanager:GetSecretValue']) }),
          ]),
        },
      }],
    });
  });

  test('the drift role may publish to the topic with its key', () => {
    synth().hasResourceProperties('AWS::IAM::Role', {
      Policies: [{
        PolicyName: 'DriftDetection',
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('^ChangeDetectionAlertTopic') } }),
            Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ChangeDetectionKey'), 'Arn'] } }),
          ]),
        },
      }],
    });
  });
});

describe('ChangeDetection overrides', () => {
  test('alert-only changes have no remediation', () => {
    const stack = newStack();
    const detection = new ChangeDetection(stack, 'ChangeDetection', { alertOnly: [SecurityChange.OPEN_SECURITY_GROUP] });
    const template = Template.fromStack(stack);

    expect(detection.remediationRule(SecurityChange.OPEN_SECURITY_GROUP)).toBeUndefined();
    expect(Object.keys(template.findResources('AWS::Events::Rule')).filter((id) => id.includes('OpenSecurityGroupRemediation'))).toEqual([]);
    expect(inputTemplate(rule(template, 'ChangeDetectionOpenSecurityGroupAlert').Targets[0])).toContain('Automatic remediation is off for this change');
  });

  test('CloudFormation changes can be reverted too', () => {
    const template = synth({ remediateCloudFormationChanges: true });
    const properties = rule(template, 'ChangeDetectionKeyDeletionRemediation');

    expect(properties.EventPattern.detail.sourceIPAddress).toBeUndefined();
    expect(inputTemplate(rule(template, 'ChangeDetectionKeyDeletionAlert').Targets[0])).toContain('Automatic remediation: a scheduled deletion is cancelled');
  });

  test('a given topic receives the alerts and no topic or key is created', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'SecurityAlerts', { enforceSSL: true });
    const template = synth({ alertTopic: topic }, stack);

    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(rule(template, 'ChangeDetectionTrailStoppedAlert').Targets[0].Arn).toEqual({ Ref: expect.stringMatching(/^SecurityAlerts/) });
  });

  test('an imported topic gets a warning about its policy', () => {
    const stack = newStack();
    const topic = sns.Topic.fromTopicArn(stack, 'Alerts', `arn:aws:sns:eu-west-2:${ACCOUNT}:security-alerts`);
    synth({ alertTopic: topic }, stack);

    Annotations.fromStack(stack).hasWarning('/Workload/ChangeDetection', Match.stringLikeRegexp('policy of the given alertTopic cannot be changed'));
  });

  test('a given key encrypts the topic', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'AlertKey', { enableKeyRotation: true });
    const template = synth({ encryptionKey: key }, stack);

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertKey'), 'Arn'] } });
  });

  test('an imported key gets a warning about its policy', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'AlertKey', `arn:aws:kms:eu-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    synth({ encryptionKey: key }, stack);

    Annotations.fromStack(stack).hasWarning('/Workload/ChangeDetection', Match.stringLikeRegexp('key policy of the given encryptionKey cannot be changed'));
  });

  test('drift detection can use the AWS Config rule', () => {
    const stack = newStack();
    const detection = new ChangeDetection(stack, 'ChangeDetection', { driftDetection: DriftDetectionMethod.CONFIG_RULE });
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::Config::ConfigRule', {
      Source: { Owner: 'AWS', SourceIdentifier: 'CLOUDFORMATION_STACK_DRIFT_DETECTION_CHECK' },
      InputParameters: { cloudformationRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftDetectionConfigRole'), 'Arn'] } },
      Scope: { ComplianceResourceTypes: ['AWS::CloudFormation::Stack'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'config.amazonaws.com' } })] },
    });
    expect(rule(template, 'ChangeDetectionDriftDetectionComplianceAlert').EventPattern).toMatchObject({
      'source': ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      'detail': { newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
    });
    template.resourceCountIs('AWS::SSM::Document', 1);
    expect(detection.driftDetectionConfigRuleName).toBeDefined();
    expect(detection.driftDetectionDocumentName).toBeUndefined();
  });

  test('drift detection can be turned off', () => {
    const template = synth({ driftDetection: DriftDetectionMethod.NONE });

    template.resourceCountIs('AWS::SSM::Document', 1);
    template.resourceCountIs('AWS::Config::ConfigRule', 0);
  });

  test('no starter role exists when nothing starts a runbook', () => {
    const template = synth({
      driftDetection: DriftDetectionMethod.NONE,
      alertOnly: Object.values(SecurityChange),
    });

    template.resourceCountIs('AWS::IAM::Role', 0);
    template.resourceCountIs('AWS::SSM::Document', 0);
  });

  test('a given schedule replaces the daily one', () => {
    const properties = rule(synth({ driftDetectionSchedule: events.Schedule.cron({ minute: '30', hour: '22', weekDay: 'SUN' }) }),
      'ChangeDetectionDriftDetectionSchedule');

    expect(properties.ScheduleExpression).toBe('cron(30 22 ? * SUN *)');
  });

  test('DESTROY removes the key and the topic', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Delete' });
  });
});

/**
 * Tells whether an event matches an EventBridge event pattern, for the operators the
 * construct uses: exact values, `exists`, `anything-but` and `$or`. As in EventBridge, a
 * field inside a list matches when any item of the list matches. This is a model of the
 * documented matching rules, not EventBridge itself, and it ignores the other operators.
 */
function matchesPattern(pattern: Record<string, any>, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) {
    return false;
  }
  if (Array.isArray(event)) {
    return event.some((item) => matchesPattern(pattern, item));
  }
  const fields = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') {
      return (expected as Record<string, any>[]).some((branch) => matchesPattern(branch, event));
    }
    if (Array.isArray(expected)) {
      return expected.some((condition) => matchesValue(condition, fields[key]));
    }
    return matchesPattern(expected, fields[key]);
  });
}

function matchesValue(condition: unknown, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (typeof condition === 'object' && condition !== null) {
    const operator = condition as Record<string, unknown>;
    if ('exists' in operator) {
      return operator.exists === (value !== undefined);
    }
    if ('anything-but' in operator) {
      return value !== undefined && values.every((item) => item !== operator['anything-but']);
    }
    throw new Error(`The test matcher does not model ${JSON.stringify(condition)}.`);
  }
  return values.includes(condition);
}

/** Builds a CloudTrail event of EC2 as EventBridge delivers it. */
function ec2Event(eventName: string, requestParameters: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'source': 'aws.ec2',
    'detail-type': 'AWS API Call via CloudTrail',
    'account': ACCOUNT,
    'region': 'eu-west-2',
    'detail': {
      eventSource: 'ec2.amazonaws.com',
      eventName,
      sourceIPAddress: '198.51.100.7',
      userIdentity: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Operator/alice` },
      requestParameters,
      ...extra,
    },
  };
}

/** Builds the request of ModifySecurityGroupRules as CloudTrail records it, for one changed rule or several. */
function modifyRequest(...rules: Record<string, unknown>[]): Record<string, unknown> {
  const entries = rules.map((newRule, index) => ({ SecurityGroupRuleId: `sgr-0a1b2c3d4e5f6070${index}`, tag: index + 1, SecurityGroupRule: newRule }));
  return {
    ModifySecurityGroupRulesRequest: {
      GroupId: 'sg-0123456789abcdef0',
      SecurityGroupRule: entries.length === 1 ? entries[0] : entries,
    },
  };
}

const SSH_FROM_ANYWHERE_V4 = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '0.0.0.0/0' };
const SSH_FROM_ANYWHERE_V6 = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv6: '::/0' };
const SSH_FROM_OFFICE = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24' };

describe('ChangeDetection changed security group rules', () => {
  test('rules opened to every IPv4 or IPv6 address are reported', () => {
    const properties = rule(synth(), 'ChangeDetectionModifiedSecurityGroupRuleAlert');

    expect(properties.EventPattern).toEqual({
      'source': ['aws.ec2'],
      'detail-type': ['AWS API Call via CloudTrail'],
      'detail': {
        eventSource: ['ec2.amazonaws.com'],
        eventName: ['ModifySecurityGroupRules'],
        errorCode: [{ exists: false }],
        $or: [
          { requestParameters: { ModifySecurityGroupRulesRequest: { SecurityGroupRule: { SecurityGroupRule: { CidrIpv4: ['0.0.0.0/0'] } } } } },
          { requestParameters: { ModifySecurityGroupRulesRequest: { SecurityGroupRule: { SecurityGroupRule: { CidrIpv6: ['::/0'] } } } } },
        ],
      },
    });
  });

  test.each([
    ['an IPv4 rule', modifyRequest(SSH_FROM_ANYWHERE_V4)],
    ['an IPv6 rule', modifyRequest(SSH_FROM_ANYWHERE_V6)],
    ['one of several rules', modifyRequest(SSH_FROM_OFFICE, SSH_FROM_ANYWHERE_V6)],
  ])('the pattern matches %s changed to allow every address', (_case, request) => {
    const pattern = rule(synth(), 'ChangeDetectionModifiedSecurityGroupRuleAlert').EventPattern;

    expect(matchesPattern(pattern, ec2Event('ModifySecurityGroupRules', request))).toBe(true);
  });

  test.each([
    ['a rule changed to a narrower range', ec2Event('ModifySecurityGroupRules', modifyRequest(SSH_FROM_OFFICE))],
    ['a rule changed to a prefix list', ec2Event('ModifySecurityGroupRules', modifyRequest({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListId: 'pl-0123456789abcdef0' }))],
    ['a failed call', ec2Event('ModifySecurityGroupRules', modifyRequest(SSH_FROM_ANYWHERE_V4), { errorCode: 'Client.UnauthorizedOperation' })],
    ['another call with the same request', ec2Event('UpdateSecurityGroupRuleDescriptionsIngress', modifyRequest(SSH_FROM_ANYWHERE_V4))],
  ])('the pattern does not match %s', (_case, event) => {
    const pattern = rule(synth(), 'ChangeDetectionModifiedSecurityGroupRuleAlert').EventPattern;

    expect(matchesPattern(pattern, event)).toBe(false);
  });

  test('the added-rule alert matches only AuthorizeSecurityGroupIngress', () => {
    const pattern = rule(synth(), 'ChangeDetectionOpenSecurityGroupAlert').EventPattern;
    const authorize = ec2Event('AuthorizeSecurityGroupIngress', {
      groupId: 'sg-0123456789abcdef0',
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] },
    });

    expect(matchesPattern(pattern, authorize)).toBe(true);
    expect(matchesPattern(pattern, ec2Event('ModifySecurityGroupRules', modifyRequest(SSH_FROM_ANYWHERE_V4)))).toBe(false);
  });

  test('the added-rule remediation skips CloudFormation calls', () => {
    const pattern = rule(synth(), 'ChangeDetectionOpenSecurityGroupRemediation').EventPattern;
    const request = {
      groupId: 'sg-0123456789abcdef0',
      ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }] },
    };

    expect(matchesPattern(pattern, ec2Event('AuthorizeSecurityGroupIngress', request))).toBe(true);
    expect(matchesPattern(pattern, ec2Event('AuthorizeSecurityGroupIngress', request, { sourceIPAddress: 'cloudformation.amazonaws.com' }))).toBe(false);
  });

  test('the changed-rule alert names the group and the reason', () => {
    const target = rule(synth(), 'ChangeDetectionModifiedSecurityGroupRuleAlert').Targets[0];

    expect(target.Arn).toEqual({ Ref: expect.stringMatching(/^ChangeDetectionAlertTopic/) });
    expect(target.InputTransformer.InputPathsMap).toMatchObject({
      'detail-requestParameters-ModifySecurityGroupRulesRequest-GroupId': '$.detail.requestParameters.ModifySecurityGroupRulesRequest.GroupId',
    });
    expect(inputTemplate(target)).toContain('<detail-eventName> on <detail-requestParameters-ModifySecurityGroupRulesRequest-GroupId> by');
    expect(inputTemplate(target)).toContain('does not record whether the rule is an ingress or an egress rule');
  });

  test('changed rules have no remediation', () => {
    const stack = newStack();
    const detection = new ChangeDetection(stack, 'ChangeDetection');
    const template = Template.fromStack(stack);
    const remediations = Object.entries(template.findResources('AWS::Events::Rule'))
      .filter(([logicalId]) => logicalId.includes('Remediation'));

    expect(remediations.filter(([logicalId]) => logicalId.includes('ModifiedSecurityGroupRule'))).toEqual([]);
    for (const [, remediation] of remediations) {
      expect(remediation.Properties.EventPattern.detail.eventName).not.toContain('ModifySecurityGroupRules');
    }
    expect(detection.remediationRule(SecurityChange.OPEN_SECURITY_GROUP)!.node.path).toBe('Workload/ChangeDetection/OpenSecurityGroup/Remediation');
  });

  test('alertRules returns both security group rules', () => {
    const detection = new ChangeDetection(newStack(), 'ChangeDetection');

    expect(detection.alertRules(SecurityChange.OPEN_SECURITY_GROUP).map((alert) => alert.node.path)).toEqual([
      'Workload/ChangeDetection/OpenSecurityGroup/Alert',
      'Workload/ChangeDetection/ModifiedSecurityGroupRule/Alert',
    ]);
    expect(detection.alertRule(SecurityChange.OPEN_SECURITY_GROUP).node.path).toBe('Workload/ChangeDetection/OpenSecurityGroup/Alert');
    expect(detection.alertRules(SecurityChange.KEY_DELETION)).toHaveLength(1);
  });

  test('alertOnly covers both security group calls', () => {
    const stack = newStack();
    const detection = new ChangeDetection(stack, 'ChangeDetection', { alertOnly: [SecurityChange.OPEN_SECURITY_GROUP] });
    const template = Template.fromStack(stack);
    const ruleIds = Object.keys(template.findResources('AWS::Events::Rule'));

    expect(detection.alertRules(SecurityChange.OPEN_SECURITY_GROUP)).toHaveLength(2);
    expect(rule(template, 'ChangeDetectionModifiedSecurityGroupRuleAlert').EventPattern.detail.eventName).toEqual(['ModifySecurityGroupRules']);
    expect(ruleIds.filter((id) => id.includes('SecurityGroup') && id.includes('Remediation'))).toEqual([]);
    expect(detection.remediationRule(SecurityChange.OPEN_SECURITY_GROUP)).toBeUndefined();
  });

  test('remediateCloudFormationChanges keeps changed rules alert-only', () => {
    const template = synth({ remediateCloudFormationChanges: true });
    const ruleIds = Object.keys(template.findResources('AWS::Events::Rule'));

    expect(ruleIds.filter((id) => id.startsWith('ChangeDetectionModifiedSecurityGroupRule'))).toEqual([
      expect.stringMatching(/^ChangeDetectionModifiedSecurityGroupRuleAlert/),
    ]);
  });

  test('the changed-rule alert includes CloudFormation calls', () => {
    const pattern = rule(synth(), 'ChangeDetectionModifiedSecurityGroupRuleAlert').EventPattern;
    const fromCloudFormation = ec2Event('ModifySecurityGroupRules', modifyRequest(SSH_FROM_ANYWHERE_V4), { sourceIPAddress: 'cloudformation.amazonaws.com' });

    expect(matchesPattern(pattern, fromCloudFormation)).toBe(true);
  });
});

describe('ChangeDetection validation', () => {
  test('rejects an alert topic that is not a topic', () => {
    expect(build({ alertTopic: 'arn:aws:sns:eu-west-2:222233334444:alerts' as unknown as sns.ITopic }))
      .toThrow(/alertTopic is "arn:aws:sns:eu-west-2:222233334444:alerts", which is not an SNS topic/);
  });

  test('rejects a key that is not a key', () => {
    expect(build({ encryptionKey: {} as kms.IKey })).toThrow(/encryptionKey is \{\}, which is not a KMS key/);
  });

  test('rejects a key together with a topic', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Alerts');
    const key = new kms.Key(stack, 'Key');

    expect(() => new ChangeDetection(stack, 'ChangeDetection', { alertTopic: topic, encryptionKey: key }))
      .toThrow(/encryptionKey is given with alertTopic, but the key only encrypts the topic that the construct creates/);
  });

  test('rejects an unknown security change', () => {
    expect(build({ alertOnly: ['PUBLIC_S3' as SecurityChange] })).toThrow(/alertOnly\[0\] is "PUBLIC_S3", which is not a security change/);
  });

  test('rejects a security change listed twice', () => {
    expect(build({ alertOnly: [SecurityChange.KEY_DELETION, SecurityChange.KEY_DELETION] })).toThrow(/alertOnly\[1\] repeats KEY_DELETION/);
  });

  test('rejects a single change in place of a list', () => {
    expect(build({ alertOnly: SecurityChange.KEY_DELETION as unknown as SecurityChange[] }))
      .toThrow(/alertOnly is the string "KEY_DELETION", but a list is expected/);
  });

  test('rejects remediateCloudFormationChanges that is not a boolean', () => {
    expect(build({ remediateCloudFormationChanges: 'no' as unknown as boolean })).toThrow(/remediateCloudFormationChanges is "no", which is not a boolean/);
  });

  test('rejects an unknown drift detection method', () => {
    expect(build({ driftDetection: 'DAILY' as DriftDetectionMethod })).toThrow(/driftDetection is "DAILY", which is not a drift detection method/);
  });

  test('rejects a schedule with the AWS Config rule', () => {
    expect(build({ driftDetection: DriftDetectionMethod.CONFIG_RULE, driftDetectionSchedule: events.Schedule.rate(Duration.hours(6)) }))
      .toThrow(/driftDetectionSchedule is given, but driftDetection is CONFIG_RULE/);
  });

  test('rejects a schedule that is not a Schedule', () => {
    expect(build({ driftDetectionSchedule: 'rate(1 day)' as unknown as events.Schedule }))
      .toThrow(/driftDetectionSchedule is "rate\(1 day\)", which is not a Schedule/);
  });

  test('rejects an unknown removal policy', () => {
    expect(build({ removalPolicy: 'keep' as RemovalPolicy })).toThrow(/removalPolicy is "keep", which is not a removal policy/);
  });

  test('alertRule rejects a value that is not a security change', () => {
    const detection = new ChangeDetection(newStack(), 'ChangeDetection');

    expect(() => detection.alertRule('S3' as SecurityChange)).toThrow(/has no alert rule for "S3"/);
  });

  test('one error lists every problem', () => {
    expect(build({ alertOnly: ['X' as SecurityChange], driftDetection: 'Y' as DriftDetectionMethod }))
      .toThrow(/Invalid ChangeDetection props at Workload\/ChangeDetection:\n {2}- alertOnly\[0\] .*\n {2}- driftDetection/);
  });
});

describe('ChangeDetection compliance checks', () => {
  test.each([DriftDetectionMethod.AUTOMATION, DriftDetectionMethod.CONFIG_RULE])('no cdk-nag errors remain with %s', (driftDetection) => {
    const stack = newStack();
    new ChangeDetection(stack, 'ChangeDetection', { driftDetection });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});

describe('ChangeDetection grants', () => {
  test('the alert key denies grants that are not for AWS resources', () => {
    expectEveryKeyToDenyGrants(synth(), 1);
  });
});
