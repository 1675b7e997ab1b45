import { CfnResource, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { RoutingDomain } from '../routing-domain';
import type { ITransitHub } from '../transit-hub';
import { HubRegistry } from './hub-registry';
import { pascalCase } from './validation';

/**
 * Places a transit gateway attachment in a routing domain: associates it with the
 * domain's route table and propagates its routes only into the route tables of the
 * domains that the hub's policy connects to it.
 *
 * The resources are created in `scope`, which must be in the hub's account.
 * Returns the association and propagations, so that routes can depend on them.
 * Throws if the attachment is already connected to the hub, because a transit gateway
 * attachment can be associated with only one route table.
 */
export function connectAttachment(scope: Construct, hub: ITransitHub, attachmentId: string, domain: RoutingDomain): CfnResource[] {
  HubRegistry.of(hub).claimAttachment(attachmentId, domain, scope.node.path);

  const created: CfnResource[] = [];
  created.push(new ec2.CfnTransitGatewayRouteTableAssociation(scope, 'Association', {
    transitGatewayAttachmentId: attachmentId,
    transitGatewayRouteTableId: hub.routeTableId(domain),
  }));
  for (const peer of hub.routingPolicy.peersOf(domain)) {
    created.push(new ec2.CfnTransitGatewayRouteTablePropagation(scope, `PropagationTo${pascalCase(peer)}`, {
      transitGatewayAttachmentId: attachmentId,
      transitGatewayRouteTableId: hub.routeTableId(peer),
    }));
  }
  return created;
}
