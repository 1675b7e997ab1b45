import { CfnResource, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider } from './custom-resource-provider';
import { addNagSuppressions } from './nag-suppressions';

const ATTACHMENT_ID_PATH = 'TransitGatewayAttachments.0.TransitGatewayAttachmentId';

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
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'describeTransitGatewayAttachments',
    parameters: {
      Filters: [
        { Name: 'resource-id', Values: [directConnectGatewayId] },
        { Name: 'resource-type', Values: ['direct-connect-gateway'] },
        { Name: 'transit-gateway-id', Values: [transitGatewayId] },
        { Name: 'state', Values: ['pending', 'available', 'modifying'] },
      ],
    },
    outputPaths: [ATTACHMENT_ID_PATH],
    physicalResourceId: cr.PhysicalResourceId.fromResponse(ATTACHMENT_ID_PATH),
  };

  const lookup = new cr.AwsCustomResource(scope, id, {
    resourceType: 'Custom::DirectConnectGatewayAttachmentLookup',
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ec2:DescribeTransitGatewayAttachments'], resources: ['*'] }),
    ]),
  });
  // The attachment exists only once the association does.
  lookup.node.addDependency(association);

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
        reason: 'AwsCustomResource attaches its policy inline; it allows one read-only EC2 action that finds the Direct Connect gateway attachment.',
      },
    ]);
  }

  acknowledgeAwsCustomResourceProvider(scope);
}
