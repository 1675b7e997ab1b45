import { App, Aspects, CfnResource, Stack, Tags, custom_resources as cr } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import RECOMMENDED_FEATURE_FLAGS from 'aws-cdk-lib/recommended-feature-flags.json';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { NcscChecks } from '../../src/ncsc';
import { acknowledgeSdkCallProvider } from '../../src/private/sdk-call-provider';

/** Builds a stack with one AwsCustomResource in an app classified OFFICIAL-SENSITIVE, checked by the given packs. */
function stackWithSdkCall(acknowledge: boolean): Stack {
  const app = new App({ context: RECOMMENDED_FEATURE_FLAGS });
  const stack = new Stack(app, 'Management', { env: { account: '111122223333', region: 'eu-west-2' } });
  Tags.of(app).add('DataClassification', 'OFFICIAL-SENSITIVE');
  new cr.AwsCustomResource(stack, 'Call', {
    onCreate: { service: 'RAM', action: 'enableSharingWithAwsOrganization', physicalResourceId: cr.PhysicalResourceId.of('ram') },
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  });
  if (acknowledge) {
    acknowledgeSdkCallProvider(stack);
  }
  for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks(), new NcscChecks({ reports: false })]) {
    Aspects.of(app).add(pack);
  }
  return stack;
}

/** Returns the rule ids of the errors on the provider function, its role and its log group. */
function providerErrors(stack: Stack): string[] {
  return Annotations.fromStack(stack).findError('*', Match.anyValue())
    .filter((error) => error.id.startsWith('/Management/AWS679f53fac002430cb0da5b7982bd2287'))
    .map((error) => String(error.entry.data).split(':')[0])
    .sort();
}

describe('acknowledgeSdkCallProvider', () => {
  test('the provider log group meets the NCSC customer-key rule by suppression', () => {
    const stack = stackWithSdkCall(true);

    expect(providerErrors(stack)).not.toContain('NCSC-P02-SensitiveDataCustomerKey');
  });

  test('without the acknowledgement the provider log group fails the NCSC customer-key rule', () => {
    const stack = stackWithSdkCall(false);

    expect(providerErrors(stack)).toContain('NCSC-P02-SensitiveDataCustomerKey');
  });

  test('leaves no cdk-nag error on the provider', () => {
    expect(providerErrors(stackWithSdkCall(true))).toEqual([]);
  });

  test('the managed policy suppression names the basic execution policy only', () => {
    const stack = stackWithSdkCall(true);
    const role = stack.node.findChild('AWS679f53fac002430cb0da5b7982bd2287').node.findChild('ServiceRole').node.defaultChild;

    expect((role as CfnResource).getMetadata('cdk_nag').rules_to_suppress).toEqual([expect.objectContaining({
      id: 'AwsSolutions-IAM4',
      applies_to: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    })]);
  });
});
