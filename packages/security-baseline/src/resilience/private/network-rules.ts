import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';
import { RuleFinding, named } from './finding';
import {
  TemplateModel,
  TemplateResource,
  isRecord,
  literalNumber,
  referencedLogicalId,
  valueKey,
  zoneKey,
} from './template-model';

/*
 * Rules for networks, compute and connectivity.
 *
 * Zone rules judge only what the template shows. When the zone of any subnet in a list
 * cannot be seen (a subnet ID from a parameter or another stack), the rule reports nothing
 * for that resource, because a second zone may be hidden behind the unknown subnet.
 */

/**
 * VPCs whose NAT-routed subnets all use one NAT gateway, or that have a NAT gateway serving
 * subnets in more than one zone.
 *
 * The finding is on the VPC when the template defines it, so that a user acknowledges it on
 * the `ec2.Vpc`; otherwise on the NAT gateway.
 */
export function singleNatGateways(model: TemplateModel): RuleFinding[] {
  const subnetsByNat = natRoutedSubnets(model);
  const natsByVpc = new Map<string, { vpc: unknown; nats: Set<string> }>();
  for (const [nat, subnets] of subnetsByNat) {
    for (const subnet of subnets) {
      const key = valueKey(subnet.properties.VpcId);
      const entry = natsByVpc.get(key) ?? { vpc: subnet.properties.VpcId, nats: new Set<string>() };
      entry.nats.add(nat);
      natsByVpc.set(key, entry);
    }
  }

  const findings: RuleFinding[] = [];
  for (const { vpc, nats } of natsByVpc.values()) {
    const vpcResource = model.referenced(vpc);
    for (const nat of nats) {
      const natResource = model.get(nat);
      const subnets = subnetsByNat.get(nat)!.filter((subnet) => valueKey(subnet.properties.VpcId) === valueKey(vpc));
      const zones = new Set(subnets.map((subnet) => zoneKey(subnet.properties.AvailabilityZone) ?? zoneKey(subnet.properties.AvailabilityZoneId)));
      const knownZones = [...zones].filter((zone): zone is string => zone !== undefined);
      // The NAT gateway's own zone is the zone of the subnet it is placed in, where the template shows it.
      const natZone = natResource !== undefined ? model.zoneOfSubnet(natResource.properties.SubnetId) : undefined;
      const otherZones = natZone !== undefined ? knownZones.filter((zone) => zone !== natZone) : [];
      const crossZone = knownZones.length > 1 || otherZones.length > 0;
      if (nats.size > 1 && !crossZone) {
        continue;
      }
      const natName = natResource !== undefined ? named(natResource) : `NAT gateway ${valueKey(nat)}`;
      findings.push({
        kind: Kind.SINGLE_NAT_GATEWAY,
        resource: vpcResource ?? natResource ?? subnets[0],
        related: natResource !== undefined ? [natResource] : [],
        description: natDescription(nats.size, natName, subnets.length, knownZones, natZone, otherZones),
        fix: 'Give each availability zone its own NAT gateway (natGateways equal to the number of zones in ec2.Vpc), '
          + 'with each zone\'s subnets routing to the NAT gateway in the same zone.',
      });
    }
  }
  return findings;
}

/** Describes a NAT gateway finding: one NAT gateway for the VPC, one serving several zones, or one serving another zone. */
function natDescription(natCount: number, natName: string, subnetCount: number, knownZones: string[], natZone: string | undefined,
  otherZones: string[]): string {
  if (knownZones.length <= 1 && otherZones.length > 0) {
    return `Subnets in ${otherZones[0]} send outbound internet traffic through ${natName}, which is in ${natZone}: `
      + `when ${natZone} fails, the subnets in ${otherZones[0]} lose outbound access too, although their own zone still works.`;
  }
  const where = knownZones.length > 1 ? `subnets in ${knownZones.length} availability zones` : `${subnetCount} subnet${subnetCount === 1 ? '' : 's'}`;
  return `${natCount === 1 ? 'All outbound internet traffic of this VPC goes' : 'Outbound internet traffic of several zones goes'} `
    + `through ${natName}, used by ${where}: when the NAT gateway or its zone fails, these subnets lose outbound access.`;
}

