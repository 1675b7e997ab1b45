/**
 * A small evaluator of the Deny statements in service control policies, for tests.
 *
 * It answers one question: does any Deny statement of a policy match a request? With
 * `FullAWSAccess` attached, that decides whether an SCP blocks the request.
 *
 * It supports what the platform's policies use. That is `Action` and `NotAction` with `*`
 * and `?` wildcards, and `Resource` and `NotResource`. The condition operators are
 * StringEquals, StringNotEquals, StringLike, StringNotLike, ArnEquals, ArnNotEquals,
 * ArnLike, ArnNotLike, Bool and Null, with the `ForAnyValue:` and `ForAllValues:` prefixes
 * and the `IfExists` suffix. Any other operator throws, so that a test cannot pass by accident.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

/** A value in the request context: a string, a list for multivalued keys, or undefined when the key is absent. */
export type ContextValue = string | string[] | undefined;

/** A request to evaluate. */
export interface ScpRequest {
  /** The action, for example `ec2:RunInstances`. */
  readonly action: string;

  /** The ARN of the resource. Only a statement whose `Resource` is `*` matches a request without one. */
  readonly resource?: string;

  /** The condition keys of the request, for example `aws:RequestedRegion`. Key names are case-insensitive. */
  readonly context: Record<string, ContextValue>;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** Returns the Sids (or indexes) of the Deny statements of `policy` that match `request`. */
export function denyingStatements(policy: string | object, request: ScpRequest): string[] {
  const document = (typeof policy === 'string' ? JSON.parse(policy) : policy) as { Statement: Statement | Statement[] };
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  return statements
    .map((statement, index) => ({ statement, name: statement.Sid ?? `#${index}` }))
    .filter(({ statement }) => statement.Effect === 'Deny' && matches(statement, request))
    .map(({ name }) => name);
}

/** Tests whether any Deny statement of the policy matches the request. */
export function isDenied(policy: string | object, request: ScpRequest): boolean {
  return denyingStatements(policy, request).length > 0;
}

function matches(statement: Statement, request: ScpRequest): boolean {
  if (statement.Action !== undefined && !anyGlob(statement.Action, request.action, true)) {
    return false;
  }
  if (statement.NotAction !== undefined && anyGlob(statement.NotAction, request.action, true)) {
    return false;
  }
  if (statement.Resource !== undefined && !resourceMatches(statement.Resource, request.resource)) {
    return false;
  }
  if (statement.NotResource !== undefined && resourceMatches(statement.NotResource, request.resource)) {
    return false;
  }
  return Object.entries(statement.Condition ?? {})
    .every(([operator, keys]) => Object.entries(keys).every(([key, values]) => evaluate(operator, key, values, request.context)));
}

function resourceMatches(patterns: string | string[], resource: string | undefined): boolean {
  const list = toList(patterns);
  return resource === undefined ? list.includes('*') : anyGlob(list, resource, false);
}

/** Evaluates one condition key under one operator, as IAM does. */
function evaluate(operator: string, key: string, conditionValues: string | string[], context: Record<string, ContextValue>): boolean {
  const parsed = /^(ForAnyValue:|ForAllValues:)?([A-Za-z]+?)(IfExists)?$/.exec(operator);
  if (parsed === null) {
    throw new Error(`The evaluator cannot read the condition operator ${operator}.`);
  }
  const [, setOperator, baseOperator, ifExists] = parsed;
  const expected = toList(conditionValues);
  const actual = lookup(context, key);

  if (baseOperator === 'Null') {
    const wantAbsent = expected[0].toLowerCase() === 'true';
    return wantAbsent === (actual === undefined);
  }
  if (actual === undefined) {
    // A missing key satisfies IfExists and the negated operators, and nothing else.
    return ifExists !== undefined || (setOperator === undefined && isNegated(baseOperator)) || setOperator === 'ForAllValues:';
  }

  const compare = comparator(baseOperator);
  const negated = isNegated(baseOperator);
  const matchesOne = (value: string): boolean => expected.some((condition) => compare(condition, value));
  if (setOperator === 'ForAnyValue:') {
    return toList(actual).some((value) => matchesOne(value) !== negated);
  }
  if (setOperator === 'ForAllValues:') {
    return toList(actual).every((value) => matchesOne(value) !== negated);
  }
  if (Array.isArray(actual)) {
    throw new Error(`The context key ${key} has several values, so its condition needs ForAnyValue: or ForAllValues:.`);
  }
  return matchesOne(actual) !== negated;
}

function isNegated(operator: string): boolean {
  return /Not(Equals|Like)$/.test(operator);
}

/** Returns how an operator compares a condition value with a request value, before any negation. */
function comparator(operator: string): (condition: string, value: string) => boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
    case 'ArnEquals':
    case 'ArnNotEquals':
      return (condition, value) => condition === value;
    case 'StringLike':
    case 'StringNotLike':
    case 'ArnLike':
    case 'ArnNotLike':
      return (condition, value) => glob(condition, value, false);
    case 'Bool':
      return (condition, value) => condition.toLowerCase() === value.toLowerCase();
    default:
      throw new Error(`The evaluator does not support the condition operator ${operator}.`);
  }
}

function lookup(context: Record<string, ContextValue>, key: string): ContextValue {
  const entry = Object.entries(context).find(([name]) => name.toLowerCase() === key.toLowerCase());
  return entry?.[1];
}

function anyGlob(patterns: string | string[], value: string, ignoreCase: boolean): boolean {
  return toList(patterns).some((pattern) => glob(pattern, value, ignoreCase));
}

/** Matches a whole string against a pattern in which `*` is any run of characters and `?` is one character. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split('').map((char) => {
    if (char === '*') {
      return '.*';
    }
    if (char === '?') {
      return '.';
    }
    return char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}

function toList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}
