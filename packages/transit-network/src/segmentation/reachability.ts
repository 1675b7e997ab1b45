import { AddressSet, longestPrefixMatch } from './address-set';
import {
  AttachmentModel,
  NetworkModel,
  NodeKind,
  NodeRef,
  SubnetModel,
  TgwRoute,
  TgwRouteTableModel,
  VpcRoute,
  VpcRouteTableModel,
  nodeLabel,
} from './model';
import { RouteUsed, describeTgwRoute, describeVpcRoute, gatewayName, vpcName } from './route-text';

/** One step of a packet's path. */
export interface Hop {
  readonly kind: NodeKind;
  readonly node: NodeRef;
  readonly zone?: string;
  readonly route?: RouteUsed;
  /** Extra detail for the reader, such as where an attachment delivers the packet. */
  readonly note?: string;
}

/**
 * The end of a path:
 * - `delivered`: the local route of a VPC delivers the packet there;
 * - `internet`: the packet leaves through an internet gateway;
 * - `dropped`: no route, a blackhole, or a route AWS cannot follow;
 * - `external`: the next hop is outside the assemblies, so the walk cannot go on;
 * - `loop`: the packet comes back to a place it has been, so it circles until its TTL runs out.
 */
export type OutcomeKind = 'delivered' | 'internet' | 'dropped' | 'external' | 'loop';

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly reason: string;
  /** The VPC the packet is delivered in, for `delivered`, or leaves from, for `internet`. */
  readonly vpc?: string;
}

/** The path of the packets to some of the destination addresses, from one source subnet. */
export interface TracedPath {
  readonly sourceVpc: string;
  readonly sourceSubnet: string;
  readonly zone: string;
  /** The destination addresses that take this path. */
  readonly addresses: AddressSet;
  readonly hops: Hop[];
  readonly outcome: Outcome;
}

/** The maximum number of hops in a path. The walk ends a longer path as a loop. */
const MAX_HOPS = 64;

/**
 * Follows packets from a subnet to a set of destination addresses, hop by hop, and
 * returns one path for each group of addresses that takes the same way.
 *
 * The walk starts at the subnet's route table, by longest prefix match with the VPC's
 * local route. At a transit gateway it uses the route table associated with the arriving
 * attachment, where a static route beats a propagated one of the same prefix. It lands
 * in the next VPC at the attachment's subnet in the packet's zone and goes on from that
 * subnet's route table. After a Network Firewall endpoint, a Gateway Load Balancer
 * endpoint or a NAT gateway, it goes on from the route table of the subnet the hop sits in.
 *
 * Only the forward path is followed: a path that is delivered still needs a route back.
 *
 * NOTE: security groups, network ACLs and Network Firewall rules are not modelled. A path
 * that is delivered shows that routing allows the traffic, not that it is accepted.
 */
export function traceFromSubnet(model: NetworkModel, subnetKey: string, destinations: AddressSet): TracedPath[] {
  const subnet = model.subnets.get(subnetKey);
  if (subnet === undefined || destinations.isEmpty) {
    return [];
  }
  const walker = new Walker(model, { sourceVpc: subnet.vpc, sourceSubnet: subnetKey, zone: subnet.zone });
  const start: Packet = { zone: subnet.zone, addresses: destinations, hops: [{ kind: 'subnet', node: subnet.node, zone: subnet.zone }], visited: new Set() };
  walker.atRouteTable(subnet.routeTable, start);
  return walker.paths;
}

/** Follows packets from every subnet of a VPC, or from those `includeSubnet` keeps. */
export function traceFromVpc(model: NetworkModel, vpcKey: string, destinations: AddressSet, includeSubnet?: (key: string) => boolean): TracedPath[] {
  const vpc = model.vpcs.get(vpcKey);
  return (vpc?.subnets ?? [])
    .filter((subnet) => includeSubnet === undefined || includeSubnet(subnet))
    .flatMap((subnet) => traceFromSubnet(model, subnet, destinations));
}

/**
 * Follows packets that arrive at the transit gateways from a hybrid attachment (a VPN or
 * Direct Connect gateway), such as traffic from the government network, to a set of
 * destination addresses. The walk starts at the route tables the attachment is
 * associated with. The path's source is the attachment.
 */
