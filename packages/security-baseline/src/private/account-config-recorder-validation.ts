import { RemovalPolicy, Token, aws_config as config } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { AccountConfigRecorderProps } from '../account-config-recorder';
import { bucketNameProblems, dottedBucketNameProblem } from './bucket-name';
import { PropsValidator, describeConstruct, isConcreteString, isGiven, show } from './validation';

/** The props after validation and defaults. */
export interface AccountConfigRecorderSettings {
  readonly deliveryBucketName: string;
  readonly deliveryKeyArn?: string;
  readonly homeRegion: string;
  readonly snapshotDeliveryFrequency: string;
  readonly createServiceLinkedRole: boolean;
  readonly removalPolicy: RemovalPolicy;
}

const DEFAULT_HOME_REGION = 'eu-west-2';
const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d+$/;
/** A KMS key ARN: a key ID (a UUID) or a multi-Region key ID (`mrk-` and 32 hexadecimal digits). */
const KEY_ARN = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const ALIAS_ARN = /^arn:[a-z-]+:kms:[^:]*:[^:]*:alias\/.+$/;
const EXAMPLE_KEY_ARN = '"arn:aws:kms:eu-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab"';
const FREQUENCIES: string[] = Object.values(config.MaximumExecutionFrequency);
const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY, RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE];

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateAccountConfigRecorderProps(scope: Construct, id: string,
  rawProps: AccountConfigRecorderProps | null | undefined): AccountConfigRecorderSettings {
  const validator = new PropsValidator(describeConstruct('AccountConfigRecorder', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null || Array.isArray(rawProps)) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least deliveryBucketName.`);
    validator.throwIfInvalid();
  }
  const props = rawProps as AccountConfigRecorderProps;

  checkBucketName(validator, props.deliveryBucketName);
  const homeRegion = checkHomeRegion(validator, props.homeRegion);
  checkKeyArn(validator, props.deliveryKeyArn, homeRegion);

  const snapshotDeliveryFrequency: string = props.snapshotDeliveryFrequency ?? config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS;
  if (!FREQUENCIES.includes(snapshotDeliveryFrequency)) {
    validator.fail(`snapshotDeliveryFrequency is ${show(snapshotDeliveryFrequency)}, which is not a delivery frequency. Use a `
      + 'config.MaximumExecutionFrequency value, for example config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS, or omit it for a daily snapshot.');
  }
  const createServiceLinkedRole = props.createServiceLinkedRole ?? true;
  if (typeof createServiceLinkedRole !== 'boolean') {
    validator.fail(`createServiceLinkedRole is ${show(createServiceLinkedRole)}, which is not a boolean. Give true, or false when `
      + 'the account already has the role AWSServiceRoleForConfig.');
  }
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}, which the recorder does not support. Use RemovalPolicy.RETAIN, `
      + 'RemovalPolicy.DESTROY or RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, or omit it to retain the recorder.');
  }

  validator.throwIfInvalid();
  return {
    deliveryBucketName: props.deliveryBucketName,
    deliveryKeyArn: props.deliveryKeyArn ?? undefined,
    homeRegion,
    snapshotDeliveryFrequency,
    createServiceLinkedRole,
    removalPolicy,
  };
}

function checkBucketName(validator: PropsValidator, value: unknown): void {
  if (!isGiven(value)) {
    validator.fail('deliveryBucketName is missing. Give the name of the central AWS Config bucket, for example '
      + '"ssd-config-archive-222222222222".');
    return;
  }
  if (typeof value !== 'string') {
    validator.fail(`deliveryBucketName is ${show(value)}, which is not a string. Give the bucket name as a string.`);
    return;
  }
  if (!isConcreteString(value)) {
    return;
  }
  for (const problem of bucketNameProblems(value)) {
    validator.fail(`deliveryBucketName ${show(value)} is not a valid S3 bucket name: ${problem}. `
      + 'Give the name of the existing central bucket, which follows the S3 bucket naming rules.');
  }
  const dotted = dottedBucketNameProblem(value);
  if (dotted !== undefined) {
    validator.fail(`deliveryBucketName ${show(value)} is not accepted: ${dotted}. Give the name of a central bucket `
      + 'without dots, for example "ssd-config-archive-222222222222", as the platform names its buckets.');
  }
}

function checkHomeRegion(validator: PropsValidator, value: unknown): string {
  if (!isGiven(value)) {
    return DEFAULT_HOME_REGION;
  }
  if (typeof value !== 'string' || (isConcreteString(value) && !REGION.test(value))) {
    validator.fail(`homeRegion is ${show(value)}, which is not an AWS region. Give a region code, for example `
      + `"${DEFAULT_HOME_REGION}", or omit homeRegion for ${DEFAULT_HOME_REGION}.`);
    return DEFAULT_HOME_REGION;
  }
  return value;
}

/** Checks the key ARN: a key rather than an alias, in the bucket's region (the home region). */
function checkKeyArn(validator: PropsValidator, value: unknown, homeRegion: string): void {
  if (!isGiven(value)) {
    return;
  }
  if (typeof value !== 'string') {
    validator.fail(`deliveryKeyArn is ${show(value)}, which is not a string. Give the key ARN, for example ${EXAMPLE_KEY_ARN}.`);
    return;
  }
  if (!isConcreteString(value)) {
    return;
  }
  if (ALIAS_ARN.test(value)) {
    validator.fail(`deliveryKeyArn is the alias ARN ${show(value)}. An alias resolves in the account that uses it, which is not `
      + `the key owner's, so give the ARN of the key itself, for example ${EXAMPLE_KEY_ARN}.`);
    return;
  }
  const match = KEY_ARN.exec(value);
  if (match === null) {
    validator.fail(`deliveryKeyArn is ${show(value)}, which is not a KMS key ARN. Give an ARN of the form `
      + `arn:<partition>:kms:<region>:<account>:key/<key ID>, for example ${EXAMPLE_KEY_ARN}.`);
    return;
  }
  if (!Token.isUnresolved(homeRegion) && match[1] !== homeRegion) {
    validator.fail(`deliveryKeyArn is a key in ${match[1]}, but the central bucket is in the home region ${homeRegion}. `
      + 'AWS Config uses only a key in the bucket\'s region, so give the key of the bucket\'s region.');
  }
}
