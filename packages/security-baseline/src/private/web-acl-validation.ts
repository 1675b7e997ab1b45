import {
  Annotations,
  CfnResource,
  Duration,
  Intrinsic,
  Reference,
  RemovalPolicy,
  Stack,
  Token,
  Tokenization,
  aws_logs as logs,
  aws_s3 as s3,
  region_info,
} from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import type { CountedRule, ManagedRuleGroup, WebAclProps } from '../web-acl';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show, showDuration } from './validation';

/** The AWS managed rule groups every web ACL evaluates, with their priorities. */
export const BASELINE_RULE_GROUPS: ReadonlyArray<{ readonly name: string; readonly priority: number }> = [
  { name: 'AWSManagedRulesAmazonIpReputationList', priority: 10 },
  { name: 'AWSManagedRulesAnonymousIpList', priority: 20 },
  { name: 'AWSManagedRulesCommonRuleSet', priority: 40 },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', priority: 50 },
  { name: 'AWSManagedRulesSQLiRuleSet', priority: 60 },
];

/**
 * The rate-based rule. Rules that judge the client address come before the rules that
 * inspect the request, and AWS WAF stops at the first rule that blocks, so requests from
 * listed addresses do not count towards a client's rate.
 */
export const RATE_RULE = { name: 'RateLimitPerClientIp', priority: 30 };

/** An AWS managed rule group (vendor `AWS`) with its capacity. */
interface AwsManagedRuleGroup {
  readonly name: string;
  /** The web ACL capacity units (WCUs) that the rule group uses. */
  readonly capacityUnits: number;
}

/**
 * The AWS managed rule groups in the capacity estimate, with the capacities that the AWS WAF
 * Developer Guide lists for their latest static versions. AWS sets a group's capacity when it
 * creates the group.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
const AWS_MANAGED_RULE_GROUPS: readonly AwsManagedRuleGroup[] = [
  { name: 'AWSManagedRulesAmazonIpReputationList', capacityUnits: 25 },
  { name: 'AWSManagedRulesAnonymousIpList', capacityUnits: 50 },
  { name: 'AWSManagedRulesCommonRuleSet', capacityUnits: 700 },
  { name: 'AWSManagedRulesAdminProtectionRuleSet', capacityUnits: 100 },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', capacityUnits: 200 },
  { name: 'AWSManagedRulesSQLiRuleSet', capacityUnits: 200 },
  { name: 'AWSManagedRulesLinuxRuleSet', capacityUnits: 200 },
  { name: 'AWSManagedRulesUnixRuleSet', capacityUnits: 100 },
  { name: 'AWSManagedRulesWindowsRuleSet', capacityUnits: 200 },
  { name: 'AWSManagedRulesPHPRuleSet', capacityUnits: 100 },
  { name: 'AWSManagedRulesWordPressRuleSet', capacityUnits: 100 },
];

/**
 * The capacities AWS WAF sets: a rate-based rule aggregating on the IP address without a
 * scope-down statement uses 2 WCUs, the basic web ACL price includes 1,500 WCUs, and a web
 * ACL may use at most 5,000.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-waf-capacity-units.html
 */
const RATE_RULE_CAPACITY_UNITS = 2;
const INCLUDED_CAPACITY_UNITS = 1500;
const MAX_CAPACITY_UNITS = 5000;

/**
 * AWS managed rule groups that AWS WAF accepts only with a managed rule group
 * configuration, such as the Bot Control inspection level or the login path.
 */
const CONFIGURED_RULE_GROUPS = [
  'AWSManagedRulesBotControlRuleSet',
  'AWSManagedRulesATPRuleSet',
  'AWSManagedRulesACFPRuleSet',
  'AWSManagedRulesAntiDDoSRuleSet',
];

const ALWAYS_REDACTED_HEADERS = ['authorization', 'cookie'];
export const LOG_DESTINATION_PREFIX = 'aws-waf-logs-';
export const BUCKET_NAME_FIX = `AWS WAF delivers logs only to a bucket whose name starts with "${LOG_DESTINATION_PREFIX}", `
  + 'so give the bucket such a name, or omit logBucket to log to CloudWatch Logs.';

/** The limits AWS WAF sets on a rate-based rule, and on a logging configuration. */
const MIN_RATE_LIMIT = 10;
const MAX_RATE_LIMIT = 2_000_000_000;
const RATE_WINDOWS_SECONDS = [60, 120, 300, 600];
const MAX_REDACTED_FIELDS = 100;
const MAX_RULE_ACTION_OVERRIDES = 100;

