import { Stack, Token, aws_ec2 as ec2, aws_elasticloadbalancingv2 as elbv2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { VendorDeployEndpointProps, VendorDeployService } from '../vendor-deploy-endpoint';
import { Ipv4Block, contains, formatCidr, hasHostBits, networkOf, parseCidr, parseIpv4Address, unusableRangeProblem } from './cidr';
import { encryptsWithAwsManagedKey } from './nlb-access-logs';
import { validateBucket } from './resource-checks';
import { PropsValidator, describeConstruct, isConcreteString, pascalCase, show, validateNoHoles } from './validation';
import { ZONE_COUNT } from './zones';

/** Vendor and service names: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen. */
const KEBAB_NAME = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

const ACCOUNT_ID = /^\d{12}$/;

/** An ACM certificate ARN: `arn:<partition>:acm:<region>:<account>:certificate/<uuid>`. */
const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CERTIFICATE_EXAMPLE = 'acm.Certificate.fromCertificateArn(this, \'Certificate\', \'arn:aws:acm:eu-west-2:111111111111:certificate/11111111-2222-3333-4444-555555555555\')';

/**
 * The members of `elbv2.SslPolicy` whose lowest TLS version is 1.2 or 1.3. The others
 * (`RECOMMENDED`, `LEGACY`, `TLS11`, `FORWARD_SECRECY`, `FORWARD_SECRECY_TLS11` and the
 * `TLS13_10` and `TLS13_11` families) still accept TLS 1.0 or 1.1, which have known weaknesses.
 *
 * NOTE: a policy that AWS adds after aws-cdk-lib 2.257.0 is rejected until it is listed here.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/describe-ssl-policies.html
 */
const TLS12_OR_LATER_POLICIES: readonly string[] = [
  'RECOMMENDED_TLS', 'TLS13_RES', 'TLS13_EXT1', 'TLS13_EXT2', 'TLS13_13',
  'TLS13_12_PQ', 'TLS13_12_RES_PQ', 'TLS13_12_EXT1_PQ', 'TLS13_12_EXT2_PQ', 'TLS13_13_PQ',
  'FIPS_TLS13_13', 'FIPS_TLS13_12_RES', 'FIPS_TLS13_12', 'FIPS_TLS13_12_EXT0', 'FIPS_TLS13_12_EXT1', 'FIPS_TLS13_12_EXT2',
  'FIPS_TLS13_13_PQ', 'FIPS_TLS13_12_PQ', 'FIPS_TLS13_12_RES_PQ', 'FIPS_TLS13_12_EXT0_PQ', 'FIPS_TLS13_12_EXT1_PQ', 'FIPS_TLS13_12_EXT2_PQ',
  'FORWARD_SECRECY_TLS12_RES_GCM', 'FORWARD_SECRECY_TLS12_RES', 'FORWARD_SECRECY_TLS12',
  'TLS12', 'TLS12_EXT',
];

/** A Network Load Balancer has at most 50 listeners. */
const MAX_LISTENERS = 50;

/** The default quota of inbound, and separately of outbound, rules in one security group. It can be raised. */
export const SECURITY_GROUP_RULE_QUOTA = 60;

/** The choices that the public enums allow, passed in so that this file needs no runtime import of the construct's file. */
export interface VendorDeployEnums {
  readonly environments: readonly string[];
  readonly protocols: readonly string[];
  /** The protocol that terminates TLS at the load balancer. */
  readonly tlsProtocol: string;
}

/** The props after validation. */
export interface ResolvedVendorDeployProps {
  /** The subnets of the load balancer, one in each zone. */
  readonly subnets: ec2.ISubnet[];
  /** Whether any service uses a TLS listener. */
  readonly anyTls: boolean;
}

/**
 * Checks every prop of a VendorDeployEndpoint and throws one error that lists every problem.
 *
 * `self` is the construct being built, whose stack supplies the region and account.
 */
export function validateVendorDeployProps(
  scope: Construct, id: string, self: Construct, props: VendorDeployEndpointProps, enums: VendorDeployEnums,
): ResolvedVendorDeployProps {
  const validator = new PropsValidator(describeConstruct('VendorDeployEndpoint', scope, id));
  const stack = Stack.of(self);

  validateVendorName(validator, props?.vendorName);
  validateVendorAccountId(validator, props?.vendorAccountId, stack.account);
  validator.check(typeof props?.environment === 'string' && enums.environments.includes(props.environment),
    `environment is ${show(props?.environment)}; use VendorEnvironment.PRE_PRODUCTION or VendorEnvironment.PRODUCTION, `
    + 'the only environments a vendor deploys to.');

  const vpc = props?.vpc as ec2.IVpc | undefined;
  const vpcIsUsable = typeof vpc === 'object' && vpc !== null && typeof vpc.vpcId === 'string' && typeof vpc.selectSubnets === 'function';
  if (!vpcIsUsable) {
    validator.fail(`vpc is ${show(vpc)}; pass the ec2.IVpc that hosts the deploy services, for example ec2.Vpc.fromLookup(...) or the VPC object itself.`);
  }
  const subnets = vpcIsUsable ? selectEndpointSubnets(validator, vpc, props.vpcSubnets) : [];
  const vpcBlocks = vpcIsUsable ? knownVpcBlocks(vpc) : undefined;

  const anyTls = validateServices(validator, props?.services, vpcBlocks, enums);
  validateCertificate(validator, stack, props?.certificate, anyTls);
  validateSslPolicy(validator, props?.sslPolicy, anyTls);
  validateVendorClientCidrs(validator, props?.vendorClientCidrs);
  validateAccessLogBucket(validator, stack, props?.accessLogBucket);
  if (props?.deletionProtection !== undefined && typeof props.deletionProtection !== 'boolean') {
    validator.fail(`deletionProtection is ${show(props.deletionProtection)}; use true or false, or leave it out to protect the load balancer.`);
  }

  validator.throwIfInvalid();
  return { subnets, anyTls };
}

/** Checks the security policy of the TLS listeners: one of the TLS 1.2+ members of `elbv2.SslPolicy`. */
function validateSslPolicy(validator: PropsValidator, sslPolicy: unknown, anyTls: boolean): void {
  if (sslPolicy === undefined) {
    return;
  }
  if (!anyTls) {
    validator.fail(`sslPolicy is ${show(sslPolicy)}, but no service uses a TLS listener; leave sslPolicy out, or give a service the protocol VendorServiceProtocol.TLS.`);
    return;
  }
  const member = Object.entries(elbv2.SslPolicy).find(([, value]) => value === sslPolicy)?.[0];
  if (member !== undefined && TLS12_OR_LATER_POLICIES.includes(member)) {
    return;
  }
  const received = member === undefined
    ? `${show(sslPolicy)}, which is not a member of elbv2.SslPolicy`
    : `${show(sslPolicy)} (elbv2.SslPolicy.${member}), which accepts TLS versions older than 1.2`;
  validator.fail(`sslPolicy is ${received}. Use one of these elbv2.SslPolicy members, whose lowest TLS version is 1.2 or later: `
    + `${TLS12_OR_LATER_POLICIES.join(', ')}; or leave sslPolicy out for elbv2.SslPolicy.TLS13_12_RES_PQ.`);
}

function validateVendorName(validator: PropsValidator, vendorName: unknown): void {
  validator.check(isConcreteString(vendorName) && KEBAB_NAME.test(vendorName),
    `vendorName is ${show(vendorName)}; use 1 to 32 lower-case letters, digits and hyphens, starting with a letter, for example "acme-benefits". `
    + 'The name appears in tags and in the access-log prefix, so it cannot be a token.');
}

function validateVendorAccountId(validator: PropsValidator, accountId: unknown, stackAccount: string): void {
  if (typeof accountId === 'string' && Token.isUnresolved(accountId)) {
    return;
  }
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    validator.fail(`vendorAccountId is ${show(accountId)}; use the vendor's 12-digit AWS account ID as a string, for example "123456789012".`);
    return;
  }
  validator.check(Token.isUnresolved(stackAccount) || accountId !== stackAccount,
    `vendorAccountId is ${show(accountId)}, the account of this stack. The vendor must connect from its own account, `
    + 'so that the endpoint service admits nobody else; pass the vendor\'s account ID.');
}

