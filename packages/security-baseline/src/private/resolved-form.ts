import { Stack, Token } from 'aws-cdk-lib';
import { show } from './validation';

/**
 * Returns the form of a value that CloudFormation receives, as JSON, so that two tokens for
 * the same reference compare equal: two calls of `Fn.importValue('Acc')` give two different
 * tokens that both resolve to `{"Fn::ImportValue":"Acc"}`.
 */
export function resolvedForm(stack: Stack, value: string): string {
  return JSON.stringify(stack.resolve(value));
}

/**
 * Returns the resolved forms that name the stack's own account: its `account`, and
 * `Aws.ACCOUNT_ID`, which is always the account the stack is deployed in.
 */
export function ownAccountForms(stack: Stack): Set<string> {
  return new Set([resolvedForm(stack, stack.account), JSON.stringify({ Ref: 'AWS::AccountId' })]);
}

/** Quotes a value for a message, a token with what it resolves to, since its encoded text means nothing to the user. */
export function describeResolved(stack: Stack, value: string): string {
  return Token.isUnresolved(value) ? `(a token that resolves to ${resolvedForm(stack, value)})` : show(value);
}
