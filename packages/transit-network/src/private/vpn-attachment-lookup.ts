import { aws_ec2 as ec2 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { lookUpTransitGatewayAttachmentId } from './attachment-lookup';

/**
 * Returns the ID of a VPN connection's transit gateway attachment, as a value that
 * resolves at deploy time.
 *
 * `AWS::EC2::VPNConnection` returns only the connection's ID, although creating it on a
 * transit gateway also creates an attachment. A custom resource looks the attachment up
 * with `DescribeTransitGatewayAttachments`, filtered by the connection's ID, and runs
 * again when the connection is replaced.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayAttachments.html
 */
export function lookUpVpnAttachmentId(scope: Construct, id: string, connection: ec2.CfnVPNConnection, transitGatewayId: string): string {
  return lookUpTransitGatewayAttachmentId(scope, id, {
    resourceType: 'Custom::VpnAttachmentLookup',
    filters: [
      { Name: 'resource-id', Values: [connection.ref] },
      { Name: 'resource-type', Values: ['vpn'] },
      { Name: 'transit-gateway-id', Values: [transitGatewayId] },
    ],
    inlinePolicyReason: 'AwsCustomResource attaches its policy inline; it allows one read-only EC2 action that describes transit gateway attachments.',
  });
}
