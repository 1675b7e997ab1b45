import { App, Aspects, RemovalPolicy, Stack, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import {
  DelegatedAdministration,
  DelegatedAdministrationProps,
  DelegatedService,
  GuardrailPolicyType,
  PlatformOrganisation,
  PlatformOrganizationalUnit,
} from '../src';
import { MAX_ROLE_INLINE_POLICY_CHARACTERS, estimateInlinePolicyCharacters } from '../src/private/inline-policy-size';

const MANAGEMENT_ACCOUNT = '111122223333';
const SECURITY_ACCOUNT = '222233334444';
const ROOT_ID = 'r-a1b2';
const BASE_PROPS: DelegatedAdministrationProps = { securityAccountId: SECURITY_ACCOUNT, rootId: ROOT_ID };

function newStack(region = 'eu-west-2', app = new App()): Stack {
  return new Stack(app, 'Management', { env: { account: MANAGEMENT_ACCOUNT, region } });
}

function synth(props: Partial<DelegatedAdministrationProps> = {}, stack: Stack = newStack()): Template {
  new DelegatedAdministration(stack, 'Delegated', { ...BASE_PROPS, ...props });
  return Template.fromStack(stack);
}

/** Parses an AwsCustomResource call, with each reference replaced by the logical ID it refers to. */
function sdkCall(value: unknown): Record<string, any> {
  if (typeof value === 'string') {
    return JSON.parse(value);
  }
  const parts = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return JSON.parse(parts.map((part) => {
    if (typeof part === 'string') {
      return part;
    }
    const reference = part as { 'Ref'?: string; 'Fn::GetAtt'?: string[] };
    return reference.Ref ?? reference['Fn::GetAtt']!.join('.');
  }).join(''));
}

/** Returns the logical ID, create call and delete call of every custom resource of a type, in template order. */
function calls(template: Template, type: string): Array<{ id: string; create: Record<string, any>; remove?: Record<string, any> }> {
  return Object.entries(template.findResources(type)).map(([id, resource]) => ({
    id,
    create: sdkCall(resource.Properties.Create),
    remove: resource.Properties.Delete === undefined ? undefined : sdkCall(resource.Properties.Delete),
  }));
}

/** Returns the only custom resource of a type. */
function onlyCall(template: Template, type: string) {
  const found = calls(template, type);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Returns the statements of the policy of the custom resource with the given construct ID. */
function statementsOf(template: Template, constructId: string): Array<Record<string, any>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy', {
    Properties: { PolicyName: Match.stringLikeRegexp(`^Delegated${constructId}CustomResourcePolicy`) },
  }));
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function actionsOf(statements: Array<Record<string, any>>): string[] {
  return statements.flatMap((statement) => [statement.Action].flat());
}

/** Returns the logical IDs of the steps that make AWS API calls or designations, in dependency order. */
function orderedSteps(template: Template): string[] {
  const resources = template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>;
  const steps = Object.keys(resources).filter((id) =>
    resources[id].Type.startsWith('Custom::') || resources[id].Type === 'AWS::SecurityHub::DelegatedAdmin');
  return [...steps].sort((a, b) => {
    if ((resources[b].DependsOn ?? []).includes(a)) {
      return -1;
    }
    return (resources[a].DependsOn ?? []).includes(b) ? 1 : 0;
  });
}

function warnings(stack: Stack): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('.*')).map((warning) => String(warning.entry.data));
}

