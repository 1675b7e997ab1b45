import { Annotations, CfnResource, Token, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RoutingDomain } from '../routing-domain';
import type { ITransitHub } from '../transit-hub';
import { HubRegistry } from './hub-registry';
import { cidrRouteId } from './route-ids';
import { PropsValidator, pascalCase } from './validation';

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
 * this way, so the firewall inspects both directions.
 *
 * The resources are created in `scope`, which must be in the hub's account. Warns when
 * the policy connects the domain to nothing, because the attachment then routes nowhere.
 * Returns the association, propagations and routes, so that other routes can depend on them.
 * Throws if the attachment is already connected to the hub, because a transit gateway
 * attachment can be associated with only one route table. Also throws if an inspected
 * peer exists and the hub has no inspection yet or `cidrs` is not given, and if a peer's
 * route table already has a route to one of `cidrs` where the hub would add one.
 */
export function connectAttachment(scope: Construct, hub: ITransitHub, attachmentId: string, domain: RoutingDomain, cidrs?: string[]): CfnResource[] {
  const registry = HubRegistry.of(hub);
  const inspectedPeers = inspectedPeersOf(hub, domain);
  const inspection = registry.inspection;
  const inspectionProblem = missingInspectionProblem(hub, domain) ?? missingCidrsProblem(hub, domain, cidrs);
  if (inspectionProblem !== undefined) {
    throw new Error(`${scope.node.path}: ${inspectionProblem}`);
  }
  if (inspection !== undefined) {
    validateInspectedRoutes(scope, hub, inspectedPeers, cidrs ?? []);
  }

  registry.claimAttachment(attachmentId, domain, scope.node.path);
  warnIfUnconnected(scope, hub, domain);

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
        const route = new ec2.CfnTransitGatewayRoute(scope, `InspectedRouteIn${pascalCase(peer)}${cidrRouteId(cidr, index, 'Range')}`, {
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

/** Returns the domains connected to `domain` whose traffic with it the hub's policy inspects. */
export function inspectedPeersOf(hub: ITransitHub, domain: RoutingDomain): RoutingDomain[] {
  return hub.routingPolicy.peersOf(domain).filter((peer) => hub.routingPolicy.inspects(domain, peer));
}

/**
 * Describes why an attachment of `domain` cannot be connected yet because the policy
 * inspects one of its connections and the hub has no inspection, or returns undefined.
 */
export function missingInspectionProblem(hub: ITransitHub, domain: RoutingDomain): string | undefined {
  const inspectedPeers = inspectedPeersOf(hub, domain);
  if (inspectedPeers.length === 0 || HubRegistry.of(hub).inspection !== undefined) {
    return undefined;
  }
  return `the routing policy of transit hub ${hub.node.path} inspects traffic between ${describePairs(domain, inspectedPeers)}, but the hub has no `
    + 'EastWestInspection yet, so the attachment could only be routed around the firewall. Create the EastWestInspection on this hub '
    + 'before the VPCs of inspected domains, or remove inspected from those connections.';
}

/**
 * Describes why an attachment of `domain` needs CIDR blocks that `cidrs` does not give,
 * or returns undefined. The description is a clause that can follow `cidrs is undefined; `.
 */
export function missingCidrsProblem(hub: ITransitHub, domain: RoutingDomain, cidrs: readonly unknown[] | undefined): string | undefined {
  const inspectedPeers = inspectedPeersOf(hub, domain);
  if (inspectedPeers.length === 0 || (cidrs !== undefined && cidrs.length > 0)) {
    return undefined;
  }
  return `the routing policy of transit hub ${hub.node.path} inspects traffic between ${describePairs(domain, inspectedPeers)}, so the hub routes `
    + 'the ranges of the VPC behind the attachment through the firewall, and none were given. Pass the CIDR blocks of the VPC behind the attachment.';
}

/**
 * Throws one error listing each of `cidrs` to which an inspected peer's route table
 * already has a static or blackhole route. The hub adds its own static route there, and
 * a route table contains one route for each destination.
 */
function validateInspectedRoutes(scope: Construct, hub: ITransitHub, inspectedPeers: RoutingDomain[], cidrs: string[]): void {
  const registry = HubRegistry.of(hub);
  const validator = new PropsValidator(`inspected routes of the attachment connected by ${scope.node.path}`);
  for (const peer of inspectedPeers) {
    for (const cidr of cidrs) {
      const existing = registry.routeTo(peer, cidr);
      if (existing !== undefined) {
        validator.fail(`the attachment's range ${describeCidr(cidr)} clashes with the ${existing.kind} route to it in the ${peer} route table of transit hub `
          + `${hub.node.path}, added by ${existing.path}. The hub would route the range to the inspection firewall there, and a route table contains `
          + `one static or blackhole route for each destination, so the attachment's range overlaps another range routed in the ${peer} domain. `
          + 'Give the VPC behind the attachment a range of its own, for example from AddressPlan.cidrFor().');
      }
    }
  }
  validator.throwIfInvalid();
}

/**
 * Warns when the hub's policy connects `domain` to no domain, not even itself: the
 * attachment then has no route to anything and nothing has a route to it.
 */
function warnIfUnconnected(scope: Construct, hub: ITransitHub, domain: RoutingDomain): void {
  if (hub.routingPolicy.peersOf(domain).length > 0) {
    return;
  }
  Annotations.of(scope).addWarningV2('@ssd-platform/transit-network:attachmentDomainUnconnected',
    `The attachment is placed in the ${domain} domain, which the routing policy of transit hub ${hub.node.path} connects to no domain, `
    + 'so nothing routes to or from it. Add a connection of that domain to the hub\'s routingPolicy, or place the attachment in a connected domain.');
}

/** Joins a domain and each of its peers as in a sentence: `a and b, a and c`. */
function describePairs(domain: RoutingDomain, peers: RoutingDomain[]): string {
  return peers.map((peer) => `${domain} and ${peer}`).join(', ');
}

function describeCidr(cidr: string): string {
  return Token.isUnresolved(cidr) ? '(a token)' : cidr;
}
