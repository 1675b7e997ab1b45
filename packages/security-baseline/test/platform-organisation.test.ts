import { App, Aspects, Duration, RemovalPolicy, Stack, Token, aws_organizations as organizations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Dependable } from 'constructs';
import {
  GuardrailPolicy,
  GuardrailPolicyType,
  MemberAccount,
  PlatformOrganisation,
  PlatformOrganisationProps,
  PlatformOrganizationalUnit,
  PolicyTarget,
} from '../src';
import { isDenied } from './support/scp-evaluator';

const MANAGEMENT_ACCOUNT = '111122223333';
const ROOT_ID = 'r-a1b2';

const ACCOUNTS: MemberAccount[] = [
  { accountName: 'Security', email: 'aws-security@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.SECURITY },
  { accountName: 'Shared Services', email: 'aws-shared@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.INFRASTRUCTURE },
  { accountName: 'Production', email: 'aws-prod@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.PRODUCTION },
  { accountName: 'Non-Production', email: 'aws-nonprod@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.NON_PRODUCTION },
];

const BASE_PROPS: PlatformOrganisationProps = {
  rootId: ROOT_ID,
  securityServicesProtection: { securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/SecurityAdministrator'] },
  backupPolicy: { backupVaultName: 'platform-backups', backupRoleName: 'service-role/AWSBackupDefaultServiceRole' },
};

function newStack(app = new App()): Stack {
  return new Stack(app, 'Management', { env: { account: MANAGEMENT_ACCOUNT, region: 'eu-west-2' } });
}

function create(props: Partial<PlatformOrganisationProps> = {}): { stack: Stack; org: PlatformOrganisation } {
  const stack = newStack();
  const org = new PlatformOrganisation(stack, 'Organisation', { ...BASE_PROPS, ...props });
  return { stack, org };
}

function synth(props: Partial<PlatformOrganisationProps> = {}): Template {
  return Template.fromStack(create(props).stack);
}

/** Returns the logical ID of the only resource of a type whose properties match. */
function logicalId(template: Template, type: string, properties: object): string {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  expect(ids).toHaveLength(1);
  return ids[0];
}

/** Returns the properties of the policy with the given name. */
function policyNamed(template: Template, name: string): any {
  const policies = Object.values(template.findResources('AWS::Organizations::Policy', { Properties: { Name: name } }));
  expect(policies).toHaveLength(1);
  return policies[0].Properties;
}

function ouRef(template: Template, name: string) {
  return { 'Fn::GetAtt': [logicalId(template, 'AWS::Organizations::OrganizationalUnit', { Name: name }), 'Id'] };
}

describe('PlatformOrganisation organizational units', () => {
  test('top-level OUs sit under the root', () => {
    const template = synth();

    for (const name of ['Security', 'Infrastructure', 'Workloads']) {
      template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: name, ParentId: ROOT_ID });
    }
  });

  test('Production and NonProduction sit under Workloads', () => {
    const template = synth();

    for (const name of ['Production', 'NonProduction']) {
      template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: name, ParentId: ouRef(template, 'Workloads') });
    }
    template.resourceCountIs('AWS::Organizations::OrganizationalUnit', 5);
  });

  test('OU names can be changed', () => {
    const template = synth({ organizationalUnitNames: { infrastructure: 'SharedServices', nonProduction: 'PreProduction' } });

    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'SharedServices', ParentId: ROOT_ID });
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'PreProduction', ParentId: ouRef(template, 'Workloads') });
    template.hasResourceProperties('AWS::Organizations::OrganizationalUnit', { Name: 'Security', ParentId: ROOT_ID });
  });

  test('root ID may be a token', () => {
    const stack = newStack();
    const organization = new organizations.CfnOrganization(stack, 'Org', { featureSet: 'ALL' });
    new PlatformOrganisation(stack, 'Organisation', { ...BASE_PROPS, rootId: organization.attrRootId });

    Template.fromStack(stack).hasResourceProperties('AWS::Organizations::OrganizationalUnit', {
      Name: 'Security',
      ParentId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Org'), 'RootId'] },
    });
  });

  test('OU IDs are exposed', () => {
    const { stack, org } = create();
    const template = Template.fromStack(stack);

    expect(stack.resolve(org.organizationalUnitId(PlatformOrganizationalUnit.PRODUCTION))).toEqual(ouRef(template, 'Production'));
  });
});

