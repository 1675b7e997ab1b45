import { DefaultStackSynthesizer, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct, IConstruct } from 'constructs';
import type { MemberAccountBootstrapProps } from '../member-account-bootstrap';
import { AWS_MANAGED_POLICY_ARN_PATTERN, POLICY_NAME_PATTERN, PRINCIPAL_ARN_PATTERN_PATTERN, cliTrustPolicy } from './bootstrap-template';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show } from './validation';

/** The ID of an organizational unit, `ou-` then the root part and 8 to 32 lowercase letters or digits. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** The ID of an organization root. */
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

const ACCOUNT_ID = /^\d{12}$/;

/** The CDK's rule for qualifiers, from the `Qualifier` parameter of the CDK CLI's bootstrap template. */
const CDK_QUALIFIER = /^[A-Za-z0-9_-]{1,10}$/;

/** The qualifier is part of the staging bucket's name, and S3 bucket names take only lowercase letters, digits and hyphens. */
const BUCKET_SAFE_QUALIFIER = /^[a-z0-9-]+$/;

/** The ARN of an AWS managed policy, by the same rule that the inner template's parameter applies at deployment. */
const AWS_MANAGED_POLICY_ARN = new RegExp(AWS_MANAGED_POLICY_ARN_PATTERN);

/** The ARN of a customer-managed policy, which exists in the account of the ARN only. */
const CUSTOMER_MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):policy\/(.+)$/;

/** A customer-managed policy name, by the same rule that the inner template's parameters apply at deployment. */
const POLICY_NAME = new RegExp(POLICY_NAME_PATTERN);

/** An ARN pattern of IAM roles or users, by the same rule that the inner template's parameter applies at deployment. */
const PRINCIPAL_ARN_PATTERN = new RegExp(PRINCIPAL_ARN_PATTERN_PATTERN);

/** CloudFormation's rule for StackSet names. */
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/**
 * IAM's default quota of managed policies attached to one role. It can be raised to 20,
 * which is the hard maximum.
 */
const MAX_MANAGED_POLICIES = 10;

/** IAM's default quota for the length of a role's trust policy, in characters without whitespace. */
const MAX_TRUST_POLICY_CHARACTERS = 2_048;

/** The length that a principal ARN pattern given as a token counts for, because its real value is not known at synthesis. */
const TOKEN_PATTERN_CHARACTERS = 128;

/** IAM's maximum length of a role or user name. */
const MAX_NAME_LENGTH = 64;

/** IAM's maximum length of a role or user path, slashes included. */
const MAX_PATH_LENGTH = 512;

/**
 * Two role ARNs, in the shape that IAM Identity Center gives the roles of permission sets,
 * with and without a region in the path, for permission sets whose names no pattern should
 * guess. A pattern that matches either admits every Identity Center role of the account.
 */
const IDENTITY_CENTER_ROLE_SAMPLES = [
  'role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_Qz9UnlikelyName_0123456789abcdef',
  'role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Xk7OtherName_fedcba9876543210',
];

/** The region where the platform keeps its data. */
const PLATFORM_REGION = 'eu-west-2';

/** The construct paths that use each qualifier and StackSet name, per app. */
const QUALIFIERS = new WeakMap<IConstruct, Map<string, string>>();
const STACK_SET_NAMES = new WeakMap<IConstruct, Map<string, string>>();

/** The props of MemberAccountBootstrap after defaults, as the construct uses them. */
export interface MemberAccountBootstrapSettings {
  readonly organizationalUnitIds: string[];
  readonly trustedAccountIds: string[];
  /** The ARN patterns that the principals of the trusted accounts must match, or undefined for any principal. */
  readonly trustedPrincipalArnPatterns?: string[];
  readonly qualifier: string;
  /** AWS managed policy ARNs. Undefined means AdministratorAccess in the partition of the stack, unless names are given. */
  readonly executionPolicyArns?: string[];
  /** Customer-managed policy names, which exist in every member account. */
  readonly executionPolicyNames: string[];
  readonly regions: string[];
  readonly stackSetName: string;
  readonly activateOrganizationsAccess: boolean;
  readonly warnings: BootstrapWarning[];
}

/** A warning for the user, with the stable part of its ID. */
export interface BootstrapWarning {
  readonly id: string;
  readonly message: string;
}

