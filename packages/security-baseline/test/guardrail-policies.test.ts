import { Duration, Token } from 'aws-cdk-lib';
import { DataClassification, GuardrailPolicy, GuardrailPolicyType, TaggingStandard } from '../src';
import { ContextValue, ScpRequest, isDenied } from './support/scp-evaluator';
import { GLOBAL_SERVICE_ACTIONS, SECURITY_SERVICE_ACTIONS } from '../src/private/guardrail-documents';

const DEVELOPER = 'arn:aws:iam::444455556666:role/Developer';
const SECURITY_ADMIN = 'arn:aws:iam::444455556666:role/SecurityAdministrator';
const BREAK_GLASS = 'arn:aws:iam::444455556666:role/BreakGlass';
const ROOT_USER = 'arn:aws:iam::444455556666:root';

interface RequestOptions {
  readonly region?: string;
  readonly principal?: string;
  readonly resource?: string;
  readonly context?: Record<string, ContextValue>;
}

/** Builds a request from a developer role in eu-west-2 over TLS, with the given changes. */
function request(action: string, options: RequestOptions = {}): ScpRequest {
  return {
    action,
    resource: options.resource,
    context: {
      'aws:RequestedRegion': options.region ?? 'eu-west-2',
      'aws:PrincipalArn': options.principal ?? DEVELOPER,
      'aws:SecureTransport': 'true',
      ...options.context,
    },
  };
}

function documentOf(policy: GuardrailPolicy): any {
  return JSON.parse(policy.content);
}

