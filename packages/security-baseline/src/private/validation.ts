import { Duration, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * Collects every problem with a set of props, then throws them as one error,
 * so that a user can fix all of them in one pass.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  /** @param subject what is being validated, for the first line of the error */
  constructor(private readonly subject: string) {}

  /** Records a problem. The message names the prop, the value received and the fix. */
  public fail(message: string): void {
    this.problems.push(message);
  }

  /** Throws one error listing every recorded problem, if there are any. */
  public throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new Error(`Invalid ${this.subject}:\n  - ${this.problems.join('\n  - ')}`);
    }
  }
}

/** Builds the subject line of a construct's validation error from its class and construct path. */
export function describeConstruct(className: string, scope: IConstruct, id: string): string {
  const parentPath = scope.node.path;
  return `${className} props at ${parentPath ? `${parentPath}/` : ''}${id}`;
}

/** Tests whether a value is a string that can be checked now, not a token resolved at deploy time. */
export function isConcreteString(value: unknown): value is string {
  return typeof value === 'string' && !Token.isUnresolved(value);
}

/**
 * Quotes a received value for an error message.
 *
 * Tokens print as "a token", because their encoded text means nothing to the user.
 * Constructs print as their path, because their object graph is circular and cannot be
 * written as JSON. NaN and Infinity print as JavaScript writes them, not as JSON's null.
 */
export function show(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'function') {
    return 'a function';
  }
  if (Token.isUnresolved(value)) {
    return 'a token';
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (Construct.isConstruct(value)) {
    return `the construct at "${value.node.path}"`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Tests whether an optional prop was given. JavaScript callers may pass null to mean "not given". */
export function isGiven<T>(value: T | null | undefined): value is T {
  return value !== undefined && value !== null;
}

/**
 * Records a problem unless `value` is a literal list, and returns the list when it is one.
 *
 * A plain string is reported once, not once per character, and a list token (for example
 * from `Fn.split`) is reported as such, because its entries cannot be checked before deployment.
 *
 * @param example a literal list for the message, for example `["222222222222"]`
 */
export function checkList(validator: PropsValidator, propName: string, value: unknown, example: string): unknown[] | undefined {
  if (Array.isArray(value) && !Token.isUnresolved(value)) {
    return value;
  }
  if (Array.isArray(value)) {
    validator.fail(`${propName} is a list token, whose entries are known only at deploy time. `
      + `Give a literal list, for example ${example}. Its entries may be tokens.`);
  } else if (typeof value === 'string') {
    validator.fail(`${propName} is the string ${show(value)}, but a list is expected. `
      + `Put the value in a list, for example ${example}.`);
  } else {
    validator.fail(`${propName} is ${show(value)}, which is not a list. Give a list, for example ${example}.`);
  }
  return undefined;
}

/** Renders a duration for an error message, for example `36 hours`. */
export function showDuration(duration: Duration): string {
  return duration.toHumanString();
}

/**
 * Returns the length of a duration in days, or undefined when it is a token.
 * The result may have a fractional part, so callers check `Number.isInteger` themselves.
 */
export function daysOf(duration: Duration | undefined): number | undefined {
  if (duration === undefined || duration.isUnresolved()) {
    return undefined;
  }
  return duration.toDays({ integral: false });
}
