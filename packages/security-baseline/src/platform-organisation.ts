import { CfnDeletionPolicy, aws_organizations as organizations } from 'aws-cdk-lib';
import { Construct, DependencyGroup, IDependable } from 'constructs';
import {
  BackupPolicyOptions,
  GuardrailPolicy,
  GuardrailPolicyType,
  MandatoryTagPolicyOptions,
  RegionRestrictionOptions,
  SecurityServicesProtectionOptions,
} from './guardrail-policies';
import {
  OrganizationalUnitSpec,
  checkAccounts,
  checkOrganizationalUnitNames,
  checkRootId,
} from './private/organisation-validation';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show } from './private/validation';

/** An organizational unit (OU) of the platform's organisation. */
export enum PlatformOrganizationalUnit {
  /** The Security OU, for the log archive and security tooling accounts. */
  SECURITY = 'SECURITY',

  /** The Infrastructure OU, for the shared services account: networking, DNS and build tooling. */
  INFRASTRUCTURE = 'INFRASTRUCTURE',

  /** The Workloads OU, parent of the Production and NonProduction OUs. */
  WORKLOADS = 'WORKLOADS',

  /** The Production OU, under Workloads. */
  PRODUCTION = 'PRODUCTION',

  /** The NonProduction OU, under Workloads. */
  NON_PRODUCTION = 'NON_PRODUCTION',
}

/** A policy target: the organization root or one of the platform's organizational units. */
export enum PolicyTarget {
  /** The organization root. Policies attached here apply to every account. */
  ROOT = 'ROOT',

  /** The Security OU. */
  SECURITY = 'SECURITY',

  /** The Infrastructure OU. */
  INFRASTRUCTURE = 'INFRASTRUCTURE',

  /** The Workloads OU, and through it the Production and NonProduction OUs. */
  WORKLOADS = 'WORKLOADS',

  /** The Production OU. */
  PRODUCTION = 'PRODUCTION',

  /** The NonProduction OU. */
  NON_PRODUCTION = 'NON_PRODUCTION',
}

/** The names of the platform's organizational units in AWS Organizations. */
export interface OrganizationalUnitNames {
  /**
   * The name of the Security OU.
   *
   * @default 'Security'
   */
  readonly security?: string;

  /**
   * The name of the OU for the shared services account.
   *
   * @default 'Infrastructure'
   */
  readonly infrastructure?: string;

  /**
   * The name of the Workloads OU.
   *
   * @default 'Workloads'
   */
  readonly workloads?: string;

  /**
   * The name of the Production OU, under Workloads.
   *
   * @default 'Production'
   */
  readonly production?: string;

  /**
   * The name of the NonProduction OU, under Workloads.
   *
   * @default 'NonProduction'
   */
  readonly nonProduction?: string;
}

/** A member account that AWS Organizations creates in one of the platform's OUs. */
export interface MemberAccount {
  /**
   * The name of the account: 1 to 50 printable ASCII characters.
   *
   * It also names the account in the stack, so each account needs a different name.
   * CloudFormation cannot rename an account after it is created.
   */
  readonly accountName: string;

  /**
   * The email address of the account's root user, used by no other AWS account.
   * CloudFormation cannot change it after the account is created.
   */
  readonly email: string;

  /** The organizational unit that contains the account. */
  readonly organizationalUnit: PlatformOrganizationalUnit;

  /**
   * The name of the role that AWS Organizations creates in the account, which the
   * management account can assume with administrator permissions. CloudFormation cannot
   * change it after the account is created.
   *
   * @default 'OrganizationAccountAccessRole'
   */
  readonly roleName?: string;
}

/** Properties of the platform's organisation. */
export interface PlatformOrganisationProps {
  /**
   * The ID of the organization root, for example `r-a1b2`, as
   * `aws organizations list-roots` returns it. May be a token, for example
   * `CfnOrganization.attrRootId`.
   */
  readonly rootId: string;

  /**
   * The names of the organizational units.
   *
   * @default - Security, Infrastructure and Workloads under the root, Production and NonProduction under Workloads
   */
  readonly organizationalUnitNames?: OrganizationalUnitNames;

  /**
   * The member accounts that AWS Organizations creates, for example Security, Shared
   * Services, Production and Non-Production.
   *
   * CloudFormation creates them one after another, because AWS Organizations fails
   * concurrent account creation. The stack retains every account: removing one from this
   * list does not close it.
   *
   * @default - no account is created; existing accounts stay where they are
   */
  readonly accounts?: MemberAccount[];