describe('PlatformOrganisation accounts', () => {
  test('no account is created by default', () => {
    synth().resourceCountIs('AWS::Organizations::Account', 0);
  });

  test('each account goes into its OU', () => {
    const template = synth({ accounts: ACCOUNTS });

    template.hasResourceProperties('AWS::Organizations::Account', {
      AccountName: 'Security',
      Email: 'aws-security@example.gov.uk',
      ParentIds: [ouRef(template, 'Security')],
    });
    template.hasResourceProperties('AWS::Organizations::Account', {
      AccountName: 'Shared Services',
      ParentIds: [ouRef(template, 'Infrastructure')],
    });
    template.hasResourceProperties('AWS::Organizations::Account', { AccountName: 'Production', ParentIds: [ouRef(template, 'Production')] });
    template.hasResourceProperties('AWS::Organizations::Account', {
      AccountName: 'Non-Production',
      ParentIds: [ouRef(template, 'NonProduction')],
    });
  });

  test('accounts are retained on delete and replace', () => {
    const template = synth({ accounts: ACCOUNTS });

    const accounts = template.findResources('AWS::Organizations::Account');
    expect(Object.keys(accounts)).toHaveLength(4);
    for (const account of Object.values(accounts)) {
      expect(account.DeletionPolicy).toBe('Retain');
      expect(account.UpdateReplacePolicy).toBe('Retain');
    }
  });

  test('accounts are created one at a time', () => {
    const template = synth({ accounts: ACCOUNTS });

    const ids = ACCOUNTS.map((account) => logicalId(template, 'AWS::Organizations::Account', { AccountName: account.accountName }));
    const accounts = template.findResources('AWS::Organizations::Account');
    expect(accounts[ids[0]].DependsOn).toBeUndefined();
    for (let index = 1; index < ids.length; index++) {
      expect(accounts[ids[index]].DependsOn).toEqual([ids[index - 1]]);
    }
  });

  test('access role name defaults to the AWS default', () => {
    synth({ accounts: ACCOUNTS }).hasResourceProperties('AWS::Organizations::Account', {
      AccountName: 'Security',
      RoleName: Match.absent(),
    });
  });

  test('access role name can be changed', () => {
    synth({ accounts: [{ ...ACCOUNTS[0], roleName: 'PlatformBootstrap' }] })
      .hasResourceProperties('AWS::Organizations::Account', { AccountName: 'Security', RoleName: 'PlatformBootstrap' });
  });

  test('account IDs are exposed by name', () => {
    const { stack, org } = create({ accounts: ACCOUNTS });

    expect(JSON.stringify(stack.resolve(org.accountId('Shared Services')))).toMatch(/OrganisationAccountSharedServices.*AccountId/);
  });

  test('dependents of accountsCreated wait for every account and no OU', () => {
    const { stack, org } = create({ accounts: ACCOUNTS });
    const dependent = new organizations.CfnResourcePolicy(stack, 'Dependent', { content: {} });
    dependent.node.addDependency(org.accountsCreated);

    const template = Template.fromStack(stack);
    const accountIds = Object.keys(template.findResources('AWS::Organizations::Account'));
    const dependsOn = template.toJSON().Resources.Dependent.DependsOn;
    expect(accountIds).toHaveLength(4);
    expect([...dependsOn].sort()).toEqual([...accountIds].sort());
  });

  test('accountsCreated is empty without accounts', () => {
    // Given an organisation that creates no account
    const { stack, org } = create();
    const dependent = new organizations.CfnResourcePolicy(stack, 'Dependent', { content: {} });

    // When a resource depends on accountsCreated
    dependent.node.addDependency(org.accountsCreated);

    // Then the group is empty, so the resource waits for nothing, not even the OUs
    expect(Dependable.of(org.accountsCreated).dependencyRoots).toEqual([]);
    expect(Template.fromStack(stack).toJSON().Resources.Dependent.DependsOn).toBeUndefined();
  });

  test('unknown account name throws', () => {
    const { org } = create({ accounts: ACCOUNTS });

    expect(() => org.accountId('Sandbox')).toThrow(/No member account is named "Sandbox"\. The accounts of Management\/Organisation are: "Security"/);
  });

  test('a destroy removal policy on an account fails synthesis', () => {
    const { stack, org } = create({ accounts: ACCOUNTS });
    (org.node.findChild('AccountSecurity') as organizations.CfnAccount).applyRemovalPolicy(RemovalPolicy.DESTROY);

    expect(() => Template.fromStack(stack)).toThrow(/The member account "Security" has DeletionPolicy Delete.*so CloudFormation could close it/);
  });
});

