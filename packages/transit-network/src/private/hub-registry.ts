import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RoutingDomain } from '../routing-domain';
import { RoutingPolicy } from '../routing-policy';
import type { ITransitHub } from '../transit-hub';
import { Ipv4Block, contains, formatCidr, overlaps, parseCidr } from './cidr';
import { PropsValidator, show } from './validation';

/** A VPC attached to a hub, as recorded for the address checks. */
export interface AttachedVpc {
  /** The VPC's name, as given to the construct that made it. */
  readonly name: string;
  readonly cidr: string;
  /** The VPC's routing domain; none for the east-west inspection VPC, which is a hop between domains. */
  readonly domain?: RoutingDomain;
  /** The path of the construct that made the VPC. */
  readonly path: string;
}

/** The egress DMZ of a hub, as recorded for the address checks. */
export interface AttachedEgressDmz {
  readonly path: string;
  /** The egress VPC's own CIDR block. */
  readonly cidr: string;
  /** The tier's supernets, which the egress DMZ blackholes in the hub and routes back to it. */
  readonly internalCidrs: string[];
}

/** The east-west inspection of a hub: where inspected traffic is sent. */
export interface HubInspection {
  /** The path of the construct that made the inspection VPC. */
  readonly path: string;
  /** The ID of the inspection VPC's transit gateway attachment, the target of the steering routes. */
  readonly attachmentId: string;
  /**
   * The ID of the route table associated with the inspection attachment. Attachments of
   * inspected domains propagate into it, so that inspected traffic leaving the firewall
   * finds its destination.
   */
  readonly routeTableId: string;
}

/** The kind of a route: static (to an attachment) or blackhole (traffic is dropped). */
export type RouteKind = 'static' | 'blackhole';

/** A static or blackhole route that a construct added to a domain's route table. */
export interface RecordedRoute {
  readonly kind: RouteKind;
  /** The path of the route's construct. */
  readonly path: string;
}

/** The government-network ranges that a VPN with static routing routes to, as recorded for the address checks. */
export interface GovernmentRoutes {
  /** The path of the VPN. */
  readonly path: string;
  readonly cidrs: string[];
}

/**
 * The allowed prefixes of a Direct Connect link: the AWS-side ranges that its Direct
 * Connect gateway advertises to the government network.
 */
export interface AdvertisedPrefixes {
  /** The path of the link. */
  readonly path: string;
  readonly domain: RoutingDomain;
  readonly prefixes: string[];
}

/** A government-side device of a VPN on the hub, which AWS calls a customer gateway. */
export interface RecordedCustomerGateway {
  /** The path of the VPN. */
  readonly path: string;
  readonly name: string;
  readonly domain: RoutingDomain;
  /** The device's IPv4 address in dotted-decimal form. */
  readonly ipAddress: string;
  readonly asn: number;
}

/** An attachment placed in a routing domain. */
interface ConnectedAttachment {
  readonly domain: RoutingDomain;
  readonly path: string;
}

const REGISTRIES = new WeakMap<ITransitHub, HubRegistry>();

/**
 * A record of the attachments, static and blackhole routes, VPCs and egress DMZ that
 * the constructs of this package connected to one transit hub.
 *
 * The constructs that connect to a hub are independent of each other and may be created
 * in any order, in any stack of the app, so each consults the hub's registry to find
 * clashes that no single construct can see. Clashes that are known when the second
 * construct is made throw at once. The address checks, which need every VPC and the
 * egress DMZ, run when the app is synthesised, through a validation on the hub.
 */
export class HubRegistry {
  /** Returns the registry of a hub, creating it and its synth-time validation on first use. */
  public static of(hub: ITransitHub): HubRegistry {
    let registry = REGISTRIES.get(hub);
    if (registry === undefined) {
      const created = new HubRegistry(hub);
      hub.node.addValidation({ validate: () => created.validate() });
      REGISTRIES.set(hub, created);
      registry = created;
    }
    return registry;
  }

  private readonly attachments = new Map<string, ConnectedAttachment>();
  private readonly routes = new Map<string, RecordedRoute>();
  private readonly vpcs: AttachedVpc[] = [];
  private readonly governmentRoutes: GovernmentRoutes[] = [];
  private readonly advertisedPrefixes: AdvertisedPrefixes[] = [];
  private readonly customerGateways: RecordedCustomerGateway[] = [];
  private egressDmz?: AttachedEgressDmz;
  private eastWestInspection?: HubInspection;

