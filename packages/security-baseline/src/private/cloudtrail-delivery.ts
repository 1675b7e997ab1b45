import { Arn, ArnFormat, Token, aws_iam as iam, aws_s3 as s3 } from 'aws-cdk-lib';
import { PropsValidator, checkList, isConcreteString, isGiven, show } from './validation';

/** The service principal that delivers CloudTrail log files and digest files. */
export const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';

/** The form of an AWS Organizations organization ID. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;

/** The form of a trail ARN: partition, home region, owner account and trail name. */
const TRAIL_ARN = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/[A-Za-z0-9._-]{3,128}$/;

const EXAMPLE_SOURCE = '[{ trailArn: "arn:aws:cloudtrail:eu-west-2:111122223333:trail/organisation-trail", organizationId: "o-a1b2c3d4e5" }]';

/** A trail as LogArchive accepts it, after validation. */
export interface CheckedTrailSource {
  readonly trailArn: string;
  readonly organizationId?: string;
}

/**
 * Builds the bucket policy statements that let CloudTrail deliver the log files of the given
 * trails: one ACL check for all of them, and one write statement for each trail.
 *
 * Each write statement allows only the trail's own folders, `AWSLogs/<trail account>/` and,
 * for an organization trail, `AWSLogs/<organization ID>/`, and requires the
 * `bucket-owner-full-control` ACL and the trail as `aws:SourceArn`.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export function cloudTrailBucketStatements(bucket: s3.IBucket, sources: CheckedTrailSource[]): iam.PolicyStatement[] {
  const principal = new iam.ServicePrincipal(CLOUDTRAIL_SERVICE);
  const statements = [new iam.PolicyStatement({
    sid: 'AWSCloudTrailAclCheck',
    principals: [principal],
    actions: ['s3:GetBucketAcl'],
    resources: [bucket.bucketArn],
    conditions: { StringEquals: { 'aws:SourceArn': sources.map((source) => source.trailArn) } },
  })];

  sources.forEach((source, index) => {
    const trailAccount = Arn.split(source.trailArn, ArnFormat.SLASH_RESOURCE_NAME).account;
    const folders = [trailAccount, ...(source.organizationId === undefined ? [] : [source.organizationId])];
    statements.push(new iam.PolicyStatement({
      sid: `AWSCloudTrailWrite${index}`,
      principals: [principal],
      actions: ['s3:PutObject'],
      resources: folders.map((folder) => bucket.arnForObjects(`AWSLogs/${folder}/*`)),
      conditions: {
        StringEquals: {
          's3:x-amz-acl': 'bucket-owner-full-control',
          'aws:SourceArn': source.trailArn,
        },
      },
    }));
  });
  return statements;
}

/**
 * Checks the `cloudTrailSources` prop of LogArchive and returns the trails, or an empty
 * list when the prop is not given. Returns undefined when it is not a list.
 */
export function checkCloudTrailSources(validator: PropsValidator, value: unknown): CheckedTrailSource[] | undefined {
  if (!isGiven(value)) {
    return [];
  }
  const sources = checkList(validator, 'cloudTrailSources', value, EXAMPLE_SOURCE);
  if (sources === undefined) {
    return undefined;
  }

  const checked: CheckedTrailSource[] = [];
  sources.forEach((source, index) => {
    const path = `cloudTrailSources[${index}]`;
    if (typeof source !== 'object' || source === null || Array.isArray(source)) {
      validator.fail(`${path} is ${show(source)}, which is not an object. Give each trail as an object, for example ${EXAMPLE_SOURCE}.`);
      return;
    }
    const fields = source as Record<string, unknown>;
    const trailArn = checkTrailArn(validator, `${path}.trailArn`, fields.trailArn);
    const organizationId = checkOrganizationId(validator, `${path}.organizationId`, fields.organizationId);
    if (trailArn !== undefined) {
      checked.push({ trailArn, organizationId });
    }
  });

  const arns = checked.map((source) => source.trailArn).filter((arn) => !Token.isUnresolved(arn));
  const repeated = arns.filter((arn, index) => arns.indexOf(arn) !== index);
  for (const arn of new Set(repeated)) {
    validator.fail(`cloudTrailSources lists the trail ${show(arn)} more than once. List each trail once.`);
  }
  return checked;
}

function checkTrailArn(validator: PropsValidator, path: string, value: unknown): string | undefined {
  if (typeof value !== 'string') {
    validator.fail(`${path} is ${show(value)}, which is not a string. Give the trail's ARN, `
      + 'for example "arn:aws:cloudtrail:eu-west-2:111122223333:trail/organisation-trail".');
    return undefined;
  }
  if (isConcreteString(value) && !TRAIL_ARN.test(value)) {
    validator.fail(`${path} is ${show(value)}, which is not a trail ARN. Give it as `
      + '"arn:<partition>:cloudtrail:<home region>:<account ID>:trail/<trail name>", the ARN CloudTrail shows for the trail. '
      + 'For an organization trail the account is the management account.');
    return undefined;
  }
  return value;
}

function checkOrganizationId(validator: PropsValidator, path: string, value: unknown): string | undefined {
  if (!isGiven(value)) {
    return undefined;
  }
  if (typeof value !== 'string') {
    validator.fail(`${path} is ${show(value)}, which is not a string. Give the organization ID, for example "o-a1b2c3d4e5", `
      + 'or omit it for a trail of one account.');
    return undefined;
  }
  if (isConcreteString(value) && !ORGANIZATION_ID.test(value)) {
    validator.fail(`${path} is ${show(value)}, which is not an organization ID. An organization ID is "o-" followed by `
      + '10 to 32 lower-case letters or digits, as `aws organizations describe-organization` shows it.');
    return undefined;
  }
  return value;
}
