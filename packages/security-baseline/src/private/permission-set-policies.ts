import { Aws, Duration, aws_iam as iam } from 'aws-cdk-lib';

/** The defaults that a permission set takes from its duty, unless its definition overrides them. */
export interface DutyDefaults {
  readonly description: string;
  readonly awsManagedPolicyNames: string[];
  readonly sessionDuration: Duration;
}

/** The AWS managed policy that allows every action on every resource. */
export const ADMINISTRATOR_ACCESS = 'AdministratorAccess';

/**
 * Defaults of each duty, keyed by the `PermissionSetDuty` value.
 *
 * Privileged and read-only access to security data get the shortest session, one hour.
 * The policy names are AWS managed policies, some with a path such as `job-function/`.
 */
export const DUTY_DEFAULTS: Record<string, DutyDefaults> = {
  AWS_ADMINISTRATOR: {
    description: 'Full administration of the account, for AWS administrators.',
    awsManagedPolicyNames: [ADMINISTRATOR_ACCESS],
    sessionDuration: Duration.hours(1),
  },
  DEVOPS_ENGINEER: {
    description: 'Build, deploy and operate workloads, without IAM or AWS Organizations administration.',
    awsManagedPolicyNames: ['PowerUserAccess'],
    sessionDuration: Duration.hours(4),
  },
  SECURITY_ENGINEER: {
    description: 'Operate the security services and read the security configuration of the account.',
    awsManagedPolicyNames: [
      'SecurityAudit',
      'AWSSecurityHubFullAccess',
      'AmazonGuardDutyFullAccess',
      'IAMAccessAnalyzerFullAccess',
      'AmazonInspector2FullAccess',
      'AmazonMacieFullAccess',
    ],
    sessionDuration: Duration.hours(4),
  },
  SECURITY_AUDITOR: {
    description: 'Read-only audit of the security configuration and of the resources of the account.',
    awsManagedPolicyNames: ['SecurityAudit', 'job-function/ViewOnlyAccess'],
    sessionDuration: Duration.hours(1),
  },
  APPLICATION_VENDOR: {
    description: 'A third-party application vendor, confined to the EC2 resources that carry its vendor tag.',
    awsManagedPolicyNames: [],
    sessionDuration: Duration.hours(1),
  },
};

/** Returns the ARN of an AWS managed policy, in the partition of the stack. */
export function awsManagedPolicyArn(name: string): string {
  return `arn:${Aws.PARTITION}:iam::aws:policy/${name}`;
}

/** The tag that marks a vendor's resources, and the region the vendor works in. */
export interface VendorScope {
  readonly tagKey: string;
  readonly tagValue: string;
  readonly region: string;
}

/** The EC2 actions that create each kind of resource a vendor may create, which must carry the vendor tag. */
const CREATE_ACTIONS = ['ec2:RunInstances', 'ec2:CreateVolume', 'ec2:CreateSecurityGroup'];

/** The EC2 actions a vendor may take on the instances, volumes and security groups that carry its tag. */
const MANAGE_ACTIONS = [
  'ec2:StartInstances',
  'ec2:StopInstances',
  'ec2:RebootInstances',
  'ec2:TerminateInstances',
  'ec2:GetConsoleOutput',
  'ec2:AttachVolume',
  'ec2:DetachVolume',
  'ec2:ModifyVolume',
  'ec2:DeleteVolume',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:RevokeSecurityGroupIngress',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:ModifySecurityGroupRules',
  'ec2:UpdateSecurityGroupRuleDescriptionsIngress',
  'ec2:UpdateSecurityGroupRuleDescriptionsEgress',
  'ec2:DeleteSecurityGroup',
];

/** The security group rule actions, which EC2 also authorises against the rules themselves. */
const RULE_ACTIONS = MANAGE_ACTIONS.filter((action) => /SecurityGroup(Ingress|Egress|Rules)$|RuleDescriptions/.test(action));

