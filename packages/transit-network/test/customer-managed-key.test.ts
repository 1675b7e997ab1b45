import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES, keyPolicyStatements } from './support/key-policy';
import { createCustomerManagedKey } from '../src/private/customer-managed-key';

function build(): { stack: Stack; template: Template } {
  const stack = new Stack(new App(), 'Keys', { env: { account: '111111111111', region: 'eu-west-2' } });
  createCustomerManagedKey(stack, 'Key', 'Encrypts a test resource');
  return { stack, template: Template.fromStack(stack) };
}

describe('createCustomerManagedKey', () => {
  test('key rotates, is described and is retained', () => {
    const { template } = build();

    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResource('AWS::KMS::Key', {
      Properties: { Description: 'Encrypts a test resource', EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('key policy denies grants except for AWS resources', () => {
    const { template } = build();

    const [statements] = Object.values(keyPolicyStatements(template));
    expect(statements).toContainEqual(DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES);
  });

  test('account keeps administering the key', () => {
    const { template } = build();

    const [statements] = Object.values(keyPolicyStatements(template));
    expect(statements).toContainEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
      Action: 'kms:*',
    }));
  });
});