/** The values of the stack that the defaults come from. */
export interface StackContext {
  readonly account: string;
  readonly region: string;
}

/** The partition that the ARNs must be in, and what it comes from, for messages. */
interface PartitionSource {
  readonly name: string;
  /** For example "the stack's region is", to be followed by "in aws". */
  readonly source: string;
}

/** Returns the partitions of the regions that aws-cdk-lib lists. */
function knownPartitions(): Set<string> {
  return new Set(RegionInfo.regions.map((region) => region.partition ?? 'aws'));
}

/**
 * Returns the partition of the regions when every region is a literal region that
 * aws-cdk-lib lists and all of them share one partition, or undefined.
 */
function regionsPartition(value: unknown): PartitionSource | undefined {
  if (!Array.isArray(value) || value.length === 0) {
    return undefined;
  }
  const known = new Map(RegionInfo.regions.map((region) => [region.name, region.partition ?? 'aws']));
  const partitions = new Set(value.map((region) => (isConcreteString(region) ? known.get(region) : undefined)));
  if (partitions.size !== 1 || partitions.has(undefined)) {
    return undefined;
  }
  return { name: [...partitions][0]!, source: 'the regions are' };
}

/** Explains why the partition of an ARN is wrong, or returns undefined. */
function arnPartitionProblem(arnPartition: string, partition: PartitionSource | undefined, what: string): string | undefined {
  if (!knownPartitions().has(arnPartition)) {
    return `in the partition ${arnPartition}, which is not an AWS partition. Give ${what} that starts with "arn:`
      + `${partition?.name ?? 'aws'}:" (the partitions are ${[...knownPartitions()].join(', ')}).`;
  }
  if (partition !== undefined && arnPartition !== partition.name) {
    return `in the partition ${arnPartition}, but ${partition.source} in ${partition.name}. Give ${what} that starts with `
      + `"arn:${partition.name}:".`;
  }
  return undefined;
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateMemberAccountBootstrapProps(
  scope: Construct, id: string, props: MemberAccountBootstrapProps | null | undefined, stack: StackContext,
): MemberAccountBootstrapSettings {
  const validator = new PropsValidator(describeConstruct('MemberAccountBootstrap', scope, id));
  if (typeof props !== 'object' || props === null) {
    validator.fail(`props is ${show(props)}. Give at least { organizationalUnitIds }, for example `
      + '{ organizationalUnitIds: ["ou-a1b2-c3d4e5f6"] }.');
    validator.throwIfInvalid();
  }
  const input = props as MemberAccountBootstrapProps;
  // The partition of the stack, when its region is known, which the ARNs and regions must
  // share. Otherwise the partition of the regions, when they are literal and share one.
  const stackPartition = isConcreteString(stack.region) ? RegionInfo.get(stack.region).partition : undefined;
  const partition = stackPartition !== undefined
    ? { name: stackPartition, source: 'the stack\'s region is' }
    : regionsPartition(input.regions);
  const warnings: BootstrapWarning[] = [];

  const organizationalUnitIds = checkOrganizationalUnitIds(validator, input.organizationalUnitIds);
  const trustedAccountIds = checkTrustedAccountIds(validator, input.trustedAccountIds, stack.account);
  const trustedPrincipalArnPatterns = checkTrustedPrincipalArnPatterns(validator, input.trustedPrincipalArnPatterns,
    trustedAccountIds, partition, warnings);
  checkTrustPolicyLength(validator, trustedAccountIds, trustedPrincipalArnPatterns ?? [], partition?.name);
  const qualifier = checkQualifier(validator, input.qualifier);
  const executionPolicyArns = checkExecutionPolicyArns(validator, input.executionPolicyArns, partition);
  const executionPolicyNames = checkExecutionPolicyNames(validator, input.executionPolicyNames);
  checkPolicyCount(validator, executionPolicyArns, executionPolicyNames);
  const regions = checkRegions(validator, input.regions, stack.region, stackPartition);
  const stackSetName = checkStackSetName(validator, input.stackSetName, qualifier);
  const activate: unknown = input.activateOrganizationsAccess;
  if (isGiven(activate) && typeof activate !== 'boolean') {
    validator.fail(`activateOrganizationsAccess is ${show(activate)}; use true or false, or leave it out to activate `
      + 'trusted access for CloudFormation StackSets.');
  }
  checkUniqueInApp(validator, scope, qualifier, stackSetName, isGiven(input.stackSetName));
  validator.throwIfInvalid();

  const path = scope.node.path ? `${scope.node.path}/${id}` : id;
  QUALIFIERS.get(scope.node.root)?.set(qualifier, path);
  STACK_SET_NAMES.get(scope.node.root)?.set(stackSetName, path);
  return {
    organizationalUnitIds,
    trustedAccountIds,
    trustedPrincipalArnPatterns,
    qualifier,
    executionPolicyArns,
    executionPolicyNames,
    regions,
    stackSetName,
    activateOrganizationsAccess: activate !== false,
    warnings: [...warnings, ...regionWarnings(regions)],
  };
}

/** Reports the entries of a list that repeat an earlier entry. Tokens are compared as written. */
function checkDuplicates(validator: PropsValidator, propName: string, list: unknown[]): void {
  list.forEach((entry, index) => {
    const first = list.indexOf(entry);
    if (isConcreteString(entry) && first !== index) {
      validator.fail(`${propName}[${index}] is ${show(entry)}, the same as ${propName}[${first}]. Remove the repeat.`);
    }
  });
}

function checkOrganizationalUnitIds(validator: PropsValidator, value: unknown): string[] {
  const example = '["ou-a1b2-c3d4e5f6"]';
  if (!isGiven(value)) {
    validator.fail(`organizationalUnitIds is missing. Give the organizational units whose accounts to bootstrap, for example ${example}.`);
    return [];
  }
  const list = checkList(validator, 'organizationalUnitIds', value, example);
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('organizationalUnitIds is empty, so the StackSet would bootstrap no account. Give at least one '
      + `organizational unit, for example ${example}, or the root ID ("r-a1b2") for every account.`);
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    if (!isConcreteString(entry) || !(OU_ID.test(entry) || ROOT_ID.test(entry))) {
      validator.fail(`organizationalUnitIds[${index}] is ${show(entry)}, which is not the ID of an organizational unit or `
        + 'root. Give an ID such as "ou-a1b2-c3d4e5f6" or "r-a1b2", or PlatformOrganisation.organizationalUnitId(...).');
    }
  });
  checkDuplicates(validator, 'organizationalUnitIds', list);
  return list as string[];
}

