import { Stack, aws_iam as iam, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { SharedApiGrant, callAwsApi, grantSharedApiCalls } from './api-call';
import { chunk, memberKey } from './member-accounts';
import { CommonSettings, InspectorSettings } from './settings';
import { createServiceLinkedRoleStatement } from '../service-linked-role';

/**
 * The service-linked roles that Amazon Inspector creates when it is turned on: one for
 * scanning, one for agentless EC2 scanning of EBS snapshots.
 *
 * @see https://docs.aws.amazon.com/inspector/latest/user/using-service-linked-roles.html
 */
const SERVICE_LINKED_ROLES = [
  { service: 'inspector2.amazonaws.com', roleName: 'AWSServiceRoleForAmazonInspector2' },
  { service: 'agentless.inspector2.amazonaws.com', roleName: 'AWSServiceRoleForAmazonInspector2Agentless' },
];

/**
 * Turns on Amazon Inspector scanning in this account and, with `organizationWide`, for
 * accounts that join the organisation.
 *
 * CloudFormation has no resource that turns Inspector on, so custom resources call
 * `Enable` and `UpdateOrganizationConfiguration`.
 *
 * With `organizationWide`, member accounts already in the organisation are not activated:
 * `OrganisationDetectiveControls` does that for the accounts in its `existingMemberAccounts`.
 *
 * @see https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
 */
export function enableInspector(scope: Construct, settings: InspectorSettings, common: CommonSettings): { enabled: IDependable } {
  const root = new Construct(scope, 'Inspector');
  const stack = Stack.of(scope);
  const resourceTypes = scanTypes(settings);

  // NOTE: Enable only adds scan types. Turning ec2Scanning or ecrScanning off after deployment,
  // or deleting the resource, leaves scanning on: call Disable by hand, which deletes the findings.
  const enable = callAwsApi(root, 'Enable', {
    resourceType: 'Custom::InspectorEnable',
    onCreate: {
      service: 'Inspector2',
      action: 'enable',
      parameters: { resourceTypes },
      physicalResourceId: cr.PhysicalResourceId.of('inspector-enable'),
    },
    statements: [
      // Inspector's Enable supports no resource-level permissions.
      new iam.PolicyStatement({ actions: ['inspector2:Enable'], resources: ['*'] }),
      createServiceLinkedRoleStatement(stack, SERVICE_LINKED_ROLES),
    ],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'inspector2:Enable supports no resource-level permissions, so IAM accepts only Resource "*" for it; the service-linked role permission names the two Inspector roles only.',
    }],
  });

  if (common.organizationWide) {
    configureInspectorOrganization(root, settings, enable);
  }
  return { enabled: enable };
}

/**
 * Makes accounts that join the organisation get the same Inspector scan types as this account.
 *
 * @param enabled the call that turned Inspector on in this account, possibly in another stack of this account
 */
export function configureInspectorOrganization(scope: Construct, settings: InspectorSettings, enabled: IDependable): cr.AwsCustomResource {
  const organization = callAwsApi(scope, 'OrganizationConfiguration', {
    resourceType: 'Custom::InspectorOrganizationConfiguration',
    onCreate: {
      service: 'Inspector2',
      action: 'updateOrganizationConfiguration',
      parameters: { autoEnable: { ec2: settings.ec2Scanning, ecr: settings.ecrScanning, lambda: false, lambdaCode: false } },
      physicalResourceId: cr.PhysicalResourceId.of('inspector-organization-configuration'),
    },
    statements: [new iam.PolicyStatement({ actions: ['inspector2:UpdateOrganizationConfiguration'], resources: ['*'] })],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'inspector2:UpdateOrganizationConfiguration supports no resource-level permissions, so IAM accepts only Resource "*" for it.',
    }],
  });
  organization.node.addDependency(enabled);
  return organization;
}

/** Inspector's Enable accepts at most this many account IDs in one call. */
export const MAX_ACCOUNTS_PER_ENABLE = 100;

