import { CfnResource, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NagSuppression, addNagSuppressions } from '../nag-suppressions';
import { acknowledgeSdkCallProvider } from '../sdk-call-provider';

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
  acknowledgeSdkCallProvider(scope);
  return call;
}