function checkTrustedAccountIds(validator: PropsValidator, value: unknown, stackAccount: string): string[] {
  if (!isGiven(value)) {
    return [stackAccount];
  }
  const example = '["111122223333"]';
  const list = checkList(validator, 'trustedAccountIds', value, example);
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('trustedAccountIds is empty, so no account could deploy into the member accounts. Give the account '
      + `that runs cdk deploy, for example ${example}, or omit it to trust this stack's account.`);
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    if (!isConcreteString(entry) || !ACCOUNT_ID.test(entry)) {
      validator.fail(`trustedAccountIds[${index}] is ${show(entry)}, which is not an AWS account ID. Give 12 digits as a `
        + 'string, for example "111122223333".');
    }
  });
  checkDuplicates(validator, 'trustedAccountIds', list);
  return list as string[];
}

function checkTrustedPrincipalArnPatterns(validator: PropsValidator, value: unknown, trustedAccountIds: string[],
  partition: PartitionSource | undefined, warnings: BootstrapWarning[]): string[] | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  const example = '["arn:aws:iam::111122223333:role/cdk-deployer"]';
  const list = checkList(validator, 'trustedPrincipalArnPatterns', value, example);
  if (list === undefined) {
    return undefined;
  }
  if (list.length === 0) {
    validator.fail('trustedPrincipalArnPatterns is empty, so no principal could assume the bootstrap roles. Give the '
      + `roles that deploy, for example ${example}, or omit it to let any principal of the trusted accounts assume them.`);
  }
  // A pattern can name an account that is a token among the trusted accounts, so the
  // account is checked only when every trusted account is literal.
  const accounts = trustedAccountIds.every(isConcreteString) ? trustedAccountIds : undefined;
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    const problem = principalArnPatternProblem(entry, accounts, partition);
    if (problem !== undefined) {
      validator.fail(`trustedPrincipalArnPatterns[${index}] is ${show(entry)}, ${problem}`);
    } else if (isConcreteString(entry) && isBroadPattern(entry)) {
      warnings.push({
        id: 'memberAccountBootstrapBroadPrincipalPattern',
        message: `trustedPrincipalArnPatterns[${index}] is ${show(entry)}, which names almost no part of the role or user `
          + 'name, so it admits nearly every principal of the account to the bootstrap roles. Name the roles that deploy, '
          + 'for example "arn:aws:iam::111122223333:role/cdk-deployer", or acknowledge this warning.',
      });
    }
  });
  checkDuplicates(validator, 'trustedPrincipalArnPatterns', list);
  checkCaseDuplicates(validator, 'trustedPrincipalArnPatterns', list);
  return list as string[];
}