  private constructor(private readonly hub: ITransitHub) {}

  /**
   * Describes why `attachmentId` cannot be connected, or returns undefined if it can.
   *
   * Token IDs are compared as strings. A token's string form is the same each time it is
   * read from one object, such as a SpokeVpc's `attachmentId`, so the same attachment
   * connected twice is found. Two tokens that resolve to one attachment at deploy time
   * are not found.
   */
  public attachmentProblem(attachmentId: string): string | undefined {
    const connected = this.attachments.get(attachmentId);
    if (connected === undefined) {
      return undefined;
    }
    return `${describeArgument('attachmentId', attachmentId)} is already connected to the ${connected.domain} domain of transit hub ${this.hub.node.path} `
      + `by ${connected.path}. A transit gateway attachment can be associated with only one route table, so connect each attachment once.`;
  }

  /** Records that the construct at `path` placed an attachment in a routing domain, and throws if it is already placed. */
  public claimAttachment(attachmentId: string, domain: RoutingDomain, path: string): void {
    const problem = this.attachmentProblem(attachmentId);
    if (problem !== undefined) {
      throw new Error(`${path}: ${problem}`);
    }
    this.attachments.set(attachmentId, { domain, path });
  }

  /** Returns the static or blackhole route to `destinationCidr` in a domain's route table, or undefined if it has none. */
  public routeTo(domain: RoutingDomain, destinationCidr: string): RecordedRoute | undefined {
    return this.routes.get(routeKey(domain, destinationCidr));
  }

  /**
   * Describes why a route to `destinationCidr` cannot be added to a domain's route table,
   * or returns undefined if it can.
   */
  public routeProblem(domain: RoutingDomain, destinationCidr: string): string | undefined {
    const existing = this.routeTo(domain, destinationCidr);
    if (existing === undefined) {
      return undefined;
    }
    return `${describeArgument('destinationCidr', destinationCidr)} already has a ${existing.kind} route in the ${domain} route table of transit hub `
      + `${this.hub.node.path}, added by ${existing.path}. A route table can contain only one static or blackhole route for each destination CIDR, `
      + 'so keep one of the two.';
  }

  /** Records a route, and throws if its domain's route table already has one to the same CIDR. */
  public claimRoute(domain: RoutingDomain, destinationCidr: string, kind: RouteKind, path: string): void {
    const problem = this.routeProblem(domain, destinationCidr);
    if (problem !== undefined) {
      throw new Error(`${path}: ${problem}`);
    }
    this.routes.set(routeKey(domain, destinationCidr), { kind, path });
  }

  /** Records the hub's egress DMZ, and throws if the hub already has one. */
  public claimEgressDmz(egressDmz: AttachedEgressDmz): void {
    const validator = new PropsValidator(`EgressDmz props at ${egressDmz.path}`);
    if (this.egressDmz !== undefined) {
      validator.fail(`hub ${this.hub.node.path} already has the egress DMZ ${this.egressDmz.path}. A tier has one egress DMZ: `
        + 'a second would add the same default routes and blackholes to the hub\'s route tables, and its Network Firewall '
        + `names (${this.hub.tierName}-egress-firewall and the rest) must be unique in an account and region. Remove one of the two.`);
    }
    validator.throwIfInvalid();
    this.egressDmz = { ...egressDmz, internalCidrs: [...egressDmz.internalCidrs] };
  }

  /** Records the hub's east-west inspection, and throws if the hub already has one. */
  public claimInspection(inspection: HubInspection): void {
    const validator = new PropsValidator(`EastWestInspection props at ${inspection.path}`);
    if (this.eastWestInspection !== undefined) {
      validator.fail(`hub ${this.hub.node.path} already has the east-west inspection ${this.eastWestInspection.path}. A hub sends inspected traffic `
        + 'to one firewall: a second would need the same steering routes in the hub\'s route tables. Remove one of the two.');
    }
    validator.throwIfInvalid();
    this.eastWestInspection = { ...inspection };
  }

  /** Returns the hub's east-west inspection, or undefined if it has none yet. */
  public get inspection(): HubInspection | undefined {
    return this.eastWestInspection;
  }

