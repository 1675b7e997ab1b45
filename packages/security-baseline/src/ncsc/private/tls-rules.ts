import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isIntrinsic, isRecord, isTrue, listAt, propertiesOf, stackIndexOf, valueAt } from './template-values';

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

/**
 * The problems the TLS rules report, each as the finding ID that cdk-nag shows in brackets
 * after the rule ID, with the sentence the pack shows for it. Naming the problem lets a
 * suppression name the one finding it accepts, with `appliesTo`.
 */
export const TLS_FINDINGS = {
  oldTlsPolicy: {
    id: 'TlsPolicyBelow12',
    info: 'The endpoint accepts TLS versions older than 1.2: its security policy allows them, or it states none and gets a service default that does.',
  },
  deployTimeValue: {
    id: 'DeployTimeValue',
    info: 'The endpoint\'s protocol, security policy or viewer setting is known only at deploy time, so the check cannot show that it requires TLS 1.2 or later.',
  },
  viewerPlainHttp: {
    id: 'ViewerPlainHttp',
    info: 'A cache behaviour of the CloudFront distribution lets viewers connect over plain HTTP: set its viewer protocol policy to redirect-to-https or https-only.',
  },
  plainHttpEndpoint: {
    id: 'PlainHttp',
    info: 'The OpenSearch Service domain endpoint accepts plain HTTP: set EnforceHTTPS to true.',
  },
  plainFtp: {
    id: 'PlainFtp',
    info: 'The Transfer Family server accepts plain FTP, which sends credentials and files unencrypted: use SFTP or FTPS.',
  },
  originPlainHttp: {
    id: 'OriginPlainHttp',
    info: 'CloudFront connects to an origin over plain HTTP: set the origin protocol policy to https-only.',
  },
  originOldTls: {
    id: 'OriginTlsBelow12',
    info: 'CloudFront may connect to an origin with SSLv3, TLS 1.0 or TLS 1.1: list only TLSv1.2 in the origin SSL protocols.',
  },
  originDeployTimeValue: {
    id: 'OriginDeployTimeValue',
    info: 'An origin\'s protocol policy or SSL protocols are known only at deploy time, so the check cannot show that CloudFront reaches it with TLS 1.2 or later.',
  },
  httpServes: {
    id: 'HttpNotRedirected',
    info: 'The HTTP listener, or a rule of an HTTP listener, does something other than redirect to HTTPS, so content is served over plain HTTP.',
  },
  protocolUnknown: {
    id: 'ProtocolUnknown',
    info: 'The listener\'s protocol is known only at deploy time, so the check cannot show that it does not serve content over plain HTTP.',
  },
} as const;

type TlsCheck = (props: Record<string, unknown>) => NagRuleResult;

const TLS_CHECKS: Record<string, TlsCheck> = {
  'AWS::ElasticLoadBalancingV2::Listener': listenerPolicy,
  'AWS::CloudFront::Distribution': cloudFrontViewerPolicy,
  'AWS::ApiGateway::DomainName': (p) => policyVerdict(API_GATEWAY_TLS12_POLICY, p.SecurityPolicy),
  'AWS::ApiGatewayV2::DomainName': apiGatewayV2Policy,
  'AWS::OpenSearchService::Domain': openSearchEndpointPolicy,
  'AWS::Elasticsearch::Domain': openSearchEndpointPolicy,
  'AWS::Transfer::Server': transferServerPolicy,
};

/**
 * NCSC-P01-Tls12OrLater: every endpoint that terminates TLS accepts TLS 1.2 or later only,
 * and accepts no plain-text protocol beside it.
 *
 * Checks Elastic Load Balancing HTTPS and TLS listeners, CloudFront viewer connections,
 * API Gateway custom domain names, OpenSearch Service domain endpoints and Transfer Family
 * servers. A security policy left out means the service default, which accepts older
 * versions for every type but API Gateway HTTP APIs, so the rule expects it to be stated
 * for every type. A CloudFront cache behaviour that allows plain HTTP and a Transfer Family
 * server that accepts plain FTP are findings of their own. A policy or protocol known only
 * at deploy time is a finding. Listeners with other protocols (TCP, UDP, HTTP) are not
 * applicable: NCSC-P01-HttpRedirectsToHttps covers HTTP. The connection from CloudFront to
 * its origins is checked by NCSC-P01-CloudFrontOriginTls.
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
 * NCSC-P01-CloudFrontOriginTls: CloudFront reaches every custom origin over HTTPS with
 * TLS 1.2 or later.
 *
 * An origin protocol policy of `http-only` is a finding, and so is an `OriginSSLProtocols`
 * list that names SSLv3, TLSv1 or TLSv1.1. `match-viewer` is accepted, because
 * NCSC-P01-Tls12OrLater already requires every viewer to use HTTPS. An origin that lists
 * no SSL protocols gets the CloudFront default and is not a finding. Amazon S3 origins
 * (not website endpoints) and VPC origins have no custom origin configuration and are not read.
 */
