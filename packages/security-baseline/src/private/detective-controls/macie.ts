import { createHash } from 'crypto';
import { ArnFormat, Stack, aws_iam as iam, aws_macie as macie, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { callAwsApi, grantSharedApiCalls } from './api-call';
import { memberKey } from './member-accounts';
import { CommonSettings, MacieSettings } from './settings';

/** The `scheduleFrequency` of CreateClassificationJob for each `MacieJobSchedule` value. */
const SCHEDULES: Record<string, object> = {
  DAILY: { dailySchedule: {} },
  WEEKLY: { weeklySchedule: { dayOfWeek: 'MONDAY' } },
  MONTHLY: { monthlySchedule: { dayOfMonth: 1 } },
};

/**
 * Turns on Amazon Macie in this account and, with `organizationWide`, for accounts that
 * join the organisation, and creates the discovery job for the personal data buckets.
 *
 * CloudFormation has resources for neither Macie's organisation configuration nor its
 * jobs, so custom resources call the Macie API.
 *
 * With `organizationWide`, member accounts already in the organisation are not added:
 * `OrganisationDetectiveControls` adds the accounts in its `existingMemberAccounts`. The job
 * analyses a member's buckets only once the account is a member.
 */
export function enableMacie(scope: Construct, settings: MacieSettings, common: CommonSettings): { session: IDependable } {
  const root = new Construct(scope, 'Macie');

  const session = new macie.CfnSession(root, 'Session', {
    status: 'ENABLED',
    findingPublishingFrequency: 'FIFTEEN_MINUTES',
  });
  session.applyRemovalPolicy(common.removalPolicy);

  if (common.organizationWide) {
    configureMacieOrganization(root, session);
  }

  if (settings.personalDataBuckets.length > 0) {
    createDiscoveryJob(root, settings).node.addDependency(session);
  }
  return { session };
}

/**
 * Makes Macie turn itself on in accounts that join the organisation.
 *
 * @param session this account's Macie session, possibly in another stack of this account
 */
export function configureMacieOrganization(scope: Construct, session: IDependable): cr.AwsCustomResource {
  const organization = callAwsApi(scope, 'OrganizationConfiguration', {
    resourceType: 'Custom::MacieOrganizationConfiguration',
    onCreate: {
      service: 'Macie2',
      action: 'updateOrganizationConfiguration',
      parameters: { autoEnable: true },
      physicalResourceId: cr.PhysicalResourceId.of('macie-organization-configuration'),
    },
    statements: [new iam.PolicyStatement({ actions: ['macie2:UpdateOrganizationConfiguration'], resources: ['*'] })],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'macie2:UpdateOrganizationConfiguration supports no resource-level permissions, so IAM accepts only Resource "*" for it.',
    }],
  });
  organization.node.addDependency(session);
  return organization;
}

/**
 * Adds member accounts that were already in the organisation when the organisation
 * configuration was set, which covers only accounts that join later. Adding an account of
 * the organisation as a member turns Macie on in it.
 *
 * Each account gets its own `CreateMember` call, with a physical ID of its own, so that adding
 * an account adds a call and leaves the others alone. The calls run one after another, each
 * waiting for the one before it, so that hundreds of them do not compete for Macie's request
 * quota and fail the deployment with throttling.
 *
 * The email address is used only when the account is first added. The call is made on
 * creation only, so a changed address updates the resource without a call, because calling
 * `CreateMember` again for an existing member could fail the deployment (see the NOTE below).
 * Macie keeps the address it was first given.
 *
 * Removing an account from the list, or deleting these resources, makes no call: Macie stays
 * on in that account and the account stays a member, so that its sensitive data findings keep
 * coming to this account. To turn it off, call `aws macie2 disassociate-member --id <id>` from
 * this account, then `aws macie2 disable-macie` in the member account.
 *
 * NOTE: not confirmed until deployed:
 * - whether `CreateMember` succeeds for an account that is already a member, for example one
 *   that joined after the organisation configuration was set. If it fails with a conflict,
 *   remove that account from the list.
 * - how long the calls take one after another for a long list.
 * - Macie creates its service-linked role in each member account itself, so the call needs no
 *   `iam:CreateServiceLinkedRole` permission here.
 * - CloudFormation has `AWS::Macie::Member` in newer resource specifications than the
 *   aws-cdk-lib this package builds on; it could replace this call once available.
 *
 * The calls have no policy each: one policy of the provider role, `MembersPolicy`, allows
 * `CreateMember` for all of them, so that the role's inline policies do not grow with the
 * number of accounts.
 *
 * @param organization the organisation configuration call, made through the same provider role
 * @param after this account's Macie session and the organisation configuration
 * @see https://docs.aws.amazon.com/macie/latest/APIReference/members.html
 */