export function traceFromAttachment(model: NetworkModel, attachmentKey: string, destinations: AddressSet): TracedPath[] {
  const attachment = model.attachments.get(attachmentKey);
  if (attachment === undefined || destinations.isEmpty) {
    return [];
  }
  const walker = new Walker(model, { sourceVpc: attachmentKey, sourceSubnet: attachmentKey, zone: 'any zone' });
  for (const gateway of attachment.transitGateways) {
    const start: Packet = { zone: 'any zone', addresses: destinations, hops: [{ kind: 'transit-gateway-attachment', node: attachment.node }], visited: new Set() };
    walker.atTransitGatewayFrom(gateway, attachment, start);
  }
  return walker.paths;
}

interface Source {
  readonly sourceVpc: string;
  readonly sourceSubnet: string;
  readonly zone: string;
}

/** The packets of one branch of the walk: where they are, which addresses, and how they got there. */
interface Packet {
  readonly zone: string;
  readonly addresses: AddressSet;
  readonly hops: Hop[];
  /** The places this branch has passed, to find loops. */
  readonly visited: ReadonlySet<string>;
}

class Walker {
  public readonly paths: TracedPath[] = [];

  constructor(private readonly model: NetworkModel, private readonly source: Source) {}

  public atRouteTable(routeTableKey: string, arriving: Packet): void {
    const table = this.model.routeTables.get(routeTableKey);
    if (table === undefined) {
      this.end(arriving, { kind: 'dropped', reason: `the route table ${routeTableKey} is not in the model` });
      return;
    }
    const packet = this.visit(`rt ${routeTableKey} ${arriving.zone}`, arriving);
    if (packet === undefined) {
      return;
    }

    const routes: VpcRoute[] = [...table.routes, ...localRoutes(this.model, table)];
    const { matches, unrouted } = longestPrefixMatch(packet.addresses, routes);
    if (!unrouted.isEmpty) {
      const hop: Hop = { kind: 'route-table', node: table.node, zone: packet.zone };
      this.end(this.branch(packet, unrouted, hop), { kind: 'dropped', reason: `route table ${nodeLabel(table.node)} has no route to these addresses` });
    }
    for (const match of matches) {
      // A route table has one route per destination. A template with two fails to
      // deploy, so following both only shows what either would do.
      for (const route of match.routes) {
        const hop: Hop = { kind: 'route-table', node: table.node, zone: packet.zone, route: describeVpcRoute(this.model, route) };
        this.followVpcRoute(table, route, this.branch(packet, match.addresses, hop));
      }
    }
  }

  private followVpcRoute(table: VpcRouteTableModel, route: VpcRoute, packet: Packet): void {
    const target = route.target;
    const vpcKey = table.vpc;
    switch (target.kind) {
      case 'local':
        this.end(packet, { kind: 'delivered', vpc: vpcKey, reason: `the local route delivers the packet in VPC ${vpcName(this.model, vpcKey)}` });
        return;
      case 'transit-gateway':
        this.enterTransitGateway(vpcKey, target.transitGateway, packet);
        return;
      case 'internet-gateway': {
        const gateway = this.model.internetGateways.get(target.internetGateway);
        if (gateway === undefined || !gateway.vpcs.includes(vpcKey)) {
          this.end(packet, { kind: 'dropped', reason: `internet gateway ${target.internetGateway} is not attached to VPC ${vpcName(this.model, vpcKey)}` });
          return;
        }
        const hop: Hop = { kind: 'internet-gateway', node: gateway.node };
        this.end(this.branch(packet, packet.addresses, hop), { kind: 'internet', vpc: vpcKey, reason: `the packet leaves through internet gateway ${nodeLabel(gateway.node)}` });
        return;
      }
      case 'nat-gateway': {
        const nat = this.model.natGateways.get(target.natGateway);
        const subnet = nat === undefined ? undefined : this.model.subnets.get(nat.subnet);
        if (nat === undefined || subnet === undefined || subnet.vpc !== vpcKey) {
          this.end(packet, { kind: 'dropped', reason: `NAT gateway ${target.natGateway} is not in a subnet of VPC ${vpcName(this.model, vpcKey)}` });
          return;
        }
        this.atRouteTable(subnet.routeTable, this.branch(packet, packet.addresses, { kind: 'nat-gateway', node: nat.node, zone: subnet.zone }, subnet.zone));
        return;
      }
      case 'network-firewall-endpoint':
        this.throughFirewallEndpoint(vpcKey, target.firewall, target.zone, packet);
        return;
      case 'gateway-load-balancer-endpoint': {
        const endpoint = this.model.endpoints.get(target.endpoint)!;
        const subnets = endpoint.subnets.map((key) => this.model.subnets.get(key)).filter((s) => s !== undefined);
        const subnet = subnets.find((s) => s!.zone === packet.zone) ?? subnets[0];
        if (subnet === undefined || endpoint.vpc !== vpcKey) {
          this.end(packet, { kind: 'dropped', reason: `Gateway Load Balancer endpoint ${nodeLabel(endpoint.node)} has no subnet in VPC ${vpcName(this.model, vpcKey)}` });
          return;
        }
        // The appliance behind the endpoint returns the packet to the endpoint, whose subnet routes it on.
        const hop: Hop = { kind: 'gateway-load-balancer-endpoint', node: endpoint.node, zone: subnet.zone };
        this.atRouteTable(subnet.routeTable, this.branch(packet, packet.addresses, hop, subnet.zone));
        return;
      }
      case 'vpc-peering-connection':
        this.throughPeering(vpcKey, target.peering, packet);
        return;
      case 'unmodelled':
        this.end(packet, { kind: 'external', reason: `the route sends the packet to ${target.description}${target.target ? ` (${target.target})` : ''}, which the checker does not follow` });
        return;
    }
  }