/** The pattern AWS WAF applies to the names of web ACLs, rules and rule groups. */
const ENTITY_NAME = /^[0-9A-Za-z_-]{1,128}$/;
/** Metric names that AWS WAF reserves for its own metrics. */
const RESERVED_METRIC_NAMES = ['All', 'Default_Action'];
const VERSION_NAME = /^[\w#:.\-/]{1,64}$/;
/** The characters of an HTTP header name (a token in RFC 9110), to at most the 64 that AWS WAF allows. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;

const DEFAULT_RATE_LIMIT = 2000;
const DEFAULT_RATE_WINDOW = Duration.minutes(5);
const DEFAULT_RETENTION = logs.RetentionDays.ONE_YEAR;
const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

const WARNING_PREFIX = '@ssd-platform/security-baseline';

/** The props after defaults, as the construct uses them. */
export interface WebAclSettings {
  readonly webAclName: string;
  readonly rateLimit: number;
  readonly rateWindowSeconds: number;
  readonly logBucket?: s3.IBucket;
  readonly logRetention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  readonly redactedHeaders: string[];
  readonly additionalRuleGroups: ManagedRuleGroup[];
  readonly countedRules: CountedRule[];
  readonly shieldAdvanced: boolean;
}

/** The web ACL names of each app, keyed by where they must be unique and the name, with the path of the web ACL that has it. */
const WEB_ACL_NAMES = new WeakMap<IConstruct, Map<string, string>>();

/** The resources associated with a web ACL in each app, keyed by their ARN, with the web ACL and the association ID. */
const ASSOCIATED_RESOURCES = new WeakMap<IConstruct, Map<string, { readonly webAclPath: string; readonly id: string }>>();

/**
 * Checks the props, applies the defaults and throws one error listing every problem.
 * Records the web ACL's name, and warns about unknown rule groups and the capacity estimate.
 *
 * `self` is the web ACL being built: it receives the warnings.
 */
export function validateWebAclProps(
  scope: Construct, id: string, self: Construct, rawProps: WebAclProps | null, defaultName: () => string,
): WebAclSettings {
  const validator = new PropsValidator(describeConstruct('WebAcl', scope, id));
  if (isGiven(rawProps) && typeof rawProps !== 'object') {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object, or omit them to use the defaults.`);
    validator.throwIfInvalid();
  }
  const props: WebAclProps = rawProps ?? {};

  // Lists with empty slots are reported first, and their other checks skip the slots.
  const lists = {
    redactedHeaders: checkListProp(validator, 'redactedHeaders', props.redactedHeaders, '["x-api-key"]'),
    additionalRuleGroups: checkListProp(validator, 'additionalRuleGroups', props.additionalRuleGroups,
      '[{ name: "AWSManagedRulesLinuxRuleSet", priority: 70 }]'),
    countedRules: checkListProp(validator, 'countedRules', props.countedRules,
      '[{ ruleGroupName: "AWSManagedRulesCommonRuleSet", ruleName: "SizeRestrictions_BODY" }]'),
  };

  const webAclName = isGiven(props.webAclName) ? props.webAclName : defaultName();
  checkEntityName(validator, 'webAclName', webAclName, 'omit webAclName to use a name derived from the construct path');
  const nameKey = checkNameUnused(validator, self, webAclName);
  checkRateLimit(validator, props.rateLimit);
  const rateWindowSeconds = checkRateWindow(validator, props.rateLimitWindow);
  checkLogDestination(validator, props, Stack.of(scope));
  const redactedHeaders = checkRedactedHeaders(validator, lists.redactedHeaders);
  const additionalRuleGroups = checkAdditionalRuleGroups(validator, lists.additionalRuleGroups);
  const countedRules = checkCountedRules(validator, lists.countedRules, additionalRuleGroups);
  const capacity = estimateCapacity(validator, additionalRuleGroups);
  if (isGiven(props.shieldAdvanced) && typeof props.shieldAdvanced !== 'boolean') {
    validator.fail(`shieldAdvanced is ${show(props.shieldAdvanced)}, which is not a boolean. Give true or false.`);
  }

  validator.throwIfInvalid();
  if (nameKey !== undefined) {
    namesOf(self).set(nameKey, self.node.path);
  }
  warnAboutRuleGroups(self, additionalRuleGroups, capacity);
  return {
    webAclName,
    rateLimit: props.rateLimit ?? DEFAULT_RATE_LIMIT,
    rateWindowSeconds,
    logBucket: props.logBucket ?? undefined,
    logRetention: props.logRetention ?? DEFAULT_RETENTION,
    removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    redactedHeaders,
    additionalRuleGroups,
    countedRules,
    shieldAdvanced: props.shieldAdvanced ?? false,
  };
}

/**
 * Records a problem for each empty slot of a list prop, naming its index, and returns the list
 * (or undefined when the prop is not given). `[, x]` has an empty slot at index 0, which the
 * array methods skip but spreading turns into `undefined`.
 */
function checkListProp(validator: PropsValidator, propName: string, value: unknown, example: string): unknown[] | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  const list = checkList(validator, propName, value, example) ?? [];
  const reported = 5;
  const emptySlots: number[] = [];
  for (let index = 0; index < list.length && emptySlots.length <= reported; index++) {
    if (!(index in list)) {
      emptySlots.push(index);
    }
  }
  for (const index of emptySlots.slice(0, reported)) {
    validator.fail(`${propName}[${index}] is an empty slot in the list, for example from two commas in a row. `
      + 'Remove the slot, or put a value in it.');
  }
  if (emptySlots.length > reported) {
    validator.fail(`${propName} has more empty slots after index ${emptySlots[reported - 1]}. Remove every empty slot from the list.`);
  }
  return list;
}

/** Records a problem unless a name follows the AWS WAF naming rules and is not a reserved metric name. */
function checkEntityName(validator: PropsValidator, propName: string, name: unknown, alternative: string): void {
  if (typeof name !== 'string') {
    validator.fail(`${propName} is ${show(name)}, which is not a string. Give a name of 1 to 128 letters, digits, `
      + `hyphens and underscores, or ${alternative}.`);
  } else if (isConcreteString(name) && !ENTITY_NAME.test(name)) {
    const reason = name.length === 0 ? 'is empty'
      : name.length > 128 ? `is ${name.length} characters long`
        : 'contains characters other than letters, digits, hyphens and underscores';
    validator.fail(`${propName} ${show(name)} ${reason}. AWS WAF names have 1 to 128 letters, digits, hyphens and `
      + `underscores, so choose such a name, or ${alternative}.`);
  } else if (isConcreteString(name) && RESERVED_METRIC_NAMES.includes(name)) {
    validator.fail(`${propName} is ${show(name)}, which AWS WAF reserves as a metric name. Choose another name, or ${alternative}.`);
  }
}

/**
 * Records a problem if another web ACL of the app has the same name where the two would
 * clash: in the same account and region, or in the same stack when either is unknown. AWS WAF
 * rejects a second regional web ACL of the same name there, and the default log groups
 * `aws-waf-logs-<name>` would clash too.
 *
 * @returns the key to record the name under once the props are valid, or undefined when the name cannot be compared
 */
function checkNameUnused(validator: PropsValidator, self: Construct, name: unknown): string | undefined {
  if (typeof name !== 'string') {
    return undefined;
  }
  const stack = Stack.of(self);
  const comparable = comparableKey(self, name);
  if (comparable === undefined) {
    return undefined;
  }
  const envKnown = isConcreteString(stack.account) && isConcreteString(stack.region);
  const where = envKnown ? `account ${stack.account} and region ${stack.region}` : `stack ${show(stack.node.path)}`;
  const key = `${envKnown ? `${stack.account}/${stack.region}` : `stack:${stack.node.path}`}|${comparable}`;

  const previous = namesOf(self).get(key);
  if (previous !== undefined) {
    validator.fail(`webAclName ${show(name)} is already the name of the web ACL at "${previous}", in the same ${where}. `
      + 'AWS WAF requires regional web ACL names to be unique in an account and region, and the log groups '
      + `"${LOG_DESTINATION_PREFIX}<webAclName>" would clash too, so give the web ACL at "${self.node.path}" another name.`);
  }
  return key;
}

function namesOf(self: IConstruct): Map<string, string> {
  let names = WEB_ACL_NAMES.get(self.node.root);
  if (names === undefined) {
    names = new Map();
    WEB_ACL_NAMES.set(self.node.root, names);
  }
  return names;
}

/**
 * Returns a key under which two strings compare equal when they deploy as the same value,
 * or undefined when that cannot be known at synth time.
 *
 * A literal is its own key. A reference to a resource attribute resolves in the stack of the
 * resource, so references to one resource from any stack match. Other intrinsic functions,
 * such as `Fn.importValue`, resolve in the stack that uses them and match only within it.
 * Strings with other tokens, such as `Lazy` values, are not compared, because they may not
 * have their final value yet.
 */
function comparableKey(self: IConstruct, value: string): string | undefined {
  if (!Token.isUnresolved(value)) {
    return `literal:${value}`;
  }
  const tokens = Tokenization.reverseString(value).tokens;
  if (tokens.length === 0 || !tokens.every((token) => token instanceof Intrinsic)) {
    return undefined;
  }
  const whole = Tokenization.reverseCompleteString(value);
  const home = whole instanceof Reference ? Stack.of(whole.target) : Stack.of(self);
  try {
    return `${home.node.path}:${JSON.stringify(home.resolve(value))}`;
  } catch {
    // Resolving can fail, for example when a Lazy value inside the function cannot produce its value yet.
    return undefined;
  }
}

/** Records a problem unless the rate limit is a whole number in the range AWS WAF accepts, or a token. */
function checkRateLimit(validator: PropsValidator, rateLimit: unknown): void {
  if (!isGiven(rateLimit) || Token.isUnresolved(rateLimit)) {
    return;
  }
  if (typeof rateLimit !== 'number' || !Number.isInteger(rateLimit) || rateLimit < MIN_RATE_LIMIT || rateLimit > MAX_RATE_LIMIT) {
    validator.fail(`rateLimit is ${show(rateLimit)}. AWS WAF accepts a whole number of requests from `
      + `${MIN_RATE_LIMIT} to ${MAX_RATE_LIMIT.toLocaleString('en-GB')}, so give one, for example ${DEFAULT_RATE_LIMIT}, `
      + `or omit rateLimit for ${DEFAULT_RATE_LIMIT}.`);
  }
}

/** Records a problem unless the window is one AWS WAF accepts, and returns it in seconds. */
function checkRateWindow(validator: PropsValidator, window: unknown): number {
  const defaultSeconds = DEFAULT_RATE_WINDOW.toSeconds();
  if (!isGiven(window)) {
    return defaultSeconds;
  }
  if (!(window instanceof Duration) || window.isUnresolved()) {
    validator.fail(`rateLimitWindow is ${window instanceof Duration ? 'a token' : show(window)}, which is not a literal `
      + 'Duration. Give Duration.minutes(1), (2), (5) or (10), or omit rateLimitWindow for 5 minutes.');
    return defaultSeconds;
  }
  const seconds = window.toSeconds({ integral: false });
  if (!RATE_WINDOWS_SECONDS.includes(seconds)) {
    validator.fail(`rateLimitWindow is ${showDuration(window)}. AWS WAF counts requests over 1, 2, 5 or 10 minutes, `
      + 'so give Duration.minutes(1), (2), (5) or (10), or omit rateLimitWindow for 5 minutes.');
  }
  return seconds;
}

/** Checks the log bucket, or the props of the default log group. */
function checkLogDestination(validator: PropsValidator, props: WebAclProps, stack: Stack): void {
  if (isGiven(props.logRetention) && !Object.values(logs.RetentionDays).includes(props.logRetention)) {
    validator.fail(`logRetention is ${show(props.logRetention)}, which is not a CloudWatch Logs retention period. `
      + 'Use a logs.RetentionDays value, for example logs.RetentionDays.ONE_YEAR.');
  }
  if (isGiven(props.removalPolicy) && !REMOVAL_POLICIES.includes(props.removalPolicy)) {
    validator.fail(`removalPolicy is ${show(props.removalPolicy)}, which log groups and KMS keys do not support. `
      + 'Use RemovalPolicy.RETAIN, RETAIN_ON_UPDATE_OR_DELETE or DESTROY.');
  }

  const bucket = props.logBucket;
  if (!isGiven(bucket)) {
    return;
  }
  for (const propName of ['logRetention', 'removalPolicy'] as const) {
    if (isGiven(props[propName])) {
      validator.fail(`${propName} applies to the default log group, which is not created when logBucket is given. `
        + `Remove ${propName}, and set the bucket's own lifecycle rules and removal policy instead.`);
    }
  }

  const candidate = bucket as unknown as Record<string, unknown>;
  if (typeof bucket !== 'object' || typeof candidate.bucketArn !== 'string' || typeof candidate.bucketName !== 'string') {
    validator.fail(`logBucket is ${show(bucket)}, which is not an S3 bucket. Pass an IBucket, for example `
      + 's3.Bucket.fromBucketName(this, \'WafLogs\', \'aws-waf-logs-example\').');
    return;
  }
  const name = physicalBucketName(bucket);
  if (name !== undefined && !name.startsWith(LOG_DESTINATION_PREFIX)) {
    validator.fail(`logBucket is the bucket ${show(name)}, whose name does not start with "${LOG_DESTINATION_PREFIX}". ${BUCKET_NAME_FIX}`);
  }

  const bucketAccount = bucket.env?.account;
  if (isConcreteString(bucketAccount) && isConcreteString(stack.account) && bucketAccount !== stack.account) {
    validator.fail(`logBucket is in account ${bucketAccount}, but the web ACL is in ${stack.account}. AWS WAF delivers `
      + 'logs only to a bucket in the web ACL\'s account, so use a bucket in this account (S3 replication can copy the '
      + 'logs to a central archive), or omit logBucket to log to CloudWatch Logs.');
  }
}

