import { createHash } from 'crypto';
import { ArnFormat, Stack, aws_iam as iam, aws_macie as macie, custom_resources as cr } from 'aws-cdk-lib';
import { Construct, IDependable } from 'constructs';
import { callAwsApi } from './api-call';
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
 * TODO: member accounts already in the organisation are not added. The delegated
 * administrator adds them once in the Macie console, and the job analyses a member's
 * buckets only after that.
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
export function configureMacieOrganization(scope: Construct, session: IDependable): void {
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
