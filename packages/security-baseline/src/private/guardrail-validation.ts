import { Duration } from 'aws-cdk-lib';
import type {
  BackupPolicyOptions,
  GuardrailPolicyOptions,
  MandatoryTagPolicyOptions,
  RegionRestrictionOptions,
  SecurityServicesProtectionOptions,
} from '../guardrail-policies';
import { tagKeyProblems, tagValueProblems } from './tags';
import { PropsValidator, checkList, daysOf, isConcreteString, isGiven, show } from './validation';

/**
 * The AWS regions in the UK. Data of the platform must stay in the UK, and London is the
 * only UK region, so every region list of the guardrails must be a subset of this one.
 */
export const UK_REGIONS: readonly string[] = ['eu-west-2'];

/** Passes problems on to another validator, and remembers whether it received any. */
export class ProblemTracker extends PropsValidator {
  private recorded = false;

  constructor(private readonly target: PropsValidator) {
    super('problems passed on to another validator');
  }

  /** Tests whether any problem has been recorded. */
  public get hasProblems(): boolean {
    return this.recorded;
  }

  public fail(message: string): void {
    this.recorded = true;
    this.target.fail(message);
  }
}

const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * An IAM role ARN in the commercial partition, the only one with a UK region, with a
 * 12-digit account ID or `*`, and `*` or `?` allowed in the path and name.
 */
