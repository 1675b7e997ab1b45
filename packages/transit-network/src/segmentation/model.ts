import { Ipv4Block } from '../private/cidr';

/**
 * The network model of one or more cloud assemblies: the transit gateways, VPCs and
 * routes between them that the templates define.
 *
 * Every resource is keyed `<stack label>/<logical ID>`. Values that name nothing in the
 * assemblies, such as a transit gateway ID typed into configuration, become external
 * nodes keyed `external:<value>`, and the walk stops there.
 */

/** The kinds of node in the model, with AWS's names. */
export type NodeKind =
  | 'vpc'
  | 'subnet'
  | 'route-table'
  | 'transit-gateway'
  | 'transit-gateway-route-table'
  | 'transit-gateway-attachment'
  | 'internet-gateway'
  | 'nat-gateway'
  | 'network-firewall'
  | 'network-firewall-endpoint'
  | 'gateway-load-balancer-endpoint'
  | 'vpc-peering-connection'
  | 'route'
  | 'transit-gateway-route'
  | 'association'
  | 'propagation'
  | 'resource'
  | 'external';

/** A resource of a template, or an external value, as reports name it. */
export interface NodeRef {
  readonly key: string;
  readonly kind: NodeKind;
  /** The stack label, or undefined for an external node. */
  readonly stack?: string;
  /** The logical ID, or the external value. */
  readonly logicalId: string;
  /** The construct path, where the assembly records it. */
  readonly constructPath?: string;
  /** The resource's Name tag. */
  readonly name?: string;
}

export interface VpcModel {
  readonly node: NodeRef;
  /** The primary CIDR block and any secondary ones; empty if none could be read. */
  readonly cidrs: Ipv4Block[];
  readonly subnets: string[];
  /** The value of the RoutingDomain tag, if any. */
  readonly domainTag?: string;
  /** The key of the VPC's main route table, which the templates cannot change: it has only the local route. */
  readonly mainRouteTable: string;
}

export interface SubnetModel {
  readonly node: NodeRef;
  readonly vpc: string;
  /** The availability zone, or a placeholder text when only its index is known. */
  readonly zone: string;
  readonly cidr?: Ipv4Block;
  /** The subnet's route table: the associated one, or the VPC's main route table. */
  routeTable: string;
}

/** The target of a VPC route. */
export type VpcRouteTarget =
  | { readonly kind: 'transit-gateway'; readonly transitGateway: string }
  | { readonly kind: 'internet-gateway'; readonly internetGateway: string }
  | { readonly kind: 'nat-gateway'; readonly natGateway: string }
  | { readonly kind: 'network-firewall-endpoint'; readonly firewall: string; readonly zone: string }
  | { readonly kind: 'gateway-load-balancer-endpoint'; readonly endpoint: string }
  | { readonly kind: 'vpc-peering-connection'; readonly peering: string }
  | { readonly kind: 'local' }
  /** A target this model does not follow, such as an instance, a network interface or a virtual private gateway. */
  | { readonly kind: 'unmodelled'; readonly description: string; readonly target?: string };

export interface VpcRoute {
  /** The route resource, or the VPC for a local route. */
  readonly node: NodeRef;
  readonly destination: Ipv4Block;
  readonly target: VpcRouteTarget;
}

export interface VpcRouteTableModel {
  readonly node: NodeRef;
  readonly vpc: string;
  readonly routes: VpcRoute[];
  /** Whether this is the implicit main route table of a VPC. */
  readonly main: boolean;
}

export interface TransitGatewayModel {
  readonly node: NodeRef;
  /** Whether attachments without an explicit association use the default route table. */
  readonly defaultAssociation: boolean;
  /** Whether every attachment propagates into the default route table. */
  readonly defaultPropagation: boolean;
  /** The key of the implicit default route table, present when either default is on. */
  readonly defaultRouteTable?: string;
}

/** The target of a transit gateway route. */
export type TgwRouteTarget =
  | { readonly kind: 'attachment'; readonly attachment: string }
  | { readonly kind: 'blackhole' };

export interface TgwRoute {
  readonly node: NodeRef;
  readonly destination: Ipv4Block;
  readonly target: TgwRouteTarget;
  /** Static routes come from TransitGatewayRoute resources; propagated ones from a propagation. */
  readonly origin: 'static' | 'propagated';
}

export interface TgwRouteTableModel {
  readonly node: NodeRef;
  readonly transitGateway: string;
  /** The value of the route table's RoutingDomain tag, if any. */
  readonly domain?: string;
  readonly staticRoutes: TgwRoute[];
  /** The attachments that propagate into this route table, with the propagation resource. */
  readonly propagations: Array<{ readonly attachment: string; readonly node: NodeRef }>;
  /** Whether this is the implicit default route table of a transit gateway. */
  readonly implicitDefault: boolean;
}

