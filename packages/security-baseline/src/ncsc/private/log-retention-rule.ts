import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { propertiesOf, wholeNumber } from './template-values';

/** The shortest time, in days, that a log group may keep its events: one year. */
export const MINIMUM_LOG_RETENTION_DAYS = 365;

/**
 * NCSC-P13-LogRetention: every CloudWatch Logs log group states a retention of at least
 * 365 days.
 *
 * A log group with no retention keeps its events forever, which keeps personal data in
 * logs with no end date, so it is a finding too. A retention known only at deploy time is
 * a finding, because the check cannot show it meets the minimum.
 */
export function LogRetention(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Logs::LogGroup') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const days = wholeNumber(props.RetentionInDays);
  return days !== undefined && days >= MINIMUM_LOG_RETENTION_DAYS
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}