export function CloudFrontOriginTls(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::CloudFront::Distribution') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const rawOrigins = valueAt(props, 'DistributionConfig', 'Origins');
  const origins = listAt(rawOrigins);
  if (origins === undefined) {
    return rawOrigins === undefined ? NagRuleCompliance.NOT_APPLICABLE : [TLS_FINDINGS.originDeployTimeValue.id];
  }
  const findings = new Set<string>();
  let custom = false;
  for (const origin of origins) {
    if (!isRecord(origin) || isIntrinsic(origin)) {
      findings.add(TLS_FINDINGS.originDeployTimeValue.id);
      continue;
    }
    const config = origin.CustomOriginConfig;
    if (config === undefined) {
      continue;
    }
    custom = true;
    if (!isRecord(config) || isIntrinsic(config)) {
      findings.add(TLS_FINDINGS.originDeployTimeValue.id);
      continue;
    }
    const policy = config.OriginProtocolPolicy;
    if (typeof policy !== 'string') {
      findings.add(TLS_FINDINGS.originDeployTimeValue.id);
    } else if (policy === 'http-only') {
      findings.add(TLS_FINDINGS.originPlainHttp.id);
      // The SSL protocols of an origin reached over HTTP are never used.
      continue;
    }
    const rawProtocols = config.OriginSSLProtocols;
    if (rawProtocols === undefined) {
      continue;
    }
    const protocols = listAt(rawProtocols);
    if (protocols === undefined || protocols.some((p) => typeof p !== 'string')) {
      findings.add(TLS_FINDINGS.originDeployTimeValue.id);
    } else if (protocols.some((p) => p !== 'TLSv1.2')) {
      findings.add(TLS_FINDINGS.originOldTls.id);
    }
  }
  if (findings.size > 0) {
    return [...findings];
  }
  return custom ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}

/**
 * NCSC-P01-HttpRedirectsToHttps: an Elastic Load Balancing listener on plain HTTP only
 * redirects to HTTPS, and so does every listener rule of such a listener.
 *
 * Every default action of the listener, and every action of a listener rule, must be a
 * redirect whose protocol is HTTPS. A listener rule is read when its `ListenerArn` refers to
 * a listener in the same stack; a rule of a listener imported by ARN is not applicable,
 * because the listener's protocol cannot be seen. A protocol or action known only at deploy
 * time is a finding.
 */
export function HttpRedirectsToHttps(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType === 'AWS::ElasticLoadBalancingV2::ListenerRule') {
    return listenerRuleRedirects(node);
  }
  if (node.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::Listener') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const protocol = listenerProtocol(props);
  if (protocol !== 'HTTP') {
    return protocol === 'unknown' ? [TLS_FINDINGS.protocolUnknown.id] : NagRuleCompliance.NOT_APPLICABLE;
  }
  return redirectsOnly(props.DefaultActions) ? NagRuleCompliance.COMPLIANT : [TLS_FINDINGS.httpServes.id];
}