  private enterTransitGateway(vpcKey: string, gatewayKey: string, packet: Packet): void {
    const attachments = [...this.model.attachments.values()].filter((a) => a.kind === 'vpc' && a.vpc === vpcKey && a.transitGateways.includes(gatewayKey));
    if (attachments.length === 0) {
      this.end(packet, { kind: 'dropped', reason: `VPC ${vpcName(this.model, vpcKey)} has no attachment to transit gateway ${gatewayName(this.model, gatewayKey)}` });
      return;
    }
    for (const attachment of attachments) {
      if (!this.attachmentSubnets(attachment).some((subnet) => subnet.zone === packet.zone)) {
        // AWS: resources in a zone where the attachment has no subnet cannot reach the transit gateway.
        const reason = `attachment ${nodeLabel(attachment.node)} has no subnet in ${packet.zone}, so traffic from that zone cannot reach the transit gateway`;
        this.end(packet, { kind: 'dropped', reason });
        continue;
      }
      const hop: Hop = { kind: 'transit-gateway-attachment', node: attachment.node, zone: packet.zone, note: `enters transit gateway ${gatewayName(this.model, gatewayKey)}` };
      this.atTransitGateway(gatewayKey, attachment, this.branch(packet, packet.addresses, hop));
    }
  }

  /** Starts a walk at a transit gateway, as if the packet arrived on `arriving`. */
  public atTransitGatewayFrom(gatewayKey: string, arriving: AttachmentModel, packet: Packet): void {
    this.atTransitGateway(gatewayKey, arriving, packet);
  }

  private atTransitGateway(gatewayKey: string, arriving: AttachmentModel, incoming: Packet): void {
    if (!this.model.transitGateways.has(gatewayKey)) {
      this.end(incoming, { kind: 'external', reason: `transit gateway ${gatewayName(this.model, gatewayKey)} is outside the assemblies` });
      return;
    }
    const packet = this.visit(`tgw ${gatewayKey} ${arriving.node.key} ${incoming.zone}`, incoming);
    if (packet === undefined) {
      return;
    }
    const tables = arriving.associations
      .map((association) => this.model.tgwRouteTables.get(association.routeTable))
      .filter((table): table is TgwRouteTableModel => table !== undefined && table.transitGateway === gatewayKey);
    if (tables.length === 0) {
      const reason = `attachment ${nodeLabel(arriving.node)} is not associated with a route table of transit gateway ${gatewayName(this.model, gatewayKey)}, `
        + 'so the transit gateway drops its traffic';
      this.end(packet, { kind: 'dropped', reason });
      return;
    }

    for (const table of tables) {
      const { matches, unrouted } = longestPrefixMatch(packet.addresses, this.tgwRoutes(table));
      if (!unrouted.isEmpty) {
        const hop: Hop = { kind: 'transit-gateway-route-table', node: table.node };
        this.end(this.branch(packet, unrouted, hop), { kind: 'dropped', reason: `transit gateway route table ${nodeLabel(table.node)} has no route to these addresses` });
      }
      for (const match of matches) {
        // A static route beats a propagated route to the same prefix.
        const statics = match.routes.filter((route) => route.origin === 'static');
        for (const route of statics.length > 0 ? statics : match.routes) {
          const note = table.domain === undefined ? undefined : `routing domain ${table.domain}`;
          const hop: Hop = { kind: 'transit-gateway-route-table', node: table.node, route: describeTgwRoute(this.model, route), note };
          this.followTgwRoute(gatewayKey, route, this.branch(packet, match.addresses, hop));
        }
      }
    }
  }

