import { Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

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

/** Turns `internet-dmz` into `InternetDmz`, for construct ids. */
export function pascalCase(value: string): string {
  return value
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Quotes a received value for an error message.
 *
 * Tokens print as "a token", because their encoded text (a string such as
 * `${Token[TOKEN.12]}` or a number near -1.9e+289) means nothing to the user. Numbers
 * print as JavaScript writes them, so NaN stays NaN where JSON would write null.
 * Constructs print as their path, because their object graph is circular.
 */
export function show(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'number') {
    return Token.isUnresolved(value) ? 'a token' : String(value);
  }
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? 'a token' : JSON.stringify(value);
  }
  if (Array.isArray(value) && Token.isUnresolved(value)) {
    return 'a list token';
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Token.isUnresolved(value)) {
    return 'a token';
  }
  if (Construct.isConstruct(value)) {
    return `the construct ${value.node.path}`;
  }
  try {
    return JSON.stringify(value, (_key, nested: unknown) => showNested(nested)) ?? String(value);
  } catch {
    // A cycle outside any construct, or a BigInt.
    return String(value);
  }
}

/** Replaces the values inside an object or list that JSON would write misleadingly or not at all. */
function showNested(value: unknown): unknown {
  if (typeof value === 'number' && (Token.isUnresolved(value) || !Number.isFinite(value))) {
    return Token.isUnresolved(value) ? '(a token)' : String(value);
  }
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    return '(a token)';
  }
  if (typeof value === 'function') {
    return '(a function)';
  }
  if (Construct.isConstruct(value)) {
    return `(the construct ${value.node.path})`;
  }
  return value;
}

/**
 * Records a problem for each missing entry of a list, such as `[, "10.0.0.0/16"]`, and
 * returns whether the list has none.
 *
 * `forEach` and `map` skip such holes while spreading and `for...of` read them as
 * undefined, so a validator that iterates one way and a builder that iterates the other
 * would let a hole through to a TypeError. Call this before the other checks of a list.
 */
export function validateNoHoles(validator: PropsValidator, propPath: string, list: readonly unknown[]): boolean {
  let complete = true;
  for (let index = 0; index < list.length; index++) {
    if (!(index in list)) {
      validator.fail(`${propPath}[${index}] is missing (the list has a hole); remove the extra comma or give the entry.`);
      complete = false;
    }
  }
  return complete;
}
