import { parsePlaceholder } from './intrinsics';
import { VpcRouteTarget } from './model';
import { ModelBuilder, Reference, ResourceContext, describeValue } from './model-builder';

const VPC = 'AWS::EC2::VPC';
const SUBNET = 'AWS::EC2::Subnet';
const ROUTE_TABLE = 'AWS::EC2::RouteTable';
const INTERNET_GATEWAY = 'AWS::EC2::InternetGateway';
const NAT_GATEWAY = 'AWS::EC2::NatGateway';
const VPN_GATEWAY = 'AWS::EC2::VPNGateway';
const FIREWALL = 'AWS::NetworkFirewall::Firewall';
const VPC_ENDPOINT = 'AWS::EC2::VPCEndpoint';
const PEERING = 'AWS::EC2::VPCPeeringConnection';

/** Route properties that name a target the model does not follow, and what each names. */
const UNMODELLED_TARGETS: Record<string, string> = {
  InstanceId: 'an EC2 instance',
  NetworkInterfaceId: 'a network interface',
  CarrierGatewayId: 'a carrier gateway',
  LocalGatewayId: 'an Outposts local gateway',
  EgressOnlyInternetGatewayId: 'an egress-only internet gateway (IPv6)',
  CoreNetworkArn: 'a Cloud WAN core network',
};

/** Resource types that carry traffic the model does not follow, and why that matters. */
const UNMODELLED_TYPES: Record<string, string> = {
  'AWS::EC2::GatewayRouteTableAssociation': 'an edge association, whose route table steers traffic that arrives from the internet gateway, is not modelled',
  'AWS::EC2::ClientVpnRoute': 'Client VPN routes are not modelled: clients enter the VPC at the associated subnet and are not a source of the walk',
  'AWS::EC2::LocalGatewayRouteTableVPCAssociation': 'Outposts local gateway routing is not modelled',
};

/** Adds the VPC-side resources that other resources refer to: VPCs, subnets, route tables and gateways. */
export function addVpcResources(builder: ModelBuilder, context: ResourceContext): void {
  const { model } = builder;
  const key = context.node.key;
  switch (context.resource.Type) {
    case VPC: {
      const cidr = builder.cidrProperty(context, 'CidrBlock');
      if (cidr === undefined) {
        builder.gap(context.node, 'the VPC\'s IPv4 CIDR block is not known (an IPAM pool, for example), so no route can reach it in the model');
      }
      const mainKey = `${key}#main`;
      model.vpcs.set(key, {
        node: context.node,
        cidrs: cidr === undefined ? [] : [cidr],
        subnets: [],
        domainTag: builder.tag(context.stack, context.resource, 'RoutingDomain'),
        mainRouteTable: mainKey,
      });
      model.routeTables.set(mainKey, {
        node: {
          ...context.node,
          key: mainKey,
          kind: 'route-table',
          logicalId: `${context.logicalId} main route table`,
          constructPath: context.node.constructPath === undefined ? undefined : `${context.node.constructPath} main route table`,
          name: undefined,
        },
        vpc: key,
        routes: [],
        main: true,
      });
      break;
    }
    case SUBNET: {
      const vpc = builder.reference(context, context.resource.Properties?.VpcId, 'VPC');
      model.subnets.set(key, {
        node: context.node,
        vpc: vpc.kind === 'resource' ? vpc.key : '',
        zone: zoneText(builder.property(context, 'AvailabilityZone')),
        cidr: builder.cidrProperty(context, 'CidrBlock'),
        routeTable: vpc.kind === 'resource' ? `${vpc.key}#main` : '',
      });
      break;
    }
    case ROUTE_TABLE: {
      const vpc = builder.reference(context, context.resource.Properties?.VpcId, 'VPC');
      model.routeTables.set(key, { node: context.node, vpc: vpc.kind === 'resource' ? vpc.key : '', routes: [], main: false });
      break;
    }
    case INTERNET_GATEWAY:
      model.internetGateways.set(key, { node: context.node, vpcs: [] });
      break;
    case NAT_GATEWAY: {
      const subnet = builder.reference(context, context.resource.Properties?.SubnetId, 'subnet');
      model.natGateways.set(key, { node: context.node, subnet: subnet.kind === 'resource' ? subnet.key : '' });
      break;
    }
    case FIREWALL: {
      const vpc = builder.reference(context, context.resource.Properties?.VpcId, 'VPC');
      const mappings = builder.property(context, 'SubnetMappings');
      const subnets = (Array.isArray(mappings) ? mappings : [])
        .map((mapping) => builder.referenceOf(context, (mapping as Record<string, unknown> | undefined)?.SubnetId as string, 'subnet'))
        .filter((ref): ref is Extract<Reference, { kind: 'resource' }> => ref.kind === 'resource')
        .map((ref) => ref.key);
      model.firewalls.set(key, { node: context.node, vpc: vpc.kind === 'resource' ? vpc.key : undefined, subnets });
      break;
    }
    case VPC_ENDPOINT:
      // Only Gateway Load Balancer endpoints can be the target of a route to any CIDR block.
      if (builder.property(context, 'VpcEndpointType') === 'GatewayLoadBalancer') {
        const vpc = builder.reference(context, context.resource.Properties?.VpcId, 'VPC');
        const subnets = builder.referenceList(context, 'SubnetIds', 'subnet').filter((ref) => ref.kind === 'resource');
        model.endpoints.set(key, {
          node: { ...context.node, kind: 'gateway-load-balancer-endpoint' },
          vpc: vpc.kind === 'resource' ? vpc.key : undefined,
          subnets: subnets.map((ref) => (ref as { key: string }).key),
        });
      }
      break;
    case PEERING: {
      const vpc = builder.reference(context, context.resource.Properties?.VpcId, 'VPC');
      const peer = builder.reference(context, context.resource.Properties?.PeerVpcId, 'peer VPC');
      if (vpc.kind === 'resource' && (peer.kind === 'resource' || peer.kind === 'external')) {
        model.peerings.set(key, { node: context.node, vpc: vpc.key, peerVpc: peer.key });
      }
      break;
    }
    default:
      break;
  }
}

