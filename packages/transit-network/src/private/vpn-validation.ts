import { Stack, Token, aws_ec2 as ec2, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { GovernmentNetworkVpnProps } from '../government-network-vpn';
import { GOVERNMENT_NETWORK_DOMAINS, RoutingDomain } from '../routing-domain';
import type { ITransitHub } from '../transit-hub';
import { Ipv4Block, formatCidr, hasHostBits, isPrivateBlock, networkOf, parseCidr, parseIpv4Address, unusableRangeOverlapping } from './cidr';
import { validateGovernmentNetworkDomain } from './dmz-validation';
import { GOVERNMENT_RANGE_CLASH, HubRegistry, governmentRangeOverlap, validateHubShape } from './hub-registry';
import { validateHubPlacement, validateOptionalKey } from './resource-checks';
import { PropsValidator, describeConstruct, show, validateNoHoles } from './validation';

/**
 * The ASN a customer gateway gets with static routing, where BGP is not used. It is the
 * default of CreateCustomerGateway, so it matches what the console and the CLI record.
 */
export const DEFAULT_STATIC_ROUTING_ASN = 65000;

/** The ASNs a customer gateway may have. AWS accepts up to 4294967295, but RFC 7300 reserves that one. */
const ASN_RANGE = { min: 1, max: 4294967294 };

/** The largest ASN that CreateCustomerGateway takes as `BgpAsn`. Larger ones go in `BgpAsnExtended`. */
const MAX_BGP_ASN = 2147483647;

/**
 * ASNs that AWS reserves for its own side of Site-to-Site VPN, in every region (`*`) or
 * in one.
 *
 * @see https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html
 */
const RESERVED_ASNS: ReadonlyArray<{ asn: number; region: string }> = [
  { asn: 7224, region: '*' },
  { asn: 9059, region: 'eu-west-1' },
  { asn: 10124, region: 'ap-northeast-1' },
  { asn: 17943, region: 'ap-southeast-1' },
];

/** Customer gateway names: lower-case kebab case, 1 to 32 characters, starting with a letter. */
const GATEWAY_NAME = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,31}$/;

const ROUTING_VALUES: readonly string[] = ['bgp', 'static'];
const RETENTION_DAYS: readonly unknown[] = Object.values(logs.RetentionDays).filter((value) => typeof value === 'number');

/** Returns the customer gateway property for an ASN: `BgpAsn` up to 2147483647, `BgpAsnExtended` above. */
export function splitAsn(asn: number): { bgpAsn?: number; bgpAsnExtended?: number } {
  return !Token.isUnresolved(asn) && asn > MAX_BGP_ASN ? { bgpAsnExtended: asn } : { bgpAsn: asn };
}

/**
 * Checks every prop of a GovernmentNetworkVpn and throws one error that lists every problem.
 *
 * `self` is the construct being built, whose stack supplies the region and account.
 */
export function validateGovernmentNetworkVpnProps(scope: Construct, id: string, self: Construct, props: GovernmentNetworkVpnProps): void {
  const validator = new PropsValidator(describeConstruct('GovernmentNetworkVpn', scope, id));

  const { hub, hubAsn } = validateHub(validator, self, props?.hub);
  validateGovernmentNetworkDomain(validator, props?.domain, 'the VPN');
  const domain = GOVERNMENT_NETWORK_DOMAINS.includes(props?.domain) ? props.domain : undefined;
  const routing: unknown = props?.routing;
  const routingKnown = typeof routing === 'string' && ROUTING_VALUES.includes(routing);
  if (!routingKnown) {
    validator.fail(`routing is ${show(routing)}; use VpnRouting.BGP or VpnRouting.STATIC.`);
  }
  const context: GatewayContext = { self, routing: routingKnown ? routing : undefined, hub, hubAsn, domain };
  validateCustomerGateways(validator, props?.customerGateways, context);
  if (routingKnown) {
    validateStaticRoutes(validator, props?.staticRoutes, routing, hub);
  }

  const retention: unknown = props?.logRetention;
  if (retention !== undefined && !RETENTION_DAYS.includes(retention)) {
    validator.fail(`logRetention is ${show(retention)}, which is not a CloudWatch Logs retention period; use a logs.RetentionDays value, for example logs.RetentionDays.ONE_YEAR.`);
  }
  validateOptionalKey(validator, self, 'encryptionKey', props?.encryptionKey);

  validator.throwIfInvalid();
}

