import { Duration } from 'aws-cdk-lib';
import {
  PolicyDocument,
  backupPolicyDocument,
  denyLeavingOrganizationDocument,
  denyRootUserDocument,
  regionRestrictionDocument,
  requireEncryptionDocument,
  securityServicesDocument,
  tagPolicyDocument,
} from './private/guardrail-documents';
import {
  ProblemTracker,
  checkCommonOptions,
  checkDailyBackups,
  checkMandatoryTags,
  checkPolicyDescription,
  checkPolicyName,
  checkRegionRestriction,
  checkSecurityServicesProtection,
} from './private/guardrail-validation';
import { PropsValidator, isConcreteString, isGiven, show } from './private/validation';
import { DataClassification, TaggingStandard } from './tagging-standard';

/**
 * The type of an AWS Organizations policy, as CloudFormation and the Organizations API name it.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies.html
 */
export enum GuardrailPolicyType {
  /** A service control policy (SCP), which limits what IAM principals in member accounts can do. */
  SERVICE_CONTROL_POLICY = 'SERVICE_CONTROL_POLICY',

  /** A tag policy, which standardises tag keys and values. */
  TAG_POLICY = 'TAG_POLICY',

  /** A backup policy, which deploys AWS Backup plans to the accounts. */
  BACKUP_POLICY = 'BACKUP_POLICY',
}

/** Options common to every guardrail policy. */
export interface GuardrailPolicyOptions {
  /**
   * The name of the policy in AWS Organizations: 1 to 128 printable ASCII characters,
   * unique among the organization's policies.
   *
   * @default - a name that says what the policy does, for example `DenyLeavingOrganization`
   */
  readonly policyName?: string;
}

/** Options of the policy that keeps AWS use in the allowed regions. */
export interface RegionRestrictionOptions extends GuardrailPolicyOptions {
  /**
   * The regions where the policy allows regional services.
   *
   * Only UK regions are accepted, and eu-west-2 (London) is the only one, so the list
   * exists to make the choice explicit: any other region is rejected.
   *
   * @default ['eu-west-2']
   */
  readonly allowedRegions?: string[];

  /**
   * ARN patterns of IAM roles that the policy does not restrict, for example a
   * break-glass role: `arn:aws:iam::*:role/BreakGlass`.
   *
   * Each is `arn:aws:iam::<12-digit account ID or *>:role/<path and name>`, where `*`
   * and `?` may stand for parts of the path and name. A pattern that matches every role
   * is rejected.
   *
   * @default - no role is exempt
   */
  readonly exemptRoleArnPatterns?: string[];
}

/** Options of the policy that protects the security services. */
export interface SecurityServicesProtectionOptions extends GuardrailPolicyOptions {
  /**
   * ARN patterns of the IAM roles that may still change or turn off the security
   * services, for example `arn:aws:iam::*:role/SecurityAdministrator`.
   *
   * At least one is needed, because without it no principal in a member account could
   * change the services' configuration. Service-linked roles, such as those of GuardDuty and
   * Security Hub, are not affected by service control policies, so they need no entry.
   * The roles that deploy these services or delete flow logs need an entry too, for
   * example the StackSets execution role (`arn:aws:iam::*:role/stacksets-exec-*`) or the
   * CDK CloudFormation execution role (`arn:aws:iam::*:role/cdk-*-cfn-exec-role-*`).
   * Without an entry for the CDK role, deleting a stack that has a flow log fails.
   */
  readonly securityAdminRoleArnPatterns: string[];
}

/** Options of the tag policy. */
export interface MandatoryTagPolicyOptions extends GuardrailPolicyOptions {
  /**
   * Resource types for which AWS rejects tagging operations that break the policy: a tag
   * key spelt in another case, or a `DataClassification` value outside the allowed ones.
   *
   * Each is `service:type`, `service:*` or `service:ALL_SUPPORTED`, for example
   * `s3:bucket`. Tag policies never require a tag to be present: they check the
   * spelling and values of the tags that a resource has.
   *
   * @default - no enforcement; the policy only reports noncompliant tags
   * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_supported-resources-enforcement.html
   */
  readonly enforcedFor?: string[];
}

/** Options of the backup policy. */
export interface BackupPolicyOptions extends GuardrailPolicyOptions {
  /**
   * The name of the AWS Backup vault that stores the recovery points.
   *
   * The vault must exist in every account and region the policy applies to before the
   * first backup runs: the policy does not create it.
   */
  readonly backupVaultName: string;

