import { Duration, RemovalPolicy, Size, SizeRoundingBehavior, Stack, Token, aws_s3 as s3, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
// soc-feed.ts imports this module too, so FindingSeverity is read when a check runs, not at load time.
import { FindingSeverity, SocFeedProps, SocHttpEndpoint } from '../soc-feed';
import { checkRemovalPolicy, checkTopic } from './audit-checks';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show, showDuration } from './validation';

/** The props of SocFeed after defaults, as the construct uses them. */
export interface SocFeedSettings {
  readonly deliveryBucket: s3.IBucket;
  readonly deliveryPrefix: string;
  readonly httpEndpoint?: SocHttpEndpoint;
  readonly securityHubSeverities?: FindingSeverity[];
  readonly guardDutyMinimumSeverity?: number;
  readonly bufferIntervalSeconds: number;
  readonly bufferSizeMiB: number;
  readonly retryDurationSeconds: number;
  readonly alarmTopic?: sns.ITopic;
  readonly removalPolicy: RemovalPolicy;
}

export const DEFAULT_DELIVERY_PREFIX = 'soc-feed/';
export const DEFAULT_BUFFER_INTERVAL = Duration.seconds(60);
export const DEFAULT_BUFFER_SIZE = Size.mebibytes(5);
export const DEFAULT_RETRY_DURATION = Duration.hours(2);

/** Firehose limits, from the BufferingHints and HttpEndpointRetryOptions API references. */
const MAX_BUFFER_INTERVAL_SECONDS = 900;
const MAX_S3_BUFFER_MIB = 128;
const MAX_HTTP_BUFFER_MIB = 64;
const MAX_RETRY_SECONDS = 7200;
const MAX_URL_LENGTH = 1000;
const MAX_ENDPOINT_NAME_LENGTH = 256;
/** Firehose allows 1,024 characters for the prefix, and the construct appends up to 60 of its own. */
const MAX_PREFIX_LENGTH = 900;