/**
 * Returns the subnets of the load balancer: the given selection, or one private
 * isolated subnet in each zone, or, in a VPC without isolated subnets, one private
 * subnet with egress in each zone. Records a problem unless they span at least three
 * zones with one subnet in each.
 */
function selectEndpointSubnets(validator: PropsValidator, vpc: ec2.IVpc, given: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
  const selection = given ?? {
    subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    onePerAz: true,
  };
  const prop = given === undefined ? 'vpcSubnets (default: private isolated or private-with-egress subnets)' : 'vpcSubnets';

  let subnets: ec2.ISubnet[];
  try {
    subnets = vpc.selectSubnets(selection).subnets;
  } catch (error) {
    validator.fail(`${prop} selects no subnets of ${vpc.node.path}: ${(error as Error).message}. `
      + 'The load balancer needs a private subnet in each of three zones; pass vpcSubnets, for example { subnetGroupName: \'endpoints\' }.');
    return [];
  }

  const publicIds = new Set(vpc.publicSubnets.map((subnet) => subnet.subnetId));
  const publicSelected = subnets.filter((subnet) => publicIds.has(subnet.subnetId));
  if (publicSelected.length > 0) {
    validator.fail(`${prop} selects public subnets (${publicSelected.map((subnet) => subnet.node.path).join(', ')}); the load balancer is internal `
      + 'and only the endpoint service reaches it, so select private subnets.');
  }

  const zones = subnets.map((subnet) => subnet.availabilityZone);
  const knownZones = zones.filter((zone) => !Token.isUnresolved(zone));
  const distinctZones = new Set(knownZones);
  if (distinctZones.size !== knownZones.length) {
    validator.fail(`${prop} selects more than one subnet in a zone (${knownZones.join(', ')}); a load balancer takes one subnet per zone, `
      + 'so add onePerAz: true to the selection.');
  }
  // NOTE: zones that are tokens (a VPC in a stack with no region) cannot be compared, so
  // there the check counts subnets instead of distinct zones.
  const zoneCount = knownZones.length === zones.length ? distinctZones.size : subnets.length;
  if (zoneCount < ZONE_COUNT) {
    validator.fail(`${prop} selects subnets in ${zoneCount} zone(s) (${zones.map((zone) => show(zone)).join(', ') || 'none'}); `
      + `the load balancer must span at least ${ZONE_COUNT} zones so that the deploy endpoints survive the loss of a zone. `
      + `Give the VPC private subnets in ${ZONE_COUNT} zones, or pass vpcSubnets that select them.`);
  }
  return subnets;
}

