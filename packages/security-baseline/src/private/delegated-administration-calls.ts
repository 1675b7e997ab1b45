import { ArnFormat, Stack, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { createServiceLinkedRoleStatement, serviceLinkedRoleArn } from './service-linked-role';

/**
 * The AWS API calls, and the permissions for them, that `DelegatedAdministration` makes
 * through AwsCustomResource in the management account.
 *
 * Every call is safe to repeat: a call whose work is already done either succeeds or
 * fails with an error code that the call ignores. The services are keyed by the values of
 * the public `DelegatedService` enum, which this module does not import, because the
 * public module imports this one.
 */

/** The values of the construct that the calls need. */
export interface CallContext {
  readonly stack: Stack;

  /** The 12-digit ID of the Security account, or a token. */
  readonly accountId: string;

  /** Whether deleting a registration removes the designation. */
  readonly deregister: boolean;
}

/** One AwsCustomResource: the call made on create and update, the call made on delete, and their permissions. */
export interface CallSpec {
  /** The construct ID, unique in the construct. */
  readonly id: string;

  /** The custom resource type, for example `Custom::GuardDutyOrganizationAdminAccount`. */
  readonly resourceType: string;

  /** The call made when the resource is created, and again when its parameters change. */
  readonly call: cr.AwsSdkCall;

  /** The call made when the resource is deleted, if any. */
  readonly onDelete?: cr.AwsSdkCall;

  /** Every permission the calls need. */
  readonly statements: iam.PolicyStatement[];

  /** The reason the statements name a wildcard resource, for the cdk-nag suppression. */
  readonly wildcardReason: string;
}

/** A designation made through an AWS API, with the service principal to check afterwards, if any. */
export interface RegistrationSpec extends CallSpec {
  /**
   * The service principal whose delegated administrator AWS Organizations lists after the
   * call. Set when the call ignores an error code that also covers other failures, so that
   * a failed designation is still found.
   */
  readonly checkedPrincipal?: string;
}

/**
 * The service principals for which the management account enables trusted access with
 * `EnableAWSServiceAccess`, by service.
 *
 * GuardDuty, Inspector and Macie enable their own trusted access when they designate the
 * delegated administrator, and AWS recommends letting the service do it, so their main
 * principals are absent. GuardDuty Malware Protection is enabled separately, so that the
 * GuardDuty administrator can create its service-linked role in member accounts. Security
 * Hub's CloudFormation resource needs trusted access before it designates.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services_list.html
 */
export const TRUSTED_ACCESS_PRINCIPALS: Record<string, string[]> = {
  GUARDDUTY: ['malware-protection.guardduty.amazonaws.com'],
  SECURITY_HUB: ['securityhub.amazonaws.com'],
  INSPECTOR: [],
  MACIE: [],
  ACCESS_ANALYZER: ['access-analyzer.amazonaws.com'],
  CONFIG: ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com'],
  CLOUDTRAIL: ['cloudtrail.amazonaws.com'],
};

/** The construct ID prefix of each service principal's trusted access resource. */
const PRINCIPAL_IDS: Record<string, string> = {
  'malware-protection.guardduty.amazonaws.com': 'GuardDutyMalwareProtection',
  'securityhub.amazonaws.com': 'SecurityHub',
  'access-analyzer.amazonaws.com': 'AccessAnalyzer',
  'config.amazonaws.com': 'Config',
  'config-multiaccountsetup.amazonaws.com': 'ConfigMultiAccountSetup',
  'cloudtrail.amazonaws.com': 'CloudTrail',
};

/** The construct ID prefix of each policy type's resource. */
const POLICY_TYPE_IDS: Record<string, string> = {
  SERVICE_CONTROL_POLICY: 'ServiceControlPolicy',
  TAG_POLICY: 'TagPolicy',
  BACKUP_POLICY: 'BackupPolicy',
};

/**
 * The read-only AWS Organizations actions that GuardDuty, Inspector and Macie make with the
 * caller's permissions when they designate a delegated administrator.
 *
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/organizations_permissions.html
 * @see https://docs.aws.amazon.com/inspector/latest/user/designating-admin.html
 */
const ORGANIZATION_READ_ACTIONS = [
  'organizations:DescribeAccount',
  'organizations:DescribeOrganization',
  'organizations:DescribeOrganizationalUnit',
  'organizations:ListAWSServiceAccessForOrganization',
  'organizations:ListAccounts',
  'organizations:ListDelegatedAdministrators',
];

/** Returns the ARN of the organization root, whose organization ID is not known before deployment. */
function rootArn(stack: Stack, rootId: string): string {
  return stack.formatArn({
    service: 'organizations',
    region: '',
    resource: 'root',
    resourceName: `o-*/${rootId}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** Returns the ARN of the Security account in the organization, whose organization ID is not known before deployment. */
function accountArn(context: CallContext): string {
  return context.stack.formatArn({
    service: 'organizations',
    region: '',
    resource: 'account',
    resourceName: `o-*/${context.accountId}`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/** Enables a policy type on the root. An already enabled type fails with an error that is ignored. */
export function enablePolicyType(stack: Stack, rootId: string, policyType: string): CallSpec {
  return {
    id: `${POLICY_TYPE_IDS[policyType]}Type`,
    resourceType: 'Custom::OrganizationsPolicyType',
    call: {
      service: 'Organizations',
      action: 'enablePolicyType',
      parameters: { RootId: rootId, PolicyType: policyType },
      physicalResourceId: cr.PhysicalResourceId.of(`${rootId}-${policyType}`),
      ignoreErrorCodesMatching: '^PolicyTypeAlreadyEnabledException$',
    },
    statements: [new iam.PolicyStatement({
      actions: ['organizations:EnablePolicyType'],
      resources: [rootArn(stack, rootId)],
      conditions: { StringEquals: { 'organizations:PolicyType': policyType } },
    })],
    wildcardReason: 'The organization ID in the root ARN is not known before deployment; the root ID and the '
      + 'organizations:PolicyType condition limit the permission to this root and policy type.',
  };
}

/** Enables trusted access for a service principal. `EnableAWSServiceAccess` succeeds when access is already enabled. */
export function enableTrustedAccess(servicePrincipal: string): CallSpec {
  return {
    id: `${PRINCIPAL_IDS[servicePrincipal]}TrustedAccess`,
    resourceType: 'Custom::OrganizationsTrustedAccess',
    call: {
      service: 'Organizations',
      action: 'enableAWSServiceAccess',
      parameters: { ServicePrincipal: servicePrincipal },
      physicalResourceId: cr.PhysicalResourceId.of(`trusted-access-${servicePrincipal}`),
    },
    statements: [new iam.PolicyStatement({
      actions: ['organizations:EnableAWSServiceAccess'],
      resources: ['*'],
      conditions: { StringEquals: { 'organizations:ServicePrincipal': servicePrincipal } },
    })],
    wildcardReason: 'organizations:EnableAWSServiceAccess supports no resource-level permissions; the '
      + 'organizations:ServicePrincipal condition limits it to one service principal.',
  };
}

/** The service principal of AWS RAM. Enabling resource sharing turns on trusted access for it. */
const RAM_SERVICE_PRINCIPAL = 'ram.amazonaws.com';

/**
 * Enables resource sharing with AWS Organizations in AWS RAM, which turns on trusted access
 * for RAM and creates its service-linked role, AWSServiceRoleForResourceAccessManager.
 *
 * The call is made through RAM rather than with `EnableAWSServiceAccess`, because AWS
 * recommends letting the trusted service enable its own access. The permissions are those
 * AWS Organizations documents for a service that enables its own trusted access, with RAM's
 * action and its service-linked role.
 *
 * NOTE: no deployment has yet confirmed that these permissions are all that the call needs,
 * or that a repeated call succeeds. The RAM API reference lists no error for sharing that is
 * already enabled.
 *
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_EnableSharingWithAwsOrganization.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_integrate_services.html
 */
export function enableResourceSharing(stack: Stack): CallSpec {
  return {
    id: 'ResourceSharingWithOrganization',
    resourceType: 'Custom::RamSharingWithOrganization',
    call: {
      service: 'RAM',
      action: 'enableSharingWithAwsOrganization',
      physicalResourceId: cr.PhysicalResourceId.of('ram-sharing-with-organization'),
    },
    statements: [
      new iam.PolicyStatement({
        actions: ['ram:EnableSharingWithAwsOrganization', 'organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        actions: ['organizations:EnableAWSServiceAccess'],
        resources: ['*'],
        conditions: { StringEquals: { 'organizations:ServicePrincipal': RAM_SERVICE_PRINCIPAL } },
      }),
      createServiceLinkedRoleStatement(stack, [{ service: RAM_SERVICE_PRINCIPAL, roleName: 'AWSServiceRoleForResourceAccessManager' }]),
    ],
    wildcardReason: 'ram:EnableSharingWithAwsOrganization, organizations:EnableAWSServiceAccess, organizations:DescribeOrganization '
      + 'and organizations:ListAWSServiceAccessForOrganization support no resource-level permissions; the '
      + 'organizations:ServicePrincipal condition limits trusted access to AWS RAM.',
  };
}

/**
 * Lists the delegated administrator that AWS Organizations records for a service principal,
 * after a designation whose error code is ignored. The stack then checks the result.
 *
 * NOTE: only the first administrator listed is checked. Inspector and Macie allow one per
 * organization, but GuardDuty allows one per region, so an organization with another
 * GuardDuty administrator in a different region can fail the check.
 */
export function lookUpAdministrator(context: CallContext, idPrefix: string, servicePrincipal: string): CallSpec {
  return {
    id: `${idPrefix}AdministratorLookup`,
    resourceType: 'Custom::OrganizationsDelegatedAdministratorLookup',
    call: {
      service: 'Organizations',
      action: 'listDelegatedAdministrators',
      parameters: { ServicePrincipal: servicePrincipal },
      // The account is part of the ID, so that a change of account looks the administrator up again.
      physicalResourceId: cr.PhysicalResourceId.of(`${servicePrincipal}-administrator-lookup-${context.accountId}`),
      outputPaths: ['DelegatedAdministrators.0.Id'],
    },
    statements: [new iam.PolicyStatement({
      actions: ['organizations:ListDelegatedAdministrators'],
      resources: ['*'],
      conditions: { StringEquals: { 'organizations:ServicePrincipal': servicePrincipal } },
    })],
    wildcardReason: 'organizations:ListDelegatedAdministrators supports no resource-level permissions; the '
      + 'organizations:ServicePrincipal condition limits it to one service principal.',
  };
}

/** Returns the designations of a service made through an AWS API, in the order to make them. Security Hub has none. */
export function registrationsOf(service: string, context: CallContext): RegistrationSpec[] {
  switch (service) {
    case 'GUARDDUTY':
      return [guardDuty(context)];
    case 'INSPECTOR':
      return [inspector(context)];
    case 'MACIE':
      return [macie(context)];
    case 'ACCESS_ANALYZER':
      return [registerInOrganizations(context, 'AccessAnalyzer', 'access-analyzer.amazonaws.com')];
    case 'CONFIG':
      return [
        registerInOrganizations(context, 'Config', 'config.amazonaws.com'),
        registerInOrganizations(context, 'ConfigMultiAccountSetup', 'config-multiaccountsetup.amazonaws.com'),
      ];
    case 'CLOUDTRAIL':
      return [cloudTrail(context)];
    default:
      return [];
  }
}

/**
 * Designates the GuardDuty administrator in this region with GuardDuty's own API, which also
 * enables trusted access for GuardDuty and registers the account in AWS Organizations.
 *
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/organizations_permissions.html
 */
function guardDuty(context: CallContext): RegistrationSpec {
  const principals = ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'];
  return {
    id: 'GuardDutyAdministrator',
    resourceType: 'Custom::GuardDutyOrganizationAdminAccount',
    call: {
      service: 'GuardDuty',
      action: 'enableOrganizationAdminAccount',
      parameters: { AdminAccountId: context.accountId },
      physicalResourceId: cr.PhysicalResourceId.of(`guardduty-administrator-${context.accountId}`),
      // GuardDuty returns BadRequestException for every rejected request, so a repeated
      // designation cannot be distinguished from other failures. The lookup that follows finds those.
      ignoreErrorCodesMatching: '^BadRequestException$',
    },
    onDelete: context.deregister ? {
      service: 'GuardDuty',
      action: 'disableOrganizationAdminAccount',
      parameters: { AdminAccountId: context.accountId },
    } : undefined,
    statements: [
      new iam.PolicyStatement({
        actions: ['guardduty:EnableOrganizationAdminAccount', ...(context.deregister ? ['guardduty:DisableOrganizationAdminAccount'] : [])],
        resources: ['*'],
      }),
      ...serviceDesignationStatements(context, principals),
    ],
    wildcardReason: 'guardduty:EnableOrganizationAdminAccount and the AWS Organizations read actions that GuardDuty '
      + 'makes with the caller\'s permissions support no resource-level permissions; the Organizations write actions '
      + 'are limited to the GuardDuty service principals, and registration to the Security account.',
    checkedPrincipal: 'guardduty.amazonaws.com',
  };
}

/**
 * Designates the Inspector administrator in this region with Inspector's own API.
 *
 * @see https://docs.aws.amazon.com/inspector/latest/user/designating-admin.html
 */
function inspector(context: CallContext): RegistrationSpec {
  return {
    id: 'InspectorAdministrator',
    resourceType: 'Custom::InspectorDelegatedAdminAccount',
    call: {
      service: 'Inspector2',
      action: 'enableDelegatedAdminAccount',
      parameters: { delegatedAdminAccountId: context.accountId },
      physicalResourceId: cr.PhysicalResourceId.of(`inspector-administrator-${context.accountId}`),
      // ConflictException also covers another account being the administrator. The lookup
      // that follows finds that case.
      ignoreErrorCodesMatching: '^ConflictException$',
    },
    onDelete: context.deregister ? {
      service: 'Inspector2',
      action: 'disableDelegatedAdminAccount',
      parameters: { delegatedAdminAccountId: context.accountId },
    } : undefined,
    statements: [
      new iam.PolicyStatement({
        actions: ['inspector2:EnableDelegatedAdminAccount', ...(context.deregister ? ['inspector2:DisableDelegatedAdminAccount'] : [])],
        resources: ['*'],
      }),
      ...serviceDesignationStatements(context, ['inspector2.amazonaws.com']),
    ],
    wildcardReason: 'inspector2:EnableDelegatedAdminAccount and the AWS Organizations read actions that Inspector makes '
      + 'with the caller\'s permissions support no resource-level permissions; the Organizations write actions are '
      + 'limited to inspector2.amazonaws.com, and registration to the Security account.',
    checkedPrincipal: 'inspector2.amazonaws.com',
  };
}

/**
 * Designates the Macie administrator in this region with Macie's own API.
 *
 * @see https://docs.aws.amazon.com/macie/latest/user/accounts-mgmt-ao-integrate.html
 */
function macie(context: CallContext): RegistrationSpec {
  return {
    id: 'MacieAdministrator',
    resourceType: 'Custom::MacieOrganizationAdminAccount',
    call: {
      service: 'Macie2',
      action: 'enableOrganizationAdminAccount',
      parameters: { adminAccountId: context.accountId },
      physicalResourceId: cr.PhysicalResourceId.of(`macie-administrator-${context.accountId}`),
      // ConflictException also covers another account being the administrator. The lookup
      // that follows finds that case.
      ignoreErrorCodesMatching: '^ConflictException$',
    },
    onDelete: context.deregister ? {
      service: 'Macie2',
      action: 'disableOrganizationAdminAccount',
      parameters: { adminAccountId: context.accountId },
    } : undefined,
    statements: [
      new iam.PolicyStatement({
        actions: ['macie2:EnableOrganizationAdminAccount', ...(context.deregister ? ['macie2:DisableOrganizationAdminAccount'] : [])],
        resources: ['*'],
      }),
      ...serviceDesignationStatements(context, ['macie.amazonaws.com']),
    ],
    wildcardReason: 'macie2:EnableOrganizationAdminAccount and the AWS Organizations read actions that Macie makes '
      + 'with the caller\'s permissions support no resource-level permissions; the Organizations write actions are '
      + 'limited to macie.amazonaws.com, and registration to the Security account.',
    checkedPrincipal: 'macie.amazonaws.com',
  };
}

/**
 * Registers the Security account as delegated administrator of a service principal in AWS
 * Organizations, the documented way for IAM Access Analyzer and AWS Config.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/aggregated-register-delegated-administrator.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-delegated-administrator-add.html
 */
function registerInOrganizations(context: CallContext, idPrefix: string, servicePrincipal: string): RegistrationSpec {
  const parameters = { AccountId: context.accountId, ServicePrincipal: servicePrincipal };
  return {
    id: `${idPrefix}Administrator`,
    resourceType: 'Custom::OrganizationsDelegatedAdministrator',
    call: {
      service: 'Organizations',
      action: 'registerDelegatedAdministrator',
      parameters,
      physicalResourceId: cr.PhysicalResourceId.of(`${servicePrincipal}-administrator-${context.accountId}`),
      ignoreErrorCodesMatching: '^AccountAlreadyRegisteredException$',
    },
    onDelete: context.deregister ? {
      service: 'Organizations',
      action: 'deregisterDelegatedAdministrator',
      parameters,
      ignoreErrorCodesMatching: '^AccountNotRegisteredException$',
    } : undefined,
    statements: [new iam.PolicyStatement({
      actions: [
        'organizations:RegisterDelegatedAdministrator',
        ...(context.deregister ? ['organizations:DeregisterDelegatedAdministrator'] : []),
      ],
      resources: [accountArn(context)],
      conditions: { StringEquals: { 'organizations:ServicePrincipal': servicePrincipal } },
    })],
    wildcardReason: 'The organization ID in the account ARN is not known before deployment; the account ID and the '
      + 'organizations:ServicePrincipal condition limit the permission to the Security account and one service principal.',
  };
}

/**
 * Registers the CloudTrail delegated administrator with CloudTrail's own API, which also
 * creates CloudTrail's service-linked role in the management account when it is missing.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator-permissions.html
 */
function cloudTrail(context: CallContext): RegistrationSpec {
  const cloudTrailRole = { service: 'cloudtrail.amazonaws.com', roleName: 'AWSServiceRoleForCloudTrail' };
  const serviceLinkedRole = serviceLinkedRoleArn(context.stack, cloudTrailRole);
  return {
    id: 'CloudTrailAdministrator',
    resourceType: 'Custom::CloudTrailOrganizationDelegatedAdmin',
    call: {
      service: 'CloudTrail',
      action: 'registerOrganizationDelegatedAdmin',
      parameters: { MemberAccountId: context.accountId },
      physicalResourceId: cr.PhysicalResourceId.of(`cloudtrail-administrator-${context.accountId}`),
      ignoreErrorCodesMatching: '^AccountRegisteredException$',
    },
    onDelete: context.deregister ? {
      service: 'CloudTrail',
      action: 'deregisterOrganizationDelegatedAdmin',
      parameters: { DelegatedAdminAccountId: context.accountId },
      ignoreErrorCodesMatching: '^AccountNotRegisteredException$',
    } : undefined,
    statements: [
      new iam.PolicyStatement({
        actions: [
          'cloudtrail:RegisterOrganizationDelegatedAdmin',
          ...(context.deregister ? ['cloudtrail:DeregisterOrganizationDelegatedAdmin'] : []),
        ],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        actions: [
          'organizations:RegisterDelegatedAdministrator',
          ...(context.deregister ? ['organizations:DeregisterDelegatedAdministrator'] : []),
        ],
        resources: [accountArn(context)],
        conditions: { StringEquals: { 'organizations:ServicePrincipal': 'cloudtrail.amazonaws.com' } },
      }),
      new iam.PolicyStatement({
        actions: ['organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'],
        resources: ['*'],
      }),
      createServiceLinkedRoleStatement(context.stack, [cloudTrailRole]),
      new iam.PolicyStatement({ actions: ['iam:GetRole'], resources: [serviceLinkedRole] }),
    ],
    wildcardReason: 'cloudtrail:RegisterOrganizationDelegatedAdmin and the AWS Organizations read actions support no '
      + 'resource-level permissions; registration is limited to the Security account and cloudtrail.amazonaws.com, and '
      + 'the IAM actions to CloudTrail\'s service-linked role.',
  };
}

/**
 * Returns the AWS Organizations permissions that a service uses, with the caller's
 * credentials, when it designates its delegated administrator. The service enables its own
 * trusted access, registers the account and reads the organization.
 */
function serviceDesignationStatements(context: CallContext, servicePrincipals: string[]): iam.PolicyStatement[] {
  const principalCondition = { StringEquals: { 'organizations:ServicePrincipal': servicePrincipals } };
  return [
    new iam.PolicyStatement({
      actions: ['organizations:EnableAWSServiceAccess'],
      resources: ['*'],
      conditions: principalCondition,
    }),
    new iam.PolicyStatement({
      actions: [
        'organizations:RegisterDelegatedAdministrator',
        ...(context.deregister ? ['organizations:DeregisterDelegatedAdministrator'] : []),
      ],
      resources: [accountArn(context)],
      conditions: principalCondition,
    }),
    new iam.PolicyStatement({ actions: ORGANIZATION_READ_ACTIONS, resources: ['*'] }),
  ];
}
