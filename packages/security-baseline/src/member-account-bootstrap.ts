import {
  Annotations,
  Aws,
  CfnResource,
  Fn,
  Stack,
  aws_cloudformation as cloudformation,
  aws_iam as iam,
  custom_resources as cr,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  BOOTSTRAP_VERSION,
  EXECUTION_POLICIES_PARAMETER,
  TRUSTED_ACCOUNTS_PARAMETER,
  TRUSTED_PRINCIPALS_PARAMETER,
  buildBootstrapTemplate,
  executionPolicyNameParameter,
} from './private/bootstrap-template';
import { validateMemberAccountBootstrapProps } from './private/member-account-bootstrap-validation';
import { addNagSuppressions } from './private/nag-suppressions';
import { acknowledgeSdkCallProvider } from './private/sdk-call-provider';
import { createServiceLinkedRoleStatement } from './private/service-linked-role';

/** Properties of the CDK bootstrap of the member accounts. */
export interface MemberAccountBootstrapProps {
  /**
   * The organizational units whose accounts the StackSet bootstraps, including the accounts
   * of their child OUs and accounts that join them later: OU IDs such as `ou-a1b2-c3d4e5f6`,
   * or the root ID such as `r-a1b2` for every member account. Tokens are accepted, for
   * example `PlatformOrganisation.organizationalUnitId(PlatformOrganizationalUnit.SECURITY)`.
   */
  readonly organizationalUnitIds: string[];

  /**
   * The accounts whose principals may publish assets, deploy stacks and look up values in
   * the member accounts, through the bootstrap roles. Only these accounts are trusted: the
   * member accounts do not trust themselves, so that a principal of a member account, such
   * as an engineer with PowerUserAccess, cannot assume the deploy role and deploy with the
   * execution role's permissions. Listing an account trusts it in every member account.
   * Tokens are accepted.
   *
   * The trust policy of each role lists every account, and IAM limits a trust policy to
   * 2,048 characters by default, so at most 56 accounts fit in the `aws` partition. The
   * check computes the number from the trust policy, for the stack's partition, or for the
   * partition with the longest name (46 accounts) when the stack's region is unknown.
   *
   * @default - this stack's account, the management account
   */
  readonly trustedAccountIds?: string[];

  /**
   * ARN patterns of the IAM roles and users of the trusted accounts that may assume the
   * deploy, publishing and lookup roles, such as
   * `arn:aws:iam::111122223333:role/cdk-deployer` or, for an IAM Identity Center permission
   * set, `arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_PlatformDeployer_*`.
   * The trust policies then require `aws:PrincipalArn` to match one of them. `*` and `?`
   * may stand for parts of the path and name, and each pattern names one of
   * `trustedAccountIds`. Tokens are accepted; CloudFormation checks their form in each
   * member account.
   *
   * Without it, any principal of the trusted accounts that its own IAM policies allow to
   * call `sts:AssumeRole` on the roles can deploy into every member account, for example
   * anyone with `sts:AssumeRole` on `*`. It deploys with the execution role's permissions,
   * which are AdministratorAccess by default. Give a dedicated deployment role, used by the
   * pipeline and by no one day to day.
   *
   * @default - any principal of the trusted accounts allowed by its own policies
   */
  readonly trustedPrincipalArnPatterns?: string[];

  /**
   * The bootstrap qualifier, which every name of the bootstrap contains. Stacks that deploy
   * into the member accounts must use the same one in `DefaultStackSynthesizer`. The CDK
   * accepts 1 to 10 letters, digits, underscores and hyphens. This construct accepts only
   * lowercase letters, digits and hyphens, because the qualifier is part of the staging
   * bucket's name. It must differ from the qualifier of every other MemberAccountBootstrap
   * of the app.
   *
   * Do not change it once deployed: a new qualifier makes a new StackSet, whose stack
   * instances would create a second bootstrap next to the retained bucket, repository and
   * key of the first.
   *
   * @default DefaultStackSynthesizer.DEFAULT_QUALIFIER ('hnb659fds')
   */
  readonly qualifier?: string;

  /**
   * The ARNs of the AWS managed policies of the role that CloudFormation assumes to create
   * the resources of CDK stacks in the member accounts (`cdk-<qualifier>-cfn-exec-role-...`),
   * such as `arn:aws:iam::aws:policy/PowerUserAccess`. Tokens are accepted.
   *
   * A customer-managed policy ARN is rejected, because it names a policy in one account
   * only; give customer-managed policies in `executionPolicyNames`. Together with
   * `executionPolicyNames`, at most 10 policies, IAM's default quota of managed policies per
   * role.
   *
   * The default is the CDK's own default: CloudFormation may need to create any resource.
   * To narrow it, allow only the services your stacks use, and keep IAM actions only if the
   * stacks create roles. A policy that is missing an action makes the deployment that needs
   * it fail, not the bootstrap. A narrowed policy needs `s3:GetObject` on the staging
   * bucket, because CloudFormation reads Lambda code and nested stack templates from it with
   * the execution role. It needs no KMS permission: the staging key's policy lets every
   * principal of the account decrypt through S3.
   *
   * @default - AdministratorAccess, unless `executionPolicyNames` is given
   */
  readonly executionPolicyArns?: string[];