describe('PlatformOrganisation guardrails', () => {
  test('seven policies are created', () => {
    const template = synth();

    template.resourceCountIs('AWS::Organizations::Policy', 7);
    expect(Object.keys(template.findResources('AWS::Organizations::Policy', { Properties: { Type: 'SERVICE_CONTROL_POLICY' } }))).toHaveLength(5);
  });

  test.each([
    ['DenyRegionsOutsideUk', 'SERVICE_CONTROL_POLICY'],
    ['DenyLeavingOrganization', 'SERVICE_CONTROL_POLICY'],
    ['ProtectSecurityServices', 'SERVICE_CONTROL_POLICY'],
    ['DenyRootUser', 'SERVICE_CONTROL_POLICY'],
    ['MandatoryTags', 'TAG_POLICY'],
    ['DailyBackups', 'BACKUP_POLICY'],
  ])('%s is attached to the root', (name, type) => {
    const policy = policyNamed(synth(), name);

    expect(policy.Type).toBe(type);
    expect(policy.TargetIds).toEqual([ROOT_ID]);
  });

  test('encryption is required in the top-level OUs', () => {
    const template = synth();

    expect(policyNamed(template, 'RequireEncryption').TargetIds)
      .toEqual([ouRef(template, 'Security'), ouRef(template, 'Infrastructure'), ouRef(template, 'Workloads')]);
  });

  test('policy content is a JSON object', () => {
    const content = policyNamed(synth(), 'DenyLeavingOrganization').Content;

    expect(content).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
    });
  });

  test('region restriction applies the given exempt roles', () => {
    const content = policyNamed(synth({ regionRestriction: { exemptRoleArnPatterns: ['arn:aws:iam::*:role/BreakGlass'] } }),
      'DenyRegionsOutsideUk').Content;
    const breakGlass = 'arn:aws:iam::444455556666:role/BreakGlass';

    expect(isDenied(content, { action: 'ec2:RunInstances', context: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalArn': breakGlass } }))
      .toBe(false);
    expect(isDenied(content, {
      action: 'ec2:RunInstances',
      context: { 'aws:RequestedRegion': 'us-east-1', 'aws:PrincipalArn': 'arn:aws:iam::444455556666:role/Developer' },
    })).toBe(true);
  });

  test('security admin role is exempt from protection', () => {
    const content = policyNamed(synth(), 'ProtectSecurityServices').Content;

    expect(content.Statement[0].Condition).toEqual({ ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/SecurityAdministrator'] } });
  });

  test('tag policy enforcement can be turned on', () => {
    const content = policyNamed(synth({ tagPolicy: { enforcedFor: ['s3:bucket'] } }), 'MandatoryTags').Content;

    expect(content.tags.Owner.enforced_for).toEqual({ '@@assign': ['s3:bucket'] });
  });

  test('backup policy uses the given vault and retention', () => {
    const content = policyNamed(synth({
      backupPolicy: { backupVaultName: 'uk-backups', backupRoleName: 'BackupRole', retention: Duration.days(7) },
    }), 'DailyBackups').Content;
    const rule = content.plans.DailyBackups.rules.Daily;

    expect(rule.target_backup_vault_name).toEqual({ '@@assign': 'uk-backups' });
    expect(rule.lifecycle).toEqual({ delete_after_days: { '@@assign': '7' } });
    expect(content.plans.DailyBackups.selections.tags.TaggedResources.iam_role_arn).toEqual({ '@@assign': 'arn:aws:iam::$account:role/BackupRole' });
  });

  test('name prefix goes before every policy name', () => {
    const { org } = create({ policyNamePrefix: 'ssd-', regionRestriction: { policyName: 'UkOnly' } });

    expect(org.policies.map((policy) => policy.name)).toEqual([
      'ssd-UkOnly',
      'ssd-DenyLeavingOrganization',
      'ssd-ProtectSecurityServices',
      'ssd-DenyRootUser',
      'ssd-RequireEncryption',
      'ssd-MandatoryTags',
      'ssd-DailyBackups',
    ]);
  });

  test('policies are exposed', () => {
    const { org } = create();

    expect(org.policies.map((policy) => policy.name)).toEqual([
      'DenyRegionsOutsideUk',
      'DenyLeavingOrganization',
      'ProtectSecurityServices',
      'DenyRootUser',
      'RequireEncryption',
      'MandatoryTags',
      'DailyBackups',
    ]);
  });
});

describe('PlatformOrganisation.attachPolicy', () => {
  const extraScp = () => GuardrailPolicy.fromJson({
    policyName: 'DenyBedrock',
    type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'bedrock:*', Resource: '*' }] }),
  });

  test('policy is attached to the given OUs', () => {
    const { stack, org } = create();
    org.attachPolicy('DenyBedrock', extraScp(), [PolicyTarget.PRODUCTION, PolicyTarget.NON_PRODUCTION]);
    const template = Template.fromStack(stack);

    expect(policyNamed(template, 'DenyBedrock').TargetIds).toEqual([ouRef(template, 'Production'), ouRef(template, 'NonProduction')]);
  });

  test('sixth SCP on the root is rejected', () => {
    const { org } = create();

    expect(() => org.attachPolicy('DenyBedrock', extraScp(), [PolicyTarget.ROOT]))
      .toThrow(/PolicyTarget\.ROOT already has 5 policies of type SERVICE_CONTROL_POLICY attached \(FullAWSAccess, DenyRegionsOutsideUk, DenyLeavingOrganization, ProtectSecurityServices, DenyRootUser\), and AWS Organizations allows at most 5 per root, OU or account, counting FullAWSAccess/);
  });

  test('fifth SCP on an OU is accepted', () => {
    const { org } = create();
    for (const index of [1, 2]) {
      org.attachPolicy(`Extra${index}`, GuardrailPolicy.fromJson({
        policyName: `Extra${index}`,
        type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
        content: '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*"}]}',
      }), [PolicyTarget.SECURITY]);
    }

    expect(() => org.attachPolicy('DenyBedrock', extraScp(), [PolicyTarget.SECURITY])).not.toThrow();
    expect(() => org.attachPolicy('Another', GuardrailPolicy.denyRootUser({ policyName: 'Another' }), [PolicyTarget.SECURITY]))
      .toThrow(/PolicyTarget\.SECURITY already has 5 policies/);
  });

  test('tag policies count separately', () => {
    const { org } = create();

    expect(() => org.attachPolicy('MoreTags', GuardrailPolicy.mandatoryTags({ policyName: 'MoreTags' }), [PolicyTarget.ROOT])).not.toThrow();
  });

  test('duplicate policy name is rejected', () => {
    const { org } = create();

    expect(() => org.attachPolicy('Again', GuardrailPolicy.denyRootUser(), [PolicyTarget.PRODUCTION]))
      .toThrow(/A policy named "DenyRootUser" is already attached by Management\/Organisation/);
  });

  test('used construct ID is rejected', () => {
    const { org } = create();

    expect(() => org.attachPolicy('SecurityOu', extraScp(), [PolicyTarget.PRODUCTION]))
      .toThrow(/id "SecurityOu" is already used by another construct in Management\/Organisation/);
  });

  test('CDK execution role pattern is accepted', () => {
    expect(() => create({
      securityServicesProtection: { securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/cdk-*-cfn-exec-role-*'] },
    })).not.toThrow();
  });

  test('empty targets are rejected', () => {
    const { org } = create();

    expect(() => org.attachPolicy('DenyBedrock', extraScp(), [])).toThrow(/targets is empty, so the policy would apply to no account/);
  });

  test('unknown target is rejected', () => {
    const { org } = create();

    expect(() => org.attachPolicy('DenyBedrock', extraScp(), ['SANDBOX' as PolicyTarget]))
      .toThrow(/targets contains "SANDBOX", which is not a policy target/);
  });

  test('policy that is not a GuardrailPolicy is rejected', () => {
    const { org } = create();

    expect(() => org.attachPolicy('Raw', { policyName: 'Raw' } as any, [PolicyTarget.PRODUCTION]))
      .toThrow(/policy is \{"policyName":"Raw"\}, which is not a GuardrailPolicy/);
  });
});

