import { Stack, Token, aws_ec2 as ec2, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DevOpsVpnEndpointProps, VpnAuthentication } from '../client-vpn-endpoint';
import {
  Ipv4Block,
  PRIVATE_RANGES,
  contains,
  formatCidr,
  hasHostBits,
  isPrivateBlock,
  networkOf,
  overlaps,
  parseCidr,
  unusableRangeProblem,
} from './cidr';
import { validateOptionalKey } from './resource-checks';
import { PropsValidator, describeConstruct, isConcreteString, show } from './validation';

/** The subnet group that contains a spoke VPC's application subnets, where the endpoint's network interfaces go by default. */
export const DEFAULT_SUBNET_GROUP = 'application';

/**
 * The sizes Client VPN allows for the client CIDR range: from /12 (the largest) to /22
 * (the smallest).
 *
 * @see https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/what-is-best-practices.html
 */
const CLIENT_PREFIX_LENGTH = { largest: 12, smallest: 22 };

/**
 * The smallest subnet Client VPN associates with an endpoint is a /27.
 *
 * @see https://docs.aws.amazon.com/vpn/latest/clientvpn-admin/cvpn-working-target.html
 */
const MAX_SUBNET_PREFIX_LENGTH = 27;

/** The maximum session durations, in hours, that Client VPN offers. */
const SESSION_TIMEOUT_HOURS: readonly number[] = [8, 10, 12, 24];

/** The length limit of a Client VPN login banner, in characters. */
export const MAX_BANNER_LENGTH = 1400;

/** An AWS Directory Service directory ID: `d-` and ten hexadecimal digits. */
const DIRECTORY_ID = /^d-[0-9a-f]{10}$/;

/** A Windows security identifier (SID), which Client VPN takes as the ID of an Active Directory group. */
const GROUP_SID = /^S-1-\d+(-\d+)+$/;

/** An ACM certificate ARN, whose first capture group is its region. */
const ACM_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate\/[A-Za-z0-9-]+$/;

const RETENTION_DAYS: readonly unknown[] = Object.values(logs.RetentionDays).filter((value) => typeof value === 'number');
const TRANSPORT_PROTOCOLS: readonly unknown[] = Object.values(ec2.TransportProtocol);

/** The props of a DevOpsVpnEndpoint after validation, with defaults filled in. */
export interface ResolvedVpnProps {
  /** The subnets to associate, one per availability zone. */
  readonly subnets: ec2.ISubnet[];
  /** The destinations to authorise: concrete CIDR blocks, or the VPC's CIDR block token when it is not known at synth time. */
  readonly allowedCidrs: string[];
  /**
   * The destinations outside the VPC's CIDR block. Client VPN adds a route to the VPC's
   * own block when it associates a subnet, so only these need routes of their own.
   */
  readonly routedCidrs: string[];
}

/** The facts about the VPC that are known at synth time. */
interface VpcFacts {
  /** The VPC's IPv4 CIDR block: a concrete string, a token, or undefined if the VPC was imported without one. */
  readonly cidr?: string;
  /** The parsed CIDR block, if it is concrete. */
  readonly block?: Ipv4Block;
}

/**
 * Checks every prop of a DevOpsVpnEndpoint and throws one error that lists every problem.
 *
 * `self` is the construct being built, whose stack supplies the region.
 * `authenticationValid` is whether `props.authentication` is a VpnAuthentication. The
 * caller checks it, so that this module does not import the class it validates.
 */
export function validateDevOpsVpnProps(
  scope: Construct,
  id: string,
  self: Construct,
  props: DevOpsVpnEndpointProps,
  authenticationValid: boolean,
): ResolvedVpnProps {
  const validator = new PropsValidator(describeConstruct('DevOpsVpnEndpoint', scope, id));

  const vpc = validateVpc(validator, props?.vpc);
  const clientBlock = validateClientCidr(validator, props?.clientCidr);
  const subnets = vpc ? validateSubnets(validator, props.vpc, props?.subnets, clientBlock) : [];
  const allowed = vpc ? validateAllowedCidrs(validator, props?.allowedCidrs, vpc, clientBlock) : { allowedCidrs: [], routedCidrs: [] };

  validateCertificate(validator, self, 'serverCertificate', props?.serverCertificate, 'the server certificate of the endpoint');
  const directoryUsed = validateAuthentication(validator, self, authenticationValid ? props.authentication : undefined, props?.authentication);
  validateAuthorizedGroupId(validator, props?.authorizedGroupId, directoryUsed);
  validateOptionalKey(validator, self, 'encryptionKey', props?.encryptionKey);
  validateSettings(validator, props);

  validator.throwIfInvalid();
  return { subnets, ...allowed };
}