describe('GuardrailPolicy.restrictRegions', () => {
  const policy = GuardrailPolicy.restrictRegions();

  test('is a service control policy', () => {
    expect(policy.type).toBe(GuardrailPolicyType.SERVICE_CONTROL_POLICY);
    expect(policy.policyName).toBe('DenyRegionsOutsideUk');
  });

  test('regional services outside London are denied', () => {
    expect(isDenied(policy.content, request('ec2:RunInstances', { region: 'us-east-1' }))).toBe(true);
    expect(isDenied(policy.content, request('s3:PutObject', { region: 'eu-west-1' }))).toBe(true);
    expect(isDenied(policy.content, request('kms:CreateKey', { region: 'us-east-1' }))).toBe(true);
  });

  test('regional services in London are not denied', () => {
    expect(isDenied(policy.content, request('ec2:RunInstances', { region: 'eu-west-2' }))).toBe(false);
    expect(isDenied(policy.content, request('kms:CreateKey', { region: 'eu-west-2' }))).toBe(false);
  });

  test('Lambda@Edge in us-east-1 is denied', () => {
    expect(isDenied(policy.content, request('lambda:CreateFunction', { region: 'us-east-1' }))).toBe(true);
  });

  test('iam:CreateRole in us-east-1 is not denied', () => {
    expect(isDenied(policy.content, request('iam:CreateRole', { region: 'us-east-1' }))).toBe(false);
  });

  test.each([
    'iam:CreateRole',
    'organizations:DescribeOrganization',
    'sts:GetCallerIdentity',
    'cloudfront:CreateDistribution',
    'route53:ChangeResourceRecordSets',
    'wafv2:CreateWebACL',
    'support:CreateCase',
    'budgets:ViewBudget',
    'ce:GetCostAndUsage',
    'health:DescribeEvents',
    'trustedadvisor:DescribeChecks',
    'shield:CreateProtection',
    's3:ListAllMyBuckets',
  ])('global action %s in us-east-1 is not denied', (action) => {
    expect(isDenied(policy.content, request(action, { region: 'us-east-1' }))).toBe(false);
  });

  test('every exempt global action is allowed in us-east-1', () => {
    for (const pattern of GLOBAL_SERVICE_ACTIONS) {
      const action = pattern.replace('*', 'AnyAction');
      expect({ action, denied: isDenied(policy.content, request(action, { region: 'us-east-1' })) }).toEqual({ action, denied: false });
    }
  });

  test('certificates are allowed in London and us-east-1 only', () => {
    expect(isDenied(policy.content, request('acm:RequestCertificate', { region: 'us-east-1' }))).toBe(false);
    expect(isDenied(policy.content, request('acm:RequestCertificate', { region: 'eu-west-2' }))).toBe(false);
    expect(isDenied(policy.content, request('acm:RequestCertificate', { region: 'eu-west-1' }))).toBe(true);
  });

  test('no role is exempt by default', () => {
    expect(JSON.stringify(documentOf(policy))).not.toContain('ArnNotLike');
    expect(isDenied(policy.content, request('ec2:RunInstances', { region: 'us-east-1', principal: BREAK_GLASS }))).toBe(true);
  });

  test('exempt roles may use any region', () => {
    const exempting = GuardrailPolicy.restrictRegions({ exemptRoleArnPatterns: ['arn:aws:iam::*:role/BreakGlass'] });

    expect(isDenied(exempting.content, request('ec2:RunInstances', { region: 'us-east-1', principal: BREAK_GLASS }))).toBe(false);
    expect(isDenied(exempting.content, request('acm:RequestCertificate', { region: 'eu-west-1', principal: BREAK_GLASS }))).toBe(false);
    expect(isDenied(exempting.content, request('ec2:RunInstances', { region: 'us-east-1', principal: DEVELOPER }))).toBe(true);
  });

  test('allowed regions default to eu-west-2', () => {
    expect(documentOf(policy).Statement[0].Condition.StringNotEquals).toEqual({ 'aws:RequestedRegion': ['eu-west-2'] });
  });

  test('eu-west-2 listed twice counts once', () => {
    const twice = GuardrailPolicy.restrictRegions({ allowedRegions: ['eu-west-2', 'eu-west-2'] });

    expect(documentOf(twice).Statement[0].Condition.StringNotEquals).toEqual({ 'aws:RequestedRegion': ['eu-west-2'] });
  });

  test('policy name can be changed', () => {
    expect(GuardrailPolicy.restrictRegions({ policyName: 'UkOnly' }).policyName).toBe('UkOnly');
  });

  test('us-east-1 is rejected as outside the UK', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: ['eu-west-2', 'us-east-1'] }))
      .toThrow(/allowedRegions contains "us-east-1", which is outside the UK.*list only "eu-west-2"/);
  });

  test('eu-west-1 is rejected as outside the UK', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: ['eu-west-1'] }))
      .toThrow(/allowedRegions contains "eu-west-1", which is outside the UK/);
  });

  test('empty region list is rejected', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: [] })).toThrow(/allowedRegions is empty/);
  });

  test('region name instead of code is rejected', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: ['London'] }))
      .toThrow(/allowedRegions contains "London", which is not an AWS region code/);
  });

  test('region token is rejected', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: [Token.asString({ Ref: 'AWS::Region' })] }))
      .toThrow(/allowedRegions contains a token\. Give each region as a literal string/);
  });

  test('region string instead of list is rejected', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: 'eu-west-2' as any }))
      .toThrow(/allowedRegions is the string "eu-west-2", but a list is expected/);
  });

  test.each([
    ['arn:aws:iam::12345678901:role/Admin', /not an IAM role ARN pattern/],
    ['arn:aws:iam::*:user/Admin', /not an IAM role ARN pattern/],
    ['PlatformAdmin', /not an IAM role ARN pattern/],
    ['arn:aws-cn:iam::*:role/Admin', /not an IAM role ARN pattern/],
    ['arn:aws:iam::*:role/Admin Role', /not an IAM role ARN pattern/],
    ['arn:aws:iam::*:role/*', /matches every role/],
  ])('role pattern %s is rejected', (pattern, message) => {
    expect(() => GuardrailPolicy.restrictRegions({ exemptRoleArnPatterns: [pattern] })).toThrow(message);
  });

  test('role pattern with account ID is accepted', () => {
    const policyWithAccount = GuardrailPolicy.restrictRegions({ exemptRoleArnPatterns: ['arn:aws:iam::444455556666:role/ops/Break*'] });

    expect(isDenied(policyWithAccount.content, request('ec2:RunInstances', { region: 'us-east-1', principal: 'arn:aws:iam::444455556666:role/ops/BreakGlass' })))
      .toBe(false);
  });

  test('all problems are listed in one error', () => {
    expect(() => GuardrailPolicy.restrictRegions({ allowedRegions: ['eu-west-1'], exemptRoleArnPatterns: ['Admin'], policyName: '' }))
      .toThrow(/Invalid GuardrailPolicy\.restrictRegions options:\n {2}- policyName is "".*\n {2}- allowedRegions contains "eu-west-1".*\n {2}- exemptRoleArnPatterns contains "Admin"/);
  });

  test('too many exempt roles exceed the size limit', () => {
    const patterns = Array.from({ length: 120 }, (_, index) => `arn:aws:iam::*:role/platform-administrator-${index}`);

    expect(() => GuardrailPolicy.restrictRegions({ exemptRoleArnPatterns: patterns }))
      .toThrow(/the service control policy "DenyRegionsOutsideUk" is \d{4,} characters long, but AWS Organizations accepts at most 5120/);
  });
});