  /**
   * The region restriction, attached to the root.
   *
   * @default - eu-west-2 only, with no exempt role
   */
  readonly regionRestriction?: RegionRestrictionOptions;

  /** The protection of the security services, attached to the root. */
  readonly securityServicesProtection: SecurityServicesProtectionOptions;

  /**
   * The tag policy, attached to the root.
   *
   * @default - the five mandatory tag keys and the data classification values, reported but not enforced
   */
  readonly tagPolicy?: MandatoryTagPolicyOptions;

  /** The daily backup plan, attached to the root. */
  readonly backupPolicy: BackupPolicyOptions;

  /**
   * Text put before the name of every policy this construct creates from its props, for
   * example `ssd-`. Policy names must be unique in the organization, so use a prefix when
   * the organization already has policies with the default names.
   *
   * @default - no prefix
   */
  readonly policyNamePrefix?: string;
}

/** The platform's organizational units: their props, default names and parents. */
const UNIT_SPECS: readonly OrganizationalUnitSpec[] = [
  { key: PlatformOrganizationalUnit.SECURITY, propName: 'security', defaultName: 'Security' },
  { key: PlatformOrganizationalUnit.INFRASTRUCTURE, propName: 'infrastructure', defaultName: 'Infrastructure' },
  { key: PlatformOrganizationalUnit.WORKLOADS, propName: 'workloads', defaultName: 'Workloads' },
  {
    key: PlatformOrganizationalUnit.PRODUCTION,
    propName: 'production',
    defaultName: 'Production',
    parent: PlatformOrganizationalUnit.WORKLOADS,
  },
  {
    key: PlatformOrganizationalUnit.NON_PRODUCTION,
    propName: 'nonProduction',
    defaultName: 'NonProduction',
    parent: PlatformOrganizationalUnit.WORKLOADS,
  },
];

/** The construct IDs of the organizational units. */
const UNIT_CONSTRUCT_IDS: Record<PlatformOrganizationalUnit, string> = {
  [PlatformOrganizationalUnit.SECURITY]: 'SecurityOu',
  [PlatformOrganizationalUnit.INFRASTRUCTURE]: 'InfrastructureOu',
  [PlatformOrganizationalUnit.WORKLOADS]: 'WorkloadsOu',
  [PlatformOrganizationalUnit.PRODUCTION]: 'ProductionOu',
  [PlatformOrganizationalUnit.NON_PRODUCTION]: 'NonProductionOu',
};

const UNITS: string[] = Object.values(PlatformOrganizationalUnit);
const TARGETS: string[] = Object.values(PolicyTarget);

/**
 * How many policies of each type AWS Organizations lets you attach to one root, OU or
 * account. Policies inherited from a parent do not count.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html
 */
const MAX_ATTACHED: Record<GuardrailPolicyType, number> = {
  [GuardrailPolicyType.SERVICE_CONTROL_POLICY]: 5,
  [GuardrailPolicyType.TAG_POLICY]: 10,
  [GuardrailPolicyType.BACKUP_POLICY]: 10,
};

/**
 * The AWS managed service control policy that AWS Organizations attaches to every root,
 * OU and account. Deny-list policies need it, and it counts towards the limit.
 */
const FULL_AWS_ACCESS = 'FullAWSAccess';

/** The props after defaults, as the construct uses them. */
interface OrganisationSettings {
  readonly unitNames: Record<string, string>;
  readonly accounts: Array<{ readonly constructId: string; readonly account: MemberAccount }>;
  readonly guardrails: Array<{ readonly id: string; readonly policy: GuardrailPolicy; readonly targets: PolicyTarget[] }>;
}

/**
 * The platform's AWS organisation, declared in the management account: its
 * organizational units, member accounts and guardrail policies.
 *
 * It creates the OUs Security, Infrastructure and Workloads under the root, and
 * Production and NonProduction under Workloads, then the member accounts in them. It
 * attaches these policies:
 *
 * - to the root, four service control policies: one keeps AWS use in eu-west-2, one
 *   denies leaving the organization, one protects the security services and one denies
 *   the root user of member accounts. The tag policy and the backup policy go there too.
 * - to the Security, Infrastructure and Workloads OUs, the service control policy that
 *   requires encryption.
 *
 * With `FullAWSAccess`, the root then has the 5 service control policies that AWS
 * Organizations allows per target, so attach further ones to OUs.
 *
 * The organization must have all features and the service control, tag and backup
 * policy types enabled, which CloudFormation cannot do for an existing organization.
 */