function validateVpc(validator: PropsValidator, vpc: unknown): VpcFacts | undefined {
  const candidate = vpc as Partial<ec2.IVpc> | undefined;
  if (!candidate || typeof candidate.vpcId !== 'string' || typeof candidate.selectSubnets !== 'function') {
    validator.fail(`vpc is ${show(vpc)}, which is not an ec2.IVpc; pass the management VPC, for example the vpc of its SpokeVpc.`);
    return undefined;
  }

  let cidr: string;
  try {
    cidr = candidate.vpcCidrBlock as string;
  } catch {
    validator.fail('vpc was imported without its CIDR block; import it with vpcCidrBlock, because Client VPN routes and '
      + 'authorises traffic by CIDR block and the client range must be checked against it.');
    return undefined;
  }

  // ec2.Vpc exposes its CIDR block as a CloudFormation attribute, but the block it was
  // given is on its CfnVPC.
  const cfnVpc = (candidate as ec2.IVpc).node?.defaultChild;
  if (Token.isUnresolved(cidr) && cfnVpc instanceof ec2.CfnVPC && isConcreteString(cfnVpc.cidrBlock)) {
    cidr = cfnVpc.cidrBlock;
  }
  if (cfnVpc instanceof ec2.CfnVPC && cfnVpc.instanceTenancy === ec2.DefaultInstanceTenancy.DEDICATED) {
    validator.fail('vpc has dedicated instance tenancy, and Client VPN cannot associate subnets of a dedicated-tenancy VPC; use a VPC with default tenancy.');
  }

  const block = isConcreteString(cidr) ? parseCidr(cidr) : undefined;
  return { cidr, block };
}

function validateClientCidr(validator: PropsValidator, cidr: unknown): Ipv4Block | undefined {
  const expected = `use a private IPv4 CIDR block from /${CLIENT_PREFIX_LENGTH.largest} to /${CLIENT_PREFIX_LENGTH.smallest}, `
    + 'for example "100.64.0.0/22"';
  if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
    validator.fail(`clientCidr is a token; ${expected}, as a string. The construct checks at synth time that it overlaps `
      + 'none of the destinations, and Client VPN cannot change it after the endpoint is created.');
    return undefined;
  }
  const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
  if (!block) {
    validator.fail(`clientCidr is ${show(cidr)}, which is not an IPv4 CIDR block; ${expected}.`);
    return undefined;
  }
  if (hasHostBits(block)) {
    validator.fail(`clientCidr is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
    return undefined;
  }
  if (block.prefixLength < CLIENT_PREFIX_LENGTH.largest || block.prefixLength > CLIENT_PREFIX_LENGTH.smallest) {
    validator.fail(`clientCidr is ${show(cidr)}; Client VPN takes a client range from /${CLIENT_PREFIX_LENGTH.largest} `
      + `to /${CLIENT_PREFIX_LENGTH.smallest}, so ${expected}.`);
    return undefined;
  }
  const unusable = unusableRangeProblem(block);
  if (unusable) {
    validator.fail(`clientCidr is ${show(cidr)}, ${unusable}.`);
    return undefined;
  }
  if (!isPrivateBlock(block)) {
    validator.fail(`clientCidr is ${show(cidr)}, which is not a private range. Client addresses from public space would `
      + `hide those internet addresses from the users' devices; ${expected}.`);
    return undefined;
  }
  return block;
}

