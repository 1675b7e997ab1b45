import { Template } from 'aws-cdk-lib/assertions';

/**
 * The key policy statement, as CloudFormation receives it, that denies kms:CreateGrant
 * unless an AWS service creates the grant for an AWS resource or the caller is an AWS
 * service. The AWS Control Tower control CT.KMS.PR.3 requires this shape.
 */
export const DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES = {
  Sid: 'DenyGrantsExceptForAwsResources',
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 'kms:CreateGrant',
  Resource: '*',
  Condition: {
    BoolIfExists: {
      'kms:GrantIsForAWSResource': 'false',
      'aws:PrincipalIsAWSService': 'false',
    },
  },
};

/** Returns the key policy statements of every KMS key in a template, by logical ID. */
export function keyPolicyStatements(template: Template): Record<string, unknown[]> {
  const keys = template.findResources('AWS::KMS::Key');
  return Object.fromEntries(Object.entries(keys).map(([logicalId, key]) => [logicalId, key.Properties.KeyPolicy.Statement]));
}
