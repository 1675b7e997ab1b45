import {
  Annotations,
  CfnResource,
  RemovalPolicy,
  Stack,
  Token,
  aws_iam as iam,
  aws_securityhub as securityhub,
  aws_ssm as ssm,
  custom_resources as cr,
} from 'aws-cdk-lib';
import { Construct, DependencyGroup, IConstruct, IDependable } from 'constructs';
import { GuardrailPolicyType } from './guardrail-policies';
import {
  CallContext,
  CallSpec,
  TRUSTED_ACCESS_PRINCIPALS,
  enablePolicyType,
  enableResourceSharing,
  enableTrustedAccess,
  lookUpAdministrator,
  registrationsOf,
} from './private/delegated-administration-calls';
import { DelegatedAdministrationSettings, validateDelegatedAdministrationProps } from './private/delegated-administration-validation';
import { MAX_ROLE_INLINE_POLICY_CHARACTERS, estimateInlinePolicyCharacters } from './private/inline-policy-size';
import { addNagSuppressions } from './private/nag-suppressions';
import { acknowledgeSdkCallProvider } from './private/sdk-call-provider';

/** A security service whose delegated administrator the management account designates. */
export enum DelegatedService {
  /**
   * Amazon GuardDuty, designated in this stack's region with GuardDuty's
   * `EnableOrganizationAdminAccount`, after trusted access for GuardDuty Malware Protection
   * (`malware-protection.guardduty.amazonaws.com`).
   */
  GUARDDUTY = 'GUARDDUTY',

  /**
   * AWS Security Hub CSPM, designated in this stack's region with
   * `AWS::SecurityHub::DelegatedAdmin`, after trusted access for `securityhub.amazonaws.com`.
   */
  SECURITY_HUB = 'SECURITY_HUB',

  /** Amazon Inspector, designated in this stack's region with Inspector's `EnableDelegatedAdminAccount`. */
  INSPECTOR = 'INSPECTOR',

  /** Amazon Macie, designated in this stack's region with Macie's `EnableOrganizationAdminAccount`. */
  MACIE = 'MACIE',

  /** IAM Access Analyzer: trusted access for, and registration of, `access-analyzer.amazonaws.com`. */
  ACCESS_ANALYZER = 'ACCESS_ANALYZER',

  /**
   * AWS Config: trusted access for, and registration of, `config.amazonaws.com` (aggregators)
   * and `config-multiaccountsetup.amazonaws.com` (organization rules and conformance packs).
   */
  CONFIG = 'CONFIG',

  /**
   * AWS CloudTrail: trusted access for `cloudtrail.amazonaws.com`, and CloudTrail's
   * `RegisterOrganizationDelegatedAdmin`. The delegated administrator can then change and
   * delete every organization trail, including those the management account created, so it
   * is not in the default list.
   */
  CLOUDTRAIL = 'CLOUDTRAIL',
}

/** Properties of the delegated administration of the security services. */
export interface DelegatedAdministrationProps {
  /**
   * The 12-digit ID of the Security account, which becomes the delegated administrator. It
   * may be a token, for example `PlatformOrganisation.accountId('Security')`. It must not be
   * the management account, which AWS rejects as delegated administrator.
   */
  readonly securityAccountId: string;

  /**
   * The ID of the organization root, for example `r-a1b2`, as
   * `aws organizations list-roots` returns it. May be a token, for example
   * `CfnOrganization.attrRootId`.
   */
  readonly rootId: string;

  /**
   * The services whose delegated administrator the Security account becomes.
   *
   * An empty list makes the construct enable the policy types only, for a first deployment
   * before the Security account runs the services for itself.
   *
   * @default - every service except DelegatedService.CLOUDTRAIL
   */
  readonly services?: DelegatedService[];

  /**
   * The policy types to enable on the root. AWS Organizations rejects a policy whose type is
   * not enabled on the root.
   *
   * @default - service control, tag and backup policies
   */
  readonly policyTypes?: GuardrailPolicyType[];

  /**
   * Whether to enable trusted access for CloudTrail (`cloudtrail.amazonaws.com`) without
   * making the Security account CloudTrail's delegated administrator, so that the
   * management account can create an organization trail (`OrganisationTrail`).
   *
   * Ignored when `services` contains `DelegatedService.CLOUDTRAIL`, which enables it anyway.
   *
   * @default true
   */
  readonly organisationTrailAccess?: boolean;

