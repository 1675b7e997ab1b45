import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isRecord, isTrue, listAt, propertiesOf, valueAt } from './template-values';

/**
 * Elastic Load Balancing security policies whose lowest TLS version is 1.2 or 1.3, by name:
 * the TLS13-1-2 and TLS13-1-3 families (with their FIPS and post-quantum variants),
 * TLS-1-2 and FS-1-2. Every other policy, including ELBSecurityPolicy-2016-08 that a
 * listener gets when it names none, still accepts TLS 1.0 or 1.1.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html
 */
const ELB_TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-/;

/** CloudFront viewer security policies with a lowest TLS version of 1.2 or later. */
const CLOUDFRONT_TLS12_POLICY = /^TLSv1\.[23]_/;

/** API Gateway security policies with a lowest TLS version of 1.2 or later. */
const API_GATEWAY_TLS12_POLICY = /^(TLS_1_2|SecurityPolicy_TLS1[23]_.*)$/;

/** OpenSearch Service domain endpoint policies with a lowest TLS version of 1.2. */
const OPENSEARCH_TLS12_POLICY = /^Policy-Min-TLS-1-2-/;

/**
 * The Transfer Family policies of 2018, the default when a server names none. Later
 * policies drop the older ciphers and key exchange algorithms.
 */
const TRANSFER_2018_POLICY = /^TransferSecurityPolicy-(.+-)?2018-11$/;

type TlsCheck = (props: Record<string, unknown>) => NagRuleResult;

const TLS_CHECKS: Record<string, TlsCheck> = {
  'AWS::ElasticLoadBalancingV2::Listener': listenerPolicy,
  'AWS::CloudFront::Distribution': cloudFrontViewerPolicy,
  'AWS::ApiGateway::DomainName': (p) => verdict(matches(API_GATEWAY_TLS12_POLICY, p.SecurityPolicy)),
  'AWS::ApiGatewayV2::DomainName': apiGatewayV2Policy,
  'AWS::OpenSearchService::Domain': openSearchEndpointPolicy,
  'AWS::Elasticsearch::Domain': openSearchEndpointPolicy,
  'AWS::Transfer::Server': (p) => verdict(typeof p.SecurityPolicyName === 'string' && !TRANSFER_2018_POLICY.test(p.SecurityPolicyName)),
};

/**
 * NCSC-P01-Tls12OrLater: every endpoint that terminates TLS accepts TLS 1.2 or later only.
 *
 * Checks Elastic Load Balancing HTTPS and TLS listeners, CloudFront viewer connections,
 * API Gateway custom domain names, OpenSearch Service domain endpoints and Transfer Family
 * servers. A security policy left out means the service default, which accepts older
 * versions for every type but API Gateway HTTP APIs, so the rule expects it to be stated
 * for every type. A policy or protocol known only at deploy time is a finding. Listeners with
 * other protocols (TCP, UDP, HTTP) are not applicable: NCSC-P01-HttpRedirectsToHttps
 * covers HTTP.
 */
export function Tls12OrLater(node: CfnResource): NagRuleResult {
  const check = TLS_CHECKS[node.cfnResourceType];
  if (check === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  return props === undefined ? NagRuleCompliance.NOT_APPLICABLE : check(props);
}

/**
 * NCSC-P01-HttpRedirectsToHttps: an Elastic Load Balancing listener on plain HTTP only
 * redirects to HTTPS.
 *
 * Every default action must be a redirect whose protocol is HTTPS. Listener rules added to
 * the listener are not read. A protocol or action known only at deploy time is a finding.
 */
export function HttpRedirectsToHttps(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::Listener') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (props.Protocol === undefined) {
    // Gateway Load Balancer listeners have no protocol.
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (typeof props.Protocol !== 'string') {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  if (props.Protocol !== 'HTTP') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const actions = listAt(props.DefaultActions);
  const redirectsOnly = actions !== undefined && actions.length > 0 && actions.every((action) =>
    valueAt(action, 'Type') === 'redirect' && valueAt(action, 'RedirectConfig', 'Protocol') === 'HTTPS');
  return verdict(redirectsOnly);
}

function listenerPolicy(props: Record<string, unknown>): NagRuleResult {
  const protocol = props.Protocol;
  if (typeof protocol === 'string' && protocol !== 'HTTPS' && protocol !== 'TLS') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (protocol === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return verdict(matches(ELB_TLS12_POLICY, props.SslPolicy));
}

/**
 * Checks that the distribution uses its own certificate with a TLS 1.2+ minimum (the
 * default CloudFront certificate forces TLSv1), and that no cache behaviour allows plain HTTP.
 */
function cloudFrontViewerPolicy(props: Record<string, unknown>): NagRuleResult {
  const config = valueAt(props, 'DistributionConfig');
  const certificate = valueAt(config, 'ViewerCertificate');
  const ownCertificate = isRecord(certificate) && !isTrue(certificate.CloudFrontDefaultCertificate);
  const minimumVersion = ownCertificate && matches(CLOUDFRONT_TLS12_POLICY, certificate.MinimumProtocolVersion);

  const behaviours = [valueAt(config, 'DefaultCacheBehavior'), ...(listAt(valueAt(config, 'CacheBehaviors')) ?? [])];
  const httpsOnly = behaviours.every((behaviour) => {
    const policy = valueAt(behaviour, 'ViewerProtocolPolicy');
    return policy === 'https-only' || policy === 'redirect-to-https';
  });
  return verdict(minimumVersion && httpsOnly);
}

/** Checks that every domain name configuration states TLS_1_2 (or a later enhanced policy). */
function apiGatewayV2Policy(props: Record<string, unknown>): NagRuleResult {
  const configurations = listAt(props.DomainNameConfigurations);
  if (configurations === undefined || configurations.length === 0) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  return verdict(configurations.every((configuration) =>
    matches(API_GATEWAY_TLS12_POLICY, valueAt(configuration, 'SecurityPolicy'))));
}

function openSearchEndpointPolicy(props: Record<string, unknown>): NagRuleResult {
  const options = valueAt(props, 'DomainEndpointOptions');
  return verdict(isTrue(valueAt(options, 'EnforceHTTPS'))
    && matches(OPENSEARCH_TLS12_POLICY, valueAt(options, 'TLSSecurityPolicy')));
}

function matches(pattern: RegExp, value: unknown): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function verdict(compliant: boolean): NagRuleResult {
  return compliant ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}
