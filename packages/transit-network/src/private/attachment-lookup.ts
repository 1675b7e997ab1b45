import { CfnResource, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider } from './custom-resource-provider';
import { addNagSuppressions } from './nag-suppressions';

const ATTACHMENT_ID_PATH = 'TransitGatewayAttachments.0.TransitGatewayAttachmentId';

/** The search that `lookUpTransitGatewayAttachmentId` runs. */
export interface AttachmentLookupOptions {
  /** The type of the custom resource, such as `Custom::VpnAttachmentLookup`. */
  readonly resourceType: string;
  /** The filters of the `DescribeTransitGatewayAttachments` call that find exactly one attachment. */
  readonly filters: Array<{ readonly Name: string; readonly Values: string[] }>;
  /** The reason, recorded for cdk-nag, that the custom resource's inline policy is acceptable. */
  readonly inlinePolicyReason: string;
  /**
   * A construct that must exist before the lookup runs, such as the resource whose
   * creation creates the attachment.
   *
   * @default - no dependency
   */
  readonly after?: IConstruct;
}

/**
 * Returns the ID of the transit gateway attachment that the filters find, as a value that
 * resolves at deploy time.
 *
 * Some resources create a transit gateway attachment without returning its ID. A custom
 * resource looks the attachment up with `DescribeTransitGatewayAttachments`, and runs
 * again when a value in the filters changes.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeTransitGatewayAttachments.html
 */
export function lookUpTransitGatewayAttachmentId(scope: Construct, id: string, options: AttachmentLookupOptions): string {
  const call: cr.AwsSdkCall = {
    service: 'EC2',
    action: 'describeTransitGatewayAttachments',
    parameters: {
      Filters: options.filters,
    },
    outputPaths: [ATTACHMENT_ID_PATH],
    physicalResourceId: cr.PhysicalResourceId.fromResponse(ATTACHMENT_ID_PATH),
  };

  const lookup = new cr.AwsCustomResource(scope, id, {
    resourceType: options.resourceType,
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['ec2:DescribeTransitGatewayAttachments'], resources: ['*'] }),
    ]),
  });
  if (options.after !== undefined) {
    lookup.node.addDependency(options.after);
  }

  suppressFindings(scope, lookup, options.inlinePolicyReason);
  return lookup.getResponseField(ATTACHMENT_ID_PATH);
}

/**
 * Records why the custom resource's policy, and the Lambda function that runs it, do not
 * meet some cdk-nag rules.
 */
function suppressFindings(scope: Construct, lookup: cr.AwsCustomResource, inlinePolicyReason: string): void {
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
        reason: inlinePolicyReason,
      },
    ]);
  }

  acknowledgeAwsCustomResourceProvider(scope);
}
