import { RemovalPolicy, aws_events as events, aws_kms as kms, aws_sns as sns } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { ChangeDetectionProps } from '../../change-detection';
import { PropsValidator, checkList, describeConstruct, isGiven, show } from '../validation';

/** The props after defaults. */
export interface ChangeDetectionSettings {
  readonly alertTopic?: sns.ITopic;
  readonly encryptionKey?: kms.IKey;
  readonly alertOnly: Set<string>;
  readonly remediateCloudFormationChanges: boolean;
  readonly driftDetection: string;
  readonly driftDetectionSchedule: events.Schedule;
  readonly removalPolicy: RemovalPolicy;
}

const SECURITY_CHANGES = ['PUBLIC_BUCKET', 'OPEN_SECURITY_GROUP', 'TRAIL_STOPPED', 'KEY_DELETION', 'UNENCRYPTED_VOLUME'];
const DRIFT_DETECTION_METHODS = ['AUTOMATION', 'CONFIG_RULE', 'NONE'];
const REMOVAL_POLICIES: string[] = Object.values(RemovalPolicy);

/** Every day at 06:00 UTC, before the working day in the UK. */
export const DEFAULT_DRIFT_SCHEDULE = (): events.Schedule => events.Schedule.cron({ minute: '0', hour: '6' });

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateChangeDetectionProps(scope: Construct, id: string, rawProps: ChangeDetectionProps | null): ChangeDetectionSettings {
  const validator = new PropsValidator(describeConstruct('ChangeDetection', scope, id));
  if (isGiven(rawProps) && typeof rawProps !== 'object') {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object, or omit them to use the defaults.`);
    validator.throwIfInvalid();
  }
  const props: ChangeDetectionProps = rawProps ?? {};

  if (isGiven(props.alertTopic) && !hasFunctionAndArn(props.alertTopic, 'topicArn', 'addToResourcePolicy')) {
    validator.fail(`alertTopic is ${show(props.alertTopic)}, which is not an SNS topic. `
      + 'Pass an ITopic, for example sns.Topic.fromTopicArn(this, \'Alerts\', \'arn:aws:sns:eu-west-2:111122223333:security-alerts\').');
  }
  if (isGiven(props.encryptionKey) && !hasFunctionAndArn(props.encryptionKey, 'keyArn', 'addToResourcePolicy')) {
    validator.fail(`encryptionKey is ${show(props.encryptionKey)}, which is not a KMS key. Pass an IKey.`);
  }
  if (isGiven(props.alertTopic) && isGiven(props.encryptionKey)) {
    validator.fail('encryptionKey is given with alertTopic, but the key only encrypts the topic that the construct creates. '
      + 'Remove encryptionKey, and make sure the key of alertTopic lets events.amazonaws.com use it.');
  }

  const alertOnly = checkAlertOnly(validator, props.alertOnly);
  const remediateCloudFormationChanges = props.remediateCloudFormationChanges ?? false;
  if (typeof remediateCloudFormationChanges !== 'boolean') {
    validator.fail(`remediateCloudFormationChanges is ${show(remediateCloudFormationChanges)}, which is not a boolean. `
      + 'Give true or false, or omit it for false.');
  }

  const driftDetection = (props.driftDetection as string | undefined) ?? 'AUTOMATION';
  if (!DRIFT_DETECTION_METHODS.includes(driftDetection)) {
    validator.fail(`driftDetection is ${show(driftDetection)}, which is not a drift detection method. `
      + `Use DriftDetectionMethod.${DRIFT_DETECTION_METHODS.join(', DriftDetectionMethod.')}.`);
  }
  if (isGiven(props.driftDetectionSchedule)) {
    if (!(props.driftDetectionSchedule instanceof events.Schedule)) {
      validator.fail(`driftDetectionSchedule is ${show(props.driftDetectionSchedule)}, which is not a Schedule. `
        + 'Give for example events.Schedule.cron({ minute: "0", hour: "6" }).');
    } else if (driftDetection !== 'AUTOMATION') {
      validator.fail(`driftDetectionSchedule is given, but driftDetection is ${driftDetection}. Only the AUTOMATION method `
        + 'runs on this schedule: the AWS Config rule runs every 24 hours and when a stack changes. Remove driftDetectionSchedule.');
    }
  }

  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}, which is not a removal policy. Use RemovalPolicy.RETAIN or RemovalPolicy.DESTROY.`);
  }

  validator.throwIfInvalid();
  return {
    alertTopic: props.alertTopic ?? undefined,
    encryptionKey: props.encryptionKey ?? undefined,
    alertOnly,
    remediateCloudFormationChanges,
    driftDetection,
    driftDetectionSchedule: props.driftDetectionSchedule ?? DEFAULT_DRIFT_SCHEDULE(),
    removalPolicy,
  };
}

function checkAlertOnly(validator: PropsValidator, value: unknown): Set<string> {
  if (!isGiven(value)) {
    return new Set();
  }
  const changes = checkList(validator, 'alertOnly', value, '[SecurityChange.OPEN_SECURITY_GROUP]') ?? [];
  const seen = new Set<string>();
  changes.forEach((change, index) => {
    if (typeof change !== 'string' || !SECURITY_CHANGES.includes(change)) {
      validator.fail(`alertOnly[${index}] is ${show(change)}, which is not a security change. `
        + `Use SecurityChange.${SECURITY_CHANGES.join(', SecurityChange.')}.`);
    } else if (seen.has(change)) {
      validator.fail(`alertOnly[${index}] repeats ${change}. List each security change once.`);
    } else {
      seen.add(change);
    }
  });
  return seen;
}

function hasFunctionAndArn(value: unknown, arnName: string, functionName: string): boolean {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const candidate = value as Record<string, unknown>;
  return typeof candidate[arnName] === 'string' && typeof candidate[functionName] === 'function';
}