  /** Records a VPC attached to the hub, for the address checks at synth time. */
  public addVpc(vpc: AttachedVpc): void {
    this.vpcs.push({ ...vpc });
  }

  /**
   * Lists the VPCs recorded so far whose CIDR block overlaps `block`. VPCs whose block is
   * a token are left out.
   */
  public vpcsOverlapping(block: Ipv4Block): AttachedVpc[] {
    return this.concreteVpcs().filter((vpc) => overlaps(vpc.block, block)).map(({ block: _block, ...vpc }) => vpc);
  }

  /** Records the government ranges that a VPN routes to statically, for the address checks at synth time. */
  public addGovernmentRoutes(routes: GovernmentRoutes): void {
    this.governmentRoutes.push({ ...routes, cidrs: [...routes.cidrs] });
  }

  /** Records the allowed prefixes of a Direct Connect link, for the address checks at synth time. */
  public addAdvertisedPrefixes(advertised: AdvertisedPrefixes): void {
    this.advertisedPrefixes.push({ ...advertised, prefixes: [...advertised.prefixes] });
  }

  /**
   * Lists the allowed prefixes recorded so far that overlap `block`, each with the link
   * that advertises it and its position in that link's list. Token prefixes are left out.
   */
  public advertisedPrefixesOverlapping(block: Ipv4Block): Array<{ readonly path: string; readonly prefix: string; readonly index: number }> {
    const found: Array<{ path: string; prefix: string; index: number }> = [];
    for (const link of this.advertisedPrefixes) {
      link.prefixes.forEach((prefix, index) => {
        const prefixBlock = concreteBlock(prefix);
        if (prefixBlock !== undefined && overlaps(prefixBlock, block)) {
          found.push({ path: link.path, prefix, index });
        }
      });
    }
    return found;
  }

  /**
   * Returns a customer gateway of another domain, recorded by an earlier VPN on this hub,
   * that has the given address and ASN, or undefined if there is none.
   */
  public customerGatewayInOtherDomain(ipAddress: string, asn: number, domain: RoutingDomain): RecordedCustomerGateway | undefined {
    return this.customerGateways.find((gateway) => gateway.ipAddress === ipAddress && gateway.asn === asn && gateway.domain !== domain);
  }

  /** Records a customer gateway of a VPN on this hub. */
  public addCustomerGateway(gateway: RecordedCustomerGateway): void {
    this.customerGateways.push({ ...gateway });
  }

  /** Lists every problem the hub's validation reports at synth time. */
  private validate(): string[] {
    return [...this.validateAddresses(), ...this.validateGovernmentRoutes()];
  }

  /** The recorded VPCs whose CIDR block is a concrete string, with the block parsed. */
  private concreteVpcs(): Array<AttachedVpc & { block: Ipv4Block }> {
    return this.vpcs
      .map((vpc) => ({ ...vpc, block: concreteBlock(vpc.cidr) }))
      .filter((vpc): vpc is AttachedVpc & { block: Ipv4Block } => vpc.block !== undefined);
  }

  /**
   * Lists the address clashes between the hub's VPCs and its egress DMZ. Only CIDR blocks
   * that are concrete strings are compared.
   */
  private validateAddresses(): string[] {
    const vpcs = this.concreteVpcs();

    // CreateTransitGatewayVpcAttachment does not propagate the range of a VPC that
    // overlaps a VPC already attached, so the later of the two is unreachable.
    // See https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateTransitGatewayVpcAttachment.html
    const problems: string[] = [];
    for (let i = 0; i < vpcs.length; i++) {
      for (let j = i + 1; j < vpcs.length; j++) {
        if (overlaps(vpcs[i].block, vpcs[j].block)) {
          problems.push(`VPC ${vpcs[i].name} (${vpcs[i].cidr}, at ${vpcs[i].path}) and VPC ${vpcs[j].name} (${vpcs[j].cidr}, at ${vpcs[j].path}) `
            + 'overlap, and both are attached to this transit hub. A transit gateway does not propagate the range of a VPC that overlaps '
            + 'one already attached, so one of the two is unreachable. Give each VPC a range of its own, for example from AddressPlan.cidrFor().');
        }
      }
    }

    if (this.egressDmz !== undefined) {
      for (const vpc of vpcs) {
        problems.push(...this.egressProblems(this.egressDmz, vpc));
      }
    }
    return problems;
  }

