import { CfnResource } from 'aws-cdk-lib';

/** A cdk-nag rule that a resource breaks by design, and why. */
export interface NagSuppression {
  /** The cdk-nag rule id, for example `AwsSolutions-S1`. */
  readonly id: string;
  /** The reason the finding is accepted. cdk-nag rejects reasons shorter than 10 characters. */
  readonly reason: string;
  /**
   * The findings of the rule that are accepted, as cdk-nag names them: for example
   * `Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole`
   * for AwsSolutions-IAM4, or `Resource::*` and `Action::s3:GetObject*` for AwsSolutions-IAM5.
   * A finding of the rule that is not listed still fails.
   *
   * @default - every finding of the rule on the resource is accepted
   */
  readonly appliesTo?: string[];
}

/** One entry of the `rules_to_suppress` list in the `cdk_nag` metadata. */
interface RuleToSuppress {
  readonly id: string;
  readonly reason: string;
  readonly applies_to?: string[];
}

/** Shape of the `cdk_nag` CloudFormation metadata that cdk-nag reads. */
interface CdkNagMetadata {
  readonly rules_to_suppress?: RuleToSuppress[];
  readonly [key: string]: unknown;
}

/**
 * Adds cdk-nag suppressions to an L1 resource's `cdk_nag` metadata.
 *
 * The library writes the metadata that cdk-nag reads instead of calling `NagSuppressions`,
 * so that it needs no runtime dependency on cdk-nag. Suppressions already on the resource
 * stay, and a new suppression replaces an existing one with the same rule id, together with
 * the findings that the existing one listed: give every finding of a rule in one suppression.
 */
export function addNagSuppressions(resource: CfnResource, suppressions: NagSuppression[]): void {
  const existing = (resource.getMetadata('cdk_nag') ?? {}) as CdkNagMetadata;
  const newIds = new Set(suppressions.map((suppression) => suppression.id));
  const unchangedRules = (existing.rules_to_suppress ?? []).filter((rule) => !newIds.has(rule.id));
  const newRules = suppressions.map(({ id, reason, appliesTo }): RuleToSuppress => (appliesTo === undefined
    ? { id, reason }
    : { id, reason, applies_to: [...appliesTo] }));

  resource.addMetadata('cdk_nag', { ...existing, rules_to_suppress: [...unchangedRules, ...newRules] });
}
