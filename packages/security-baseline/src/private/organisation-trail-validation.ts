import { RemovalPolicy, Stack, aws_logs as logs, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { OrganisationTrailProps } from '../organisation-trail';
import { checkAccountList, checkBoolean, checkRemovalPolicy, checkTopic } from './audit-checks';
import { bucketNameProblems } from './bucket-name';
import { ORGANIZATION_ID } from './cloudtrail-delivery';
import { PropsValidator, describeConstruct, isConcreteString, isGiven, show } from './validation';

/** The props of OrganisationTrail after defaults, as the construct uses them. */
export interface OrganisationTrailSettings {
  readonly organizationId: string;
  readonly logArchiveBucketName: string;
  readonly trailName: string;
  readonly logReaderAccounts: string[];
  readonly logArchiveDataEvents: boolean;
  readonly cloudWatchLogsRetention: logs.RetentionDays;
  readonly alarmTopic?: sns.ITopic;
  readonly metricNamespace: string;
  readonly removalPolicy: RemovalPolicy;
}

export const DEFAULT_TRAIL_NAME = 'organisation-trail';
export const DEFAULT_METRIC_NAMESPACE = 'CloudTrailMetrics';

/** The retention periods that CloudWatch Logs accepts, in days. */
const RETENTION_DAYS = Object.values(logs.RetentionDays).filter((value): value is number => typeof value === 'number');

/** The characters CloudTrail allows in a trail name; the other naming rules are checked one by one. */
const TRAIL_NAME_CHARACTERS = /^[A-Za-z0-9._-]+$/;
const IP_ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The characters CloudWatch allows in a metric namespace. */
const NAMESPACE_CHARACTERS = /^[A-Za-z0-9.\-_/#: ]+$/;

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateOrganisationTrailProps(scope: Construct, id: string, rawProps: OrganisationTrailProps | null): OrganisationTrailSettings {
  const validator = new PropsValidator(describeConstruct('OrganisationTrail', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least organizationId and logArchiveBucketName.`);
    validator.throwIfInvalid();
  }
  const props = rawProps!;
  const stack = Stack.of(scope);

  checkOrganizationId(validator, props.organizationId);
  checkLogArchiveBucketName(validator, props.logArchiveBucketName);
  const trailName = checkTrailName(validator, props.trailName);
  const logReaderAccounts = checkAccountList(validator, 'logReaderAccounts', props.logReaderAccounts, [stack.account],
    'omit logReaderAccounts to let only this stack\'s account read the log files');
  const logArchiveDataEvents = checkBoolean(validator, 'logArchiveDataEvents', props.logArchiveDataEvents, true);
  const cloudWatchLogsRetention = checkRetention(validator, props.cloudWatchLogsRetention);
  checkTopic(validator, 'alarmTopic', props.alarmTopic);
  const metricNamespace = checkMetricNamespace(validator, props.metricNamespace);
  const removalPolicy = checkRemovalPolicy(validator, props.removalPolicy);

  validator.throwIfInvalid();

  return {
    organizationId: props.organizationId,
    logArchiveBucketName: props.logArchiveBucketName,
    trailName,
    logReaderAccounts: logReaderAccounts!,
    logArchiveDataEvents,
    cloudWatchLogsRetention,
    alarmTopic: props.alarmTopic ?? undefined,
    metricNamespace,
    removalPolicy,
  };
}

function checkOrganizationId(validator: PropsValidator, value: unknown): void {
  if (typeof value !== 'string') {
    validator.fail(`organizationId is ${show(value)}, but the ID of the organization is required. Give it as a string, `
      + 'for example "o-a1b2c3d4e5", as `aws organizations describe-organization` shows it.');
  } else if (isConcreteString(value) && !ORGANIZATION_ID.test(value)) {
    validator.fail(`organizationId is ${show(value)}, which is not an organization ID. An organization ID is "o-" followed by `
      + '10 to 32 lower-case letters or digits, for example "o-a1b2c3d4e5".');
  }
}

function checkLogArchiveBucketName(validator: PropsValidator, value: unknown): void {
  if (typeof value !== 'string') {
    validator.fail(`logArchiveBucketName is ${show(value)}, but the name of the log archive bucket is required. Give the name `
      + 'of the LogArchive bucket in the Security account, for example "ssd-log-archive-111122223333".');
    return;
  }
  if (!isConcreteString(value)) {
    return;
  }
  for (const problem of bucketNameProblems(value)) {
    validator.fail(`logArchiveBucketName ${show(value)} is not a valid S3 bucket name: ${problem}. `
      + 'Give the name of the LogArchive bucket exactly as S3 shows it.');
  }
}

/**
 * Checks a trail name against the CloudTrail naming rules and returns it, or the default.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html
 */
function checkTrailName(validator: PropsValidator, value: unknown): string {
  if (!isGiven(value)) {
    return DEFAULT_TRAIL_NAME;
  }
  if (typeof value !== 'string') {
    validator.fail(`trailName is ${show(value)}, which is not a string. Give a name such as "${DEFAULT_TRAIL_NAME}", `
      + 'or omit trailName to use that name.');
    return DEFAULT_TRAIL_NAME;
  }
  if (!isConcreteString(value)) {
    validator.fail('trailName is a token, whose value is known only at deploy time. Give a literal name, because the key '
      + 'policy, the log group name and the trail ARN that the log archive needs are built from it.');
    return value;
  }

  const problems: string[] = [];
  if (value.length < 3 || value.length > 128) {
    problems.push(`it is ${value.length} characters long, and CloudTrail allows 3 to 128`);
  }
  if (!TRAIL_NAME_CHARACTERS.test(value)) {
    problems.push('it contains characters other than letters, digits, periods, underscores and hyphens');
  }
  if (!/^[A-Za-z0-9]/.test(value) || !/[A-Za-z0-9]$/.test(value)) {
    problems.push('it must begin and end with a letter or a digit');
  }
  if (/[._-]{2}/.test(value)) {
    problems.push('it has two periods, underscores or hyphens next to each other');
  }
  if (IP_ADDRESS.test(value)) {
    problems.push('it is formatted as an IP address');
  }
  for (const problem of problems) {
    validator.fail(`trailName ${show(value)} is not a valid trail name: ${problem}. Choose a name such as "${DEFAULT_TRAIL_NAME}".`);
  }
  return value;
}

function checkRetention(validator: PropsValidator, value: unknown): logs.RetentionDays {
  if (!isGiven(value)) {
    return logs.RetentionDays.ONE_YEAR;
  }
  if (typeof value !== 'number' || !RETENTION_DAYS.includes(value)) {
    validator.fail(`cloudWatchLogsRetention is ${show(value)}, which is not a retention period that CloudWatch Logs accepts. `
      + 'Use a logs.RetentionDays value, for example logs.RetentionDays.ONE_YEAR, or omit cloudWatchLogsRetention for one year.');
    return logs.RetentionDays.ONE_YEAR;
  }
  return value as logs.RetentionDays;
}

/**
 * Checks a metric namespace against the CloudWatch rules and returns it, or the default.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
function checkMetricNamespace(validator: PropsValidator, value: unknown): string {
  if (!isGiven(value)) {
    return DEFAULT_METRIC_NAMESPACE;
  }
  if (typeof value !== 'string') {
    validator.fail(`metricNamespace is ${show(value)}, which is not a string. Give a namespace such as "${DEFAULT_METRIC_NAMESPACE}".`);
    return DEFAULT_METRIC_NAMESPACE;
  }
  if (!isConcreteString(value)) {
    return value;
  }
  if (value.length < 1 || value.length > 255 || !NAMESPACE_CHARACTERS.test(value)) {
    validator.fail(`metricNamespace ${show(value)} is not a valid CloudWatch namespace. Use 1 to 255 letters, digits, spaces `
      + `and the characters . - _ / # :, for example "${DEFAULT_METRIC_NAMESPACE}".`);
  } else if (value.startsWith('AWS/')) {
    validator.fail(`metricNamespace ${show(value)} starts with "AWS/", which CloudWatch reserves for AWS services. `
      + `Choose another namespace, for example "${DEFAULT_METRIC_NAMESPACE}".`);
  }
  return value;
}
