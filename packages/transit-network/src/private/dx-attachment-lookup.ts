import { Construct, IConstruct } from 'constructs';
import { lookUpTransitGatewayAttachmentId } from './attachment-lookup';

/**
 * Returns the ID of the transit gateway attachment of a Direct Connect gateway, as a
 * value that resolves at deploy time.
 *
 * Associating a Direct Connect gateway with a transit gateway creates an attachment,
 * but `AWS::DirectConnect::DirectConnectGatewayAssociation` returns only the association
 * ID. A custom resource created after `association` looks the attachment up with
 * `DescribeTransitGatewayAttachments`, filtered by the Direct Connect gateway ID and the
 * transit gateway. It also filters by the states of a live attachment, so that a deleted
 * attachment of an earlier association is never returned. It runs again when either ID
 * changes.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayAttachments.html
 */
export function lookUpDirectConnectGatewayAttachmentId(
  scope: Construct, id: string, directConnectGatewayId: string, transitGatewayId: string, association: IConstruct,
): string {
  return lookUpTransitGatewayAttachmentId(scope, id, {
    resourceType: 'Custom::DirectConnectGatewayAttachmentLookup',
    filters: [
      { Name: 'resource-id', Values: [directConnectGatewayId] },
      { Name: 'resource-type', Values: ['direct-connect-gateway'] },
      { Name: 'transit-gateway-id', Values: [transitGatewayId] },
      { Name: 'state', Values: ['pending', 'available', 'modifying'] },
    ],
    inlinePolicyReason: 'AwsCustomResource attaches its policy inline; it allows one read-only EC2 action that finds the Direct Connect gateway attachment.',
    // The attachment exists only once the association does.
    after: association,
  });
}