/** The context of the checks of a customer gateway, besides the gateway itself. */
interface GatewayContext {
  /** The VPN being built, whose stack supplies the region. */
  readonly self: Construct;
  readonly routing?: string;
  /** The hub, when it has the shape of a transit hub. */
  readonly hub?: ITransitHub;
  /** The hub's Amazon-side ASN, when it is known. */
  readonly hubAsn?: number;
  /** The VPN's domain, when it is a government-network DMZ domain. */
  readonly domain?: RoutingDomain;
}

/**
 * Checks the hub. Returns it when it has the shape of a transit hub, and its Amazon-side
 * ASN when it is a TransitHub of this app whose ASN is known.
 */
function validateHub(validator: PropsValidator, self: Construct, hub: unknown): { hub?: ITransitHub; hubAsn?: number } {
  if (hub === undefined || hub === null) {
    validator.fail(`hub is ${show(hub)}; pass the TransitHub of the tier.`);
    return {};
  }
  if (!validateHubShape(validator, hub)) {
    return {};
  }
  const transitHub = hub as GovernmentNetworkVpnProps['hub'];
  validator.check(transitHub.manageRouteTables,
    `hub is the imported transit hub ${show(transitHub.transitGatewayId)} (tier ${show(transitHub.tierName)}), whose route tables cannot be managed from here. `
    + 'The VPN attachments are associated with the hub\'s government-network DMZ route table, which only the hub\'s account can do, '
    + 'so create the VPN in that account and pass the TransitHub itself.');
  validateHubPlacement(validator, self, hub, 'the VPN',
    'a VPN connection is created on the transit gateway of its own account and its attachment is routed by the hub\'s account, '
    + 'so create the VPN in a stack of the hub\'s account.');

  // A TransitHub's main child is its transit gateway, whose ASN TransitHub always sets (64512 by default).
  const transitGateway = transitHub.node.defaultChild;
  if (transitGateway instanceof ec2.CfnTransitGateway) {
    const asn = transitGateway.amazonSideAsn;
    return { hub: transitHub, hubAsn: asn !== undefined && !Token.isUnresolved(asn) ? asn : undefined };
  }
  return { hub: transitHub };
}

function validateCustomerGateways(validator: PropsValidator, gateways: unknown, context: GatewayContext): void {
  if (!Array.isArray(gateways) || gateways.length === 0) {
    validator.fail(`customerGateways is ${show(gateways)}; pass one entry for each government-side VPN device, two or more for resilience, `
      + 'for example [{ name: \'gsi-london-1\', ipAddress: \'203.0.113.10\', bgpAsn: 65010 }].');
    return;
  }
  validateNoHoles(validator, 'customerGateways', gateways);

  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  gateways.forEach((gateway: unknown, index) => {
    const prop = `customerGateways[${index}]`;
    if (typeof gateway !== 'object' || gateway === null) {
      validator.fail(`${prop} is ${show(gateway)}; pass an object with name, ipAddress and, for BGP, bgpAsn.`);
      return;
    }
    const { name, ipAddress, bgpAsn } = gateway as Record<string, unknown>;

    if (typeof name !== 'string' || !GATEWAY_NAME.test(name)) {
      validator.fail(`${prop}.name is ${show(name)}; use 1 to 32 lower-case letters, digits and single hyphens, starting with a letter, for example "gsi-london-1".`);
    } else if (names.has(name)) {
      validator.fail(`${prop}.name is ${show(name)}, the same as customerGateways[${names.get(name)}].name; give each device its own name.`);
    } else {
      names.set(name, index);
    }

    const address = validateIpAddress(validator, `${prop}.ipAddress`, ipAddress);
    if (address !== undefined) {
      if (addresses.has(address)) {
        validator.fail(`${prop}.ipAddress is ${show(ipAddress)}, the same as customerGateways[${addresses.get(address)}].ipAddress. `
          + 'Two connections to one device give no resilience against losing it, so give each device its own address.');
      } else {
        addresses.set(address, index);
      }
    }

    const asnValid = validateAsn(validator, context, `${prop}.bgpAsn`, bgpAsn);
    if (address !== undefined && asnValid) {
      // A valid address has one dotted-decimal form, since leading zeros are rejected.
      validateDeviceSharing(validator, context, prop, ipAddress as string, (bgpAsn as number | undefined) ?? DEFAULT_STATIC_ROUTING_ASN);
    }
  });
}

