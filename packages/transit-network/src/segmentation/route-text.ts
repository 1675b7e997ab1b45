import { NetworkModel, NodeRef, TgwRoute, VpcRoute, nodeLabel } from './model';
import { formatCidr } from '../private/cidr';

/** The route a hop used. */
export interface RouteUsed {
  /** The route's destination block. */
  readonly destination: string;
  /** The route's origin: a route resource, a static or propagated transit gateway route, or the VPC's local route. */
  readonly origin: 'route' | 'static' | 'propagated' | 'local';
  /** The route resource, or the propagation or attachment behind a propagated route. */
  readonly node?: NodeRef;
  /** The route as a reviewer reads it, such as `0.0.0.0/0 to transit gateway X (route Y)`. */
  readonly text: string;
}

/** Describes the VPC route a hop used. */
export function describeVpcRoute(model: NetworkModel, route: VpcRoute): RouteUsed {
  const destination = formatCidr(route.destination);
  const target = route.target;
  if (target.kind === 'local') {
    return { destination, origin: 'local', text: `${destination} local` };
  }
  const label = (node: NodeRef | undefined, key: string) => (node === undefined ? key : nodeLabel(node));
  let targetText: string;
  switch (target.kind) {
    case 'transit-gateway':
      targetText = `transit gateway ${gatewayName(model, target.transitGateway)}`;
      break;
    case 'internet-gateway':
      targetText = `internet gateway ${label(model.internetGateways.get(target.internetGateway)?.node, target.internetGateway)}`;
      break;
    case 'nat-gateway':
      targetText = `NAT gateway ${label(model.natGateways.get(target.natGateway)?.node, target.natGateway)}`;
      break;
    case 'network-firewall-endpoint':
      targetText = `the endpoint of firewall ${label(model.firewalls.get(target.firewall)?.node, target.firewall)} in ${target.zone}`;
      break;
    case 'gateway-load-balancer-endpoint':
      targetText = `Gateway Load Balancer endpoint ${label(model.endpoints.get(target.endpoint)?.node, target.endpoint)}`;
      break;
    case 'vpc-peering-connection':
      targetText = `peering connection ${label(model.peerings.get(target.peering)?.node, target.peering)}`;
      break;
    default:
      targetText = target.description;
  }
  return { destination, origin: 'route', node: route.node, text: `${destination} to ${targetText} (route ${nodeLabel(route.node)})` };
}

/** Describes the transit gateway route a hop used. */
export function describeTgwRoute(model: NetworkModel, route: TgwRoute): RouteUsed {
  const destination = formatCidr(route.destination);
  if (route.target.kind === 'blackhole') {
    return { destination, origin: 'static', node: route.node, text: `${destination} blackhole (route ${nodeLabel(route.node)})` };
  }
  const attachment = model.attachments.get(route.target.attachment);
  const to = attachment === undefined ? route.target.attachment : nodeLabel(attachment.node);
  return route.origin === 'static'
    ? { destination, origin: 'static', node: route.node, text: `${destination} to attachment ${to} (static route ${nodeLabel(route.node)})` }
    : { destination, origin: 'propagated', node: route.node, text: `${destination} to attachment ${to} (propagated by ${nodeLabel(route.node)})` };
}

/** Names a VPC for a message: its Name tag, or its key. */
export function vpcName(model: NetworkModel, vpcKey: string): string {
  return model.vpcs.get(vpcKey)?.node.name ?? vpcKey;
}

/** Names a transit gateway for a message: its construct path, or its ID marked external. */
export function gatewayName(model: NetworkModel, gatewayKey: string): string {
  const gateway = model.transitGateways.get(gatewayKey);
  if (gateway !== undefined) {
    return nodeLabel(gateway.node);
  }
  return gatewayKey.startsWith('external:') ? `${gatewayKey.slice('external:'.length)} (external)` : gatewayKey;
}