/** Returns a bucket's name when it is a literal now, or undefined when it is a token. */
function physicalBucketName(bucket: s3.IBucket): string | undefined {
  if (isConcreteString(bucket.bucketName)) {
    return bucket.bucketName;
  }
  // A bucket defined in this app refers to its name with a token, but its L1 resource contains the literal name.
  const name = bucketResource(bucket)?.bucketName;
  return isConcreteString(name) ? name : undefined;
}

/** Returns the L1 of a bucket defined in this app, or undefined for an imported bucket. */
export function bucketResource(bucket: s3.IBucket): s3.CfnBucket | undefined {
  const resource = bucket.node.defaultChild;
  return CfnResource.isCfnResource(resource) && resource.cfnResourceType === 'AWS::S3::Bucket' ? resource as s3.CfnBucket : undefined;
}

/** Checks the extra headers to redact and returns every header to redact, lower case and without repeats. */
function checkRedactedHeaders(validator: PropsValidator, headers: unknown[] | undefined): string[] {
  if (headers === undefined) {
    return [...ALWAYS_REDACTED_HEADERS];
  }
  headers.forEach((header, index) => {
    if (isConcreteString(header) && !HEADER_NAME.test(header)) {
      validator.fail(`redactedHeaders[${index}] is ${show(header)}, which is not an HTTP header name of 1 to 64 characters. `
        + 'Give the header name alone, without a colon or value, for example "x-api-key".');
    } else if (typeof header !== 'string') {
      validator.fail(`redactedHeaders[${index}] is ${show(header)}, which is not a string. Give a header name, for example "x-api-key".`);
    }
  });

  const names = [...ALWAYS_REDACTED_HEADERS, ...headers.filter((header): header is string => typeof header === 'string')];
  const unique = [...new Set(names.map((name) => (Token.isUnresolved(name) ? name : name.toLowerCase())))];
  if (unique.length > MAX_REDACTED_FIELDS) {
    validator.fail(`redactedHeaders lists ${unique.length - ALWAYS_REDACTED_HEADERS.length} headers. AWS WAF redacts at most `
      + `${MAX_REDACTED_FIELDS} fields, two of them authorization and cookie, so list at most ${MAX_REDACTED_FIELDS - 2}.`);
  }
  return unique;
}

