import { Duration, Stack, Token, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import {
  DUTY_DEFAULTS,
  fullAccessGrants,
  untaggedAllowStatements,
  vendorPolicyStatements,
} from './permission-set-policies';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show } from './validation';
import type {
  CustomerManagedPolicyReference,
  PermissionSetDefinition,
  PermissionSetsProps,
  VendorAccess,
} from '../permission-sets';

/** A warning that the construct adds to the scope of one permission set. */
export interface SetWarning {
  readonly id: string;
  readonly message: string;
}

/** A permission set after defaults, as the construct creates it. */
export interface PermissionSetSettings {
  readonly name: string;
  readonly description: string;
  readonly sessionDuration: Duration;
  readonly awsManagedPolicyNames: string[];
  readonly customerManagedPolicies: CustomerManagedPolicyReference[];
  readonly inlinePolicy?: iam.PolicyDocument;
  readonly permissionsBoundary?: CustomerManagedPolicyReference;
  readonly assignments: Array<{ readonly accountId: string; readonly groupId: string }>;
  readonly warnings: SetWarning[];
}

/** The props after defaults. */
export interface PermissionSetsSettings {
  readonly instanceArn: string;
  readonly permissionSets: PermissionSetSettings[];
}

const INSTANCE_ARN = /^arn:aws(-[a-z]{1,5}){0,3}:sso:::instance\/(sso)?ins-[a-zA-Z0-9-.]{16}$/;
const SET_NAME = /^[\w+=,.@-]{1,32}$/;
const DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]{1,700}$/;
const AWS_MANAGED_POLICY_NAME = /^[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const POLICY_PATH = /^(\/[A-Za-z0-9.,+@=_-]+)*\/$/;
const GROUP_ID = /^([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;
const ACCOUNT_ID = /^\d{12}$/;
const TAG_KEY = /^[\w.:/=+@-]{1,128}$/;
const TAG_VALUE = /^[\w.:/=+@ -]{1,256}$/;

/** The session durations IAM Identity Center accepts, in minutes. */
const MIN_SESSION_MINUTES = 60;
const MAX_SESSION_MINUTES = 720;

/** IAM Identity Center's limit on the length of an inline policy, in characters. */
const MAX_INLINE_POLICY_CHARS = 32_768;

/**
 * The managed policies (AWS and customer managed together) that IAM attaches to a role
 * by default, and the most it allows after a quota increase.
 */
const DEFAULT_MANAGED_POLICY_QUOTA = 10;
const MAX_MANAGED_POLICIES = 20;

/**
 * The maximum number of permission sets and assignments in one stack. It leaves room under
 * CloudFormation's limit of 500 resources for the other resources of the stack.
 */
const MAX_RESOURCES = 450;

const DUTIES = Object.keys(DUTY_DEFAULTS);
const VENDOR = 'APPLICATION_VENDOR';
const ADMINISTRATOR = 'AWS_ADMINISTRATOR';

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validatePermissionSetsProps(
  scope: Construct,
  id: string,
  self: Construct,
  rawProps: PermissionSetsProps | null | undefined,
): PermissionSetsSettings {
  const validator = new PropsValidator(describeConstruct('PermissionSets', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with instanceArn and permissionSets.`);
    validator.throwIfInvalid();
  }
  const props = rawProps as PermissionSetsProps;

  checkInstanceArn(validator, props.instanceArn);

  const sets: PermissionSetSettings[] = [];
  const definitions = isGiven(props.permissionSets)
    ? checkList(validator, 'permissionSets', props.permissionSets, '[{ name: "SecurityAuditors", duty: PermissionSetDuty.SECURITY_AUDITOR }]')
    : undefined;
  if (!isGiven(props.permissionSets)) {
    validator.fail('permissionSets is missing. List at least one permission set, for example '
      + '[{ name: "SecurityAuditors", duty: PermissionSetDuty.SECURITY_AUDITOR }].');
  } else if (definitions !== undefined && definitions.length === 0) {
    validator.fail('permissionSets is empty. List at least one permission set.');
  }

  const seenNames = new Map<string, number>();
  (definitions ?? []).forEach((definition, index) => {
    const set = checkPermissionSet(validator, self, `permissionSets[${index}]`, definition);
    if (set === undefined) {
      return;
    }
    const key = set.name.toLowerCase();
    const earlier = seenNames.get(key);
    if (earlier !== undefined) {
      validator.fail(`permissionSets[${index}].name ${show(set.name)} repeats the name of permissionSets[${earlier}]. `
        + 'IAM Identity Center needs a unique name for each permission set, so rename one of them.');
    } else {
      seenNames.set(key, index);
    }
    sets.push(set);
  });

  const resourceCount = sets.reduce((count, set) => count + 1 + set.assignments.length, 0);
  if (resourceCount > MAX_RESOURCES) {
    validator.fail(`the permission sets and their assignments make ${resourceCount} resources, over the ${MAX_RESOURCES} `
      + 'that this construct allows in one stack, because CloudFormation allows 500 resources in a stack. '
      + 'Split the permission sets over several PermissionSets constructs in separate stacks.');
  }

  validator.throwIfInvalid();
  return { instanceArn: props.instanceArn, permissionSets: sets };
}

function checkInstanceArn(validator: PropsValidator, instanceArn: unknown): void {
  if (!isGiven(instanceArn)) {
    validator.fail('instanceArn is missing. Give the ARN of the IAM Identity Center instance, for example '
      + '"arn:aws:sso:::instance/ssoins-1234567890abcdef"; `aws sso-admin list-instances` lists it.');
  } else if (typeof instanceArn !== 'string') {
    validator.fail(`instanceArn is ${show(instanceArn)}, which is not a string. Give the instance ARN as a string.`);
  } else if (isConcreteString(instanceArn) && !INSTANCE_ARN.test(instanceArn)) {
    validator.fail(`instanceArn is ${show(instanceArn)}, which is not an IAM Identity Center instance ARN. `
      + 'It has the form "arn:aws:sso:::instance/ssoins-" followed by 16 characters; `aws sso-admin list-instances` lists it.');
  }
}

/** Checks one permission set and returns it with its defaults, or undefined when it is not an object. */
function checkPermissionSet(validator: PropsValidator, self: Construct, path: string, raw: unknown): PermissionSetSettings | undefined {
  if (typeof raw !== 'object' || raw === null) {
    validator.fail(`${path} is ${show(raw)}, which is not a permission set. Give an object with name and duty.`);
    return undefined;
  }
  const definition = raw as PermissionSetDefinition;
  const name = checkName(validator, path, definition.name);
  const label = `${path} (${show(definition.name)})`;

  const duty = definition.duty as string;
  const knownDuty = typeof duty === 'string' && DUTIES.includes(duty);
  if (!knownDuty) {
    validator.fail(`${path}.duty is ${show(duty)}, which is not a duty. Use one of PermissionSetDuty.${DUTIES.join(', PermissionSetDuty.')}.`);
  }
  const defaults = DUTY_DEFAULTS[knownDuty ? duty : ADMINISTRATOR];

  const description = checkDescription(validator, path, definition.description) ?? defaults.description;
  const sessionDuration = checkSessionDuration(validator, path, definition.sessionDuration) ?? defaults.sessionDuration;
  const awsManagedPolicyNames = checkAwsManagedPolicyNames(validator, path, definition.awsManagedPolicyNames)
    ?? defaults.awsManagedPolicyNames;
  const customerManagedPolicies = checkPolicyReferences(validator, `${path}.customerManagedPolicies`, definition.customerManagedPolicies);
  const permissionsBoundary = isGiven(definition.permissionsBoundary)
    ? checkPolicyReference(validator, `${path}.permissionsBoundary`, definition.permissionsBoundary)
    : undefined;
  const userPolicy = checkInlinePolicy(validator, path, definition.inlinePolicy);
  const assignments = checkAssignments(validator, path, definition.assignments);
  const warnings: SetWarning[] = [];

  let inlinePolicy = userPolicy;
  if (knownDuty && duty === VENDOR) {
    inlinePolicy = checkVendor(validator, self, path, label, definition, userPolicy, warnings);
  } else if (isGiven(definition.vendorAccess)) {
    validator.fail(`${label}.vendorAccess is given, but only APPLICATION_VENDOR sets use it. `
      + 'Remove vendorAccess, or make the duty PermissionSetDuty.APPLICATION_VENDOR.');
  }

  // Separation of duties: only administrators may hold a policy that allows everything.
  if (knownDuty && duty !== ADMINISTRATOR) {
    for (const grant of fullAccessGrants(awsManagedPolicyNames, userPolicy)) {
      validator.fail(`${label} is a ${duty} permission set, but ${grant.description} allows every action on every resource. `
        + 'Only AWS_ADMINISTRATOR sets may allow that, so remove the policy or give the set the least privilege its duty needs.');
    }
  }

  checkPolicyCounts(validator, label, awsManagedPolicyNames, customerManagedPolicies, inlinePolicy, warnings);
  checkInlinePolicySize(validator, self, label, inlinePolicy);

  if (name === undefined) {
    return undefined;
  }
  return {
    name,
    description,
    sessionDuration,
    awsManagedPolicyNames,
    customerManagedPolicies,
    inlinePolicy,
    permissionsBoundary,
    assignments,
    warnings,
  };
}

function checkName(validator: PropsValidator, path: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || !SET_NAME.test(name)) {
    validator.fail(`${path}.name is ${show(name)}. A permission set name has 1 to 32 letters, digits and +=,.@_- `
      + 'and no tokens, for example "SecurityAuditors".');
    return undefined;
  }
  return name;
}

function checkDescription(validator: PropsValidator, path: string, description: unknown): string | undefined {
  if (!isGiven(description)) {
    return undefined;
  }
  if (typeof description !== 'string') {
    validator.fail(`${path}.description is ${show(description)}, which is not a string. Give a description of up to 700 characters.`);
    return undefined;
  }
  if (isConcreteString(description) && !DESCRIPTION.test(description)) {
    validator.fail(`${path}.description is ${show(description)}. IAM Identity Center accepts 1 to 700 printable `
      + 'Latin-1 characters, tabs and line breaks, so shorten it or replace the other characters.');
  }
  return description;
}

function checkSessionDuration(validator: PropsValidator, path: string, duration: unknown): Duration | undefined {
  if (!isGiven(duration)) {
    return undefined;
  }
  if (!(duration instanceof Duration)) {
    validator.fail(`${path}.sessionDuration is ${show(duration)}, which is not a Duration. `
      + 'Give a Duration from 1 to 12 hours, for example Duration.hours(4) or Duration.parse("PT4H").');
    return undefined;
  }
  if (duration.isUnresolved()) {
    validator.fail(`${path}.sessionDuration is a token. Give a literal Duration from 1 to 12 hours, for example Duration.hours(4).`);
    return undefined;
  }
  const minutes = duration.toMinutes({ integral: false });
  if (!Number.isInteger(minutes) || minutes < MIN_SESSION_MINUTES || minutes > MAX_SESSION_MINUTES) {
    validator.fail(`${path}.sessionDuration is ${duration.toHumanString()}. IAM Identity Center accepts sessions `
      + 'from 1 to 12 hours, in whole minutes, so give for example Duration.hours(4).');
    return undefined;
  }
  return duration;
}

function checkAwsManagedPolicyNames(validator: PropsValidator, path: string, value: unknown): string[] | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  const names = checkList(validator, `${path}.awsManagedPolicyNames`, value, '["SecurityAudit", "job-function/ViewOnlyAccess"]');
  if (names === undefined) {
    return [];
  }
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (typeof name !== 'string' || !AWS_MANAGED_POLICY_NAME.test(name)) {
      validator.fail(`${path}.awsManagedPolicyNames[${index}] is ${show(name)}, which is not an AWS managed policy name. `
        + 'Give the name with its path and without the ARN prefix, for example "job-function/ViewOnlyAccess".');
    } else if (seen.has(name)) {
      validator.fail(`${path}.awsManagedPolicyNames[${index}] repeats ${show(name)}. List each policy once.`);
    }
    seen.add(name as string);
  });
  return names.filter((name): name is string => typeof name === 'string');
}

function checkPolicyReferences(validator: PropsValidator, path: string, value: unknown): CustomerManagedPolicyReference[] {
  if (!isGiven(value)) {
    return [];
  }
  const references = checkList(validator, path, value, '[{ name: "platform-deny-security-changes" }]') ?? [];
  return references.flatMap((reference, index) => {
    const checked = checkPolicyReference(validator, `${path}[${index}]`, reference);
    return checked === undefined ? [] : [checked];
  });
}

function checkPolicyReference(validator: PropsValidator, path: string, value: unknown): CustomerManagedPolicyReference | undefined {
  if (typeof value !== 'object' || value === null) {
    validator.fail(`${path} is ${show(value)}, which is not a policy reference. Give an object such as { name: "platform-boundary", path: "/" }.`);
    return undefined;
  }
  const reference = value as CustomerManagedPolicyReference;
  let valid = true;
  if (typeof reference.name !== 'string' || !POLICY_NAME.test(reference.name)) {
    validator.fail(`${path}.name is ${show(reference.name)}, which is not an IAM policy name. `
      + 'Give 1 to 128 letters, digits and +=,.@_-, without the path.');
    valid = false;
  }
  if (isGiven(reference.path) && (typeof reference.path !== 'string' || reference.path.length > 512 || !POLICY_PATH.test(reference.path))) {
    validator.fail(`${path}.path is ${show(reference.path)}, which is not an IAM path. A path starts and ends with "/", `
      + 'for example "/platform/", or omit it for "/".');
    valid = false;
  }
  return valid ? { name: reference.name, path: reference.path ?? undefined } : undefined;
}

function checkInlinePolicy(validator: PropsValidator, path: string, value: unknown): iam.PolicyDocument | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  if (!(value instanceof iam.PolicyDocument)) {
    validator.fail(`${path}.inlinePolicy is ${show(value)}, which is not a PolicyDocument. `
      + 'Give an iam.PolicyDocument, for example new iam.PolicyDocument({ statements: [...] }).');
    return undefined;
  }
  return value;
}

/** Checks a vendor set and returns its inline policy: the generated vendor statements and the user's. */
function checkVendor(
  validator: PropsValidator,
  self: Construct,
  path: string,
  label: string,
  definition: PermissionSetDefinition,
  userPolicy: iam.PolicyDocument | undefined,
  warnings: SetWarning[],
): iam.PolicyDocument | undefined {
  const access = checkVendorAccess(validator, path, label, definition.vendorAccess);

  if (isGiven(definition.awsManagedPolicyNames) && Array.isArray(definition.awsManagedPolicyNames) && definition.awsManagedPolicyNames.length > 0) {
    validator.fail(`${label} is an APPLICATION_VENDOR set with AWS managed policies ${show(definition.awsManagedPolicyNames)}. `
      + 'An AWS managed policy has no tag condition, so it would reach resources of other teams. '
      + 'Remove awsManagedPolicyNames and grant extra actions in inlinePolicy with a tag condition.');
  }
  for (const statement of untaggedAllowStatements(userPolicy)) {
    validator.fail(`${label}.inlinePolicy statement ${statement} allows actions with no tag condition. `
      + 'An APPLICATION_VENDOR set must stay on resources with its vendor tag, so add an aws:ResourceTag or '
      + 'aws:RequestTag condition on vendorAccess.tagKey, or remove the statement.');
  }
  if (Array.isArray(definition.customerManagedPolicies) && definition.customerManagedPolicies.length > 0) {
    warnings.push({
      id: 'permissionSetsVendorCustomerManagedPolicy',
      message: `${label} attaches customer managed policies, whose statements this construct cannot see. `
        + 'Check that each allows only resources with the vendor tag.',
    });
  }

  if (access === undefined) {
    return userPolicy;
  }
  const document = new iam.PolicyDocument({
    statements: vendorPolicyStatements({ ...access, region: access.region ?? Stack.of(self).region }),
  });
  const userStatements = userPolicy?.toJSON()?.Statement;
  if (Array.isArray(userStatements)) {
    document.addStatements(...userStatements.map((statement: unknown) => iam.PolicyStatement.fromJson(statement)));
  }
  return document;
}

function checkVendorAccess(validator: PropsValidator, path: string, label: string, value: unknown): VendorAccess | undefined {
  if (!isGiven(value)) {
    validator.fail(`${label} is an APPLICATION_VENDOR set with no vendorAccess, so its policy would have no tag condition. `
      + 'Give vendorAccess with the vendor tag, for example { tagKey: "vendor", tagValue: "acme" }.');
    return undefined;
  }
  if (typeof value !== 'object' || value === null) {
    validator.fail(`${path}.vendorAccess is ${show(value)}, which is not an object. Give for example { tagKey: "vendor", tagValue: "acme" }.`);
    return undefined;
  }
  const access = value as VendorAccess;
  let valid = true;
  if (typeof access.tagKey !== 'string' || !TAG_KEY.test(access.tagKey) || access.tagKey.toLowerCase().startsWith('aws:')) {
    validator.fail(`${path}.vendorAccess.tagKey is ${show(access.tagKey)}. Give a literal tag key of 1 to 128 letters, `
      + 'digits and _.:/=+-@, not starting with "aws:", for example "vendor".');
    valid = false;
  }
  if (typeof access.tagValue !== 'string' || !TAG_VALUE.test(access.tagValue)) {
    validator.fail(`${path}.vendorAccess.tagValue is ${show(access.tagValue)}. Give a literal tag value of 1 to 256 letters, `
      + 'digits, spaces and _.:/=+-@ that names the vendor, for example "acme".');
    valid = false;
  }
  if (isGiven(access.region) && typeof access.region !== 'string') {
    validator.fail(`${path}.vendorAccess.region is ${show(access.region)}, which is not a string. Give a region such as "eu-west-2".`);
    valid = false;
  }
  return valid ? { tagKey: access.tagKey, tagValue: access.tagValue, region: access.region ?? undefined } : undefined;
}

function checkAssignments(
  validator: PropsValidator,
  path: string,
  value: unknown,
): Array<{ readonly accountId: string; readonly groupId: string }> {
  if (!isGiven(value)) {
    return [];
  }
  const assignments = checkList(validator, `${path}.assignments`, value, '[{ groupIds: ["<group id>"], accountIds: ["111122223333"] }]') ?? [];
  const pairs: Array<{ accountId: string; groupId: string }> = [];
  const seen = new Set<string>();

  assignments.forEach((raw, index) => {
    const assignmentPath = `${path}.assignments[${index}]`;
    if (typeof raw !== 'object' || raw === null) {
      validator.fail(`${assignmentPath} is ${show(raw)}, which is not an assignment. Give { groupIds: [...], accountIds: [...] }.`);
      return;
    }
    const assignment = raw as { groupIds?: unknown; accountIds?: unknown };
    const groupIds = checkIds(validator, `${assignmentPath}.groupIds`, assignment.groupIds, GROUP_ID,
      'an IAM Identity Center group ID, such as "94482488-3041-7026-18f3-be45837cd0e4" (`aws identitystore list-groups` lists them)');
    const accountIds = checkIds(validator, `${assignmentPath}.accountIds`, assignment.accountIds, ACCOUNT_ID, 'a 12-digit AWS account ID');

    for (const accountId of accountIds) {
      for (const groupId of groupIds) {
        const key = `${accountId}-${groupId}`;
        if (seen.has(key)) {
          validator.fail(`${assignmentPath} assigns group ${groupId} in account ${accountId} again. `
            + 'IAM Identity Center rejects a repeated assignment, so list each group and account pair once per permission set.');
        } else {
          seen.add(key);
          pairs.push({ accountId, groupId });
        }
      }
    }
  });
  return pairs;
}

/** Checks a list of IDs and returns the literal ones that match, which become construct IDs. */
function checkIds(validator: PropsValidator, path: string, value: unknown, pattern: RegExp, what: string): string[] {
  if (!isGiven(value)) {
    validator.fail(`${path} is missing. List at least one ID, each ${what}.`);
    return [];
  }
  const ids = checkList(validator, path, value, '["111122223333"]');
  if (ids === undefined) {
    return [];
  }
  if (ids.length === 0) {
    validator.fail(`${path} is empty. List at least one ID, each ${what}.`);
  }
  return ids.flatMap((id, index) => {
    if (typeof id !== 'string' || Token.isUnresolved(id) || !pattern.test(id)) {
      validator.fail(`${path}[${index}] is ${show(id)}. Give ${what}. It must be a literal string, because it names the assignment's construct.`);
      return [];
    }
    return [id];
  });
}

function checkPolicyCounts(
  validator: PropsValidator,
  label: string,
  awsManaged: string[],
  customerManaged: CustomerManagedPolicyReference[],
  inlinePolicy: iam.PolicyDocument | undefined,
  warnings: SetWarning[],
): void {
  const managedCount = awsManaged.length + customerManaged.length;
  if (managedCount === 0 && inlinePolicy === undefined) {
    validator.fail(`${label} grants nothing: it has no AWS managed, customer managed or inline policy. `
      + 'Give at least one policy, or omit awsManagedPolicyNames to use the duty\'s policies.');
  }
  if (managedCount > MAX_MANAGED_POLICIES) {
    validator.fail(`${label} attaches ${managedCount} managed policies. IAM attaches at most ${MAX_MANAGED_POLICIES} `
      + 'managed policies to a role, even after a quota increase, so merge some of them.');
  } else if (managedCount > DEFAULT_MANAGED_POLICY_QUOTA) {
    warnings.push({
      id: 'permissionSetsManagedPolicyQuota',
      message: `${label} attaches ${managedCount} managed policies. IAM attaches ${DEFAULT_MANAGED_POLICY_QUOTA} to a role `
        + 'by default, so provisioning fails in each account that has not raised the "Managed policies per role" quota.',
    });
  }
}

function checkInlinePolicySize(validator: PropsValidator, self: Construct, label: string, inlinePolicy: iam.PolicyDocument | undefined): void {
  if (inlinePolicy === undefined) {
    return;
  }
  // Tokens render as CloudFormation intrinsics here, so the length is an estimate when the policy has any.
  const length = JSON.stringify(Stack.of(self).resolve(inlinePolicy.toJSON())).length;
  if (length > MAX_INLINE_POLICY_CHARS) {
    validator.fail(`${label} has an inline policy of about ${length} characters. IAM Identity Center accepts at most `
      + `${MAX_INLINE_POLICY_CHARS}, so move statements into customer managed policies.`);
  }
}