/**
 * Records a problem if a VPN of the other government-network DMZ domain on the same hub
 * already has a customer gateway with this address and ASN. Management and business
 * traffic would then meet on one BGP identity of one device, which could mix their routes.
 */
function validateDeviceSharing(validator: PropsValidator, context: GatewayContext, prop: string, address: string, asn: number): void {
  if (context.hub === undefined || context.domain === undefined || Token.isUnresolved(asn)) {
    return;
  }
  const other = HubRegistry.of(context.hub).customerGatewayInOtherDomain(address, asn, context.domain);
  if (other !== undefined) {
    validator.fail(`${prop} is the device ${address} with ASN ${asn}, the same device and ASN as customer gateway ${other.name} of the VPN ${other.path}, `
      + `which carries the ${other.domain} domain on the same hub. Management and business traffic each need a device of their own, or at least `
      + 'a BGP ASN of their own on a shared device, so that their routes stay apart. Configure the device with another ASN for this domain and use it here.');
  }
}

/** Checks a customer gateway's address, and returns it in canonical form if it can be compared with others. */
function validateIpAddress(validator: PropsValidator, prop: string, ipAddress: unknown): string | undefined {
  const expected = 'use the static public IPv4 address of the device\'s outside interface, or of the NAT device in front of it';
  if (typeof ipAddress === 'string' && Token.isUnresolved(ipAddress)) {
    return undefined;
  }
  const address = typeof ipAddress === 'string' ? parseIpv4Address(ipAddress) : undefined;
  if (address === undefined) {
    validator.fail(`${prop} is ${show(ipAddress)}, which is not an IPv4 address in dotted-decimal form; ${expected}.`);
    return undefined;
  }

  const block = { address, prefixLength: 32 };
  const special = unusableRangeOverlapping(block);
  if (special) {
    validator.fail(`${prop} is ${show(ipAddress)}, in ${formatCidr(special.block)}, ${special.reason}; ${expected}.`);
    return undefined;
  }
  if (isPrivateBlock(block)) {
    validator.fail(`${prop} is ${show(ipAddress)}, a private address that the VPN endpoints cannot reach over the internet; ${expected}.`);
    return undefined;
  }
  return formatCidr(block);
}

/** Checks a customer gateway's ASN, and returns whether it is valid or left out where allowed. */
function validateAsn(validator: PropsValidator, context: GatewayContext, prop: string, asn: unknown): boolean {
  const { routing, hubAsn } = context;
  if (asn === undefined) {
    validator.check(routing !== 'bgp',
      `${prop} is undefined; with VpnRouting.BGP, give the device's ASN as configured on it, public or private (64512 to 65534 or 4200000000 to 4294967294).`);
    return routing !== 'bgp';
  }
  if (typeof asn === 'number' && Token.isUnresolved(asn)) {
    return true;
  }
  if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < ASN_RANGE.min || asn > ASN_RANGE.max) {
    validator.fail(`${prop} is ${show(asn)}; use an ASN from ${ASN_RANGE.min} to ${ASN_RANGE.max}, for example a private one from 64512 to 65534.`);
    return false;
  }

  const region = Stack.of(context.self).region;
  const reserved = RESERVED_ASNS.find((entry) => entry.asn === asn
    && (entry.region === '*' || (!Token.isUnresolved(region) && entry.region === region)));
  if (reserved) {
    const where = reserved.region === '*' ? 'in every region' : `in ${reserved.region}`;
    validator.fail(`${prop} is ${asn}, which AWS reserves for Site-to-Site VPN ${where}; configure the device with another ASN and use that.`);
    return false;
  }
  if (hubAsn !== undefined && asn === hubAsn && routing === 'bgp') {
    validator.fail(`${prop} is ${asn}, the same as the hub's Amazon-side ASN. A BGP speaker drops routes whose AS path contains its own ASN, `
      + 'so neither side would accept the other\'s routes; configure the device with another ASN, or give the hub another amazonSideAsn.');
    return false;
  }
  return true;
}