  /**
   * Whether to enable resource sharing with AWS Organizations in AWS RAM
   * (`EnableSharingWithAwsOrganization`), which also enables trusted access for
   * `ram.amazonaws.com` and creates RAM's service-linked role in the management account.
   *
   * Until it is enabled, RAM shares can name only individual accounts, not the organisation
   * or its OUs, and shares that admit no external principals, such as the subordinate CA
   * shares of `PrivateCertificateAuthority`, rely on it. Turn it off only when the
   * organisation enables RAM sharing some other way. Like trusted access, it stays enabled
   * when the construct is removed.
   *
   * @default true
   * @see https://docs.aws.amazon.com/ram/latest/userguide/getting-started-sharing.html
   */
  readonly organisationResourceSharing?: boolean;

  /**
   * The removal policy of the delegated administrators, applied when the stack deletes this
   * construct or a service leaves `services`. `RemovalPolicy.DESTROY` deregisters them.
   *
   * Policy types and trusted access always stay enabled: disabling a policy type detaches
   * every policy of that type, and disabling trusted access stops the service working across
   * the organization.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const SERVICES: string[] = Object.values(DelegatedService);
const DEFAULT_SERVICES: string[] = SERVICES.filter((service) => service !== DelegatedService.CLOUDTRAIL);
const POLICY_TYPES: string[] = Object.values(GuardrailPolicyType);

/** The services whose delegated administrator is designated per region. */
const REGIONAL_SERVICES: string[] = [
  DelegatedService.GUARDDUTY,
  DelegatedService.SECURITY_HUB,
  DelegatedService.INSPECTOR,
  DelegatedService.MACIE,
];

/** The only region the platform runs in. */
const PLATFORM_REGION = 'eu-west-2';

/** The construct ID prefix of each service checked after its designation. */
const CHECK_ID_PREFIXES: Record<string, string> = {
  'guardduty.amazonaws.com': 'GuardDuty',
  'inspector2.amazonaws.com': 'Inspector',
  'macie.amazonaws.com': 'Macie',
};

/**
 * The set-up that the management account makes before the security baseline deploys into an
 * organization: the policy types on the root, trusted access for the security services, and
 * the Security account as their delegated administrator. Deploy it in the management account.
 *
 * CloudFormation has resources for none of these steps except Security Hub's designation, so
 * the construct calls the AWS APIs through custom resources, one after another, because AWS
 * Organizations rejects concurrent changes. Policy types come first, then trusted access,
 * then the designations. Each call is safe to repeat: a step that is already done is
 * accepted, and where a service's error for a repeated designation also covers other
 * failures, the stack checks the designation that AWS Organizations records afterwards.
 *
 * The organization must have all features enabled. The construct cannot enable them,
 * because every invited member account must approve that change.
 */
export class DelegatedAdministration extends Construct {
  /**
   * The enabled policy types. Make the policies of the organization depend on it, for
   * example `organisation.node.addDependency(delegated.policyTypesEnabled)`.
   */
  public readonly policyTypesEnabled: IDependable;

  /** The ID of the Security account, the delegated administrator. */
  public readonly securityAccountId: string;

  private readonly context: CallContext;
  private previousStep?: IConstruct;
  private providerRole?: iam.IPrincipal;

  /** The steps that refer to the Security account: designations and their checks. */
  private readonly designationSteps: IConstruct[] = [];

