import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { propertiesOf } from './template-values';

/** The only region where the platform keeps user data: Europe (London). */
export const HOME_REGION = 'eu-west-2';

/**
 * Type prefixes of global services. Their resources are not located in a region, so the
 * region of the stack that manages them does not show where data is kept.
 * Route 53 Resolver (`AWS::Route53Resolver::`) is regional and is not in the list.
 */
const GLOBAL_TYPE_PREFIXES: readonly string[] = [
  'AWS::IAM::',
  'AWS::Organizations::',
  'AWS::Route53::',
  'AWS::CloudFront::',
  // AWS WAF Classic without "Regional" in its name protects CloudFront distributions only.
  'AWS::WAF::',
];

/** WAF types that are global when their scope is CLOUDFRONT. */
const SCOPED_WAF_TYPES: readonly string[] = [
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::IPSet',
  'AWS::WAFv2::RegexPatternSet',
  'AWS::WAFv2::RuleGroup',
];

/** Entries of the template that are not AWS resources. */
const NOT_RESOURCES: readonly string[] = ['AWS::CDK::Metadata'];

/**
 * NCSC-P02-LondonRegionOnly: every regional resource is in a stack deployed to eu-west-2.
 *
 * A stack whose region is unresolved (an environment-agnostic stack) is a finding for
 * every regional resource in it, because the platform gives every stack an explicit
 * environment and the check cannot show where the resource will be. Global resources are
 * not applicable: IAM, AWS Organizations, Route 53 (not Resolver), CloudFront, WAF Classic,
 * and AWS WAF resources whose scope is CLOUDFRONT. A WAF scope known only at deploy time
 * counts as regional.
 */
export function LondonRegionOnly(node: CfnResource): NagRuleResult {
  const type = node.cfnResourceType;
  if (NOT_RESOURCES.includes(type) || isGlobal(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const region = Stack.of(node).region;
  if (Token.isUnresolved(region)) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  return region === HOME_REGION ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

function isGlobal(node: CfnResource): boolean {
  const type = node.cfnResourceType;
  if (GLOBAL_TYPE_PREFIXES.some((prefix) => type.startsWith(prefix))) {
    return true;
  }
  if (SCOPED_WAF_TYPES.includes(type)) {
    return propertiesOf(node)?.Scope === 'CLOUDFRONT';
  }
  return false;
}
