import { Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The maximum number of characters, without white space, in all inline policies of one IAM
 * role together.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const MAX_ROLE_INLINE_POLICY_CHARACTERS = 10_240;

/** The characters an estimate counts for a value that is known only at deployment, such as an account ID. */
const UNRESOLVED_VALUE_CHARACTERS = 32;

/** The characters an estimate counts for each pseudo parameter. */
const PSEUDO_PARAMETER_CHARACTERS: Record<string, number> = {
  'AWS::Partition': 'aws'.length,
  'AWS::AccountId': 12,
  'AWS::Region': 'eu-west-2'.length,
  'AWS::URLSuffix': 'amazonaws.com'.length,
};

/**
 * Estimates the characters of every inline policy (`AWS::IAM::Policy`) attached to a role
 * in the role's stack, as IAM counts them.
 *
 * Values known only at deployment count as their usual length for pseudo parameters and as
 * 32 characters otherwise, so the result is an estimate.
 */
export function estimateInlinePolicyCharacters(role: IConstruct): number {
  const stack = Stack.of(role);
  const roleRef = stack.resolve((role as iam.CfnRole).ref);
  let total = 0;
  for (const construct of stack.node.findAll()) {
    if (!(construct instanceof iam.CfnPolicy)) {
      continue;
    }
    const roles = stack.resolve(construct.roles) as unknown[] | undefined;
    if (!(roles ?? []).some((attached) => JSON.stringify(attached) === JSON.stringify(roleRef))) {
      continue;
    }
    total += estimatedLength(stack.resolve(construct.policyDocument));
  }
  return total;
}

/**
 * Estimates the length of a resolved CloudFormation value, such as a resource policy, once
 * CloudFormation has resolved its intrinsic functions and written it as JSON without white
 * space. Values known only at deployment count as in `estimateInlinePolicyCharacters`.
 */
export function estimateJsonCharacters(value: unknown): number {
  return estimatedLength(value);
}

/** Estimates the length of a resolved CloudFormation value written as JSON without white space. */
function estimatedLength(value: unknown): number {
  if (typeof value === 'string') {
    return Token.isUnresolved(value) ? 2 + UNRESOLVED_VALUE_CHARACTERS : JSON.stringify(value).length;
  }
  if (Array.isArray(value)) {
    return 2 + value.reduce((sum: number, item) => sum + estimatedLength(item), 0) + Math.max(value.length - 1, 0);
  }
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value ?? null).length;
  }

  const entries = Object.entries(value as Record<string, unknown>);
  const [key, argument] = entries[0] ?? [];
  if (entries.length === 1 && key === 'Ref' && typeof argument === 'string') {
    return 2 + (PSEUDO_PARAMETER_CHARACTERS[argument] ?? UNRESOLVED_VALUE_CHARACTERS);
  }
  if (entries.length === 1 && key === 'Fn::Join' && Array.isArray(argument)) {
    const [separator, parts] = argument as [string, unknown[]];
    // A joined string is one JSON string: its parts without their quotes, with the separators.
    const partLengths = parts.map((part) => estimatedLength(part) - 2);
    return 2 + partLengths.reduce((sum, length) => sum + length, 0) + separator.length * Math.max(parts.length - 1, 0);
  }
  if (entries.length === 1 && key.startsWith('Fn::')) {
    return 2 + UNRESOLVED_VALUE_CHARACTERS;
  }
  return 2 + entries.reduce((sum, [name, item]) => sum + JSON.stringify(name).length + 1 + estimatedLength(item), 0)
    + Math.max(entries.length - 1, 0);
}
