/**
 * The policy documents behind `GuardrailPolicy`. Each function takes settings that are
 * already validated and returns the policy as a plain JSON object.
 */

/** A JSON object as AWS Organizations stores it. */
export type PolicyDocument = Record<string, unknown>;

/**
 * Actions of global services that the region restriction does not deny.
 *
 * A global service has one endpoint, hosted in us-east-1, so every request to it carries
 * `aws:RequestedRegion` us-east-1 and a region restriction would block it outright.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
 */
export const GLOBAL_SERVICE_ACTIONS: readonly string[] = [
  // AWS Account Management: alternate contacts and the account's own settings.
  'account:*',
  // AWS Budgets, Cost Explorer and the Cost and Usage Report.
  'budgets:*',
  'ce:*',
  'cur:*',
  // Amazon CloudFront distributions, functions and origin access controls.
  'cloudfront:*',
  // The console lists regions through this call in every region.
  'ec2:DescribeRegions',
  // AWS Health events.
  'health:*',
  // IAM: users, roles, policies and identity providers.
  'iam:*',
  // AWS Organizations, for example listing the organization's accounts.
  'organizations:*',
  // The AWS Price List API.
  'pricing:*',
  // Amazon Route 53 hosted zones, health checks and registered domains.
  'route53:*',
  'route53domains:*',
  // The S3 console lists buckets and looks up their regions through us-east-1.
  's3:GetBucketLocation',
  's3:ListAllMyBuckets',
  // AWS Shield Advanced subscriptions and protections.
  'shield:*',
  // AWS STS through its global endpoint, sts.amazonaws.com, which older SDKs still use.
  'sts:*',
  // AWS Support cases and AWS Trusted Advisor checks.
  'support:*',
  'trustedadvisor:*',
  // AWS WAF Classic, and AWS WAF web ACLs with the CLOUDFRONT scope, which live in us-east-1.
  'waf:*',
  'wafv2:*',
];

/**
 * The region where AWS Certificate Manager issues the certificates that CloudFront uses.
 * CloudFront accepts certificates from this region only.
 *
 * @see https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
 */
export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/**
 * Actions that turn off or weaken AWS CloudTrail, AWS Config, Amazon GuardDuty,
 * AWS Security Hub and VPC flow logs. Creating or reading them stays allowed.
 */
export const SECURITY_SERVICE_ACTIONS: readonly string[] = [
  'cloudtrail:DeleteEventDataStore',
  'cloudtrail:DeleteTrail',
  'cloudtrail:PutEventSelectors',
  'cloudtrail:StopEventDataStoreIngestion',
  'cloudtrail:StopLogging',
  'cloudtrail:UpdateEventDataStore',
  'cloudtrail:UpdateTrail',
  'config:DeleteAggregationAuthorization',
  'config:DeleteConfigRule',
  'config:DeleteConfigurationAggregator',
  'config:DeleteConfigurationRecorder',
  'config:DeleteDeliveryChannel',
  'config:DeleteRetentionConfiguration',
  'config:PutConfigurationRecorder',
  'config:PutDeliveryChannel',
  'config:PutRetentionConfiguration',
  'config:StopConfigurationRecorder',
  'ec2:DeleteFlowLogs',
  'guardduty:CreateFilter',
  'guardduty:CreateIPSet',
  'guardduty:DeleteDetector',
  'guardduty:DeleteMembers',
  'guardduty:DeletePublishingDestination',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DisassociateFromMasterAccount',
  'guardduty:DisassociateMembers',
  'guardduty:StopMonitoringMembers',
  'guardduty:UpdateDetector',
  'guardduty:UpdateFilter',
  'guardduty:UpdateIPSet',
  'guardduty:UpdateOrganizationConfiguration',
  'guardduty:UpdatePublishingDestination',
  'securityhub:BatchDisableStandards',
  'securityhub:BatchUpdateStandardsControlAssociations',
  'securityhub:DeleteMembers',
  'securityhub:DisableImportFindingsForProduct',
  'securityhub:DisableSecurityHub',
  'securityhub:DisassociateFromAdministratorAccount',
  'securityhub:DisassociateFromMasterAccount',
  'securityhub:DisassociateMembers',
  'securityhub:UpdateOrganizationConfiguration',
  'securityhub:UpdateSecurityHubConfiguration',
  'securityhub:UpdateStandardsControl',
];

/** The `aws:PrincipalArn` pattern of the root user of any account. */
export const ROOT_USER_ARN_PATTERN = 'arn:aws:iam::*:root';