  /**
   * The name of the IAM role that AWS Backup assumes, with its path if it has one, for
   * example `service-role/AWSBackupDefaultServiceRole`.
   *
   * The policy uses `arn:aws:iam::$account:role/<name>`, and AWS Backup puts each
   * account's ID in place of `$account`, so the role must exist with this name in every
   * account the policy applies to.
   */
  readonly backupRoleName: string;

  /**
   * How long each recovery point is kept, in whole days from 1 to 36500.
   *
   * @default Duration.days(35)
   */
  readonly retention?: Duration;

  /**
   * The tag key that selects the resources to back up.
   *
   * @default 'backup'
   */
  readonly selectionTagKey?: string;

  /**
   * The values of `selectionTagKey` that select a resource for backup.
   *
   * @default ['true']
   */
  readonly selectionTagValues?: string[];

  /**
   * The regions where the plan backs up resources. Only UK regions are accepted, so
   * that backups stay in the UK, and the plan copies recovery points to no other region.
   *
   * @default ['eu-west-2']
   */
  readonly regions?: string[];
}

/** Options of a guardrail policy whose content you write. */
export interface CustomGuardrailPolicyOptions {
  /** The name of the policy in AWS Organizations: 1 to 128 printable ASCII characters. */
  readonly policyName: string;

  /** The type of the policy. */
  readonly type: GuardrailPolicyType;

  /** The policy document, as JSON text. */
  readonly content: string;

  /**
   * The description of the policy, at most 512 characters.
   *
   * @default - no description
   */
  readonly description?: string;
}

const POLICY_TYPES: string[] = Object.values(GuardrailPolicyType);
const MAX_POLICY_NAME_LENGTH = 128;

/**
 * The maximum size of each policy type's document, in characters.
 *
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
const MAX_CHARACTERS: Record<GuardrailPolicyType, number> = {
  [GuardrailPolicyType.SERVICE_CONTROL_POLICY]: 5120,
  [GuardrailPolicyType.TAG_POLICY]: 10000,
  [GuardrailPolicyType.BACKUP_POLICY]: 10000,
};

/** The policy types as AWS documentation names them, for messages. */
const TYPE_NAMES: Record<GuardrailPolicyType, string> = {
  [GuardrailPolicyType.SERVICE_CONTROL_POLICY]: 'service control policy',
  [GuardrailPolicyType.TAG_POLICY]: 'tag policy',
  [GuardrailPolicyType.BACKUP_POLICY]: 'backup policy',
};

/**
 * An AWS Organizations policy of the platform's guardrails: a service control policy, a
 * tag policy or a backup policy, built and checked before deployment.
 *
 * Each static method builds one policy from typed options and throws one error that lists
 * every invalid option. Every policy is checked against the size limit of its type.
 * `PlatformOrganisation` creates and attaches the platform's policies, and its
 * `attachPolicy` method attaches others.
 */