  constructor(scope: Construct, id: string, props: DelegatedAdministrationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const settings = validateDelegatedAdministrationProps(scope, id, props, {
      stackAccount: stack.account,
      allowedServices: SERVICES,
      defaultServices: DEFAULT_SERVICES,
      allowedPolicyTypes: POLICY_TYPES,
    });
    this.securityAccountId = settings.securityAccountId;
    this.context = { stack, accountId: settings.securityAccountId, deregister: settings.removalPolicy === RemovalPolicy.DESTROY };
    this.warnOfRegion(settings);

    const policyTypes = new DependencyGroup();
    for (const policyType of settings.policyTypes) {
      policyTypes.add(this.callApi(enablePolicyType(stack, settings.rootId, policyType)));
    }
    this.policyTypesEnabled = policyTypes;

    // Trusted access for every service comes before any designation.
    const principals = settings.services.flatMap((service) => TRUSTED_ACCESS_PRINCIPALS[service]);
    const trailAccess: unknown = props?.organisationTrailAccess;
    if (trailAccess === undefined || trailAccess === true) {
      principals.push(...TRUSTED_ACCESS_PRINCIPALS[DelegatedService.CLOUDTRAIL]);
    }
    for (const principal of [...new Set(principals)]) {
      this.callApi(enableTrustedAccess(principal));
    }
    if (settings.organisationResourceSharing) {
      this.callApi(enableResourceSharing(stack));
    }
    for (const service of settings.services) {
      this.designate(service);
    }

    // Other constructs of the stack may add AwsCustomResources and dependencies later, so
    // these checks run at synthesis.
    this.node.addValidation({ validate: () => [...this.checkProviderPolicySize(), ...this.checkAccountDependency()] });
  }

  /** Designates the Security account as delegated administrator of one service. */
  private designate(service: string): void {
    if (service === DelegatedService.SECURITY_HUB) {
      this.designateSecurityHub();
      return;
    }
    for (const registration of registrationsOf(service, this.context)) {
      this.designationSteps.push(this.callApi(registration));
      if (registration.checkedPrincipal !== undefined) {
        this.checkAdministrator(registration.checkedPrincipal);
      }
    }
  }

  /**
   * Designates the Security Hub administrator with CloudFormation's own resource.
   *
   * With `RETAIN`, CloudFormation keeps the designation except when it rolls back the
   * operation that created it, so a failed first deployment leaves none behind.
   *
   * NOTE: AWS does not document what the resource does when the designation already exists.
   * It is expected to fail, as CloudFormation resources do for an existing resource. Then
   * bring the designation into the stack with `cdk import`.
   */
  private designateSecurityHub(): void {
    const admin = new securityhub.CfnDelegatedAdmin(this, 'SecurityHubAdministrator', {
      adminAccountId: this.context.accountId,
    });
    admin.applyRemovalPolicy(this.context.deregister ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.designationSteps.push(admin);
    this.chain(admin);
  }

  /**
   * Fails the deployment unless AWS Organizations lists the Security account as delegated
   * administrator of a service principal.
   *
   * The lookup reads the first delegated administrator, and an SSM parameter stores it with an
   * allowed pattern that only the Security account's ID matches, so SSM rejects any other
   * account. With no administrator at all, the lookup returns no ID and CloudFormation fails
   * on the missing attribute.
   */
  private checkAdministrator(servicePrincipal: string): void {
    const idPrefix = CHECK_ID_PREFIXES[servicePrincipal];
    const lookup = this.callApi(lookUpAdministrator(this.context, idPrefix, servicePrincipal));
    const check = new ssm.CfnParameter(this, `${idPrefix}AdministratorCheck`, {
      type: 'String',
      value: lookup.getResponseField('DelegatedAdministrators.0.Id'),
      allowedPattern: `^${this.context.accountId}$`,
      description: `Delegated administrator of ${servicePrincipal} in AWS Organizations. Creating or updating this `
        + 'parameter fails unless it is the Security account.',
    });
    this.designationSteps.push(lookup, check);
  }

  /** Makes one AWS API call through a custom resource, after the call before it. */
  private callApi(spec: CallSpec): cr.AwsCustomResource {
    const call = new cr.AwsCustomResource(this, spec.id, {
      resourceType: spec.resourceType,
      onCreate: spec.call,
      onUpdate: spec.call,
      onDelete: spec.onDelete,
      // The SDK of the Lambda runtime has every call used here, and installing the latest
      // would download it from the npm registry at deploy time.
      installLatestAwsSdk: false,
      policy: cr.AwsCustomResourcePolicy.fromStatements(spec.statements),
    });

    const policy = call.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
    if (policy instanceof CfnResource) {
      addNagSuppressions(policy, [
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: 'AwsCustomResource attaches its policy inline, to the role of its provider function; the policy allows only the calls of this custom resource.',
        },
        { id: 'AwsSolutions-IAM5', reason: spec.wildcardReason },
      ]);
    }
    acknowledgeSdkCallProvider(this);
    this.providerRole = call.grantPrincipal;
    this.chain(call);
    return call;
  }

