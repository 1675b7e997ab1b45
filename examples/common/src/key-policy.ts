import { aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';

/**
 * Denies kms:CreateGrant on the key unless the grant is for an AWS resource or the caller
 * is an AWS service, so that no principal can give itself a lasting grant through IAM.
 * AWS services that use the key for a resource (SNS for a topic, AWS Backup for a recovery
 * point) create their grants with kms:GrantIsForAWSResource set. This is the AWS Control
 * Tower control CT.KMS.PR.3, which the main job checks with cfn-guard.
 */
export function denyGrantsExceptForAwsResources(key: kms.Key): kms.Key {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}
