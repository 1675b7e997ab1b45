import { RemovalPolicy, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Creates a customer managed key that rotates yearly, is retained when the stack is
 * deleted, and whose key policy lets only AWS services create grants on it.
 *
 * Every key that this package creates comes from here, so that they all carry the same
 * restriction on grants.
 */
export function createCustomerManagedKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(denyGrantsExceptForAwsResources());
  return key;
}

/**
 * Returns the key policy statement that denies kms:CreateGrant to every principal unless
 * an AWS service creates the grant for one of its resources, or the caller is an AWS
 * service itself.
 *
 * A grant lets its grantee use the key without appearing in the key policy or in any IAM
 * policy, so a grant created by hand is a way to share the key that policy reviews do not
 * see. The statement closes that way, including for administrators of the account that
 * the default key policy trusts.
 *
 * Both conditions sit under one BoolIfExists operator, so the deny applies only when both
 * are false. It leaves the services that use these keys working:
 * - CloudWatch Logs encrypts log groups as its own service principal, allowed by the key
 *   policy statement that names the log group, and creates no grant.
 * - AWS Network Firewall creates the grant it encrypts a firewall with while it handles
 *   UpdateFirewallEncryptionConfiguration for the caller. KMS marks such a request with
 *   kms:GrantIsForAWSResource true, so the deny does not apply.
 * - Any other service integrated with KMS that a caller points at the key (through the
 *   construct's `encryptionKey` property) creates its grants the same way.
 *
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 */
export function denyGrantsExceptForAwsResources(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  });
}