const ROLE_ARN_PATTERN = /^arn:aws:iam::(\d{12}|\*):role\/([\w+=,.@\-/*?]+)$/;

/** An IAM role name with an optional path, as an ARN writes it after `role/`. */
const ROLE_NAME_WITH_PATH = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

/** AWS Backup vault names: 2 to 50 letters, digits, hyphens and underscores. */
const BACKUP_VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;

/**
 * A resource type for `enforced_for` in a tag policy: `service:type`, `service:*` or
 * `service:ALL_SUPPORTED`.
 */
const ENFORCED_FOR_TYPE = /^[a-z0-9-]+:([A-Za-z0-9-]+|\*|ALL_SUPPORTED)$/;

/** The limits AWS Organizations sets on policy names and descriptions. */
const MAX_POLICY_NAME_LENGTH = 128;
const MAX_DESCRIPTION_LENGTH = 512;
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;

/** AWS Backup keeps recovery points for 1 day to 100 years. */
const MIN_RETENTION_DAYS = 1;
const MAX_RETENTION_DAYS = 36500;

/**
 * Checks a list of AWS regions that must all be in the UK. Returns the regions, without
 * duplicates, or undefined when the list itself is invalid.
 */
export function checkUkRegions(validator: PropsValidator, path: string, value: unknown): string[] | undefined {
  const regions = checkList(validator, path, value, '["eu-west-2"]');
  if (regions === undefined) {
    return undefined;
  }
  if (regions.length === 0) {
    validator.fail(`${path} is empty. List eu-west-2, the only UK AWS region, or omit ${path} to use it.`);
    return undefined;
  }

  let valid = true;
  for (const region of regions) {
    if (!isConcreteString(region)) {
      validator.fail(`${path} contains ${show(region)}. Give each region as a literal string, for example "eu-west-2", `
        + 'because the regions are written into the policy and checked before deployment.');
      valid = false;
    } else if (!REGION_CODE.test(region)) {
      validator.fail(`${path} contains ${show(region)}, which is not an AWS region code. Use "eu-west-2" for London.`);
      valid = false;
    } else if (!UK_REGIONS.includes(region)) {
      validator.fail(`${path} contains ${show(region)}, which is outside the UK. The platform's data must stay in the UK, `
        + 'and eu-west-2 (London) is the only UK AWS region, so list only "eu-west-2".');
      valid = false;
    }
  }
  return valid ? [...new Set(regions as string[])] : undefined;
}

/**
 * Checks a list of IAM role ARN patterns, such as `arn:aws:iam::*:role/PlatformAdmin`.
 * Returns the patterns, or undefined when any of them is invalid.
 *
 * @param required whether an empty list is a problem
 */
export function checkRoleArnPatterns(validator: PropsValidator, path: string, value: unknown, required: boolean): string[] | undefined {
  const patterns = checkList(validator, path, value, '["arn:aws:iam::*:role/PlatformAdmin"]');
  if (patterns === undefined) {
    return undefined;
  }
  if (required && patterns.length === 0) {
    validator.fail(`${path} is empty, so no role could make the changes the policy denies. `
      + 'List at least one role ARN pattern, for example "arn:aws:iam::*:role/SecurityAdministrator".');
    return undefined;
  }

  let valid = true;
  for (const pattern of patterns) {
    const problem = roleArnPatternProblem(pattern);
    if (problem !== undefined) {
      validator.fail(`${path} contains ${show(pattern)}, ${problem}`);
      valid = false;
    }
  }
  return valid ? [...new Set(patterns as string[])] : undefined;
}

/** Explains what is wrong with a role ARN pattern, or returns undefined when it is valid. */
function roleArnPatternProblem(pattern: unknown): string | undefined {
  if (!isConcreteString(pattern)) {
    return 'which is not a literal string. Give each role ARN pattern as a literal string, because it is written into '
      + 'the policy and the policy size is checked before deployment.';
  }
  const match = ROLE_ARN_PATTERN.exec(pattern);
  if (match === null) {
    return 'which is not an IAM role ARN pattern. Use arn:aws:iam::<12-digit account ID or *>:role/<path and name>, '
      + 'where * and ? may stand for parts of the path and name, for example "arn:aws:iam::*:role/PlatformAdmin".';
  }
  if (/^[*?/]*$/.test(match[2])) {
    return 'which matches every role, so the policy would exempt everyone. Name the role, for example '
      + '"arn:aws:iam::*:role/PlatformAdmin".';
  }
  return undefined;
}

/** Checks a policy name against the AWS Organizations limits. */
export function checkPolicyName(validator: PropsValidator, path: string, value: unknown): void {
  if (!isConcreteString(value)) {
    validator.fail(`${path} is ${show(value)}. Give the policy name as a literal string, for example "DenyLeavingOrganization".`);
  } else if (value.length > MAX_POLICY_NAME_LENGTH || !PRINTABLE_ASCII.test(value)) {
    validator.fail(`${path} is ${show(value)}. AWS Organizations accepts policy names of 1 to ${MAX_POLICY_NAME_LENGTH} `
      + 'printable ASCII characters.');
  }
}

/** Checks a policy description against the AWS Organizations limits. */
export function checkPolicyDescription(validator: PropsValidator, path: string, value: unknown): void {
  if (!isConcreteString(value)) {
    validator.fail(`${path} is ${show(value)}. Give the description as a literal string.`);
  } else if (value.length > MAX_DESCRIPTION_LENGTH) {
    validator.fail(`${path} is ${value.length} characters long. AWS Organizations accepts descriptions of at most `
      + `${MAX_DESCRIPTION_LENGTH} characters, so shorten it.`);
  }
}

/** Checks the resource types for `enforced_for` in a tag policy. Returns them, or undefined when any is invalid. */
export function checkEnforcedFor(validator: PropsValidator, path: string, value: unknown): string[] | undefined {
  const types = checkList(validator, path, value, '["s3:bucket", "secretsmanager:ALL_SUPPORTED"]');
  if (types === undefined) {
    return undefined;
  }
  let valid = true;
  for (const type of types) {
    if (!isConcreteString(type) || !ENFORCED_FOR_TYPE.test(type)) {
      validator.fail(`${path} contains ${show(type)}, which is not a tag policy resource type. Use service:type, service:* `
        + 'or service:ALL_SUPPORTED, for example "s3:bucket" or "secretsmanager:ALL_SUPPORTED".');
      valid = false;
    }
  }
  return valid ? [...new Set(types as string[])] : undefined;
}

/** Checks the name of the AWS Backup vault that a backup policy writes to. */
export function checkBackupVaultName(validator: PropsValidator, path: string, value: unknown): void {
  if (!isConcreteString(value) || !BACKUP_VAULT_NAME.test(value)) {
    validator.fail(`${path} is ${show(value)}, which is not a backup vault name. AWS Backup accepts 2 to 50 letters, `
      + 'digits, hyphens and underscores, for example "platform-backups".');
  }
}

/** Checks the name, with optional path, of the IAM role that AWS Backup assumes in each account. */
export function checkBackupRoleName(validator: PropsValidator, path: string, value: unknown): void {
  if (!isConcreteString(value) || !ROLE_NAME_WITH_PATH.test(value)) {
    validator.fail(`${path} is ${show(value)}, which is not an IAM role name. Give the role's name, with its path if it `
      + 'has one, for example "service-role/AWSBackupDefaultServiceRole". Do not give an ARN: the policy builds one '
      + 'for each account.');
  }
}

/** Checks how long backups are kept. Returns the whole number of days, or undefined when invalid. */
export function checkRetentionDays(validator: PropsValidator, path: string, value: unknown, defaultDays: number): number | undefined {
  if (!isGiven(value)) {
    return defaultDays;
  }
  if (!(value instanceof Duration)) {
    validator.fail(`${path} is ${show(value)}, which is not a Duration. Give a Duration, for example Duration.days(35).`);
    return undefined;
  }
  const days = daysOf(value);
  if (days === undefined) {
    validator.fail(`${path} is a token. Give a literal Duration, for example Duration.days(35), because it is written `
      + 'into the backup policy.');
    return undefined;
  }
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS) {
    validator.fail(`${path} is ${value.toHumanString()}. AWS Backup keeps recovery points for a whole number of days `
      + `from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}, for example Duration.days(35).`);
    return undefined;
  }
  return days;
}

/** Checks the tag key that selects the resources to back up. */
export function checkSelectionTagKey(validator: PropsValidator, path: string, value: unknown): void {
  if (!isConcreteString(value)) {
    validator.fail(`${path} is ${show(value)}. Give the tag key as a literal string, for example "backup".`);
    return;
  }
  for (const problem of tagKeyProblems(value)) {
    validator.fail(`${path} ${show(value)} is not a valid tag key: ${problem}.`);
  }
}

/** Checks the tag values that select the resources to back up. Returns them, or undefined when invalid. */
export function checkSelectionTagValues(validator: PropsValidator, path: string, value: unknown): string[] | undefined {
  const values = checkList(validator, path, value, '["true"]');
  if (values === undefined) {
    return undefined;
  }
  if (values.length === 0) {
    validator.fail(`${path} is empty, so no resource would be backed up. List at least one tag value, for example ["true"].`);
    return undefined;
  }
  let valid = true;
  for (const tagValue of values) {
    if (!isConcreteString(tagValue)) {
      validator.fail(`${path} contains ${show(tagValue)}. Give each tag value as a literal string, for example "true".`);
      valid = false;
      continue;
    }
    for (const problem of tagValueProblems(tagValue)) {
      validator.fail(`${path} contains ${show(tagValue)}, which is not a valid tag value: ${problem}.`);
      valid = false;
    }
  }
  return valid ? [...new Set(values as string[])] : undefined;
}

const DEFAULT_BACKUP_RETENTION_DAYS = 35;

/** Joins a prefix and a prop name into a prop path, for example `regionRestriction.allowedRegions`. */
function propPath(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}

/**
 * Records a problem unless `options` is an object (or, when allowed, not given).
 * Returns true when the options can be read.
 */
function checkOptionsObject(validator: PropsValidator, prefix: string, options: unknown, required: boolean): boolean {
  if (!isGiven(options)) {
    if (required) {
      validator.fail(`${prefix || 'options'} is ${show(options)}. Give the options as an object.`);
    }
    return false;
  }
  if (typeof options !== 'object') {
    validator.fail(`${prefix || 'options'} is ${show(options)}. Give the options as an object.`);
    return false;
  }
  return true;
}

/** Checks the options that every guardrail policy takes. */
export function checkCommonOptions(validator: PropsValidator, prefix: string, options: GuardrailPolicyOptions | undefined): void {
  if (checkOptionsObject(validator, prefix, options, false) && isGiven(options!.policyName)) {
    checkPolicyName(validator, propPath(prefix, 'policyName'), options!.policyName);
  }
}

/** The region restriction settings after defaults. */
interface RegionRestrictionSettings {
  readonly allowedRegions: string[];
  readonly exemptRoleArnPatterns: string[];
}

/** Checks the options of `restrictRegions`, recording every problem. Returns the settings when valid. */
export function checkRegionRestriction(validator: PropsValidator, prefix: string, options: RegionRestrictionOptions | undefined)
  : RegionRestrictionSettings | undefined {
  checkCommonOptions(validator, prefix, options);
  const readable = isGiven(options) && typeof options === 'object';
  const allowedRegions = readable && isGiven(options.allowedRegions)
    ? checkUkRegions(validator, propPath(prefix, 'allowedRegions'), options.allowedRegions)
    : [...UK_REGIONS];
  const exemptRoleArnPatterns = readable && isGiven(options.exemptRoleArnPatterns)
    ? checkRoleArnPatterns(validator, propPath(prefix, 'exemptRoleArnPatterns'), options.exemptRoleArnPatterns, false)
    : [];
  if (allowedRegions === undefined || exemptRoleArnPatterns === undefined) {
    return undefined;
  }
  return { allowedRegions, exemptRoleArnPatterns };
}

/** Checks the options of `protectSecurityServices`. Returns the role ARN patterns when valid. */
export function checkSecurityServicesProtection(validator: PropsValidator, prefix: string,
  options: SecurityServicesProtectionOptions | undefined): string[] | undefined {
  if (!checkOptionsObject(validator, prefix, options, true)) {
    return undefined;
  }
  checkCommonOptions(validator, prefix, options);
  return checkRoleArnPatterns(validator, propPath(prefix, 'securityAdminRoleArnPatterns'),
    options!.securityAdminRoleArnPatterns, true);
}

/** Checks the options of `mandatoryTags`. Returns the enforced resource types when valid. */
export function checkMandatoryTags(validator: PropsValidator, prefix: string, options: MandatoryTagPolicyOptions | undefined)
  : string[] | undefined {
  checkCommonOptions(validator, prefix, options);
  if (!isGiven(options) || typeof options !== 'object' || !isGiven(options.enforcedFor)) {
    return [];
  }
  return checkEnforcedFor(validator, propPath(prefix, 'enforcedFor'), options.enforcedFor);
}

/** The daily backup settings after defaults. */
interface DailyBackupSettings {
  readonly regions: string[];
  readonly vaultName: string;
  readonly roleName: string;
  readonly retentionDays: number;
  readonly selectionTagKey: string;
  readonly selectionTagValues: string[];
}

/** Checks the options of `dailyBackups`, recording every problem. Returns the settings when valid. */
export function checkDailyBackups(validator: PropsValidator, prefix: string, options: BackupPolicyOptions | undefined)
  : DailyBackupSettings | undefined {
  if (!checkOptionsObject(validator, prefix, options, true)) {
    return undefined;
  }
  const given = options!;
  checkCommonOptions(validator, prefix, given);
  checkBackupVaultName(validator, propPath(prefix, 'backupVaultName'), given.backupVaultName);
  checkBackupRoleName(validator, propPath(prefix, 'backupRoleName'), given.backupRoleName);
  const retentionDays = checkRetentionDays(validator, propPath(prefix, 'retention'), given.retention, DEFAULT_BACKUP_RETENTION_DAYS);

  const selectionTagKey = given.selectionTagKey ?? 'backup';
  checkSelectionTagKey(validator, propPath(prefix, 'selectionTagKey'), selectionTagKey);
  const selectionTagValues = isGiven(given.selectionTagValues)
    ? checkSelectionTagValues(validator, propPath(prefix, 'selectionTagValues'), given.selectionTagValues)
    : ['true'];
  const regions = isGiven(given.regions) ? checkUkRegions(validator, propPath(prefix, 'regions'), given.regions) : [...UK_REGIONS];

  if (retentionDays === undefined || selectionTagValues === undefined || regions === undefined
    || !isConcreteString(given.backupVaultName) || !isConcreteString(given.backupRoleName)) {
    return undefined;
  }
  return {
    regions,
    vaultName: given.backupVaultName,
    roleName: given.backupRoleName,
    retentionDays,
    selectionTagKey,
    selectionTagValues,
  };
}