describe('GuardrailPolicy.denyLeavingOrganization', () => {
  const policy = GuardrailPolicy.denyLeavingOrganization();

  test('leaving the organization is denied to everyone', () => {
    expect(isDenied(policy.content, request('organizations:LeaveOrganization'))).toBe(true);
    expect(isDenied(policy.content, request('organizations:LeaveOrganization', { principal: SECURITY_ADMIN }))).toBe(true);
  });

  test('other Organizations calls are not denied', () => {
    expect(isDenied(policy.content, request('organizations:DescribeOrganization'))).toBe(false);
  });
});

describe('GuardrailPolicy.protectSecurityServices', () => {
  const policy = GuardrailPolicy.protectSecurityServices({ securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/SecurityAdministrator'] });

  test('cloudtrail:StopLogging is denied to other roles', () => {
    expect(isDenied(policy.content, request('cloudtrail:StopLogging'))).toBe(true);
  });

  test('cloudtrail:StopLogging is allowed to the security admin role', () => {
    expect(isDenied(policy.content, request('cloudtrail:StopLogging', { principal: SECURITY_ADMIN }))).toBe(false);
  });

  test.each([
    'cloudtrail:DeleteTrail',
    'cloudtrail:UpdateTrail',
    'cloudtrail:PutEventSelectors',
    'config:StopConfigurationRecorder',
    'config:DeleteDeliveryChannel',
    'guardduty:DeleteDetector',
    'guardduty:DisassociateFromAdministratorAccount',
    'guardduty:CreateIPSet',
    'securityhub:DisableSecurityHub',
    'securityhub:BatchDisableStandards',
    'ec2:DeleteFlowLogs',
  ])('%s is denied to other roles', (action) => {
    expect(isDenied(policy.content, request(action))).toBe(true);
    expect(isDenied(policy.content, request(action, { principal: SECURITY_ADMIN }))).toBe(false);
  });

  test('every listed action is denied in any region', () => {
    for (const action of SECURITY_SERVICE_ACTIONS) {
      expect({ action, denied: isDenied(policy.content, request(action, { region: 'eu-west-2' })) }).toEqual({ action, denied: true });
    }
  });

  test.each([
    'cloudtrail:CreateTrail',
    'cloudtrail:LookupEvents',
    'config:DescribeConfigurationRecorders',
    'guardduty:GetFindings',
    'securityhub:GetFindings',
    'ec2:CreateFlowLogs',
  ])('%s is not denied', (action) => {
    expect(isDenied(policy.content, request(action))).toBe(false);
  });

  describe('the roles of the member account bootstrap', () => {
    const STACK_SET_EXEC = 'arn:aws:iam::444455556666:role/stacksets-exec-abc';
    const DEPLOY_ROLE = 'arn:aws:iam::444455556666:role/cdk-hnb659fds-deploy-role-444455556666-eu-west-2';

    test('a member role creating a stacksets-exec role is denied', () => {
      // Given a developer role of a member account
      // When it creates a role named like the StackSet execution role
      const denied = isDenied(policy.content, request('iam:CreateRole', { resource: 'arn:aws:iam::444455556666:role/stacksets-exec-pwn' }));
      // Then the SCP denies it
      expect(denied).toBe(true);
    });

    test.each([
      ['iam:CreateRole', 'arn:aws:iam::444455556666:role/team/stacksets-exec-pwn'],
      ['iam:UpdateAssumeRolePolicy', 'arn:aws:iam::444455556666:role/stacksets-exec-abc'],
      ['iam:AttachRolePolicy', 'arn:aws:iam::444455556666:role/stacksets-exec-abc'],
    ])('%s on %s is denied even to the security admin and the StackSet role', (action, resource) => {
      expect(isDenied(policy.content, request(action, { resource }))).toBe(true);
      expect(isDenied(policy.content, request(action, { resource, principal: SECURITY_ADMIN }))).toBe(true);
      expect(isDenied(policy.content, request(action, { resource, principal: STACK_SET_EXEC }))).toBe(true);
    });

    test.each([
      'iam:PutRolePolicy',
      'iam:UpdateAssumeRolePolicy',
      'iam:AttachRolePolicy',
      'iam:DeleteRole',
      'iam:TagRole',
    ])('%s on a CDK bootstrap role is denied to a normal role and allowed to stacksets-exec-*', (action) => {
      expect(isDenied(policy.content, request(action, { resource: DEPLOY_ROLE }))).toBe(true);
      expect(isDenied(policy.content, request(action, { resource: DEPLOY_ROLE, principal: SECURITY_ADMIN }))).toBe(true);
      expect(isDenied(policy.content, request(action, { resource: DEPLOY_ROLE, principal: STACK_SET_EXEC }))).toBe(false);
    });

    test.each([
      'cdk-hnb659fds-cfn-exec-role-444455556666-eu-west-2',
      'cdk-hnb659fds-file-publishing-role-444455556666-eu-west-2',
      'cdk-hnb659fds-image-publishing-role-444455556666-eu-west-2',
      'cdk-platform-lookup-role-444455556666-eu-west-2',
    ])('changing %s is denied to a normal role', (roleName) => {
      const resource = `arn:aws:iam::444455556666:role/${roleName}`;
      expect(isDenied(policy.content, request('iam:PutRolePolicy', { resource }))).toBe(true);
      expect(isDenied(policy.content, request('iam:PutRolePolicy', { resource, principal: STACK_SET_EXEC }))).toBe(false);
    });

    test('other roles are unaffected', () => {
      const resource = 'arn:aws:iam::444455556666:role/my-app-role';
      expect(isDenied(policy.content, request('iam:CreateRole', { resource }))).toBe(false);
      expect(isDenied(policy.content, request('iam:PutRolePolicy', { resource }))).toBe(false);
    });

    test('passing the CloudFormation execution role stays allowed', () => {
      // The CDK's deploy role passes the execution role to CloudFormation on every deployment.
      const resource = 'arn:aws:iam::444455556666:role/cdk-hnb659fds-cfn-exec-role-444455556666-eu-west-2';
      expect(isDenied(policy.content, request('iam:PassRole', { resource, principal: DEPLOY_ROLE }))).toBe(false);
    });
  });

  test('missing options are rejected', () => {
    expect(() => GuardrailPolicy.protectSecurityServices(undefined as any)).toThrow(/options is undefined\. Give the options as an object/);
  });

  test('empty role list is rejected', () => {
    expect(() => GuardrailPolicy.protectSecurityServices({ securityAdminRoleArnPatterns: [] }))
      .toThrow(/securityAdminRoleArnPatterns is empty, so no role could make the changes/);
  });

  test('malformed role pattern is rejected', () => {
    expect(() => GuardrailPolicy.protectSecurityServices({ securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/'] }))
      .toThrow(/securityAdminRoleArnPatterns contains "arn:aws:iam::\*:role\/", which is not an IAM role ARN pattern/);
  });

  test('role pattern token is rejected', () => {
    expect(() => GuardrailPolicy.protectSecurityServices({ securityAdminRoleArnPatterns: [Token.asString({ Ref: 'Role' })] }))
      .toThrow(/securityAdminRoleArnPatterns contains a token, which is not a literal string/);
  });
});

describe('GuardrailPolicy.requireEncryption', () => {
  const policy = GuardrailPolicy.requireEncryption();
  const volume = 'arn:aws:ec2:eu-west-2:444455556666:volume/*';
  const instance = 'arn:aws:ec2:eu-west-2:444455556666:instance/*';

  test('unencrypted volumes are denied', () => {
    expect(isDenied(policy.content, request('ec2:CreateVolume', { context: { 'ec2:Encrypted': 'false' } }))).toBe(true);
  });

  test('encrypted volumes are not denied', () => {
    expect(isDenied(policy.content, request('ec2:CreateVolume', { context: { 'ec2:Encrypted': 'true' } }))).toBe(false);
  });

  test('instances with unencrypted volumes are denied', () => {
    expect(isDenied(policy.content, request('ec2:RunInstances', { resource: volume, context: { 'ec2:Encrypted': 'false' } }))).toBe(true);
  });

  test('instances with encrypted volumes are not denied', () => {
    expect(isDenied(policy.content, request('ec2:RunInstances', { resource: volume, context: { 'ec2:Encrypted': 'true' } }))).toBe(false);
    expect(isDenied(policy.content, request('ec2:RunInstances', { resource: instance }))).toBe(false);
  });

  test('s3:PutObject without encryption header is denied', () => {
    expect(isDenied(policy.content, request('s3:PutObject'))).toBe(true);
  });

  test.each(['AES256', 'aws:kms', 'aws:kms:dsse'])('s3:PutObject with %s is not denied', (encryption) => {
    expect(isDenied(policy.content, request('s3:PutObject', { context: { 's3:x-amz-server-side-encryption': encryption } }))).toBe(false);
  });

  test('S3 without TLS is denied', () => {
    expect(isDenied(policy.content, request('s3:GetObject', { context: { 'aws:SecureTransport': 'false' } }))).toBe(true);
  });

  test('S3 reads over TLS are not denied', () => {
    expect(isDenied(policy.content, request('s3:GetObject'))).toBe(false);
  });
});

describe('GuardrailPolicy.denyRootUser', () => {
  const policy = GuardrailPolicy.denyRootUser();

  test.each(['iam:CreateUser', 's3:ListAllMyBuckets', 'ec2:RunInstances'])('root user is denied %s', (action) => {
    expect(isDenied(policy.content, request(action, { principal: ROOT_USER }))).toBe(true);
  });

  test('roles are not denied', () => {
    expect(isDenied(policy.content, request('iam:CreateUser', { principal: DEVELOPER }))).toBe(false);
  });

  test('policy name can be changed', () => {
    expect(GuardrailPolicy.denyRootUser({ policyName: 'NoRoot' }).policyName).toBe('NoRoot');
  });

  test('long policy name is rejected', () => {
    expect(() => GuardrailPolicy.denyRootUser({ policyName: 'x'.repeat(129) }))
      .toThrow(/policyName is "x+"\. AWS Organizations accepts policy names of 1 to 128 printable ASCII characters/);
  });
});

describe('built-in service control policies', () => {
  const policies = [
    GuardrailPolicy.restrictRegions(),
    GuardrailPolicy.denyLeavingOrganization(),
    GuardrailPolicy.protectSecurityServices({ securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/SecurityAdministrator'] }),
    GuardrailPolicy.requireEncryption(),
    GuardrailPolicy.denyRootUser(),
  ];

  test('each fits the SCP size limit', () => {
    for (const policy of policies) {
      expect({ name: policy.policyName, fits: policy.sizeInCharacters <= 5120 }).toEqual({ name: policy.policyName, fits: true });
      expect(policy.maxSizeInCharacters).toBe(5120);
    }
  });

  test('size is the length of the content', () => {
    for (const policy of policies) {
      expect(policy.sizeInCharacters).toBe(policy.content.length);
    }
  });
});

describe('GuardrailPolicy.mandatoryTags', () => {
  const policy = GuardrailPolicy.mandatoryTags();
  const tags = documentOf(policy).tags;

  test('is a tag policy', () => {
    expect(policy.type).toBe(GuardrailPolicyType.TAG_POLICY);
    expect(policy.maxSizeInCharacters).toBe(10000);
  });

  test('keys follow the tagging standard', () => {
    const keys = [
      TaggingStandard.COST_CENTRE_KEY,
      TaggingStandard.ENVIRONMENT_KEY,
      TaggingStandard.SERVICE_KEY,
      TaggingStandard.OWNER_KEY,
      TaggingStandard.DATA_CLASSIFICATION_KEY,
    ];

    expect(Object.keys(tags)).toEqual(keys);
    for (const key of keys) {
      expect(tags[key].tag_key).toEqual({ '@@assign': key });
    }
  });

  test('data classification allows the enum values', () => {
    expect(tags[TaggingStandard.DATA_CLASSIFICATION_KEY].tag_value).toEqual({ '@@assign': Object.values(DataClassification) });
    expect(tags[TaggingStandard.DATA_CLASSIFICATION_KEY].tag_value['@@assign']).toEqual(['OFFICIAL', 'OFFICIAL-SENSITIVE']);
  });

  test('other keys allow any value', () => {
    expect(tags[TaggingStandard.OWNER_KEY].tag_value).toBeUndefined();
  });

  test('nothing is enforced by default', () => {
    expect(policy.content).not.toContain('enforced_for');
  });

  test('enforcement covers the given types', () => {
    const enforcing = documentOf(GuardrailPolicy.mandatoryTags({ enforcedFor: ['s3:bucket', 'secretsmanager:ALL_SUPPORTED'] }));

    for (const key of Object.keys(enforcing.tags)) {
      expect(enforcing.tags[key].enforced_for).toEqual({ '@@assign': ['s3:bucket', 'secretsmanager:ALL_SUPPORTED'] });
    }
  });

  test('malformed resource type is rejected', () => {
    expect(() => GuardrailPolicy.mandatoryTags({ enforcedFor: ['bucket'] }))
      .toThrow(/enforcedFor contains "bucket", which is not a tag policy resource type/);
  });
});

describe('GuardrailPolicy.dailyBackups', () => {
  const options = { backupVaultName: 'platform-backups', backupRoleName: 'service-role/AWSBackupDefaultServiceRole' };
  const plan = (policy: GuardrailPolicy) => documentOf(policy).plans.DailyBackups;

  test('is a backup policy', () => {
    expect(GuardrailPolicy.dailyBackups(options).type).toBe(GuardrailPolicyType.BACKUP_POLICY);
  });

  test('backs up in London only', () => {
    expect(plan(GuardrailPolicy.dailyBackups(options)).regions).toEqual({ '@@assign': ['eu-west-2'] });
  });

  test('copies to no other region', () => {
    expect(GuardrailPolicy.dailyBackups(options).content).not.toContain('copy_actions');
  });

  test('runs daily and keeps 35 days', () => {
    const rule = plan(GuardrailPolicy.dailyBackups(options)).rules.Daily;

    expect(rule.schedule_expression).toEqual({ '@@assign': 'cron(0 1 ? * * *)' });
    expect(rule.lifecycle).toEqual({ delete_after_days: { '@@assign': '35' } });
    expect(rule.target_backup_vault_name).toEqual({ '@@assign': 'platform-backups' });
  });

  test('retention can be changed', () => {
    const rule = plan(GuardrailPolicy.dailyBackups({ ...options, retention: Duration.days(90) })).rules.Daily;

    expect(rule.lifecycle).toEqual({ delete_after_days: { '@@assign': '90' } });
  });

  test('selects resources tagged backup=true', () => {
    expect(plan(GuardrailPolicy.dailyBackups(options)).selections.tags.TaggedResources).toEqual({
      iam_role_arn: { '@@assign': 'arn:aws:iam::$account:role/service-role/AWSBackupDefaultServiceRole' },
      tag_key: { '@@assign': 'backup' },
      tag_value: { '@@assign': ['true'] },
    });
  });

  test('selection tag can be changed', () => {
    const selection = plan(GuardrailPolicy.dailyBackups({
      ...options,
      selectionTagKey: TaggingStandard.DATA_CLASSIFICATION_KEY,
      selectionTagValues: [DataClassification.OFFICIAL_SENSITIVE],
    })).selections.tags.TaggedResources;

    expect(selection.tag_key).toEqual({ '@@assign': 'DataClassification' });
    expect(selection.tag_value).toEqual({ '@@assign': ['OFFICIAL-SENSITIVE'] });
  });

  test('region outside the UK is rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, regions: ['eu-west-1'] }))
      .toThrow(/regions contains "eu-west-1", which is outside the UK/);
  });

  test('missing options are rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups(undefined as any)).toThrow(/options is undefined/);
  });

  test('invalid vault name is rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, backupVaultName: 'a' }))
      .toThrow(/backupVaultName is "a", which is not a backup vault name/);
  });

  test('role ARN instead of name is rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, backupRoleName: 'arn:aws:iam::444455556666:role/Backup' }))
      .toThrow(/backupRoleName is "arn:aws:iam::444455556666:role\/Backup", which is not an IAM role name.*Do not give an ARN/);
  });

  test.each([
    [Duration.hours(36), /retention is 1 day 12 hours/],
    [Duration.days(0), /retention is 0 days/],
    [Duration.days(36501), /retention is 36501 days/],
  ])('retention of %s is rejected', (retention, message) => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, retention })).toThrow(message);
  });

  test('retention token is rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, retention: Duration.days(Token.asNumber({ Ref: 'Days' })) }))
      .toThrow(/retention is a token/);
  });

  test('empty selection values are rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, selectionTagValues: [] }))
      .toThrow(/selectionTagValues is empty, so no resource would be backed up/);
  });

  test('reserved selection tag key is rejected', () => {
    expect(() => GuardrailPolicy.dailyBackups({ ...options, selectionTagKey: 'aws:backup' }))
      .toThrow(/selectionTagKey "aws:backup" is not a valid tag key: the prefix "aws:" is reserved/);
  });
});