/** Selects the subnets to associate and checks that Client VPN can use them. */
function validateSubnets(
  validator: PropsValidator,
  vpc: ec2.IVpc,
  selection: ec2.SubnetSelection | undefined,
  clientBlock: Ipv4Block | undefined,
): ec2.ISubnet[] {
  const prop = selection === undefined ? `subnets (default { subnetGroupName: '${DEFAULT_SUBNET_GROUP}' })` : 'subnets';
  let subnets: ec2.ISubnet[];
  try {
    subnets = vpc.selectSubnets(selection ?? { subnetGroupName: DEFAULT_SUBNET_GROUP }).subnets;
  } catch (error) {
    validator.fail(`${prop} selects no subnets of the VPC: ${(error as Error).message}. Select one subnet in each of at least two zones.`);
    return [];
  }

  if (subnets.length < 2) {
    validator.fail(`${prop} selects ${subnets.length} subnet(s); select one subnet in each of at least two availability zones, `
      + 'so that users can still connect when a zone fails.');
  }

  const zones = subnets.map((subnet) => subnet.availabilityZone);
  if (subnets.length >= 2 && zones.every(isConcreteString)) {
    const firstInZone = new Map<string, ec2.ISubnet>();
    for (const subnet of subnets) {
      const first = firstInZone.get(subnet.availabilityZone);
      if (first) {
        validator.fail(`${prop} selects ${first.node.path} and ${subnet.node.path}, both in ${subnet.availabilityZone}; `
          + 'Client VPN associates one subnet per availability zone, so add onePerAz: true to the selection.');
      } else {
        firstInZone.set(subnet.availabilityZone, subnet);
      }
    }
    if (firstInZone.size < 2) {
      validator.fail(`${prop} selects subnets in one availability zone only (${zones[0]}); select subnets in at least two zones, `
        + 'so that users can still connect when a zone fails.');
    }
  }

  for (const subnet of subnets) {
    validateSubnetCidr(validator, prop, subnet, clientBlock);
  }
  return subnets;
}

function validateSubnetCidr(validator: PropsValidator, prop: string, subnet: ec2.ISubnet, clientBlock: Ipv4Block | undefined): void {
  let cidr: string | undefined;
  try {
    cidr = subnet.ipv4CidrBlock;
  } catch {
    // A subnet imported without its CIDR block: Client VPN checks it at deploy time.
    return;
  }
  const block = isConcreteString(cidr) ? parseCidr(cidr) : undefined;
  if (!block) {
    return;
  }
  if (block.prefixLength > MAX_SUBNET_PREFIX_LENGTH) {
    validator.fail(`${prop} selects ${subnet.node.path} (${cidr}), smaller than the /${MAX_SUBNET_PREFIX_LENGTH} that Client VPN `
      + 'needs in a subnet it associates; select larger subnets, such as the application subnets.');
  }
  if (clientBlock && overlaps(block, clientBlock)) {
    validator.fail(`clientCidr ${show(formatCidr(clientBlock))} overlaps ${subnet.node.path} (${cidr}); choose a client range outside the VPC.`);
  }
}

/**
 * Checks the destinations, or fills in the VPC's CIDR block, and works out which of them
 * need a route.
 */
function validateAllowedCidrs(validator: PropsValidator, allowed: unknown, vpc: VpcFacts, clientBlock: Ipv4Block | undefined): Omit<ResolvedVpnProps, 'subnets'> {
  const none = { allowedCidrs: [], routedCidrs: [] };
  if (clientBlock && vpc.block && overlaps(clientBlock, vpc.block)) {
    validator.fail(`clientCidr ${show(formatCidr(clientBlock))} overlaps the VPC's CIDR block ${show(vpc.cidr)}; Client VPN `
      + 'rejects a client range that overlaps the VPC it connects to. Choose a private range outside the VPC and outside allowedCidrs.');
  }

  if (allowed === undefined) {
    return vpc.cidr === undefined ? none : { allowedCidrs: [vpc.cidr], routedCidrs: [] };
  }
  const example = 'for example ["10.0.0.0/16"]';
  if (Array.isArray(allowed) && Token.isUnresolved(allowed)) {
    validator.fail(`allowedCidrs is a list token; pass a literal list of CIDR blocks, ${example}, because an authorisation rule and routes are created for each at synth time.`);
    return none;
  }
  if (!Array.isArray(allowed) || allowed.length === 0) {
    validator.fail(`allowedCidrs is ${show(allowed)}; pass the private ranges that users may reach, ${example}, or leave it out to allow the VPC's CIDR block only.`);
    return none;
  }
  if (!vpc.block) {
    validator.fail('allowedCidrs is given, but the VPC\'s CIDR block is not known at synth time, so the construct cannot tell which '
      + 'destinations need a route; import the VPC with its vpcCidrBlock as a string, or leave allowedCidrs out.');
  }

  const parsed = parseAllowedCidrs(validator, allowed, clientBlock);
  if (parsed.length !== allowed.length) {
    return none;
  }
  const routed = vpc.block ? parsed.filter((block) => !contains(vpc.block!, block)) : [];
  return { allowedCidrs: parsed.map(formatCidr), routedCidrs: routed.map(formatCidr) };
}