  /** Lists the clashes between one VPC and the egress DMZ. */
  private egressProblems(egressDmz: AttachedEgressDmz, vpc: AttachedVpc & { block: Ipv4Block }): string[] {
    const problems: string[] = [];
    const subject = `VPC ${vpc.name} (${vpc.cidr}, at ${vpc.path})`;

    const egressBlock = concreteBlock(egressDmz.cidr);
    if (egressBlock !== undefined && overlaps(egressBlock, vpc.block)) {
      problems.push(`${subject} overlaps the egress VPC (${egressDmz.cidr}, at ${egressDmz.path}). A transit gateway does not propagate `
        + 'the range of a VPC that overlaps one already attached, so one of the two is unreachable. '
        + 'Give the VPC a range of its own, for example from AddressPlan.cidrFor().');
    }

    // The egress DMZ blackholes each internal range in the route tables of the domains
    // connected to the internet DMZ. A static route beats a propagated one of the same
    // length, and a longer prefix beats both. So a blackhole equal to or inside a VPC's
    // range cuts that VPC off from each of those domains that would otherwise reach it.
    const vpcDomain = vpc.domain;
    const cutOffFrom = vpcDomain === undefined ? [] : this.hub.routingPolicy.peersOf(RoutingDomain.INTERNET_DMZ)
      .filter((domain) => domain !== RoutingDomain.INTERNET_DMZ && this.hub.routingPolicy.connects(domain, vpcDomain));
    const internal = egressDmz.internalCidrs.map((cidr) => ({ cidr, block: concreteBlock(cidr) }));
    for (const { cidr, block } of internal) {
      if (block !== undefined && contains(vpc.block, block) && cutOffFrom.length > 0) {
        const relation = block.prefixLength === vpc.block.prefixLength ? 'equals' : 'lies inside';
        problems.push(`${subject}: the egress DMZ ${egressDmz.path} has the internal range ${cidr}, which ${relation} the VPC's range. `
          + `Its blackhole route in the ${listOf(cutOffFrom)} route tables beats the route the VPC propagates there, so those domains cannot reach the VPC. `
          + 'Make internalCidrs the tier\'s supernets, each larger than every VPC inside it.');
      }
    }

    // The VPC may lie inside a token internal range, so a list with a token reports nothing.
    // The inspection VPC (no domain) sends nothing to the internet and no domain routes to
    // it by range, so only the overlaps above apply to it.
    const allConcrete = internal.every(({ block }) => block !== undefined);
    if (vpc.domain !== undefined && allConcrete && !internal.some(({ block }) => contains(block!, vpc.block))) {
      problems.push(`${subject} lies outside every internal range of the egress DMZ ${egressDmz.path} (${egressDmz.internalCidrs.join(', ')}). `
        + 'The egress VPC has no route back to it and the firewall does not count it as internal, so its internet traffic is dropped. '
        + 'Traffic to it from domains it is not connected to also misses the blackholes and follows the default route into the egress VPC. '
        + 'Add a supernet that contains it to internalCidrs.');
    }
    return problems;
  }

  /**
   * Lists the static routes of VPNs to government ranges that overlap a VPC attached to
   * the hub, or a prefix that a Direct Connect link on the hub advertises as an AWS range.
   * Each VPN checks what the registry contains when it is created, so this finds what came later.
   */
  private validateGovernmentRoutes(): string[] {
    const problems: string[] = [];
    for (const routes of this.governmentRoutes) {
      for (const cidr of routes.cidrs) {
        const block = concreteBlock(cidr);
        if (block === undefined) {
          continue;
        }
        const subject = `The VPN ${routes.path} has a static route to the government range ${cidr}, which`;
        for (const vpc of this.vpcsOverlapping(block)) {
          problems.push(`${subject} ${governmentRangeOverlap(cidr, vpc.cidr)} the range of VPC ${vpc.name} (${vpc.cidr}, at ${vpc.path}), attached to this transit hub. `
            + `${GOVERNMENT_RANGE_CLASH} Remove the range from staticRoutes, or give the VPC a range that the government network does not use.`);
        }
        for (const advertised of this.advertisedPrefixesOverlapping(block)) {
          problems.push(`${subject} ${governmentRangeOverlap(cidr, advertised.prefix)} allowedPrefixes[${advertised.index}] (${advertised.prefix}) `
            + `of the Direct Connect link ${advertised.path}, which advertises it to the government network as an AWS range. `
            + 'A range belongs either to the government network or to AWS, so remove it from staticRoutes or from allowedPrefixes.');
        }
      }
    }
    return problems;
  }
}

