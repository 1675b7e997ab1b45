import { CfnResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagSuppressions } from './nag-suppressions';

/**
 * The construct ID of the Lambda function that runs every AwsCustomResource of a stack. It is
 * derived from a UUID fixed in aws-cdk-lib (checked with 2.257.0). If a release changes it,
 * nothing is recorded and the cdk-nag unit tests fail.
 */
const PROVIDER_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** The name that cdk-nag gives the only managed policy of the provider function's role. */
const BASIC_EXECUTION_POLICY = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/** The reason the provider's log group needs no customer-managed key, for every rule that requires one. */
const LOG_GROUP_KEY_REASON = 'The AwsCustomResource provider log group records only the AWS API calls that the handler makes '
  + 'during deployment, with no workload data; CloudWatch Logs encrypts it with a service key.';

/**
 * Records why the function that runs the stack's AwsCustomResources, with its role and log
 * group, does not meet some cdk-nag rules, and makes cfn-lint skip one warning on it.
 *
 * Every construct of the package that makes an AWS SDK call through AwsCustomResource calls
 * this after creating it. The function is a stack singleton, so recording again for a second
 * custom resource replaces the same suppressions and changes nothing.
 */
export function acknowledgeSdkCallProvider(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(PROVIDER_FUNCTION_ID);

  const fn = provider?.node.defaultChild;
  if (fn instanceof CfnResource) {
    addNagSuppressions(fn, [
      { id: 'AwsSolutions-L1', reason: 'aws-cdk-lib sets the runtime of the AwsCustomResource provider function, not this library.' },
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'The AwsCustomResource provider function runs only while CloudFormation deploys the stack, so a concurrency limit could only fail deployments.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'CloudFormation invokes the AwsCustomResource provider function and receives every failure, so a dead-letter queue would stay empty.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The AwsCustomResource provider function only calls AWS APIs and holds no data; inside a VPC it would need endpoints for those APIs.',
      },
    ]);
    // aws-cdk-lib gives the function a DependsOn on its role, which its GetAtt of the role
    // already implies, and cfn-lint warns about it (W3005).
    const existing: string[] = fn.getMetadata('cfn-lint')?.config?.ignore_checks ?? [];
    fn.addMetadata('cfn-lint', { config: { ignore_checks: [...new Set([...existing, 'W3005'])] } });
  }

  // With the feature flags of a new app, aws-cdk-lib gives the function its own log group.
  const logGroup = provider?.node.tryFindChild('LogGroup')?.node.defaultChild;
  if (logGroup instanceof CfnResource) {
    addNagSuppressions(logGroup, [
      { id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted', reason: LOG_GROUP_KEY_REASON },
      { id: 'NCSC-P02-SensitiveDataCustomerKey', reason: LOG_GROUP_KEY_REASON },
    ]);
  }

  const role = provider?.node.tryFindChild('ServiceRole')?.node.defaultChild;
  if (role instanceof CfnResource) {
    addNagSuppressions(role, [{
      id: 'AwsSolutions-IAM4',
      reason: 'AWSLambdaBasicExecutionRole only lets the AwsCustomResource provider function write its own CloudWatch Logs.',
      appliesTo: [BASIC_EXECUTION_POLICY],
    }]);
  }
}
