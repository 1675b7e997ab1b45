import { CfnResource, Stack, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { MAX_ROLE_INLINE_POLICY_CHARACTERS, estimateInlinePolicyCharacters } from '../inline-policy-size';
import { MAX_ACCOUNTS_PER_ENABLE } from './inspector';

/**
 * The number of resources CloudFormation allows in one stack, which CDK also checks at
 * synthesis unless the context key below sets another limit (0 for none).
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
 */
const DEFAULT_STACK_RESOURCE_LIMIT = 500;
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

/** The custom resource types that the member accounts add, one resource per account or per Enable call. */
const MEMBER_RESOURCE_TYPES = ['Custom::InspectorMember', 'Custom::InspectorEnableMembers', 'Custom::MacieMember'];

/** The resources that the existing member accounts need, for the limit checks. */
export interface MemberAccountsFootprint {
  /** The number of accounts in `existingMemberAccounts`. */
  readonly accountCount: number;
  /** Whether Inspector is turned on in the accounts. */
  readonly inspector: boolean;
  /** Whether Macie is turned on in the accounts. */
  readonly macie: boolean;
}

/**
 * Checks two limits of the stack of `OrganisationDetectiveControls` once the whole stack is
 * built: its resource count, and the inline policies of the role that runs every
 * AwsCustomResource of the stack. Without the check, the first fails with CDK's generic error
 * and the second only at deployment.
 *
 * @returns one message per limit the stack exceeds
 */
export function memberAccountLimitProblems(construct: Construct, footprint: MemberAccountsFootprint): string[] {
  return [...resourceLimitProblems(construct, footprint), ...providerPolicyProblems(construct, footprint)];
}

/** Reports a stack whose resources, with those of the member accounts, exceed CloudFormation's limit. */
function resourceLimitProblems(construct: Construct, footprint: MemberAccountsFootprint): string[] {
  const stack = Stack.of(construct);
  const limit = stackResourceLimit(stack);
  if (limit <= 0 || footprint.accountCount === 0) {
    return [];
  }
  const resources = stack.node.findAll().filter((child) => CfnResource.isCfnResource(child) && Stack.of(child) === stack) as CfnResource[];
  if (resources.length <= limit) {
    return [];
  }
  const memberResources = resources.filter((resource) => MEMBER_RESOURCE_TYPES.includes(resource.cfnResourceType)
    && isWithin(resource, construct)).length;
  const others = resources.length - memberResources;
  const fitting = accountsThatFit(limit - others, footprint);
  return [`existingMemberAccounts lists ${footprint.accountCount} accounts, which add ${memberResources} custom resources to stack `
    + `${stack.stackName} (${perAccountDescription(footprint)}). With its ${others} other resources the stack has ${resources.length}, `
    + `and CloudFormation allows ${limit} in a stack. List at most ${fitting} accounts in this stack: deploy `
    + 'OrganisationDetectiveControls in a stack of its own to make room, and leave out the accounts that joined the organisation '
    + 'after its Inspector and Macie configuration was first deployed, because that configuration already turns the services on '
    + 'in them.'];
}

/** Reports inline policies of the AwsCustomResource provider role that exceed what IAM allows for one role. */
function providerPolicyProblems(construct: Construct, footprint: MemberAccountsFootprint): string[] {
  const call = construct.node.findAll().find((child): child is cr.AwsCustomResource => child instanceof cr.AwsCustomResource);
  const role = call?.grantPrincipal;
  const roleResource = role !== undefined && Construct.isConstruct(role) ? role.node.defaultChild : undefined;
  if (roleResource === undefined) {
    return [];
  }
  const characters = estimateInlinePolicyCharacters(roleResource);
  if (characters <= MAX_ROLE_INLINE_POLICY_CHARACTERS) {
    return [];
  }
  return [`The inline policies of the role that runs the AwsCustomResources of stack ${Stack.of(construct).stackName} contain an `
    + `estimated ${characters} characters, and IAM allows ${MAX_ROLE_INLINE_POLICY_CHARACTERS} per role, so the deployment would fail. `
    + `The ${footprint.accountCount} existingMemberAccounts share one policy per service, so the number of accounts does not add `
    + 'to it: the other AwsCustomResources of the stack do. Deploy OrganisationDetectiveControls in a stack of its own, or move '
    + 'the constructs that make AWS API calls through AwsCustomResource to another stack.'];
}

/** Returns the stack's resource limit as CDK applies it. */
function stackResourceLimit(stack: Stack): number {
  const context: unknown = stack.node.tryGetContext(STACK_RESOURCE_LIMIT_CONTEXT);
  return typeof context === 'number' ? context : DEFAULT_STACK_RESOURCE_LIMIT;
}

/** Returns how many accounts fit in `room` resources: one call per account and service, and Inspector's Enable calls. */
function accountsThatFit(room: number, footprint: MemberAccountsFootprint): number {
  const resourcesFor = (accounts: number): number => accounts * ((footprint.inspector ? 1 : 0) + (footprint.macie ? 1 : 0))
    + (footprint.inspector ? Math.ceil(accounts / MAX_ACCOUNTS_PER_ENABLE) : 0);
  let accounts = footprint.accountCount;
  while (accounts > 0 && resourcesFor(accounts) > room) {
    accounts -= 1;
  }
  return accounts;
}

function perAccountDescription(footprint: MemberAccountsFootprint): string {
  const calls = [...(footprint.inspector ? ['Inspector'] : []), ...(footprint.macie ? ['Macie'] : [])]
    .map((service) => `one ${service} call`).join(' and ');
  const enable = footprint.inspector ? `, and an Inspector Enable call per ${MAX_ACCOUNTS_PER_ENABLE} accounts` : '';
  return `${calls} per account${enable}`;
}

function isWithin(child: IConstruct, ancestor: IConstruct): boolean {
  return child.node.scopes.includes(ancestor);
}