/**
 * Builds the inline policy of an application vendor's permission set.
 *
 * The vendor may create instances, volumes and security groups only with its tag, and may
 * then manage only the resources that carry the tag. It may tag a resource only in the
 * request that creates it, and never remove tags, so it cannot move another resource into
 * its scope. Launching an instance also needs the subnet, image, network interface and key
 * pair, which carry no vendor tag. `ec2:Describe*` has no resource-level permissions, so the
 * vendor can read the metadata of every EC2 resource in the region.
 *
 * NOTE: not tried against a deployed account. EC2 authorises `RunInstances` against every
 * resource type the request touches, and a launch with another one (a launch template, a
 * placement group, an instance profile) fails with `UnauthorizedOperation`.
 *
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
export function vendorPolicyStatements(scope: VendorScope): iam.PolicyStatement[] {
  const ec2Arn = (resourceType: string, account = '*') =>
    `arn:${Aws.PARTITION}:ec2:${scope.region}:${account}:${resourceType}/*`;
  const requestTag = { StringEquals: { [`aws:RequestTag/${scope.tagKey}`]: scope.tagValue } };
  const resourceTag = { StringEquals: { [`aws:ResourceTag/${scope.tagKey}`]: scope.tagValue } };

  return [
    new iam.PolicyStatement({
      sid: 'DescribeEc2',
      actions: ['ec2:Describe*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:RequestedRegion': scope.region } },
    }),
    new iam.PolicyStatement({
      sid: 'CreateTaggedResources',
      actions: CREATE_ACTIONS,
      resources: [ec2Arn('instance'), ec2Arn('volume'), ec2Arn('security-group')],
      conditions: requestTag,
    }),
    new iam.PolicyStatement({
      sid: 'LaunchWithTaggedSecurityGroups',
      actions: ['ec2:RunInstances'],
      resources: [ec2Arn('security-group')],
      conditions: resourceTag,
    }),
    new iam.PolicyStatement({
      sid: 'LaunchIntoSharedResources',
      actions: ['ec2:RunInstances'],
      resources: [ec2Arn('subnet'), ec2Arn('network-interface'), ec2Arn('key-pair'), ec2Arn('image', '')],
    }),
    new iam.PolicyStatement({
      sid: 'CreateSecurityGroupsInVpcs',
      actions: ['ec2:CreateSecurityGroup'],
      resources: [ec2Arn('vpc')],
    }),
    new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: ['ec2:CreateTags'],
      resources: [ec2Arn('instance'), ec2Arn('volume'), ec2Arn('security-group'), ec2Arn('network-interface')],
      conditions: { StringEquals: { 'ec2:CreateAction': CREATE_ACTIONS.map((action) => action.replace('ec2:', '')) } },
    }),
    new iam.PolicyStatement({
      sid: 'ManageTaggedResources',
      actions: MANAGE_ACTIONS,
      resources: [ec2Arn('instance'), ec2Arn('volume'), ec2Arn('security-group')],
      conditions: resourceTag,
    }),
    new iam.PolicyStatement({
      sid: 'ManageRulesOfTaggedGroups',
      actions: RULE_ACTIONS,
      resources: [ec2Arn('security-group-rule')],
    }),
  ];
}

/** A policy of a permission set that allows every action on every resource. */
export interface FullAccessGrant {
  /** The policy as the error message names it, for example `the AWS managed policy AdministratorAccess`. */
  readonly description: string;
}

/**
 * Lists the policies of a permission set that allow every action on every resource: the
 * AWS managed policy `AdministratorAccess`, and inline statements that allow `*` (or `*:*`)
 * on `*`. Customer managed policies are not visible here, so they are not checked.
 */
export function fullAccessGrants(awsManagedPolicyNames: string[], inlinePolicy: iam.PolicyDocument | undefined): FullAccessGrant[] {
  const grants: FullAccessGrant[] = awsManagedPolicyNames
    .filter((name) => name === ADMINISTRATOR_ACCESS)
    .map((name) => ({ description: `the AWS managed policy ${name}` }));

  statementsOf(inlinePolicy).forEach((statement, index) => {
    const allowsEverything = statement.Effect === 'Allow'
      && asList(statement.Action).some((action) => action === '*' || action === '*:*')
      && asList(statement.Resource).includes('*');
    if (allowsEverything) {
      grants.push({ description: `the inline policy statement ${statementName(statement, index)}, which allows Action "*" on Resource "*"` });
    }
  });
  return grants;
}

/**
 * Lists the inline policy statements that allow something without a tag condition
 * (`aws:ResourceTag/…`, `aws:RequestTag/…` or `ec2:ResourceTag/…`), by their sid or index.
 */
export function untaggedAllowStatements(inlinePolicy: iam.PolicyDocument | undefined): string[] {
  return statementsOf(inlinePolicy).flatMap((statement, index) => {
    if (statement.Effect !== 'Allow') {
      return [];
    }
    const conditionKeys = Object.values(isRecord(statement.Condition) ? statement.Condition : {})
      .flatMap((operator) => Object.keys(isRecord(operator) ? operator : {}));
    const hasTagCondition = conditionKeys.some((key) => /^(aws:ResourceTag|aws:RequestTag|ec2:ResourceTag)\//i.test(key));
    return hasTagCondition ? [] : [statementName(statement, index)];
  });
}

interface StatementJson {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Action?: unknown;
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

function statementsOf(document: iam.PolicyDocument | undefined): StatementJson[] {
  if (document === undefined) {
    return [];
  }
  const json = document.toJSON() as { Statement?: unknown } | undefined;
  return Array.isArray(json?.Statement) ? json.Statement.filter(isRecord) : [];
}

function statementName(statement: StatementJson, index: number): string {
  return typeof statement.Sid === 'string' ? `"${statement.Sid}"` : `at index ${index}`;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