  private followTgwRoute(gatewayKey: string, route: TgwRoute, packet: Packet): void {
    if (route.target.kind === 'blackhole') {
      this.end(packet, { kind: 'dropped', reason: `blackhole route ${nodeLabel(route.node)} drops the packet` });
      return;
    }
    const attachment = this.model.attachments.get(route.target.attachment)!;
    if (attachment.kind === 'external') {
      this.end(packet, { kind: 'external', reason: `the route sends the packet to attachment ${attachment.node.logicalId}, which is outside the assemblies` });
      return;
    }
    if (attachment.kind === 'vpn' || attachment.kind === 'direct-connect-gateway') {
      const link = attachment.kind === 'vpn' ? 'a Site-to-Site VPN' : 'a Direct Connect gateway';
      this.end(packet, { kind: 'external', reason: `the route sends the packet out of AWS over ${link}, ${nodeLabel(attachment.node)}` });
      return;
    }
    if (!attachment.transitGateways.includes(gatewayKey)) {
      const reason = `attachment ${nodeLabel(attachment.node)} does not belong to transit gateway ${gatewayName(this.model, gatewayKey)}, so AWS cannot use this route`;
      this.end(packet, { kind: 'dropped', reason });
      return;
    }
    if (attachment.kind === 'peering') {
      const peer = attachment.transitGateways.find((key) => key !== gatewayKey);
      if (peer === undefined) {
        this.end(packet, { kind: 'dropped', reason: `peering attachment ${nodeLabel(attachment.node)} has no peer transit gateway in the model` });
        return;
      }
      const hop: Hop = { kind: 'transit-gateway-attachment', node: attachment.node, note: `crosses the peering to transit gateway ${gatewayName(this.model, peer)}` };
      this.atTransitGateway(peer, attachment, this.branch(packet, packet.addresses, hop));
      return;
    }
    this.enterVpc(attachment, packet);
  }

  /**
   * Lands the packet in an attached VPC. Without appliance mode the transit gateway keeps
   * the packet in its zone when the attachment has a subnet there. With appliance mode,
   * or with no subnet in that zone, any of the attachment's zones may take the flow, so
   * each is followed.
   */
  private enterVpc(attachment: AttachmentModel, packet: Packet): void {
    const subnets = this.attachmentSubnets(attachment);
    const sameZone = subnets.filter((s) => s.zone === packet.zone);
    const landing = attachment.applianceMode || sameZone.length === 0 ? subnets : sameZone;
    if (landing.length === 0 || attachment.vpc === undefined) {
      this.end(packet, { kind: 'dropped', reason: `attachment ${nodeLabel(attachment.node)} has no subnet in the model` });
      return;
    }
    for (const subnet of landing) {
      const hop: Hop = {
        kind: 'transit-gateway-attachment',
        node: attachment.node,
        zone: subnet.zone,
        note: `arrives in VPC ${vpcName(this.model, attachment.vpc)} at subnet ${nodeLabel(subnet.node)}`,
      };
      this.atRouteTable(subnet.routeTable, this.branch(packet, packet.addresses, hop, subnet.zone));
    }
  }

  private throughFirewallEndpoint(vpcKey: string, firewallKey: string, zone: string, packet: Packet): void {
    const firewall = this.model.firewalls.get(firewallKey);
    const subnet = firewall?.subnets.map((key) => this.model.subnets.get(key)).find((s) => s?.zone === zone);
    if (firewall === undefined || subnet === undefined || firewall.vpc !== vpcKey) {
      this.end(packet, { kind: 'dropped', reason: `firewall ${firewallKey} has no endpoint in ${zone} of VPC ${vpcName(this.model, vpcKey)}` });
      return;
    }
    const endpoint: NodeRef = {
      ...firewall.node,
      key: `${firewall.node.key}#${zone}`,
      kind: 'network-firewall-endpoint',
      logicalId: `${firewall.node.logicalId} endpoint`,
      constructPath: firewall.node.constructPath === undefined ? undefined : `${firewall.node.constructPath} endpoint`,
    };
    const hop: Hop = { kind: 'network-firewall-endpoint', node: endpoint, zone, note: `inspected by firewall ${nodeLabel(firewall.node)}` };
    this.atRouteTable(subnet.routeTable, this.branch(packet, packet.addresses, hop, zone));
  }

