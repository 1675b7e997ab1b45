import { CfnResource } from 'aws-cdk-lib';

/** A cdk-nag rule that a resource breaks by design, and why. */
export interface NagSuppression {
  /** The cdk-nag rule id, for example `AwsSolutions-S1`. */
  readonly id: string;
  /** The reason the finding is accepted. cdk-nag rejects reasons shorter than 10 characters. */
  readonly reason: string;
}

/** Shape of the `cdk_nag` CloudFormation metadata that cdk-nag reads. */
interface CdkNagMetadata {
  readonly rules_to_suppress?: Array<{ readonly id: string; readonly reason: string }>;
  readonly [key: string]: unknown;
}

/**
 * Adds cdk-nag suppressions to an L1 resource's `cdk_nag` metadata.
 *
 * The library writes the metadata that cdk-nag reads instead of calling `NagSuppressions`,
 * so that it needs no runtime dependency on cdk-nag. Suppressions already on the resource
 * stay, and a new suppression replaces an existing one with the same rule id.
 */
export function addNagSuppressions(resource: CfnResource, suppressions: NagSuppression[]): void {
  const existing = (resource.getMetadata('cdk_nag') ?? {}) as CdkNagMetadata;
  const newIds = new Set(suppressions.map((suppression) => suppression.id));
  const unchangedRules = (existing.rules_to_suppress ?? []).filter((rule) => !newIds.has(rule.id));

  resource.addMetadata('cdk_nag', {
    ...existing,
    rules_to_suppress: [...unchangedRules, ...suppressions.map(({ id, reason }) => ({ id, reason }))],
  });
}
