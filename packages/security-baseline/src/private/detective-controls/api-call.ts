import { CfnResource, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NagSuppression, addNagSuppressions } from '../nag-suppressions';
import { acknowledgeSdkCallProvider } from '../sdk-call-provider';

/** An AWS API call that CloudFormation makes through a custom resource, with its permissions. */
export interface ApiCallProps {
  /** The custom resource type, for example `Custom::GuardDutyOrganizationConfiguration`. */
  readonly resourceType: string;

  /**
   * The call made when the resource is created, and again when its parameters change unless
   * `onUpdate` or `callOnUpdate` is given.
   */
  readonly onCreate: cr.AwsSdkCall;

  /**
   * The call made when the resource is updated.
   *
   * @default - the `onCreate` call
   */
  readonly onUpdate?: cr.AwsSdkCall;

  /**
   * Whether CloudFormation makes a call when it updates the resource. With `false` an update,
   * such as a changed parameter, makes no call: the new parameters are stored and the physical
   * ID stays as it is. For a call that may be made only once per physical ID, such as one that
   * adds a member and fails for an existing one.
   *
   * @default true
   */
  readonly callOnUpdate?: boolean;

  /**
   * The call made when the resource is deleted.
   *
   * @default - none: the setting stays as it is
   */
  readonly onDelete?: cr.AwsSdkCall;

  /**
   * Every permission the calls need, and no other, in a policy of this call's own.
   *
   * @default - none: `sharedGrant` allows the calls
   */
  readonly statements?: iam.PolicyStatement[];

  /**
   * The cdk-nag rules that the policy of these statements breaks, such as a wildcard resource, with the reasons.
   *
   * @default - none
   */
  readonly policySuppressions?: NagSuppression[];

  /**
   * A policy of the provider role, made once by `grantSharedApiCalls`, that already allows
   * the calls, instead of `statements`.
   *
   * @default - none: `statements` allows the calls
   */
  readonly sharedGrant?: SharedApiGrant;
}

/**
 * One policy of the role that runs every AwsCustomResource of a stack, shared by many calls
 * of the same kind, such as one call per member account.
 */
export interface SharedApiGrant {
  /** The role of the stack's AwsCustomResource provider function. */
  readonly role: iam.IRole;

  /** The policy that allows the calls. Each call waits for it. */
  readonly policy: iam.Policy;
}

/** The reasons the policies of the provider role are inline, for a call's own policy and for a shared one. */
const INLINE_POLICY_REASON = 'AwsCustomResource attaches its policy inline, to the role of its provider function; '
  + 'the policy allows only the calls this custom resource makes.';
const SHARED_INLINE_POLICY_REASON = 'The policy is attached inline to the role of the AwsCustomResource provider function, '
  + 'which runs every custom resource of the stack; it allows only the calls of the custom resources that share it.';

/**
 * Makes an AWS API call from CloudFormation, for a setting that has no CloudFormation
 * resource, with a policy that allows only the given statements, or with a shared grant.
 */
export function callAwsApi(scope: Construct, id: string, props: ApiCallProps): cr.AwsCustomResource {
  const shared = props.sharedGrant;
  const call = new cr.AwsCustomResource(scope, id, {
    resourceType: props.resourceType,
    onCreate: props.onCreate,
    // AwsCustomResource makes no call on an update unless it is given one, so the create call
    // is repeated by default: most calls here set a value, which a changed parameter must reach.
    onUpdate: props.callOnUpdate === false ? undefined : props.onUpdate ?? props.onCreate,
    onDelete: props.onDelete,
    // The SDK of the Lambda runtime has every call used here, and installing the latest
    // would download it from the npm registry at deploy time.
    installLatestAwsSdk: false,
    // With a shared grant the call gets no policy of its own, so AwsCustomResource needs the
    // role instead. It passes the role to the provider function, which already exists because
    // the shared grant was made from one of its calls, so the role changes nothing there.
    policy: shared === undefined ? cr.AwsCustomResourcePolicy.fromStatements(props.statements ?? []) : undefined,
    role: shared?.role,
  });

  if (shared !== undefined) {
    call.node.addDependency(shared.policy);
  }
  const policy = call.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
  if (policy instanceof CfnResource) {
    addNagSuppressions(policy, [
      { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: INLINE_POLICY_REASON },
      ...(props.policySuppressions ?? []),
    ]);
  }
  acknowledgeSdkCallProvider(scope);
  return call;
}

/**
 * Allows the calls of many custom resources, such as one call per member account, in one
 * policy of the stack's provider role. IAM limits the role's inline policies to 10,240
 * characters, and one shared policy keeps them from growing with the number of calls.
 *
 * @param provider an AwsCustomResource of the stack, whose provider role gets the policy
 */
export function grantSharedApiCalls(
  scope: Construct,
  id: string,
  provider: cr.AwsCustomResource,
  statements: iam.PolicyStatement[],
  suppressions: NagSuppression[],
): SharedApiGrant {
  const role = provider.grantPrincipal;
  if (!isRole(role)) {
    throw new Error(`The AwsCustomResource provider of ${provider.node.path} runs without an IAM role, so its calls cannot be allowed.`);
  }
  const policy = new iam.Policy(scope, id, { statements, roles: [role] });
  addNagSuppressions(policy.node.defaultChild as CfnResource, [
    { id: 'NIST.800.53.R5-IAMNoInlinePolicy', reason: SHARED_INLINE_POLICY_REASON },
    ...suppressions,
  ]);
  return { role, policy };
}

/** Tests whether a principal is an IAM role, to which a policy can be attached. */
function isRole(principal: iam.IPrincipal): principal is iam.IRole {
  return typeof (principal as Partial<iam.IRole>).attachInlinePolicy === 'function'
    && typeof (principal as Partial<iam.IRole>).roleName === 'string';
}
