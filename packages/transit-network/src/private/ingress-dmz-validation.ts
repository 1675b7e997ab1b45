import { Arn, ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { IngressDmzProps } from '../ingress-dmz';
import { validateDmzCidr, validateInternalCidrs, validateManagedHub } from './dmz-validation';
import { validateBucket } from './resource-checks';
import { PropsValidator, describeConstruct, show } from './validation';
import { resolveAvailabilityZones } from './zones';

/**
 * The prefix lengths the ingress VPC may have. Three public subnets of a quarter of the
 * VPC each, and three /28 transit subnets in the last quarter, fit in a /24, where each
 * public subnet is a /26. A load balancer needs subnets of at least /27, so a /24 is the
 * smallest block. A /16 is the largest VPC CIDR block AWS allows.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer
 */
export const INGRESS_PREFIX_LENGTH = { min: 16, max: 24 };

/** The ARN of a regional AWS WAF web ACL: `arn:<partition>:wafv2:<region>:<account>:regional/webacl/<name>/<id>`. */
const REGIONAL_WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):regional\/webacl\/[\w-]{1,128}\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const WEB_ACL_EXAMPLE = 'arn:aws:wafv2:eu-west-2:111111111111:regional/webacl/ingress/a1b2c3d4-5678-90ab-cdef-111111111111';

/** The props after validation. */
export interface ResolvedIngressDmzProps {
  readonly availabilityZones: string[];
  /** The prefix length of each public subnet: a quarter of the VPC. */
  readonly publicSubnetMask: number;
}

/**
 * Checks every prop of an IngressDmz and throws one error that lists every problem.
 *
 * `self` is the construct being built, whose stack supplies the region and account.
 */
export function validateIngressDmzProps(scope: Construct, id: string, self: Construct, props: IngressDmzProps): ResolvedIngressDmzProps {
  const validator = new PropsValidator(describeConstruct('IngressDmz', scope, id));

  validateManagedHub(validator, self, props?.hub, 'the ingress DMZ', 'places its attachment in');
  const ingressBlock = validateDmzCidr(validator, props?.cidr, { ...INGRESS_PREFIX_LENGTH, example: '10.0.254.0/24', sizeReason: 'The load balancer needs public subnets of at least /27 in three zones beside three /28 transit subnets' });
  validateInternalCidrs(validator, props?.internalCidrs, ingressBlock, {
    vpcLabel: 'ingress',
    perRangeResources: 'a route and a security group rule',
    rangesHint: ' where the load balancer\'s targets are',
    publicRangeReason: 'The public subnets route internal ranges to the hub, so the load balancer\'s replies to internet clients in a public range would never reach them.',
  });
  validateBucket(validator, 'logBucket', props?.logBucket, 'the log archive bucket that receives the VPC flow logs');
  validateAccessLogBucket(validator, self, props?.accessLogBucket, props?.accessLogRetention);
  validateCertificate(validator, self, props?.certificate);
  validateWebAclArn(validator, self, props?.webAclArn);
  const availabilityZones = resolveAvailabilityZones(self, validator, props?.availabilityZones);
  if (props?.deletionProtection !== undefined && typeof props.deletionProtection !== 'boolean') {
    validator.fail(`deletionProtection is ${show(props.deletionProtection)}; use true or false, or leave it out to protect the load balancer.`);
  }

  validator.throwIfInvalid();
  return { availabilityZones, publicSubnetMask: ingressBlock!.prefixLength + 2 };
}

/**
 * Checks the access-log bucket and the retention of the bucket the construct would create.
 *
 * Elastic Load Balancing writes access logs only to a bucket in the load balancer's
 * region whose default encryption is SSE-S3, so a bucket that carries a KMS key, or that
 * is known to be in another region, is rejected.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
function validateAccessLogBucket(validator: PropsValidator, self: Construct, bucket: unknown, retention: unknown): void {
  if (retention !== undefined) {
    if (!(retention instanceof Duration)) {
      validator.fail(`accessLogRetention is ${show(retention)}; pass a Duration, for example Duration.days(365).`);
    } else if (!retention.isUnresolved()) {
      const days = retention.toDays({ integral: false });
      validator.check(Number.isInteger(days) && days >= 1,
        `accessLogRetention is ${retention.toHumanString()}; S3 lifecycle rules expire objects after a whole number of days, so pass Duration.days(n) with n of 1 or more.`);
    }
  }
  if (bucket === undefined) {
    return;
  }

  if (retention !== undefined) {
    validator.fail('accessLogRetention is set together with accessLogBucket, but it applies only to the bucket the construct creates. '
      + 'Set the expiry in the lifecycle rules of your own bucket and leave accessLogRetention out, or leave accessLogBucket out.');
  }
  validateBucket(validator, 'accessLogBucket', bucket, 'a bucket encrypted with SSE-S3 for the load balancer\'s access logs, or leave it out to create one');
  const candidate = bucket as { encryptionKey?: { keyArn?: unknown }; env?: { region?: unknown } };
  if (typeof candidate !== 'object' || candidate === null) {
    return;
  }
  if (candidate.encryptionKey !== undefined) {
    validator.fail(`accessLogBucket is encrypted with the KMS key ${show(candidate.encryptionKey.keyArn)}. Elastic Load Balancing writes access logs `
      + 'only to buckets encrypted with SSE-S3 (Amazon S3 managed keys), so the log archive cannot take them. '
      + 'Pass a bucket with s3.BucketEncryption.S3_MANAGED, or leave accessLogBucket out and the construct creates one.');
  }
  const bucketRegion = candidate.env?.region;
  const stackRegion = Stack.of(self).region;
  if (typeof bucketRegion === 'string' && !Token.isUnresolved(bucketRegion) && !Token.isUnresolved(stackRegion) && bucketRegion !== stackRegion) {
    validator.fail(`accessLogBucket is in region ${bucketRegion} but the stack is in ${stackRegion}; Elastic Load Balancing writes access logs `
      + 'only to a bucket in the load balancer\'s region, so pass a bucket from this region.');
  }
}

/**
 * Checks the certificate: an ACM certificate must be in the load balancer's region.
 * IAM server certificates, which are global, are accepted too.
 */