  /**
   * The names of customer-managed policies of the execution role, which must exist in
   * every member account under that name, for example `cdk-deployments` or
   * `platform/cdk-deployments` with a path. Each member account's stack builds the ARN with
   * its own account ID. Create the policies before the StackSet deploys, for example with
   * another StackSet: a missing policy makes the stack instance fail.
   *
   * Names take letters, digits and `+=.@_-`, without commas, because the StackSet passes
   * them as parameters. Tokens are accepted; CloudFormation checks their values in each
   * member account.
   *
   * @default - no customer-managed policy
   */
  readonly executionPolicyNames?: string[];

  /**
   * The regions to bootstrap in every account, as literal names of regions in the stack's
   * partition. A region other than eu-west-2 brings a warning
   * (`@ssd-platform/security-baseline:memberAccountBootstrapRegionOutsideUk`), because the
   * platform keeps its data in the UK and its region restriction must exempt the StackSet
   * execution role in that region.
   *
   * @default - this stack's region
   */
  readonly regions?: string[];

  /**
   * The name of the StackSet, unique in the management account and region, and among the
   * MemberAccountBootstraps of the app.
   *
   * Do not change it once deployed: CloudFormation replaces a StackSet whose name changes,
   * and the new StackSet's stack instances would collide with the retained bucket,
   * repository and key of the old one.
   *
   * @default - `CdkBootstrap-<qualifier>`
   */
  readonly stackSetName?: string;

  /**
   * Whether to activate trusted access for CloudFormation StackSets in AWS Organizations
   * (CloudFormation `ActivateOrganizationsAccess`) before the StackSet is created. Service-
   * managed StackSets need it. Turn it off when it is already active and you do not want the
   * custom resource. It stays active when the construct is removed.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-activate-trusted-access.html
   */
  readonly activateOrganizationsAccess?: boolean;
}

/** CloudFormation rejects a `TemplateBody` longer than this, in bytes. */
const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** The service principal that AWS Organizations lists as trusted when StackSets has access. */
const STACKSETS_TRUSTED_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

/** The service of the role that StackSets creates in the management account when access is activated. */
const STACKSETS_SERVICE = 'stacksets.cloudformation.amazonaws.com';

/**
 * The CDK bootstrap of every account in some organizational units, deployed by a
 * service-managed CloudFormation StackSet from the management account. Afterwards the
 * management account can `cdk deploy` into those accounts with the standard
 * `DefaultStackSynthesizer`, and no one runs `cdk bootstrap` in them.
 *
 * The StackSet deploys automatically to each account that joins the OUs, and keeps the
 * bootstrap stack when an account leaves them. It deploys a template of this library, not
 * the CDK CLI's. The template has the names and permissions that `DefaultStackSynthesizer`
 * and the CLI expect, and claims bootstrap version 30. It is stricter than the CLI's. The
 * staging bucket has its own customer-managed key, access logs and a TLS 1.2 minimum, and
 * container images are scanned on push. Only the publishing roles may write assets. Only
 * the trusted accounts can assume the roles, never with an external ID, and, with
 * `trustedPrincipalArnPatterns`, only the given principals of those accounts. The deploy
 * and execution roles are denied changes to the bootstrap as defence in depth. The
 * execution role can still do anything else its policies allow in the member account. The
 * lookup role reads what the CDK context providers read.
 *
 * Service-managed StackSets never deploy to the management account itself, so the
 * management account is bootstrapped by hand, once, with `cdk bootstrap`, the step every
 * CDK user takes before the first deployment. Deploy this construct in the management
 * account of an organization with all features enabled.
 */
export class MemberAccountBootstrap extends Construct {
  /** The name of the StackSet. */
  public readonly stackSetName: string;

  /** The ID of the StackSet, known after deployment. */
  public readonly stackSetId: string;

  /** The bootstrap qualifier, for `new DefaultStackSynthesizer({ qualifier })` in the stacks that deploy into the accounts. */
  public readonly qualifier: string;

  /** The bootstrap version that the bootstrap stacks claim in `/cdk-bootstrap/<qualifier>/version`. */
  public readonly bootstrapVersion: number;