/**
 * Records a problem unless `hub` has the shape of a transit hub: a string
 * `transitGatewayId` and `tierName`, a boolean `manageRouteTables` and a `RoutingPolicy`.
 *
 * A missing hub (undefined or null) is left to the caller, whose message names what it expects.
 * Returns whether the hub can be used, so that the caller can skip checks that read it.
 */
export function validateHubShape(validator: PropsValidator, hub: unknown, propName: string = 'hub'): boolean {
  if (hub === undefined || hub === null) {
    return false;
  }
  const fix = 'pass a TransitHub, or a hub imported with TransitHub.fromTransitHubAttributes.';
  if (!Construct.isConstruct(hub)) {
    validator.fail(`${propName} is ${show(hub)}, which is not a transit hub; ${fix}`);
    return false;
  }

  const candidate = hub as unknown as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof candidate.transitGatewayId !== 'string') {
    problems.push(`its transitGatewayId is ${show(candidate.transitGatewayId)}, not a string`);
  }
  if (typeof candidate.tierName !== 'string') {
    problems.push(`its tierName is ${show(candidate.tierName)}, not a string`);
  }
  if (typeof candidate.manageRouteTables !== 'boolean') {
    problems.push(`its manageRouteTables is ${show(candidate.manageRouteTables)}, not a boolean`);
  }
  if (!(candidate.routingPolicy instanceof RoutingPolicy)) {
    problems.push(`its routingPolicy is ${show(candidate.routingPolicy)}, not a RoutingPolicy`);
  }
  if (problems.length > 0) {
    validator.fail(`${propName} is ${show(hub)}, which is not a transit hub: ${problems.join('; ')}. To fix, ${fix}`);
    return false;
  }
  return true;
}

/**
 * The reason a government range must not overlap a VPC, for error messages. A static route
 * beats a propagated route of the same length, and a longer prefix beats a shorter one.
 */
export const GOVERNMENT_RANGE_CLASH = 'The government network and the VPC would share those addresses. Where the government route is as long as the VPC\'s '
  + 'or longer, traffic for the VPC goes into the VPN instead, and the VPC\'s local route keeps it from reaching government hosts in the shared range.';

/**
 * Describes how a government range relates to an AWS range it overlaps, as the verb
 * phrase of a sentence: `equals`, `lies inside` or `contains`. Both must be concrete CIDR blocks.
 */
export function governmentRangeOverlap(governmentCidr: string, awsCidr: string): string {
  const government = parseCidr(governmentCidr)!;
  const aws = parseCidr(awsCidr)!;
  if (government.prefixLength === aws.prefixLength) {
    return 'equals';
  }
  return government.prefixLength > aws.prefixLength ? 'lies inside' : 'contains';
}

/** Names an argument and its value for a message, such as `attachmentId "tgw-attach-…"` or `attachmentId (a token)`. */
function describeArgument(name: string, value: string): string {
  return Token.isUnresolved(value) ? `${name} (a token)` : `${name} ${show(value)}`;
}

/** Joins names as in a sentence: `a`, `a and b`, `a, b and c`. */
function listOf(names: string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Returns the block of a CIDR that is a concrete, valid string, or undefined for a token or anything else. */
function concreteBlock(cidr: unknown): Ipv4Block | undefined {
  return typeof cidr === 'string' && !Token.isUnresolved(cidr) ? parseCidr(cidr) : undefined;
}

/**
 * Returns the key of a route: its domain and destination. Concrete CIDR blocks are
 * written in their canonical form, tokens as their string.
 */
function routeKey(domain: RoutingDomain, destinationCidr: string): string {
  const block = concreteBlock(destinationCidr);
  return `${domain} ${block !== undefined ? formatCidr(block) : destinationCidr}`;
}