/**
 * Reports literal entries that differ from an earlier entry only in case. IAM keeps role
 * and user names unique regardless of case, so two such patterns name the same principals
 * at best, and one of them matches nothing.
 */
function checkCaseDuplicates(validator: PropsValidator, propName: string, list: unknown[]): void {
  const lowered = list.map((entry) => (isConcreteString(entry) ? entry.toLowerCase() : undefined));
  list.forEach((entry, index) => {
    const first = lowered.indexOf(lowered[index]);
    if (isConcreteString(entry) && first !== index && list[first] !== entry) {
      validator.fail(`${propName}[${index}] is ${show(entry)}, which differs from ${propName}[${first}] `
        + `(${show(list[first])}) only in case. IAM names are unique regardless of case, but ARN patterns are compared `
        + 'with case, so at most one of them matches the real principal. Keep the one spelled as IAM shows the name.');
    }
  });
}

/**
 * Tells whether a pattern leaves the role or user name almost entirely to wildcards: at
 * most two characters of the part after `role/` or `user/` are not wildcards or slashes.
 */
function isBroadPattern(pattern: string): boolean {
  const resource = pattern.split(':').slice(5).join(':');
  const afterType = resource.slice(resource.indexOf('/') + 1);
  return afterType.replace(/[*?/]/g, '').length <= 2;
}

/** Explains an entry that names a principal in a form that aws:PrincipalArn never takes, or returns undefined. */
function principalFormProblem(entry: string): string | undefined {
  const session = /^arn:([a-z-]+):sts::(\d{12}):assumed-role\/([^/]+)\//.exec(entry);
  if (session !== null) {
    const [, arnPartition, account, roleName] = session;
    return 'the ARN of an assumed-role session. The bootstrap roles compare aws:PrincipalArn, which for a role session '
      + `is the role's ARN, "arn:${arnPartition}:iam::${account}:role/<path/name>". Give the role ARN, for example `
      + `"arn:${arnPartition}:iam::${account}:role/${roleName}" (with the role's path, if it has one).`;
  }
  const root = /^arn:[a-z-]+:iam::(\d{12}):root$/.exec(entry);
  if (root !== null) {
    return `the root of account ${root[1]}, which trustedAccountIds already covers. trustedPrincipalArnPatterns narrows `
      + 'the principals of the trusted accounts to roles or users; remove this entry, or omit trustedPrincipalArnPatterns '
      + 'to trust every principal of the trusted accounts.';
  }
  return undefined;
}

/** Explains why a literal pattern can never match a real role or user, or returns undefined. */
function unmatchablePatternProblem(resource: string): string | undefined {
  if (resource.endsWith('/')) {
    return 'which ends with "/", so it can never match: a role or user ARN ends with its name. Add the name, for '
      + 'example "role/cdk-deployer", or end the pattern with "*".';
  }
  if (resource.includes('//')) {
    return 'which contains "//", so it can never match: IAM paths have no empty segment. Remove the extra "/".';
  }
  const afterType = resource.slice(resource.indexOf('/') + 1);
  const name = afterType.slice(afterType.lastIndexOf('/') + 1);
  const path = afterType.slice(0, afterType.length - name.length);
  // A * may match nothing, so the shortest match is the pattern without its stars.
  const shortest = (text: string): number => text.replace(/\*/g, '').length;
  if (shortest(name) > MAX_NAME_LENGTH) {
    return `whose name part "${name}" is longer than the ${MAX_NAME_LENGTH} characters that IAM allows for a name, so it `
      + 'can never match. Give the real name of the role or user.';
  }
  if (shortest(`/${path}`) > MAX_PATH_LENGTH) {
    return `whose path is longer than the ${MAX_PATH_LENGTH} characters that IAM allows, so it can never match. Give the `
      + 'real path of the role or user.';
  }
  return undefined;
}