  constructor(scope: Construct, id: string, props: MemberAccountBootstrapProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const settings = validateMemberAccountBootstrapProps(scope, id, props, { account: stack.account, region: stack.region });
    this.qualifier = settings.qualifier;
    this.bootstrapVersion = BOOTSTRAP_VERSION;

    // Without policies of either kind, the role gets AdministratorAccess through the ARN list.
    const executionPolicyArns = settings.executionPolicyArns
      ?? (settings.executionPolicyNames.length > 0 ? [] : [`arn:${Aws.PARTITION}:iam::aws:policy/AdministratorAccess`]);
    const templateBody = JSON.stringify(buildBootstrapTemplate(settings.qualifier, {
      arnCount: executionPolicyArns.length,
      nameCount: settings.executionPolicyNames.length,
      restrictsPrincipals: settings.trustedPrincipalArnPatterns !== undefined,
    }));
    const bytes = Buffer.byteLength(templateBody, 'utf8');
    if (bytes > MAX_TEMPLATE_BODY_BYTES) {
      throw new Error(`The bootstrap template of ${this.node.path} has ${bytes} bytes, and CloudFormation accepts a `
        + `TemplateBody of at most ${MAX_TEMPLATE_BODY_BYTES}. Shorten the template in src/private/bootstrap-template.ts.`);
    }

    // The trusted accounts and policies go in as parameters, so that tokens among them
    // resolve in this stack's template rather than inside the template body.
    const parameters: cloudformation.CfnStackSet.ParameterProperty[] = [
      { parameterKey: TRUSTED_ACCOUNTS_PARAMETER, parameterValue: Fn.join(',', settings.trustedAccountIds) },
    ];
    if (settings.trustedPrincipalArnPatterns !== undefined) {
      parameters.push({ parameterKey: TRUSTED_PRINCIPALS_PARAMETER, parameterValue: Fn.join(',', settings.trustedPrincipalArnPatterns) });
    }
    if (executionPolicyArns.length > 0) {
      parameters.push({ parameterKey: EXECUTION_POLICIES_PARAMETER, parameterValue: Fn.join(',', executionPolicyArns) });
    }
    settings.executionPolicyNames.forEach((name, index) => {
      parameters.push({ parameterKey: executionPolicyNameParameter(index), parameterValue: name });
    });
    const stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName: settings.stackSetName,
      description: `CDK bootstrap (qualifier ${settings.qualifier}) of the member accounts, deployed by MemberAccountBootstrap.`,
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      callAs: 'SELF',
      operationPreferences: { failureToleranceCount: 0, maxConcurrentCount: 1, regionConcurrencyType: 'SEQUENTIAL' },
      templateBody,
      parameters,
      stackInstancesGroup: [{
        deploymentTargets: { organizationalUnitIds: settings.organizationalUnitIds },
        regions: settings.regions,
      }],
    });
    this.stackSetName = settings.stackSetName;
    this.stackSetId = stackSet.attrStackSetId;

    if (settings.activateOrganizationsAccess) {
      stackSet.node.addDependency(this.activateOrganizationsAccess(stack));
    }
    for (const warning of settings.warnings) {
      Annotations.of(this).addWarningV2(`@ssd-platform/security-baseline:${warning.id}`, warning.message);
    }
  }

  /**
   * Activates trusted access for StackSets with a custom resource. Nothing is done on
   * delete, because other StackSets of the organization may rely on it.
   *
   * NOTE: no deployment has yet confirmed that the call succeeds when access is already
   * active. If it fails there, `activateOrganizationsAccess: false` leaves access alone. Nor
   * has one confirmed that these IAM actions are all that `ActivateOrganizationsAccess`
   * needs. They are the AWS Organizations actions that a service enabling its own trusted
   * access makes, and the creation of the StackSets service-linked role in the management
   * account.
   */
  private activateOrganizationsAccess(stack: Stack): Construct {
    const call: cr.AwsSdkCall = {
      service: 'CloudFormation',
      action: 'activateOrganizationsAccess',
      physicalResourceId: cr.PhysicalResourceId.of('cloudformation-stacksets-organizations-access'),
    };
    const resource = new cr.AwsCustomResource(this, 'OrganizationsAccess', {
      resourceType: 'Custom::CloudFormationOrganizationsAccess',
      onCreate: call,
      onUpdate: call,
      // The SDK of the Lambda runtime has the call, and installing the latest would download
      // it from the npm registry at deploy time.
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['cloudformation:ActivateOrganizationsAccess'], resources: ['*'] }),
        new iam.PolicyStatement({
          actions: ['organizations:EnableAWSServiceAccess'],
          resources: ['*'],
          conditions: { StringEquals: { 'organizations:ServicePrincipal': STACKSETS_TRUSTED_PRINCIPAL } },
        }),
        new iam.PolicyStatement({
          actions: ['organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization'],
          resources: ['*'],
        }),
        createServiceLinkedRoleStatement(stack, [{ service: STACKSETS_SERVICE, roleName: 'AWSServiceRoleForCloudFormationStackSetsOrgAdmin' }]),
      ]),
    });

    const policy = resource.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
    if (policy instanceof CfnResource) {
      addNagSuppressions(policy, [
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: 'AwsCustomResource attaches its policy inline, to the role of its provider function; the policy allows only the activation of StackSets trusted access.',
        },
        {
          id: 'AwsSolutions-IAM5',
          reason: 'cloudformation:ActivateOrganizationsAccess and the AWS Organizations actions support no resource-level permissions; '
            + 'organizations:EnableAWSServiceAccess is limited to the StackSets service principal by condition.',
          appliesTo: ['Resource::*'],
        },
      ]);
    }
    acknowledgeSdkCallProvider(this);
    return resource;
  }
}
