import { App, Aspects, CfnResource, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addNagSuppressions } from '../../src/private/nag-suppressions';

const LAMBDA_POLICY = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

function newStack(): Stack {
  return new Stack(new App(), 'Workload', { env: { account: '111122223333', region: 'eu-west-2' } });
}

/** Creates a role with two AWS managed policies, which AwsSolutions-IAM4 reports one by one. */
function roleWithTwoManagedPolicies(stack: Stack): CfnResource {
  const role = new iam.Role(stack, 'Role', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'),
    ],
  });
  return role.node.defaultChild as CfnResource;
}

describe('addNagSuppressions', () => {
  test('records the findings a suppression applies to', () => {
    const resource = new CfnResource(newStack(), 'Thing', { type: 'AWS::IAM::Role' });

    addNagSuppressions(resource, [{ id: 'AwsSolutions-IAM4', reason: 'the basic execution policy only', appliesTo: [LAMBDA_POLICY] }]);

    expect(resource.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [{ id: 'AwsSolutions-IAM4', reason: 'the basic execution policy only', applies_to: [LAMBDA_POLICY] }],
    });
  });

  test('a suppression without appliesTo records no findings, so it covers the whole rule', () => {
    const resource = new CfnResource(newStack(), 'Thing', { type: 'AWS::IAM::Role' });

    addNagSuppressions(resource, [{ id: 'AwsSolutions-IAM4', reason: 'every managed policy of the role' }]);

    expect(resource.getMetadata('cdk_nag').rules_to_suppress).toEqual([{ id: 'AwsSolutions-IAM4', reason: 'every managed policy of the role' }]);
  });

  test('keeps the other keys of the cdk_nag metadata', () => {
    const resource = new CfnResource(newStack(), 'Thing', { type: 'AWS::IAM::Role' });
    resource.addMetadata('cdk_nag', { other: 'value' });

    addNagSuppressions(resource, [{ id: 'AwsSolutions-IAM4', reason: 'every managed policy of the role' }]);

    expect(resource.getMetadata('cdk_nag').other).toBe('value');
  });

  test('cdk-nag still reports a finding that appliesTo does not list', () => {
    const stack = newStack();
    const role = roleWithTwoManagedPolicies(stack);
    Aspects.of(stack).add(new AwsSolutionsChecks());

    addNagSuppressions(role, [{ id: 'AwsSolutions-IAM4', reason: 'the basic execution policy only', appliesTo: [LAMBDA_POLICY] }]);

    const errors = Annotations.fromStack(stack).findError('/Workload/Role/Resource', Match.stringLikeRegexp('^AwsSolutions-IAM4'));
    expect(errors.map((error) => String(error.entry.data))).toEqual([
      expect.stringContaining('Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess'),
    ]);
  });
});