/**
 * Checks the additional rule groups, including their names and priorities against the
 * baseline rules, and returns those that are objects.
 */
function checkAdditionalRuleGroups(validator: PropsValidator, groups: unknown[] | undefined): ManagedRuleGroup[] {
  if (groups === undefined) {
    return [];
  }
  const names = new Map<string, string>([...BASELINE_RULE_GROUPS, RATE_RULE].map((rule) => [rule.name, 'a baseline rule']));
  const priorities = new Map<number, string>([...BASELINE_RULE_GROUPS, RATE_RULE].map((rule) => [rule.priority, rule.name]));
  const checked: ManagedRuleGroup[] = [];

  groups.forEach((entry, index) => {
    const path = `additionalRuleGroups[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not a rule group. Give an object such as { name: "AWSManagedRulesLinuxRuleSet", priority: 70 }.`);
      return;
    }
    const group = entry as ManagedRuleGroup;
    checked.push(group);
    checkEntityName(validator, `${path}.name`, group.name, 'remove the rule group');
    if (isConcreteString(group.name) && CONFIGURED_RULE_GROUPS.includes(group.name) && (group.vendorName ?? 'AWS') === 'AWS') {
      validator.fail(`${path}.name is ${show(group.name)}, which AWS WAF accepts only with a managed rule group configuration `
        + 'that this construct does not set. Remove it, and add the rule group to the CfnWebACL with its configuration.');
    }
    if (isConcreteString(group.name) && names.has(group.name)) {
      validator.fail(`${path}.name is ${show(group.name)}, which ${names.get(group.name)} already uses. `
        + 'Rule names must be unique in a web ACL, so remove the repeated rule group.');
    } else if (isConcreteString(group.name)) {
      names.set(group.name, path);
    }

    if (isGiven(group.vendorName) && !(isConcreteString(group.vendorName) && /\S/.test(group.vendorName) && group.vendorName.length <= 128)) {
      validator.fail(`${path}.vendorName is ${show(group.vendorName)}. Give the vendor name of 1 to 128 characters, for example "AWS".`);
    }
    if (isGiven(group.version) && !(isConcreteString(group.version) && VERSION_NAME.test(group.version))) {
      validator.fail(`${path}.version is ${show(group.version)}, which is not a rule group version. Give the version name `
        + 'AWS WAF lists, for example "Version_1.0", or omit version to use the default version.');
    }
    const capacityUnits: unknown = group.capacityUnits;
    if (isGiven(capacityUnits) && !Token.isUnresolved(capacityUnits)
      && !(typeof capacityUnits === 'number' && Number.isInteger(capacityUnits) && capacityUnits >= 1)) {
      validator.fail(`${path}.capacityUnits is ${show(capacityUnits)}. Give the rule group's capacity as a whole number of `
        + 'WCUs of 1 or more, as its vendor lists it, or omit capacityUnits.');
    }

    if (typeof group.priority !== 'number' || !Number.isInteger(group.priority) || group.priority < 0) {
      validator.fail(`${path}.priority is ${show(group.priority)}. Give a whole number of 0 or more, for example 70.`);
    } else if (priorities.has(group.priority)) {
      validator.fail(`${path}.priority is ${group.priority}, which ${priorities.get(group.priority)} already uses. `
        + 'Each rule in a web ACL needs its own priority, and the baseline rules use 10 to 60, so choose another, for example 70.');
    } else {
      priorities.set(group.priority, path);
    }
  });
  return checked;
}

