import { Aws, aws_events as events, aws_iam as iam } from 'aws-cdk-lib';

/**
 * The remediation of a detected change: an Automation runbook, the CloudTrail events that
 * start it, its input and the permissions of the role it runs as.
 */
export interface RemediationPlan {
  /**
   * The name of the AWS-owned runbook, or undefined when the construct defines the runbook
   * in `document`.
   */
  readonly runbookName?: string;

  /** The content of a runbook the construct defines, for changes with no AWS-owned runbook. */
  readonly document?: Record<string, unknown>;

  /** The CloudTrail event names that start the runbook, a subset of the detection's. */
  readonly eventNames: string[];

  /** Fields the event must also have, so that the runbook gets every input it needs. */
  readonly requiredFields: Record<string, unknown>;

  /** The runbook's parameters, apart from `AutomationAssumeRole`, as values or event fields. */
  readonly parameters: Record<string, string>;

  /** The permissions of the automation role, apart from starting and reading its own automation. */
  readonly statements: () => iam.PolicyStatement[];

  /** A reason for each cdk-nag rule the statements break, such as a wildcard resource. */
  readonly wildcardReason: string;

  /** The runbook's effect, which completes "Unless CloudFormation made the change, …" in the alert. */
  readonly action: string;
}

/** A security-relevant change, recognised from the CloudTrail event of a successful API call. */
export interface Detection {
  /** The `SecurityChange` value. */
  readonly change: string;

  /** The construct ID prefix of the change's rules. */
  readonly id: string;

  /** The event source of the service, for example `aws.s3`. */
  readonly source: string;

  /** The CloudTrail event source, for example `s3.amazonaws.com`. */
  readonly eventSource: string;

  /** The CloudTrail event names of the change. */
  readonly eventNames: string[];

  /** Further fields of `detail` that the event must match. */
  readonly detail: Record<string, unknown>;

  /** The path in the event to the ID of the changed resource. */
  readonly resourcePath: string;

  /** A few words on the change, for the alert. */
  readonly summary: string;

  /** The remediation of the change, or undefined when the change is only reported. */
  readonly remediation?: RemediationPlan;

  /**
   * The reason that a change with no remediation is only reported, which ends its alert.
   * Given exactly when `remediation` is not.
   */
  readonly alertOnlyReason?: string;
}

const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/**
 * The source IP address that CloudTrail records for calls that CloudFormation makes.
 *
 * CloudTrail records the DNS name of the service as the source of a call that an AWS
 * service makes. NOTE: that CloudFormation's calls carry this name was not checked
 * against a deployed stack here.
 */
export const CLOUDFORMATION_SOURCE = 'cloudformation.amazonaws.com';