/** GuardDuty severities run from 1.0 to 10.0: low 1.0-3.9, medium 4.0-6.9, high 7.0-8.9, critical 9.0-10.0. */
const MIN_GUARDDUTY_SEVERITY = 1;
const MAX_GUARDDUTY_SEVERITY = 10;

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):\d{12}:secret:.+$/;

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateSocFeedProps(scope: Construct, id: string, rawProps: SocFeedProps | null): SocFeedSettings {
  const validator = new PropsValidator(describeConstruct('SocFeed', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least deliveryBucket.`);
    validator.throwIfInvalid();
  }
  const props = rawProps!;
  const stack = Stack.of(scope);

  checkBucket(validator, props.deliveryBucket);
  const deliveryPrefix = checkPrefix(validator, props.deliveryPrefix);
  checkKey(validator, props.deliveryEncryptionKey);
  const httpEndpoint = checkHttpEndpoint(validator, props.httpEndpoint, stack);
  const securityHubSeverities = checkSeverities(validator, props.securityHubSeverities);
  const guardDutyMinimumSeverity = checkGuardDutySeverity(validator, props.guardDutyMinimumSeverity);

  const maxBufferMiB = httpEndpoint === undefined ? MAX_S3_BUFFER_MIB : MAX_HTTP_BUFFER_MIB;
  const bufferIntervalSeconds = checkSeconds(validator, 'bufferInterval', props.bufferInterval, DEFAULT_BUFFER_INTERVAL,
    0, MAX_BUFFER_INTERVAL_SECONDS, 'Firehose buffers records for 0 to 900 seconds');
  const bufferSizeMiB = checkBufferSize(validator, props.bufferSize, maxBufferMiB, httpEndpoint !== undefined);
  if (isGiven(props.retryDuration) && httpEndpoint === undefined) {
    validator.fail('retryDuration is given without httpEndpoint. Firehose retries deliveries to Amazon S3 for 24 hours, '
      + 'which cannot be changed, so omit retryDuration or also give httpEndpoint.');
  }
  const retryDurationSeconds = checkSeconds(validator, 'retryDuration', props.retryDuration, DEFAULT_RETRY_DURATION,
    0, MAX_RETRY_SECONDS, 'Firehose retries an HTTP endpoint for 0 to 7,200 seconds');
  checkTopic(validator, 'alarmTopic', props.alarmTopic);
  const removalPolicy = checkRemovalPolicy(validator, props.removalPolicy);

  validator.throwIfInvalid();

  return {
    deliveryBucket: props.deliveryBucket,
    deliveryPrefix,
    httpEndpoint,
    securityHubSeverities,
    guardDutyMinimumSeverity,
    bufferIntervalSeconds,
    bufferSizeMiB,
    retryDurationSeconds,
    alarmTopic: props.alarmTopic ?? undefined,
    removalPolicy,
  };
}

function checkBucket(validator: PropsValidator, value: unknown): void {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof candidate.bucketArn !== 'string' || typeof candidate.arnForObjects !== 'function') {
    validator.fail(`deliveryBucket is ${show(value)}, but an S3 bucket is required. Pass an IBucket, for example `
      + 's3.Bucket.fromBucketName(this, \'SocDrop\', \'soc-drop-bucket\') for the SOC\'s drop bucket.');
  }
}

function checkPrefix(validator: PropsValidator, value: unknown): string {
  if (!isGiven(value)) {
    return DEFAULT_DELIVERY_PREFIX;
  }
  if (typeof value !== 'string') {
    validator.fail(`deliveryPrefix is ${show(value)}, which is not a string. Give a folder such as "${DEFAULT_DELIVERY_PREFIX}".`);
    return DEFAULT_DELIVERY_PREFIX;
  }
  if (!isConcreteString(value)) {
    validator.fail('deliveryPrefix is a token, whose value is known only at deploy time. Give a literal folder, because the '
      + `construct builds the delivery and error folders and the IAM policy from it, for example "${DEFAULT_DELIVERY_PREFIX}".`);
    return value;
  }
  if (value.length === 0 || value.length > MAX_PREFIX_LENGTH || value.startsWith('/') || !value.endsWith('/')
    || value.includes('!{') || value.includes('*')) {
    validator.fail(`deliveryPrefix is ${show(value)}. Give a folder of 1 to ${MAX_PREFIX_LENGTH} characters that ends with "/", `
      + 'does not start with "/" and has no "*" or Firehose expression ("!{"), for example "soc-feed/".');
  }
  return value;
}

function checkKey(validator: PropsValidator, value: unknown): void {
  if (!isGiven(value)) {
    return;
  }
  const candidate = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  if (typeof candidate.keyArn !== 'string' || typeof candidate.addToResourcePolicy !== 'function') {
    validator.fail(`deliveryEncryptionKey is ${show(value)}, which is not a KMS key. Pass an IKey, for example `
      + 'kms.Key.fromKeyArn(this, \'SocKey\', \'arn:aws:kms:eu-west-2:444455556666:key/<key id>\'), '
      + 'or omit deliveryEncryptionKey to create a key.');
    return;
  }
  const keyArn = candidate.keyArn;
  if (isConcreteString(keyArn) && /:alias\//.test(keyArn)) {
    validator.fail(`deliveryEncryptionKey is the KMS alias ${show(keyArn)}. Firehose resolves an alias in its own account, `
      + 'so pass the key itself by its key ARN.');
  }
}

function checkHttpEndpoint(validator: PropsValidator, value: unknown, stack: Stack): SocHttpEndpoint | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    validator.fail(`httpEndpoint is ${show(value)}, which is not an object. Give { url, accessKeySecret }, `
      + 'or omit httpEndpoint to deliver to deliveryBucket.');
    return undefined;
  }
  const endpoint = value as Record<string, unknown>;
  checkUrl(validator, endpoint.url);

  if (isGiven(endpoint.name) && (typeof endpoint.name !== 'string'
    || (isConcreteString(endpoint.name) && (endpoint.name.trim().length === 0 || endpoint.name.length > MAX_ENDPOINT_NAME_LENGTH)))) {
    validator.fail(`httpEndpoint.name is ${show(endpoint.name)}. Give a name of 1 to ${MAX_ENDPOINT_NAME_LENGTH} characters `
      + 'that is not only spaces, or omit it.');
  }
  checkSecret(validator, endpoint.accessKeySecret, stack);
  checkCommonAttributes(validator, endpoint.commonAttributes);
  return value as SocHttpEndpoint;
}

function checkUrl(validator: PropsValidator, url: unknown): void {
  if (typeof url !== 'string') {
    validator.fail(`httpEndpoint.url is ${show(url)}, but the URL of the SOC's HTTP endpoint is required. `
      + 'Give it as a string, for example "https://soc.example.gov.uk/firehose".');
    return;
  }
  if (!isConcreteString(url)) {
    return;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed.protocol !== 'https:' || !url.startsWith('https://')) {
    validator.fail(`httpEndpoint.url is ${show(url)}, which is not an https URL. Firehose delivers only over HTTPS, `
      + 'so give a URL that starts with "https://", for example "https://soc.example.gov.uk/firehose".');
  } else if (url.length > MAX_URL_LENGTH) {
    validator.fail(`httpEndpoint.url is ${url.length} characters long, and Firehose allows at most ${MAX_URL_LENGTH}. Give a shorter URL.`);
  }
}

function checkSecret(validator: PropsValidator, value: unknown, stack: Stack): void {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof candidate.secretArn !== 'string') {
    validator.fail(`httpEndpoint.accessKeySecret is ${show(value)}, but a Secrets Manager secret is required. Pass an ISecret whose `
      + 'value is {"api_key": "<access key>"}, for example secretsmanager.Secret.fromSecretNameV2(this, \'SocKey\', \'soc/firehose\').');
    return;
  }
  const secretArn = candidate.secretArn;
  if (!isConcreteString(secretArn)) {
    return;
  }
  const match = SECRET_ARN.exec(secretArn);
  if (match === null) {
    validator.fail(`httpEndpoint.accessKeySecret has the ARN ${show(secretArn)}, which is not a Secrets Manager secret ARN. `
      + 'Pass the secret, for example secretsmanager.Secret.fromSecretCompleteArn(this, \'SocKey\', \'<secret ARN>\').');
  } else if (isConcreteString(stack.region) && match[1] !== stack.region) {
    validator.fail(`httpEndpoint.accessKeySecret is in ${match[1]}, but the feed is in ${stack.region}. Firehose reads only `
      + `a secret in the delivery stream's region, so pass a secret from ${stack.region}.`);
  }
}