/**
 * Turns Inspector on, with this account's scan types, in member accounts that were already in
 * the organisation when the organisation configuration was set, which covers only accounts
 * that join later.
 *
 * Each account gets its own `AssociateMember` call, with a physical ID of its own, so that
 * adding an account adds a call and leaves the others alone. The calls run one after another,
 * each waiting for the one before it, so that hundreds of them do not compete for Inspector's
 * request quota and fail the deployment with throttling. Then `Enable` turns scanning on for
 * the associated accounts, at most 100 account IDs a call, also one call after the other.
 *
 * Each `Enable` call keeps its construct ID and physical ID when the list changes, and makes
 * the same call again on the update, with its new account IDs. Enable only adds, so repeating
 * it for accounts that are already on changes nothing. An account that moves to the next call
 * because another is added earlier in the list is enabled by that call. Keying each call on a
 * hash of its accounts would work too, but would replace the resource on every change, while
 * the update keeps the logical IDs stable.
 *
 * Removing an account from the list, or deleting these resources, makes no call: scanning
 * stays on in that account, because turning it off deletes its findings. To turn it off, call
 * `aws inspector2 disable --account-ids <id> --resource-types EC2 ECR` from this account, then
 * `aws inspector2 disassociate-member --account-id <id>`.
 *
 * NOTE: not confirmed until deployed:
 * - whether accounts of the organisation need `AssociateMember` at all. The Inspector user
 *   guide has the delegated administrator add them as members by hand, so the call is made.
 *   For an account that is already associated, it is expected to succeed and change nothing.
 * - how long the calls take one after another for a long list.
 * - whether an account that is already on is reported in `failedAccounts` (as
 *   `ALREADY_ENABLED`) when the call is made again.
 * - Inspector creates its service-linked roles in each member account itself, so the calls
 *   need no `iam:CreateServiceLinkedRole` permission here.
 *
 * `Enable` reports an account it cannot turn on in `failedAccounts` and still succeeds, so a
 * failed account does not fail the deployment. The response is not returned to
 * CloudFormation (see `enableMembers`), so check the accounts with
 * `aws inspector2 batch-get-account-status` after each deployment that adds accounts.
 *
 * The calls have no policy each: one policy of the provider role, `MembersPolicy`, allows
 * `AssociateMember` and `Enable` for all of them, so that the role's inline policies do not
 * grow with the number of accounts.
 *
 * @param accountIds the member accounts, none of them this account
 * @param organization the organisation configuration call, made through the same provider role
 * @param after this account's own activation and the organisation configuration
 * @see https://docs.aws.amazon.com/inspector/v2/APIReference/API_AssociateMember.html
 * @see https://docs.aws.amazon.com/inspector/v2/APIReference/API_Enable.html
 */
export function activateInspectorMembers(
  scope: Construct,
  settings: InspectorSettings,
  accountIds: string[],
  organization: cr.AwsCustomResource,
  after: IDependable[],
): void {
  if (accountIds.length === 0) {
    return;
  }
  const sharedGrant = grantSharedApiCalls(scope, 'MembersPolicy', organization, [
    new iam.PolicyStatement({ actions: ['inspector2:AssociateMember'], resources: ['*'] }),
    new iam.PolicyStatement({ actions: ['inspector2:Enable'], resources: ['*'] }),
  ], [{
    id: 'AwsSolutions-IAM5',
    reason: 'inspector2:AssociateMember and inspector2:Enable support no resource-level permissions, so IAM accepts only '
      + 'Resource "*" for them; the calls name only the listed accounts.',
    appliesTo: ['Resource::*'],
  }]);

  let previous: IDependable | undefined;
  for (const accountId of accountIds) {
    const association = callAwsApi(scope, `Member${memberKey(scope, accountId)}`, {
      resourceType: 'Custom::InspectorMember',
      onCreate: {
        service: 'Inspector2',
        action: 'associateMember',
        parameters: { accountId },
        physicalResourceId: cr.PhysicalResourceId.of(`inspector-member-${accountId}`),
      },
      sharedGrant,
    });
    association.node.addDependency(...after, ...(previous !== undefined ? [previous] : []));
    previous = association;
  }

  // The chain of associations ends with the last one, so the first Enable call waits for it,
  // and each later Enable call for the one before it.
  chunk(accountIds, MAX_ACCOUNTS_PER_ENABLE).forEach((ids, index) => {
    const enable = enableMembers(scope, index + 1, ids, settings, sharedGrant);
    enable.node.addDependency(...after, previous!);
    previous = enable;
  });
}

/**
 * Makes the `Enable` call at `position` (from 1) for up to 100 member accounts, and the same
 * call again when the accounts or the scan types change.
 *
 * The response lists every account of the call in `accounts`, and each account Inspector
 * could not turn on in `failedAccounts`, with an error code and message. None of it is
 * returned to CloudFormation (`outputPaths` is empty), for two reasons. The response for 100
 * accounts can exceed the 4,096 bytes a custom resource may return. A field such as
 * `failedAccounts.0.accountId` exists only when an account failed, so an output that refers
 * to it would fail the deployment in the usual case, where every account is turned on. The
 * provider function logs the whole response in CloudWatch Logs, and
 * `aws inspector2 batch-get-account-status` shows each account's state.
 */
function enableMembers(scope: Construct, position: number, accountIds: string[], settings: InspectorSettings,
  sharedGrant: SharedApiGrant): cr.AwsCustomResource {
  const call: cr.AwsSdkCall = {
    service: 'Inspector2',
    action: 'enable',
    parameters: { accountIds, resourceTypes: scanTypes(settings) },
    physicalResourceId: cr.PhysicalResourceId.of(`inspector-enable-members-${position}`),
    outputPaths: [],
  };
  // AwsCustomResource makes no call on an update unless it is given one. Giving the same call
  // explicitly, rather than relying on the default of callAwsApi, keeps the reason with it.
  return callAwsApi(scope, `EnableMembers${position}`, {
    resourceType: 'Custom::InspectorEnableMembers',
    onCreate: call,
    onUpdate: call,
    sharedGrant,
  });
}

/** Returns the `resourceTypes` of Inspector's Enable for the scan types that are on. */
function scanTypes(settings: InspectorSettings): string[] {
  return [...(settings.ec2Scanning ? ['EC2'] : []), ...(settings.ecrScanning ? ['ECR'] : [])];
}