/** Maps each NAT gateway, by logical ID or value, to the subnets whose route tables send traffic to it. */
function natRoutedSubnets(model: TemplateModel): Map<string, TemplateResource[]> {
  const subnetsByRouteTable = new Map<string, TemplateResource[]>();
  for (const association of model.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const subnet = model.referenced(association.properties.SubnetId);
    if (subnet !== undefined) {
      const key = valueKey(association.properties.RouteTableId);
      subnetsByRouteTable.set(key, [...subnetsByRouteTable.get(key) ?? [], subnet]);
    }
  }

  const result = new Map<string, TemplateResource[]>();
  for (const route of model.ofType('AWS::EC2::Route')) {
    if (route.properties.NatGatewayId === undefined) {
      continue;
    }
    const nat = referencedLogicalId(route.properties.NatGatewayId) ?? valueKey(route.properties.NatGatewayId);
    const subnets = subnetsByRouteTable.get(valueKey(route.properties.RouteTableId)) ?? [];
    const known = result.get(nat) ?? [];
    result.set(nat, [...known, ...subnets.filter((subnet) => !known.includes(subnet))]);
  }
  return result;
}

/**
 * Auto Scaling groups that run one instance, or launch in one availability zone.
 *
 * A group runs one instance when its maximum size is 1, or when its minimum size (its
 * desired capacity, when the template gives one) is below 2: until a scaling policy adds
 * instances, the group has nothing to fall back on. A size that is a token is skipped.
 */
export function fragileAutoScalingGroups(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const group of model.ofType('AWS::AutoScaling::AutoScalingGroup')) {
    const maxSize = literalNumber(group.properties.MaxSize);
    const desired = group.properties.DesiredCapacity;
    const running = desired !== undefined ? literalNumber(desired) : literalNumber(group.properties.MinSize);
    const runningName = desired !== undefined ? 'desired capacity' : 'minimum size';
    if (maxSize !== undefined && maxSize <= 1) {
      findings.push({
        kind: Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP,
        resource: group,
        description: `${named(group)} has a maximum size of ${maxSize}: it runs one instance, so the service stops `
          + 'while Auto Scaling replaces a failed instance.',
        fix: 'Set maxCapacity and minCapacity to at least 2, across availability zones.',
      });
    } else if (running !== undefined && running < 2) {
      findings.push({
        kind: Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP,
        resource: group,
        description: `${named(group)} has a ${runningName} of ${running}: it can run with ${running === 0 ? 'no instance, or ' : ''}a single `
          + 'instance, so when that instance or its zone fails the service stops while Auto Scaling launches a replacement, '
          + 'which takes minutes.',
        fix: 'Set minCapacity (and desiredCapacity, if given) to at least 2, across availability zones.',
      });
    }

    const zones = zonesOf(model, group.properties.AvailabilityZones, group.properties.VPCZoneIdentifier);
    if (zones !== undefined && zones.size === 1) {
      findings.push({
        kind: Kind.SINGLE_AZ_AUTO_SCALING_GROUP,
        resource: group,
        description: `${named(group)} launches instances in one availability zone (${[...zones][0]}): a failure of that zone stops every instance.`,
        fix: 'Give the group subnets in at least two availability zones (vpcSubnets).',
      });
    }
  }
  return findings;
}

/** Returns the zones of a resource given as literal zones or as subnets, whichever it uses. */
function zonesOf(model: TemplateModel, zoneList: unknown, subnetIds: unknown): Set<string> | undefined {
  if (Array.isArray(zoneList) && zoneList.length > 0) {
    const zones = zoneList.map(zoneKey);
    return zones.every((zone) => zone !== undefined) ? new Set(zones as string[]) : undefined;
  }
  return model.zonesOfSubnets(subnetIds);
}

/** Directories with both subnets in one zone, and every Simple AD directory. */
export function fragileDirectories(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const directory of model.ofType('AWS::DirectoryService::MicrosoftAD', 'AWS::DirectoryService::SimpleAD')) {
    const settings = directory.properties.VpcSettings;
    const zones = model.zonesOfSubnets(isRecord(settings) ? settings.SubnetIds : undefined);
    if (zones !== undefined && zones.size === 1) {
      findings.push({
        kind: Kind.SINGLE_AZ_DIRECTORY,
        resource: directory,
        description: `${named(directory)} has its domain controllers in one availability zone: a failure of that zone stops sign-in and name resolution for the domain.`,
        fix: 'Give VpcSettings SubnetIds two subnets in different availability zones.',
      });
    }
    if (directory.type === 'AWS::DirectoryService::SimpleAD') {
      findings.push({
        kind: Kind.SIMPLE_AD_DIRECTORY,
        resource: directory,
        description: `${named(directory)} is a Simple AD directory: it cannot have more than its two domain controllers `
          + 'or be replicated to another region, so it cannot be made more resilient than that.',
        fix: 'Use AWS Managed Microsoft AD (AWS::DirectoryService::MicrosoftAD), which can add domain controllers and, '
          + 'in the Enterprise edition, replicate to another region.',
      });
    }
  }
  return findings;
}

