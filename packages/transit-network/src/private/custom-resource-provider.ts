import { CfnResource, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ignoreCfnLintChecks } from './cfn-lint-directives';
import { addNagSuppressions } from './nag-suppressions';

/**
 * The construct ID of the Lambda function that runs every AwsCustomResource of a stack,
 * derived from a UUID fixed in aws-cdk-lib (checked with 2.257.0). If a release changes
 * it, the suppressions are not recorded and the cdk-nag unit tests fail.
 */
const PROVIDER_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * Records why the Lambda function that runs every AwsCustomResource of the stack, with
 * its role and log group, does not meet some cdk-nag rules, and acknowledges one cfn-lint
 * warning on it. The function is a stack singleton, so the records land on it whichever
 * custom resource of this package comes first; recording them again changes nothing.
 */
export function acknowledgeAwsCustomResourceProvider(scope: Construct): void {
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
