import { CfnResource, aws_ec2 as ec2, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider } from './custom-resource-provider';
import { addNagSuppressions } from './nag-suppressions';

const ATTACHMENT_ID_PATH = 'TransitGatewayAttachments.0.TransitGatewayAttachmentId';

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
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'describeTransitGatewayAttachments',
    parameters: {
      Filters: [
        { Name: 'resource-id', Values: [connection.ref] },
        { Name: 'resource-type', Values: ['vpn'] },
        { Name: 'transit-gateway-id', Values: [transitGatewayId] },
      ],
    },
    outputPaths: [ATTACHMENT_ID_PATH],
    physicalResourceId: cr.PhysicalResourceId.fromResponse(ATTACHMENT_ID_PATH),
  };

  const lookup = new cr.AwsCustomResource(scope, id, {
    resourceType: 'Custom::VpnAttachmentLookup',
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ec2:DescribeTransitGatewayAttachments'], resources: ['*'] }),
    ]),
  });

  suppressFindings(scope, lookup);
  return lookup.getResponseField(ATTACHMENT_ID_PATH);
}

/**
 * Records why the custom resource's policy, and the Lambda function that runs it, do not
 * meet some cdk-nag rules.
 */
function suppressFindings(scope: Construct, lookup: cr.AwsCustomResource): void {
  const policy = lookup.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    addNagSuppressions(policy, [
      {
        id: 'AwsSolutions-IAM5',
        reason: 'ec2:DescribeTransitGatewayAttachments supports no resource-level permissions, so IAM accepts only Resource "*" for it; the action only reads.',
        appliesTo: ['Resource::*'],
      },
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'AwsCustomResource attaches its policy inline; it allows one read-only EC2 action that describes transit gateway attachments.',
      },
    ]);
  }

  acknowledgeAwsCustomResourceProvider(scope);
}
