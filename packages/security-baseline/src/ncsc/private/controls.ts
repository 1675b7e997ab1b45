import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult, rules } from 'cdk-nag';
import { NcscPrinciple } from '../../detective-controls';
import { NcscAssessment, NcscControl, NcscControlType } from '../control';
import { BackupCoverage, BackupRetention } from './backup-rules';
import { DataStoreClassified, SensitiveDataCustomerKey } from './data-store-rules';
import { LogRetention } from './log-retention-rule';
import { LondonRegionOnly } from './region-rule';
import { CloudFrontOriginTls, HttpRedirectsToHttps, TLS_FINDINGS, Tls12OrLater } from './tls-rules';

/**
 * The single source of the NCSC controls. `NcscChecks` applies the rule of every automated
 * control, and `NcscControlCatalogue` lists every control, so the pack and the mapping
 * cannot drift apart.
 *
 * Identifiers in the cdkNagRule column were read from the AwsSolutions and NIST 800-53
 * rev 5 packs of cdk-nag 2.37.51. AWS Config identifiers and Security Hub control IDs are
 * given only where the AWS documentation confirms them; otherwise the field is left out.
 */

/** An automated control together with the rule that checks it. */
export interface AutomatedControl {
  readonly control: NcscControl;

  /** The rule function that cdk-nag calls for each resource. */
  readonly rule: (node: CfnResource) => NagRuleResult;

  /** The meaning of a finding, shown by cdk-nag next to the rule ID. */
  readonly info: string;

  /** The reason the rule exists, shown by cdk-nag in verbose mode. */
  readonly explanation: string;

  readonly level: NagMessageLevel;

  /**
   * The message of each finding ID the rule can return, shown instead of `info` so that the
   * message names the actual problem. Empty for rules that return only a compliance.
   */
  readonly findingInfo: Record<string, string>;
}

/** The prefix of every control ID, which is also the pack name that cdk-nag puts before the suffix. */
export const PACK_NAME = 'NCSC';

interface AutomatedSpec {
  readonly id: string;
  readonly principle: NcscPrinciple;
  readonly title: string;
  readonly description: string;
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly info: string;
  readonly explanation: string;
  readonly cdkNagRule?: string;
  readonly configRule?: string;
  readonly securityHubControl?: string;
  readonly findings?: ReadonlyArray<{ readonly id: string; readonly info: string }>;
}

function automated(spec: AutomatedSpec): AutomatedControl {
  const control: NcscControl = {
    id: spec.id,
    principle: spec.principle,
    title: spec.title,
    description: spec.description,
    // The pack runs at synthesis and its errors stop the pipeline, so it prevents a
    // non-compliant change from being deployed.
    controlType: NcscControlType.PREVENTIVE,
    assessment: NcscAssessment.AUTOMATED,
    ...(spec.cdkNagRule ? { cdkNagRule: spec.cdkNagRule } : {}),
    ...(spec.configRule ? { configRule: spec.configRule } : {}),
    ...(spec.securityHubControl ? { securityHubControl: spec.securityHubControl } : {}),
  };
  const findingInfo: Record<string, string> = {};
  for (const finding of spec.findings ?? []) {
    findingInfo[finding.id] = finding.info;
  }
  return { control, rule: spec.rule, info: spec.info, explanation: spec.explanation, level: NagMessageLevel.ERROR, findingInfo };
}

/**
 * Returns the automated controls, in the order of the principles. It is a function rather
 * than a constant, because `detective-controls.ts` and its private modules import each other:
 * the enum is read when the function runs, after every module has loaded.
 */
