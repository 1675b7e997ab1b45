import { CfnResource, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RoutingDomain } from '../routing-domain';
import type { ITransitHub } from '../transit-hub';
import { HubRegistry } from './hub-registry';
import { pascalCase } from './validation';

/**
 * Places a transit gateway attachment in a routing domain: associates it with the
 * domain's route table and makes it reachable from the domains that the hub's policy
 * connects to it.
 *
 * For a connection the policy does not inspect, the attachment propagates its routes
 * into the peer domain's route table. For an inspected connection, the peer's route
 * table instead gets a static route for each of `cidrs` to the hub's inspection
 * attachment, and the attachment propagates into the inspection route table, so that
 * traffic leaving the firewall finds it. Both ends of an inspected pair are connected
 * this way, so the firewall sees both directions.
 *
 * The resources are created in `scope`, which must be in the hub's account.
 * Returns the association, propagations and routes, so that other routes can depend on them.
 * Throws if the attachment is already connected to the hub, because a transit gateway
 * attachment can be associated with only one route table; if an inspected peer exists
 * and the hub has no inspection yet; and if an inspected peer exists and `cidrs` is not given.
 */
export function connectAttachment(scope: Construct, hub: ITransitHub, attachmentId: string, domain: RoutingDomain, cidrs?: string[]): CfnResource[] {
  const registry = HubRegistry.of(hub);
  const inspectedPeers = hub.routingPolicy.peersOf(domain).filter((peer) => hub.routingPolicy.inspects(domain, peer));
  const inspection = registry.inspection;
  if (inspectedPeers.length > 0) {
    const pairs = inspectedPeers.map((peer) => `${domain} and ${peer}`).join(', ');
    if (inspection === undefined) {
      throw new Error(`${scope.node.path}: the routing policy of transit hub ${hub.node.path} inspects traffic between ${pairs}, but the hub has no `
        + 'EastWestInspection yet, so the attachment could only be routed around the firewall. Create the EastWestInspection on this hub '
        + 'before the VPCs of inspected domains, or remove inspected from those connections.');
    }
    if (cidrs === undefined || cidrs.length === 0) {
      throw new Error(`${scope.node.path}: the routing policy of transit hub ${hub.node.path} inspects traffic between ${pairs}, so the hub needs `
        + 'the attachment\'s CIDR blocks to route them through the firewall, and none were given. Pass the CIDR blocks of the VPC behind the attachment.');
    }
  }

  registry.claimAttachment(attachmentId, domain, scope.node.path);

  const created: CfnResource[] = [];
  created.push(new ec2.CfnTransitGatewayRouteTableAssociation(scope, 'Association', {
    transitGatewayAttachmentId: attachmentId,
    transitGatewayRouteTableId: hub.routeTableId(domain),
  }));
  for (const peer of hub.routingPolicy.peersOf(domain)) {
    if (!inspectedPeers.includes(peer)) {
      created.push(new ec2.CfnTransitGatewayRouteTablePropagation(scope, `PropagationTo${pascalCase(peer)}`, {
        transitGatewayAttachmentId: attachmentId,
        transitGatewayRouteTableId: hub.routeTableId(peer),
      }));
    }
  }

  if (inspection !== undefined && inspectedPeers.length > 0) {
    created.push(new ec2.CfnTransitGatewayRouteTablePropagation(scope, 'PropagationToInspection', {
      transitGatewayAttachmentId: attachmentId,
      transitGatewayRouteTableId: inspection.routeTableId,
    }));
    for (const peer of inspectedPeers) {
      (cidrs ?? []).forEach((cidr, index) => {
        const id = `InspectedRouteIn${pascalCase(peer)}${cidrIdPart(cidr, index)}`;
        const problem = registry.routeProblem(peer, cidr);
        if (problem !== undefined) {
          throw new Error(`${scope.node.path}/${id}: ${problem}`);
        }
        const route = new ec2.CfnTransitGatewayRoute(scope, id, {
          transitGatewayRouteTableId: hub.routeTableId(peer),
          destinationCidrBlock: cidr,
          transitGatewayAttachmentId: inspection.attachmentId,
        });
        registry.claimRoute(peer, cidr, 'static', route.node.path);
        created.push(route);
      });
    }
  }
  return created;
}

/** Returns the construct ID part for a route to `cidr`: the CIDR itself, or its position for a token. */
function cidrIdPart(cidr: string, index: number): string {
  return Token.isUnresolved(cidr) ? `Range${index}` : `Cidr${cidr.replace(/[./]/g, 'x')}`;
}