/** Checks that each counted rule names a managed rule group of the web ACL, once. */
function checkCountedRules(validator: PropsValidator, rules: unknown[] | undefined, additional: ManagedRuleGroup[]): CountedRule[] {
  if (rules === undefined) {
    return [];
  }
  const groupNames = [...BASELINE_RULE_GROUPS.map((group) => group.name), ...additional.map((group) => group.name)];
  const seen = new Set<string>();
  const perGroup = new Map<string, number>();
  const checked: CountedRule[] = [];

  rules.forEach((entry, index) => {
    const path = `countedRules[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      validator.fail(`${path} is ${show(entry)}, which is not a counted rule. Give an object such as `
        + '{ ruleGroupName: "AWSManagedRulesCommonRuleSet", ruleName: "SizeRestrictions_BODY" }.');
      return;
    }
    const rule = entry as CountedRule;
    checked.push(rule);
    if (isConcreteString(rule.ruleGroupName) && !groupNames.includes(rule.ruleGroupName)) {
      validator.fail(`${path}.ruleGroupName is ${show(rule.ruleGroupName)}, which is not a managed rule group of this web ACL. `
        + `Use one of ${groupNames.join(', ')}.`);
    } else if (!isConcreteString(rule.ruleGroupName)) {
      validator.fail(`${path}.ruleGroupName is ${show(rule.ruleGroupName)}. Give the name of a managed rule group of this web ACL as a literal string.`);
    }
    checkEntityName(validator, `${path}.ruleName`, rule.ruleName, 'remove the counted rule');

    const key = `${rule.ruleGroupName}/${rule.ruleName}`;
    if (seen.has(key)) {
      validator.fail(`${path} repeats the rule ${show(rule.ruleName)} of ${show(rule.ruleGroupName)}. List each rule once.`);
    }
    seen.add(key);
    const count = (perGroup.get(String(rule.ruleGroupName)) ?? 0) + 1;
    perGroup.set(String(rule.ruleGroupName), count);
    if (count === MAX_RULE_ACTION_OVERRIDES + 1) {
      validator.fail(`countedRules lists more than ${MAX_RULE_ACTION_OVERRIDES} rules of ${show(rule.ruleGroupName)}, `
        + `and AWS WAF overrides at most ${MAX_RULE_ACTION_OVERRIDES} in a rule group. List fewer.`);
    }
  });
  return checked;
}

/** The web ACL's estimated capacity, and the additional rule groups the estimate leaves out. */
interface CapacityEstimate {
  readonly baselineUnits: number;
  readonly additionalUnits: number;
  readonly uncounted: string[];
}

/**
 * Estimates the web ACL capacity units (WCUs) of the web ACL, and records a problem if the
 * estimate is over the maximum that AWS WAF allows. An additional rule group counts with its
 * `capacityUnits`, or with the capacity the table lists for an AWS managed rule group, or not at
 * all when neither is known.
 */
function estimateCapacity(validator: PropsValidator, additional: ManagedRuleGroup[]): CapacityEstimate {
  const baselineUnits = RATE_RULE_CAPACITY_UNITS
    + BASELINE_RULE_GROUPS.reduce((sum, group) => sum + (knownCapacityUnits(group.name, 'AWS') ?? 0), 0);
  let additionalUnits = 0;
  const uncounted: string[] = [];
  for (const group of additional) {
    const capacityUnits: unknown = group.capacityUnits;
    const units = typeof capacityUnits === 'number' && Number.isInteger(capacityUnits) && !Token.isUnresolved(capacityUnits)
      ? capacityUnits
      : knownCapacityUnits(group.name, group.vendorName ?? 'AWS');
    if (units === undefined) {
      uncounted.push(String(group.name));
    } else {
      additionalUnits += units;
    }
  }

  const total = baselineUnits + additionalUnits;
  if (total > MAX_CAPACITY_UNITS) {
    // NOTE: AWS Support can raise the maximum for an account, and this check ignores a raised maximum.
    validator.fail(`additionalRuleGroups bring the estimated capacity of the web ACL to ${formatUnits(total)} WCUs `
      + `(${formatUnits(baselineUnits)} for the baseline rules, ${formatUnits(additionalUnits)} for additionalRuleGroups), `
      + `over the ${formatUnits(MAX_CAPACITY_UNITS)} WCUs that AWS WAF allows in a web ACL. Remove rule groups that the `
      + 'protected service does not need, or check the capacityUnits given.');
  }
  return { baselineUnits, additionalUnits, uncounted };
}

/** Returns the capacity of an AWS managed rule group that the table lists, or undefined. */
function knownCapacityUnits(name: unknown, vendorName: unknown): number | undefined {
  if (vendorName !== 'AWS') {
    return undefined;
  }
  return AWS_MANAGED_RULE_GROUPS.find((group) => group.name === name)?.capacityUnits;
}

function formatUnits(units: number): string {
  return units.toLocaleString('en-GB');
}

/** Warns about AWS managed rule groups missing from the table, and about a capacity estimate over the included capacity. */
function warnAboutRuleGroups(self: Construct, additional: ManagedRuleGroup[], capacity: CapacityEstimate): void {
  for (const group of additional) {
    if ((group.vendorName ?? 'AWS') !== 'AWS' || !isConcreteString(group.name)
      || knownCapacityUnits(group.name, 'AWS') !== undefined || CONFIGURED_RULE_GROUPS.includes(group.name)) {
      continue;
    }
    const capacityFix = isGiven(group.capacityUnits) ? ''
      : ' For a rule group that AWS added recently, set capacityUnits to its WCUs, so that the capacity estimate counts it.';
    Annotations.of(self).addWarningV2(`${WARNING_PREFIX}:webAclUnknownManagedRuleGroup`,
      `The rule group ${show(group.name)} in additionalRuleGroups is not one of the AWS managed rule groups that WebAcl knows `
      + `(${AWS_MANAGED_RULE_GROUPS.map((known) => known.name).join(', ')}). AWS WAF rejects an unknown name when the stack `
      + `deploys, so check the name against the AWS managed rule groups list.${capacityFix}`);
  }

  const total = capacity.baselineUnits + capacity.additionalUnits;
  if (total > INCLUDED_CAPACITY_UNITS) {
    const uncounted = capacity.uncounted.length === 0 ? ''
      : ` The estimate leaves out ${capacity.uncounted.join(', ')}, whose capacity is unknown: give their capacityUnits.`;
    Annotations.of(self).addWarningV2(`${WARNING_PREFIX}:webAclCapacityAboveIncluded`,
      `The web ACL uses an estimated ${formatUnits(total)} WCUs (${formatUnits(capacity.baselineUnits)} for the baseline rules, `
      + `${formatUnits(capacity.additionalUnits)} for additionalRuleGroups). AWS WAF charges extra for each web ACL over `
      + `${formatUnits(INCLUDED_CAPACITY_UNITS)} WCUs (see AWS WAF pricing), so remove rule groups that the protected `
      + `service does not need, or acknowledge this warning.${uncounted}`);
  }
}

/**
 * Checks the arguments of `WebAcl.associate()` and throws one error listing every problem.
 * Once they are valid, records the resource, so that a later association of the same resource
 * with any web ACL of the app fails.
 */
export function validateAssociation(webAcl: Construct, id: unknown, resourceArn: unknown, shieldAdvanced: boolean): void {
  const idKnown = isConcreteString(id) && id !== '';
  const validator = new PropsValidator(`WebAcl.associate() arguments for ${webAcl.node.path}${idKnown ? `/${id}` : ''}`);
  checkAssociationId(validator, webAcl, id);

  let key: string | undefined;
  if (typeof resourceArn !== 'string') {
    validator.fail(`resourceArn is ${show(resourceArn)}, which is not a string. Pass the ARN of the resource to protect, `
      + 'for example loadBalancer.loadBalancerArn.');
  } else {
    if (isConcreteString(resourceArn)) {
      for (const problem of associationProblems(resourceArn, Stack.of(webAcl), shieldAdvanced)) {
        validator.fail(problem);
      }
    }
    key = comparableKey(webAcl, resourceArn);
    const previous = key === undefined ? undefined : associationsOf(webAcl).get(key);
    if (previous !== undefined) {
      const arnText = isConcreteString(resourceArn) ? show(resourceArn) : '(a token)';
      validator.fail(previous.webAclPath === webAcl.node.path
        ? `resourceArn ${arnText} is already associated with this web ACL, by "${previous.id}". Associate each resource once.`
        : `resourceArn ${arnText} is already associated with the web ACL at "${previous.webAclPath}", by "${previous.id}". `
          + `A resource can be associated with one web ACL only, so associate it with either "${previous.webAclPath}" `
          + `or "${webAcl.node.path}", not both.`);
    }
  }

  validator.throwIfInvalid();
  if (key !== undefined) {
    associationsOf(webAcl).set(key, { webAclPath: webAcl.node.path, id: id as string });
  }
}

/** Records a problem unless the association ID is a literal, non-empty construct ID that no child of the web ACL has. */
function checkAssociationId(validator: PropsValidator, webAcl: Construct, id: unknown): void {
  const fix = 'Give each association its own construct ID, for example "CaseWebLoadBalancer".';
  if (typeof id !== 'string') {
    validator.fail(`id is ${show(id)}, which is not a string. ${fix}`);
  } else if (Token.isUnresolved(id)) {
    validator.fail(`id is a token, but construct IDs must be literal strings. ${fix}`);
  } else if (id === '') {
    validator.fail(`id is empty, and only the root construct of an app has an empty ID. ${fix}`);
  } else {
    const existing = webAcl.node.tryFindChild(id);
    if (existing !== undefined) {
      validator.fail(`id ${show(id)} is already used by the construct at "${existing.node.path}". ${fix}`);
    }
  }
}

function associationsOf(webAcl: IConstruct): Map<string, { readonly webAclPath: string; readonly id: string }> {
  let associations = ASSOCIATED_RESOURCES.get(webAcl.node.root);
  if (associations === undefined) {
    associations = new Map();
    ASSOCIATED_RESOURCES.set(webAcl.node.root, associations);
  }
  return associations;
}

/** A type of resource that a regional web ACL protects, as its ARN shows it. */
interface RegionalResourceType {
  readonly service: string;
  /** The start of the resource part of the ARN, which identifies the type. */
  readonly prefix: string;
  /** The whole resource part of a valid ARN. */
  readonly pattern: RegExp;
  /** The form of the resource part, for messages. */
  readonly form: string;
  /** The type's name, with its article. */
  readonly description: string;
  /** Whether the ARN has an account ID. API Gateway ARNs have none. */
  readonly hasAccount: boolean;
}

const APPLICATION_LOAD_BALANCER: RegionalResourceType = {
  service: 'elasticloadbalancing',
  prefix: 'loadbalancer/app/',
  // A load balancer name has 1 to 32 letters, digits and hyphens, and neither starts nor ends with a hyphen.
  // NOTE: the form of the ID, 16 hexadecimal digits, comes from the example ARNs in the AWS documentation, not from a stated format.
  pattern: /^loadbalancer\/app\/[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?\/[0-9a-f]{16}$/,
  form: 'loadbalancer/app/<name>/<16 hexadecimal digits>',
  description: 'an Application Load Balancer',
  hasAccount: true,
};

/**
 * The resource types that the AWS WAF AssociateWebACL API lists for a regional web ACL.
 *
 * @see https://docs.aws.amazon.com/waf/latest/APIReference/API_AssociateWebACL.html
 */
const REGIONAL_RESOURCE_TYPES: readonly RegionalResourceType[] = [
  APPLICATION_LOAD_BALANCER,
  {
    service: 'apigateway',
    prefix: '/restapis/',
    pattern: /^\/restapis\/[A-Za-z0-9]+\/stages\/[A-Za-z0-9_-]+$/,
    form: '/restapis/<API ID>/stages/<stage name>',
    description: 'an API Gateway REST API stage',
    hasAccount: false,
  },
  {
    service: 'appsync',
    prefix: 'apis/',
    pattern: /^apis\/[A-Za-z0-9]+$/,
    form: 'apis/<API ID>',
    description: 'an AppSync GraphQL API',
    hasAccount: true,
  },
  {
    service: 'cognito-idp',
    prefix: 'userpool/',
    pattern: /^userpool\/[a-z]{2}(?:-[a-z]+)+-\d+_[A-Za-z0-9]+$/,
    form: 'userpool/<region>_<ID>',
    description: 'a Cognito user pool',
    hasAccount: true,
  },
  {
    service: 'apprunner',
    prefix: 'service/',
    pattern: /^service\/[A-Za-z0-9][A-Za-z0-9_-]*\/[0-9a-f]{32}$/,
    form: 'service/<name>/<32 hexadecimal digits>',
    description: 'an App Runner service',
    hasAccount: true,
  },
  {
    service: 'ec2',
    prefix: 'verified-access-instance/',
    pattern: /^verified-access-instance\/vai-[0-9a-f]+$/,
    form: 'verified-access-instance/vai-<hexadecimal digits>',
    description: 'a Verified Access instance',
    hasAccount: true,
  },
];

const REGION_CODE = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ACCOUNT_ID = /^\d{12}$/;

/**
 * Checks a literal resource ARN for `associate()`.
 *
 * @returns one sentence per problem, naming the ARN and the fix
 */
function associationProblems(resourceArn: string, stack: Stack, shieldAdvanced: boolean): string[] {
  if (/\s/.test(resourceArn)) {
    return [`resourceArn ${show(resourceArn)} contains whitespace, which no ARN has. Remove the spaces or line breaks, `
      + 'which often come with an ARN copied from a console or a file.'];
  }
  const match = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(resourceArn);
  if (match === null) {
    return [`resourceArn ${show(resourceArn)} is not an ARN. Pass the ARN of the resource to protect, for example `
      + 'arn:aws:elasticloadbalancing:eu-west-2:111122223333:loadbalancer/app/my-alb/50dc6c495c0c9188.'];
  }
  const [, partition, service, region, account, resource] = match;
  const problems = partitionProblems(resourceArn, partition, stack);

  const type = REGIONAL_RESOURCE_TYPES.find((candidate) => candidate.service === service && resource.startsWith(candidate.prefix));
  if (type === undefined) {
    problems.push(`resourceArn ${show(resourceArn)} is not a resource that a regional web ACL protects: `
      + `${unsupportedReason(service, resource)} Pass the ARN of an Application Load Balancer, an API Gateway REST API stage, `
      + 'an AppSync GraphQL API, a Cognito user pool, an App Runner service or a Verified Access instance.');
  } else {
    if (!type.pattern.test(resource)) {
      problems.push(`resourceArn ${show(resourceArn)} is not a valid ARN of ${type.description}: its resource part `
        + `${show(resource)} is not of the form ${type.form}. Pass the ARN attribute of the resource, or copy the whole ARN from it.`);
    } else if (shieldAdvanced && type !== APPLICATION_LOAD_BALANCER) {
      problems.push(`resourceArn ${show(resourceArn)} is ${type.description}, which AWS Shield Advanced does not protect. `
        + 'With shieldAdvanced, associate only Application Load Balancers, or turn shieldAdvanced off for this web ACL.');
    }
    if (region === '') {
      problems.push(`resourceArn ${show(resourceArn)} has no region, but the ARN of ${type.description} has one. Pass the whole ARN.`);
    }
    if (account === '' && type.hasAccount) {
      problems.push(`resourceArn ${show(resourceArn)} has no account ID, but the ARN of ${type.description} has one. Pass the whole ARN.`);
    }
  }

  if (region !== '' && !REGION_CODE.test(region)) {
    problems.push(`resourceArn ${show(resourceArn)} has the region ${show(region)}, which is not a region code such as eu-west-2. Pass the whole ARN.`);
  } else if (region !== '' && isConcreteString(stack.region) && region !== stack.region) {
    problems.push(`resourceArn ${show(resourceArn)} is in ${region}, but the web ACL is in ${stack.region}. `
      + `A regional web ACL protects resources in its own region only, so create a web ACL in ${region} for it.`);
  }
  if (account !== '' && !ACCOUNT_ID.test(account)) {
    problems.push(`resourceArn ${show(resourceArn)} has the account ID ${show(account)}, which is not 12 digits. Pass the whole ARN.`);
  } else if (account !== '' && isConcreteString(stack.account) && account !== stack.account) {
    problems.push(`resourceArn ${show(resourceArn)} is in account ${account}, but the web ACL is in ${stack.account}. `
      + `AWS WAF associates a web ACL only with resources in its own account, so create a web ACL in ${account}.`);
  }
  return problems;
}

/**
 * Checks the partition of an ARN against the partition of the web ACL's region, or against
 * the partitions in the CDK's region facts when the stack's region is a token or missing from them.
 */
function partitionProblems(resourceArn: string, partition: string, stack: Stack): string[] {
  const expected = isConcreteString(stack.region) ? region_info.RegionInfo.get(stack.region).partition : undefined;
  if (expected !== undefined && partition !== expected) {
    return [`resourceArn ${show(resourceArn)} is in the partition ${partition}, but the web ACL's region ${stack.region} is in `
      + `${expected}. A web ACL protects resources in its own partition only, so pass the ARN of a resource in ${stack.region}, `
      + `which starts with "arn:${expected}:".`];
  }
  // The partitions in the region facts of this aws-cdk-lib version.
  const knownPartitions = [...new Set(region_info.RegionInfo.regions.map((region) => region.partition).filter(isGiven))];
  if (expected === undefined && !knownPartitions.includes(partition)) {
    return [`resourceArn ${show(resourceArn)} has the partition ${show(partition)}, which is not an AWS partition `
      + `(${knownPartitions.join(', ')}). Pass the whole ARN.`];
  }
  return [];
}

/** Explains why a resource cannot be associated with a regional web ACL, for the common mistakes. */
function unsupportedReason(service: string, resource: string): string {
  if (service === 'elasticloadbalancing' && /^loadbalancer\/(net|gwy)\//.test(resource)) {
    return 'AWS WAF inspects HTTP requests, so it protects Application Load Balancers but not Network or Gateway Load Balancers.';
  }
  if (service === 'elasticloadbalancing') {
    return 'it is a listener, target group or Classic Load Balancer, not an Application Load Balancer.';
  }
  if (service === 'cloudfront') {
    return 'a CloudFront distribution needs a web ACL of CLOUDFRONT scope, created in us-east-1.';
  }
  return `the AWS WAF AssociateWebACL API does not list ${service} resources of this type. If AWS WAF has added `
    + 'support for the type since, create a wafv2.CfnWebACLAssociation with webAclArn instead.';
}