export function automatedControls(): AutomatedControl[] {
  const p = NcscPrinciple;
  const f = TLS_FINDINGS;
  return [
    // 1. Data in transit protection
    automated({
      id: 'NCSC-P01-Tls12OrLater',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: Tls12OrLater,
      title: 'Endpoints accept TLS 1.2 or later only',
      description: 'Load balancer listeners, CloudFront distributions, API Gateway domain names, OpenSearch Service '
        + 'domains and Transfer Family servers state a security policy whose lowest version is TLS 1.2, and accept '
        + 'no plain HTTP or FTP beside it.',
      info: 'The endpoint accepts plain HTTP or FTP, or TLS versions older than 1.2, or does not state its security policy.',
      explanation: 'TLS 1.0 and 1.1 have known weaknesses, and plain HTTP and FTP have no protection at all. State a '
        + 'security policy whose lowest version is TLS 1.2 and turn plain-text protocols off, so that data in transit '
        + 'cannot be read or changed on the way.',
      findings: [f.oldTlsPolicy, f.deployTimeValue, f.viewerPlainHttp, f.plainHttpEndpoint, f.plainFtp],
    }),
    automated({
      id: 'NCSC-P01-CloudFrontOriginTls',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: CloudFrontOriginTls,
      title: 'CloudFront reaches its origins with TLS 1.2 or later',
      description: 'Every custom origin of a CloudFront distribution is reached over HTTPS, and its SSL protocols '
        + 'name TLS 1.2 only.',
      info: 'CloudFront connects to an origin over plain HTTP, or with SSL or TLS versions older than 1.2.',
      explanation: 'Data between CloudFront and the origin crosses the internet: protect it as the viewer connection is protected.',
      configRule: 'CLOUDFRONT_TRAFFIC_TO_ORIGIN_ENCRYPTED',
      securityHubControl: 'CloudFront.9',
      findings: [f.originPlainHttp, f.originOldTls, f.originDeployTimeValue],
    }),
    automated({
      id: 'NCSC-P01-HttpRedirectsToHttps',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: HttpRedirectsToHttps,
      title: 'HTTP listeners only redirect to HTTPS',
      description: 'A load balancer listener on plain HTTP serves nothing: its only action, and the only action of '
        + 'each of its listener rules, redirects the client to HTTPS.',
      info: 'The HTTP listener or one of its rules does something other than redirect to HTTPS, or the listener\'s protocol is not known.',
      explanation: 'Traffic over plain HTTP can be read and changed on the way. Redirect it to an HTTPS listener.',
      configRule: 'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK',
      securityHubControl: 'ELB.1',
      findings: [f.httpServes, f.protocolUnknown],
    }),
    automated({
      id: 'NCSC-P01-S3RequireTls',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: rules.s3.S3BucketSSLRequestsOnly,
      title: 'S3 buckets refuse requests without TLS',
      description: 'The bucket policy denies every request that does not use TLS.',
      info: 'The S3 bucket policy does not deny requests that do not use TLS.',
      explanation: 'Without the deny statement a client can read or write the bucket over plain HTTP.',
      cdkNagRule: 'AwsSolutions-S10',
      configRule: 'S3_BUCKET_SSL_REQUESTS_ONLY',
      securityHubControl: 'S3.5',
    }),
    automated({
      id: 'NCSC-P01-ClassicLoadBalancerTls',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: rules.elb.ELBTlsHttpsListenersOnly,
      title: 'Classic Load Balancers listen with TLS or HTTPS only',
      description: 'Every listener of a Classic Load Balancer uses SSL or HTTPS.',
      info: 'The Classic Load Balancer has a listener that does not use SSL or HTTPS.',
      explanation: 'A listener without TLS carries user data in clear text.',
      cdkNagRule: 'AwsSolutions-ELB5',
      configRule: 'ELB_TLS_HTTPS_LISTENERS_ONLY',
      securityHubControl: 'ELB.3',
    }),
    automated({
      id: 'NCSC-P01-QueueRequireTls',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: rules.sqs.SQSQueueSSLRequestsOnly,
      title: 'SQS queues refuse requests without TLS',
      description: 'The queue policy denies every request that does not use TLS.',
      info: 'The SQS queue policy does not deny requests that do not use TLS.',
      explanation: 'Without the deny statement a client can send or receive messages over plain HTTP.',
      cdkNagRule: 'AwsSolutions-SQS4',
    }),
    automated({
      id: 'NCSC-P01-TopicRequireTls',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: rules.sns.SNSTopicSSLPublishOnly,
      title: 'SNS topics refuse publishing without TLS',
      description: 'The topic policy denies every publish request that does not use TLS.',
      info: 'The SNS topic policy does not deny publish requests that do not use TLS.',
      explanation: 'Without the deny statement a client can publish messages over plain HTTP.',
      cdkNagRule: 'AwsSolutions-SNS3',
    }),
    automated({
      id: 'NCSC-P01-RedshiftRequireTls',
      principle: p.DATA_IN_TRANSIT_PROTECTION,
      rule: rules.redshift.RedshiftRequireTlsSSL,
      title: 'Redshift clusters require TLS',
      description: 'The cluster parameter group sets require_ssl, so that clients must connect with TLS.',
      info: 'The Redshift cluster does not require TLS for client connections.',
      explanation: 'Without require_ssl a client can query the cluster over an unencrypted connection.',
      cdkNagRule: 'AwsSolutions-RS1',
      configRule: 'REDSHIFT_REQUIRE_TLS_SSL',
    }),

    // 2. Asset protection and resilience
    automated({
      id: 'NCSC-P02-LondonRegionOnly',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: LondonRegionOnly,
      title: 'Resources are in Europe (London)',
      description: 'Every regional resource is in a stack deployed to eu-west-2, so that user data stays in the UK. '
        + 'Global services (IAM, AWS Organizations, Route 53, CloudFront and CloudFront-scoped AWS WAF) are exempt.',
      info: 'The resource is in a stack whose region is not eu-west-2, or whose region is not known at synthesis.',
      explanation: 'UK government data must stay in the UK. Give the stack the environment { region: \'eu-west-2\' }, '
        + 'or suppress the finding with the reason the resource must be elsewhere.',
    }),
    automated({
      id: 'NCSC-P02-DataStoreClassified',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: DataStoreClassified,
      title: 'Data stores carry a data classification',
      description: 'Every data store (S3 bucket, database, table, file system, volume, backup vault, cache, search '
        + 'domain, warehouse and log group) carries the DataClassification tag with OFFICIAL or OFFICIAL-SENSITIVE.',
      info: 'The data store has no DataClassification tag with the value OFFICIAL or OFFICIAL-SENSITIVE.',
      explanation: 'The classification decides how the data is protected. Apply the tags with TaggingStandard.applyTags.',
      configRule: 'REQUIRED_TAGS',
    }),
    automated({
      id: 'NCSC-P02-SensitiveDataCustomerKey',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: SensitiveDataCustomerKey,
      title: 'OFFICIAL-SENSITIVE data is encrypted with a customer managed key',
      description: 'A data store classified OFFICIAL-SENSITIVE is encrypted at rest with a customer managed KMS key, '
        + 'not an AWS managed key, an AWS owned key or SSE-S3.',
      info: 'The OFFICIAL-SENSITIVE data store is not encrypted with a customer managed KMS key.',
      explanation: 'Only a customer managed key lets the platform control, audit and revoke who can decrypt the data.',
    }),
    automated({
      id: 'NCSC-P02-BackupCoverage',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: BackupCoverage,
      title: 'Stateful resources are backed up',
      description: 'Every database, DynamoDB table, EFS file system and EBS volume carries the tag backup=true that '
        + 'the organisation backup policy selects, or is named by an AWS Backup selection in its stack.',
      info: 'The stateful resource is not selected for backup by the backup tag or an AWS Backup selection.',
      explanation: 'Without a backup, data lost to an error, an attack or a failure cannot be recovered.',
    }),
    automated({
      id: 'NCSC-P02-BackupRetention',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: BackupRetention,
      title: 'Backups are kept for at least 35 days',
      description: 'Every rule of an AWS Backup plan keeps its recovery points for at least 35 days.',
      info: 'A rule of the backup plan deletes recovery points after fewer than 35 days.',
      explanation: 'A short retention can expire the last good recovery point before a problem is found.',
      configRule: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
    }),
    automated({
      id: 'NCSC-P02-EbsEncrypted',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.ec2.EC2EBSVolumeEncrypted,
      title: 'EBS volumes are encrypted',
      description: 'Every EBS volume is encrypted at rest.',
      info: 'The EBS volume is not encrypted.',
      explanation: 'An unencrypted volume or snapshot exposes its data to anyone who gets a copy.',
      cdkNagRule: 'AwsSolutions-EC26',
      configRule: 'ENCRYPTED_VOLUMES',
      securityHubControl: 'EC2.3',
    }),
    automated({
      id: 'NCSC-P02-RdsEncrypted',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.rds.RDSStorageEncrypted,
      title: 'RDS storage is encrypted',
      description: 'Every RDS DB instance and Aurora cluster encrypts its storage.',
      info: 'The RDS DB instance or cluster does not encrypt its storage.',
      explanation: 'Unencrypted database storage and snapshots expose their data to anyone who gets a copy.',
      cdkNagRule: 'AwsSolutions-RDS2',
      configRule: 'RDS_STORAGE_ENCRYPTED',
      securityHubControl: 'RDS.3',
    }),
    automated({
      id: 'NCSC-P02-EfsEncrypted',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.efs.EFSEncrypted,
      title: 'EFS file systems are encrypted',
      description: 'Every EFS file system is encrypted at rest.',
      info: 'The EFS file system is not encrypted.',
      explanation: 'An unencrypted file system exposes its data to anyone who gets access to the storage.',
      cdkNagRule: 'AwsSolutions-EFS1',
      configRule: 'EFS_ENCRYPTED_CHECK',
    }),
    automated({
      id: 'NCSC-P02-KmsKeyRotation',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.kms.KMSBackingKeyRotationEnabled,
      title: 'Customer managed keys rotate',
      description: 'Every symmetric customer managed KMS key rotates its key material automatically.',
      info: 'The KMS key does not rotate its key material.',
      explanation: 'Rotation limits how much data one version of the key material protects.',
      cdkNagRule: 'AwsSolutions-KMS5',
      configRule: 'CMK_BACKING_KEY_ROTATION_ENABLED',
      securityHubControl: 'KMS.4',
    }),
    automated({
      id: 'NCSC-P02-RdsMultiAz',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.rds.RDSMultiAZSupport,
      title: 'RDS DB instances span Availability Zones',
      description: 'Every RDS DB instance outside Aurora runs with a standby in a second Availability Zone.',
      info: 'The RDS DB instance runs in one Availability Zone only.',
      explanation: 'A single-AZ database is unavailable while its Availability Zone is.',
      cdkNagRule: 'AwsSolutions-RDS3',
      configRule: 'RDS_MULTI_AZ_SUPPORT',
      securityHubControl: 'RDS.5',
    }),
    automated({
      id: 'NCSC-P02-RdsAutomatedBackups',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.rds.RDSInstanceBackupEnabled,
      title: 'RDS DB instances take automated backups',
      description: 'Every RDS DB instance keeps automated backups for point-in-time recovery.',
      info: 'The RDS DB instance does not keep automated backups.',
      explanation: 'Automated backups allow recovery to any second within the retention period.',
      cdkNagRule: 'AwsSolutions-RDS13',
      configRule: 'DB_INSTANCE_BACKUP_ENABLED',
    }),
    automated({
      id: 'NCSC-P02-RdsDeletionProtection',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.rds.RDSInstanceDeletionProtectionEnabled,
      title: 'RDS databases have deletion protection',
      description: 'Every RDS DB instance and cluster has deletion protection on.',
      info: 'The RDS DB instance or cluster does not have deletion protection.',
      explanation: 'Deletion protection stops a mistaken change or command from deleting the database.',
      cdkNagRule: 'AwsSolutions-RDS10',
      configRule: 'RDS_INSTANCE_DELETION_PROTECTION_ENABLED',
      securityHubControl: 'RDS.8',
    }),
    automated({
      id: 'NCSC-P02-DynamoDbPointInTimeRecovery',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.dynamodb.DynamoDBPITREnabled,
      title: 'DynamoDB tables have point-in-time recovery',
      description: 'Every DynamoDB table has point-in-time recovery on.',
      info: 'The DynamoDB table does not have point-in-time recovery.',
      explanation: 'Point-in-time recovery restores a table to any second of the last 35 days.',
      cdkNagRule: 'AwsSolutions-DDB3',
      configRule: 'DYNAMODB_PITR_ENABLED',
    }),
    automated({
      id: 'NCSC-P02-S3Versioning',
      principle: p.ASSET_PROTECTION_AND_RESILIENCE,
      rule: rules.s3.S3BucketVersioningEnabled,
      title: 'S3 buckets keep object versions',
      description: 'Every S3 bucket has versioning on, so that overwritten and deleted objects can be recovered.',
      info: 'The S3 bucket does not keep object versions.',
      explanation: 'Without versioning an overwrite or delete loses the object for good.',
      cdkNagRule: 'NIST.800.53.R5-S3BucketVersioningEnabled',
      configRule: 'S3_BUCKET_VERSIONING_ENABLED',
    }),

    // 3. Separation between customers
    automated({
      id: 'NCSC-P03-DefaultSecurityGroupClosed',
      principle: p.SEPARATION_BETWEEN_CUSTOMERS,
      rule: rules.vpc.VPCDefaultSecurityGroupClosed,
      title: 'Default security groups allow no traffic',
      description: 'The default security group of every VPC has its rules removed, so that nothing is connected by accident.',
      info: 'The VPC does not remove the rules of its default security group.',
      explanation: 'Resources placed in the default security group could reach each other with no rule written for it.',
      cdkNagRule: 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      configRule: 'VPC_DEFAULT_SECURITY_GROUP_CLOSED',
      securityHubControl: 'EC2.2',
    }),

    // 5. Operational security
    automated({
      id: 'NCSC-P05-TrailToCloudWatchLogs',
      principle: p.OPERATIONAL_SECURITY,
      rule: rules.cloudtrail.CloudTrailCloudWatchLogsEnabled,
      title: 'CloudTrail trails deliver to CloudWatch Logs',
      description: 'Every trail also sends its events to CloudWatch Logs, where metric filters and alarms watch them.',
      info: 'The CloudTrail trail does not send its events to CloudWatch Logs.',
      explanation: 'Protective monitoring needs the events where alarms can act on them within minutes.',
      cdkNagRule: 'NIST.800.53.R5-CloudTrailCloudWatchLogsEnabled',
      configRule: 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED',
      securityHubControl: 'CloudTrail.5',
    }),

    // 9. Secure user management
    automated({
      id: 'NCSC-P09-NoAdminPolicies',
      principle: p.SECURE_USER_MANAGEMENT,
      rule: rules.iam.IAMPolicyNoStatementsWithAdminAccess,
      title: 'No IAM policy grants full administrator access',
      description: 'No IAM policy allows every action on every resource.',
      info: 'The IAM policy allows every action on every resource.',
      explanation: 'Grant the actions a role needs, so that one compromised identity cannot control the account.',
      cdkNagRule: 'NIST.800.53.R5-IAMPolicyNoStatementsWithAdminAccess',
      configRule: 'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS',
      securityHubControl: 'IAM.1',
    }),
    automated({
      id: 'NCSC-P09-UserPoliciesThroughGroups',
      principle: p.SECURE_USER_MANAGEMENT,
      rule: rules.iam.IAMUserNoPolicies,
      title: 'IAM users get permissions through groups',
      description: 'No IAM user has policies of its own: permissions come from groups or roles.',
      info: 'The IAM user has policies attached directly.',
      explanation: 'Permissions held by groups and roles are easier to review and remove than per-user grants.',
      cdkNagRule: 'NIST.800.53.R5-IAMUserNoPolicies',
      configRule: 'IAM_USER_NO_POLICIES_CHECK',
      securityHubControl: 'IAM.2',
    }),

    // 10. Identity and authentication
    automated({
      id: 'NCSC-P10-UserPoolMfa',
      principle: p.IDENTITY_AND_AUTHENTICATION,
      rule: rules.cognito.CognitoUserPoolMFA,
      title: 'Cognito user pools require multi-factor authentication',
      description: 'Every Cognito user pool requires multi-factor authentication at sign-in.',
      info: 'The Cognito user pool does not require multi-factor authentication.',
      explanation: 'A password alone is too easily guessed, phished or reused to protect a service interface.',
      cdkNagRule: 'AwsSolutions-COG2',
    }),

    // 11. External interface protection
    automated({
      id: 'NCSC-P11-S3BlockPublicAccess',
      principle: p.EXTERNAL_INTERFACE_PROTECTION,
      rule: rules.s3.S3BucketLevelPublicAccessProhibited,
      title: 'S3 buckets block public access',
      description: 'No S3 bucket turns off a Block Public Access setting. A bucket that sets none gets all four from S3.',
      info: 'The S3 bucket does not block public access.',
      explanation: 'Block Public Access stops a policy or ACL from exposing the data to the internet by mistake.',
      cdkNagRule: 'AwsSolutions-S2',
      configRule: 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED',
      securityHubControl: 'S3.8',
    }),
    automated({
      id: 'NCSC-P11-RdsNotPublic',
      principle: p.EXTERNAL_INTERFACE_PROTECTION,
      rule: rules.rds.RDSInstancePublicAccess,
      title: 'RDS DB instances are not publicly accessible',
      description: 'No RDS DB instance has a public endpoint.',
      info: 'The RDS DB instance is publicly accessible.',
      explanation: 'A database reachable from the internet is exposed to password guessing and exploits.',
      cdkNagRule: 'NIST.800.53.R5-RDSInstancePublicAccess',
      configRule: 'RDS_INSTANCE_PUBLIC_ACCESS_CHECK',
      securityHubControl: 'RDS.2',
    }),
    automated({
      id: 'NCSC-P11-Ec2NoPublicIp',
      principle: p.EXTERNAL_INTERFACE_PROTECTION,
      rule: rules.ec2.EC2InstanceNoPublicIp,
      title: 'EC2 instances have no public IP address',
      description: 'No EC2 instance gets a public IPv4 address: internet traffic reaches it through a load balancer.',
      info: 'The EC2 instance has a public IP address.',
      explanation: 'An instance with a public address is directly reachable from the internet.',
      cdkNagRule: 'NIST.800.53.R5-EC2InstanceNoPublicIp',
      configRule: 'EC2_INSTANCE_NO_PUBLIC_IP',
      securityHubControl: 'EC2.9',
    }),
    automated({
      id: 'NCSC-P11-RestrictedCommonPorts',
      principle: p.EXTERNAL_INTERFACE_PROTECTION,
      rule: rules.ec2.EC2RestrictedCommonPorts,
      title: 'Administrative and database ports are closed to the internet',
      description: 'No security group allows inbound TCP from anywhere to ports 20, 21, 3306, 3309, 3389 or 4333.',
      info: 'The security group allows inbound traffic from anywhere to a commonly attacked port.',
      explanation: 'These ports are scanned constantly; open them to known address ranges only.',
      cdkNagRule: 'NIST.800.53.R5-EC2RestrictedCommonPorts',
      configRule: 'RESTRICTED_INCOMING_TRAFFIC',
    }),

    // 12. Secure service administration
    automated({
      id: 'NCSC-P12-NoSshFromInternet',
      principle: p.SECURE_SERVICE_ADMINISTRATION,
      rule: rules.ec2.EC2RestrictedSSH,
      title: 'SSH is closed to the internet',
      description: 'No security group allows inbound SSH from anywhere: administrators connect through Systems Manager.',
      info: 'The security group allows inbound SSH from anywhere.',
      explanation: 'Administration must come from trusted devices and networks, not the whole internet.',
      cdkNagRule: 'NIST.800.53.R5-EC2RestrictedSSH',
      configRule: 'INCOMING_SSH_DISABLED',
      securityHubControl: 'EC2.13',
    }),
    automated({
      id: 'NCSC-P12-InstanceMetadataV2',
      principle: p.SECURE_SERVICE_ADMINISTRATION,
      rule: rules.ec2.EC2IMDSv2Enabled,
      title: 'EC2 instances require IMDSv2',
      description: 'Every EC2 instance requires session tokens for the instance metadata service.',
      info: 'The EC2 instance does not require IMDSv2.',
      explanation: 'IMDSv1 lets a request forgery flaw in an application steal the instance role\'s credentials.',
      cdkNagRule: 'NIST.800.53.R5-EC2IMDSv2Enabled',
      configRule: 'EC2_IMDSV2_CHECK',
      securityHubControl: 'EC2.8',
    }),

    // 13. Audit information for users
    automated({
      id: 'NCSC-P13-LogRetention',
      principle: p.AUDIT_INFORMATION_FOR_USERS,
      rule: LogRetention,
      title: 'Log groups keep events for at least a year',
      description: 'Every CloudWatch Logs log group states a retention of at least 365 days.',
      info: 'The log group does not state a retention of at least 365 days.',
      explanation: 'Investigations need a year of events. A log group with no retention keeps personal data forever.',
      configRule: 'CW_LOGGROUP_RETENTION_PERIOD_CHECK',
    }),
    automated({
      id: 'NCSC-P13-TrailLogValidation',
      principle: p.AUDIT_INFORMATION_FOR_USERS,
      rule: rules.cloudtrail.CloudTrailLogFileValidationEnabled,
      title: 'CloudTrail log files can be proved unchanged',
      description: 'Every trail writes digest files that prove its log files were not changed or deleted.',
      info: 'The CloudTrail trail does not validate its log files.',
      explanation: 'Audit records are evidence only if their integrity can be shown.',
      cdkNagRule: 'NIST.800.53.R5-CloudTrailLogFileValidationEnabled',
      configRule: 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED',
      securityHubControl: 'CloudTrail.4',
    }),
    automated({
      id: 'NCSC-P13-TrailEncrypted',
      principle: p.AUDIT_INFORMATION_FOR_USERS,
      rule: rules.cloudtrail.CloudTrailEncryptionEnabled,
      title: 'CloudTrail log files are encrypted with KMS',
      description: 'Every trail encrypts its log files with a KMS key.',
      info: 'The CloudTrail trail does not encrypt its log files with a KMS key.',
      explanation: 'A KMS key limits who can read the audit records and records every use.',
      cdkNagRule: 'NIST.800.53.R5-CloudTrailEncryptionEnabled',
      configRule: 'CLOUD_TRAIL_ENCRYPTION_ENABLED',
      securityHubControl: 'CloudTrail.2',
    }),
    automated({
      id: 'NCSC-P13-VpcFlowLogs',
      principle: p.AUDIT_INFORMATION_FOR_USERS,
      rule: rules.vpc.VPCFlowLogsEnabled,
      title: 'VPCs record flow logs',
      description: 'Every VPC records flow logs of the traffic through its network interfaces.',
      info: 'The VPC does not record flow logs.',
      explanation: 'Flow logs show which addresses talked to which during an investigation.',
      cdkNagRule: 'AwsSolutions-VPC7',
      configRule: 'VPC_FLOW_LOGS_ENABLED',
      securityHubControl: 'EC2.6',
    }),
  ];
}