function listenerRuleRedirects(node: CfnResource): NagRuleResult {
  const props = propertiesOf(node);
  if (props === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const listenerRef = isRecord(props.ListenerArn) ? props.ListenerArn.Ref : undefined;
  const listener = typeof listenerRef === 'string' ? stackIndexOf(node).byLogicalId.get(listenerRef) : undefined;
  if (listener === undefined || listener.cfnResourceType !== 'AWS::ElasticLoadBalancingV2::Listener') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const listenerProps = propertiesOf(listener);
  if (listenerProps === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const protocol = listenerProtocol(listenerProps);
  if (protocol !== 'HTTP') {
    return protocol === 'unknown' ? [TLS_FINDINGS.protocolUnknown.id] : NagRuleCompliance.NOT_APPLICABLE;
  }
  return redirectsOnly(props.Actions) ? NagRuleCompliance.COMPLIANT : [TLS_FINDINGS.httpServes.id];
}

/** Reads a listener's protocol: its name, `none` for a Gateway Load Balancer listener, or `unknown` when known only at deploy time. */
function listenerProtocol(props: Record<string, unknown>): string {
  if (props.Protocol === undefined) {
    return 'none';
  }
  return typeof props.Protocol === 'string' ? props.Protocol : 'unknown';
}

function redirectsOnly(rawActions: unknown): boolean {
  const actions = listAt(rawActions);
  return actions !== undefined && actions.length > 0 && actions.every((action) =>
    valueAt(action, 'Type') === 'redirect' && valueAt(action, 'RedirectConfig', 'Protocol') === 'HTTPS');
}

function listenerPolicy(props: Record<string, unknown>): NagRuleResult {
  const protocol = listenerProtocol(props);
  if (protocol === 'unknown') {
    return [TLS_FINDINGS.deployTimeValue.id];
  }
  if (protocol !== 'HTTPS' && protocol !== 'TLS') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return policyVerdict(ELB_TLS12_POLICY, props.SslPolicy);
}

/**
 * Checks that the distribution uses its own certificate with a TLS 1.2+ minimum (the
 * default CloudFront certificate forces TLSv1), and that no cache behaviour allows plain HTTP.
 */
function cloudFrontViewerPolicy(props: Record<string, unknown>): NagRuleResult {
  const config = valueAt(props, 'DistributionConfig');
  const certificate = valueAt(config, 'ViewerCertificate');
  const ownCertificate = isRecord(certificate) && !isTrue(certificate.CloudFrontDefaultCertificate);
  const findings: string[] = [];
  if (!ownCertificate) {
    findings.push(TLS_FINDINGS.oldTlsPolicy.id);
  } else {
    const versionFinding = policyFinding(CLOUDFRONT_TLS12_POLICY, certificate.MinimumProtocolVersion);
    if (versionFinding !== undefined) {
      findings.push(versionFinding);
    }
  }

  const rawBehaviours = valueAt(config, 'CacheBehaviors');
  const behaviours = [valueAt(config, 'DefaultCacheBehavior'), ...(listAt(rawBehaviours) ?? [])];
  const policies = behaviours.map((behaviour) => valueAt(behaviour, 'ViewerProtocolPolicy'));
  if (policies.some((policy) => typeof policy === 'string' && policy !== 'https-only' && policy !== 'redirect-to-https')) {
    findings.push(TLS_FINDINGS.viewerPlainHttp.id);
  } else if ((rawBehaviours !== undefined && listAt(rawBehaviours) === undefined)
    || policies.some((policy) => typeof policy !== 'string')) {
    pushOnce(findings, TLS_FINDINGS.deployTimeValue.id);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

/** Checks that every domain name configuration states TLS_1_2 (or a later enhanced policy). */
function apiGatewayV2Policy(props: Record<string, unknown>): NagRuleResult {
  const raw = props.DomainNameConfigurations;
  const configurations = listAt(raw);
  if (configurations === undefined && raw !== undefined) {
    return [TLS_FINDINGS.deployTimeValue.id];
  }
  if (configurations === undefined || configurations.length === 0) {
    return [TLS_FINDINGS.oldTlsPolicy.id];
  }
  const findings = new Set<string>();
  for (const configuration of configurations) {
    const finding = policyFinding(API_GATEWAY_TLS12_POLICY, valueAt(configuration, 'SecurityPolicy'));
    if (finding !== undefined) {
      findings.add(finding);
    }
  }
  return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
}

function openSearchEndpointPolicy(props: Record<string, unknown>): NagRuleResult {
  const options = valueAt(props, 'DomainEndpointOptions');
  const findings: string[] = [];
  const enforce = valueAt(options, 'EnforceHTTPS');
  if (!isTrue(enforce)) {
    findings.push(isRecord(enforce) ? TLS_FINDINGS.deployTimeValue.id : TLS_FINDINGS.plainHttpEndpoint.id);
  }
  const finding = policyFinding(OPENSEARCH_TLS12_POLICY, valueAt(options, 'TLSSecurityPolicy'));
  if (finding !== undefined) {
    pushOnce(findings, finding);
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

/**
 * Checks the server's security policy, and that it accepts no plain FTP. A server that
 * lists no protocols gets SFTP only.
 */
function transferServerPolicy(props: Record<string, unknown>): NagRuleResult {
  const findings: string[] = [];
  const policy = props.SecurityPolicyName;
  if (policy === undefined || (typeof policy === 'string' && TRANSFER_2018_POLICY.test(policy))) {
    findings.push(TLS_FINDINGS.oldTlsPolicy.id);
  } else if (typeof policy !== 'string') {
    findings.push(TLS_FINDINGS.deployTimeValue.id);
  }
  if (props.Protocols !== undefined) {
    const protocols = listAt(props.Protocols);
    if (protocols === undefined || protocols.some((p) => typeof p !== 'string')) {
      pushOnce(findings, TLS_FINDINGS.deployTimeValue.id);
    } else if (protocols.includes('FTP')) {
      findings.push(TLS_FINDINGS.plainFtp.id);
    }
  }
  return findings.length > 0 ? findings : NagRuleCompliance.COMPLIANT;
}

/** Returns the finding for a security policy that does not match, or undefined when it matches. */
function policyFinding(pattern: RegExp, value: unknown): string | undefined {
  if (typeof value === 'string') {
    return pattern.test(value) ? undefined : TLS_FINDINGS.oldTlsPolicy.id;
  }
  return value === undefined ? TLS_FINDINGS.oldTlsPolicy.id : TLS_FINDINGS.deployTimeValue.id;
}

function policyVerdict(pattern: RegExp, value: unknown): NagRuleResult {
  const finding = policyFinding(pattern, value);
  return finding === undefined ? NagRuleCompliance.COMPLIANT : [finding];
}

function pushOnce(findings: string[], finding: string): void {
  if (!findings.includes(finding)) {
    findings.push(finding);
  }
}