function checkCommonAttributes(validator: PropsValidator, value: unknown): void {
  if (!isGiven(value)) {
    return;
  }
  if (typeof value !== 'object' || Array.isArray(value) || Token.isUnresolved(value)) {
    validator.fail(`httpEndpoint.commonAttributes is ${show(value)}, which is not a map of names to values. `
      + 'Give an object, for example { environment: "production" }.');
    return;
  }
  for (const [name, attribute] of Object.entries(value as Record<string, unknown>)) {
    if (name.length === 0 || name.length > 256 || typeof attribute !== 'string' || attribute.length > 1024) {
      validator.fail(`httpEndpoint.commonAttributes.${name} is ${show(attribute)}. Give each attribute a name of 1 to 256 `
        + 'characters and a string value of at most 1,024 characters.');
    }
  }
}

function checkSeverities(validator: PropsValidator, value: unknown): FindingSeverity[] | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  const severities = checkList(validator, 'securityHubSeverities', value, '[FindingSeverity.CRITICAL, FindingSeverity.HIGH]');
  if (severities === undefined) {
    return undefined;
  }
  if (severities.length === 0) {
    validator.fail('securityHubSeverities is empty, so no Security Hub finding would reach the SOC. List at least one '
      + 'FindingSeverity, or omit securityHubSeverities to send findings of every severity.');
  }
  const labels: string[] = Object.values(FindingSeverity);
  severities.forEach((severity, index) => {
    if (typeof severity !== 'string' || !labels.includes(severity)) {
      validator.fail(`securityHubSeverities[${index}] is ${show(severity)}, which is not a Security Hub severity label. `
        + `Use a FindingSeverity value: ${labels.join(', ')}.`);
    }
  });
  return [...new Set(severities as FindingSeverity[])];
}

function checkGuardDutySeverity(validator: PropsValidator, value: unknown): number | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  if (typeof value !== 'number' || Token.isUnresolved(value) || !Number.isFinite(value)
    || value < MIN_GUARDDUTY_SEVERITY || value > MAX_GUARDDUTY_SEVERITY) {
    validator.fail(`guardDutyMinimumSeverity is ${show(value)}. GuardDuty severities run from ${MIN_GUARDDUTY_SEVERITY}.0 to `
      + `${MAX_GUARDDUTY_SEVERITY}.0, so give a literal number in that range, for example 7 for high and critical findings, `
      + 'or omit guardDutyMinimumSeverity to send every finding.');
    return undefined;
  }
  return value;
}

/** Records a problem unless a duration is a literal whole number of seconds in the range, and returns the seconds. */
function checkSeconds(
  validator: PropsValidator, propName: string, value: unknown, defaultValue: Duration, min: number, max: number, rule: string,
): number {
  const fallback = defaultValue.toSeconds();
  if (!isGiven(value)) {
    return fallback;
  }
  if (!(value instanceof Duration)) {
    validator.fail(`${propName} is ${show(value)}, which is not a Duration. Give a Duration, for example Duration.seconds(${fallback}).`);
    return fallback;
  }
  if (value.isUnresolved()) {
    validator.fail(`${propName} is a token. ${rule}, so give a literal Duration, for example Duration.seconds(${fallback}).`);
    return fallback;
  }
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    validator.fail(`${propName} is ${showDuration(value)}. ${rule}, in whole seconds, so give a value in that range, `
      + `for example Duration.seconds(${fallback}).`);
    return fallback;
  }
  return seconds;
}

function checkBufferSize(validator: PropsValidator, value: unknown, maxMiB: number, http: boolean): number {
  const fallback = DEFAULT_BUFFER_SIZE.toMebibytes();
  if (!isGiven(value)) {
    return fallback;
  }
  if (!(value instanceof Size)) {
    validator.fail(`bufferSize is ${show(value)}, which is not a Size. Give a Size, for example Size.mebibytes(${fallback}).`);
    return fallback;
  }
  if (value.isUnresolved()) {
    validator.fail(`bufferSize is a token. Give a literal Size, for example Size.mebibytes(${fallback}).`);
    return fallback;
  }
  const mebibytes = value.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mebibytes) || mebibytes < 1 || mebibytes > maxMiB) {
    const destination = http ? 'an HTTP endpoint' : 'Amazon S3';
    validator.fail(`bufferSize is ${show(value.toKibibytes({ rounding: SizeRoundingBehavior.NONE }))} KiB. For ${destination}, `
      + `Firehose buffers 1 to ${maxMiB} MiB in whole MiB, so give a value in that range, for example Size.mebibytes(${fallback}).`);
    return fallback;
  }
  return mebibytes;
}