describe('PlatformOrganisation validation', () => {
  test('malformed root ID is rejected', () => {
    expect(() => create({ rootId: 'root' })).toThrow(/rootId is "root", which is not the ID of an organization root/);
  });

  test('account ID as root ID is rejected', () => {
    expect(() => create({ rootId: MANAGEMENT_ACCOUNT })).toThrow(/rootId is "111122223333", which is not the ID of an organization root/);
  });

  test('invalid email is rejected', () => {
    expect(() => create({ accounts: [{ ...ACCOUNTS[0], email: 'security.example.gov.uk' }] }))
      .toThrow(/accounts\[0\]\.email is "security\.example\.gov\.uk", which is not an email address AWS Organizations accepts/);
  });

  test('email over 64 characters is rejected', () => {
    expect(() => create({ accounts: [{ ...ACCOUNTS[0], email: `${'a'.repeat(60)}@example.gov.uk` }] }))
      .toThrow(/accounts\[0\]\.email .* which is not an email address/);
  });

  test('email token is accepted', () => {
    expect(() => create({ accounts: [{ ...ACCOUNTS[0], email: Token.asString({ Ref: 'SecurityEmail' }) }] })).not.toThrow();
  });

  test('duplicate email is rejected', () => {
    expect(() => create({ accounts: [ACCOUNTS[0], { ...ACCOUNTS[1], email: 'AWS-Security@example.gov.uk' }] }))
      .toThrow(/accounts\[1\]\.email "AWS-Security@example\.gov\.uk" is also the email of accounts\[0\]/);
  });

  test('duplicate account name is rejected', () => {
    expect(() => create({ accounts: [ACCOUNTS[2], { ...ACCOUNTS[3], accountName: 'production' }] }))
      .toThrow(/accounts\[1\]\.accountName "production" is the same as accounts\[0\]\.accountName/);
  });

  test('long account name is rejected', () => {
    expect(() => create({ accounts: [{ ...ACCOUNTS[0], accountName: 'a'.repeat(51) }] }))
      .toThrow(/accounts\[0\]\.accountName is "a+"\. AWS Organizations accepts account names of 1 to 50/);
  });

  test('unknown OU is rejected', () => {
    expect(() => create({ accounts: [{ ...ACCOUNTS[0], organizationalUnit: 'SANDBOX' as PlatformOrganizationalUnit }] }))
      .toThrow(/accounts\[0\]\.organizationalUnit is "SANDBOX", which is not an organizational unit of the platform/);
  });

  test('invalid access role name is rejected', () => {
    expect(() => create({ accounts: [{ ...ACCOUNTS[0], roleName: 'Org Access' }] }))
      .toThrow(/accounts\[0\]\.roleName is "Org Access", which is not an IAM role name/);
  });

  test('sibling OUs with one name are rejected', () => {
    expect(() => create({ organizationalUnitNames: { production: 'Live', nonProduction: 'Live' } }))
      .toThrow(/organizationalUnitNames\.nonProduction and organizationalUnitNames\.production are both "Live"/);
  });

  test('child OU may share a top-level name', () => {
    expect(() => create({ organizationalUnitNames: { production: 'Security' } })).not.toThrow();
  });

  test('empty OU name is rejected', () => {
    expect(() => create({ organizationalUnitNames: { security: ' ' } }))
      .toThrow(/organizationalUnitNames\.security is " "\. AWS Organizations accepts organizational unit names of 1 to 128/);
  });

  test('missing security protection is rejected', () => {
    expect(() => create({ securityServicesProtection: undefined })).toThrow(/securityServicesProtection is missing/);
  });

  test('missing backup policy is rejected', () => {
    expect(() => create({ backupPolicy: undefined })).toThrow(/backupPolicy is missing/);
  });

  test('region outside the UK is rejected with its prop path', () => {
    expect(() => create({ regionRestriction: { allowedRegions: ['us-east-1'] } }))
      .toThrow(/regionRestriction\.allowedRegions contains "us-east-1", which is outside the UK/);
  });

  test('backup region outside the UK is rejected with its prop path', () => {
    expect(() => create({ backupPolicy: { ...BASE_PROPS.backupPolicy, regions: ['eu-west-1'] } }))
      .toThrow(/backupPolicy\.regions contains "eu-west-1", which is outside the UK/);
  });

  test('clashing policy names are rejected', () => {
    expect(() => create({ regionRestriction: { policyName: 'DenyRootUser' } })).toThrow(/Two policies are named "DenyRootUser"/);
  });

  test('oversized policy is rejected with its prop path', () => {
    const patterns = Array.from({ length: 120 }, (_, index) => `arn:aws:iam::*:role/platform-administrator-${index}`);

    expect(() => create({ regionRestriction: { exemptRoleArnPatterns: patterns } }))
      .toThrow(/regionRestriction: the service control policy "DenyRegionsOutsideUk" is \d+ characters long/);
  });

  test('long name prefix is rejected', () => {
    expect(() => create({ policyNamePrefix: 'p'.repeat(65) })).toThrow(/policyNamePrefix is "p+"\. Give 1 to 64 printable ASCII characters/);
  });

  test('prefix that makes a name too long is rejected', () => {
    expect(() => create({ policyNamePrefix: 'p'.repeat(64), tagPolicy: { policyName: 't'.repeat(100) } }))
      .toThrow(/The name prefix "p+" makes the name of the tag policy "t+" 164 characters long.*Shorten the prefix or tagPolicy\.policyName/);
  });

  test('all problems are listed in one error', () => {
    expect(() => create({
      rootId: 'root',
      accounts: [{ ...ACCOUNTS[0], email: 'nobody' }],
      regionRestriction: { allowedRegions: ['eu-west-1'] },
      securityServicesProtection: { securityAdminRoleArnPatterns: [] },
      backupPolicy: { backupVaultName: 'x', backupRoleName: 'BackupRole' },
    })).toThrow(new RegExp([
      'Invalid PlatformOrganisation props at Management/Organisation:',
      '  - rootId is "root"',
      '  - accounts\\[0\\]\\.email is "nobody"',
      '  - regionRestriction\\.allowedRegions contains "eu-west-1"',
      '  - securityServicesProtection\\.securityAdminRoleArnPatterns is empty',
      '  - backupPolicy\\.backupVaultName is "x"',
    ].map((line) => `${line}.*`).join('\n')));
  });

  test('props that are not an object are rejected', () => {
    expect(() => new PlatformOrganisation(newStack(), 'Organisation', 'r-a1b2' as any)).toThrow(/props is "r-a1b2"/);
  });
});

describe('PlatformOrganisation cdk-nag', () => {
  test('no cdk-nag errors remain', () => {
    const stack = newStack(new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    new PlatformOrganisation(stack, 'Organisation', { ...BASE_PROPS, accounts: ACCOUNTS });
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
