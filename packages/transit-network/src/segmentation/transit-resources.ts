import { AttachmentModel, HYBRID_ATTACHMENT_KINDS, NodeRef, TgwRouteTableModel, nodeLabel } from './model';
import { ModelBuilder, Reference, ResourceContext } from './model-builder';
import { formatCidr } from '../private/cidr';

const TRANSIT_GATEWAY = 'AWS::EC2::TransitGateway';
const ROUTE_TABLE = 'AWS::EC2::TransitGatewayRouteTable';
const VPC_ATTACHMENT_TYPES = ['AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::TransitGatewayAttachment'];
const PEERING_ATTACHMENT = 'AWS::EC2::TransitGatewayPeeringAttachment';
/** This package's attachment lookups, each standing for the attachment it finds. */
const HYBRID_LOOKUPS: Record<string, 'vpn' | 'direct-connect-gateway'> = {
  'Custom::VpnAttachmentLookup': 'vpn',
  'Custom::DirectConnectGatewayAttachmentLookup': 'direct-connect-gateway',
};

/** Transit gateway resources that carry traffic the model does not follow, and why that matters. */
const UNMODELLED_TYPES: Record<string, string> = {
  'AWS::EC2::VPNConnection': 'a Site-to-Site VPN connection: routes learnt over it are not modelled',
  'AWS::EC2::TransitGatewayConnect': 'a transit gateway Connect attachment: routes learnt over it are not modelled',
  'AWS::EC2::TransitGatewayPrefixListReference': 'a prefix list reference in a transit gateway route table: its routes are not modelled',
  'AWS::EC2::TransitGatewayMulticastDomain': 'transit gateway multicast is not modelled',
  'AWS::NetworkManager::TransitGatewayPeering': 'a Cloud WAN peering: routes learnt over it are not modelled',
};

/** Adds transit gateways, their route tables and their attachments. */
export function addTransitResources(builder: ModelBuilder, context: ResourceContext): void {
  const { model } = builder;
  const type = context.resource.Type;
  const key = context.node.key;

  if (type === TRANSIT_GATEWAY) {
    // CloudFormation's defaults for both are "enable": every attachment then joins one
    // default route table and propagates into it, which connects all of them.
    const defaultAssociation = builder.property(context, 'DefaultRouteTableAssociation') !== 'disable';
    const defaultPropagation = builder.property(context, 'DefaultRouteTablePropagation') !== 'disable';
    const defaultRouteTable = defaultAssociation || defaultPropagation ? `${key}#default` : undefined;
    model.transitGateways.set(key, { node: context.node, defaultAssociation, defaultPropagation, defaultRouteTable });
    if (defaultRouteTable !== undefined) {
      model.tgwRouteTables.set(defaultRouteTable, {
        node: {
          ...context.node,
          key: defaultRouteTable,
          kind: 'transit-gateway-route-table',
          logicalId: `${context.logicalId} default route table`,
          constructPath: context.node.constructPath === undefined ? undefined : `${context.node.constructPath} default route table`,
          name: undefined,
        },
        transitGateway: key,
        staticRoutes: [],
        propagations: [],
        implicitDefault: true,
      });
    }
  } else if (type === ROUTE_TABLE) {
    const gateway = builder.reference(context, context.resource.Properties?.TransitGatewayId, 'transit gateway');
    model.tgwRouteTables.set(key, {
      node: context.node,
      transitGateway: gateway.kind === 'none' ? '' : keyOf(gateway),
      domain: builder.tag(context.stack, context.resource, 'RoutingDomain'),
      staticRoutes: [],
      propagations: [],
      implicitDefault: false,
    });
  } else if (VPC_ATTACHMENT_TYPES.includes(type)) {
    const gateway = builder.reference(context, context.resource.Properties?.TransitGatewayId, 'transit gateway');
    const vpc = builder.reference(context, context.resource.Properties?.VpcId, 'VPC');
    const subnets = builder.referenceList(context, 'SubnetIds', 'subnet').filter((ref) => ref.kind === 'resource');
    const options = builder.property(context, 'Options') as Record<string, unknown> | undefined;
    model.attachments.set(key, {
      node: context.node,
      kind: 'vpc',
      transitGateways: gateway.kind === 'none' ? [] : [keyOf(gateway)],
      vpc: vpc.kind === 'resource' ? vpc.key : undefined,
      subnets: subnets.map(keyOf),
      applianceMode: options?.ApplianceModeSupport === 'enable',
      domainTag: builder.tag(context.stack, context.resource, 'RoutingDomain'),
      associations: [],
    });
  } else if (HYBRID_LOOKUPS[type] !== undefined) {
    // The transit gateway is learnt from the route tables the attachment is linked to.
    model.attachments.set(key, {
      node: context.node,
      kind: HYBRID_LOOKUPS[type],
      transitGateways: [],
      subnets: [],
      applianceMode: false,
      associations: [],
    });
  } else if (type === PEERING_ATTACHMENT) {
    const gateways = [
      builder.reference(context, context.resource.Properties?.TransitGatewayId, 'transit gateway'),
      builder.reference(context, context.resource.Properties?.PeerTransitGatewayId, 'peer transit gateway'),
    ].filter((ref) => ref.kind !== 'none');
    model.attachments.set(key, {
      node: context.node,
      kind: 'peering',
      transitGateways: gateways.map(keyOf),
      subnets: [],
      applianceMode: false,
      associations: [],
    });
  }
}

