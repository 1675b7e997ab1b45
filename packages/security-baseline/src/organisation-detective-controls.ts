import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DetectiveControls, OrganizationAutoEnable } from './detective-controls';
import { createAnalyzers } from './private/detective-controls/access-analyzer';
import { createOrganizationAggregator } from './private/detective-controls/aws-config';
import { deployConformancePack } from './private/detective-controls/conformance-pack';
import { configureGuardDutyOrganization } from './private/detective-controls/guardduty';
import { activateInspectorMembers, configureInspectorOrganization } from './private/detective-controls/inspector';
import { addMacieMembers, configureMacieOrganization } from './private/detective-controls/macie';
import { memberAccountLimitProblems } from './private/detective-controls/member-limits';
import { validateOrganisationDetectiveControlsProps } from './private/detective-controls/organisation-validation';
import { configureSecurityHubOrganization } from './private/detective-controls/security-hub';

const WARNING_PREFIX = '@ssd-platform/security-baseline:';

/** Organisation settings of Amazon GuardDuty. */
export interface OrganisationGuardDutyOptions {
  /**
   * The member accounts that GuardDuty turns itself on for, with the features of the
   * account-level detector.
   *
   * @default OrganizationAutoEnable.ALL
   */
  readonly autoEnableOrganizationMembers?: OrganizationAutoEnable;
}

/** Organisation settings of AWS Security Hub CSPM. */
export interface OrganisationSecurityHubOptions {
  /**
   * Whether Security Hub is configured for every account of the organisation through a
   * configuration policy associated with the organisation root. It needs `organizationRootId`.
   *
   * Without it, Security Hub stays configured in the Security account only.
   *
   * @default true
   * @see https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html
   */
  readonly centralConfiguration?: boolean;

  /**
   * Security controls to turn off in every account, by control ID, for example `EC2.10`.
   * Only with `centralConfiguration`. Every other control of the standards stays on,
   * including controls that AWS adds later.
   *
   * @default - every control is on
   */
  readonly disabledControlIds?: string[];
}

/** Organisation settings of the NCSC Cloud Security Principles conformance pack. */
export interface OrganisationConformancePackOptions {
  /**
   * Accounts of the organisation that the organisation conformance pack is not deployed to.
   *
   * @default - the `conformancePack.excludedAccounts` of the account-level `DetectiveControls`, or none
   */
  readonly excludedAccounts?: string[];
}

/**
 * A member account that is already in the organisation when the organisation settings are
 * deployed, for the services whose organisation configuration covers only accounts that join later.
 */
export interface OrganisationMemberAccount {
  /** The 12-digit ID of the account. It may be a token. */
  readonly accountId: string;

  /**
   * The email address of the account's root user, as AWS Organizations lists it
   * (`aws organizations list-accounts`). Macie needs it to add the account as a member.
   * It may be a token.
   *
   * It is used only when the account is first added: changing it later makes no call, and
   * Macie keeps the address it was first given.
   */
  readonly email: string;
}

/** Properties of the organisation-level detective controls. */
export interface OrganisationDetectiveControlsProps {
  /**
   * The account-level detective controls of this account, created with
   * `organizationWide: false`, in this stack or in another stack of the same account and
   * region. Its detector, hub, Macie session, Inspector activation and configuration
   * recorder are what the organisation settings extend, and its service settings are
   * reused: a service that is off there is off here too.
   *
   * It is a `DetectiveControls` and not an interface because the organisation settings
   * mirror settings that only the construct holds, such as the GuardDuty features.
   */
  readonly detectiveControls: DetectiveControls;

  /**
   * The ID of the organisation root, for example `r-a1b2`, to associate Security Hub's
   * configuration policy with. Required unless Security Hub or its central configuration
   * is off. Find it with `aws organizations list-roots`.
   *
   * @default - no root ID
   */
  readonly organizationRootId?: string;

  /**
   * Organisation settings of Amazon GuardDuty. Only when GuardDuty is on in `detectiveControls`.
   *
   * @default - every default of `OrganisationGuardDutyOptions`
   */
  readonly guardDuty?: OrganisationGuardDutyOptions;

  /**
   * Organisation settings of AWS Security Hub CSPM. Only when Security Hub is on in `detectiveControls`.
   *
   * @default - every default of `OrganisationSecurityHubOptions`
   */
  readonly securityHub?: OrganisationSecurityHubOptions;

  /**
   * Organisation settings of the conformance pack. Only when the pack is on in `detectiveControls`.
   *
   * @default - every default of `OrganisationConformancePackOptions`
   */
  readonly conformancePack?: OrganisationConformancePackOptions;

  /**
   * The member accounts already in the organisation when these settings are deployed, other
   * than this account. Inspector and Macie's organisation configuration covers only accounts
   * that join the organisation later, so this construct turns Inspector scanning (with the
   * scan types of `detectiveControls`) and Macie on in each of these accounts, when the
   * service is on in `detectiveControls`. GuardDuty and Security Hub cover existing accounts
   * without this list.
   *
   * Adding an account later turns the services on in it, and leaves the other accounts alone;
   * a changed email address makes no call. The calls of each service run one after another,
   * so that they do not compete for the service's request quota, and a long list takes a while
   * to deploy. Inspector's `Enable` still succeeds when it cannot turn an account on, so check
   * the accounts with `aws inspector2 batch-get-account-status` after the deployment.
   *
   * Removing an account, or the list, leaves the services on, because turning them off
   * deletes the account's findings. Turn them off by hand: for Inspector,
   * `aws inspector2 disable --account-ids <id> --resource-types EC2 ECR` from this account;
   * for Macie, `aws macie2 disassociate-member --id <id>` from this account, then
   * `aws macie2 disable-macie` in the member account.
   *
   * Give an empty list when the organisation has no other account.
   *
   * Each account adds a custom resource per service, and Inspector one per 100 accounts, so
   * a stack of its own takes at most 238 accounts with both services on. The construct fails
   * synthesis, naming the number that fits, when the stack would exceed CloudFormation's 500
   * resources.
   *
   * @default - none: Inspector and Macie are not turned on in accounts already in the
   * organisation, and the construct adds the warning `organisationDetectiveControlsExistingMembersNotActivated`
   */
  readonly existingMemberAccounts?: OrganisationMemberAccount[];
}

