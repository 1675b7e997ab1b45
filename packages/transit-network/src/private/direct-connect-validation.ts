import { Annotations, Stack, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import type { GovernmentNetworkDirectConnectProps } from '../government-network-direct-connect';
import type { RoutingDomain } from '../routing-domain';
import type { ITransitHub } from '../transit-hub';
import { Ipv4Block, PRIVATE_RANGES, UNUSABLE_VPC_RANGES, formatCidr, hasHostBits, isPrivateBlock, lastAddress, networkOf, overlaps, parseCidr } from './cidr';
import { validateGovernmentNetworkDomain, validateManagedHub } from './dmz-validation';
import { HubRegistry } from './hub-registry';
import { PropsValidator, describeConstruct, isConcreteString, show, validateNoHoles } from './validation';

/**
 * The private ASNs AWS accepts for the Amazon side of a Direct Connect gateway.
 *
 * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-gateways-intro.html
 */
const PRIVATE_ASN_RANGES = [{ min: 64512, max: 65534 }, { min: 4200000000, max: 4294967294 }];

/**
 * The ASNs AWS accepts for the customer side of a transit virtual interface, public or
 * private, as long ASNs.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-directconnect-transitvirtualinterface-bgppeer.html
 */
const CUSTOMER_ASN_RANGE = { min: 1, max: 4294967294 };

/** The VLAN IDs a virtual interface may have (IEEE 802.1Q). */
const VLAN_RANGE = { min: 1, max: 4094 };

/**
 * The MTUs a transit virtual interface accepts: 1500 and 8500 (jumbo frames).
 *
 * The CloudFormation reference (checked with aws-cdk-lib 2.257.0) names 1500 and 9001,
 * which are the values of a private virtual interface. The Direct Connect API reference
 * of NewTransitVirtualInterface and the user guide give 8500 for a transit one.
 *
 * @see https://docs.aws.amazon.com/directconnect/latest/APIReference/API_NewTransitVirtualInterface.html
 */
export const TRANSIT_VIF_MTUS: readonly number[] = [1500, 8500];

/**
 * The maximum number of prefixes a transit gateway can advertise to on-premises over a transit
 * virtual interface, IPv4 and IPv6 together. AWS raises it only through a Solutions
 * Architect or Technical Account Manager.
 *
 * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/limits.html
 */
export const MAX_ALLOWED_PREFIXES = 200;

/** A dedicated or hosted connection ID (`dxcon-`) or a LAG ID (`dxlag-`), as the CloudFormation schema defines them. */
const CONNECTION_ID = /^dx(con|lag)-[a-zA-Z0-9]{8,21}$/;

/**
 * Point-to-point address ranges that no router can use. The link-local range is not
 * among them, because AWS itself assigns peer addresses from 169.254.0.0/16.
 */
const UNUSABLE_PEER_RANGES = UNUSABLE_VPC_RANGES.filter((range) => formatCidr(range.block) !== '169.254.0.0/16');

/** The virtual interfaces created in one app, by connection ID, to find connections and VLANs used twice. */
const VIRTUAL_INTERFACES = new WeakMap<IConstruct, Map<string, Array<{ vlan: unknown; path: string }>>>();

/**
 * Checks every prop of a GovernmentNetworkDirectConnect and throws one error that lists
 * every problem. Warns when a connection carries a second virtual interface.
 *
 * `self` is the construct being built, whose stack supplies the region and account.
 */
export function validateGovernmentNetworkDirectConnectProps(
  scope: Construct, id: string, self: Construct, props: GovernmentNetworkDirectConnectProps,
): void {
  const validator = new PropsValidator(describeConstruct('GovernmentNetworkDirectConnect', scope, id));

  const hubAsn = validateHub(validator, self, props?.hub);
  validateGovernmentNetworkDomain(validator, props?.domain, 'the Direct Connect link');
  validateConnection(validator, self, props?.connectionId, props?.vlan);

  const amazonSideAsn = validateAmazonSideAsn(validator, props?.amazonSideAsn, hubAsn);
  validateCustomerAsn(validator, props?.customerAsn, amazonSideAsn, hubAsn);
  validatePeerAddresses(validator, props?.amazonAddress, props?.customerAddress);
  validateAllowedPrefixes(validator, props?.allowedPrefixes);

  const mtu: unknown = props?.mtuBytes;
  if (mtu !== undefined && !(typeof mtu === 'number' && Token.isUnresolved(mtu)) && !TRANSIT_VIF_MTUS.includes(mtu as number)) {
    validator.fail(`mtuBytes is ${show(mtu)}; a transit virtual interface accepts 1500 (the default) or 8500 (jumbo frames). `
      + 'Use 8500 only if the partner enabled jumbo frames on the parent connection and every hop to the government network carries them.');
  }
  validateSecret(validator, self, props?.bgpAuthKey);
  validateTopic(validator, props?.alarmTopic);

  validator.throwIfInvalid();
  recordVirtualInterface(self, props.connectionId, props.vlan);
}

/** Checks the hub, and returns its Amazon-side ASN when it is a TransitHub of this app whose ASN is known. */
function validateHub(validator: PropsValidator, self: Construct, hub: unknown): number | undefined {
  validateManagedHub(validator, self, hub as ITransitHub | undefined, 'the Direct Connect link',
    'associates its transit gateway attachment with a route table of');
  if (!Construct.isConstruct(hub)) {
    return undefined;
  }

  // A TransitHub's main child is its transit gateway, whose ASN TransitHub always sets (64512 by default).
  const transitGateway = hub.node.defaultChild;
  if (transitGateway instanceof ec2.CfnTransitGateway) {
    const asn = transitGateway.amazonSideAsn;
    return asn !== undefined && !Token.isUnresolved(asn) ? asn : undefined;
  }
  return undefined;
}

function validateConnection(validator: PropsValidator, self: Construct, connectionId: unknown, vlan: unknown): void {
  if (!(typeof connectionId === 'string' && Token.isUnresolved(connectionId))) {
    validator.check(typeof connectionId === 'string' && CONNECTION_ID.test(connectionId),
      `connectionId is ${show(connectionId)}; use the ID of the hosted connection as the Direct Connect console shows it once accepted, `
      + 'dxcon- followed by 8 to 21 letters or digits (for example "dxcon-fgabc123"), or the ID of a LAG, dxlag-….');
  }

  if (!(typeof vlan === 'number' && Token.isUnresolved(vlan))) {
    const valid = typeof vlan === 'number' && Number.isInteger(vlan) && vlan >= VLAN_RANGE.min && vlan <= VLAN_RANGE.max;
    validator.check(valid, `vlan is ${show(vlan)}; use the VLAN ID from ${VLAN_RANGE.min} to ${VLAN_RANGE.max} that the Direct Connect partner `
      + 'assigned to the hosted connection. It is shown on the connection in the Direct Connect console.');
  }

  if (typeof connectionId === 'string' && !Token.isUnresolved(connectionId)) {
    const clash = (VIRTUAL_INTERFACES.get(self.node.root)?.get(connectionId) ?? []).find((existing) => existing.vlan === vlan);
    if (clash !== undefined) {
      validator.fail(`vlan is ${show(vlan)}, which ${clash.path} already uses on connection ${connectionId}. A VLAN carries one virtual interface `
        + 'on a connection, so use the VLAN the partner assigned to this link, or the connection of this link.');
    }
  }
}

/**
 * Checks the Direct Connect gateway's ASN and returns it when it is a number that can be
 * compared with the customer ASN.
 */
function validateAmazonSideAsn(validator: PropsValidator, asn: unknown, hubAsn: number | undefined): number | undefined {
  if (typeof asn === 'number' && Token.isUnresolved(asn)) {
    return undefined;
  }
  const ranges = PRIVATE_ASN_RANGES.map((range) => `${range.min} to ${range.max}`).join(' or ');
  if (typeof asn !== 'number' || !PRIVATE_ASN_RANGES.some((range) => Number.isInteger(asn) && asn >= range.min && asn <= range.max)) {
    validator.fail(`amazonSideAsn is ${show(asn)}; use a private ASN from ${ranges} for the Amazon side of the Direct Connect gateway, `
      + 'as agreed with the government network operators.');
    return undefined;
  }
  if (hubAsn !== undefined && asn === hubAsn) {
    validator.fail(`amazonSideAsn is ${asn}, the same as the hub's transit gateway ASN. AWS rejects the association of a transit gateway and a `
      + 'Direct Connect gateway that have the same ASN, so give the Direct Connect gateway another private ASN, or give the hub another amazonSideAsn.');
  }
  return asn;
}

function validateCustomerAsn(validator: PropsValidator, asn: unknown, amazonSideAsn: number | undefined, hubAsn: number | undefined): void {
  if (typeof asn === 'number' && Token.isUnresolved(asn)) {
    return;
  }
  if (typeof asn !== 'number' || !Number.isInteger(asn) || asn < CUSTOMER_ASN_RANGE.min || asn > CUSTOMER_ASN_RANGE.max) {
    validator.fail(`customerAsn is ${show(asn)}; use the ASN of the government network's router on this link, from ${CUSTOMER_ASN_RANGE.min} `
      + `to ${CUSTOMER_ASN_RANGE.max}: a public ASN that the government network holds, or a private one from 64512 to 65534 or 4200000000 to 4294967294.`);
    return;
  }

  // A BGP speaker drops routes whose AS path contains its own ASN.
  if (asn === amazonSideAsn) {
    validator.fail(`customerAsn is ${asn}, the same as amazonSideAsn. The session is external BGP, and each side drops routes whose AS path `
      + 'contains its own ASN, so neither would accept the other\'s routes; agree different ASNs with the government network operators.');
  } else if (hubAsn !== undefined && asn === hubAsn) {
    validator.fail(`customerAsn is ${asn}, the same as the hub's transit gateway ASN. The transit gateway would find its own ASN in the AS path `
      + 'of the government routes and drop them; give the hub another amazonSideAsn, or agree another ASN with the government network operators.');
  }
}

/** Checks that both peer addresses or neither are given, and that they form one /30 or /31 point-to-point subnet. */
function validatePeerAddresses(validator: PropsValidator, amazonAddress: unknown, customerAddress: unknown): void {
  if (amazonAddress === undefined && customerAddress === undefined) {
    return;
  }
  if (amazonAddress === undefined || customerAddress === undefined) {
    const [given, missing] = amazonAddress === undefined ? ['customerAddress', 'amazonAddress'] : ['amazonAddress', 'customerAddress'];
    validator.fail(`${missing} is undefined but ${given} is set; give both peer addresses, as agreed with the partner, or neither, `
      + 'and AWS assigns both from 169.254.0.0/16.');
    return;
  }

  const amazon = parsePeerAddress(validator, 'amazonAddress', amazonAddress);
  const customer = parsePeerAddress(validator, 'customerAddress', customerAddress);
  if (amazon === undefined || customer === undefined) {
    return;
  }
  if (amazon.prefixLength !== customer.prefixLength || !overlaps(networkOf(amazon), networkOf(customer))) {
    validator.fail(`amazonAddress ${show(amazonAddress)} and customerAddress ${show(customerAddress)} are not in the same subnet; `
      + 'give two addresses of one /30 or /31, for example "192.168.100.1/30" and "192.168.100.2/30".');
  } else if (amazon.address === customer.address) {
    validator.fail(`amazonAddress and customerAddress are both ${show(amazonAddress)}; give each side its own address in the subnet.`);
  }
}

/** Parses a peer address such as `192.168.100.1/30`, and records a problem if it cannot be used. */
function parsePeerAddress(validator: PropsValidator, prop: string, value: unknown): Ipv4Block | undefined {
  if (typeof value === 'string' && Token.isUnresolved(value)) {
    return undefined;
  }
  const block = typeof value === 'string' ? parseCidr(value) : undefined;
  if (block === undefined || (block.prefixLength !== 30 && block.prefixLength !== 31)) {
    validator.fail(`${prop} is ${show(value)}; give the address with the prefix length of its point-to-point subnet, /30 or /31, `
      + 'for example "192.168.100.1/30".');
    return undefined;
  }

  const unusable = UNUSABLE_PEER_RANGES.find((range) => overlaps(range.block, block));
  if (unusable !== undefined) {
    validator.fail(`${prop} is ${show(value)}, in ${formatCidr(unusable.block)}, ${unusable.reason}; use a private or link-local address.`);
    return undefined;
  }
  const subnet = networkOf(block);
  if (block.prefixLength === 30 && (block.address === subnet.address || block.address === lastAddress(subnet))) {
    validator.fail(`${prop} is ${show(value)}, the network or broadcast address of its /30; use the second or third address of the subnet.`);
    return undefined;
  }
  return block;
}

/**
 * Describes the allowed prefixes that overlap only VPCs the link's domain cannot reach,
 * for a warning, or returns undefined if there are none.
 *
 * The Direct Connect gateway advertises every allowed prefix, so the government network
 * sends traffic for them over the link, and the domain's route table has no route for it.
 * Prefixes that overlap no VPC recorded on the hub are left alone, because their VPCs may
 * be attached by another account.
 */
export function unreachablePrefixesProblem(hub: ITransitHub, domain: RoutingDomain, allowedPrefixes: readonly string[]): string | undefined {
  const registry = HubRegistry.of(hub);
  const unreachable: string[] = [];
  allowedPrefixes.forEach((prefix, index) => {
    const block = isConcreteString(prefix) ? parseCidr(prefix) : undefined;
    if (block === undefined) {
      return;
    }
    const vpcs = registry.vpcsOverlapping(block);
    const reachable = vpcs.some((vpc) => vpc.domain !== undefined && hub.routingPolicy.connects(domain, vpc.domain));
    if (vpcs.length > 0 && !reachable) {
      const covered = vpcs.map((vpc) => `VPC ${vpc.name} (${vpc.cidr}, ${vpc.domain ?? 'no domain'}, at ${vpc.path})`).join(', ');
      unreachable.push(`allowedPrefixes[${index}] (${prefix}) covers only ${covered}`);
    }
  });
  if (unreachable.length === 0) {
    return undefined;
  }
  return `${unreachable.join('; ')}. The routing policy of transit hub ${hub.node.path} does not connect the ${domain} domain to those VPCs, `
    + 'but the Direct Connect gateway advertises the prefixes, so the government network sends their traffic over this link and the hub drops it. '
    + 'Remove the prefixes, or advertise them over a link in a domain that reaches those VPCs.';
}

function validateAllowedPrefixes(validator: PropsValidator, allowedPrefixes: unknown): void {
  const example = 'for example ["10.64.0.0/16"]';
  if (Array.isArray(allowedPrefixes) && Token.isUnresolved(allowedPrefixes)) {
    validator.fail('allowedPrefixes is a list token; pass a literal list, so that its size and entries can be checked before deployment. '
      + `Tokens are accepted as entries, ${example}.`);
    return;
  }
  if (!Array.isArray(allowedPrefixes) || allowedPrefixes.length === 0) {
    validator.fail(`allowedPrefixes is ${show(allowedPrefixes)}; list the AWS-side ranges that the Direct Connect gateway advertises to the `
      + `government network, the ranges of the VPCs this domain reaches, ${example}. AWS requires the list for a transit gateway association.`);
    return;
  }
  validateNoHoles(validator, 'allowedPrefixes', allowedPrefixes);
  if (allowedPrefixes.length > MAX_ALLOWED_PREFIXES) {
    validator.fail(`allowedPrefixes has ${allowedPrefixes.length} entries; a transit gateway advertises at most ${MAX_ALLOWED_PREFIXES} prefixes `
      + 'to on-premises over a transit virtual interface. Summarise the ranges into fewer, larger blocks.');
  }

  const seen = new Map<string, number>();
  allowedPrefixes.forEach((cidr: unknown, index) => {
    const prop = `allowedPrefixes[${index}]`;
    if (typeof cidr === 'string' && Token.isUnresolved(cidr)) {
      return;
    }
    const block = typeof cidr === 'string' ? parseCidr(cidr) : undefined;
    if (block === undefined) {
      validator.fail(`${prop} is ${show(cidr)}, which is not an IPv4 CIDR block; ${example}.`);
      return;
    }
    if (hasHostBits(block)) {
      validator.fail(`${prop} is ${show(cidr)}, which has host bits set; use ${show(formatCidr(networkOf(block)))}.`);
      return;
    }
    if (!isPrivateBlock(block)) {
      validator.fail(`${prop} is ${show(cidr)}, which is not a private range. The government network reaches the platform over private ranges `
        + `only; use ranges inside ${PRIVATE_RANGES.map(formatCidr).join(', ')}.`);
      return;
    }
    const canonical = formatCidr(block);
    if (seen.has(canonical)) {
      validator.fail(`${prop} is ${show(cidr)}, the same range as allowedPrefixes[${seen.get(canonical)}]; list each range once.`);
      return;
    }
    seen.set(canonical, index);
  });
}

/** Records a problem unless `secret` is undefined or looks like a `secretsmanager.ISecret` in the stack's region. */
function validateSecret(validator: PropsValidator, self: Construct, secret: unknown): void {
  if (secret === undefined) {
    return;
  }
  const example = 'for example secretsmanager.Secret.fromSecretNameV2(this, \'BgpKey\', \'government-network/production/management-bgp-key\')';
  if (typeof secret !== 'object' || secret === null || typeof (secret as { secretArn?: unknown }).secretArn !== 'string') {
    validator.fail(`bgpAuthKey is ${show(secret)}, which is not a secretsmanager.ISecret; pass the secret object, not its name, ARN or value, ${example}.`);
    return;
  }
  const secretRegion = (secret as { env?: { region?: unknown } }).env?.region;
  const stackRegion = Stack.of(self).region;
  if (typeof secretRegion === 'string' && !Token.isUnresolved(secretRegion) && !Token.isUnresolved(stackRegion) && secretRegion !== stackRegion) {
    validator.fail(`bgpAuthKey is a secret in region ${secretRegion} but the stack is in ${stackRegion}; CloudFormation resolves Secrets Manager `
      + 'references in the stack\'s own region only, so store the key in a secret of this region.');
  }
}

/** Records a problem unless `topic` is undefined or looks like an `sns.ITopic`. */
function validateTopic(validator: PropsValidator, topic: unknown): void {
  if (topic === undefined) {
    return;
  }
  if (typeof topic !== 'object' || topic === null || typeof (topic as { topicArn?: unknown }).topicArn !== 'string') {
    validator.fail(`alarmTopic is ${show(topic)}, which is not an sns.ITopic; pass the topic object, not its ARN, `
      + 'for example sns.Topic.fromTopicArn(this, \'NetworkAlarms\', \'arn:aws:sns:eu-west-2:111111111111:network-alarms\').');
  }
}

/**
 * Records the link's connection and VLAN for later checks, and warns when the connection
 * already carries a virtual interface of this app. A hosted connection carries one
 * virtual interface; a dedicated connection or LAG carries up to four transit ones.
 *
 * @see https://docs.aws.amazon.com/directconnect/latest/UserGuide/limits.html
 */
function recordVirtualInterface(self: Construct, connectionId: string, vlan: number): void {
  if (Token.isUnresolved(connectionId)) {
    return;
  }
  let byConnection = VIRTUAL_INTERFACES.get(self.node.root);
  if (byConnection === undefined) {
    byConnection = new Map();
    VIRTUAL_INTERFACES.set(self.node.root, byConnection);
  }
  const existing = byConnection.get(connectionId) ?? [];
  if (existing.length > 0) {
    Annotations.of(self).addWarningV2('@ssd-platform/transit-network:governmentDirectConnectSharedConnection',
      `Connection ${connectionId} already carries the virtual interface of ${existing.map((entry) => entry.path).join(', ')}. A hosted connection `
      + 'carries only one virtual interface, so if this is a hosted connection the deployment fails: give each link its own hosted connection. '
      + 'A dedicated connection or a LAG carries up to four transit virtual interfaces.');
  }
  byConnection.set(connectionId, [...existing, { vlan, path: self.node.path }]);
}