/** Links the VPC-side resources to each other: subnets to VPCs and route tables, routes, gateway attachments. */
export function linkVpcResources(builder: ModelBuilder, context: ResourceContext): void {
  const { model } = builder;
  const properties = context.resource.Properties ?? {};
  switch (context.resource.Type) {
    case SUBNET: {
      const subnet = model.subnets.get(context.node.key)!;
      const vpc = model.vpcs.get(subnet.vpc);
      if (vpc === undefined) {
        builder.gap(context.node, 'the subnet\'s VPC is not in the assemblies, so the subnet is left out');
        model.subnets.delete(context.node.key);
      } else {
        vpc.subnets.push(context.node.key);
      }
      break;
    }
    case 'AWS::EC2::VPCCidrBlock': {
      const vpc = builder.reference(context, properties.VpcId, 'VPC');
      const cidr = builder.cidrProperty(context, 'CidrBlock');
      if (vpc.kind === 'resource' && cidr !== undefined) {
        model.vpcs.get(vpc.key)?.cidrs.push(cidr);
      } else if (properties.CidrBlock !== undefined || properties.Ipv4IpamPoolId !== undefined) {
        builder.gap(context.node, 'a secondary IPv4 CIDR block that the checker cannot read, so routes to it are not modelled');
      }
      break;
    }
    case 'AWS::EC2::SubnetRouteTableAssociation': {
      const subnet = builder.reference(context, properties.SubnetId, 'subnet');
      const routeTable = builder.reference(context, properties.RouteTableId, 'route table');
      const subnetModel = subnet.kind === 'resource' ? model.subnets.get(subnet.key) : undefined;
      if (subnetModel !== undefined && routeTable.kind === 'resource' && model.routeTables.has(routeTable.key)) {
        subnetModel.routeTable = routeTable.key;
      } else {
        builder.gap(context.node, 'the association names a subnet or route table that is not in the assemblies');
      }
      break;
    }
    case 'AWS::EC2::Route':
      addRoute(builder, context);
      break;
    case 'AWS::EC2::VPCGatewayAttachment': {
      const vpc = builder.reference(context, properties.VpcId, 'VPC');
      const gateway = builder.reference(context, properties.InternetGatewayId, 'internet gateway');
      if (vpc.kind === 'resource' && gateway.kind === 'resource') {
        model.internetGateways.get(gateway.key)?.vpcs.push(vpc.key);
      }
      break;
    }
    default:
      if (UNMODELLED_TYPES[context.resource.Type] !== undefined) {
        builder.gap(context.node, UNMODELLED_TYPES[context.resource.Type]);
      }
      break;
  }
}