  /** Delivers what lies in the peer VPC; a peering connection forwards nothing beyond it. */
  private throughPeering(vpcKey: string, peeringKey: string, packet: Packet): void {
    const peering = this.model.peerings.get(peeringKey)!;
    let peerKey: string | undefined;
    if (peering.vpc === vpcKey) {
      peerKey = peering.peerVpc;
    } else if (peering.peerVpc === vpcKey) {
      peerKey = peering.vpc;
    }
    const hop: Hop = { kind: 'vpc-peering-connection', node: peering.node };
    const peer = peerKey === undefined ? undefined : this.model.vpcs.get(peerKey);
    if (peer === undefined) {
      const outside = peerKey !== undefined && peerKey.startsWith('external:');
      this.end(this.branch(packet, packet.addresses, hop), outside
        ? { kind: 'external', reason: `the peer VPC ${peerKey} is outside the assemblies` }
        : { kind: 'dropped', reason: `VPC ${vpcName(this.model, vpcKey)} is not a side of peering connection ${nodeLabel(peering.node)}` });
      return;
    }
    const peerAddresses = AddressSet.of(peer.cidrs);
    const inPeer = packet.addresses.intersect(peerAddresses);
    if (!inPeer.isEmpty) {
      const reason = `the peering connection delivers the packet in VPC ${vpcName(this.model, peer.node.key)}`;
      this.end(this.branch(packet, inPeer, hop), { kind: 'delivered', vpc: peer.node.key, reason });
    }
    const beyond = packet.addresses.subtract(peerAddresses);
    if (!beyond.isEmpty) {
      this.end(this.branch(packet, beyond, hop), { kind: 'dropped', reason: 'a VPC peering connection does not forward traffic beyond the peer VPC' });
    }
  }

  /** Returns the routes of a transit gateway route table: static ones, then the CIDR blocks its propagations bring. */
  private tgwRoutes(table: TgwRouteTableModel): TgwRoute[] {
    const routes: TgwRoute[] = [...table.staticRoutes];
    for (const propagation of table.propagations) {
      const attachment = this.model.attachments.get(propagation.attachment);
      const vpc = attachment?.vpc === undefined ? undefined : this.model.vpcs.get(attachment.vpc);
      for (const cidr of vpc?.cidrs ?? []) {
        routes.push({ node: propagation.node, destination: cidr, target: { kind: 'attachment', attachment: propagation.attachment }, origin: 'propagated' });
      }
    }
    return routes;
  }

  private attachmentSubnets(attachment: AttachmentModel): SubnetModel[] {
    return attachment.subnets.map((key) => this.model.subnets.get(key)).filter((subnet): subnet is SubnetModel => subnet !== undefined);
  }

  /** Returns the packet one hop on: some of its addresses, the hop added, and possibly a new zone. */
  private branch(packet: Packet, addresses: AddressSet, hop: Hop, zone: string = packet.zone): Packet {
    return { zone, addresses, hops: [...packet.hops, hop], visited: packet.visited };
  }

  /**
   * Returns the packet with `place` added to the places its branch has passed, or ends
   * the path as a loop and returns undefined if the branch has been there before. Each
   * branch has its own set, so two branches through one place are not taken for a loop.
   */
  private visit(place: string, packet: Packet): Packet | undefined {
    if (packet.visited.has(place) || packet.hops.length >= MAX_HOPS) {
      this.end(packet, { kind: 'loop', reason: 'the packet returns to a place it has already passed, so it circles until its TTL runs out' });
      return undefined;
    }
    return { ...packet, visited: new Set([...packet.visited, place]) };
  }

  private end(packet: Packet, outcome: Outcome): void {
    this.paths.push({ ...this.source, addresses: packet.addresses, hops: packet.hops, outcome });
  }
}

/** Returns the local routes of a route table: one per CIDR block of its VPC. */
function localRoutes(model: NetworkModel, table: VpcRouteTableModel): VpcRoute[] {
  const vpc = model.vpcs.get(table.vpc);
  return (vpc?.cidrs ?? []).map((destination) => ({ node: vpc!.node, destination, target: { kind: 'local' as const } }));
}
