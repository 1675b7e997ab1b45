import { createHash } from 'crypto';
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Returns the part of a construct ID that names one member account.
 *
 * A literal account ID is used as it is, so that adding an account adds a resource and
 * leaves the others alone. A token cannot appear in a construct ID, so it is replaced by a
 * hash of its resolved form, which is the same in every synthesis of the same reference.
 */
export function memberKey(scope: IConstruct, accountId: string): string {
  if (!Token.isUnresolved(accountId)) {
    return accountId;
  }
  const resolved = JSON.stringify(Stack.of(scope).resolve(accountId));
  return `Token${createHash('sha256').update(resolved).digest('hex').slice(0, 12)}`;
}

/** Splits a list into lists of at most `size` entries, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}