/**
 * Site-to-site VPN: an on-premises site reached through one VPN connection, or through
 * several connections that all end on one customer gateway.
 *
 * A template does not name the site, so the rule takes the customer gateway's BGP ASN as the
 * site: the routers of one site normally share an ASN, and different sites normally do not.
 * Customer gateways without a literal ASN, or defined outside the template, count as a site each. Connections are grouped by the transit gateway or virtual private gateway
 * they end on, too: two connections to one site through different gateways do not back each
 * other up.
 */
export function fragileVpnConnections(model: TemplateModel): RuleFinding[] {
  const groups = new Map<string, { site: string; connections: TemplateResource[] }>();
  for (const connection of model.ofType('AWS::EC2::VPNConnection')) {
    const gateway = valueKey(connection.properties.TransitGatewayId ?? connection.properties.VpnGatewayId);
    const site = siteOf(model, connection.properties.CustomerGatewayId);
    const key = `${gateway} ${site}`;
    const group = groups.get(key) ?? { site, connections: [] };
    group.connections.push(connection);
    groups.set(key, group);
  }

  const findings: RuleFinding[] = [];
  for (const { site, connections } of groups.values()) {
    const customerGateways = new Set(connections.map((connection) => valueKey(connection.properties.CustomerGatewayId)));
    if (connections.length === 1) {
      findings.push({
        kind: Kind.SINGLE_VPN_CONNECTION,
        resource: connections[0],
        description: `${named(connections[0])} is the only VPN connection towards ${site}: its two tunnels end on one `
          + 'customer gateway device, so a failure of that device or its internet link cuts the site off.',
        fix: 'Add a second VPN connection towards the site, from a second customer gateway device on a separate internet link.',
      });
    } else if (customerGateways.size === 1) {
      const customerGateway = model.referenced(connections[0].properties.CustomerGatewayId);
      findings.push({
        kind: Kind.SINGLE_CUSTOMER_GATEWAY,
        resource: customerGateway ?? connections[0],
        related: connections,
        description: `The ${connections.length} VPN connections towards ${site} all end on one customer gateway: `
          + 'a failure of that device or its internet link cuts the site off.',
        fix: 'End the VPN connections on two customer gateway devices at the site, each with its own public IP address.',
      });
    }
  }
  return findings;
}

function siteOf(model: TemplateModel, customerGatewayId: unknown): string {
  const customerGateway = model.referenced(customerGatewayId);
  const asn = customerGateway !== undefined ? literalNumber(customerGateway.properties.BgpAsn) : undefined;
  if (asn !== undefined) {
    return `the on-premises site with BGP ASN ${asn}`;
  }
  return `the on-premises site of customer gateway ${customerGateway?.logicalId ?? valueKey(customerGatewayId)}`;
}

const VIRTUAL_INTERFACE_TYPES = [
  'AWS::DirectConnect::PrivateVirtualInterface',
  'AWS::DirectConnect::TransitVirtualInterface',
  'AWS::DirectConnect::PublicVirtualInterface',
];

/**
 * Direct Connect gateways (or virtual private gateways) whose virtual interfaces all use one
 * Direct Connect connection or link aggregation group.
 *
 * The finding is on the virtual interface, because that is the link that fails. An
 * acknowledgement on the Direct Connect gateway or another interface of the gateway counts too. When a VPN
 * connection in the template goes to a customer gateway with the same BGP ASN as the interface's peer, the description names it, because that VPN
 * can carry the traffic, at lower bandwidth, while the connection is down.
 * A link aggregation group counts as one connection, because its links end at one location.
 * NOTE: two connections at the same Direct Connect location still share that location. The
 * template rarely shows the location of connections ordered outside CloudFormation, so this
 * rule counts connections only.
 */