/** Glob matching as ArnLike does it, where * matches any characters, slashes included, and ? one character. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern.split('').map((char) => {
    if (char === '*') {
      return '.*';
    }
    return char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Explains what is wrong with a literal principal ARN pattern, or returns undefined. */
function principalArnPatternProblem(entry: unknown, accounts: string[] | undefined, partition: PartitionSource | undefined)
  : string | undefined {
  const form = isConcreteString(entry) ? principalFormProblem(entry) : undefined;
  if (form !== undefined) {
    return form;
  }
  if (!isConcreteString(entry) || !PRINCIPAL_ARN_PATTERN.test(entry)) {
    return 'which is not an ARN pattern of IAM roles or users in one account. Give '
      + '"arn:<partition>:iam::<12-digit account ID>:role/<path and name>" (or ":user/"), where * and ? may stand for '
      + 'parts of the path and name, without commas, for example "arn:aws:iam::111122223333:role/cdk-deployer".';
  }
  const [, arnPartition, , , account, resource] = entry.split(':');
  const name = resource.slice(resource.indexOf('/') + 1);
  if (/^[*?/]+$/.test(name)) {
    return `which matches every ${resource.split('/')[0]} of account ${account}. Name the roles that deploy, for example `
      + `"arn:${arnPartition}:iam::${account}:role/cdk-deployer", or omit trustedPrincipalArnPatterns.`;
  }
  const partitionProblem = arnPartitionProblem(arnPartition, partition, 'a pattern');
  if (partitionProblem !== undefined) {
    return partitionProblem;
  }
  const unmatchable = unmatchablePatternProblem(resource);
  if (unmatchable !== undefined) {
    return unmatchable;
  }
  // Only patterns that aim at Identity Center roles are rejected here. Other broad patterns,
  // such as role/*-*, match the samples too, so they get a warning instead of an error.
  const aimsAtIdentityCenter = /aws-reserved|AWSReservedSSO/i.test(resource);
  if (aimsAtIdentityCenter && IDENTITY_CENTER_ROLE_SAMPLES.some((sample) => globMatches(resource, sample))) {
    return `which matches every IAM Identity Center role of account ${account}, so every user with any permission set `
      + 'in that account could deploy. Name the permission set\'s role, for example '
      + `"arn:${arnPartition}:iam::${account}:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_Deployer_*".`;
  }
  if (accounts !== undefined && !accounts.includes(account)) {
    return `in account ${account}, which is not among the trusted accounts (${accounts.join(', ')}). The bootstrap roles `
      + 'trust only trustedAccountIds, so no principal of another account could assume them. Give a pattern in one of '
      + 'those accounts, or add the account to trustedAccountIds.';
  }
  return undefined;
}

/**
 * Checks that the trust policy of the bootstrap roles stays within IAM's default length,
 * with every account and every principal pattern. A pattern that is a token counts as
 * 128 characters, about the length of an IAM Identity Center role ARN, because the text
 * of a token is much shorter than the ARN it stands for.
 */