/**
 * The organisation-wide part of the detective controls, built on an account-level
 * `DetectiveControls` of the delegated administrator account (the Security account).
 *
 * For each service that is on in the account-level construct it adds what only the
 * delegated administrator can set up:
 *
 * - GuardDuty, Inspector and Macie organisation configuration, so that member accounts get
 *   the services (GuardDuty with the features of this account's detector), and Inspector and
 *   Macie turned on in the `existingMemberAccounts`;
 * - Security Hub CSPM central configuration, with one policy associated with the root;
 * - an IAM Access Analyzer organisation analyzer, and an organisation unused access
 *   analyzer when the account-level construct has one;
 * - an AWS Config aggregator of the organisation, and the NCSC conformance pack deployed to
 *   every account of the organisation.
 *
 * Splitting the detective controls in two lets an empty organisation be set up with each
 * stack deployed once: the account-level controls first, then the management account's
 * designations of the delegated administrator, then this construct. Put this construct in
 * its own stack and make that stack depend on the designations' stack, so that CloudFormation
 * creates it after them.
 *
 * It acknowledges the `detectiveControlsAccountOnly` warning of the account-level construct,
 * whose member accounts this construct covers.
 */
export class OrganisationDetectiveControls extends Construct {
  /** The ARN of the organisation analyzer of external access, unless the analyzers are off. */
  public readonly organizationAnalyzerArn?: string;

  /** The name of the organisation conformance pack, unless the pack is off. */
  public readonly conformancePackName?: string;

  constructor(scope: Construct, id: string, props: OrganisationDetectiveControlsProps) {
    super(scope, id);
    const settings = validateOrganisationDetectiveControlsProps(scope, id, props);
    for (const warning of settings.warnings) {
      Annotations.of(this).addWarningV2(`${WARNING_PREFIX}${warning.id}`, warning.message);
    }
    Annotations.of(props.detectiveControls).acknowledgeWarning(`${WARNING_PREFIX}detectiveControlsAccountOnly`,
      `${this.node.path} adds the organisation settings.`);

    const account = settings.account;
    if (settings.guardDuty !== undefined && account.guardDuty !== undefined) {
      configureGuardDutyOrganization(new Construct(this, 'GuardDuty'), account.guardDuty.detectorId, settings.guardDuty);
    }
    if (settings.securityHub !== undefined && account.securityHub !== undefined) {
      configureSecurityHubOrganization(new Construct(this, 'SecurityHub'), account.securityHub, settings.securityHub, settings.organizationRootId!);
    }
    const members = settings.existingMemberAccounts;
    const inspectorSettings = account.inspector !== undefined ? account.settings.inspector : undefined;
    if (inspectorSettings !== undefined && account.inspector !== undefined) {
      const inspector = new Construct(this, 'Inspector');
      const organization = configureInspectorOrganization(inspector, inspectorSettings, account.inspector.enabled);
      activateInspectorMembers(inspector, inspectorSettings, members.map((member) => member.accountId), organization,
        [account.inspector.enabled, organization]);
    }
    if (account.macie !== undefined) {
      const macie = new Construct(this, 'Macie');
      const organization = configureMacieOrganization(macie, account.macie.session);
      addMacieMembers(macie, members, organization, [account.macie.session, organization]);
    }

    // The stack's resource count and the provider role's policies are known only once every
    // construct of the stack exists.
    const footprint = { accountCount: members.length, inspector: inspectorSettings !== undefined, macie: account.macie !== undefined };
    this.node.addValidation({ validate: () => memberAccountLimitProblems(this, footprint) });

    // The account-level construct keeps its own analyzers, so no account analyzer is added here.
    const removalPolicy = account.settings.removalPolicy;
    if (account.settings.accessAnalyzer !== undefined) {
      const analyzerSettings = { ...account.settings.accessAnalyzer, accountAnalyzer: false };
      this.organizationAnalyzerArn = createAnalyzers(new Construct(this, 'AccessAnalyzer'), 'ORGANIZATION', analyzerSettings, removalPolicy).analyzerArn;
    }

    if (account.settings.config !== undefined) {
      createOrganizationAggregator(new Construct(this, 'Config'));
    }
    // NOTE: the account-level construct keeps its own conformance pack in this account, so
    // this account may be evaluated by both packs, which AWS Config bills per evaluation.
    const pack = account.settings.conformancePack;
    if (pack !== undefined) {
      const common = { organizationWide: true, removalPolicy };
      const packSettings = { ...pack, excludedAccounts: settings.excludedAccounts ?? pack.excludedAccounts };
      this.conformancePackName = deployConformancePack(this, packSettings, common, account.recorder).packName;
    }
  }
}