export class GuardrailPolicy {
  /**
   * Builds a service control policy that denies requests outside the allowed regions.
   *
   * Global services are exempt, because their only endpoint is in us-east-1. They are
   * IAM, Organizations, STS, CloudFront, Route 53, AWS WAF, Shield, Support, Trusted
   * Advisor, Health, Budgets, Cost Explorer, the Cost and Usage Report, Account Management
   * and the Price List API. `ec2:DescribeRegions` and the S3 calls that list buckets are
   * exempt too. AWS Certificate Manager is also allowed in us-east-1, because CloudFront
   * uses certificates from that region only.
   *
   * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples_general.html
   */
  public static restrictRegions(options: RegionRestrictionOptions = {}): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('restrictRegions', options);
  }

  /** Builds a service control policy that denies `organizations:LeaveOrganization`. */
  public static denyLeavingOrganization(options: GuardrailPolicyOptions = {}): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('denyLeavingOrganization', options);
  }

  /**
   * Builds a service control policy that denies turning off or changing AWS CloudTrail,
   * AWS Config, Amazon GuardDuty, AWS Security Hub and VPC flow logs, except to the
   * security administrator roles.
   *
   * For CloudTrail, it denies stopping, deleting or updating trails, event selectors and
   * event data stores. For AWS Config, it denies deleting, stopping or changing
   * configuration recorders, delivery channels, retention, rules and aggregators. For
   * GuardDuty, it denies deleting or updating detectors, publishing destinations and the
   * organization configuration, creating or changing filters and trusted IP lists, and
   * leaving or removing members. For Security Hub, it denies turning off the service, its
   * standards, controls and product integrations, and leaving or removing members. It
   * also denies deleting flow logs.
   *
   * It also protects the roles that `MemberAccountBootstrap` relies on: it denies
   * creating, deleting or changing roles named `stacksets-exec-*` to every principal, and
   * changing the CDK's bootstrap roles (`cdk-*-deploy-role-*`, `cdk-*-cfn-exec-role-*`,
   * `cdk-*-file-publishing-role-*`, `cdk-*-image-publishing-role-*`,
   * `cdk-*-lookup-role-*`) to every principal except the `stacksets-exec-*` roles.
   * Service-managed StackSets create their execution role through a service-linked role,
   * which service control policies do not affect.
   */
  public static protectSecurityServices(options: SecurityServicesProtectionOptions): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('protectSecurityServices', options);
  }

  /**
   * Builds a service control policy that requires encryption: it denies unencrypted EBS
   * volumes (`ec2:CreateVolume`, and `ec2:RunInstances` with a volume whose
   * `ec2:Encrypted` is false), S3 uploads without the `x-amz-server-side-encryption`
   * header, and every S3 request without TLS.
   *
   * Every `s3:PutObject` request from an IAM principal must then name its server-side
   * encryption, even when the bucket has default encryption. AWS services that write
   * with their own service principal, such as log delivery, are not affected.
   */
  public static requireEncryption(options: GuardrailPolicyOptions = {}): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('requireEncryption', options);
  }

  /**
   * Builds a service control policy that denies every action to the root user of the
   * member accounts.
   *
   * Service control policies never apply to the management account, so its root user is
   * not affected.
   *
   * NOTE: root sessions that the management account starts with `sts:AssumeRoot` run as
   * the root user, so this policy is expected to deny them too. Detach it from the
   * account for the length of such a task.
   */
  public static denyRootUser(options: GuardrailPolicyOptions = {}): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('denyRootUser', options);
  }

  /**
   * Builds a tag policy from the platform's tagging standard: the five mandatory tag
   * keys with the capitalisation of `TaggingStandard`, and the `DataClassification`
   * values of the `DataClassification` enum.
   *
   * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_example-tag-policies.html
   */
  public static mandatoryTags(options: MandatoryTagPolicyOptions = {}): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('mandatoryTags', options);
  }

  /**
   * Builds a backup policy with one plan: a daily backup at 01:00 UTC of every resource
   * that carries the selection tag, in the UK regions only, kept for `retention` in the
   * named vault, and copied to no other region.
   *
   * Backup jobs must start within 60 minutes and finish within 24 hours.
   *
   * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_backup_syntax.html
   */
  public static dailyBackups(options: BackupPolicyOptions): GuardrailPolicy {
    return GuardrailPolicy.buildOrThrow('dailyBackups', options);
  }

  /**
   * Builds a policy from JSON that you write, checked for JSON syntax and size.
   *
   * Use it for a guardrail that the other methods do not cover, and attach it with
   * `PlatformOrganisation.attachPolicy`, which checks the number of policies per target.
   */
  public static fromJson(options: CustomGuardrailPolicyOptions): GuardrailPolicy {
    const validator = new PropsValidator('GuardrailPolicy.fromJson options');
    if (typeof options !== 'object' || options === null) {
      validator.fail(`options is ${show(options)}. Give { policyName, type, content }.`);
      validator.throwIfInvalid();
    }
    checkPolicyName(validator, 'policyName', options.policyName);
    if (!POLICY_TYPES.includes(options.type)) {
      validator.fail(`type is ${show(options.type)}, which is not a policy type. Use a GuardrailPolicyType value, `
        + 'for example GuardrailPolicyType.SERVICE_CONTROL_POLICY.');
    }
    if (isGiven(options.description)) {
      checkPolicyDescription(validator, 'description', options.description);
    }
    const document = parseDocument(validator, options.content);
    validator.throwIfInvalid();

    const policy = new GuardrailPolicy({
      policyName: options.policyName,
      type: options.type,
      description: options.description ?? undefined,
      document: document!,
    });
    checkSize(validator, '', policy);
    validator.throwIfInvalid();
    return policy;
  }

  /**
   * Builds one of the platform's policies, recording every problem in `validator` under
   * the prop path `prefix`. Returns undefined when there is a problem.
   *
   * @param namePrefix text put before the policy name
   * @internal
   */
  public static _build(validator: PropsValidator, prefix: string, kind: GuardrailKind, options: unknown, namePrefix = '')
    : GuardrailPolicy | undefined {
    const tracker = new ProblemTracker(validator);
    const spec = specOf(tracker, prefix, kind, options);
    if (spec === undefined || tracker.hasProblems) {
      return undefined;
    }
    const policy = new GuardrailPolicy({ ...spec, policyName: namePrefix + spec.policyName });
    if (policy.policyName.length > MAX_POLICY_NAME_LENGTH) {
      tracker.fail(`The name prefix ${show(namePrefix)} makes the name of the ${TYPE_NAMES[policy.type]} ${show(spec.policyName)} `
        + `${policy.policyName.length} characters long, but AWS Organizations accepts at most ${MAX_POLICY_NAME_LENGTH}. `
        + `Shorten the prefix or ${propPath(prefix, 'policyName')}.`);
    }
    checkSize(tracker, prefix, policy);
    return tracker.hasProblems ? undefined : policy;
  }

  /** Builds one of the platform's policies, or throws one error that lists every problem. */
  private static buildOrThrow(kind: GuardrailKind, options: unknown): GuardrailPolicy {
    const validator = new PropsValidator(`GuardrailPolicy.${kind} options`);
    const policy = GuardrailPolicy._build(validator, '', kind, options);
    validator.throwIfInvalid();
    return policy!;
  }

  /** The name of the policy in AWS Organizations. */
  public readonly policyName: string;

  /** The type of the policy. */
  public readonly type: GuardrailPolicyType;

  /** The description of the policy, if it has one. */
  public readonly description?: string;

  /** The policy document as JSON text, without whitespace. */
  public readonly content: string;

  /**
   * The length of `content` in characters, which AWS Organizations compares with the
   * policy type's size limit.
   *
   * NOTE: this assumes that CloudFormation sends the document without whitespace, as
   * `content` has it. The limit check could pass a document that CloudFormation then
   * sends with whitespace added.
   */
  public readonly sizeInCharacters: number;

  /** The largest document AWS Organizations accepts for this policy type, in characters. */
  public readonly maxSizeInCharacters: number;

  private constructor(spec: PolicySpec) {
    this.policyName = spec.policyName;
    this.type = spec.type;
    this.description = spec.description;
    this.content = JSON.stringify(spec.document);
    this.sizeInCharacters = this.content.length;
    this.maxSizeInCharacters = MAX_CHARACTERS[spec.type];
  }
}

