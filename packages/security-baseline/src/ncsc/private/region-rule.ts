import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { propertiesOf, valueAt } from './template-values';

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
  // Global Accelerator is a global service, managed through us-west-2 whatever the stack's region.
  'AWS::GlobalAccelerator::',
];

/**
 * The region where some resources that serve global services must be created. AWS gives
 * no choice, and none of them keeps user data.
 */
const GLOBAL_SERVICES_REGION = 'us-east-1';

/**
 * Resources that are exempt in us-east-1, and only there, because AWS requires them there:
 * an ACM certificate (CloudFront reads its certificates from us-east-1 only), an AWS Shield
 * Advanced protection of a global resource (a CloudFront distribution, a Route 53 hosted
 * zone or a Global Accelerator accelerator), and a CloudWatch alarm on the AWS/Billing
 * namespace (billing metrics exist in us-east-1 only).
 */
const US_EAST_1_BY_NECESSITY: Record<string, (props: Record<string, unknown>) => boolean> = {
  'AWS::CertificateManager::Certificate': () => true,
  'AWS::Shield::Protection': (props) => typeof props.ResourceArn === 'string'
    && /^arn:[^:]+:(cloudfront|route53|globalaccelerator)::/.test(props.ResourceArn),
  'AWS::CloudWatch::Alarm': isBillingAlarm,
};

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
 * Global Accelerator, and AWS WAF resources whose scope is CLOUDFRONT. A WAF scope known
 * only at deploy time counts as regional.
 *
 * In us-east-1 only, the resources AWS requires there for global services are not
 * applicable: ACM certificates, Shield protections of global resources and billing alarms
 * (see `US_EAST_1_BY_NECESSITY`). A value known only at deploy time does not exempt a resource.
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
  if (region === GLOBAL_SERVICES_REGION && requiredInUsEast1(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
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

function requiredInUsEast1(node: CfnResource): boolean {
  const check = US_EAST_1_BY_NECESSITY[node.cfnResourceType];
  if (check === undefined) {
    return false;
  }
  const props = propertiesOf(node);
  return props !== undefined && check(props);
}

/** Tests whether an alarm watches billing metrics only: its metric, or every metric of its metric math. */
function isBillingAlarm(props: Record<string, unknown>): boolean {
  if (props.Namespace !== undefined) {
    return props.Namespace === 'AWS/Billing';
  }
  const queries = Array.isArray(props.Metrics) ? props.Metrics : [];
  const namespaces = queries
    .filter((query) => valueAt(query, 'MetricStat') !== undefined)
    .map((query) => valueAt(query, 'MetricStat', 'Metric', 'Namespace'));
  return namespaces.length > 0 && namespaces.every((namespace) => namespace === 'AWS/Billing');
}
