import { Annotations, Duration, aws_iam as iam, aws_sso as sso } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { awsManagedPolicyArn } from './private/permission-set-policies';
import { PermissionSetSettings, validatePermissionSetsProps } from './private/permission-set-validation';

/**
 * The duty a permission set serves. Each duty has its own default policies and session
 * duration, and only `AWS_ADMINISTRATOR` sets may allow every action on every resource.
 */
export enum PermissionSetDuty {
  /**
   * AWS administrators: the AWS managed policy `AdministratorAccess`, sessions of 1 hour.
   */
  AWS_ADMINISTRATOR = 'AWS_ADMINISTRATOR',

  /**
   * DevOps engineers: the AWS managed policy `PowerUserAccess`, which excludes IAM and AWS
   * Organizations administration, sessions of 4 hours.
   */
  DEVOPS_ENGINEER = 'DEVOPS_ENGINEER',

  /**
   * Security engineers: `SecurityAudit` with full access to Security Hub, GuardDuty, IAM
   * Access Analyzer, Inspector and Macie, sessions of 4 hours.
   */
  SECURITY_ENGINEER = 'SECURITY_ENGINEER',

  /**
   * Security auditors, read-only: the AWS managed policies `SecurityAudit` and
   * `job-function/ViewOnlyAccess`, sessions of 1 hour.
   */
  SECURITY_AUDITOR = 'SECURITY_AUDITOR',

  /**
   * A third-party application vendor: an inline policy that confines it to the EC2 instances,
   * volumes and security groups that carry its vendor tag, sessions of 1 hour.
   */
  APPLICATION_VENDOR = 'APPLICATION_VENDOR',
}

/** A customer managed policy, by name and path, that must exist in every account the permission set is assigned to. */
export interface CustomerManagedPolicyReference {
  /** The name of the policy, 1 to 128 letters, digits and `+=,.@_-`. */
  readonly name: string;

  /**
   * The path of the policy, which starts and ends with `/`.
   *
   * @default '/'
   */
  readonly path?: string;
}

/**
 * The tag that marks the resources an application vendor may manage.
 *
 * The vendor must tag instances and their volumes in the `TagSpecifications` of
 * `RunInstances`, volumes in `CreateVolume`, and security groups in `CreateSecurityGroup`,
 * because its policy allows those calls only with the tag.
 */
export interface VendorAccess {
  /**
   * The tag key, for example `vendor`. 1 to 128 letters, digits and `_.:/=+-@`, not starting with `aws:`.
   */
  readonly tagKey: string;

  /** The tag value that names this vendor, for example `acme`. 1 to 256 characters. */
  readonly tagValue: string;

  /**
   * The region where the vendor may create and manage resources.
   *
   * @default - the region of the stack
   */
  readonly region?: string;
}

/** Groups of the identity source given a permission set in some AWS accounts. */
export interface PermissionSetAssignment {
  /**
   * The IDs of the groups in the IAM Identity Center identity store, for example
   * `"94482488-3041-7026-18f3-be45837cd0e4"`. With Active Directory as the identity
   * source, these are the IDs that Identity Center gives the synchronised groups.
   */
  readonly groupIds: string[];

  /** The 12-digit IDs of the AWS accounts where the groups get the permission set. */
  readonly accountIds: string[];
}

/** A permission set of IAM Identity Center, with the groups and accounts it is assigned to. */
export interface PermissionSetDefinition {
  /**
   * The name of the permission set, which users see in the AWS access portal.
   * 1 to 32 letters, digits and `+=,.@_-`, unique among the permission sets here.
   */
  readonly name: string;

  /** The duty the permission set serves, which gives its default policies and session duration. */
  readonly duty: PermissionSetDuty;

  /**
   * The description of the permission set, up to 700 characters.
   *
   * @default - a description of the duty
   */
  readonly description?: string;

  /**
   * How long a user's session in an account lasts before they sign in again, from 1 to 12 hours.
   *
   * Configuration read from a file can give the ISO 8601 form, for example `Duration.parse('PT8H')`.
   *
   * @default - 1 hour for AWS_ADMINISTRATOR, SECURITY_AUDITOR and APPLICATION_VENDOR; 4 hours for the other duties
   */
  readonly sessionDuration?: Duration;

  /**
   * The names of AWS managed policies to attach, with their path, for example
   * `"job-function/ViewOnlyAccess"`. They replace the duty's default policies.
   *
   * APPLICATION_VENDOR sets accept none, because an AWS managed policy carries no tag condition.
   *
   * @default - the duty's AWS managed policies, listed on `PermissionSetDuty`
   */
  readonly awsManagedPolicyNames?: string[];

