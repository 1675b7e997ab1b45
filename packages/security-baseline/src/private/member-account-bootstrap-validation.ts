import { DefaultStackSynthesizer, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { MemberAccountBootstrapProps } from '../member-account-bootstrap';
import { PropsValidator, checkList, describeConstruct, isConcreteString, isGiven, show } from './validation';

/** The ID of an organizational unit, `ou-` then the root part and 8 to 32 lowercase letters or digits. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;

/** The ID of an organization root. */
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

const ACCOUNT_ID = /^\d{12}$/;

/** The CDK's rule for qualifiers, from the `Qualifier` parameter of the CDK CLI's bootstrap template. */
const CDK_QUALIFIER = /^[A-Za-z0-9_-]{1,10}$/;

/** The qualifier is part of the staging bucket's name, and S3 bucket names take only lowercase letters, digits and hyphens. */
const BUCKET_SAFE_QUALIFIER = /^[a-z0-9-]+$/;

/** An AWS region name, for example `eu-west-2` or `us-gov-west-1`. */
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** A managed policy ARN: AWS managed (`iam::aws:policy/...`) or customer managed (`iam::<account>:policy/...`). */
const MANAGED_POLICY_ARN = /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/.+$/;

/** CloudFormation's rule for StackSet names. */
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** The props of MemberAccountBootstrap after defaults, as the construct uses them. */
export interface MemberAccountBootstrapSettings {
  readonly organizationalUnitIds: string[];
  readonly trustedAccountIds: string[];
  readonly qualifier: string;
  /** Managed policy ARNs. Undefined means AdministratorAccess in the partition of the stack. */
  readonly executionPolicyArns?: string[];
  readonly regions: string[];
  readonly stackSetName: string;
  readonly activateOrganizationsAccess: boolean;
}

/** The values of the stack that the defaults come from. */
export interface StackContext {
  readonly account: string;
  readonly region: string;
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
export function validateMemberAccountBootstrapProps(
  scope: Construct, id: string, props: MemberAccountBootstrapProps | null | undefined, stack: StackContext,
): MemberAccountBootstrapSettings {
  const validator = new PropsValidator(describeConstruct('MemberAccountBootstrap', scope, id));
  if (typeof props !== 'object' || props === null) {
    validator.fail(`props is ${show(props)}. Give at least { organizationalUnitIds }, for example `
      + '{ organizationalUnitIds: ["ou-a1b2-c3d4e5f6"] }.');
    validator.throwIfInvalid();
  }
  const input = props as MemberAccountBootstrapProps;

  const organizationalUnitIds = checkOrganizationalUnitIds(validator, input.organizationalUnitIds);
  const trustedAccountIds = checkTrustedAccountIds(validator, input.trustedAccountIds, stack.account);
  const qualifier = checkQualifier(validator, input.qualifier);
  const executionPolicyArns = checkExecutionPolicyArns(validator, input.executionPolicyArns);
  const regions = checkRegions(validator, input.regions, stack.region);
  const stackSetName = checkStackSetName(validator, input.stackSetName, qualifier);
  const activate: unknown = input.activateOrganizationsAccess;
  if (isGiven(activate) && typeof activate !== 'boolean') {
    validator.fail(`activateOrganizationsAccess is ${show(activate)}; use true or false, or leave it out to activate `
      + 'trusted access for CloudFormation StackSets.');
  }
  validator.throwIfInvalid();

  return {
    organizationalUnitIds,
    trustedAccountIds,
    qualifier,
    executionPolicyArns,
    regions,
    stackSetName,
    activateOrganizationsAccess: activate !== false,
  };
}

/** Reports the entries of a list that repeat an earlier entry. Tokens are compared as written. */
function checkDuplicates(validator: PropsValidator, propName: string, list: unknown[]): void {
  list.forEach((entry, index) => {
    const first = list.indexOf(entry);
    if (isConcreteString(entry) && first !== index) {
      validator.fail(`${propName}[${index}] is ${show(entry)}, the same as ${propName}[${first}]. Remove the repeat.`);
    }
  });
}

function checkOrganizationalUnitIds(validator: PropsValidator, value: unknown): string[] {
  const example = '["ou-a1b2-c3d4e5f6"]';
  if (!isGiven(value)) {
    validator.fail(`organizationalUnitIds is missing. Give the organizational units whose accounts to bootstrap, for example ${example}.`);
    return [];
  }
  const list = checkList(validator, 'organizationalUnitIds', value, example);
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('organizationalUnitIds is empty, so the StackSet would bootstrap no account. Give at least one '
      + `organizational unit, for example ${example}, or the root ID ("r-a1b2") for every account.`);
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    if (!isConcreteString(entry) || !(OU_ID.test(entry) || ROOT_ID.test(entry))) {
      validator.fail(`organizationalUnitIds[${index}] is ${show(entry)}, which is not the ID of an organizational unit or `
        + 'root. Give an ID such as "ou-a1b2-c3d4e5f6" or "r-a1b2", or PlatformOrganisation.organizationalUnitId(...).');
    }
  });
  checkDuplicates(validator, 'organizationalUnitIds', list);
  return list as string[];
}