function validateCertificate(validator: PropsValidator, self: Construct, certificate: unknown): void {
  const example = 'for example acm.Certificate.fromCertificateArn(this, \'Certificate\', \'arn:aws:acm:eu-west-2:111111111111:certificate/…\')';
  const certificateArn = (certificate as { certificateArn?: unknown } | undefined)?.certificateArn;
  if (certificate === undefined || certificate === null) {
    validator.fail(`certificate is ${show(certificate)}; pass the certificate of the HTTPS listener, ${example}.`);
    return;
  }
  if (typeof certificateArn !== 'string') {
    validator.fail(`certificate is ${show(certificate)}, which is not an acm.ICertificate; pass a certificate object, not its ARN, ${example}.`);
    return;
  }
  if (Token.isUnresolved(certificateArn)) {
    return;
  }

  const parts = splitArn(certificateArn);
  if (parts === undefined || !['acm', 'iam'].includes(parts.service)) {
    validator.fail(`certificate has the ARN ${show(certificateArn)}, which is not an ACM certificate ARN; ${example}.`);
    return;
  }
  const stackRegion = Stack.of(self).region;
  if (parts.service === 'acm' && !Token.isUnresolved(stackRegion) && parts.region !== stackRegion) {
    validator.fail(`certificate is an ACM certificate in region ${parts.region || '(none)'} but the stack is in ${stackRegion}; a load balancer uses `
      + 'certificates from its own region only (the us-east-1 certificates of CloudFront do not work here), so request or import the certificate in this region.');
  }
}

/**
 * Checks the web ACL's ARN when it is a concrete string: it must name a web ACL of
 * REGIONAL scope in the load balancer's region.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-associating-aws-resource.html
 */
function validateWebAclArn(validator: PropsValidator, self: Construct, webAclArn: unknown): void {
  if (webAclArn === undefined || (typeof webAclArn === 'string' && Token.isUnresolved(webAclArn))) {
    return;
  }
  if (typeof webAclArn !== 'string') {
    validator.fail(`webAclArn is ${show(webAclArn)}; pass the ARN of a regional AWS WAF web ACL, for example ${show(WEB_ACL_EXAMPLE)}.`);
    return;
  }
  if (/^arn:aws[a-z-]*:wafv2:[^:]*:[^:]*:global\//.test(webAclArn)) {
    validator.fail(`webAclArn is ${show(webAclArn)}, a web ACL of CLOUDFRONT scope, which protects CloudFront distributions only; `
      + `create a web ACL of REGIONAL scope in the load balancer's region, for example ${show(WEB_ACL_EXAMPLE)}.`);
    return;
  }
  const match = REGIONAL_WEB_ACL_ARN.exec(webAclArn);
  if (!match) {
    validator.fail(`webAclArn is ${show(webAclArn)}, which is not the ARN of a regional AWS WAF web ACL; `
      + `expected arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>, for example ${show(WEB_ACL_EXAMPLE)}.`);
    return;
  }
  const stackRegion = Stack.of(self).region;
  if (!Token.isUnresolved(stackRegion) && match[1] !== stackRegion) {
    validator.fail(`webAclArn names a web ACL in region ${match[1]} but the stack is in ${stackRegion}; AWS WAF associates a regional web ACL `
      + 'only with resources in its own region, so pass a web ACL from this region.');
  }
}

/** Splits an ARN into its service and region, or returns undefined if the text is not an ARN. */
function splitArn(arn: string): { service: string; region: string } | undefined {
  if (!/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/.test(arn)) {
    return undefined;
  }
  const components = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME);
  return { service: components.service, region: components.region ?? '' };
}
