import { CfnResource, Stack, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NagSuppression, addNagSuppressions } from '../nag-suppressions';

/**
 * The construct ID of the Lambda function that runs every AwsCustomResource of a stack,
 * derived from a UUID fixed in aws-cdk-lib (checked with 2.257.0). If a release changes
 * it, the suppressions are not recorded and the cdk-nag unit test fails.
 */
const PROVIDER_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** An AWS API call that CloudFormation makes through a custom resource, with its permissions. */
export interface ApiCallProps {
  /** The custom resource type, for example `Custom::GuardDutyOrganizationConfiguration`. */
  readonly resourceType: string;

  /** The call made when the resource is created, and again when its parameters change. */
  readonly onCreate: cr.AwsSdkCall;

  /**
   * The call made when the resource is updated.
   *
   * @default - the `onCreate` call
   */
  readonly onUpdate?: cr.AwsSdkCall;

  /**
   * The call made when the resource is deleted.
   *
   * @default - none: the setting stays as it is
   */
  readonly onDelete?: cr.AwsSdkCall;

  /** Every permission the calls need, and no other. */
  readonly statements: iam.PolicyStatement[];

  /** The cdk-nag rules that the policy of these statements breaks, such as a wildcard resource, with the reasons. */
  readonly policySuppressions?: NagSuppression[];
}

/**
 * Makes an AWS API call from CloudFormation, for a setting that has no CloudFormation
 * resource, with a policy that allows only the given statements.
 */
export function callAwsApi(scope: Construct, id: string, props: ApiCallProps): cr.AwsCustomResource {
  const call = new cr.AwsCustomResource(scope, id, {
    resourceType: props.resourceType,
    onCreate: props.onCreate,
    onUpdate: props.onUpdate ?? props.onCreate,
    onDelete: props.onDelete,
    // The SDK of the Lambda runtime has every call used here, and installing the latest
    // would download it from the npm registry at deploy time.
    installLatestAwsSdk: false,
    policy: cr.AwsCustomResourcePolicy.fromStatements(props.statements),
  });

  const policy = call.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    addNagSuppressions(policy, [
      {
        id: 'NIST.800.53.R5-IAMNoInlinePolicy',
        reason: 'AwsCustomResource attaches its policy inline, to the role of its provider function; the policy allows only the calls this custom resource makes.',
      },
      ...(props.policySuppressions ?? []),
    ]);
  }
  acknowledgeProvider(scope);
  return call;
}

/**
 * Records why the Lambda function that runs every AwsCustomResource of the stack, with its
 * role and log group, does not meet some cdk-nag rules, and acknowledges one cfn-lint
 * warning on it. The function is a stack singleton, so recording again changes nothing.
 */
function acknowledgeProvider(scope: Construct): void {
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
        reason: 'The AwsCustomResource provider function calls AWS APIs only and holds no data; in a VPC it would need an endpoint for each API.',
      },
    ]);
    // aws-cdk-lib gives the function a DependsOn on its role, which its GetAtt of the role
    // already implies, and cfn-lint warns about the redundant DependsOn (W3005).
    const existing: string[] = fn.getMetadata('cfn-lint')?.config?.ignore_checks ?? [];
    fn.addMetadata('cfn-lint', { config: { ignore_checks: [...new Set([...existing, 'W3005'])] } });
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
      reason: 'The only managed policy of the AwsCustomResource provider role is AWSLambdaBasicExecutionRole, which lets the function write its own CloudWatch Logs.',
    }]);
  }
}