/**
 * The kind of a transit gateway attachment: a VPC, a peering with another transit
 * gateway, a Site-to-Site VPN or Direct Connect gateway (hybrid links to networks outside
 * AWS, found through this package's attachment lookups), or an ID from outside the assemblies.
 */
export type AttachmentKind = 'vpc' | 'peering' | 'vpn' | 'direct-connect-gateway' | 'external';

/** The attachment kinds that lead to networks outside AWS. */
export const HYBRID_ATTACHMENT_KINDS: ReadonlyArray<AttachmentKind> = ['vpn', 'direct-connect-gateway'];

export interface AttachmentModel {
  readonly node: NodeRef;
  readonly kind: AttachmentKind;
  /** The transit gateways the attachment joins: one for a VPC attachment, two for a peering. */
  readonly transitGateways: string[];
  readonly vpc?: string;
  readonly subnets: string[];
  /** Whether appliance mode is on, so that a flow may land in any of the attachment's zones. */
  readonly applianceMode: boolean;
  /** The value of the attachment's RoutingDomain tag, if any. */
  readonly domainTag?: string;
  /** The route tables the attachment is associated with, with the association resource. */
  readonly associations: Array<{ readonly routeTable: string; readonly node: NodeRef }>;
}

export interface InternetGatewayModel {
  readonly node: NodeRef;
  readonly vpcs: string[];
}

export interface NatGatewayModel {
  readonly node: NodeRef;
  readonly subnet: string;
}

export interface FirewallModel {
  readonly node: NodeRef;
  readonly vpc?: string;
  /** The firewall's subnets: one endpoint sits in each. */
  readonly subnets: string[];
}

export interface EndpointModel {
  readonly node: NodeRef;
  readonly vpc?: string;
  readonly subnets: string[];
}

export interface PeeringModel {
  readonly node: NodeRef;
  readonly vpc: string;
  readonly peerVpc: string;
}

/** Something the model saw but could not follow, which a report must show. */
export interface ModelGap {
  readonly node?: NodeRef;
  readonly message: string;
}

/** A value that names nothing in the assemblies, and where it was used. */
export interface ExternalModel {
  readonly node: NodeRef;
  /** The roles the value was used in, such as `transit gateway`. */
  readonly usedAs: string[];
  /** The resources that use it. */
  readonly usedBy: NodeRef[];
}

export interface NetworkModel {
  readonly vpcs: Map<string, VpcModel>;
  readonly subnets: Map<string, SubnetModel>;
  readonly routeTables: Map<string, VpcRouteTableModel>;
  readonly transitGateways: Map<string, TransitGatewayModel>;
  readonly tgwRouteTables: Map<string, TgwRouteTableModel>;
  readonly attachments: Map<string, AttachmentModel>;
  readonly internetGateways: Map<string, InternetGatewayModel>;
  readonly natGateways: Map<string, NatGatewayModel>;
  readonly firewalls: Map<string, FirewallModel>;
  readonly endpoints: Map<string, EndpointModel>;
  readonly peerings: Map<string, PeeringModel>;
  readonly externals: Map<string, ExternalModel>;
  readonly gaps: ModelGap[];
}

/** Returns an empty model. */
export function emptyModel(): NetworkModel {
  return {
    vpcs: new Map(),
    subnets: new Map(),
    routeTables: new Map(),
    transitGateways: new Map(),
    tgwRouteTables: new Map(),
    attachments: new Map(),
    internetGateways: new Map(),
    natGateways: new Map(),
    firewalls: new Map(),
    endpoints: new Map(),
    peerings: new Map(),
    externals: new Map(),
    gaps: [],
  };
}

/** Names a node for a report: its construct path where known, else `<stack>/<logical ID>`. */
export function nodeLabel(node: NodeRef): string {
  if (node.kind === 'external') {
    return `${node.logicalId} (external)`;
  }
  return node.constructPath ?? `${node.stack}/${node.logicalId}`;
}

/** Names a VPC for a report: its Name tag with its key, or its key alone. */
export function vpcLabel(vpc: VpcModel): string {
  return vpc.node.name ? `${vpc.node.name} (${vpc.node.key})` : vpc.node.key;
}

/** Returns the transit gateways a VPC is attached to, through its VPC attachments. */
export function transitGatewaysOf(model: NetworkModel, vpcKey: string): string[] {
  const gateways = new Set<string>();
  for (const attachment of model.attachments.values()) {
    if (attachment.kind === 'vpc' && attachment.vpc === vpcKey) {
      attachment.transitGateways.forEach((gateway) => gateways.add(gateway));
    }
  }
  return [...gateways];
}
