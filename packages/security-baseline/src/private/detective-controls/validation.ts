import { Duration, RemovalPolicy, Stack, Token, aws_config as config } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type {
  ConformancePackRule,
  DetectiveControlsProps,
  MacieJobSchedule,
  OrganizationAutoEnable,
  PersonalDataBuckets,
} from '../../detective-controls';
import { bucketNameProblems } from '../bucket-name';
import { encryptionKeyProblems } from '../encryption-key';
import { PropsValidator, describeConstruct, isConcreteString, isGiven, show } from '../validation';
import {
  MAX_RULE_DESCRIPTION_LENGTH,
  NCSC_PRINCIPLES,
  renderConformancePackTemplate,
  ruleDescription,
  ruleLogicalId,
  templateBytes,
} from './conformance-pack';
import { ncscManagedRules } from './ncsc-rules';
import { OptionsReader } from './options-reader';
import {
  AccessAnalyzerSettings,
  AwsConfigSettings,
  ConformancePackSettings,
  DetectiveControlsSettings,
  DetectiveControlsWarning,
  GuardDutySettings,
  InspectorSettings,
  MacieSettings,
  SecurityHubSettings,
} from './settings';

// The enums' values, spelled out because this module loads before the enums are defined.
const AUTO_ENABLE_VALUES: OrganizationAutoEnable[] = ['ALL', 'NEW', 'NONE'] as OrganizationAutoEnable[];
const JOB_SCHEDULES: MacieJobSchedule[] = ['DAILY', 'WEEKLY', 'MONTHLY'] as MacieJobSchedule[];
const REMOVAL_POLICIES: string[] = Object.values(RemovalPolicy);

const ACCOUNT_ID = /^\d{12}$/;
/** The form of an organisation root ID, as AWS Organizations documents it. */
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
/** The form of a Security Hub security control ID, such as `EC2.10` or `CloudTrail.1`. */
const CONTROL_ID = /^[A-Za-z0-9]+\.\d+$/;
/** The form AWS Config gives managed rule identifiers. */
const MANAGED_RULE_IDENTIFIER = /^[A-Z0-9_]{1,128}$/;
const RULE_NAME = /^[A-Za-z0-9-]{1,128}$/;
/** The name pattern of `AWS::Config::OrganizationConformancePack`, which `AWS::Config::ConformancePack` also accepts. */
const PACK_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;
const S3_URI = /^s3:\/\/([^/]+)\/(.+)$/;
const KEY_PREFIX = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;

