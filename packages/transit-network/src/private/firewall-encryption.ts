import { CfnResource, Stack, aws_iam as iam, aws_kms as kms, aws_networkfirewall as networkfirewall, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ignoreCfnLintChecks } from './cfn-lint-directives';
import { addNagSuppressions } from './nag-suppressions';

/**
 * Sets a customer managed key on a firewall with the Network Firewall API, after
 * CloudFormation has created the firewall.
 *
 * `AWS::NetworkFirewall::Firewall` has no `EncryptionConfiguration` property, although
 * the `CreateFirewall` API has one, so CloudFormation alone leaves the firewall on an AWS
 * owned key. `UpdateFirewallEncryptionConfiguration` changes the key of an existing
 * firewall and nothing else, and CloudFormation never calls it, so a later stack update
 * does not undo it. The call runs again when the firewall or the key changes.
 *
 * @see https://docs.aws.amazon.com/goto/cli2/network-firewall-2020-11-12/UpdateFirewallEncryptionConfiguration
 */
export function encryptFirewall(scope: Construct, id: string, firewall: networkfirewall.CfnFirewall, key: kms.IKey): cr.AwsCustomResource {
  const call: cr.AwsSdkCall = {
    service: 'NetworkFirewall',
    action: 'updateFirewallEncryptionConfiguration',
    parameters: {
      FirewallArn: firewall.attrFirewallArn,
      EncryptionConfiguration: { Type: 'CUSTOMER_KMS', KeyId: key.keyArn },
    },
    physicalResourceId: cr.PhysicalResourceId.of(firewall.attrFirewallId),
  };

  const encryption = new cr.AwsCustomResource(scope, id, {
    resourceType: 'Custom::FirewallEncryption',
    onCreate: call,
    onUpdate: call,
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({
        actions: ['network-firewall:UpdateFirewallEncryptionConfiguration'],
        resources: [firewall.attrFirewallArn],
      }),
      // NOTE: these assume that Network Firewall checks the key and creates the grant it
      // encrypts with under the caller's permissions, as other services that encrypt through
      // grants do. Only a deployed run of the integration test confirms that they suffice.
      new iam.PolicyStatement({
        actions: ['kms:DescribeKey', 'kms:CreateGrant', 'kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `network-firewall.${Stack.of(scope).region}.amazonaws.com` } },
      }),
    ]),
  });

  suppressFindings(scope, encryption);
  return encryption;
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
function suppressFindings(scope: Construct, encryption: cr.AwsCustomResource): void {
  const policy = encryption.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    addNagSuppressions(policy, [{
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'AwsCustomResource attaches its policy inline; it allows one Network Firewall action on one firewall and KMS use of one key through Network Firewall only.',
    }]);
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
  }
  if (fn instanceof CfnResource) {
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