/** Links associations, propagations and static routes to the route tables and attachments they name. */
export function linkTransitResources(builder: ModelBuilder, context: ResourceContext): void {
  const type = context.resource.Type;
  if (type === 'AWS::EC2::TransitGatewayRouteTableAssociation' || type === 'AWS::EC2::TransitGatewayRouteTablePropagation') {
    linkAssociationOrPropagation(builder, context, type.endsWith('Association'));
  } else if (type === 'AWS::EC2::TransitGatewayRoute') {
    addStaticRoute(builder, context);
  } else if (type === TRANSIT_GATEWAY) {
    builder.afterLinking(() => applyDefaultRouteTable(builder, context.node.key));
  } else if (UNMODELLED_TYPES[type] !== undefined) {
    builder.gap(context.node, UNMODELLED_TYPES[type]);
  }
}

function linkAssociationOrPropagation(builder: ModelBuilder, context: ResourceContext, association: boolean): void {
  const properties = context.resource.Properties ?? {};
  const table = routeTableOf(builder, context, properties.TransitGatewayRouteTableId);
  const attachment = attachmentOf(builder, context, properties.TransitGatewayAttachmentId, table);
  if (table === undefined || attachment === undefined) {
    return;
  }
  if (association) {
    attachment.associations.push({ routeTable: table.node.key, node: context.node });
    return;
  }
  table.propagations.push({ attachment: attachment.node.key, node: context.node });
  if (HYBRID_ATTACHMENT_KINDS.includes(attachment.kind)) {
    builder.gap(context.node, `${nodeLabel(attachment.node)} propagates into ${table.node.logicalId} the routes it learns over BGP from outside AWS, `
      + 'which the templates do not hold, so no route to the other network is modelled');
  } else if (attachment.kind === 'external') {
    builder.gap(context.node, `${attachment.node.logicalId} propagates into ${table.node.logicalId}, but it is outside the assemblies, `
      + 'so the routes it propagates are not known. Bind its ID to the attachment resource to model them.');
  }
}

