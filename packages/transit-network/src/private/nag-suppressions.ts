import { CfnResource } from 'aws-cdk-lib';

/** A cdk-nag rule that a resource deliberately does not meet, and why. */
export interface NagSuppression {
  /** The rule ID, for example `AwsSolutions-IAM4`. */
  readonly id: string;
  /** The reason the finding is accepted. cdk-nag rejects reasons shorter than 10 characters. */
  readonly reason: string;
  /** The findings of the rule that are accepted, for example one managed policy ARN. All findings are accepted if absent. */
  readonly appliesTo?: string[];
}

/** The shape cdk-nag reads from a resource's `cdk_nag` metadata. */
interface CfnSuppression {
  id: string;
  reason: string;
  applies_to?: string[];
}

/**
 * Records cdk-nag suppressions in a resource's `cdk_nag` metadata, keeping any already there.
 *
 * cdk-nag reads this metadata itself, so the library needs no runtime dependency on it.
 * A suppression for a rule ID that is already suppressed replaces the earlier one.
 */
export function addNagSuppressions(resource: CfnResource, suppressions: NagSuppression[]): void {
  for (const suppression of suppressions) {
    // cdk-nag base64-encodes reasons with characters beyond Latin-1, so ASCII keeps the template readable.
    if (suppression.reason.length < 10 || !/^[\x20-\x7e]+$/.test(suppression.reason)) {
      throw new Error(`cdk-nag suppression of ${suppression.id} on ${resource.node.path} needs a reason of at least 10 printable ASCII characters.`);
    }
  }

  const existing: CfnSuppression[] = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  const added = suppressions.map((s): CfnSuppression => (s.appliesTo
    ? { id: s.id, reason: s.reason, applies_to: s.appliesTo }
    : { id: s.id, reason: s.reason }));
  const addedIds = new Set(added.map((s) => s.id));
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [...existing.filter((s) => !addedIds.has(s.id)), ...added],
  });
}