/** The policies that `GuardrailPolicy` builds from typed options, named as its static methods. */
type GuardrailKind = 'restrictRegions' | 'denyLeavingOrganization' | 'protectSecurityServices' | 'requireEncryption'
| 'denyRootUser' | 'mandatoryTags' | 'dailyBackups';

/** Checks the options of one of the platform's policies. Returns what to build, or undefined when they are invalid. */
function specOf(validator: PropsValidator, prefix: string, kind: GuardrailKind, rawOptions: unknown): PolicySpec | undefined {
  switch (kind) {
    case 'restrictRegions': {
      const options = rawOptions as RegionRestrictionOptions | undefined;
      const settings = checkRegionRestriction(validator, prefix, options);
      return settings && {
        policyName: options?.policyName ?? 'DenyRegionsOutsideUk',
        type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
        description: `Denies requests outside ${settings.allowedRegions.join(', ')}, except to global services.`,
        document: regionRestrictionDocument(settings.allowedRegions, settings.exemptRoleArnPatterns),
      };
    }
    case 'denyLeavingOrganization': {
      const options = rawOptions as GuardrailPolicyOptions | undefined;
      checkCommonOptions(validator, prefix, options);
      return {
        policyName: options?.policyName ?? 'DenyLeavingOrganization',
        type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
        description: 'Denies leaving the organization, which would free the account from its guardrails.',
        document: denyLeavingOrganizationDocument(),
      };
    }
    case 'protectSecurityServices': {
      const options = rawOptions as SecurityServicesProtectionOptions | undefined;
      const patterns = checkSecurityServicesProtection(validator, prefix, options);
      return patterns && {
        policyName: options?.policyName ?? 'ProtectSecurityServices',
        type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
        description: 'Denies turning off or changing CloudTrail, Config, GuardDuty, Security Hub and flow logs, '
          + 'except to the security administrator roles, and changes to the StackSet execution and CDK bootstrap roles.',
        document: securityServicesDocument(patterns),
      };
    }
    case 'requireEncryption': {
      const options = rawOptions as GuardrailPolicyOptions | undefined;
      checkCommonOptions(validator, prefix, options);
      return {
        policyName: options?.policyName ?? 'RequireEncryption',
        type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
        description: 'Denies unencrypted EBS volumes, S3 uploads without server-side encryption and S3 requests without TLS.',
        document: requireEncryptionDocument(),
      };
    }
    case 'denyRootUser': {
      const options = rawOptions as GuardrailPolicyOptions | undefined;
      checkCommonOptions(validator, prefix, options);
      return {
        policyName: options?.policyName ?? 'DenyRootUser',
        type: GuardrailPolicyType.SERVICE_CONTROL_POLICY,
        description: 'Denies every action to the root user of member accounts.',
        document: denyRootUserDocument(),
      };
    }
    case 'mandatoryTags': {
      const options = rawOptions as MandatoryTagPolicyOptions | undefined;
      const enforcedFor = checkMandatoryTags(validator, prefix, options);
      return enforcedFor && mandatoryTagsSpec(options?.policyName ?? 'MandatoryTags', enforcedFor);
    }
    case 'dailyBackups': {
      const options = rawOptions as BackupPolicyOptions | undefined;
      const settings = checkDailyBackups(validator, prefix, options);
      return settings && {
        policyName: options?.policyName ?? 'DailyBackups',
        type: GuardrailPolicyType.BACKUP_POLICY,
        description: `Backs up tagged resources daily in ${settings.regions.join(', ')}, kept for `
          + `${settings.retentionDays} days, with no copy to another region.`,
        document: backupPolicyDocument({ planName: 'DailyBackups', ...settings }),
      };
    }
  }
}