/**
 * Returns the VPC's CIDR blocks when they are known at synth time, or undefined.
 *
 * An `ec2.Vpc` defined in this app has a token as its `vpcCidrBlock`, so the block is
 * read from its `AWS::EC2::VPC` resource, with any secondary blocks added to it here.
 *
 * NOTE: an imported VPC lists only its primary block, so a target in a secondary block
 * of an imported VPC is reported as outside the VPC.
 */
function knownVpcBlocks(vpc: ec2.IVpc): Ipv4Block[] | undefined {
  let primary = isConcreteString(vpc.vpcCidrBlock) ? vpc.vpcCidrBlock : undefined;
  const resource = vpc.node.defaultChild;
  if (primary === undefined && resource instanceof ec2.CfnVPC && isConcreteString(resource.cidrBlock)) {
    primary = resource.cidrBlock;
  }
  const primaryBlock = primary === undefined ? undefined : parseCidr(primary);
  if (primaryBlock === undefined) {
    return undefined;
  }

  const secondary = vpc.node.children
    .filter((child): child is ec2.CfnVPCCidrBlock => child instanceof ec2.CfnVPCCidrBlock)
    .map((child) => child.cidrBlock)
    .filter(isConcreteString)
    .map(parseCidr)
    .filter((block): block is Ipv4Block => block !== undefined);
  return [primaryBlock, ...secondary];
}

