import { RemovalPolicy } from 'aws-cdk-lib';
import { PropsValidator, checkList, isConcreteString, isGiven, show } from './validation';

const ACCOUNT_ID = /^\d{12}$/;
const REMOVAL_POLICIES: string[] = Object.values(RemovalPolicy);

/** Records a problem unless a given removal policy is a `RemovalPolicy` value, and returns it or RETAIN. */
export function checkRemovalPolicy(validator: PropsValidator, value: unknown): RemovalPolicy {
  if (!isGiven(value)) {
    return RemovalPolicy.RETAIN;
  }
  if (typeof value !== 'string' || !REMOVAL_POLICIES.includes(value)) {
    validator.fail(`removalPolicy is ${show(value)}, which is not a removal policy. `
      + 'Use a RemovalPolicy value, for example RemovalPolicy.RETAIN, or omit removalPolicy to retain the stateful resources.');
    return RemovalPolicy.RETAIN;
  }
  return value as RemovalPolicy;
}

/** Records a problem unless a given value is a boolean, and returns it or `defaultValue`. */
export function checkBoolean(validator: PropsValidator, propName: string, value: unknown, defaultValue: boolean): boolean {
  if (!isGiven(value)) {
    return defaultValue;
  }
  if (typeof value !== 'boolean') {
    validator.fail(`${propName} is ${show(value)}, which is not a boolean. Give true or false, or omit ${propName} for ${defaultValue}.`);
    return defaultValue;
  }
  return value;
}

/**
 * Records a problem unless a given value is an SNS topic (an `ITopic`), which is
 * recognised by its `topicArn`.
 */
export function checkTopic(validator: PropsValidator, propName: string, value: unknown): void {
  if (!isGiven(value)) {
    return;
  }
  const candidate = (typeof value === 'object' ? value : {}) as Record<string, unknown>;
  if (typeof candidate.topicArn !== 'string') {
    validator.fail(`${propName} is ${show(value)}, which is not an SNS topic. Pass an ITopic, for example `
      + 'sns.Topic.fromTopicArn(this, \'Alarms\', \'arn:aws:sns:eu-west-2:111122223333:security-alarms\'), '
      + `or omit ${propName} to create an encrypted topic.`);
  }
}

/**
 * Checks a list of 12-digit account IDs and returns it without repeats, or `defaultValue`
 * when it is not given. Returns undefined when it is not a list.
 */
export function checkAccountList(
  validator: PropsValidator, propName: string, value: unknown, defaultValue: string[], omitHint: string,
): string[] | undefined {
  if (!isGiven(value)) {
    return defaultValue;
  }
  const accounts = checkList(validator, propName, value, '["222222222222"]');
  if (accounts === undefined) {
    return undefined;
  }
  if (accounts.length === 0) {
    validator.fail(`${propName} is empty. List at least one 12-digit AWS account ID, or ${omitHint}.`);
  }
  accounts.forEach((account, index) => {
    if (typeof account !== 'string') {
      validator.fail(`${propName}[${index}] is ${show(account)}, which is not a string. `
        + 'Give each account as a 12-digit account ID in a string, for example "222222222222".');
    } else if (isConcreteString(account) && !ACCOUNT_ID.test(account)) {
      validator.fail(`${propName}[${index}] is ${show(account)}, which is not an AWS account ID. Use the 12-digit account ID.`);
    }
  });
  return [...new Set(accounts as string[])];
}