function checkTrustedAccountIds(validator: PropsValidator, value: unknown, stackAccount: string): string[] {
  if (!isGiven(value)) {
    return [stackAccount];
  }
  const example = '["111122223333"]';
  const list = checkList(validator, 'trustedAccountIds', value, example);
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('trustedAccountIds is empty, so no account could deploy into the member accounts. Give the account '
      + `that runs cdk deploy, for example ${example}, or omit it to trust this stack's account.`);
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    if (!isConcreteString(entry) || !ACCOUNT_ID.test(entry)) {
      validator.fail(`trustedAccountIds[${index}] is ${show(entry)}, which is not an AWS account ID. Give 12 digits as a `
        + 'string, for example "111122223333".');
    }
  });
  checkDuplicates(validator, 'trustedAccountIds', list);
  return list as string[];
}

function checkQualifier(validator: PropsValidator, value: unknown): string {
  const fallback = DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  if (!isGiven(value)) {
    return fallback;
  }
  if (!isConcreteString(value)) {
    validator.fail(`qualifier is ${show(value)}. Give a literal string, because the qualifier is part of the names that `
      + `DefaultStackSynthesizer writes at synthesis, or omit it for "${fallback}".`);
    return fallback;
  }
  if (!CDK_QUALIFIER.test(value)) {
    validator.fail(`qualifier is ${show(value)}. The CDK accepts 1 to 10 letters, digits, underscores or hyphens, `
      + `because the qualifier is part of 64-character IAM role names. Give one, for example "${fallback}".`);
  } else if (!BUCKET_SAFE_QUALIFIER.test(value)) {
    validator.fail(`qualifier is ${show(value)}. It is part of the staging bucket's name, and S3 bucket names take only `
      + `lowercase letters, digits and hyphens. Give one, for example "${value.toLowerCase().replace(/_/g, '-')}".`);
  }
  return value;
}

function checkExecutionPolicyArns(validator: PropsValidator, value: unknown): string[] | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  const example = '["arn:aws:iam::aws:policy/PowerUserAccess"]';
  const list = checkList(validator, 'executionPolicyArns', value, example);
  if (list === undefined) {
    return undefined;
  }
  if (list.length === 0) {
    validator.fail('executionPolicyArns is empty, so CloudFormation could create no resource in the member accounts. '
      + `Give the managed policies for the resources your stacks create, for example ${example}, or omit it for AdministratorAccess.`);
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      return;
    }
    if (!isConcreteString(entry) || !MANAGED_POLICY_ARN.test(entry)) {
      validator.fail(`executionPolicyArns[${index}] is ${show(entry)}, which is not the ARN of a managed policy. Give an `
        + 'ARN such as "arn:aws:iam::aws:policy/PowerUserAccess" or "arn:aws:iam::111122223333:policy/cdk-deployments".');
    }
  });
  checkDuplicates(validator, 'executionPolicyArns', list);
  return list as string[];
}

function checkRegions(validator: PropsValidator, value: unknown, stackRegion: string): string[] {
  if (!isGiven(value)) {
    if (Token.isUnresolved(stackRegion)) {
      validator.fail('regions is missing and the stack has no region, so the construct cannot tell where to bootstrap. '
        + 'Give the regions, for example ["eu-west-2"], or give the stack an env with a region.');
      return [];
    }
    return [stackRegion];
  }
  const list = checkList(validator, 'regions', value, '["eu-west-2"]');
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('regions is empty, so the StackSet would deploy nowhere. Give at least one region, for example '
      + '["eu-west-2"], or omit it for the stack\'s region.');
  }
  list.forEach((entry, index) => {
    if (typeof entry === 'string' && Token.isUnresolved(entry)) {
      validator.fail(`regions[${index}] is a token. Give the region as a literal string, for example "eu-west-2", `
        + 'because each region is a separate stack instance of the StackSet.');
    } else if (!isConcreteString(entry) || !REGION.test(entry)) {
      validator.fail(`regions[${index}] is ${show(entry)}, which is not an AWS region name. Give one such as "eu-west-2".`);
    }
  });
  checkDuplicates(validator, 'regions', list);
  return list as string[];
}

function checkStackSetName(validator: PropsValidator, value: unknown, qualifier: string): string {
  if (!isGiven(value)) {
    return `CdkBootstrap-${qualifier.replace(/[^A-Za-z0-9-]/g, '-')}`;
  }
  if (!isConcreteString(value) || !STACK_SET_NAME.test(value)) {
    validator.fail(`stackSetName is ${show(value)}. CloudFormation accepts a literal name of 1 to 128 letters, digits `
      + 'and hyphens that starts with a letter, for example "CdkBootstrap".');
  }
  return String(value);
}