export function singleDirectConnectConnections(model: TemplateModel): RuleFinding[] {
  const groups = new Map<string, TemplateResource[]>();
  for (const virtualInterface of model.ofType(...VIRTUAL_INTERFACE_TYPES)) {
    const gateway = virtualInterface.properties.DirectConnectGatewayId ?? virtualInterface.properties.VirtualGatewayId;
    const key = gateway === undefined ? `interface ${virtualInterface.logicalId}` : valueKey(gateway);
    groups.set(key, [...groups.get(key) ?? [], virtualInterface]);
  }

  const vpnAsns = new Set(model.ofType('AWS::EC2::CustomerGateway')
    .map((customerGateway) => literalNumber(customerGateway.properties.BgpAsn))
    .filter((asn) => asn !== undefined));

  const findings: RuleFinding[] = [];
  for (const interfaces of groups.values()) {
    const connections = new Set(interfaces.map((virtualInterface) => valueKey(virtualInterface.properties.ConnectionId)));
    if (connections.size > 1) {
      continue;
    }
    const gateway = model.referenced(interfaces[0].properties.DirectConnectGatewayId ?? interfaces[0].properties.VirtualGatewayId);
    const peerAsns = interfaces.flatMap((virtualInterface) => peerAsnsOf(virtualInterface));
    const backedUp = peerAsns.filter((asn) => vpnAsns.has(asn));
    const connectionName = typeof interfaces[0].properties.ConnectionId === 'string'
      ? interfaces[0].properties.ConnectionId
      : valueKey(interfaces[0].properties.ConnectionId);
    const subject = interfaces.length === 1
      ? `${named(interfaces[0])} is the only virtual interface`
      : `The ${interfaces.length} virtual interfaces ${interfaces.map((virtualInterface) => virtualInterface.logicalId).join(', ')} all use one connection`;
    findings.push({
      kind: Kind.SINGLE_DIRECT_CONNECT_CONNECTION,
      resource: interfaces[0],
      related: [...interfaces.slice(1), ...gateway !== undefined ? [gateway] : []],
      description: `${subject} towards the on-premises network${gateway !== undefined ? ` from ${named(gateway)}` : ''}, `
        + `over Direct Connect connection ${connectionName}: a failure of the connection, its location or its provider's circuit cuts the Direct Connect path.`
        + (backedUp.length > 0
          ? ` A site-to-site VPN in the same stack goes to BGP ASN ${[...new Set(backedUp)].join(', ')}, which can carry the traffic, at lower bandwidth, while the connection is down.`
          : ''),
      fix: backedUp.length > 0
        ? 'Add a virtual interface on a second Direct Connect connection at a second Direct Connect location, or, if the VPN\'s '
          + 'bandwidth is enough while the connection is down, acknowledge this finding with the recovery procedure.'
        : 'Add a virtual interface on a second Direct Connect connection, at a second Direct Connect location, '
          + 'or a site-to-site VPN as a backup path.',
    });
  }
  return findings;
}

function peerAsnsOf(virtualInterface: TemplateResource): number[] {
  const peers = virtualInterface.properties.BgpPeers;
  if (!Array.isArray(peers)) {
    return [];
  }
  return peers.map((peer) => (isRecord(peer) ? literalNumber(peer.Asn) : undefined)).filter((asn): asn is number => asn !== undefined);
}

/** Load balancers and network firewalls whose subnets, or zones, are all in one availability zone. */
export function singleAzEndpoints(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const loadBalancer of model.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer')) {
    const subnets = loadBalancer.properties.Subnets ?? subnetIdsOf(loadBalancer.properties.SubnetMappings);
    const zones = zonesOf(model, loadBalancer.properties.AvailabilityZones, subnets);
    if (zones !== undefined && zones.size === 1) {
      findings.push({
        kind: Kind.SINGLE_AZ_LOAD_BALANCER,
        resource: loadBalancer,
        description: `${named(loadBalancer)} has nodes in one availability zone (${[...zones][0]}): a failure of that zone stops the traffic it serves.`,
        fix: 'Give the load balancer subnets in at least two availability zones (vpcSubnets), with targets in each.',
      });
    }
  }

  for (const firewall of model.ofType('AWS::NetworkFirewall::Firewall')) {
    const zones = model.zonesOfSubnets(subnetIdsOf(firewall.properties.SubnetMappings));
    if (zones !== undefined && zones.size === 1) {
      findings.push({
        kind: Kind.SINGLE_AZ_NETWORK_FIREWALL,
        resource: firewall,
        description: `${named(firewall)} has endpoints in one availability zone (${[...zones][0]}): a failure of that zone `
          + 'stops all traffic routed through the firewall, from every zone.',
        fix: 'Give SubnetMappings a firewall subnet in each availability zone, and route each zone to its own endpoint.',
      });
    }
  }
  return findings;
}

function subnetIdsOf(mappings: unknown): unknown[] | undefined {
  if (!Array.isArray(mappings)) {
    return undefined;
  }
  return mappings.map((mapping) => (isRecord(mapping) ? mapping.SubnetId : undefined));
}
