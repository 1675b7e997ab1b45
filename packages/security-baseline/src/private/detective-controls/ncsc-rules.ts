import { ConformancePackRule, NcscPrinciple } from '../../detective-controls';

/**
 * Returns the AWS Config managed rules of the NCSC conformance pack, each with the
 * principle it gives evidence for.
 *
 * A function rather than a constant, because this module and `detective-controls.ts`
 * import each other: the enum is read when the function runs, after both have loaded.
 *
 * Every identifier was checked against the rule pages of the AWS Config Developer Guide, in
 * the guide's source repository as archived in June 2023. Rules that flag resources this
 * platform builds on purpose were left out: `subnet-auto-assign-public-ip-disabled` (public
 * subnets of the DMZ), `s3-bucket-logging-enabled` (server access log buckets cannot log to
 * themselves) and `iam-no-inline-policy-check` (CDK grants write inline policies).
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html
 */
export function ncscManagedRules(): ConformancePackRule[] {
  const p = NcscPrinciple;
  return [
    // 1. Data in transit protection
    rule('ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK', 'alb-http-to-https-redirection-check', p.DATA_IN_TRANSIT_PROTECTION,
      'Application Load Balancers redirect every HTTP listener to HTTPS.'),
    rule('ELB_TLS_HTTPS_LISTENERS_ONLY', 'elb-tls-https-listeners-only', p.DATA_IN_TRANSIT_PROTECTION,
      'Classic Load Balancers listen with TLS or HTTPS only.'),
    rule('S3_BUCKET_SSL_REQUESTS_ONLY', 's3-bucket-ssl-requests-only', p.DATA_IN_TRANSIT_PROTECTION,
      'S3 bucket policies deny requests that do not use TLS.'),

    // 2. Asset protection and resilience
    rule('ENCRYPTED_VOLUMES', 'encrypted-volumes', p.ASSET_PROTECTION_AND_RESILIENCE,
      'Attached EBS volumes are encrypted.'),
    rule('EC2_EBS_ENCRYPTION_BY_DEFAULT', 'ec2-ebs-encryption-by-default', p.ASSET_PROTECTION_AND_RESILIENCE,
      'EBS encryption by default is on in the account and region.'),
    rule('RDS_STORAGE_ENCRYPTED', 'rds-storage-encrypted', p.ASSET_PROTECTION_AND_RESILIENCE,
      'RDS DB instances encrypt their storage.'),
    rule('S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 's3-bucket-server-side-encryption-enabled', p.ASSET_PROTECTION_AND_RESILIENCE,
      'S3 buckets have default server-side encryption.'),
    rule('CMK_BACKING_KEY_ROTATION_ENABLED', 'cmk-backing-key-rotation-enabled', p.ASSET_PROTECTION_AND_RESILIENCE,
      'Customer managed KMS keys rotate their key material automatically.'),
    rule('RDS_MULTI_AZ_SUPPORT', 'rds-multi-az-support', p.ASSET_PROTECTION_AND_RESILIENCE,
      'RDS DB instances run in more than one Availability Zone.'),
    rule('DB_INSTANCE_BACKUP_ENABLED', 'db-instance-backup-enabled', p.ASSET_PROTECTION_AND_RESILIENCE,
      'RDS DB instances take automated backups.'),
    rule('S3_BUCKET_VERSIONING_ENABLED', 's3-bucket-versioning-enabled', p.ASSET_PROTECTION_AND_RESILIENCE,
      'S3 buckets keep object versions.'),
    rule('KMS_CMK_NOT_SCHEDULED_FOR_DELETION', 'kms-cmk-not-scheduled-for-deletion', p.ASSET_PROTECTION_AND_RESILIENCE,
      'No customer managed KMS key is scheduled for deletion.'),

    // 3. Separation between customers
    rule('VPC_DEFAULT_SECURITY_GROUP_CLOSED', 'vpc-default-security-group-closed', p.SEPARATION_BETWEEN_CUSTOMERS,
      'The default security group of each VPC allows no inbound or outbound traffic.'),

    // 4. Governance framework
    rule('SECURITYHUB_ENABLED', 'securityhub-enabled', p.GOVERNANCE_FRAMEWORK,
      'AWS Security Hub is on in the account.'),
    rule('GUARDDUTY_ENABLED_CENTRALIZED', 'guardduty-enabled-centralized', p.GOVERNANCE_FRAMEWORK,
      'Amazon GuardDuty is on in the account.'),

    // 5. Operational security
    rule('EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK', 'ec2-managedinstance-patch-compliance-status-check', p.OPERATIONAL_SECURITY,
      'EC2 instances managed by Systems Manager are compliant with their patch baseline.'),
    rule('GUARDDUTY_NON_ARCHIVED_FINDINGS', 'guardduty-non-archived-findings', p.OPERATIONAL_SECURITY,
      'GuardDuty findings are dealt with: high within 1 day, medium within 7 and low within 30.',
      { daysHighSev: '1', daysMediumSev: '7', daysLowSev: '30' }),

    // 7. Secure development
    rule('CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK', 'codebuild-project-envvar-awscred-check', p.SECURE_DEVELOPMENT,
      'CodeBuild projects hold no AWS credentials in plaintext environment variables.'),

    // 8. Supply chain security
    rule('ECR_PRIVATE_IMAGE_SCANNING_ENABLED', 'ecr-private-image-scanning-enabled', p.SUPPLY_CHAIN_SECURITY,
      'Private ECR repositories scan images for vulnerabilities in third-party software.'),

    // 9. Secure user management
    rule('IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS', 'iam-policy-no-statements-with-admin-access', p.SECURE_USER_MANAGEMENT,
      'No customer managed IAM policy allows every action on every resource.'),
    rule('IAM_USER_NO_POLICIES_CHECK', 'iam-user-no-policies-check', p.SECURE_USER_MANAGEMENT,
      'IAM users get permissions only through groups or roles, not policies of their own.'),
    rule('IAM_USER_UNUSED_CREDENTIALS_CHECK', 'iam-user-unused-credentials-check', p.SECURE_USER_MANAGEMENT,
      'IAM user passwords and access keys unused for 90 days are removed.', { maxCredentialUsageAge: '90' }),
    rule('ACCESS_KEYS_ROTATED', 'access-keys-rotated', p.SECURE_USER_MANAGEMENT,
      'Active IAM access keys are rotated within 90 days.', { maxAccessKeyAge: '90' }),

    // 10. Identity and authentication
    rule('ROOT_ACCOUNT_MFA_ENABLED', 'root-account-mfa-enabled', p.IDENTITY_AND_AUTHENTICATION,
      'The root user signs in with multi-factor authentication.'),
    rule('IAM_ROOT_ACCESS_KEY_CHECK', 'iam-root-access-key-check', p.IDENTITY_AND_AUTHENTICATION,
      'The root user has no access keys.'),
    rule('MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', 'mfa-enabled-for-iam-console-access', p.IDENTITY_AND_AUTHENTICATION,
      'IAM users with a console password sign in with multi-factor authentication.'),

    // 11. External interface protection
    rule('S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', 's3-bucket-level-public-access-prohibited', p.EXTERNAL_INTERFACE_PROTECTION,
      'Every S3 bucket blocks public access.'),
    rule('RESTRICTED_INCOMING_TRAFFIC', 'restricted-common-ports', p.EXTERNAL_INTERFACE_PROTECTION,
      'No security group allows inbound TCP from anywhere to ports 20, 21, 3389, 3306 or 4333.'),
    rule('EC2_INSTANCE_NO_PUBLIC_IP', 'ec2-instance-no-public-ip', p.EXTERNAL_INTERFACE_PROTECTION,
      'EC2 instances have no public IPv4 address.'),
    rule('RDS_INSTANCE_PUBLIC_ACCESS_CHECK', 'rds-instance-public-access-check', p.EXTERNAL_INTERFACE_PROTECTION,
      'RDS DB instances are not publicly accessible.'),
    rule('EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK', 'ebs-snapshot-public-restorable-check', p.EXTERNAL_INTERFACE_PROTECTION,
      'No EBS snapshot can be restored by everyone.'),

    // 12. Secure service administration
    rule('EC2_INSTANCE_MANAGED_BY_SSM', 'ec2-instance-managed-by-systems-manager', p.SECURE_SERVICE_ADMINISTRATION,
      'EC2 instances are managed by Systems Manager, so administrators need no direct network access.'),
    rule('INCOMING_SSH_DISABLED', 'restricted-ssh', p.SECURE_SERVICE_ADMINISTRATION,
      'No security group allows inbound SSH from anywhere.'),
    rule('EC2_IMDSV2_CHECK', 'ec2-imdsv2-check', p.SECURE_SERVICE_ADMINISTRATION,
      'EC2 instances require IMDSv2 session tokens for the instance metadata service.'),

    // 13. Audit information for users
    rule('CLOUD_TRAIL_ENABLED', 'cloudtrail-enabled', p.AUDIT_INFORMATION_FOR_USERS,
      'A CloudTrail trail records the account\'s API activity.'),
    rule('CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED', 'cloud-trail-log-file-validation-enabled', p.AUDIT_INFORMATION_FOR_USERS,
      'CloudTrail trails write digest files that prove their log files are unchanged.'),
    rule('CLOUD_TRAIL_ENCRYPTION_ENABLED', 'cloud-trail-encryption-enabled', p.AUDIT_INFORMATION_FOR_USERS,
      'CloudTrail trails encrypt their log files with a KMS key.'),
    rule('VPC_FLOW_LOGS_ENABLED', 'vpc-flow-logs-enabled', p.AUDIT_INFORMATION_FOR_USERS,
      'Every VPC has flow logs.'),
    rule('CW_LOGGROUP_RETENTION_PERIOD_CHECK', 'cw-loggroup-retention-period-check', p.AUDIT_INFORMATION_FOR_USERS,
      'CloudWatch Logs log groups keep events for at least 365 days.', { MinRetentionTime: '365' }),

    // 14. Secure use of the service
    rule('S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC', 's3-account-level-public-access-blocks-periodic', p.SECURE_USE_OF_THE_SERVICE,
      'S3 Block Public Access is on for the whole account, so no user can make a bucket public.'),
  ];
}

function rule(
  identifier: string,
  ruleName: string,
  principle: NcscPrinciple,
  description: string,
  inputParameters?: Record<string, string>,
): ConformancePackRule {
  return { identifier, ruleName, principle, description, inputParameters };
}