  /** Makes a resource wait for the previous call, because AWS Organizations rejects concurrent changes. */
  private chain(resource: IConstruct): void {
    if (this.previousStep !== undefined) {
      resource.node.addDependency(this.previousStep);
    }
    this.previousStep = resource;
  }

  /**
   * Reports when the inline policies of the AwsCustomResource provider role exceed what IAM
   * allows for one role. Every AwsCustomResource of the stack adds its policy to that one
   * role, and IAM would reject the policy that crosses the limit only at deployment.
   */
  private checkProviderPolicySize(): string[] {
    if (!(this.providerRole instanceof iam.Role)) {
      return [];
    }
    const role = this.providerRole.node.defaultChild;
    const characters = role === undefined ? 0 : estimateInlinePolicyCharacters(role);
    if (characters <= MAX_ROLE_INLINE_POLICY_CHARACTERS) {
      return [];
    }
    return [`The inline policies of the role that runs the AwsCustomResources of stack ${Stack.of(this).stackName} contain `
      + `an estimated ${characters} characters, and IAM allows ${MAX_ROLE_INLINE_POLICY_CHARACTERS} per role. Deploy `
      + 'this construct in a stack with fewer AwsCustomResources, or split its services between two stacks.'];
  }

  /**
   * Reports a Security account ID that refers to a resource which waits for a designation,
   * for example the account of a `PlatformOrganisation` that depends on the whole construct.
   * The designations refer to the account, so CloudFormation would reject the circular
   * dependency, but only at deployment.
   */
  private checkAccountDependency(): string[] {
    const stack = Stack.of(this);
    if (!Token.isUnresolved(this.context.accountId)) {
      return [];
    }
    const logicalIdOf = (resource: CfnResource): string => stack.resolve(resource.logicalId);
    const designations = new Set(this.designationSteps
      .flatMap((step) => step.node.findAll())
      .filter(CfnResource.isCfnResource)
      .map(logicalIdOf));
    const reference = JSON.stringify(stack.resolve(this.context.accountId));
    const referenced = stack.node.findAll().filter(CfnResource.isCfnResource)
      .filter((resource) => reference.includes(JSON.stringify(logicalIdOf(resource))));

    return referenced.filter((resource) => waitsForAny(resource, designations, logicalIdOf))
      .map((resource) => `securityAccountId refers to ${resource.node.path}, which waits for the designations of this `
        + 'construct, so the stack has a circular dependency. Make only the policies wait for the policy types, for '
        + 'example `organisation.node.addDependency(delegated.policyTypesEnabled)`, instead of the whole construct.');
  }

  /** Warns when the regional designations would not cover the platform's region. */
  private warnOfRegion(settings: DelegatedAdministrationSettings): void {
    const region = Stack.of(this).region;
    const regional = settings.services.filter((service) => REGIONAL_SERVICES.includes(service));
    if (regional.length > 0 && !Token.isUnresolved(region) && region !== PLATFORM_REGION) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:delegatedAdministrationRegion',
        `${regional.join(', ')} designate the delegated administrator per region, and this stack is in ${region}, so `
        + `they are not designated in ${PLATFORM_REGION}, where the platform runs. Deploy the stack in ${PLATFORM_REGION}.`);
    }
  }
}

/**
 * Tests whether a resource waits, directly or through other resources, for any of the given
 * logical IDs. Only explicit dependencies (`DependsOn`) count, not references.
 */
function waitsForAny(resource: CfnResource, logicalIds: Set<string>, logicalIdOf: (resource: CfnResource) => string): boolean {
  const seen = new Set<CfnResource>();
  const pending = [resource];
  while (pending.length > 0) {
    const current = pending.pop()!;
    for (const dependency of current.obtainDependencies()) {
      if (!CfnResource.isCfnResource(dependency) || seen.has(dependency)) {
        continue;
      }
      if (logicalIds.has(logicalIdOf(dependency))) {
        return true;
      }
      seen.add(dependency);
      pending.push(dependency);
    }
  }
  return false;
}