export class PlatformOrganisation extends Construct {
  /** The policies this construct created, in the order they were attached. */
  public readonly policies: organizations.CfnPolicy[] = [];

  /**
   * The creation of the member accounts, each in its OU. Make what needs the accounts to
   * exist depend on it, for example a StackSet that deploys into the OUs:
   * `bootstrap.node.addDependency(organisation.accountsCreated)`.
   *
   * Without `accounts` it is an empty group, so a dependency on it orders nothing.
   */
  public readonly accountsCreated: IDependable;

  private readonly rootId: string;
  private readonly units = new Map<string, organizations.CfnOrganizationalUnit>();
  private readonly memberAccounts = new Map<string, organizations.CfnAccount>();
  private readonly attached = new Map<PolicyTarget, GuardrailPolicy[]>();

  constructor(scope: Construct, id: string, props: PlatformOrganisationProps) {
    super(scope, id);
    const settings = validateProps(scope, id, props);
    this.rootId = props.rootId;

    this.createOrganizationalUnits(settings.unitNames);
    this.accountsCreated = this.createAccounts(settings.accounts);
    for (const guardrail of settings.guardrails) {
      this.attachPolicy(guardrail.id, guardrail.policy, guardrail.targets);
    }
  }

  /** Returns the ID of one of the platform's organizational units, for example `ou-a1b2-c3d4e5f6`. */
  public organizationalUnitId(unit: PlatformOrganizationalUnit): string {
    const resource = this.units.get(unit);
    if (resource === undefined) {
      throw new Error(`${show(unit)} is not an organizational unit of the platform. Use a PlatformOrganizationalUnit value.`);
    }
    return resource.attrId;
  }

  /** Returns the 12-digit ID of a member account that this construct created, known once the account exists. */
  public accountId(accountName: string): string {
    const resource = this.memberAccounts.get(accountName);
    if (resource === undefined) {
      const known = [...this.memberAccounts.keys()].map((name) => show(name)).join(', ') || 'none';
      throw new Error(`No member account is named ${show(accountName)}. The accounts of ${this.node.path} are: ${known}.`);
    }
    return resource.attrAccountId;
  }

  /**
   * Creates a policy in AWS Organizations and attaches it to the given targets.
   *
   * Throws when a target would have more policies of the policy's type than AWS
   * Organizations allows: 5 service control policies, counting `FullAWSAccess`, and 10
   * tag or backup policies. Also throws when this construct already created a policy of
   * the same name, because policy names are unique in an organization.
   *
   * @param id the construct ID of the policy, unique within this construct
   */
  public attachPolicy(id: string, policy: GuardrailPolicy, targets: PolicyTarget[]): organizations.CfnPolicy {
    const validator = new PropsValidator(`attachPolicy arguments for ${this.node.path}/${show(id)}`);
    const checkedTargets = this.checkAttachment(validator, id, policy, targets);
    validator.throwIfInvalid();

    const resource = new organizations.CfnPolicy(this, id, {
      name: policy.policyName,
      type: policy.type,
      description: policy.description,
      // Content goes in as a JSON object, not text, so that CloudFormation can detect drift.
      content: JSON.parse(policy.content),
      targetIds: checkedTargets.map((target) => this.targetId(target)),
    });
    for (const target of checkedTargets) {
      this.attached.set(target, [...(this.attached.get(target) ?? []), policy]);
    }
    this.policies.push(resource);
    return resource;
  }

  private createOrganizationalUnits(names: Record<string, string>): void {
    for (const spec of UNIT_SPECS) {
      const parentId = spec.parent === undefined ? this.rootId : this.units.get(spec.parent)!.attrId;
      const unit = spec.key as PlatformOrganizationalUnit;
      this.units.set(unit, new organizations.CfnOrganizationalUnit(this, UNIT_CONSTRUCT_IDS[unit], {
        name: names[unit],
        parentId,
      }));
    }
  }

