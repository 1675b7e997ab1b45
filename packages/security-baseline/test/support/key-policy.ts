import { Template } from 'aws-cdk-lib/assertions';

/**
 * The key policy statement that AWS Control Tower control CT.KMS.PR.3 requires: it denies
 * kms:CreateGrant unless the grant is for an AWS resource or the caller is an AWS service.
 */
export const DENY_GRANTS_STATEMENT = {
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

/** Asserts that the template has `count` KMS keys and that each key policy has the statement above. */
export function expectEveryKeyToDenyGrants(template: Template, count: number): void {
  const keys = template.findResources('AWS::KMS::Key');
  expect(Object.keys(keys)).toHaveLength(count);
  for (const key of Object.values(keys)) {
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(DENY_GRANTS_STATEMENT);
  }
}