function checkTrustPolicyLength(validator: PropsValidator, accounts: string[], givenPatterns: string[],
  partition: string | undefined): void {
  const trustPartition = partition ?? longestPartition();
  const tokenCount = givenPatterns.filter((pattern) => Token.isUnresolved(pattern)).length;
  const patterns = givenPatterns.map((pattern) => (Token.isUnresolved(pattern) ? 'x'.repeat(TOKEN_PATTERN_CHARACTERS) : pattern));
  const tokenNote = tokenCount === 0 ? '' : ` (${tokenCount} of the patterns ${tokenCount === 1 ? 'is a token, which counts'
    : 'are tokens, which count'} as ${TOKEN_PATTERN_CHARACTERS} characters each, because their values are not known at synthesis)`;
  const withPatterns = patterns.length > 0 ? `, and the trustedPrincipalArnPatterns as given${tokenNote}` : '';
  const where = partition === undefined ? ', in the partition with the longest name, because the stack\'s region is not known' : '';
  if (trustPolicyCharacters(1, trustPartition, patterns) > MAX_TRUST_POLICY_CHARACTERS) {
    validator.fail('trustedPrincipalArnPatterns makes the trust policy of each bootstrap role '
      + `${trustPolicyCharacters(1, trustPartition, patterns)} characters long with a single trusted account, over IAM's `
      + `default limit of ${MAX_TRUST_POLICY_CHARACTERS.toLocaleString('en-GB')}${where}${tokenNote}. Give fewer or shorter patterns, `
      + 'for example one dedicated deployment role per account.');
    return;
  }
  const limit = maxTrustedAccounts(trustPartition, patterns);
  if (accounts.length > limit) {
    validator.fail(`trustedAccountIds has ${accounts.length} accounts, and the trust policy of each bootstrap role would have `
      + `${trustPolicyCharacters(accounts.length, trustPartition, patterns)} characters, over IAM's default limit of `
      + `${MAX_TRUST_POLICY_CHARACTERS.toLocaleString('en-GB')}. The length is computed from the role's trust policy with `
      + `each account written as IAM stores it ("arn:${trustPartition}:iam::111122223333:root")${withPatterns}${where}. `
      + `Trust at most ${limit} accounts, for example the accounts of your deployment pipelines only.`);
  }
}

/** Returns the partition with the longest name, for a trust policy length that fits in every partition. */
function longestPartition(): string {
  return RegionInfo.regions.map((region) => region.partition ?? 'aws')
    .reduce((longest, partition) => (partition.length > longest.length ? partition : longest), 'aws');
}

/** Returns the length, without whitespace, of the bootstrap roles' trust policy with a number of accounts and the patterns. */
function trustPolicyCharacters(accountCount: number, partition: string, patterns: string[]): number {
  const principals = Array.from({ length: accountCount }, () => `arn:${partition}:iam::111122223333:root`);
  const condition = patterns.length === 0 ? undefined : (patterns.length === 1 ? patterns[0] : patterns);
  return JSON.stringify(cliTrustPolicy(accountCount === 1 ? principals[0] : principals, condition)).length;
}

/** Returns the maximum number of accounts whose trust policy stays within IAM's default length, at least 1. */
function maxTrustedAccounts(partition: string, patterns: string[]): number {
  let count = 1;
  while (trustPolicyCharacters(count + 1, partition, patterns) <= MAX_TRUST_POLICY_CHARACTERS) {
    count++;
  }
  return count;
}

function checkQualifier(validator: PropsValidator, value: unknown): string {
  const fallback = DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  if (!isGiven(value)) {
    return fallback;
  }
  if (!isConcreteString(value)) {
    validator.fail(`qualifier is ${show(value)}. Give a literal string, because the qualifier is part of the names that `
      + `DefaultStackSynthesizer writes at synthesis, or omit it for "${fallback}".`);
    return fallback;
  }
  if (!CDK_QUALIFIER.test(value)) {
    validator.fail(`qualifier is ${show(value)}. The CDK accepts 1 to 10 letters, digits, underscores or hyphens, `
      + `because the qualifier is part of 64-character IAM role names. Give one, for example "${fallback}".`);
  } else if (!BUCKET_SAFE_QUALIFIER.test(value)) {
    validator.fail(`qualifier is ${show(value)}. It is part of the staging bucket's name, and S3 bucket names take only `
      + `lowercase letters, digits and hyphens. Give one, for example "${value.toLowerCase().replace(/_/g, '-')}".`);
  }
  return value;
}

function checkExecutionPolicyArns(validator: PropsValidator, value: unknown, partition: PartitionSource | undefined)
  : string[] | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  const example = '["arn:aws:iam::aws:policy/PowerUserAccess"]';
  const list = checkList(validator, 'executionPolicyArns', value, example);
  if (list === undefined) {
    return undefined;
  }
  if (list.length === 0) {
    validator.fail('executionPolicyArns is empty, so CloudFormation could create no resource in the member accounts. '
      + `Give the AWS managed policies for the resources your stacks create, for example ${example}, give customer-managed `
      + 'policies in executionPolicyNames, or omit both for AdministratorAccess.');
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    const problem = executionPolicyArnProblem(entry, partition);
    if (problem !== undefined) {
      validator.fail(`executionPolicyArns[${index}] is ${show(entry)}, ${problem}`);
    }
  });
  checkDuplicates(validator, 'executionPolicyArns', list);
  return list as string[];
}