  private createAccounts(accounts: OrganisationSettings['accounts']): IDependable {
    const created = new DependencyGroup();
    let previous: organizations.CfnAccount | undefined;
    for (const { constructId, account } of accounts) {
      const resource = new organizations.CfnAccount(this, constructId, {
        accountName: account.accountName,
        email: account.email,
        parentIds: [this.units.get(account.organizationalUnit)!.attrId],
        roleName: account.roleName ?? undefined,
      });

      // Closing an account deletes its resources after 90 days, and AWS limits how many
      // accounts an organization can close in 30 days. CloudFormation closes the account
      // only when its deletion policy is Delete, so the stack always retains it: closing
      // one is a decision for a person, through the Organizations console or CloseAccount.
      resource.cfnOptions.deletionPolicy = CfnDeletionPolicy.RETAIN;
      resource.cfnOptions.updateReplacePolicy = CfnDeletionPolicy.RETAIN;
      resource.node.addValidation({ validate: () => retainProblems(resource, account.accountName) });

      // AWS Organizations fails when several accounts are created at once.
      if (previous !== undefined) {
        resource.addDependency(previous);
      }
      previous = resource;
      this.memberAccounts.set(account.accountName, resource);
      created.add(resource);
    }
    return created;
  }

  /** Checks the arguments of `attachPolicy` and the attachment limits. Returns the targets without duplicates. */
  private checkAttachment(validator: PropsValidator, id: unknown, policy: unknown, targets: unknown): PolicyTarget[] {
    if (typeof id !== 'string' || id.length === 0) {
      validator.fail(`id is ${show(id)}. Give a construct ID for the policy, for example "DenyLeavingOrganization".`);
    } else if (this.node.tryFindChild(id) !== undefined) {
      validator.fail(`id ${show(id)} is already used by another construct in ${this.node.path}. Give the policy another ID.`);
    }
    if (!(policy instanceof GuardrailPolicy)) {
      validator.fail(`policy is ${show(policy)}, which is not a GuardrailPolicy. Build one with a GuardrailPolicy `
        + 'static method, for example GuardrailPolicy.denyLeavingOrganization() or GuardrailPolicy.fromJson(...).');
      return [];
    }
    if (this.policies.some((existing) => existing.name === policy.policyName)) {
      validator.fail(`A policy named ${show(policy.policyName)} is already attached by ${this.node.path}, and AWS `
        + 'Organizations needs a different name for each policy. Give this one another policyName.');
    }

    const list = checkList(validator, 'targets', targets, '[PolicyTarget.ROOT]');
    if (list === undefined) {
      return [];
    }
    if (list.length === 0) {
      validator.fail('targets is empty, so the policy would apply to no account. List at least one PolicyTarget.');
    }
    const invalid = list.filter((target) => !TARGETS.includes(target as string));
    for (const target of invalid) {
      validator.fail(`targets contains ${show(target)}, which is not a policy target. Use a PolicyTarget value: ${TARGETS.join(', ')}.`);
    }
    const checked = [...new Set(list as PolicyTarget[])].filter((target) => TARGETS.includes(target));
    for (const target of checked) {
      this.checkLimit(validator, target, policy);
    }
    return checked;
  }

  /** Records a problem when attaching `policy` would put a target over the AWS Organizations limit for its type. */
  private checkLimit(validator: PropsValidator, target: PolicyTarget, policy: GuardrailPolicy): void {
    const sameType = (this.attached.get(target) ?? []).filter((existing) => existing.type === policy.type);
    const names = sameType.map((existing) => existing.policyName);
    if (policy.type === GuardrailPolicyType.SERVICE_CONTROL_POLICY) {
      names.unshift(FULL_AWS_ACCESS);
    }
    const max = MAX_ATTACHED[policy.type];
    if (names.length + 1 > max) {
      validator.fail(`PolicyTarget.${target} already has ${names.length} policies of type ${policy.type} attached `
        + `(${names.join(', ')}), and AWS Organizations allows at most ${max} per root, OU or account`
        + `${policy.type === GuardrailPolicyType.SERVICE_CONTROL_POLICY ? `, counting ${FULL_AWS_ACCESS}` : ''}. `
        + `Attach ${show(policy.policyName)} to organizational units below it instead, or merge it with another policy.`);
    }
  }

  /** Returns the ID that CloudFormation uses for a policy target. */
  private targetId(target: PolicyTarget): string {
    return target === PolicyTarget.ROOT ? this.rootId : this.units.get(target as string)!.attrId;
  }
}