const MAX_TEMPLATE_S3_URI_LENGTH = 1024;
const MAX_EXCLUDED_ACCOUNTS = 1000;
const MAX_UNUSED_ACCESS_DAYS = 365;
const DEFAULT_UNUSED_ACCESS_AGE = Duration.days(90);
const DEFAULT_PACK_NAME = 'ncsc-cloud-security-principles';
const INLINE_TEMPLATE_LIMIT = 51_200;

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateDetectiveControlsProps(scope: Construct, id: string, rawProps: DetectiveControlsProps | null): DetectiveControlsSettings {
  const validator = new PropsValidator(describeConstruct('DetectiveControls', scope, id));
  if (isGiven(rawProps) && (typeof rawProps !== 'object' || Array.isArray(rawProps))) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object, or omit them to use the defaults.`);
    validator.throwIfInvalid();
  }
  const props: DetectiveControlsProps = rawProps ?? {};
  const stack = Stack.of(scope);
  const warnings: DetectiveControlsWarning[] = [];

  const top = OptionsReader.of(validator, '', props)!;
  const organizationWide = top.boolean('organizationWide', true);
  const removalPolicy = checkRemovalPolicy(validator, props.removalPolicy);

  const guardDuty = checkGuardDuty(validator, props.guardDuty, organizationWide, warnings);
  const securityHub = checkSecurityHub(validator, props.securityHub, organizationWide);
  const organizationRootId = checkRootId(validator, props.organizationRootId, organizationWide && securityHub?.centralConfiguration === true);
  const inspector = checkInspector(validator, props.inspector);
  const macie = checkMacie(validator, props.macie);
  const accessAnalyzer = checkAccessAnalyzer(validator, props.accessAnalyzer, organizationWide);
  const awsConfig = checkAwsConfig(validator, props.config, stack);
  const conformancePack = checkConformancePack(validator, props.conformancePack);

  validator.throwIfInvalid();

  addDisabledServiceWarnings(warnings, { guardDuty, securityHub, inspector, macie, accessAnalyzer, awsConfig, conformancePack });
  if (!organizationWide) {
    warnings.push({
      id: 'detectiveControlsAccountOnly',
      message: 'organizationWide is false, so every detective control covers this account only. Member accounts '
        + 'get no GuardDuty, Security Hub, Inspector or Macie, and no conformance pack, from this construct.',
    });
  }
  if (awsConfig === undefined && (securityHub !== undefined || conformancePack !== undefined)) {
    warnings.push({
      id: 'detectiveControlsNoRecorder',
      message: 'config.enabled is false, so this construct records no configuration in this account. Security Hub '
        + 'controls and the conformance pack evaluate only what a configuration recorder records, so make sure '
        + 'another stack records every resource type in this account.',
    });
  }

  return {
    organizationWide,
    organizationRootId,
    removalPolicy,
    guardDuty,
    securityHub,
    inspector,
    macie,
    accessAnalyzer,
    config: awsConfig,
    conformancePack,
    warnings,
  };
}

function checkRemovalPolicy(validator: PropsValidator, value: unknown): RemovalPolicy {
  if (!isGiven(value)) {
    return RemovalPolicy.RETAIN;
  }
  if (typeof value !== 'string' || !REMOVAL_POLICIES.includes(value)) {
    validator.fail(`removalPolicy is ${show(value)}, which is not a removal policy. Use a RemovalPolicy value, `
      + 'for example RemovalPolicy.RETAIN, or omit removalPolicy to retain the services\' resources.');
    return RemovalPolicy.RETAIN;
  }
  return value as RemovalPolicy;
}

/** Checks the organisation root ID, which central configuration of Security Hub needs. */
export function checkRootId(validator: PropsValidator, value: unknown, required: boolean): string | undefined {
  if (!isGiven(value)) {
    if (required) {
      validator.fail('organizationRootId is missing. Security Hub central configuration associates its policy with the '
        + 'organisation root, so give the root ID (for example "r-a1b2", from `aws organizations list-roots`), '
        + 'or set securityHub.centralConfiguration to false.');
    }
    return undefined;
  }
  if (typeof value !== 'string') {
    validator.fail(`organizationRootId is ${show(value)}, which is not a string. Give the root ID as a string, for example "r-a1b2".`);
    return undefined;
  }
  if (isConcreteString(value) && !ROOT_ID.test(value)) {
    validator.fail(`organizationRootId is ${show(value)}, which is not an organisation root ID. Root IDs are "r-" followed `
      + 'by 4 to 32 lower-case letters or digits, for example "r-a1b2"; find yours with `aws organizations list-roots`.');
  }
  return value;
}

function checkGuardDuty(
  validator: PropsValidator,
  value: unknown,
  organizationWide: boolean,
  warnings: DetectiveControlsWarning[],
): GuardDutySettings | undefined {
  const options = OptionsReader.of(validator, 'guardDuty', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  const settings: GuardDutySettings = {
    s3Protection: options.boolean('s3Protection', true),
    malwareProtection: options.boolean('malwareProtection', true),
    rdsProtection: options.boolean('rdsProtection', true),
    lambdaProtection: options.boolean('lambdaProtection', true),
    runtimeMonitoring: options.boolean('runtimeMonitoring', false),
    eksProtection: options.boolean('eksProtection', false),
    autoEnableOrganizationMembers: checkAutoEnableMembers(options, organizationWide, warnings, 'detectiveControls'),
  };
  return settings;
}

/**
 * Reads `guardDuty.autoEnableOrganizationMembers`, and warns when it leaves accounts already
 * in the organisation out.
 *
 * @param warningPrefix the start of the warning ID, the construct's name in camel case
 */
export function checkAutoEnableMembers(
  options: OptionsReader,
  organizationWide: boolean,
  warnings: DetectiveControlsWarning[],
  warningPrefix: string,
): OrganizationAutoEnable {
  const members = options.oneOf('autoEnableOrganizationMembers', AUTO_ENABLE_VALUES, 'ALL' as OrganizationAutoEnable, 'OrganizationAutoEnable');
  if (organizationWide && members !== 'ALL') {
    warnings.push({
      id: `${warningPrefix}GuardDutyMembersNotAll`,
      message: `${options.path('autoEnableOrganizationMembers')} is ${members}, so GuardDuty `
        + 'does not protect every member account already in the organisation. Use OrganizationAutoEnable.ALL to cover them.',
    });
  }
  return members;
}

function checkSecurityHub(validator: PropsValidator, value: unknown, organizationWide: boolean): SecurityHubSettings | undefined {
  const options = OptionsReader.of(validator, 'securityHub', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  const centralConfiguration = options.boolean('centralConfiguration', true) && organizationWide;
  const disabledControlIds = checkControlIds(options);
  if (disabledControlIds.length > 0 && !centralConfiguration) {
    const reason = organizationWide ? 'securityHub.centralConfiguration is false' : 'organizationWide is false';
    validator.fail(`securityHub.disabledControlIds is set, but ${reason}. This construct turns controls off through the `
      + 'central configuration policy, so turn central configuration on, or remove securityHub.disabledControlIds.');
  }
  return { centralConfiguration, disabledControlIds };
}

/** Reads `disabledControlIds`: Security Hub security control IDs, each listed once. */
export function checkControlIds(options: OptionsReader): string[] {
  const disabledControlIds: string[] = [];
  options.list('disabledControlIds', '["EC2.10"]').forEach((controlId, index) => {
    const path = `${options.path('disabledControlIds')}[${index}]`;
    if (typeof controlId !== 'string') {
      options.validator.fail(`${path} is ${show(controlId)}, which is not a string. Give a security control ID, for example "EC2.10".`);
    } else if (isConcreteString(controlId) && !CONTROL_ID.test(controlId)) {
      options.validator.fail(`${path} is ${show(controlId)}, which is not a security control ID. Use the ID that the Security Hub `
        + 'controls reference gives, such as "EC2.10" or "CloudTrail.1".');
    } else if (disabledControlIds.includes(controlId)) {
      options.validator.fail(`${path} is ${show(controlId)}, which is listed more than once. List each control once.`);
    } else {
      disabledControlIds.push(controlId);
    }
  });
  return disabledControlIds;
}

function checkInspector(validator: PropsValidator, value: unknown): InspectorSettings | undefined {
  const options = OptionsReader.of(validator, 'inspector', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  const settings = { ec2Scanning: options.boolean('ec2Scanning', true), ecrScanning: options.boolean('ecrScanning', true) };
  if (!settings.ec2Scanning && !settings.ecrScanning) {
    validator.fail('inspector.ec2Scanning and inspector.ecrScanning are both false, so Inspector would scan nothing. '
      + 'Turn one of them on, or set inspector.enabled to false.');
  }
  return settings;
}

function checkMacie(validator: PropsValidator, value: unknown): MacieSettings | undefined {
  const options = OptionsReader.of(validator, 'macie', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  const personalDataBuckets: PersonalDataBuckets[] = [];
  const accounts = new Set<string>();
  options.list('personalDataBuckets', '[{ accountId: "222222222222", bucketNames: ["case-documents"] }]').forEach((entry, index) => {
    const path = `${options.path('personalDataBuckets')}[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      validator.fail(`${path} is ${show(entry)}, which is not an object. Give { accountId, bucketNames }.`);
      return;
    }
    const { accountId, bucketNames } = entry as Record<string, unknown>;
    if (typeof accountId !== 'string') {
      validator.fail(`${path}.accountId is ${show(accountId)}, which is not a string. Give the 12-digit ID of the account that owns the buckets.`);
    } else if (isConcreteString(accountId) && !ACCOUNT_ID.test(accountId)) {
      validator.fail(`${path}.accountId is ${show(accountId)}, which is not an AWS account ID. Use the 12-digit account ID.`);
    } else if (accounts.has(accountId)) {
      validator.fail(`${path}.accountId ${show(accountId)} is listed more than once. Put all of an account's buckets in one entry.`);
    } else {
      accounts.add(accountId);
    }
    const names = checkBucketNames(validator, `${path}.bucketNames`, bucketNames);
    personalDataBuckets.push({ accountId: accountId as string, bucketNames: names });
  });

  return {
    personalDataBuckets,
    jobSchedule: options.oneOf('jobSchedule', JOB_SCHEDULES, 'WEEKLY' as MacieJobSchedule, 'MacieJobSchedule'),
  };
}