export function addMacieMembers(
  scope: Construct,
  accounts: ReadonlyArray<{ readonly accountId: string; readonly email: string }>,
  organization: cr.AwsCustomResource,
  after: IDependable[],
): void {
  if (accounts.length === 0) {
    return;
  }
  const sharedGrant = grantSharedApiCalls(scope, 'MembersPolicy', organization, [
    // NOTE: the Service Authorization Reference lists no resource type for CreateMember as
    // far as checked, so it is allowed on every resource.
    new iam.PolicyStatement({ actions: ['macie2:CreateMember'], resources: ['*'] }),
  ], [{
    id: 'AwsSolutions-IAM5',
    reason: 'The Service Authorization Reference gives macie2:CreateMember no resource type, as far as checked, so it is '
      + 'allowed on every resource; the calls add only the listed accounts.',
    appliesTo: ['Resource::*'],
  }]);

  let previous: IDependable | undefined;
  for (const account of accounts) {
    const member = callAwsApi(scope, `Member${memberKey(scope, account.accountId)}`, {
      resourceType: 'Custom::MacieMember',
      onCreate: {
        service: 'Macie2',
        action: 'createMember',
        parameters: { account: { accountId: account.accountId, email: account.email } },
        physicalResourceId: cr.PhysicalResourceId.of(`macie-member-${account.accountId}`),
      },
      callOnUpdate: false,
      sharedGrant,
    });
    member.node.addDependency(...after, ...(previous !== undefined ? [previous] : []));
    previous = member;
  }
}

/**
 * Creates a scheduled sensitive data discovery job over the personal data buckets.
 *
 * Macie cannot change a job once it is created. When the buckets or the schedule change,
 * the job's client token changes with them, so the custom resource creates a new job, and
 * CloudFormation then deletes the old resource, which cancels the old job.
 *
 * @see https://docs.aws.amazon.com/macie/latest/APIReference/jobs.html
 */
function createDiscoveryJob(scope: Construct, settings: MacieSettings): cr.AwsCustomResource {
  const stack = Stack.of(scope);
  const bucketDefinitions = settings.personalDataBuckets.map((entry) => ({ accountId: entry.accountId, buckets: entry.bucketNames }));
  const scheduleFrequency = SCHEDULES[settings.jobSchedule];

  // The token is derived from the resolved definition, so it is the same in every synthesis
  // of an unchanged definition, even when account IDs are tokens.
  const definition = JSON.stringify(stack.resolve({ bucketDefinitions, scheduleFrequency }));
  const token = createHash('sha256').update(definition).digest('hex').slice(0, 32);

  const jobArn = stack.formatArn({ service: 'macie2', resource: 'classification-job', resourceName: '*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
  return callAwsApi(scope, 'PersonalDataDiscoveryJob', {
    resourceType: 'Custom::MacieClassificationJob',
    onCreate: {
      service: 'Macie2',
      action: 'createClassificationJob',
      parameters: {
        clientToken: token,
        name: `personal-data-${token.slice(0, 8)}`,
        description: 'Finds personal data in the buckets that hold it, with Macie\'s recommended managed data identifiers.',
        jobType: 'SCHEDULED',
        initialRun: true,
        managedDataIdentifierSelector: 'RECOMMENDED',
        s3JobDefinition: { bucketDefinitions },
        scheduleFrequency,
      },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('jobId'),
    },
    onDelete: {
      service: 'Macie2',
      action: 'updateClassificationJob',
      parameters: { jobId: new cr.PhysicalResourceIdReference(), jobStatus: 'CANCELLED' },
    },
    statements: [
      // NOTE: the Service Authorization Reference lists no resource type for
      // CreateClassificationJob as far as checked, so it is allowed on every resource.
      new iam.PolicyStatement({ actions: ['macie2:CreateClassificationJob'], resources: ['*'] }),
      new iam.PolicyStatement({ actions: ['macie2:UpdateClassificationJob'], resources: [jobArn] }),
    ],
    policySuppressions: [{
      id: 'AwsSolutions-IAM5',
      reason: 'A new Macie job has no ARN before it is created, so creation is allowed on every resource; cancelling is allowed only on the jobs of this account and region.',
    }],
  });
}