/** Reports an account whose deletion policy was changed from Retain, for example by a removal policy aspect. */
function retainProblems(account: organizations.CfnAccount, accountName: string): string[] {
  const { deletionPolicy, updateReplacePolicy } = account.cfnOptions;
  if (deletionPolicy === CfnDeletionPolicy.RETAIN && updateReplacePolicy === CfnDeletionPolicy.RETAIN) {
    return [];
  }
  return [`The member account ${show(accountName)} has DeletionPolicy ${deletionPolicy ?? 'unset'} and `
    + `UpdateReplacePolicy ${updateReplacePolicy ?? 'unset'}, so CloudFormation could close it. Keep both at Retain, `
    + 'for example by leaving the account out of removal policy aspects, and close accounts through AWS Organizations.'];
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
function validateProps(scope: Construct, id: string, props: PlatformOrganisationProps): OrganisationSettings {
  const validator = new PropsValidator(describeConstruct('PlatformOrganisation', scope, id));
  if (typeof props !== 'object' || props === null) {
    validator.fail(`props is ${show(props)}. Give at least { rootId, securityServicesProtection, backupPolicy }.`);
    validator.throwIfInvalid();
  }

  checkRootId(validator, props.rootId);
  const unitNames = checkOrganizationalUnitNames(validator, props.organizationalUnitNames, UNIT_SPECS);
  const accounts = checkAccounts(validator, props.accounts, UNITS)
    .map(({ index, constructId }) => ({ constructId, account: props.accounts![index] }));

  const namePrefix = checkNamePrefix(validator, props.policyNamePrefix);
  const build = (propName: string, kind: Parameters<typeof GuardrailPolicy._build>[2], options: unknown) =>
    GuardrailPolicy._build(validator, propName, kind, options, namePrefix);
  const topLevelUnits = [PolicyTarget.SECURITY, PolicyTarget.INFRASTRUCTURE, PolicyTarget.WORKLOADS];
  const candidates = [
    { id: 'RegionRestriction', targets: [PolicyTarget.ROOT], policy: build('regionRestriction', 'restrictRegions', props.regionRestriction) },
    { id: 'DenyLeavingOrganization', targets: [PolicyTarget.ROOT], policy: build('', 'denyLeavingOrganization', {}) },
    {
      id: 'SecurityServicesProtection',
      targets: [PolicyTarget.ROOT],
      policy: isGiven(props.securityServicesProtection)
        ? build('securityServicesProtection', 'protectSecurityServices', props.securityServicesProtection)
        : missing(validator, 'securityServicesProtection', '{ securityAdminRoleArnPatterns: ["arn:aws:iam::*:role/SecurityAdministrator"] }'),
    },
    { id: 'DenyRootUser', targets: [PolicyTarget.ROOT], policy: build('', 'denyRootUser', {}) },
    { id: 'RequireEncryption', targets: topLevelUnits, policy: build('', 'requireEncryption', {}) },
    { id: 'TagPolicy', targets: [PolicyTarget.ROOT], policy: build('tagPolicy', 'mandatoryTags', props.tagPolicy) },
    {
      id: 'BackupPolicy',
      targets: [PolicyTarget.ROOT],
      policy: isGiven(props.backupPolicy)
        ? build('backupPolicy', 'dailyBackups', props.backupPolicy)
        : missing(validator, 'backupPolicy', '{ backupVaultName: "platform-backups", backupRoleName: "service-role/AWSBackupDefaultServiceRole" }'),
    },
  ];
  checkUniqueNames(validator, candidates.map((candidate) => candidate.policy));
  validator.throwIfInvalid();

  return {
    unitNames,
    accounts,
    guardrails: candidates.map(({ id: policyId, targets, policy }) => ({ id: policyId, targets, policy: policy! })),
  };
}

/** Checks the policy name prefix. Returns it, or an empty string when it is not given or invalid. */
function checkNamePrefix(validator: PropsValidator, value: unknown): string {
  if (!isGiven(value)) {
    return '';
  }
  if (!isConcreteString(value) || !/^[\x20-\x7E]{1,64}$/.test(value)) {
    validator.fail(`policyNamePrefix is ${show(value)}. Give 1 to 64 printable ASCII characters, for example "ssd-", `
      + 'or omit policyNamePrefix.');
    return '';
  }
  return value;
}

/** Records that a required prop is missing. */
function missing(validator: PropsValidator, propName: string, example: string): undefined {
  validator.fail(`${propName} is missing. Give it, for example ${example}.`);
  return undefined;
}

/** Records a problem for each policy name that two of the platform's policies share. */
function checkUniqueNames(validator: PropsValidator, policies: Array<GuardrailPolicy | undefined>): void {
  const seen = new Set<string>();
  for (const policy of policies) {
    if (policy === undefined) {
      continue;
    }
    if (seen.has(policy.policyName)) {
      validator.fail(`Two policies are named ${show(policy.policyName)}, and AWS Organizations needs a different name for `
        + 'each policy. Change one policyName.');
    }
    seen.add(policy.policyName);
  }
}