/** Checks the services and returns whether any of them uses a TLS listener. */
function validateServices(validator: PropsValidator, services: unknown, vpcBlocks: Ipv4Block[] | undefined, enums: VendorDeployEnums): boolean {
  const example = '[{ name: \'artefacts\', port: 443, targetAddresses: [\'10.20.1.10\'] }]';
  if (!Array.isArray(services) || Token.isUnresolved(services) || services.length === 0) {
    validator.fail(`services is ${show(services)}; list the deploy services the vendor may reach, at least one, as a literal list, for example ${example}.`);
    return false;
  }
  if (services.length > MAX_LISTENERS) {
    validator.fail(`services has ${services.length} entries; a Network Load Balancer has at most ${MAX_LISTENERS} listeners, one for each service.`);
  }

  validateNoHoles(validator, 'services', services);

  const ports = new Map<number, number>();
  const names = new Map<string, number>();
  const constructIds = new Map<string, { index: number; name: string }>();
  let anyTls = false;
  services.forEach((service: unknown, index) => {
    const path = `services[${index}]`;
    if (typeof service !== 'object' || service === null) {
      validator.fail(`${path} is ${show(service)}; pass an object such as { name: 'artefacts', port: 443, targetAddresses: ['10.20.1.10'] }.`);
      return;
    }
    const entry = service as VendorDeployService;
    const protocol = entry.protocol ?? enums.tlsProtocol;
    anyTls = anyTls || protocol === enums.tlsProtocol;

    validateServiceName(validator, index, entry.name, names, constructIds);
    validatePort(validator, `${path}.port`, entry.port, 'the port the vendor connects to');
    if (typeof entry.port === 'number' && !Token.isUnresolved(entry.port)) {
      const earlier = ports.get(entry.port);
      if (earlier !== undefined) {
        validator.fail(`${path}.port is ${entry.port}, the same as services[${earlier}].port; each service needs its own listener port.`);
      } else {
        ports.set(entry.port, index);
      }
    }
    if (entry.targetPort !== undefined) {
      validatePort(validator, `${path}.targetPort`, entry.targetPort, 'the port the targets listen on, or leave it out to use port');
    }
    if (!enums.protocols.includes(protocol)) {
      validator.fail(`${path}.protocol is ${show(entry.protocol)}; use VendorServiceProtocol.TLS, or VendorServiceProtocol.TCP for a protocol that carries its own encryption such as SSH.`);
    }
    validateTargetTls(validator, path, entry.targetTls, protocol === enums.tlsProtocol);
    validateTargetAddresses(validator, path, entry.targetAddresses, vpcBlocks);
  });
  return anyTls;
}

/**
 * Checks a service's name. Two names may differ only in hyphens, such as "foo-1" and
 * "foo1", but the construct IDs of their listeners and target groups drop the hyphens, so
 * such names are rejected too.
 */
function validateServiceName(
  validator: PropsValidator, index: number, name: unknown, names: Map<string, number>, constructIds: Map<string, { index: number; name: string }>,
): void {
  const path = `services[${index}]`;
  if (!isConcreteString(name) || !KEBAB_NAME.test(name)) {
    validator.fail(`${path}.name is ${show(name)}; use 1 to 32 lower-case letters, digits and hyphens, starting with a letter, for example "artefacts". `
      + 'The name appears in construct IDs, so it cannot be a token.');
    return;
  }
  const earlier = names.get(name);
  if (earlier !== undefined) {
    validator.fail(`${path}.name is ${show(name)}, the same as services[${earlier}].name; give each service its own name.`);
    return;
  }
  names.set(name, index);

  const constructId = pascalCase(name);
  const clash = constructIds.get(constructId);
  if (clash !== undefined) {
    validator.fail(`${path}.name ${show(name)} and services[${clash.index}].name ${show(clash.name)} both become `
      + `the construct ID prefix "${constructId}", because the IDs of a service's listener and target group drop its hyphens; `
      + 'rename one so that the two differ in more than hyphens.');
  } else {
    constructIds.set(constructId, { index, name });
  }
}