/** Explains what is wrong with a literal execution policy ARN, or returns undefined. */
function executionPolicyArnProblem(entry: unknown, partition: PartitionSource | undefined): string | undefined {
  if (isConcreteString(entry) && /[,\s]/.test(entry)) {
    return 'which contains a comma or whitespace. The StackSet passes the ARNs as one comma-delimited list, so a '
      + 'comma would split the ARN in two. Give one ARN per entry, without spaces.';
  }
  const customer = isConcreteString(entry) ? CUSTOMER_MANAGED_POLICY_ARN.exec(entry) : null;
  if (customer !== null) {
    return `a customer-managed policy of account ${customer[1]}, which exists in that account only, so the stack `
      + 'instances in the other member accounts could not attach it. Create the policy under the same name in every '
      + `member account and give its name in executionPolicyNames instead, for example ["${customer[2]}"].`;
  }
  if (!isConcreteString(entry) || !AWS_MANAGED_POLICY_ARN.test(entry)) {
    return 'which is not the ARN of an AWS managed policy. Give an ARN such as '
      + '"arn:aws:iam::aws:policy/PowerUserAccess", or the name of a customer-managed policy in executionPolicyNames.';
  }
  return arnPartitionProblem(entry.split(':')[1], partition, 'the ARN');
}

function checkExecutionPolicyNames(validator: PropsValidator, value: unknown): string[] {
  if (!isGiven(value)) {
    return [];
  }
  const example = '["cdk-deployments"]';
  const list = checkList(validator, 'executionPolicyNames', value, example);
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail(`executionPolicyNames is empty. Give the names of customer-managed policies, for example ${example}, `
      + 'or omit it.');
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    if (isConcreteString(entry) && entry.startsWith('arn:')) {
      validator.fail(`executionPolicyNames[${index}] is ${show(entry)}, an ARN. Give the policy's name only, for example `
        + '"cdk-deployments": the ARN is built in each member account with that account\'s ID.');
    } else if (!isConcreteString(entry) || !POLICY_NAME.test(entry)) {
      validator.fail(`executionPolicyNames[${index}] is ${show(entry)}, which is not a policy name that the StackSet can `
        + 'pass. Give 1 to 128 letters, digits or any of + = . @ _ -, optionally after a path such as "platform/", '
        + 'without commas or whitespace, for example "cdk-deployments".');
    }
  });
  checkDuplicates(validator, 'executionPolicyNames', list);
  return list as string[];
}

/** Checks that the execution role's policies fit IAM's default quota of managed policies per role. */
function checkPolicyCount(validator: PropsValidator, arns: string[] | undefined, names: string[]): void {
  const count = (arns ?? (names.length > 0 ? [] : ['AdministratorAccess'])).length + names.length;
  if (count > MAX_MANAGED_POLICIES) {
    validator.fail(`executionPolicyArns and executionPolicyNames give ${count} policies together, and IAM attaches at `
      + `most ${MAX_MANAGED_POLICIES} managed policies to a role by default. The quota can be raised to 20, which is its `
      + 'hard maximum, but this construct keeps to the default. Merge some of the policies into one customer-managed policy.');
  }
}

/**
 * Reports a qualifier or StackSet name that another MemberAccountBootstrap of the app
 * already uses, in the same stack or another. Two bootstraps with one qualifier would
 * create the same roles, bucket and repository in the member accounts, and two StackSets
 * of one name would collide in the management account.
 */
function checkUniqueInApp(validator: PropsValidator, scope: IConstruct, qualifier: string, stackSetName: string,
  stackSetNameGiven: boolean): void {
  const qualifiers = registryOf(QUALIFIERS, scope);
  const names = registryOf(STACK_SET_NAMES, scope);
  const qualifierOwner = qualifiers.get(qualifier);
  if (qualifierOwner !== undefined) {
    validator.fail(`qualifier ${show(qualifier)} is already the qualifier of the MemberAccountBootstrap at `
      + `"${qualifierOwner}". Both would create the same roles, bucket and repository in the member accounts. Use one `
      + 'MemberAccountBootstrap for all the organizational units and regions, or give this one another qualifier.');
  }
  const nameOwner = names.get(stackSetName);
  // A default name repeats only with a repeated qualifier, which is reported already.
  if (nameOwner !== undefined && (stackSetNameGiven || qualifierOwner === undefined)) {
    validator.fail(`stackSetName ${show(stackSetName)} is already the StackSet name of the MemberAccountBootstrap at `
      + `"${nameOwner}". StackSet names are unique in an account and region. Give this one another stackSetName.`);
  }
}