/** Checks each destination and returns those that are usable. */
function parseAllowedCidrs(validator: PropsValidator, allowed: unknown[], clientBlock: Ipv4Block | undefined): Ipv4Block[] {
  const usable: Array<{ index: number; block: Ipv4Block }> = [];
  allowed.forEach((cidr, index) => {
    const prop = `allowedCidrs[${index}]`;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      validator.fail(`${prop} is a token; pass the CIDR block as a string, because the construct checks at synth time that each destination is private.`);
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (!block) {
      validator.fail(`${prop} is ${show(cidr)}, which is not an IPv4 CIDR block; use one such as "10.0.0.0/16".`);
    } else if (hasHostBits(block)) {
      validator.fail(`${prop} is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
    } else if (!isPrivateBlock(block)) {
      validator.fail(`${prop} is ${show(cidr)}, which is not a private range. The VPN must not carry internet traffic, `
        + `so use ranges inside ${PRIVATE_RANGES.map(formatCidr).join(', ')}.`);
    } else if (clientBlock && overlaps(block, clientBlock)) {
      validator.fail(`${prop} ${show(cidr)} overlaps clientCidr ${show(formatCidr(clientBlock))}; Client VPN rejects a client range `
        + 'that overlaps a route, so choose a client range outside every destination.');
    } else {
      usable.push({ index, block });
    }
  });

  for (let i = 0; i < usable.length; i++) {
    for (let j = 0; j < i; j++) {
      if (overlaps(usable[i].block, usable[j].block)) {
        validator.fail(`allowedCidrs[${usable[i].index}] ${show(formatCidr(usable[i].block))} overlaps allowedCidrs[${usable[j].index}] `
          + `${show(formatCidr(usable[j].block))}; list each range once, and leave out ranges that lie inside another.`);
      }
    }
  }
  return usable.map((entry) => entry.block);
}

/**
 * Records a problem unless `certificate` looks like an `acm.ICertificate` whose ARN, when
 * known, is an ACM certificate in the stack's region. ACM certificates are regional, and
 * Client VPN looks them up in the endpoint's region.
 */
function validateCertificate(validator: PropsValidator, self: Construct, prop: string, certificate: unknown, purpose: string): void {
  const example = 'for example acm.Certificate.fromCertificateArn(this, \'Certificate\', \'arn:aws:acm:eu-west-2:111111111111:certificate/…\')';
  const arn = (certificate as { certificateArn?: unknown } | undefined)?.certificateArn;
  if (certificate === undefined || certificate === null) {
    validator.fail(`${prop} is ${show(certificate)}; pass ${purpose}, ${example}.`);
    return;
  }
  if (typeof certificate !== 'object' || typeof arn !== 'string') {
    validator.fail(`${prop} is ${show(certificate)}, which is not an acm.ICertificate; pass ${purpose} as a certificate object, not its ARN, ${example}.`);
    return;
  }
  if (Token.isUnresolved(arn)) {
    return;
  }

  const match = ACM_CERTIFICATE_ARN.exec(arn);
  if (!match) {
    validator.fail(`${prop} has the ARN ${show(arn)}, which is not an ACM certificate ARN; Client VPN takes certificates from ACM only, ${example}.`);
    return;
  }
  const stackRegion = Stack.of(self).region;
  if (!Token.isUnresolved(stackRegion) && match[1] !== stackRegion) {
    validator.fail(`${prop} is a certificate in region ${match[1]} but the stack is in ${stackRegion}; `
      + 'Client VPN uses ACM certificates of its own region, so import or issue the certificate in this region.');
  }
}

/** Checks the authentication and returns whether it uses a directory. */
function validateAuthentication(
  validator: PropsValidator,
  self: Construct,
  authentication: VpnAuthentication | undefined,
  received: unknown,
): boolean {
  if (!authentication) {
    validator.fail(`authentication is ${show(received)}; use VpnAuthentication.mutualTls(clientRootCertificate), `
      + 'VpnAuthentication.directory(directoryId) or VpnAuthentication.mutualTlsAndDirectory(clientRootCertificate, directoryId).');
    return false;
  }

  if (authentication.usesMutualTls) {
    validateCertificate(validator, self, 'authentication.clientRootCertificate', authentication.clientRootCertificate,
      'the ACM certificate of the CA that issues the client certificates');
  }
  if (authentication.usesDirectory) {
    const directoryId = authentication.directoryId;
    if (!(typeof directoryId === 'string' && (Token.isUnresolved(directoryId) || DIRECTORY_ID.test(directoryId)))) {
      validator.fail(`authentication.directoryId is ${show(directoryId)}; use the ID of an AWS Directory Service directory, `
        + '"d-" and ten hexadecimal digits, for example "d-1234567890".');
    }
  }
  return authentication.usesDirectory;
}

function validateAuthorizedGroupId(validator: PropsValidator, groupId: unknown, directoryUsed: boolean): void {
  if (groupId === undefined) {
    return;
  }
  if (!directoryUsed) {
    validator.fail(`authorizedGroupId is ${show(groupId)}, but the authentication uses no directory, so no user belongs to a group; `
      + 'use VpnAuthentication.directory or mutualTlsAndDirectory, or leave authorizedGroupId out.');
    return;
  }
  if (!(typeof groupId === 'string' && (Token.isUnresolved(groupId) || GROUP_SID.test(groupId)))) {
    validator.fail(`authorizedGroupId is ${show(groupId)}; use the security identifier (SID) of the Active Directory group, `
      + 'for example "S-1-5-21-1111111111-2222222222-3333333333-1234".');
  }
}

function validateSettings(validator: PropsValidator, props: DevOpsVpnEndpointProps): void {
  const timeout: unknown = props?.sessionTimeout;
  if (timeout !== undefined && !SESSION_TIMEOUT_HOURS.includes(timeout as number)) {
    validator.fail(`sessionTimeout is ${show(timeout)}; Client VPN allows sessions of ${SESSION_TIMEOUT_HOURS.join(', ')} hours, `
      + 'so use ec2.ClientVpnSessionTimeout.EIGHT_HOURS, TEN_HOURS, TWELVE_HOURS or TWENTY_FOUR_HOURS.');
  }

  const retention: unknown = props?.logRetention;
  if (retention !== undefined && !RETENTION_DAYS.includes(retention)) {
    validator.fail(`logRetention is ${show(retention)}, which is not a CloudWatch Logs retention period; use a logs.RetentionDays value, for example logs.RetentionDays.ONE_YEAR.`);
  }

  const protocol: unknown = props?.transportProtocol;
  if (protocol !== undefined && !TRANSPORT_PROTOCOLS.includes(protocol)) {
    validator.fail(`transportProtocol is ${show(protocol)}; use ec2.TransportProtocol.UDP or ec2.TransportProtocol.TCP.`);
  }

  const banner: unknown = props?.clientLoginBannerText;
  if (banner !== undefined && !(typeof banner === 'string' && (Token.isUnresolved(banner) || (banner.length > 0 && banner.length <= MAX_BANNER_LENGTH)))) {
    const length = typeof banner === 'string' ? ` (${banner.length} characters)` : '';
    validator.fail(`clientLoginBannerText is ${show(typeof banner === 'string' && banner.length > 80 ? `${banner.slice(0, 80)}…` : banner)}${length}; `
      + `use text of 1 to ${MAX_BANNER_LENGTH} characters, or leave it out for the default notice.`);
  }
}
