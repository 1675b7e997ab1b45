/**
 * A CloudWatch Logs metric filter of the CIS AWS Foundations Benchmark monitoring section,
 * applied to the CloudTrail events of a log group.
 */
export interface CisMetricFilter {
  /** The construct ID of the filter and its alarm, which is also the metric name. */
  readonly id: string;

  /** The recommendation number in CIS AWS Foundations Benchmark v3.0.0. */
  readonly recommendation: string;

  /** The events that the filter matches, for the alarm description. */
  readonly description: string;

  /** The CloudWatch Logs filter pattern. CloudWatch Logs accepts at most 1,024 characters. */
  readonly pattern: string;
}

/** Joins `($.eventName = X)` terms with `||`, for patterns that list many API actions. */
function anyEventName(names: string[]): string {
  return names.map((name) => `($.eventName = ${name})`).join(' || ');
}

/** The maximum length of a filter pattern that CloudWatch Logs accepts. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;

/**
 * The metric filters of section 4 (Monitoring) of CIS AWS Foundations Benchmark v3.0.0,
 * recommendations 4.1 to 4.15. The patterns follow the benchmark's audit procedures.
 *
 * The benchmark's pattern for 4.1 joins `||` and `&&` without brackets. The pattern here
 * brackets the two error codes, so that the exclusions apply to both, which is what the
 * recommendation describes.
 */
export const CIS_METRIC_FILTERS: CisMetricFilter[] = [
  {
    id: 'UnauthorizedApiCalls',
    recommendation: '4.1',
    description: 'API calls rejected as unauthorised (UnauthorizedOperation or AccessDenied errors)',
    pattern: '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) '
      + '&& ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
  },
  {
    id: 'ConsoleSignInWithoutMfa',
    recommendation: '4.2',
    description: 'successful AWS Management Console sign-ins of IAM users without MFA',
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") '
      + '&& ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    id: 'RootUserUsage',
    recommendation: '4.3',
    description: 'requests made with the root user credentials',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    id: 'IamPolicyChanges',
    recommendation: '4.4',
    description: 'changes to IAM policies',
    pattern: `{ ($.eventSource = iam.amazonaws.com) && (${anyEventName([
      'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
      'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
      'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
    ])}) }`,
  },
  {
    id: 'CloudTrailChanges',
    recommendation: '4.5',
    description: 'changes to CloudTrail trails and their logging',
    pattern: `{ ${anyEventName(['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'])} }`,
  },
  {
    id: 'ConsoleSignInFailures',
    recommendation: '4.6',
    description: 'failed AWS Management Console sign-ins',
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
  },
  {
    id: 'KmsKeyDisablingOrDeletion',
    recommendation: '4.7',
    description: 'customer managed KMS keys disabled or scheduled for deletion',
    pattern: `{ ($.eventSource = kms.amazonaws.com) && (${anyEventName(['DisableKey', 'ScheduleKeyDeletion'])}) }`,
  },
  {
    id: 'S3BucketPolicyChanges',
    recommendation: '4.8',
    description: 'changes to S3 bucket policies, ACLs, CORS, lifecycle and replication',
    pattern: `{ ($.eventSource = s3.amazonaws.com) && (${anyEventName([
      'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication',
      'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication',
    ])}) }`,
  },
  {
    id: 'ConfigChanges',
    recommendation: '4.9',
    description: 'changes to AWS Config recorders and delivery channels',
    pattern: `{ ($.eventSource = config.amazonaws.com) && (${anyEventName([
      'StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder',
    ])}) }`,
  },
  {
    id: 'SecurityGroupChanges',
    recommendation: '4.10',
    description: 'changes to security groups',
    pattern: `{ ${anyEventName([
      'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
      'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup',
    ])} }`,
  },
  {
    id: 'NetworkAclChanges',
    recommendation: '4.11',
    description: 'changes to network ACLs',
    pattern: `{ ${anyEventName([
      'CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry',
      'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation',
    ])} }`,
  },
  {
    id: 'NetworkGatewayChanges',
    recommendation: '4.12',
    description: 'changes to internet gateways and customer gateways',
    pattern: `{ ${anyEventName([
      'CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway',
      'DeleteInternetGateway', 'DetachInternetGateway',
    ])} }`,
  },
  {
    id: 'RouteTableChanges',
    recommendation: '4.13',
    description: 'changes to VPC route tables and routes',
    pattern: `{ ($.eventSource = ec2.amazonaws.com) && (${anyEventName([
      'CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable',
      'DeleteRoute', 'DisassociateRouteTable',
    ])}) }`,
  },
  {
    id: 'VpcChanges',
    recommendation: '4.14',
    description: 'changes to VPCs and VPC peering connections',
    pattern: `{ ${anyEventName([
      'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc',
      'DisableVpcClassicLink', 'EnableVpcClassicLink',
    ])} }`,
  },
  {
    id: 'OrganizationsChanges',
    recommendation: '4.15',
    description: 'changes to the AWS Organizations organization, its accounts, OUs and policies',
    pattern: `{ ($.eventSource = organizations.amazonaws.com) && (${anyEventName([
      'AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake',
      'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType',
      'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount',
      'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit',
    ])}) }`,
  },
];