describe('GuardrailPolicy.fromJson', () => {
  const denyAll = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:*', Resource: '*' }] });

  test('content is kept without whitespace', () => {
    const policy = GuardrailPolicy.fromJson({
      policyName: 'DenyEc2',
      type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
      content: JSON.stringify(JSON.parse(denyAll), null, 2),
    });

    expect(policy.content).toBe(denyAll);
    expect(isDenied(policy.content, request('ec2:RunInstances'))).toBe(true);
  });

  test('SCP over the size limit is rejected', () => {
    const actions = Array.from({ length: 300 }, (_, index) => `ec2:SomeLongActionName${index}`);
    const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }] });

    expect(() => GuardrailPolicy.fromJson({ policyName: 'Big', type: GuardrailPolicyType.SERVICE_CONTROL_POLICY, content }))
      .toThrow(/the service control policy "Big" is \d+ characters long, but AWS Organizations accepts at most 5120 characters/);
  });

  test('tag policy may exceed the SCP limit', () => {
    const tags: Record<string, unknown> = {};
    for (let index = 0; index < 150; index++) {
      tags[`key${index}`] = { tag_key: { '@@assign': `Key${index}` } };
    }
    const policy = GuardrailPolicy.fromJson({ policyName: 'Tags', type: GuardrailPolicyType.TAG_POLICY, content: JSON.stringify({ tags }) });

    expect(policy.sizeInCharacters).toBeGreaterThan(5120);
    expect(policy.sizeInCharacters).toBeLessThanOrEqual(10000);
  });

  test('invalid JSON is rejected', () => {
    expect(() => GuardrailPolicy.fromJson({ policyName: 'Bad', type: GuardrailPolicyType.SERVICE_CONTROL_POLICY, content: '{"Version":' }))
      .toThrow(/content is not valid JSON/);
  });

  test('JSON list is rejected', () => {
    expect(() => GuardrailPolicy.fromJson({ policyName: 'Bad', type: GuardrailPolicyType.SERVICE_CONTROL_POLICY, content: '[]' }))
      .toThrow(/content is \[\] once parsed, which is not a JSON object/);
  });

  test('unknown type is rejected', () => {
    expect(() => GuardrailPolicy.fromJson({ policyName: 'Bad', type: 'RESOURCE_CONTROL_POLICY' as any, content: denyAll }))
      .toThrow(/type is "RESOURCE_CONTROL_POLICY", which is not a policy type/);
  });

  test('long description is rejected', () => {
    expect(() => GuardrailPolicy.fromJson({
      policyName: 'Bad',
      type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
      content: denyAll,
      description: 'd'.repeat(513),
    })).toThrow(/description is 513 characters long/);
  });
});