function addRoute(builder: ModelBuilder, context: ResourceContext): void {
  const properties = context.resource.Properties ?? {};
  const routeTable = builder.reference(context, properties.RouteTableId, 'route table');
  const table = routeTable.kind === 'resource' ? builder.model.routeTables.get(routeTable.key) : undefined;
  if (table === undefined) {
    builder.gap(context.node, 'the route\'s route table is not in the assemblies, so the route is left out');
    return;
  }
  if (properties.DestinationCidrBlock === undefined) {
    const kind = properties.DestinationPrefixListId !== undefined ? 'a prefix list' : 'an IPv6 block';
    builder.gap(context.node, `the route's destination is ${kind}, which the model does not cover, so the route is left out`);
    return;
  }
  const destination = builder.cidrProperty(context, 'DestinationCidrBlock');
  const target = routeTarget(builder, context);
  if (destination !== undefined && target !== undefined) {
    table.routes.push({ node: context.node, destination, target });
  }
}

/** Works out where a route sends traffic, from whichever target property it sets. */
function routeTarget(builder: ModelBuilder, context: ResourceContext): VpcRouteTarget | undefined {
  const properties = context.resource.Properties ?? {};
  const unmodelled = (description: string, reference?: Reference): VpcRouteTarget => ({
    kind: 'unmodelled',
    description,
    target: reference !== undefined && reference.kind !== 'none' && reference.kind !== 'firewall-endpoint' ? reference.key : undefined,
  });

  if (properties.GatewayId !== undefined) {
    if (builder.property(context, 'GatewayId') === 'local') {
      return { kind: 'local' };
    }
    const gateway = builder.reference(context, properties.GatewayId, 'gateway');
    if (gateway.kind === 'resource' && gateway.type === INTERNET_GATEWAY) {
      return { kind: 'internet-gateway', internetGateway: gateway.key };
    }
    return unmodelled(gateway.kind === 'resource' && gateway.type === VPN_GATEWAY ? 'a virtual private gateway' : 'a gateway outside the assemblies', gateway);
  }
  if (properties.NatGatewayId !== undefined) {
    const nat = builder.reference(context, properties.NatGatewayId, 'NAT gateway');
    return nat.kind === 'resource' && nat.type === NAT_GATEWAY ? { kind: 'nat-gateway', natGateway: nat.key } : unmodelled('a NAT gateway outside the assemblies', nat);
  }
  if (properties.TransitGatewayId !== undefined) {
    const gateway = builder.reference(context, properties.TransitGatewayId, 'transit gateway');
    return gateway.kind === 'resource' || gateway.kind === 'external' ? { kind: 'transit-gateway', transitGateway: gateway.key } : undefined;
  }
  if (properties.VpcEndpointId !== undefined) {
    const endpoint = builder.reference(context, properties.VpcEndpointId, 'VPC endpoint');
    if (endpoint.kind === 'firewall-endpoint') {
      return { kind: 'network-firewall-endpoint', firewall: endpoint.firewall, zone: zoneText(endpoint.zone) };
    }
    if (endpoint.kind === 'resource' && builder.model.endpoints.has(endpoint.key)) {
      return { kind: 'gateway-load-balancer-endpoint', endpoint: endpoint.key };
    }
    return unmodelled('a VPC endpoint that is neither a Network Firewall endpoint nor a Gateway Load Balancer endpoint of the assemblies', endpoint);
  }
  if (properties.VpcPeeringConnectionId !== undefined) {
    const peering = builder.reference(context, properties.VpcPeeringConnectionId, 'VPC peering connection');
    return peering.kind === 'resource' && peering.type === PEERING
      ? { kind: 'vpc-peering-connection', peering: peering.key }
      : unmodelled('a VPC peering connection outside the assemblies', peering);
  }
  for (const [property, description] of Object.entries(UNMODELLED_TARGETS)) {
    if (properties[property] !== undefined) {
      return unmodelled(description, builder.reference(context, properties[property], description));
    }
  }
  builder.gap(context.node, `the route names no target the checker knows: ${describeValue(properties as never)}`);
  return undefined;
}

/** Returns a zone name for the model, spelling out a zone only known by its index. */
export function zoneText(value: unknown): string {
  const found = parsePlaceholder(value);
  if (found?.kind === 'zone') {
    return `zone ${found.detail} of ${found.name}`;
  }
  return typeof value === 'string' ? value : 'unknown zone';
}
