import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { DelegatedAdministrationProps } from '../delegated-administration';
import { checkRootId } from './organisation-validation';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show } from './validation';

const ACCOUNT_ID = /^\d{12}$/;

/** The props of DelegatedAdministration after defaults, as the construct uses them. */
export interface DelegatedAdministrationSettings {
  readonly securityAccountId: string;
  readonly rootId: string;

  /** The services to designate, without repeats, in the order of `allowedServices`. */
  readonly services: string[];

  /** The policy types to enable, without repeats, in the order of `allowedPolicyTypes`. */
  readonly policyTypes: string[];

  /** RETAIN or DESTROY. */
  readonly removalPolicy: RemovalPolicy;

  /** Whether to enable resource sharing with AWS Organizations in AWS RAM. */
  readonly organisationResourceSharing: boolean;
}

/** The values that the public module passes in, because this module cannot import its enums at run time. */
export interface ValidationOptions {
  /** The account of the stack, or a token when the stack is environment-agnostic. */
  readonly stackAccount: string;
  readonly allowedServices: string[];
  readonly defaultServices: string[];
  readonly allowedPolicyTypes: string[];
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateDelegatedAdministrationProps(
  scope: Construct, id: string, props: DelegatedAdministrationProps | null | undefined, options: ValidationOptions,
): DelegatedAdministrationSettings {
  const validator = new PropsValidator(describeConstruct('DelegatedAdministration', scope, id));
  if (typeof props !== 'object' || props === null) {
    validator.fail(`props is ${show(props)}. Give at least { securityAccountId, rootId }, for example `
      + '{ securityAccountId: "222233334444", rootId: "r-a1b2" }.');
    validator.throwIfInvalid();
  }
  const input = props as DelegatedAdministrationProps;

  checkSecurityAccountId(validator, input.securityAccountId, options.stackAccount);
  checkRootId(validator, input.rootId);
  const services = checkEnumList(validator, 'services', input.services, options.allowedServices, options.defaultServices,
    'DelegatedService', '[DelegatedService.GUARDDUTY]');
  const policyTypes = checkEnumList(validator, 'policyTypes', input.policyTypes, options.allowedPolicyTypes,
    options.allowedPolicyTypes, 'GuardrailPolicyType', '[GuardrailPolicyType.SERVICE_CONTROL_POLICY]');
  if (services?.length === 0 && policyTypes?.length === 0) {
    validator.fail('services and policyTypes are both empty, so the construct would do nothing. List at least one '
      + 'service or policy type, or omit either for its default.');
  }
  const removalPolicy = checkRemovalPolicy(validator, input.removalPolicy);
  const trailAccess: unknown = input.organisationTrailAccess;
  if (trailAccess !== undefined && typeof trailAccess !== 'boolean') {
    validator.fail(`organisationTrailAccess is ${show(trailAccess)}; use true or false, or leave it out to enable trusted access for CloudTrail.`);
  }
  const resourceSharing: unknown = input.organisationResourceSharing;
  if (resourceSharing !== undefined && resourceSharing !== null && typeof resourceSharing !== 'boolean') {
    validator.fail(`organisationResourceSharing is ${show(resourceSharing)}; use true or false, or leave it out to enable `
      + 'resource sharing with AWS Organizations in AWS RAM.');
  }
  validator.throwIfInvalid();

  return {
    securityAccountId: input.securityAccountId,
    rootId: input.rootId,
    services: services ?? [],
    policyTypes: policyTypes ?? [],
    removalPolicy,
    organisationResourceSharing: resourceSharing !== false,
  };
}

/**
 * Checks the Security account ID. AWS rejects the management account as delegated
 * administrator, and this construct deploys in the management account, so the ID must
 * differ from the stack's account when both are known.
 */
function checkSecurityAccountId(validator: PropsValidator, value: unknown, stackAccount: string): void {
  if (!isGiven(value)) {
    validator.fail('securityAccountId is missing. Give the 12-digit ID of the Security account, for example "222233334444".');
  } else if (typeof value !== 'string') {
    validator.fail(`securityAccountId is ${show(value)}, which is not a string. Give the 12-digit ID of the Security `
      + 'account as a string, for example "222233334444".');
  } else if (isConcreteString(value) && !ACCOUNT_ID.test(value)) {
    validator.fail(`securityAccountId is ${show(value)}, which is not an AWS account ID. Give the 12-digit ID of the `
      + 'Security account, for example "222233334444".');
  } else if (isConcreteString(value) && !Token.isUnresolved(stackAccount) && value === stackAccount) {
    validator.fail(`securityAccountId is ${show(value)}, the account of this stack. The stack must be in the management `
      + 'account, and AWS rejects the management account as delegated administrator. Give the ID of the Security account.');
  }
}

/**
 * Checks an optional list of enum values. Returns the values without repeats in the order of
 * `allowed`, the default when the list is not given, or undefined when it is not a list.
 */
function checkEnumList(
  validator: PropsValidator, propName: string, value: unknown, allowed: string[], defaultValue: string[],
  enumName: string, example: string,
): string[] | undefined {
  if (!isGiven(value)) {
    return defaultValue;
  }
  const list = checkList(validator, propName, value, example);
  if (list === undefined) {
    return undefined;
  }
  list.forEach((entry, index) => {
    if (typeof entry !== 'string' || !allowed.includes(entry)) {
      validator.fail(`${propName}[${index}] is ${show(entry)}, which is not a ${enumName}. Use one of `
        + `${allowed.map((name) => `${enumName}.${name}`).join(', ')}.`);
    }
  });
  return allowed.filter((name) => list.includes(name));
}

/** Checks the removal policy: RETAIN keeps the designations, DESTROY removes them with the stack. */
function checkRemovalPolicy(validator: PropsValidator, value: unknown): RemovalPolicy {
  if (!isGiven(value)) {
    return RemovalPolicy.RETAIN;
  }
  if (value !== RemovalPolicy.RETAIN && value !== RemovalPolicy.DESTROY) {
    validator.fail(`removalPolicy is ${show(value)}. Use RemovalPolicy.RETAIN to keep the delegated administrators when `
      + 'the stack deletes them, or RemovalPolicy.DESTROY to deregister them.');
    return RemovalPolicy.RETAIN;
  }
  return value;
}