function addStaticRoute(builder: ModelBuilder, context: ResourceContext): void {
  const properties = context.resource.Properties ?? {};
  const table = routeTableOf(builder, context, properties.TransitGatewayRouteTableId);
  if (table === undefined) {
    return;
  }
  const destination = builder.cidrProperty(context, 'DestinationCidrBlock');
  if (destination === undefined) {
    return;
  }
  if (builder.property(context, 'Blackhole') === true || builder.property(context, 'Blackhole') === 'true') {
    table.staticRoutes.push({ node: context.node, destination, target: { kind: 'blackhole' }, origin: 'static' });
    return;
  }
  const attachment = attachmentOf(builder, context, properties.TransitGatewayAttachmentId, table);
  if (attachment !== undefined && attachment.kind !== 'external' && !attachment.transitGateways.includes(table.transitGateway)) {
    builder.gap(context.node, `the route sends ${formatCidr(destination)} to attachment ${nodeLabel(attachment.node)}, which belongs to another transit gateway. `
      + 'A transit gateway route table can only use attachments of its own transit gateway, so deploying this route fails; the walk drops traffic at it.');
  }
  if (attachment !== undefined) {
    table.staticRoutes.push({ node: context.node, destination, target: { kind: 'attachment', attachment: attachment.node.key }, origin: 'static' });
  }
}

function routeTableOf(builder: ModelBuilder, context: ResourceContext, value: unknown): TgwRouteTableModel | undefined {
  const reference = builder.reference(context, value, 'transit gateway route table');
  const table = reference.kind === 'resource' ? builder.model.tgwRouteTables.get(reference.key) : undefined;
  if (table === undefined && reference.kind !== 'none') {
    builder.gap(context.node, `it names the transit gateway route table ${keyOf(reference)}, which is not in the assemblies, so it is left out`);
  }
  return table;
}

/**
 * Returns the attachment a resource names. An attachment outside the assemblies becomes
 * an external attachment of the route table's transit gateway.
 */
function attachmentOf(builder: ModelBuilder, context: ResourceContext, value: unknown, table?: TgwRouteTableModel): AttachmentModel | undefined {
  const reference = builder.reference(context, value, 'transit gateway attachment');
  if (reference.kind === 'resource') {
    const attachment = builder.model.attachments.get(reference.key);
    if (attachment === undefined) {
      builder.gap(context.node, `it names ${reference.key}, which is not a transit gateway attachment`);
    } else if (HYBRID_ATTACHMENT_KINDS.includes(attachment.kind) && table !== undefined
      && !attachment.transitGateways.includes(table.transitGateway)) {
      attachment.transitGateways.push(table.transitGateway);
    }
    return attachment;
  }
  if (reference.kind !== 'external') {
    return undefined;
  }
  const existing = builder.model.attachments.get(reference.key);
  if (existing !== undefined) {
    if (table !== undefined && !existing.transitGateways.includes(table.transitGateway)) {
      existing.transitGateways.push(table.transitGateway);
    }
    return existing;
  }
  const node: NodeRef = builder.model.externals.get(reference.key)!.node;
  const created: AttachmentModel = {
    node,
    kind: 'external',
    transitGateways: table === undefined ? [] : [table.transitGateway],
    subnets: [],
    applianceMode: false,
    associations: [],
  };
  builder.model.attachments.set(reference.key, created);
  return created;
}

/**
 * Places attachments in the implicit default route table when the transit gateway's
 * defaults are on. Attachments with no explicit association there are associated with
 * it, and every VPC attachment propagates into it.
 */
function applyDefaultRouteTable(builder: ModelBuilder, gatewayKey: string): void {
  const gateway = builder.model.transitGateways.get(gatewayKey);
  const table = gateway?.defaultRouteTable === undefined ? undefined : builder.model.tgwRouteTables.get(gateway.defaultRouteTable);
  if (gateway === undefined || table === undefined) {
    return;
  }
  for (const attachment of builder.model.attachments.values()) {
    if (!attachment.transitGateways.includes(gatewayKey)) {
      continue;
    }
    const associatedHere = attachment.associations.some((a) => builder.model.tgwRouteTables.get(a.routeTable)?.transitGateway === gatewayKey);
    if (gateway.defaultAssociation && !associatedHere) {
      attachment.associations.push({ routeTable: table.node.key, node: gateway.node });
    }
    // A peering attachment never propagates routes.
    if (gateway.defaultPropagation && attachment.kind === 'vpc') {
      table.propagations.push({ attachment: attachment.node.key, node: gateway.node });
    }
  }
}

function keyOf(reference: Reference): string {
  return reference.kind === 'resource' || reference.kind === 'external' ? reference.key : '';
}