function validateStaticRoutes(validator: PropsValidator, staticRoutes: unknown, routing: string, hub: ITransitHub | undefined): void {
  if (routing === 'bgp') {
    validator.check(staticRoutes === undefined || (Array.isArray(staticRoutes) && staticRoutes.length === 0),
      `staticRoutes is ${show(staticRoutes)}, but routing is VpnRouting.BGP, where the government devices advertise their ranges; `
      + 'remove staticRoutes, or use VpnRouting.STATIC.');
    return;
  }

  const example = 'for example ["10.200.0.0/16"]';
  if (!Array.isArray(staticRoutes) || staticRoutes.length === 0) {
    validator.fail(`staticRoutes is ${show(staticRoutes)}; with VpnRouting.STATIC, list the government network's private ranges, ${example}.`);
    return;
  }
  validateNoHoles(validator, 'staticRoutes', staticRoutes);

  const seen = new Map<string, number>();
  staticRoutes.forEach((cidr: unknown, index) => {
    const prop = `staticRoutes[${index}]`;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (!block) {
      validator.fail(`${prop} is ${show(cidr)}, which is not an IPv4 CIDR block; use one such as "10.200.0.0/16".`);
      return;
    }
    if (hasHostBits(block)) {
      validator.fail(`${prop} is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
      return;
    }
    if (!isPrivateBlock(block)) {
      validator.fail(`${prop} is ${show(cidr)}, which is not inside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10. `
        + 'The government network is reached over private ranges only, and a public range would send internet-bound traffic into the VPN.');
      return;
    }
    const canonical = formatCidr(block);
    if (seen.has(canonical)) {
      validator.fail(`${prop} is ${show(cidr)}, the same range as staticRoutes[${seen.get(canonical)}]; list each range once.`);
      return;
    }
    seen.set(canonical, index);
    if (hub !== undefined) {
      validateGovernmentRange(validator, hub, prop, cidr as string, block);
    }
  });
}

/**
 * Records a problem for each VPC attached to the hub, and each prefix a Direct Connect
 * link on the hub advertises, that a government range overlaps. Only what is known now
 * is compared; the hub compares what comes later at synth time.
 */
function validateGovernmentRange(validator: PropsValidator, hub: ITransitHub, prop: string, cidr: string, block: Ipv4Block): void {
  const registry = HubRegistry.of(hub);
  for (const vpc of registry.vpcsOverlapping(block)) {
    validator.fail(`${prop} is ${show(cidr)}, which ${governmentRangeOverlap(cidr, vpc.cidr)} the range of VPC ${vpc.name} (${vpc.cidr}, at ${vpc.path}), `
      + `attached to transit hub ${hub.node.path}. ${GOVERNMENT_RANGE_CLASH} List only the government network's own ranges.`);
  }
  for (const advertised of registry.advertisedPrefixesOverlapping(block)) {
    validator.fail(`${prop} is ${show(cidr)}, which ${governmentRangeOverlap(cidr, advertised.prefix)} allowedPrefixes[${advertised.index}] `
      + `(${advertised.prefix}) of the Direct Connect link ${advertised.path}, which advertises it to the government network as an AWS range. `
      + 'A range belongs either to the government network or to AWS, so remove it from staticRoutes or from allowedPrefixes.');
  }
}
