import { CfnResource, Stack, aws_iam as iam, aws_kms as kms, aws_networkfirewall as networkfirewall, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceProvider } from './custom-resource-provider';
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
 * Records why the custom resource's policy, and the Lambda function that runs it, do not
 * meet some cdk-nag rules.
 */
function suppressFindings(scope: Construct, encryption: cr.AwsCustomResource): void {
  const policy = encryption.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    addNagSuppressions(policy, [{
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'AwsCustomResource attaches its policy inline; it allows one Network Firewall action on one firewall and KMS use of one key through Network Firewall only.',
    }]);
  }

  acknowledgeAwsCustomResourceProvider(scope);
}
