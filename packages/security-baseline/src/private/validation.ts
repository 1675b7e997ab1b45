import { Duration, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

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

/** Quotes a received value for an error message. */
export function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
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