function checkBucketNames(validator: PropsValidator, path: string, value: unknown): string[] {
  if (!Array.isArray(value) || Token.isUnresolved(value)) {
    validator.fail(`${path} is ${show(value)}, which is not a literal list. Give the bucket names in a list, for example ["case-documents"].`);
    return [];
  }
  if (value.length === 0) {
    validator.fail(`${path} is empty. List at least one bucket, or remove the entry.`);
  }
  const names: string[] = [];
  value.forEach((name, index) => {
    if (typeof name !== 'string') {
      validator.fail(`${path}[${index}] is ${show(name)}, which is not a string. Give the bucket name.`);
      return;
    }
    if (isConcreteString(name)) {
      for (const problem of bucketNameProblems(name)) {
        validator.fail(`${path}[${index}] ${show(name)} is not a valid S3 bucket name: ${problem}. Give the bucket's exact name.`);
      }
      if (names.includes(name)) {
        validator.fail(`${path}[${index}] ${show(name)} is listed more than once. List each bucket once.`);
      }
    }
    names.push(name);
  });
  return names;
}

function checkAccessAnalyzer(validator: PropsValidator, value: unknown, organizationWide: boolean): AccessAnalyzerSettings | undefined {
  const options = OptionsReader.of(validator, 'accessAnalyzer', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  let unusedAccessAgeDays = DEFAULT_UNUSED_ACCESS_AGE.toDays();
  const age = options.raw('unusedAccessAge');
  if (age !== undefined) {
    const path = options.path('unusedAccessAge');
    if (!(age instanceof Duration)) {
      validator.fail(`${path} is ${show(age)}, which is not a Duration. Give a whole number of days, for example Duration.days(90).`);
    } else if (age.isUnresolved()) {
      validator.fail(`${path} is a token. Give a literal whole number of days from 1 to ${MAX_UNUSED_ACCESS_DAYS}, for example Duration.days(90).`);
    } else {
      const days = age.toDays({ integral: false });
      if (!Number.isInteger(days) || days < 1 || days > MAX_UNUSED_ACCESS_DAYS) {
        validator.fail(`${path} is ${age.toHumanString()}. IAM Access Analyzer accepts a whole number of days from 1 to `
          + `${MAX_UNUSED_ACCESS_DAYS}, for example Duration.days(90).`);
      } else {
        unusedAccessAgeDays = days;
      }
    }
  }

  const unusedAccess = options.boolean('unusedAccess', true);
  if (age !== undefined && !unusedAccess) {
    validator.fail('accessAnalyzer.unusedAccessAge is set, but accessAnalyzer.unusedAccess is false, so it would have no effect. '
      + 'Remove accessAnalyzer.unusedAccessAge, or set accessAnalyzer.unusedAccess to true.');
  }
  return {
    // Without organizationWide the account analyzer is the only one, so the option adds nothing.
    accountAnalyzer: options.boolean('accountAnalyzer', false) && organizationWide,
    unusedAccess,
    unusedAccessAgeDays,
  };
}

function checkAwsConfig(validator: PropsValidator, value: unknown, stack: Stack): AwsConfigSettings | undefined {
  const options = OptionsReader.of(validator, 'config', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  const bucket = options.raw('deliveryBucket') as AwsConfigSettings['deliveryBucket'] | undefined;
  if (bucket === undefined) {
    validator.fail('config.deliveryBucket is missing. AWS Config needs a bucket for configuration history and snapshots, '
      + 'so pass one, for example the log archive\'s bucket, or set config.enabled to false.');
  } else if (typeof bucket !== 'object' || typeof bucket.bucketName !== 'string' || typeof bucket.addToResourcePolicy !== 'function') {
    validator.fail(`config.deliveryBucket is ${show(bucket)}, which is not an S3 bucket. Pass an IBucket, `
      + 'for example s3.Bucket.fromBucketName(this, \'LogArchiveBucket\', \'<name>\').');
  } else if (isConcreteString(bucket.bucketName)) {
    for (const problem of bucketNameProblems(bucket.bucketName)) {
      validator.fail(`config.deliveryBucket has the name ${show(bucket.bucketName)}, which is not a valid S3 bucket name: `
        + `${problem}. Import the bucket by its exact name.`);
    }
  }

  const key = options.raw('deliveryKey');
  if (key !== undefined) {
    for (const problem of encryptionKeyProblems('config.deliveryKey', key, stack)) {
      validator.fail(problem);
    }
  }

  const prefix = options.raw('deliveryPrefix');
  if (prefix !== undefined && typeof prefix !== 'string') {
    validator.fail(`config.deliveryPrefix is ${show(prefix)}, which is not a string. Give a key prefix, for example "config".`);
  } else if (isConcreteString(prefix) && !KEY_PREFIX.test(prefix)) {
    validator.fail(`config.deliveryPrefix is ${show(prefix)}. Give path segments of letters, digits and !_.*'()- separated `
      + 'by single slashes, with no leading or trailing slash, for example "config" or "security/config".');
  }

  const frequencies = Object.values(config.MaximumExecutionFrequency) as string[];
  const frequency = options.oneOf('snapshotDeliveryFrequency', frequencies,
    config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS, 'config.MaximumExecutionFrequency');

  return {
    deliveryBucket: bucket!,
    deliveryKey: (key as AwsConfigSettings['deliveryKey']) ?? bucket?.encryptionKey,
    deliveryPrefix: prefix as string | undefined,
    snapshotDeliveryFrequency: frequency,
    includeGlobalResourceTypes: options.boolean('includeGlobalResourceTypes', true),
    createServiceLinkedRole: options.boolean('createServiceLinkedRole', true),
  };
}

function checkConformancePack(validator: PropsValidator, value: unknown): ConformancePackSettings | undefined {
  const options = OptionsReader.of(validator, 'conformancePack', value);
  if (options === undefined || !options.enabled()) {
    return undefined;
  }

  const packName = options.raw('packName') ?? DEFAULT_PACK_NAME;
  if (typeof packName !== 'string') {
    validator.fail(`conformancePack.packName is ${show(packName)}, which is not a string. Give a name, or omit it for "${DEFAULT_PACK_NAME}".`);
  } else if (isConcreteString(packName) && !PACK_NAME.test(packName)) {
    validator.fail(`conformancePack.packName is ${show(packName)}. AWS Config accepts 1 to 128 letters, digits and hyphens, `
      + `starting with a letter, so choose such a name, or omit it for "${DEFAULT_PACK_NAME}".`);
  }

  const excludedAccounts = checkExcludedAccounts(options);
  const templateS3Uri = options.raw('templateS3Uri');
  if (templateS3Uri !== undefined) {
    checkTemplateS3Uri(options, templateS3Uri);
    for (const field of ['excludedRules', 'additionalRules']) {
      if (options.raw(field) !== undefined) {
        validator.fail(`${options.path(field)} is set, but so is conformancePack.templateS3Uri, whose template this construct `
          + `does not write. Render the template with the rules you want, upload it, and remove ${options.path(field)}.`);
      }
    }
    return { packName: packName as string, templateS3Uri: templateS3Uri as string, excludedAccounts };
  }

  const rules = selectRules(options);
  const templateBody = renderConformancePackTemplate(rules);
  const bytes = templateBytes(templateBody);
  if (bytes > INLINE_TEMPLATE_LIMIT) {
    validator.fail(`The conformance pack template has ${bytes} bytes, over the ${INLINE_TEMPLATE_LIMIT} bytes that AWS Config `
      + 'accepts inline. Upload the output of NcscConformancePack.renderTemplate() to S3 and pass its URI as '
      + 'conformancePack.templateS3Uri, or leave out rules.');
  }
  return { packName: packName as string, templateBody, excludedAccounts };
}

export function checkExcludedAccounts(options: OptionsReader): string[] {
  const accounts = options.list('excludedAccounts', '["222222222222"]');
  if (accounts.length > MAX_EXCLUDED_ACCOUNTS) {
    options.validator.fail(`${options.path('excludedAccounts')} has ${accounts.length} accounts, and AWS Config accepts at most ${MAX_EXCLUDED_ACCOUNTS}.`);
  }
  accounts.forEach((account, index) => {
    if (typeof account !== 'string' || (isConcreteString(account) && !ACCOUNT_ID.test(account))) {
      options.validator.fail(`${options.path('excludedAccounts')}[${index}] is ${show(account)}, which is not an AWS account ID. `
        + 'Use the 12-digit account ID in a string.');
    }
  });
  return accounts as string[];
}

function checkTemplateS3Uri(options: OptionsReader, uri: unknown): void {
  const path = options.path('templateS3Uri');
  if (typeof uri !== 'string') {
    options.validator.fail(`${path} is ${show(uri)}, which is not a string. Give an S3 URI, for example "s3://bucket/ncsc.json".`);
    return;
  }
  if (!isConcreteString(uri)) {
    return;
  }
  const match = S3_URI.exec(uri);
  if (match === null || uri.length > MAX_TEMPLATE_S3_URI_LENGTH) {
    options.validator.fail(`${path} is ${show(uri)}, which is not an S3 URI of at most ${MAX_TEMPLATE_S3_URI_LENGTH} characters. `
      + 'Give the form s3://<bucket>/<key>, for example "s3://bucket/ncsc.json".');
    return;
  }
  for (const problem of bucketNameProblems(match[1])) {
    options.validator.fail(`${path} names the bucket ${show(match[1])}, which is not a valid S3 bucket name: ${problem}. `
      + 'Give the bucket\'s exact name.');
  }
}

/** Returns the pack's rules: the NCSC rules without the excluded ones, then the additional ones. */
function selectRules(options: OptionsReader): ConformancePackRule[] {
  const baseRules = ncscManagedRules();
  const baseNames = baseRules.map((rule) => rule.ruleName);

  const excluded = new Set<string>();
  options.list('excludedRules', '["rds-multi-az-support"]').forEach((name, index) => {
    if (typeof name !== 'string' || !baseNames.includes(name)) {
      options.validator.fail(`conformancePack.excludedRules[${index}] is ${show(name)}, which is not the name of a rule in `
        + 'NcscConformancePack.rules(). Use a ruleName from that list, for example "rds-multi-az-support".');
    } else {
      excluded.add(name);
    }
  });

  const rules = baseRules.filter((rule) => !excluded.has(rule.ruleName));
  options.list('additionalRules', '[{ identifier: "EIP_ATTACHED", ruleName: "eip-attached", ... }]').forEach((rule, index) => {
    const checked = checkRule(options, `conformancePack.additionalRules[${index}]`, rule, rules);
    if (checked !== undefined) {
      rules.push(checked);
    }
  });
  return rules;
}

/** Checks one additional rule against the rules already in the pack, and returns it when it is valid. */
function checkRule(options: OptionsReader, path: string, value: unknown, rules: ConformancePackRule[]): ConformancePackRule | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    options.validator.fail(`${path} is ${show(value)}, which is not an object. Give { identifier, ruleName, principle, description }.`);
    return undefined;
  }
  const rule = value as ConformancePackRule;
  const problems: string[] = [];

  if (typeof rule.identifier !== 'string' || !MANAGED_RULE_IDENTIFIER.test(rule.identifier)) {
    problems.push(`${path}.identifier is ${show(rule.identifier)}, which is not an AWS Config managed rule identifier. `
      + 'Give the identifier in upper case with underscores, as the managed rules list shows it, for example "EIP_ATTACHED".');
  }
  if (typeof rule.ruleName !== 'string' || !RULE_NAME.test(rule.ruleName)) {
    problems.push(`${path}.ruleName is ${show(rule.ruleName)}. Give 1 to 128 letters, digits and hyphens, for example "eip-attached".`);
  } else if (rules.some((other) => ruleLogicalId(other.ruleName) === ruleLogicalId(rule.ruleName))) {
    problems.push(`${path}.ruleName ${show(rule.ruleName)} is already in the pack, or differs from a rule in it only in `
      + 'hyphens or the case of a letter. Give it another name.');
  }
  const principleKnown = typeof rule.principle === 'string' && NCSC_PRINCIPLES[rule.principle] !== undefined;
  if (!principleKnown) {
    problems.push(`${path}.principle is ${show(rule.principle)}, which is not an NcscPrinciple value. Use one of `
      + 'NcscPrinciple, for example NcscPrinciple.OPERATIONAL_SECURITY.');
  }
  if (typeof rule.description !== 'string' || rule.description.trim().length === 0) {
    problems.push(`${path}.description is ${show(rule.description)}. Give one sentence that says what the rule checks.`);
  } else if (principleKnown && ruleDescription(rule).length > MAX_RULE_DESCRIPTION_LENGTH) {
    problems.push(`${path}.description is too long: with the principle in front it has ${ruleDescription(rule).length} `
      + `characters, and AWS Config accepts ${MAX_RULE_DESCRIPTION_LENGTH}. Shorten it.`);
  }
  problems.push(...inputParameterProblems(`${path}.inputParameters`, rule.inputParameters));
  const frequencies = Object.values(config.MaximumExecutionFrequency) as string[];
  if (isGiven(rule.maximumExecutionFrequency) && !frequencies.includes(rule.maximumExecutionFrequency)) {
    problems.push(`${path}.maximumExecutionFrequency is ${show(rule.maximumExecutionFrequency)}, which is not a `
      + 'config.MaximumExecutionFrequency value. Use one, for example config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS.');
  }

  problems.forEach((problem) => options.validator.fail(problem));
  return problems.length === 0 ? rule : undefined;
}

