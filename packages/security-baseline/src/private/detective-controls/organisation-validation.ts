import { Stack, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { describeResolved, ownAccountForms, resolvedForm } from '../resolved-form';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show } from '../validation';
import { OptionsReader } from './options-reader';
import { DetectiveControlsParts, partsOf } from './parts';
import { DetectiveControlsWarning, GuardDutySettings, SecurityHubSettings } from './settings';
import { checkAutoEnableMembers, checkControlIds, checkExcludedAccounts, checkRootId } from './validation';
import type { OrganisationDetectiveControlsProps, OrganisationMemberAccount } from '../../organisation-detective-controls';

/** The props of `OrganisationDetectiveControls` after validation and defaults, with the parts they build on. */
export interface OrganisationDetectiveControlsSettings {
  readonly account: DetectiveControlsParts;
  readonly organizationRootId?: string;
  /** Undefined when GuardDuty is off in the account-level construct. */
  readonly guardDuty?: GuardDutySettings;
  /** Undefined when Security Hub is off in the account-level construct or central configuration is off. */
  readonly securityHub?: SecurityHubSettings;
  /** Undefined when the props give none, so that the account-level construct's list applies. */
  readonly excludedAccounts?: string[];
  /** Empty when the props give none. */
  readonly existingMemberAccounts: OrganisationMemberAccount[];
  readonly warnings: DetectiveControlsWarning[];
}

const ACCOUNT_ID = /^\d{12}$/;
/** The email address pattern and length limits that AWS Organizations applies to an account's email. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MIN_EMAIL_LENGTH = 6;
const MAX_EMAIL_LENGTH = 64;
const MEMBER_EXAMPLE = '[{ accountId: "444455556666", email: "aws-workloads@example.gov.uk" }]';

/** The services whose organisation options need the service to be on in the account-level construct. */
const SERVICE_OPTIONS: ReadonlyArray<{ readonly prop: 'guardDuty' | 'securityHub' | 'conformancePack'; readonly name: string }> = [
  { prop: 'guardDuty', name: 'GuardDuty' },
  { prop: 'securityHub', name: 'Security Hub' },
  { prop: 'conformancePack', name: 'the conformance pack' },
];

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateOrganisationDetectiveControlsProps(
  scope: Construct,
  id: string,
  rawProps: OrganisationDetectiveControlsProps | null | undefined,
): OrganisationDetectiveControlsSettings {
  const validator = new PropsValidator(describeConstruct('OrganisationDetectiveControls', scope, id));
  if (!isGiven(rawProps) || typeof rawProps !== 'object' || Array.isArray(rawProps)) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least detectiveControls, `
      + 'the DetectiveControls of this account.');
    validator.throwIfInvalid();
  }
  const props = rawProps as OrganisationDetectiveControlsProps;
  const account = checkAccountControls(validator, scope, props.detectiveControls);
  validator.throwIfInvalid();

  const settings = account!.settings;
  const on = {
    guardDuty: settings.guardDuty !== undefined,
    securityHub: settings.securityHub !== undefined,
    conformancePack: settings.conformancePack !== undefined,
  };
  for (const service of SERVICE_OPTIONS) {
    if (isGiven(props[service.prop]) && !on[service.prop]) {
      validator.fail(`${service.prop} is set, but ${service.name} is off in detectiveControls (${service.prop}.enabled is false there), `
        + `so this construct has nothing to configure for it. Remove ${service.prop}, or turn the service on in detectiveControls.`);
    }
  }
  const top = [settings.guardDuty, settings.securityHub, settings.inspector, settings.macie, settings.accessAnalyzer, settings.config];
  if (top.every((service) => service === undefined) && settings.conformancePack === undefined) {
    validator.fail('Every service is off in detectiveControls, so this construct would create nothing. Turn a service on '
      + 'there, or remove this construct.');
  }

  const warnings: DetectiveControlsWarning[] = [];
  const guardDutyOptions = OptionsReader.of(validator, 'guardDuty', props.guardDuty);
  const members = guardDutyOptions !== undefined && on.guardDuty
    ? checkAutoEnableMembers(guardDutyOptions, true, warnings, 'organisationDetectiveControls')
    : undefined;

  const securityHub = checkCentralConfiguration(validator, props.securityHub, on.securityHub);
  const organizationRootId = checkRootId(validator, props.organizationRootId, securityHub !== undefined);

  const packOptions = OptionsReader.of(validator, 'conformancePack', props.conformancePack);
  const excludedAccounts = packOptions?.raw('excludedAccounts') !== undefined ? checkExcludedAccounts(packOptions!) : undefined;

  const existingMemberAccounts = checkExistingMemberAccounts(validator, scope, props.existingMemberAccounts,
    { inspector: settings.inspector !== undefined, macie: settings.macie !== undefined }, warnings);

  validator.throwIfInvalid();
  return {
    account: account!,
    organizationRootId,
    guardDuty: settings.guardDuty !== undefined ? { ...settings.guardDuty, autoEnableOrganizationMembers: members! } : undefined,
    securityHub,
    excludedAccounts,
    existingMemberAccounts,
    warnings,
  };
}

/**
 * Checks that the account-level construct is a `DetectiveControls` without `organizationWide`,
 * in this construct's account and region, and returns what it created.
 */
function checkAccountControls(validator: PropsValidator, scope: IConstruct, value: unknown): DetectiveControlsParts | undefined {
  if (!isGiven(value)) {
    validator.fail('detectiveControls is missing. Pass the DetectiveControls of this account, created with organizationWide: false.');
    return undefined;
  }
  const parts = partsOf(value);
  if (parts === undefined) {
    validator.fail(`detectiveControls is ${show(value)}, which is not a DetectiveControls. Pass the DetectiveControls of `
      + 'this account, created with organizationWide: false.');
    return undefined;
  }
  const controls = value as IConstruct;
  if (parts.settings.organizationWide) {
    validator.fail(`detectiveControls (${controls.node.path}) has organizationWide true, so it configures the organisation `
      + 'itself. Set organizationWide: false on it, or remove this construct.');
  }
  const organisationStack = Stack.of(scope);
  const accountStack = Stack.of(controls);
  for (const field of ['account', 'region'] as const) {
    const mine = organisationStack[field];
    const theirs = accountStack[field];
    if (!Token.isUnresolved(mine) && !Token.isUnresolved(theirs) && mine !== theirs) {
      validator.fail(`detectiveControls (${controls.node.path}) is in ${field} ${show(theirs)}, and this construct is in `
        + `${show(mine)}. The organisation settings extend that ${field}'s services, so deploy this construct in a stack of `
        + `${field} ${show(theirs)}.`);
    }
  }
  return parts;
}