  /**
   * Customer managed policies to attach. IAM Identity Center attaches each by name and path
   * in every account of the assignments, so each must exist there before the assignment.
   *
   * @default - none
   */
  readonly customerManagedPolicies?: CustomerManagedPolicyReference[];

  /**
   * An inline policy, at most 32,768 characters. For APPLICATION_VENDOR sets it is added to
   * the generated vendor policy, and each of its Allow statements needs an `aws:ResourceTag`,
   * `aws:RequestTag` or `ec2:ResourceTag` condition.
   *
   * @default - none, or the generated vendor policy for APPLICATION_VENDOR sets
   */
  readonly inlinePolicy?: iam.PolicyDocument;

  /**
   * A customer managed policy that sets the maximum permissions of the set's roles. It must
   * exist in every account of the assignments.
   *
   * @default - no permissions boundary; the service control policies of the organisation still apply
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsboundary.html
   */
  readonly permissionsBoundary?: CustomerManagedPolicyReference;

  /**
   * The tag that confines an APPLICATION_VENDOR set. Required for that duty, rejected for others.
   *
   * @default - none
   */
  readonly vendorAccess?: VendorAccess;

  /**
   * The groups that get the permission set, and in which accounts.
   *
   * @default - none: the permission set exists, but no group can use it
   */
  readonly assignments?: PermissionSetAssignment[];
}

/** Properties of the permission sets. */
export interface PermissionSetsProps {
  /**
   * The ARN of the IAM Identity Center instance, for example
   * `arn:aws:sso:::instance/ssoins-1234567890abcdef`. `aws sso-admin list-instances` lists it.
   */
  readonly instanceArn: string;

  /** The permission sets to create, at least one. */
  readonly permissionSets: PermissionSetDefinition[];
}

/**
 * IAM Identity Center permission sets, one per duty, and their assignments to groups in
 * AWS accounts, so that people reach every account through single sign-on with roles
 * separated by duty.
 *
 * Deploy it in the organisation's management account, or in the account registered as
 * delegated administrator of IAM Identity Center. The instance and its identity source, for
 * example Active Directory through AD Connector, are configuration: this construct creates
 * neither. Permission sets assigned to the management account can be changed only from the
 * management account.
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsconcept.html
 */
export class PermissionSets extends Construct {
  /** The ARN of the IAM Identity Center instance. */
  public readonly instanceArn: string;

  private readonly permissionSetArns = new Map<string, string>();

  constructor(scope: Construct, id: string, props: PermissionSetsProps) {
    super(scope, id);
    const settings = validatePermissionSetsProps(scope, id, this, props);
    this.instanceArn = settings.instanceArn;

    for (const set of settings.permissionSets) {
      this.createPermissionSet(set);
    }
  }

  /**
   * Returns the ARN of a permission set created here.
   *
   * @param name the name of the permission set
   */
  public permissionSetArn(name: string): string {
    const arn = this.permissionSetArns.get(name);
    if (arn === undefined) {
      throw new Error(`PermissionSets at ${this.node.path} has no permission set named "${name}". `
        + `Use one of: ${[...this.permissionSetArns.keys()].join(', ')}.`);
    }
    return arn;
  }

  private createPermissionSet(set: PermissionSetSettings): void {
    // Each set gets a scope named after it, so that adding or removing a set does not
    // change the logical IDs of the others.
    const setScope = new Construct(this, set.name);
    const permissionSet = new sso.CfnPermissionSet(setScope, 'Resource', {
      instanceArn: this.instanceArn,
      name: set.name,
      description: set.description,
      sessionDuration: set.sessionDuration.toIsoString(),
      managedPolicies: set.awsManagedPolicyNames.length > 0 ? set.awsManagedPolicyNames.map(awsManagedPolicyArn) : undefined,
      customerManagedPolicyReferences: set.customerManagedPolicies.length > 0 ? set.customerManagedPolicies : undefined,
      inlinePolicy: set.inlinePolicy?.toJSON(),
      permissionsBoundary: set.permissionsBoundary === undefined
        ? undefined
        : { customerManagedPolicyReference: set.permissionsBoundary },
    });
    this.permissionSetArns.set(set.name, permissionSet.attrPermissionSetArn);

    // Assignments are named after the account and group, so that reordering the lists in
    // the configuration does not replace them.
    for (const assignment of set.assignments) {
      new sso.CfnAssignment(setScope, `${assignment.accountId}-${assignment.groupId}`, {
        instanceArn: this.instanceArn,
        permissionSetArn: permissionSet.attrPermissionSetArn,
        principalType: 'GROUP',
        principalId: assignment.groupId,
        targetType: 'AWS_ACCOUNT',
        targetId: assignment.accountId,
      });
    }

    for (const warning of set.warnings) {
      Annotations.of(setScope).addWarningV2(`@ssd-platform/security-baseline:${warning.id}`, warning.message);
    }
  }
}