function inputParameterProblems(path: string, parameters: unknown): string[] {
  if (!isGiven(parameters)) {
    return [];
  }
  if (typeof parameters !== 'object' || Array.isArray(parameters) || Token.isUnresolved(parameters)) {
    return [`${path} is ${show(parameters)}, which is not an object of parameter names and values.`];
  }
  return Object.entries(parameters as Record<string, unknown>)
    .filter(([, parameterValue]) => !isConcreteString(parameterValue))
    .map(([name, parameterValue]) => `${path}.${name} is ${show(parameterValue)}. The pack template is rendered before `
      + 'deployment, so give every parameter value as a literal string, for example "90".');
}

function addDisabledServiceWarnings(warnings: DetectiveControlsWarning[], services: Record<string, object | undefined>): void {
  const consequences: Record<string, [string, string]> = {
    guardDuty: ['GuardDuty', 'threat detection'],
    securityHub: ['SecurityHub', 'compliance view of the estate against the FSBP and CIS standards'],
    inspector: ['Inspector', 'vulnerability scanning of EC2 instances and container images'],
    macie: ['Macie', 'discovery of personal data in S3'],
    accessAnalyzer: ['AccessAnalyzer', 'findings of resources shared outside the zone of trust'],
    awsConfig: ['Config', 'configuration recording and drift detection'],
    conformancePack: ['ConformancePack', 'evidence for the NCSC Cloud Security Principles'],
  };
  for (const [key, [idPart, consequence]] of Object.entries(consequences)) {
    if (services[key] === undefined) {
      const propName = key === 'awsConfig' ? 'config' : key;
      warnings.push({
        id: `detectiveControls${idPart}Disabled`,
        message: `${propName}.enabled is false, so this construct provides no ${consequence}.`,
      });
    }
  }
}