function validatePort(validator: PropsValidator, path: string, port: unknown, purpose: string): void {
  if (typeof port === 'number' && Token.isUnresolved(port)) {
    return;
  }
  validator.check(typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535,
    `${path} is ${show(port)}; use a whole number from 1 to 65535, ${purpose}.`);
}

function validateTargetTls(validator: PropsValidator, path: string, targetTls: unknown, isTls: boolean): void {
  if (targetTls === undefined) {
    return;
  }
  if (typeof targetTls !== 'boolean') {
    validator.fail(`${path}.targetTls is ${show(targetTls)}; use true or false, or leave it out.`);
  } else if (targetTls && !isTls) {
    validator.fail(`${path}.targetTls is true, but the service uses a TCP listener, which passes the vendor's bytes to the targets unchanged; `
      + 'leave targetTls out, or use VendorServiceProtocol.TLS.');
  }
}

function validateTargetAddresses(validator: PropsValidator, path: string, addresses: unknown, vpcBlocks: Ipv4Block[] | undefined): void {
  if (!Array.isArray(addresses) || Token.isUnresolved(addresses) || addresses.length === 0) {
    validator.fail(`${path}.targetAddresses is ${show(addresses)}; list the private IPv4 addresses of the service's targets in the VPC, `
      + 'at least one, as a literal list, for example [\'10.20.1.10\'].');
    return;
  }
  validateNoHoles(validator, `${path}.targetAddresses`, addresses);
  const seen = new Set<string>();
  addresses.forEach((address: unknown, index) => {
    const addressPath = `${path}.targetAddresses[${index}]`;
    if (typeof address === 'string' && Token.isUnresolved(address)) {
      return;
    }
    const parsed = typeof address === 'string' ? parseIpv4Address(address) : undefined;
    if (parsed === undefined) {
      validator.fail(`${addressPath} is ${show(address)}; use an IPv4 address in dotted-decimal notation, such as "10.20.1.10".`);
      return;
    }
    if (seen.has(address as string)) {
      validator.fail(`${addressPath} is ${show(address)}, which the list already contains; list each target once.`);
    }
    seen.add(address as string);
    const host: Ipv4Block = { address: parsed, prefixLength: 32 };
    if (vpcBlocks !== undefined && !vpcBlocks.some((block) => contains(block, host))) {
      validator.fail(`${addressPath} is ${show(address)}, which is outside the VPC's CIDR block(s) ${vpcBlocks.map(formatCidr).join(', ')}; `
        + 'the load balancer registers targets in its own VPC only, so use the target\'s private address in this VPC.');
    }
  });
}

/**
 * Checks the certificate: TLS listeners need one, and it must be an ACM certificate in
 * the load balancer's region.
 */