/** Reads the Security Hub options. Returns undefined when central configuration does not apply. */
function checkCentralConfiguration(validator: PropsValidator, value: unknown, hubOn: boolean): SecurityHubSettings | undefined {
  const options = OptionsReader.of(validator, 'securityHub', value);
  if (options === undefined || !hubOn) {
    return undefined;
  }
  const centralConfiguration = options.boolean('centralConfiguration', true);
  const disabledControlIds = checkControlIds(options);
  if (disabledControlIds.length > 0 && !centralConfiguration) {
    validator.fail('securityHub.disabledControlIds is set, but securityHub.centralConfiguration is false. This construct '
      + 'turns controls off through the central configuration policy, so turn central configuration on, or remove '
      + 'securityHub.disabledControlIds.');
  }
  return centralConfiguration ? { centralConfiguration, disabledControlIds } : undefined;
}

/**
 * Checks the member accounts already in the organisation, which only Inspector and Macie
 * use. Without them, adds a warning when either service is on, because those services then
 * never reach the accounts that existed before their organisation configuration.
 */
function checkExistingMemberAccounts(
  validator: PropsValidator,
  scope: IConstruct,
  value: unknown,
  on: { readonly inspector: boolean; readonly macie: boolean },
  warnings: DetectiveControlsWarning[],
): OrganisationMemberAccount[] {
  const services = [...(on.inspector ? ['Inspector'] : []), ...(on.macie ? ['Macie'] : [])];
  if (!isGiven(value)) {
    if (services.length > 0) {
      const names = services.join(' and ');
      warnings.push({
        id: 'organisationDetectiveControlsExistingMembersNotActivated',
        message: `existingMemberAccounts is not set, so ${names} ${services.length === 1 ? 'is' : 'are'} not turned on in the `
          + `member accounts already in the organisation: ${services.length === 1 ? 'its' : 'their'} organisation configuration `
          + 'covers only accounts that join later. List every other account of the organisation, with its email address '
          + `(aws organizations list-accounts), in existingMemberAccounts, for example ${MEMBER_EXAMPLE}, or give [] when there is none.`,
      });
    }
    return [];
  }
  if (services.length === 0) {
    validator.fail('existingMemberAccounts is set, but Inspector and Macie are both off in detectiveControls (inspector.enabled '
      + 'and macie.enabled are false there), so this construct has nothing to turn on in those accounts. Remove '
      + 'existingMemberAccounts, or turn Inspector or Macie on in detectiveControls.');
  }
  const entries = checkList(validator, 'existingMemberAccounts', value, MEMBER_EXAMPLE);
  if (entries === undefined) {
    return [];
  }

  // Tokens are compared by their resolved form: two calls of Fn.importValue('Acc') give two
  // different tokens for the same account, and Aws.ACCOUNT_ID is always this stack's account.
  const stack = Stack.of(scope);
  const ownAccounts = ownAccountForms(stack);
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  const accounts: OrganisationMemberAccount[] = [];
  entries.forEach((entry, index) => {
    const path = `existingMemberAccounts[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      validator.fail(`${path} is ${show(entry)}, which is not an object. Give { accountId, email }, for example ${MEMBER_EXAMPLE.slice(1, -1)}.`);
      return;
    }
    const { accountId, email } = entry as Record<string, unknown>;
    if (typeof accountId !== 'string') {
      validator.fail(`${path}.accountId is ${show(accountId)}, which is not a string. Give the 12-digit ID of the member account in a string.`);
    } else if (isConcreteString(accountId) && !ACCOUNT_ID.test(accountId)) {
      validator.fail(`${path}.accountId is ${show(accountId)}, which is not an AWS account ID. Use the 12-digit account ID.`);
    } else {
      const key = resolvedForm(stack, accountId);
      const twin = seenIds.get(key);
      if (ownAccounts.has(key)) {
        validator.fail(`${path}.accountId ${describeResolved(stack, accountId)} is the account of this stack, the delegated administrator, `
          + 'whose services detectiveControls turns on. Remove it: the list holds the other accounts of the organisation.');
      } else if (twin !== undefined) {
        validator.fail(`${path}.accountId ${describeResolved(stack, accountId)} is also existingMemberAccounts[${twin}].accountId. `
          + 'List each account once.');
      } else {
        seenIds.set(key, index);
      }
    }

    if (typeof email !== 'string') {
      validator.fail(`${path}.email is ${show(email)}, which is not a string. Give the email address of the account's root user, `
        + 'as aws organizations list-accounts shows it.');
    } else if (isConcreteString(email) && (!EMAIL.test(email) || email.length < MIN_EMAIL_LENGTH || email.length > MAX_EMAIL_LENGTH)) {
      validator.fail(`${path}.email is ${show(email)}, which is not an email address AWS Organizations accepts. Give the `
        + `account's email address of ${MIN_EMAIL_LENGTH} to ${MAX_EMAIL_LENGTH} characters, as aws organizations list-accounts shows it.`);
    } else {
      const key = isConcreteString(email) ? email.toLowerCase() : resolvedForm(stack, email);
      const twin = seenEmails.get(key);
      if (twin !== undefined) {
        validator.fail(`${path}.email ${describeResolved(stack, email)} is also the email of existingMemberAccounts[${twin}]. Every AWS account `
          + 'has its own email address, so give each account the address that aws organizations list-accounts shows for it.');
      } else {
        seenEmails.set(key, index);
      }
    }
    accounts.push({ accountId: accountId as string, email: email as string });
  });
  return accounts;
}