/** Builds the ARN of resources in this stack's account and region. */
function arn(service: string, resource: string): string {
  return `arn:${Aws.PARTITION}:${service}:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
}

/**
 * Returns the security-relevant changes the construct detects, and how each is put right.
 * It builds them on each call, because event fields are tokens, which are not created at import time.
 *
 * The runbooks and their parameters are those of the AWS Systems Manager Automation runbook
 * reference: AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock,
 * AWSConfigRemediation-RemoveUnrestrictedSourceIngressRules, AWSConfigRemediation-CancelKeyDeletion
 * and AWSConfigRemediation-EnableEbsEncryptionByDefault.
 *
 * @see https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-runbook-reference.html
 */
export function detections(): Detection[] {
  return [
    {
      change: 'PUBLIC_BUCKET',
      id: 'PublicBucket',
      source: 'aws.s3',
      eventSource: 's3.amazonaws.com',
      eventNames: [
        'PutBucketPolicy',
        'PutBucketAcl',
        'PutBucketPublicAccessBlock',
        'DeleteBucketPublicAccessBlock',
        'PutAccountPublicAccessBlock',
        'DeleteAccountPublicAccessBlock',
      ],
      detail: {},
      resourcePath: '$.detail.requestParameters.bucketName',
      summary: 'the access settings of an S3 bucket or of the account changed, which can make a bucket public',
      remediation: {
        // Block Public Access only stops public access, so applying it to a bucket that the
        // platform keeps private changes nothing else. PutBucketPublicAccessBlock is left out:
        // the runbook makes that call itself, and matching it would start the runbook again
        // without end. A bucket becomes public only through a policy or ACL, whose change
        // starts the runbook, or when its Block Public Access settings are deleted.
        runbookName: 'AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock',
        eventNames: ['PutBucketPolicy', 'PutBucketAcl', 'DeleteBucketPublicAccessBlock'],
        requiredFields: { requestParameters: { bucketName: [{ exists: true }] } },
        parameters: { BucketName: events.EventField.fromPath('$.detail.requestParameters.bucketName') },
        statements: () => [new iam.PolicyStatement({
          actions: ['s3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'],
          resources: [`arn:${Aws.PARTITION}:s3:::*`],
        })],
        action: 'Block Public Access is applied to the bucket',
        wildcardReason: 'The runbook blocks public access on whichever bucket the event names, so it needs every bucket; it may only read and set Block Public Access.',
      },
    },
    {
      change: 'OPEN_SECURITY_GROUP',
      id: 'OpenSecurityGroup',
      source: 'aws.ec2',
      eventSource: 'ec2.amazonaws.com',
      eventNames: ['AuthorizeSecurityGroupIngress'],
      // EventBridge matches a field in a list when any item of the list matches.
      detail: {
        $or: [
          { requestParameters: { ipPermissions: { items: { ipRanges: { items: { cidrIp: ['0.0.0.0/0'] } } } } } },
          { requestParameters: { ipPermissions: { items: { ipv6Ranges: { items: { cidrIpv6: ['::/0'] } } } } } },
        ],
      },
      resourcePath: '$.detail.requestParameters.groupId',
      summary: 'a security group was opened to every IPv4 or IPv6 address',
      remediation: {
        runbookName: 'AWSConfigRemediation-RemoveUnrestrictedSourceIngressRules',
        eventNames: ['AuthorizeSecurityGroupIngress'],
        requiredFields: { requestParameters: { groupId: [{ exists: true }] } },
        parameters: { SecurityGroupId: events.EventField.fromPath('$.detail.requestParameters.groupId') },
        statements: () => [
          new iam.PolicyStatement({ actions: ['ec2:DescribeSecurityGroups'], resources: ['*'] }),
          new iam.PolicyStatement({ actions: ['ec2:RevokeSecurityGroupIngress'], resources: [arn('ec2', 'security-group/*')] }),
        ],
        action: 'the rules of the security group that allow every address are revoked',
        wildcardReason: 'ec2:DescribeSecurityGroups supports no resource-level permissions, and the runbook revokes rules of whichever security group the event names.',
      },
    },
    {
      // The same change as above, made by changing a rule that already exists. It has its own
      // rules, so that the rules above, and their logical IDs, stay as they were.
      change: 'OPEN_SECURITY_GROUP',
      id: 'ModifiedSecurityGroupRule',
      source: 'aws.ec2',
      eventSource: 'ec2.amazonaws.com',
      eventNames: ['ModifySecurityGroupRules'],
      // CloudTrail records this request under ModifySecurityGroupRulesRequest, with
      // upper camel case names: GroupId, and SecurityGroupRule entries that each hold the
      // SecurityGroupRuleId and the new rule, itself named SecurityGroupRule. Published
      // records of a call that changes one rule show SecurityGroupRule as an object.
      // NOTE: whether a call that changes several rules records a list there was not
      // checked against a deployed account. The pattern covers both, because EventBridge
      // matches a field inside a list when any item of the list matches.
      detail: {
        $or: [
          { requestParameters: { ModifySecurityGroupRulesRequest: { SecurityGroupRule: { SecurityGroupRule: { CidrIpv4: ['0.0.0.0/0'] } } } } },
          { requestParameters: { ModifySecurityGroupRulesRequest: { SecurityGroupRule: { SecurityGroupRule: { CidrIpv6: ['::/0'] } } } } },
        ],
      },
      resourcePath: '$.detail.requestParameters.ModifySecurityGroupRulesRequest.GroupId',
      summary: 'a security group rule was changed to allow every IPv4 or IPv6 address',
      // ModifySecurityGroupRules changes ingress and egress rules alike, and neither its
      // request nor its response records which kind a rule is. An egress rule to every
      // address is normal, and after such a change the runbook would still revoke the group's
      // ingress rules that allow every address, which may be deliberate. So the change is only reported.
      alertOnlyReason: 'The event does not record whether the rule is an ingress or an egress rule, so it is not put right '
        + 'automatically: if it is an ingress rule, restrict or revoke it',
    },
    {
      change: 'TRAIL_STOPPED',
      id: 'TrailStopped',
      source: 'aws.cloudtrail',
      eventSource: 'cloudtrail.amazonaws.com',
      eventNames: ['StopLogging', 'DeleteTrail', 'UpdateTrail'],
      detail: {},
      resourcePath: '$.detail.requestParameters.name',
      summary: 'a CloudTrail trail was stopped, deleted or changed',
      remediation: {
        // A deleted trail cannot be restored from the event, and an update may be deliberate,
        // so only a stopped trail is put right: by starting its logging again.
        document: restartLoggingDocument(),
        eventNames: ['StopLogging'],
        requiredFields: { requestParameters: { name: [{ exists: true }] } },
        parameters: { TrailName: events.EventField.fromPath('$.detail.requestParameters.name') },
        statements: () => [new iam.PolicyStatement({ actions: ['cloudtrail:StartLogging'], resources: [arn('cloudtrail', 'trail/*')] })],
        action: 'a stopped trail is started again; a deleted or changed trail needs investigation',
        wildcardReason: 'The runbook starts logging on whichever trail of this account and region the event names; it may do nothing else.',
      },
    },
    {
      change: 'KEY_DELETION',
      id: 'KeyDeletion',
      source: 'aws.kms',
      eventSource: 'kms.amazonaws.com',
      eventNames: ['ScheduleKeyDeletion', 'DisableKey'],
      detail: {},
      resourcePath: '$.detail.requestParameters.keyId',
      summary: 'a KMS key was scheduled for deletion or disabled',
      remediation: {
        // Disabling a key may be a deliberate response to an incident, so a disabled key is
        // only reported. Cancelling a deletion leaves the key disabled.
        runbookName: 'AWSConfigRemediation-CancelKeyDeletion',
        eventNames: ['ScheduleKeyDeletion'],
        requiredFields: { requestParameters: { keyId: [{ exists: true }] } },
        parameters: { KeyId: events.EventField.fromPath('$.detail.requestParameters.keyId') },
        statements: () => [new iam.PolicyStatement({
          actions: ['kms:CancelKeyDeletion', 'kms:DescribeKey'],
          resources: [arn('kms', 'key/*')],
        })],
        action: 'a scheduled deletion is cancelled and the key stays disabled; a disabled key needs investigation',
        wildcardReason: 'The runbook cancels the deletion of whichever key of this account and region the event names; it may do nothing else with it.',
      },
    },
    {
      change: 'UNENCRYPTED_VOLUME',
      id: 'UnencryptedVolume',
      source: 'aws.ec2',
      eventSource: 'ec2.amazonaws.com',
      eventNames: ['CreateVolume'],
      detail: { responseElements: { encrypted: [false] } },
      resourcePath: '$.detail.responseElements.volumeId',
      summary: 'an unencrypted EBS volume was created',
      remediation: {
        // EBS cannot encrypt a volume in place, so the runbook turns on encryption by default
        // for the volumes created from now on, and the alert asks the reader to replace this one.
        runbookName: 'AWSConfigRemediation-EnableEbsEncryptionByDefault',
        eventNames: ['CreateVolume'],
        requiredFields: {},
        parameters: {},
        statements: () => [new iam.PolicyStatement({
          actions: ['ec2:EnableEbsEncryptionByDefault', 'ec2:GetEbsEncryptionByDefault'],
          resources: ['*'],
        })],
        action: 'EBS encryption by default is turned on for new volumes; replace this volume with an encrypted copy',
        wildcardReason: 'EBS encryption by default is a setting of the account and region, so its actions support no resource-level permissions.',
      },
    },
  ];
}

/** Builds the event pattern of a detection's alert, or of its remediation when `eventNames` narrows it. */
export function eventPattern(
  detection: Detection,
  eventNames: string[],
  extraDetail: Record<string, unknown> = {},
): events.EventPattern {
  return {
    source: [detection.source],
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [detection.eventSource],
      eventName: eventNames,
      // Calls that failed, for example because a service control policy denied them, changed nothing.
      errorCode: [{ exists: false }],
      ...detection.detail,
      ...extraDetail,
    },
  };
}

/** Builds the Automation runbook that starts the logging of a trail again. */
function restartLoggingDocument(): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description: 'Starts the logging of a CloudTrail trail that was stopped.',
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters: {
      AutomationAssumeRole: { type: 'String', description: 'The ARN of the role that the automation runs as.' },
      TrailName: { type: 'String', description: 'The name or ARN of the trail.' },
    },
    mainSteps: [{
      name: 'StartLogging',
      action: 'aws:executeAwsApi',
      inputs: { Service: 'cloudtrail', Api: 'StartLogging', Name: '{{ TrailName }}' },
      isEnd: true,
    }],
  };
}