/** Builds a service control policy document from its statements. */
function serviceControlPolicy(statements: PolicyDocument[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** Adds an `ArnNotLike` condition on `aws:PrincipalArn`, unless no role is exempt. */
function exceptRoles(condition: PolicyDocument, roleArnPatterns: string[]): PolicyDocument {
  return roleArnPatterns.length === 0
    ? condition
    : { ...condition, ArnNotLike: { 'aws:PrincipalArn': roleArnPatterns } };
}

/**
 * Denies every action outside `allowedRegions`, except the actions of global services,
 * and certificates outside `allowedRegions` and us-east-1, unless the caller is one of
 * the exempt roles.
 */
export function regionRestrictionDocument(allowedRegions: string[], exemptRoleArnPatterns: string[]): PolicyDocument {
  const certificateRegions = [...new Set([...allowedRegions, CLOUDFRONT_CERTIFICATE_REGION])];
  return serviceControlPolicy([
    {
      Sid: 'DenyOutsideAllowedRegions',
      Effect: 'Deny',
      NotAction: [...GLOBAL_SERVICE_ACTIONS, 'acm:*'],
      Resource: '*',
      Condition: exceptRoles({ StringNotEquals: { 'aws:RequestedRegion': allowedRegions } }, exemptRoleArnPatterns),
    },
    {
      Sid: 'DenyCertificatesOutsideAllowedRegions',
      Effect: 'Deny',
      Action: 'acm:*',
      Resource: '*',
      Condition: exceptRoles({ StringNotEquals: { 'aws:RequestedRegion': certificateRegions } }, exemptRoleArnPatterns),
    },
  ]);
}

/** Denies `organizations:LeaveOrganization` to everyone in the affected accounts. */
export function denyLeavingOrganizationDocument(): PolicyDocument {
  return serviceControlPolicy([
    { Sid: 'DenyLeavingOrganization', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' },
  ]);
}

/**
 * IAM actions that create, delete or change a role, its trust policy, its permissions or
 * its tags. `iam:PassRole` is left out on purpose: no principal passes the StackSet
 * execution role, and the CDK's deploy role must keep passing the CloudFormation execution role.
 */
export const ROLE_CHANGE_ACTIONS: readonly string[] = [
  'iam:AttachRolePolicy',
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:DeleteRolePermissionsBoundary',
  'iam:DeleteRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:UpdateAssumeRolePolicy',
  'iam:UpdateRole',
];

/**
 * The roles that service-managed StackSets run as in member accounts, at the top of the
 * role path or under a path.
 */
export const STACK_SET_EXECUTION_ROLE_ARN_PATTERNS: readonly string[] = [
  'arn:aws:iam::*:role/stacksets-exec-*',
  'arn:aws:iam::*:role/*/stacksets-exec-*',
];

/** The roles that the CDK bootstrap template creates, for any qualifier, account and region. */
export const CDK_BOOTSTRAP_ROLE_ARN_PATTERNS: readonly string[] = [
  'deploy-role', 'cfn-exec-role', 'file-publishing-role', 'image-publishing-role', 'lookup-role',
].map((role) => `arn:aws:iam::*:role/cdk-*-${role}-*`);

/**
 * Denies the actions in `SECURITY_SERVICE_ACTIONS` to everyone except the security
 * administrator roles, and protects the roles that the member account bootstrap relies on.
 */
export function securityServicesDocument(securityAdminRoleArnPatterns: string[]): PolicyDocument {
  return serviceControlPolicy([
    {
      Sid: 'DenyChangesToSecurityServices',
      Effect: 'Deny',
      Action: [...SECURITY_SERVICE_ACTIONS],
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': securityAdminRoleArnPatterns } },
    },
    {
      // A principal whose role is named stacksets-exec-* is exempt from the bootstrap's
      // denies on its bucket, repository and key, so no principal of a member account may
      // create or change such a role. Service-managed StackSets create the role through
      // their service-linked role, which SCPs do not affect.
      // NOTE: not yet checked against a deployment: that StackSets create and update the
      // execution role only through the service-linked role, so that this deny does not
      // block them.
      Sid: 'DenyChangesToStackSetExecutionRoles',
      Effect: 'Deny',
      Action: [...ROLE_CHANGE_ACTIONS],
      Resource: [...STACK_SET_EXECUTION_ROLE_ARN_PATTERNS],
    },
    {
      // Only the StackSet that bootstraps the member accounts may change the CDK's roles,
      // so that no deployment can widen its own permissions or trust.
      Sid: 'DenyChangesToCdkBootstrapRoles',
      Effect: 'Deny',
      Action: [...ROLE_CHANGE_ACTIONS],
      Resource: [...CDK_BOOTSTRAP_ROLE_ARN_PATTERNS],
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [...STACK_SET_EXECUTION_ROLE_ARN_PATTERNS] } },
    },
  ]);
}

/**
 * Denies unencrypted EBS volumes, S3 uploads without a server-side encryption header,
 * and S3 requests over plain HTTP.
 */
export function requireEncryptionDocument(): PolicyDocument {
  return serviceControlPolicy([
    {
      Sid: 'DenyUnencryptedVolumes',
      Effect: 'Deny',
      Action: 'ec2:CreateVolume',
      Resource: '*',
      Condition: { Bool: { 'ec2:Encrypted': 'false' } },
    },
    {
      // RunInstances sets ec2:Encrypted on each volume resource of the request.
      // NOTE: not yet checked against a deployment: how ec2:Encrypted evaluates when the
      // request omits Encrypted and the account has EBS encryption by default turned on.
      Sid: 'DenyInstancesWithUnencryptedVolumes',
      Effect: 'Deny',
      Action: 'ec2:RunInstances',
      Resource: 'arn:aws:ec2:*:*:volume/*',
      Condition: { Bool: { 'ec2:Encrypted': 'false' } },
    },
    {
      // NOTE: not yet checked against a deployment: whether UploadPart requests of a
      // multipart upload, which carry no encryption header, are denied by this statement.
      Sid: 'DenyUploadsWithoutEncryptionHeader',
      Effect: 'Deny',
      Action: 's3:PutObject',
      Resource: '*',
      Condition: { Null: { 's3:x-amz-server-side-encryption': 'true' } },
    },
    {
      Sid: 'DenyS3WithoutTls',
      Effect: 'Deny',
      Action: 's3:*',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ]);
}

/** Denies every action to the root user of the affected accounts. */
export function denyRootUserDocument(): PolicyDocument {
  return serviceControlPolicy([
    {
      Sid: 'DenyRootUser',
      Effect: 'Deny',
      Action: '*',
      Resource: '*',
      Condition: { ArnLike: { 'aws:PrincipalArn': ROOT_USER_ARN_PATTERN } },
    },
  ]);
}

/**
 * Builds a tag policy that fixes the capitalisation of each tag key, the allowed values
 * of the keys that have them, and, for the resource types in `enforcedFor`, rejects
 * tagging operations that break those rules.
 *
 * @param tagKeys the tag keys, as resources must spell them
 * @param allowedValues the allowed values of some of the keys
 */
export function tagPolicyDocument(tagKeys: string[], allowedValues: Record<string, string[]>, enforcedFor: string[]): PolicyDocument {
  const tags: PolicyDocument = {};
  for (const key of tagKeys) {
    const values = allowedValues[key];
    tags[key] = {
      tag_key: { '@@assign': key },
      ...(values === undefined ? {} : { tag_value: { '@@assign': values } }),
      ...(enforcedFor.length === 0 ? {} : { enforced_for: { '@@assign': enforcedFor } }),
    };
  }
  return { tags };
}

/** The settings of the daily backup plan that a backup policy declares. */
export interface BackupPlanSettings {
  readonly planName: string;
  readonly regions: string[];
  readonly vaultName: string;
  readonly roleName: string;
  readonly retentionDays: number;
  readonly selectionTagKey: string;
  readonly selectionTagValues: string[];
}

/** The backup window: AWS Backup cancels a job that has not started within it. */
const START_WINDOW_MINUTES = 60;

/** A backup job that runs longer is stopped, so that it does not overlap the next day's. */
const COMPLETION_WINDOW_MINUTES = 1440;

/** Every day at 01:00 UTC. */
const DAILY_SCHEDULE = 'cron(0 1 ? * * *)';

/**
 * Builds a backup policy with one plan: a daily backup of the resources that carry the
 * selection tag, kept in the named vault of each account and region, and copied nowhere.
 *
 * Backup policies take every number as a string.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html
 */
export function backupPolicyDocument(settings: BackupPlanSettings): PolicyDocument {
  return {
    plans: {
      [settings.planName]: {
        regions: { '@@assign': settings.regions },
        rules: {
          Daily: {
            schedule_expression: { '@@assign': DAILY_SCHEDULE },
            start_backup_window_minutes: { '@@assign': String(START_WINDOW_MINUTES) },
            complete_backup_window_minutes: { '@@assign': String(COMPLETION_WINDOW_MINUTES) },
            lifecycle: { delete_after_days: { '@@assign': String(settings.retentionDays) } },
            target_backup_vault_name: { '@@assign': settings.vaultName },
          },
        },
        selections: {
          tags: {
            TaggedResources: {
              // AWS Backup replaces $account with the ID of each account the policy applies to.
              iam_role_arn: { '@@assign': `arn:aws:iam::$account:role/${settings.roleName}` },
              tag_key: { '@@assign': settings.selectionTagKey },
              tag_value: { '@@assign': settings.selectionTagValues },
            },
          },
        },
      },
    },
  };
}