function registryOf(registry: WeakMap<IConstruct, Map<string, string>>, scope: IConstruct): Map<string, string> {
  let entries = registry.get(scope.node.root);
  if (entries === undefined) {
    entries = new Map();
    registry.set(scope.node.root, entries);
  }
  return entries;
}

function checkRegions(validator: PropsValidator, value: unknown, stackRegion: string, partition: string | undefined): string[] {
  if (!isGiven(value)) {
    if (Token.isUnresolved(stackRegion)) {
      validator.fail('regions is missing and the stack has no region, so the construct cannot tell where to bootstrap. '
        + 'Give the regions, for example ["eu-west-2"], or give the stack an env with a region.');
      return [];
    }
    return [stackRegion];
  }
  const list = checkList(validator, 'regions', value, '["eu-west-2"]');
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('regions is empty, so the StackSet would deploy nowhere. Give at least one region, for example '
      + '["eu-west-2"], or omit it for the stack\'s region.');
  }
  const known = new Map(RegionInfo.regions.map((region) => [region.name, region.partition]));
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      validator.fail(`regions[${index}] is a token. Give the region as a literal string, for example "eu-west-2", `
        + 'because each region is a separate stack instance of the StackSet.');
    } else if (!isConcreteString(entry) || !known.has(entry)) {
      validator.fail(`regions[${index}] is ${show(entry)}, which is not an AWS region that aws-cdk-lib knows. Give one `
        + 'such as "eu-west-2". If AWS opened the region after this version of aws-cdk-lib, upgrade aws-cdk-lib.');
    } else if (partition !== undefined && known.get(entry) !== partition) {
      validator.fail(`regions[${index}] is ${show(entry)}, in the partition ${known.get(entry)}, but the stack's region is `
        + `in ${partition}. A StackSet deploys only within its own partition, so give regions of ${partition}.`);
    }
  });
  if (partition === undefined) {
    const partitions = new Set(list.map((entry) => (isConcreteString(entry) ? known.get(entry) : undefined))
      .filter((entry): entry is string => entry !== undefined));
    if (partitions.size > 1) {
      validator.fail(`regions is ${show(list)}, in the partitions ${[...partitions].join(', ')}. A StackSet deploys only `
        + 'within its own partition, so give regions of one partition, and one MemberAccountBootstrap per partition.');
    }
  }
  checkDuplicates(validator, 'regions', list);
  return list as string[];
}

/** Warns of regions outside the UK, which the platform's region restriction denies by default. */
function regionWarnings(regions: string[]): BootstrapWarning[] {
  const outside = regions.filter((region) => region !== PLATFORM_REGION);
  if (outside.length === 0) {
    return [];
  }
  return [{
    id: 'memberAccountBootstrapRegionOutsideUk',
    message: `The StackSet bootstraps ${outside.join(', ')}, outside ${PLATFORM_REGION}. The platform keeps its data in `
      + 'the UK, and every member account would get a staging bucket, key and container repository there. The region '
      + 'restriction policy of PlatformOrganisation denies other regions, so it must exempt the StackSet execution role '
      + '(arn:aws:iam::*:role/stacksets-exec-*) in them, or the stack instances fail. The CDK roles that deploy there '
      + `need the same exemption. Bootstrap ${PLATFORM_REGION} only, or acknowledge this warning once the exemption is in place.`,
  }];
}

function checkStackSetName(validator: PropsValidator, value: unknown, qualifier: string): string {
  if (!isGiven(value)) {
    return `CdkBootstrap-${qualifier.replace(/[^A-Za-z0-9-]/g, '-')}`;
  }
  if (!isConcreteString(value) || !STACK_SET_NAME.test(value)) {
    validator.fail(`stackSetName is ${show(value)}. CloudFormation accepts a literal name of 1 to 128 letters, digits `
      + 'and hyphens that starts with a letter, for example "CdkBootstrap".');
  }
  return String(value);
}