describe('DelegatedAdministration defaults', () => {
  test('enables the three policy types on the root', () => {
    const types = calls(synth(), 'Custom::OrganizationsPolicyType').map((call) => call.create);

    expect(types).toEqual(['SERVICE_CONTROL_POLICY', 'TAG_POLICY', 'BACKUP_POLICY'].map((policyType) => ({
      service: 'Organizations',
      action: 'enablePolicyType',
      parameters: { RootId: ROOT_ID, PolicyType: policyType },
      physicalResourceId: { id: `${ROOT_ID}-${policyType}` },
      ignoreErrorCodesMatching: '^PolicyTypeAlreadyEnabledException$',
    })));
  });

  test('policy type permission covers only the root and the type', () => {
    expect(statementsOf(synth(), 'TagPolicyType')).toEqual([{
      Action: 'organizations:EnablePolicyType',
      Effect: 'Allow',
      Condition: { StringEquals: { 'organizations:PolicyType': 'TAG_POLICY' } },
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:organizations::${MANAGEMENT_ACCOUNT}:root/o-*/${ROOT_ID}`]] },
    }]);
  });

  test('enables trusted access the services do not enable themselves', () => {
    const principals = calls(synth(), 'Custom::OrganizationsTrustedAccess').map((call) => call.create.parameters.ServicePrincipal);

    expect(principals).toEqual([
      'malware-protection.guardduty.amazonaws.com',
      'securityhub.amazonaws.com',
      'access-analyzer.amazonaws.com',
      'config.amazonaws.com',
      'config-multiaccountsetup.amazonaws.com',
      'cloudtrail.amazonaws.com',
    ]);
  });

  test('trusted access calls need no error handling', () => {
    for (const call of calls(synth(), 'Custom::OrganizationsTrustedAccess')) {
      expect(call.create).toEqual({
        service: 'Organizations',
        action: 'enableAWSServiceAccess',
        parameters: { ServicePrincipal: call.create.parameters.ServicePrincipal },
        physicalResourceId: { id: `trusted-access-${call.create.parameters.ServicePrincipal}` },
      });
    }
  });

  test('trusted access permission names one service principal', () => {
    expect(statementsOf(synth(), 'ConfigTrustedAccess')).toEqual([{
      Action: 'organizations:EnableAWSServiceAccess',
      Effect: 'Allow',
      Condition: { StringEquals: { 'organizations:ServicePrincipal': 'config.amazonaws.com' } },
      Resource: '*',
    }]);
  });

  test('GuardDuty is designated with its own API', () => {
    const call = onlyCall(synth(), 'Custom::GuardDutyOrganizationAdminAccount');

    expect(call.create).toEqual({
      service: 'GuardDuty',
      action: 'enableOrganizationAdminAccount',
      parameters: { AdminAccountId: SECURITY_ACCOUNT },
      physicalResourceId: { id: `guardduty-administrator-${SECURITY_ACCOUNT}` },
      ignoreErrorCodesMatching: '^BadRequestException$',
    });
  });

  test('GuardDuty permissions follow its documented set', () => {
    const statements = statementsOf(synth(), 'GuardDutyAdministrator');

    expect(actionsOf(statements).sort()).toEqual([
      'guardduty:EnableOrganizationAdminAccount',
      'organizations:DescribeAccount',
      'organizations:DescribeOrganization',
      'organizations:DescribeOrganizationalUnit',
      'organizations:EnableAWSServiceAccess',
      'organizations:ListAWSServiceAccessForOrganization',
      'organizations:ListAccounts',
      'organizations:ListDelegatedAdministrators',
      'organizations:RegisterDelegatedAdministrator',
    ]);
    expect(statements).toContainEqual({
      Action: 'organizations:RegisterDelegatedAdministrator',
      Effect: 'Allow',
      Condition: {
        StringEquals: { 'organizations:ServicePrincipal': ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'] },
      },
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:organizations::${MANAGEMENT_ACCOUNT}:account/o-*/${SECURITY_ACCOUNT}`]] },
    });
  });

  test('Inspector is designated with its own API', () => {
    const call = onlyCall(synth(), 'Custom::InspectorDelegatedAdminAccount');

    expect(call.create).toEqual({
      service: 'Inspector2',
      action: 'enableDelegatedAdminAccount',
      parameters: { delegatedAdminAccountId: SECURITY_ACCOUNT },
      physicalResourceId: { id: `inspector-administrator-${SECURITY_ACCOUNT}` },
      ignoreErrorCodesMatching: '^ConflictException$',
    });
    expect(actionsOf(statementsOf(synth(), 'InspectorAdministrator'))).toContain('inspector2:EnableDelegatedAdminAccount');
  });

  test('Macie is designated with its own API', () => {
    const call = onlyCall(synth(), 'Custom::MacieOrganizationAdminAccount');

    expect(call.create).toEqual({
      service: 'Macie2',
      action: 'enableOrganizationAdminAccount',
      parameters: { adminAccountId: SECURITY_ACCOUNT },
      physicalResourceId: { id: `macie-administrator-${SECURITY_ACCOUNT}` },
      ignoreErrorCodesMatching: '^ConflictException$',
    });
    expect(actionsOf(statementsOf(synth(), 'MacieAdministrator'))).toContain('macie2:EnableOrganizationAdminAccount');
  });

  test('Security Hub uses its CloudFormation resource', () => {
    const template = synth();

    template.resourceCountIs('AWS::SecurityHub::DelegatedAdmin', 1);
    template.hasResource('AWS::SecurityHub::DelegatedAdmin', {
      Properties: { AdminAccountId: SECURITY_ACCOUNT },
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('Access Analyzer and AWS Config are registered in AWS Organizations', () => {
    const registrations = calls(synth(), 'Custom::OrganizationsDelegatedAdministrator').map((call) => call.create);

    expect(registrations).toEqual(['access-analyzer.amazonaws.com', 'config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com']
      .map((principal) => ({
        service: 'Organizations',
        action: 'registerDelegatedAdministrator',
        parameters: { AccountId: SECURITY_ACCOUNT, ServicePrincipal: principal },
        physicalResourceId: { id: `${principal}-administrator-${SECURITY_ACCOUNT}` },
        ignoreErrorCodesMatching: '^AccountAlreadyRegisteredException$',
      })));
  });

  test('registration permission covers only the Security account', () => {
    expect(statementsOf(synth(), 'AccessAnalyzerAdministrator')).toEqual([{
      Action: 'organizations:RegisterDelegatedAdministrator',
      Effect: 'Allow',
      Condition: { StringEquals: { 'organizations:ServicePrincipal': 'access-analyzer.amazonaws.com' } },
      Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:organizations::${MANAGEMENT_ACCOUNT}:account/o-*/${SECURITY_ACCOUNT}`]] },
    }]);
  });

  test('CloudTrail gets trusted access for the organisation trail but is not designated', () => {
    const template = synth();

    template.resourceCountIs('Custom::CloudTrailOrganizationDelegatedAdmin', 0);
    expect(calls(template, 'Custom::OrganizationsTrustedAccess').map((call) => call.create.parameters.ServicePrincipal))
      .toContain('cloudtrail.amazonaws.com');
  });

  test('organisationTrailAccess false leaves CloudTrail without trusted access', () => {
    const template = synth({ organisationTrailAccess: false });

    expect(calls(template, 'Custom::OrganizationsTrustedAccess').map((call) => call.create.parameters.ServicePrincipal))
      .not.toContain('cloudtrail.amazonaws.com');
  });

  test('organisationTrailAccess that is not a boolean is rejected', () => {
    expect(() => synth({ organisationTrailAccess: 'yes' as unknown as boolean })).toThrow(
      /organisationTrailAccess is "yes"; use true or false, or leave it out to enable trusted access for CloudTrail\./);
  });

  test('designations are kept when deleted', () => {
    const template = synth();

    for (const type of [
      'Custom::GuardDutyOrganizationAdminAccount',
      'Custom::InspectorDelegatedAdminAccount',
      'Custom::MacieOrganizationAdminAccount',
      'Custom::OrganizationsDelegatedAdministrator',
    ]) {
      expect(calls(template, type).map((call) => call.remove)).not.toContainEqual(expect.anything());
    }
    const allActions = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => actionsOf(policy.Properties.PolicyDocument.Statement));
    expect(allActions.filter((action) => /Deregister|Disable/.test(action))).toEqual([]);
  });

  test('each call waits for the one before', () => {
    const steps = orderedSteps(synth());

    expect(steps.map((id) => id.replace(/^Delegated/, '').replace(/[0-9A-F]{8}$/, ''))).toEqual([
      'ServiceControlPolicyType',
      'TagPolicyType',
      'BackupPolicyType',
      'GuardDutyMalwareProtectionTrustedAccess',
      'SecurityHubTrustedAccess',
      'AccessAnalyzerTrustedAccess',
      'ConfigTrustedAccess',
      'ConfigMultiAccountSetupTrustedAccess',
      'CloudTrailTrustedAccess',
      'ResourceSharingWithOrganization',
      'GuardDutyAdministrator',
      'GuardDutyAdministratorLookup',
      'SecurityHubAdministrator',
      'InspectorAdministrator',
      'InspectorAdministratorLookup',
      'MacieAdministrator',
      'MacieAdministratorLookup',
      'AccessAnalyzerAdministrator',
      'ConfigAdministrator',
      'ConfigMultiAccountSetupAdministrator',
    ]);
    const resources = synth().toJSON().Resources;
    steps.slice(1).forEach((id, index) => expect(resources[id].DependsOn).toContain(steps[index]));
  });

  test('designations that ignore a shared error code are checked', () => {
    const template = synth();
    const lookups = calls(template, 'Custom::OrganizationsDelegatedAdministratorLookup');

    expect(lookups.map((lookup) => lookup.create)).toEqual(['guardduty.amazonaws.com', 'inspector2.amazonaws.com', 'macie.amazonaws.com']
      .map((principal) => ({
        service: 'Organizations',
        action: 'listDelegatedAdministrators',
        parameters: { ServicePrincipal: principal },
        physicalResourceId: { id: `${principal}-administrator-lookup-${SECURITY_ACCOUNT}` },
        outputPaths: ['DelegatedAdministrators.0.Id'],
      })));
    template.resourceCountIs('AWS::SSM::Parameter', 3);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Type: 'String',
      AllowedPattern: `^${SECURITY_ACCOUNT}$`,
      Value: { 'Fn::GetAtt': [lookups[0].id, 'DelegatedAdministrators.0.Id'] },
    });
  });

  test('lookup permission names one service principal', () => {
    expect(statementsOf(synth(), 'MacieAdministratorLookup')).toEqual([{
      Action: 'organizations:ListDelegatedAdministrators',
      Effect: 'Allow',
      Condition: { StringEquals: { 'organizations:ServicePrincipal': 'macie.amazonaws.com' } },
      Resource: '*',
    }]);
  });

  test('calls use the SDK of the Lambda runtime', () => {
    const template = synth();
    const custom = Object.values(template.toJSON().Resources as Record<string, any>)
      .filter((resource) => resource.Type.startsWith('Custom::'));

    expect(custom.length).toBeGreaterThan(0);
    for (const resource of custom) {
      expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
    }
  });

  test('exposes the Security account', () => {
    const delegated = new DelegatedAdministration(newStack(), 'Delegated', BASE_PROPS);

    expect(delegated.securityAccountId).toBe(SECURITY_ACCOUNT);
  });
});

describe('DelegatedAdministration order with the organisation', () => {
  const ORGANISATION_PROPS = {
    rootId: ROOT_ID,
    securityServicesProtection: { securityAdminRoleArnPatterns: ['arn:aws:iam::*:role/SecurityAdministrator'] },
    backupPolicy: { backupVaultName: 'platform-backups', backupRoleName: 'service-role/AWSBackupDefaultServiceRole' },
  };

  test('policies wait for the policy types', () => {
    const stack = newStack();
    const delegated = new DelegatedAdministration(stack, 'Delegated', BASE_PROPS);
    const organisation = new PlatformOrganisation(stack, 'Organisation', ORGANISATION_PROPS);
    organisation.node.addDependency(delegated.policyTypesEnabled);

    const template = Template.fromStack(stack);
    const policyTypes = calls(template, 'Custom::OrganizationsPolicyType').map((call) => call.id);
    const policies = Object.values(template.findResources('AWS::Organizations::Policy'));
    expect(policies).toHaveLength(7);
    for (const policy of policies) {
      expect(policy.DependsOn).toEqual(expect.arrayContaining(policyTypes));
    }
  });

  test('policies can wait for every step', () => {
    const stack = newStack();
    const delegated = new DelegatedAdministration(stack, 'Delegated', BASE_PROPS);
    const organisation = new PlatformOrganisation(stack, 'Organisation', ORGANISATION_PROPS);
    organisation.node.addDependency(delegated);

    const template = Template.fromStack(stack);
    const [securityHub] = Object.keys(template.findResources('AWS::SecurityHub::DelegatedAdmin'));
    for (const policy of Object.values(template.findResources('AWS::Organizations::Policy'))) {
      expect(policy.DependsOn).toContain(securityHub);
    }
  });

  test('accepts the account the organisation creates', () => {
    const stack = newStack();
    const organisation = new PlatformOrganisation(stack, 'Organisation', {
      ...ORGANISATION_PROPS,
      accounts: [{ accountName: 'Security', email: 'aws-security@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.SECURITY }],
    });
    const delegated = new DelegatedAdministration(stack, 'Delegated', { ...BASE_PROPS, securityAccountId: organisation.accountId('Security') });
    organisation.node.addDependency(delegated.policyTypesEnabled);

    const template = Template.fromStack(stack);
    const [account] = Object.keys(template.findResources('AWS::Organizations::Account'));
    const guardDuty = onlyCall(template, 'Custom::GuardDutyOrganizationAdminAccount');
    expect(guardDuty.create.parameters.AdminAccountId).toBe(`${account}.AccountId`);
    template.hasResourceProperties('AWS::SecurityHub::DelegatedAdmin', { AdminAccountId: { 'Fn::GetAtt': [account, 'AccountId'] } });
    // The account waits for the policy types only, so it does not wait for its own designation.
    expect(template.toJSON().Resources[account].DependsOn).not.toContain(guardDuty.id);
  });
  test('circular dependency on the account is reported', () => {
    const app = new App();
    const stack = newStack('eu-west-2', app);
    const organisation = new PlatformOrganisation(stack, 'Organisation', {
      ...ORGANISATION_PROPS,
      accounts: [{ accountName: 'Security', email: 'aws-security@example.gov.uk', organizationalUnit: PlatformOrganizationalUnit.SECURITY }],
    });
    const delegated = new DelegatedAdministration(stack, 'Delegated', { ...BASE_PROPS, securityAccountId: organisation.accountId('Security') });
    organisation.node.addDependency(delegated);

    expect(() => app.synth()).toThrow(new RegExp('\\[Management/Delegated\\] securityAccountId refers to '
      + 'Management/Organisation/AccountSecurity, which waits for the designations of this construct, so the stack has a circular dependency\\. '
      + 'Make only the policies wait for the policy types'));
  });
});

describe('DelegatedAdministration overrides', () => {
  test('designates only the listed services', () => {
    const template = synth({ services: [DelegatedService.CONFIG], organisationTrailAccess: false });

    expect(calls(template, 'Custom::OrganizationsTrustedAccess').map((call) => call.create.parameters.ServicePrincipal))
      .toEqual(['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com']);
    expect(calls(template, 'Custom::OrganizationsDelegatedAdministrator').map((call) => call.create.parameters.ServicePrincipal))
      .toEqual(['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com']);
    template.resourceCountIs('Custom::GuardDutyOrganizationAdminAccount', 0);
    template.resourceCountIs('AWS::SecurityHub::DelegatedAdmin', 0);
    template.resourceCountIs('AWS::SSM::Parameter', 0);
  });

  test('services follow a fixed order', () => {
    const services = [DelegatedService.MACIE, DelegatedService.GUARDDUTY, DelegatedService.MACIE];
    const template = synth({ services, organisationTrailAccess: false });
    const steps = orderedSteps(template).map((id) => id.replace(/^Delegated/, '').replace(/[0-9A-F]{8}$/, ''));

    expect(steps.slice(3)).toEqual([
      'GuardDutyMalwareProtectionTrustedAccess',
      'ResourceSharingWithOrganization',
      'GuardDutyAdministrator',
      'GuardDutyAdministratorLookup',
      'MacieAdministrator',
      'MacieAdministratorLookup',
    ]);
  });

  test('CloudTrail is designated when listed', () => {
    const template = synth({ services: [DelegatedService.CLOUDTRAIL] });

    expect(onlyCall(template, 'Custom::OrganizationsTrustedAccess').create.parameters.ServicePrincipal).toBe('cloudtrail.amazonaws.com');
    expect(onlyCall(template, 'Custom::CloudTrailOrganizationDelegatedAdmin').create).toEqual({
      service: 'CloudTrail',
      action: 'registerOrganizationDelegatedAdmin',
      parameters: { MemberAccountId: SECURITY_ACCOUNT },
      physicalResourceId: { id: `cloudtrail-administrator-${SECURITY_ACCOUNT}` },
      ignoreErrorCodesMatching: '^AccountRegisteredException$',
    });
  });

  test('CloudTrail may create only its own service-linked role', () => {
    const statements = statementsOf(synth({ services: [DelegatedService.CLOUDTRAIL] }), 'CloudTrailAdministrator');

    expect(statements).toContainEqual({
      Action: 'iam:CreateServiceLinkedRole',
      Effect: 'Allow',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'cloudtrail.amazonaws.com' } },
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
          `:iam::${MANAGEMENT_ACCOUNT}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`]],
      },
    });
  });

  test('empty services enables policy types only', () => {
    const template = synth({ services: [], organisationTrailAccess: false, organisationResourceSharing: false });

    expect(orderedSteps(template)).toHaveLength(3);
    template.resourceCountIs('Custom::OrganizationsPolicyType', 3);
  });

  test('enables only the listed policy types', () => {
    const template = synth({ policyTypes: [GuardrailPolicyType.TAG_POLICY] });

    expect(calls(template, 'Custom::OrganizationsPolicyType').map((call) => call.create.parameters.PolicyType)).toEqual(['TAG_POLICY']);
  });

  test('empty policy types enables none', () => {
    const template = synth({ policyTypes: [] });

    template.resourceCountIs('Custom::OrganizationsPolicyType', 0);
    expect(orderedSteps(template)[0]).toMatch(/^DelegatedGuardDutyMalwareProtectionTrustedAccess/);
  });

  test('destroy deregisters through each service', () => {
    const template = synth({ services: Object.values(DelegatedService), removalPolicy: RemovalPolicy.DESTROY });

    expect(onlyCall(template, 'Custom::GuardDutyOrganizationAdminAccount').remove).toEqual({
      service: 'GuardDuty', action: 'disableOrganizationAdminAccount', parameters: { AdminAccountId: SECURITY_ACCOUNT },
    });
    expect(onlyCall(template, 'Custom::InspectorDelegatedAdminAccount').remove).toEqual({
      service: 'Inspector2', action: 'disableDelegatedAdminAccount', parameters: { delegatedAdminAccountId: SECURITY_ACCOUNT },
    });
    expect(onlyCall(template, 'Custom::MacieOrganizationAdminAccount').remove).toEqual({
      service: 'Macie2', action: 'disableOrganizationAdminAccount', parameters: { adminAccountId: SECURITY_ACCOUNT },
    });
    expect(onlyCall(template, 'Custom::CloudTrailOrganizationDelegatedAdmin').remove).toEqual({
      service: 'CloudTrail',
      action: 'deregisterOrganizationDelegatedAdmin',
      parameters: { DelegatedAdminAccountId: SECURITY_ACCOUNT },
      ignoreErrorCodesMatching: '^AccountNotRegisteredException$',
    });
    for (const call of calls(template, 'Custom::OrganizationsDelegatedAdministrator')) {
      expect(call.remove).toEqual({
        service: 'Organizations',
        action: 'deregisterDelegatedAdministrator',
        parameters: call.create.parameters,
        ignoreErrorCodesMatching: '^AccountNotRegisteredException$',
      });
    }
    template.hasResource('AWS::SecurityHub::DelegatedAdmin', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
  });

  test('destroy keeps policy types and trusted access', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    for (const type of ['Custom::OrganizationsPolicyType', 'Custom::OrganizationsTrustedAccess']) {
      expect(calls(template, type).map((call) => call.remove)).not.toContainEqual(expect.anything());
    }
  });

  test('destroy adds the deregistration permissions', () => {
    const template = synth({ removalPolicy: RemovalPolicy.DESTROY });

    expect(actionsOf(statementsOf(template, 'GuardDutyAdministrator'))).toEqual(expect.arrayContaining([
      'guardduty:DisableOrganizationAdminAccount', 'organizations:DeregisterDelegatedAdministrator',
    ]));
    expect(actionsOf(statementsOf(template, 'ConfigAdministrator'))).toEqual([
      'organizations:RegisterDelegatedAdministrator', 'organizations:DeregisterDelegatedAdministrator',
    ]);
  });

  test('accepts a root ID token', () => {
    const stack = newStack();
    const roots = new cr.AwsCustomResource(stack, 'RootLookup', {
      onUpdate: { service: 'Organizations', action: 'listRoots', physicalResourceId: cr.PhysicalResourceId.of('root') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    const template = synth({ rootId: roots.getResponseField('Roots.0.Id') }, stack);

    expect(calls(template, 'Custom::OrganizationsPolicyType')[0].create.parameters.RootId).toMatch(/^RootLookup[0-9A-F]{8}\.Roots\.0\.Id$/);
  });

  test('environment-agnostic stack is accepted', () => {
    const stack = new Stack(new App(), 'Agnostic');

    expect(() => synth({}, stack)).not.toThrow();
    expect(warnings(stack)).toEqual([]);
  });
});

describe('DelegatedAdministration resource sharing', () => {
  test('enables resource sharing with AWS Organizations in AWS RAM by default', () => {
    const call = onlyCall(synth(), 'Custom::RamSharingWithOrganization');

    expect(call.create).toEqual({
      service: 'RAM',
      action: 'enableSharingWithAwsOrganization',
      physicalResourceId: { id: 'ram-sharing-with-organization' },
    });
    expect(call.remove).toBeUndefined();
  });

  test('trusted access and the service-linked role are limited to AWS RAM', () => {
    const statements = statementsOf(synth(), 'ResourceSharingWithOrganization');

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['ram:EnableSharingWithAwsOrganization', 'organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: 'organizations:EnableAWSServiceAccess',
        Resource: '*',
        Condition: { StringEquals: { 'organizations:ServicePrincipal': 'ram.amazonaws.com' } },
      },
      {
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' },
            `:iam::${MANAGEMENT_ACCOUNT}:role/aws-service-role/ram.amazonaws.com/AWSServiceRoleForResourceAccessManager`]],
        },
        Condition: { StringEquals: { 'iam:AWSServiceName': 'ram.amazonaws.com' } },
      },
    ]);
  });

  test('resource sharing waits for trusted access and comes before the designations', () => {
    const steps = orderedSteps(synth()).map((id) => id.replace(/^Delegated/, '').replace(/[0-9A-F]{8}$/, ''));

    expect(steps.indexOf('ResourceSharingWithOrganization')).toBe(steps.indexOf('CloudTrailTrustedAccess') + 1);
    expect(steps.indexOf('ResourceSharingWithOrganization')).toBe(steps.indexOf('GuardDutyAdministrator') - 1);
  });

  test('organisationResourceSharing false leaves RAM as it is', () => {
    synth({ organisationResourceSharing: false }).resourceCountIs('Custom::RamSharingWithOrganization', 0);
  });
});

describe('DelegatedAdministration warnings', () => {
  test('warns outside the platform region', () => {
    const stack = newStack('us-east-1');
    synth({}, stack);

    Annotations.fromStack(stack).hasWarning('/Management/Delegated', Match.stringLikeRegexp(
      '^GUARDDUTY, SECURITY_HUB, INSPECTOR, MACIE designate the delegated administrator per region, and this stack is in us-east-1.*'
      + '\\[ack: @ssd-platform/security-baseline:delegatedAdministrationRegion\\]$'));
  });

  test('no region warning without regional services', () => {
    const stack = newStack('us-east-1');
    synth({ services: [DelegatedService.CONFIG] }, stack);

    expect(warnings(stack)).toEqual([]);
  });

  test('no warning in the platform region', () => {
    const stack = newStack();
    synth({}, stack);

    expect(warnings(stack)).toEqual([]);
  });
});

describe('DelegatedAdministration provider role size', () => {
  test('every service with destroy fits the role', () => {
    const stack = newStack();
    const delegated = new DelegatedAdministration(stack, 'Delegated', {
      ...BASE_PROPS, services: Object.values(DelegatedService), removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = (delegated.node.findAll().find((construct) => construct instanceof cr.AwsCustomResource) as cr.AwsCustomResource)
      .grantPrincipal as iam.Role;

    const characters = estimateInlinePolicyCharacters(role.node.defaultChild!);
    // Measured at 8,130 characters with aws-cdk-lib 2.257.0; the margin leaves room for other custom resources.
    expect(characters).toBeGreaterThan(7_500);
    expect(characters).toBeLessThan(8_500);
  });

  test('too many inline policies fail synthesis', () => {
    const stack = newStack();
    new DelegatedAdministration(stack, 'Delegated', BASE_PROPS);
    // Another construct's custom resource with a large policy, on the same provider role.
    new cr.AwsCustomResource(stack, 'Other', {
      onCreate: { service: 'STS', action: 'getCallerIdentity', physicalResourceId: cr.PhysicalResourceId.of('other') },
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['sts:GetCallerIdentity'],
        resources: Array.from({ length: 120 }, (_, index) => `arn:aws:iam::${MANAGEMENT_ACCOUNT}:role/role-with-a-long-name-${index}`),
      })]),
      installLatestAwsSdk: false,
    });

    expect(() => Template.fromStack(stack)).toThrow(new RegExp(
      'The inline policies of the role that runs the AwsCustomResources of stack Management contain an estimated \\d+ characters, '
      + `and IAM allows ${MAX_ROLE_INLINE_POLICY_CHARACTERS} per role`));
  });
});

describe('DelegatedAdministration validation', () => {
  test('missing props are reported', () => {
    expect(() => new DelegatedAdministration(newStack(), 'Delegated', undefined as unknown as DelegatedAdministrationProps))
      .toThrow(/props is undefined\. Give at least \{ securityAccountId, rootId \}/);
  });

  test('missing securityAccountId is reported', () => {
    expect(() => synth({ securityAccountId: undefined })).toThrow(/securityAccountId is missing\. Give the 12-digit ID of the Security account/);
  });

  test('securityAccountId must be 12 digits', () => {
    expect(() => synth({ securityAccountId: '2222-3333-4444' }))
      .toThrow(/securityAccountId is "2222-3333-4444", which is not an AWS account ID\. Give the 12-digit ID/);
  });

  test('securityAccountId must be a string', () => {
    expect(() => synth({ securityAccountId: 222233334444 as unknown as string }))
      .toThrow(/securityAccountId is 222233334444, which is not a string/);
  });

  test('securityAccountId must not be the management account', () => {
    expect(() => synth({ securityAccountId: MANAGEMENT_ACCOUNT }))
      .toThrow(/securityAccountId is "111122223333", the account of this stack\. .*AWS rejects the management account as delegated administrator/);
  });

  test('rootId must be a root ID', () => {
    expect(() => synth({ rootId: 'o-a1b2c3d4e5' })).toThrow(/rootId is "o-a1b2c3d4e5", which is not the ID of an organization root/);
  });

  test('services must be a list', () => {
    expect(() => synth({ services: DelegatedService.CONFIG as unknown as DelegatedService[] }))
      .toThrow(/services is the string "CONFIG", but a list is expected/);
  });

  test('services must be DelegatedService values', () => {
    expect(() => synth({ services: ['SHIELD' as DelegatedService] }))
      .toThrow(/services\[0\] is "SHIELD", which is not a DelegatedService\. Use one of DelegatedService\.GUARDDUTY, .*DelegatedService\.CLOUDTRAIL\./);
  });

  test('policyTypes must be GuardrailPolicyType values', () => {
    expect(() => synth({ policyTypes: ['AISERVICES_OPT_OUT_POLICY' as GuardrailPolicyType] }))
      .toThrow(/policyTypes\[0\] is "AISERVICES_OPT_OUT_POLICY", which is not a GuardrailPolicyType/);
  });

  test('services and policyTypes cannot both be empty', () => {
    expect(() => synth({ services: [], policyTypes: [] })).toThrow(/services and policyTypes are both empty, so the construct would do nothing/);
  });

  test('organisationResourceSharing must be a boolean', () => {
    expect(() => synth({ organisationResourceSharing: 'yes' as unknown as boolean }))
      .toThrow(/organisationResourceSharing is "yes"; use true or false, or leave it out to enable resource sharing with AWS Organizations in AWS RAM\./);
  });

  test('removalPolicy must be RETAIN or DESTROY', () => {
    expect(() => synth({ removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(/removalPolicy is "snapshot"\. Use RemovalPolicy\.RETAIN .* or RemovalPolicy\.DESTROY to deregister them/);
  });

  test('all problems are reported at once', () => {
    expect(() => synth({ securityAccountId: '123', rootId: 'root', removalPolicy: RemovalPolicy.SNAPSHOT }))
      .toThrow(new RegExp('^Invalid DelegatedAdministration props at Management/Delegated:\\n  - securityAccountId is "123".*\\n'
        + '  - rootId is "root".*\\n  - removalPolicy is "snapshot".*$'));
  });
});

describe('DelegatedAdministration compliance checks', () => {
  test.each([RemovalPolicy.RETAIN, RemovalPolicy.DESTROY])('no cdk-nag errors remain with %s', (removalPolicy) => {
    const stack = newStack('eu-west-2', new App({ context: RECOMMENDED_FEATURE_FLAGS }));
    synth({ services: Object.values(DelegatedService), removalPolicy }, stack);
    Aspects.of(stack).add(new AwsSolutionsChecks());
    Aspects.of(stack).add(new NIST80053R5Checks());

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('.*'));

    expect(errors.map((error) => `${error.id}: ${error.entry.data}`)).toEqual([]);
  });
});