/**
 * Builds the tag policy from the tagging standard's constants, so that the two cannot
 * drift apart: the five tag keys as `TaggingStandard` spells them, and the values of
 * the `DataClassification` enum.
 */
function mandatoryTagsSpec(policyName: string, enforcedFor: string[]): PolicySpec {
  const tagKeys = [
    TaggingStandard.COST_CENTRE_KEY,
    TaggingStandard.ENVIRONMENT_KEY,
    TaggingStandard.SERVICE_KEY,
    TaggingStandard.OWNER_KEY,
    TaggingStandard.DATA_CLASSIFICATION_KEY,
  ];
  const allowedValues = { [TaggingStandard.DATA_CLASSIFICATION_KEY]: Object.values(DataClassification) as string[] };
  return {
    policyName,
    type: GuardrailPolicyType.TAG_POLICY,
    description: `Fixes the spelling of the tag keys ${tagKeys.join(', ')} and the allowed values of `
      + `${TaggingStandard.DATA_CLASSIFICATION_KEY}.`,
    document: tagPolicyDocument(tagKeys, allowedValues, enforcedFor),
  };
}

/** Joins a prefix and a prop name into a prop path, for example `regionRestriction.policyName`. */
function propPath(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/** Records a problem when a policy is larger than AWS Organizations accepts for its type. */
function checkSize(validator: PropsValidator, prefix: string, policy: GuardrailPolicy): void {
  if (policy.sizeInCharacters > policy.maxSizeInCharacters) {
    validator.fail(`${prefix ? `${prefix}: ` : ''}the ${TYPE_NAMES[policy.type]} ${show(policy.policyName)} is `
      + `${policy.sizeInCharacters} characters long, but AWS Organizations accepts at most ${policy.maxSizeInCharacters} `
      + 'characters for this policy type. Shorten it, for example by listing fewer role ARN patterns, or split it into two policies.');
  }
}

/** The parts a policy is built from. */
interface PolicySpec {
  readonly policyName: string;
  readonly type: GuardrailPolicyType;
  readonly description?: string;
  readonly document: PolicyDocument;
}

/** Parses the JSON text of a custom policy. Returns the document, or undefined when it is not a JSON object. */
function parseDocument(validator: PropsValidator, content: unknown): PolicyDocument | undefined {
  if (!isConcreteString(content)) {
    validator.fail(`content is ${show(content)}. Give the policy document as literal JSON text, because its size is `
      + 'checked before deployment.');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    validator.fail(`content is not valid JSON: ${(error as Error).message}. Give the policy document as JSON text.`);
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    validator.fail(`content is ${show(parsed)} once parsed, which is not a JSON object. Give the policy document as a JSON object.`);
    return undefined;
  }
  return parsed as PolicyDocument;
}
