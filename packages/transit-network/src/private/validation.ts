import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Collects every problem with a construct's props, then throws them as one error,
 * so that a user fixes all of them in one pass.
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  constructor(private readonly subject: string) {}

  /** Records a problem: name the prop, the value received and the fix. */
  public fail(message: string): void {
    this.problems.push(message);
  }

  /** Records `message` unless `condition` holds. */
  public check(condition: boolean, message: string): void {
    if (!condition) {
      this.fail(message);
    }
  }

  /** Throws one error listing every recorded problem, if there are any. */
  public throwIfInvalid(): void {
    if (this.problems.length > 0) {
      throw new Error(`Invalid ${this.subject}:\n  - ${this.problems.join('\n  - ')}`);
    }
  }
}

/** Returns the subject line of a construct's validation errors: its class and path. */
export function describeConstruct(className: string, scope: IConstruct, id: string): string {
  const parentPath = scope.node.path;
  return `${className} props at ${parentPath ? `${parentPath}/` : ''}${id}`;
}

/** Returns whether a value is a concrete string that can be checked now, not a token. */
export function isConcreteString(value: unknown): value is string {
  return typeof value === 'string' && !Token.isUnresolved(value);
}

/** Tier names: 2 to 32 lower-case letters, digits and hyphens, starting with a letter. */
const TIER_NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/;

/** Records a problem unless `tierName` is a valid tier name. */
export function validateTierName(validator: PropsValidator, tierName: unknown): void {
  validator.check(typeof tierName === 'string' && TIER_NAME.test(tierName),
    `tierName is ${show(tierName)}; use 2 to 32 lower-case letters, digits and hyphens starting with a letter, for example "non-production".`);
}

/** Turns `government-network-dmz` into `GovernmentNetworkDmz`, for construct ids. */
export function pascalCase(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** Quotes a received value for an error message. */
export function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
