import { CfnResource, Stack, aws_ec2 as ec2, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ignoreCfnLintChecks } from './cfn-lint-directives';
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
 * The construct ID of the Lambda function that runs every AwsCustomResource of a stack,
 * derived from a UUID fixed in aws-cdk-lib (checked with 2.257.0). If a release changes
 * it, the suppressions are not recorded and the cdk-nag unit test fails.
 */
const PROVIDER_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Records why the custom resource's policy, and the Lambda function that runs it, do not
 * meet some cdk-nag rules. The function is a singleton shared by every AwsCustomResource
 * of the stack, so its suppressions are recorded on it whichever custom resource comes first.
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

  const provider = Stack.of(scope).node.tryFindChild(PROVIDER_FUNCTION_ID);
  const fn = provider?.node.defaultChild;
  if (fn instanceof CfnResource) {
    addNagSuppressions(fn, [
      { id: 'AwsSolutions-L1', reason: 'The runtime of the AwsCustomResource provider function is set by aws-cdk-lib, not by this construct.' },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'The AwsCustomResource provider function runs only when CloudFormation creates, updates or deletes a custom resource; a concurrency limit could only fail deployments.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'The AwsCustomResource provider function is invoked by CloudFormation, which receives every failure, so a dead-letter queue would hold nothing.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The AwsCustomResource provider function calls AWS APIs only and holds no data; in a VPC it would need endpoints for those APIs.',
      },
    ]);
    // aws-cdk-lib gives the function a DependsOn on its role, which its GetAtt of the role already implies.
    ignoreCfnLintChecks(fn, ['W3005']);
  }

  // With the feature flags of a new app, aws-cdk-lib gives the function a log group of its own.
  const logGroup = provider?.node.tryFindChild('LogGroup')?.node.defaultChild;
  if (logGroup instanceof CfnResource) {
    addNagSuppressions(logGroup, [{
      id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
      reason: 'The AwsCustomResource provider log group records only its AWS API calls, with no workload data; CloudWatch Logs encrypts it with a service key.',
    }]);
  }

  const role = provider?.node.tryFindChild('ServiceRole')?.node.defaultChild;
  if (role instanceof CfnResource) {
    addNagSuppressions(role, [{
      id: 'AwsSolutions-IAM4',
      reason: 'AWSLambdaBasicExecutionRole only lets the AwsCustomResource provider function write its own CloudWatch Logs.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    }]);
  }
}