function validateCertificate(validator: PropsValidator, stack: Stack, certificate: unknown, anyTls: boolean): void {
  if (certificate === undefined) {
    validator.check(!anyTls, `certificate is undefined, but a service uses a TLS listener; pass the ACM certificate that the listeners present, for example ${CERTIFICATE_EXAMPLE}.`);
    return;
  }
  if (!anyTls) {
    validator.fail('certificate is set, but every service uses a TCP listener, so no listener would present it; leave certificate out, '
      + 'or give a service the protocol VendorServiceProtocol.TLS.');
    return;
  }
  const certificateArn = (certificate as { certificateArn?: unknown } | null)?.certificateArn;
  if (typeof certificateArn !== 'string') {
    validator.fail(`certificate is ${show(certificate)}, which is not an acm.ICertificate; pass a certificate object, not its ARN, for example ${CERTIFICATE_EXAMPLE}.`);
    return;
  }
  if (Token.isUnresolved(certificateArn)) {
    return;
  }
  const match = ACM_CERTIFICATE_ARN.exec(certificateArn);
  if (!match) {
    validator.fail(`certificate has the ARN ${show(certificateArn)}, which is not an ACM certificate ARN `
      + `(arn:aws:acm:<region>:<account>:certificate/<id>); for example ${CERTIFICATE_EXAMPLE}.`);
    return;
  }
  if (!Token.isUnresolved(stack.region) && match[1] !== stack.region) {
    validator.fail(`certificate is an ACM certificate in region ${match[1]} but the stack is in ${stack.region}; a load balancer uses certificates `
      + 'from its own region only, so request or import the certificate in this region.');
  }
}

function validateVendorClientCidrs(validator: PropsValidator, cidrs: unknown): void {
  if (cidrs === undefined) {
    return;
  }
  if (!Array.isArray(cidrs) || Token.isUnresolved(cidrs) || cidrs.length === 0) {
    validator.fail(`vendorClientCidrs is ${show(cidrs)}; list the address ranges of the vendor's deploy clients as a literal list, `
      + 'for example ["172.31.0.0/16"], or leave it out to allow every private range.');
    return;
  }
  validateNoHoles(validator, 'vendorClientCidrs', cidrs);
  cidrs.forEach((cidr: unknown, index) => {
    const path = `vendorClientCidrs[${index}]`;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (block === undefined) {
      validator.fail(`${path} is ${show(cidr)}; use an IPv4 CIDR block such as "172.31.0.0/16".`);
      return;
    }
    if (hasHostBits(block)) {
      validator.fail(`${path} is ${show(cidr)}, which has host bits set; security group rules take the block's first address, so write it as ${formatCidr(networkOf(block))}.`);
      return;
    }
    if (block.prefixLength === 0) {
      validator.fail(`${path} is ${show(cidr)}, the whole address space, which would let any client behind the vendor's endpoint connect; `
        + 'list the address ranges of the vendor\'s deploy clients, for example ["172.31.16.0/20"], or leave vendorClientCidrs out to allow the private ranges.');
      return;
    }
    const unusable = unusableRangeProblem(block);
    if (unusable) {
      validator.fail(`${path} is ${show(cidr)}, ${unusable}.`);
    }
  });
}

/**
 * Checks the access-log bucket. Elastic Load Balancing writes access logs only to a
 * bucket in the load balancer's region.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html
 */
function validateAccessLogBucket(validator: PropsValidator, stack: Stack, bucket: unknown): void {
  validateBucket(validator, 'accessLogBucket', bucket, 'the bucket for the load balancer\'s access logs, encrypted with SSE-S3 or a customer managed KMS key');
  if (Construct.isConstruct(bucket) && encryptsWithAwsManagedKey(bucket)) {
    validator.fail(`accessLogBucket ${bucket.node.path} is encrypted with the AWS managed key aws/s3 (BucketEncryption.KMS_MANAGED or DSSE_MANAGED). `
      + 'Network Load Balancers cannot deliver access logs to it, because the log delivery service must be allowed to use the key, and the policy '
      + 'of an AWS managed key cannot be changed. Use BucketEncryption.S3_MANAGED, or BucketEncryption.KMS with a customer managed encryptionKey.');
  }
  const bucketRegion = (bucket as { env?: { region?: unknown } } | null | undefined)?.env?.region;
  if (typeof bucketRegion === 'string' && !Token.isUnresolved(bucketRegion) && !Token.isUnresolved(stack.region) && bucketRegion !== stack.region) {
    validator.fail(`accessLogBucket is in region ${bucketRegion} but the stack is in ${stack.region}; Elastic Load Balancing writes access logs `
      + 'only to a bucket in the load balancer\'s region, so pass a bucket from this region.');
  }
}
