import {
  BOOTSTRAP_ROLE_WRITE_ACTIONS,
  BUCKET_CONFIGURATION_ACTIONS,
  CLOUD_CONTROL_ACTIONS,
  CONTEXT_PROVIDER_ACTIONS,
  IMAGE_WRITE_ACTIONS,
  OBJECT_WRITE_ACTIONS,
  REPOSITORY_CONFIGURATION_ACTIONS,
  STACK_READ_ACTIONS,
  STACK_WRITE_ACTIONS,
  STAGING_KEY_PROTECTED_ACTIONS,
  VERSION_PARAMETER_WRITE_ACTIONS,
} from './bootstrap-role-actions';
import { DENY_GRANTS_SID, KEY_ADMINISTRATOR_ACTIONS } from './key-policy';

/**
 * The CDK bootstrap that `MemberAccountBootstrap` deploys into every member account, as a
 * CloudFormation template written as a typed object.
 *
 * It meets the contract that `DefaultStackSynthesizer` and the CDK CLI rely on: the role,
 * bucket, repository and parameter names below, and the permissions of each role. It is
 * stricter than the template that `cdk bootstrap` deploys. The staging bucket has its own
 * customer-managed key, access logs and a TLS 1.2 minimum. Images are scanned on push. Only
 * the publishing roles may write assets, so that a principal of the member account cannot
 * replace an asset that the next deployment would use. No role can be assumed with an
 * external ID, and only the trusted accounts, not the member account itself, can assume
 * them. The deploy role reaches the buckets and keys of the trusted accounts only, for CDK
 * Pipelines artifacts, not those of any other account. The deploy and execution roles are denied changes to the bootstrap itself, as defence in depth: the
 * execution role can still create other roles that are not denied. The lookup role reads
 * what the context providers read, which includes every SSM parameter of the account.
 */

/**
 * The bootstrap version that the template claims, in the SSM parameter and the output.
 *
 * aws-cdk-lib 2.257.0's DefaultStackSynthesizer requires version 6 to deploy, 8 to use the
 * lookup role, and 22 when a stack passes session tags to the roles. Each version of the
 * CDK CLI's template adds to what the CLI may rely on: version 23, for example, added the
 * permissions of `cdk rollback`.
 *
 * The template claims 30, the version of the template in the CDK CLI it was compared with
 * (aws-cdk 2.1115.1), because it provides what that version provides. The lookup role
 * came in version 8, and is narrowed here to what the context providers read. Then came
 * scan on push (10), Lambda and EMR Serverless image pulls (11, 27), `cdk import` (12),
 * immutable tags (13), `ssm:GetParameters` (20) and the account condition of the file
 * publishing role (21). Later versions added session tags (22), rollback (23), 30 days of
 * noncurrent versions and the abort of incomplete uploads (24, 25), and the stack refactor
 * and `DescribeEvents` permissions.
 *
 * The deploy role's statements for CDK Pipelines artifact buckets and keys, which no
 * version gates, are narrowed to the trusted accounts. The lookup role's `ReadOnlyAccess`
 * is left out on purpose, because it would let the trusted accounts read data in every
 * member account. Raise the number only after comparing the template with the CLI's template of
 * the new version.
 */
export const BOOTSTRAP_VERSION = 30;

/**
 * How long the staging bucket keeps a noncurrent object version. An object becomes
 * noncurrent only when `cdk gc` deletes it, so this is the window in which a deleted asset
 * can still be restored. It matches the CDK CLI's template.
 */
export const NONCURRENT_VERSION_DAYS = 30;

/** How long the access log bucket keeps a log object: one year of S3 access history per account. */
export const ACCESS_LOG_RETENTION_DAYS = 365;

/**
 * How long an untagged image stays in the container asset repository. Asset tags are
 * immutable content hashes, so an image becomes untagged only when a push fails half-way.
 */
export const UNTAGGED_IMAGE_DAYS = 30;

/** Incomplete multipart uploads are aborted after this many days, in both buckets. */
const ABORT_UPLOAD_DAYS = 1;

/** The prefix of the staging bucket's access logs in the access log bucket. */
const ACCESS_LOG_PREFIX = 'staging-bucket/';

/** A CloudFormation template as JSON. */
export interface CfnTemplate {
  readonly AWSTemplateFormatVersion: string;
  readonly Description: string;
  readonly Parameters: Record<string, CfnParameter>;
  readonly Resources: Record<string, CfnResourceJson>;
  readonly Outputs: Record<string, CfnOutput>;
}

/** A parameter of the template. */
export interface CfnParameter {
  readonly Type: string;
  readonly Description: string;
  readonly AllowedPattern?: string;
  readonly ConstraintDescription?: string;
}

/** A resource of the template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: 'Retain' | 'Delete';
  readonly UpdateReplacePolicy?: 'Retain' | 'Delete';
  readonly DependsOn?: string[];
}

/** An output of the template. */
export interface CfnOutput {
  readonly Description: string;
  readonly Value: unknown;
}

/** One IAM policy statement, as JSON. */
interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The names of the template's parameters, which the StackSet sets. */
export const TRUSTED_ACCOUNTS_PARAMETER = 'TrustedAccounts';
export const TRUSTED_PRINCIPALS_PARAMETER = 'TrustedPrincipalArnPatterns';
export const EXECUTION_POLICIES_PARAMETER = 'CloudFormationExecutionPolicies';

/** Returns the name of the parameter that carries the execution policy name at a zero-based index. */
export function executionPolicyNameParameter(index: number): string {
  return `CloudFormationExecutionPolicyName${index + 1}`;
}

/**
 * The patterns that CloudFormation checks the parameters against in each member account.
 * The construct checks literal values at synthesis. These patterns also catch values that
 * were tokens then, so that no value can widen a trust policy (an account that resolves
 * to `*` would make `Principal: { AWS: "*" }`) or attach an unexpected policy. For a
 * `CommaDelimitedList`, CloudFormation applies the pattern to each entry.
 */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';
export const AWS_MANAGED_POLICY_ARN_PATTERN = '^arn:aws[a-z-]*:iam::aws:policy/[A-Za-z0-9+=.@_/-]+$';
/** A policy name, optionally after a path, without the commas that IAM allows but a list cannot carry. */
export const POLICY_NAME_PATTERN = '^([A-Za-z0-9+=.@_-]+/)*[A-Za-z0-9+=.@_-]{1,128}$';
/**
 * An ARN pattern of IAM roles or users in one account, with `*` and `?` in the path and
 * name only, and without commas, which a list cannot carry.
 */
export const PRINCIPAL_ARN_PATTERN_PATTERN = '^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=.@_/*?-]+$';

/** The counts of the execution role's policies, which are all the template needs, because the values arrive as parameters. */
export interface ExecutionPolicyShape {
  /** The number of AWS managed policy ARNs in the `CloudFormationExecutionPolicies` parameter. With 0, the template has no such parameter. */
  readonly arnCount: number;
  /** The number of customer-managed policy names, each in its own parameter. */
  readonly nameCount: number;
}

/** What the template's shape depends on, besides the qualifier. The values arrive as parameters. */
export interface BootstrapTemplateShape extends ExecutionPolicyShape {
  /**
   * Whether the trust policies also require `aws:PrincipalArn` to match the
   * `TrustedPrincipalArnPatterns` parameter. Without it, the template has no such parameter.
   */
  readonly restrictsPrincipals: boolean;
}

/** The logical IDs of the resources that carry the contract's names. */
export const BOOTSTRAP_LOGICAL_IDS = {
  key: 'StagingKey',
  stagingBucket: 'StagingBucket',
  accessLogBucket: 'AccessLogBucket',
  repository: 'ContainerAssetsRepository',
  deployRole: 'DeploymentActionRole',
  executionRole: 'CloudFormationExecutionRole',
  filePublishingRole: 'FilePublishingRole',
  imagePublishingRole: 'ImagePublishingRole',
  lookupRole: 'LookupRole',
  versionParameter: 'CdkBootstrapVersion',
} as const;

const ids = BOOTSTRAP_LOGICAL_IDS;

/** Returns `{ "Fn::Sub": text }`. */
function sub(text: string): { 'Fn::Sub': string } {
  return { 'Fn::Sub': text };
}

/** Returns `{ "Fn::GetAtt": [logicalId, attribute] }`. */
function getAtt(logicalId: string, attribute: string): { 'Fn::GetAtt': string[] } {
  return { 'Fn::GetAtt': [logicalId, attribute] };
}

/** The physical names that `DefaultStackSynthesizer` derives from the qualifier, as `Fn::Sub` strings. */
export interface BootstrapNames {
  readonly qualifier: string;
  readonly stagingBucket: string;
  readonly repository: string;
  readonly versionParameter: string;
  readonly deployRole: string;
  readonly executionRole: string;
  readonly filePublishingRole: string;
  readonly imagePublishingRole: string;
  readonly lookupRole: string;
}

/** Returns the contract's names for a qualifier. Each is unique per account and region, so the StackSet can deploy to several regions. */
export function bootstrapNames(qualifier: string): BootstrapNames {
  const suffix = '${AWS::AccountId}-${AWS::Region}';
  return {
    qualifier,
    stagingBucket: `cdk-${qualifier}-assets-${suffix}`,
    repository: `cdk-${qualifier}-container-assets-${suffix}`,
    versionParameter: `/cdk-bootstrap/${qualifier}/version`,
    deployRole: `cdk-${qualifier}-deploy-role-${suffix}`,
    executionRole: `cdk-${qualifier}-cfn-exec-role-${suffix}`,
    filePublishingRole: `cdk-${qualifier}-file-publishing-role-${suffix}`,
    imagePublishingRole: `cdk-${qualifier}-image-publishing-role-${suffix}`,
    lookupRole: `cdk-${qualifier}-lookup-role-${suffix}`,
  };
}

/** Returns the ARN of a role in this account, as an `Fn::Sub` string, without a reference to the role resource. */
function roleArn(roleName: string): string {
  return `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${roleName}`;
}

/** The ARN pattern of the StackSets execution roles of this account, as an `Fn::Sub` string. */
const STACK_SETS_EXECUTION_ROLES = roleArn('stacksets-exec-*');

/** Returns the template of the bootstrap for a qualifier. */
export function buildBootstrapTemplate(qualifier: string, shape: BootstrapTemplateShape): CfnTemplate {
  const names = bootstrapNames(qualifier);
  const trust = shape.restrictsPrincipals ? cliTrustPolicy(undefined, { Ref: TRUSTED_PRINCIPALS_PARAMETER }) : cliTrustPolicy();
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `CDK bootstrap (qualifier ${qualifier}, version ${BOOTSTRAP_VERSION}) deployed by the MemberAccountBootstrap StackSet. `
      + 'Do not run cdk bootstrap in this account: it would create the same names in a second stack.',
    Parameters: {
      [TRUSTED_ACCOUNTS_PARAMETER]: {
        Type: 'CommaDelimitedList',
        Description: 'The IDs of the accounts that may publish assets, deploy stacks and look up values in this account.',
        AllowedPattern: ACCOUNT_ID_PATTERN,
        ConstraintDescription: 'Each entry must be a 12-digit account ID.',
      },
      ...(shape.restrictsPrincipals ? {
        [TRUSTED_PRINCIPALS_PARAMETER]: {
          Type: 'CommaDelimitedList',
          Description: 'The ARN patterns of the roles and users of the trusted accounts that may assume the CDK roles.',
          AllowedPattern: PRINCIPAL_ARN_PATTERN_PATTERN,
          ConstraintDescription: 'Each entry must be an ARN pattern of IAM roles or users in one account.',
        },
      } : {}),
      ...executionPolicyParameters(shape),
    },
    Resources: {
      [ids.key]: stagingKey(),
      [ids.stagingBucket]: stagingBucket(names),
      StagingBucketPolicy: stagingBucketPolicy(names),
      [ids.accessLogBucket]: accessLogBucket(),
      AccessLogBucketPolicy: accessLogBucketPolicy(names),
      [ids.repository]: containerAssetsRepository(names),
      [ids.filePublishingRole]: filePublishingRole(names, trust),
      [ids.imagePublishingRole]: imagePublishingRole(names, trust),
      [ids.lookupRole]: lookupRole(names, trust),
      [ids.deployRole]: deploymentActionRole(names, trust),
      [ids.executionRole]: executionRole(names, shape),
      [ids.versionParameter]: {
        Type: 'AWS::SSM::Parameter',
        Properties: {
          Type: 'String',
          Name: names.versionParameter,
          Value: String(BOOTSTRAP_VERSION),
          Description: 'The version of the CDK bootstrap in this account and region, read by the CDK CLI and by CDK stacks.',
        },
      },
    },
    Outputs: {
      BucketName: { Description: 'The name of the CDK staging bucket.', Value: { Ref: ids.stagingBucket } },
      BucketDomainName: { Description: 'The regional domain name of the CDK staging bucket.', Value: getAtt(ids.stagingBucket, 'RegionalDomainName') },
      ImageRepositoryName: { Description: 'The name of the CDK container asset repository.', Value: { Ref: ids.repository } },
      // The value is written here rather than read from the parameter, because a GetAtt on a
      // new SSM parameter is eventually consistent and can fail just after it is created.
      BootstrapVersion: { Description: 'The version of the CDK bootstrap in this stack.', Value: String(BOOTSTRAP_VERSION) },
    },
  };
}

/** Builds the parameters that carry the execution role's policies: one list of ARNs, and one parameter per name. */
function executionPolicyParameters(policies: ExecutionPolicyShape): Record<string, CfnParameter> {
  const parameters: Record<string, CfnParameter> = {};
  if (policies.arnCount > 0) {
    parameters[EXECUTION_POLICIES_PARAMETER] = {
      Type: 'CommaDelimitedList',
      Description: 'The ARNs of the AWS managed policies of the role that CloudFormation uses to deploy CDK stacks.',
      AllowedPattern: AWS_MANAGED_POLICY_ARN_PATTERN,
      ConstraintDescription: 'Each entry must be the ARN of an AWS managed policy, arn:<partition>:iam::aws:policy/<name>.',
    };
  }
  // A separate parameter per name lets Fn::Sub build each ARN with this account's ID. A
  // list parameter would need a per-entry prefix, which CloudFormation has no function for.
  for (let index = 0; index < policies.nameCount; index++) {
    parameters[executionPolicyNameParameter(index)] = {
      Type: 'String',
      Description: `The name of customer-managed policy ${index + 1} of the role that CloudFormation uses to deploy CDK stacks, `
        + 'which must exist in this account.',
      AllowedPattern: POLICY_NAME_PATTERN,
      ConstraintDescription: 'The name must be a policy name, optionally after a path, without commas.',
    };
  }
  return parameters;
}

/** Returns the conditions that limit a key statement to calls made through one service in this account and region. */
function viaService(service: string): Record<string, Record<string, unknown>> {
  return {
    StringEquals: {
      'kms:ViaService': sub(`${service}.\${AWS::Region}.amazonaws.com`),
      'kms:CallerAccount': { Ref: 'AWS::AccountId' },
    },
  };
}

const ENCRYPTION_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
const DECRYPTION_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];

/**
 * Builds the key of the staging bucket and the container asset repository.
 *
 * Administration is delegated to the account's IAM policies through the account root
 * principal, without any cryptographic operation. Use is allowed only through S3 and ECR.
 * Only the file publishing role may encrypt, because only it writes objects; the staging
 * bucket's policy denies object writes to every other principal too. Every principal of
 * the account may decrypt through S3 without any KMS permission in its IAM policy, as in
 * the CDK CLI's template. `Asset.grantRead` grants only S3 actions, because the
 * synthesizer's bucket has no key, so the readers it grants, such as the BucketDeployment
 * handler, ECS environment files and CloudFormation init files, would otherwise be denied.
 * Who may read an asset is decided by S3 permissions. ECR creates grants on the key when
 * it creates the repository, with the credentials of the principal that creates it.
 *
 * The key's policy, deletion, state and rotation are denied to every principal but the
 * StackSets execution role, the account root user included, so that PowerUserAccess cannot
 * disable the key and stop deployments. KMS checks on every policy change that the caller
 * could change the policy again. The caller is the StackSets execution role, whose
 * `kms:PutKeyPolicy` the deny leaves, so the check passes.
 *
 * NOTE: no deployment has confirmed the lockout check with the deny in place. If the
 * StackSets execution role is named otherwise than `stacksets-exec-*`, the check rejects
 * the policy, so the stack instance fails rather than lock the key.
 */
function stagingKey(): CfnResourceJson {
  const accountRoot = { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') };
  const statements: Statement[] = [
    { Sid: 'KeyAdministration', Effect: 'Allow', Principal: accountRoot, Action: KEY_ADMINISTRATOR_ACTIONS, Resource: '*' },
    {
      Sid: 'FilePublishingThroughS3',
      Effect: 'Allow',
      Principal: { AWS: getAtt(ids.filePublishingRole, 'Arn') },
      Action: ENCRYPTION_ACTIONS,
      Resource: '*',
      Condition: viaService('s3'),
    },
    {
      // Principal "*" rather than the account root, so that a principal needs no KMS
      // permission of its own: the conditions keep the statement to this account, and the
      // deploy role is one of its principals.
      Sid: 'AccountPrincipalsDecryptThroughS3',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: DECRYPTION_ACTIONS,
      Resource: '*',
      Condition: viaService('s3'),
    },
    {
      Sid: 'RepositoryGrantsThroughEcr',
      Effect: 'Allow',
      Principal: accountRoot,
      Action: ['kms:CreateGrant', 'kms:RetireGrant', 'kms:DescribeKey'],
      Resource: '*',
      Condition: viaService('ecr'),
    },
    {
      Sid: DENY_GRANTS_SID,
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'kms:CreateGrant',
      Resource: '*',
      Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
    },
    {
      Sid: 'OnlyStackSetsChangesKey',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: STAGING_KEY_PROTECTED_ACTIONS,
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': sub(STACK_SETS_EXECUTION_ROLES) } },
    },
  ];
  return {
    Type: 'AWS::KMS::Key',
    Properties: {
      Description: 'Encrypts the CDK staging bucket and container asset repository.',
      EnableKeyRotation: true,
      KeyPolicy: { Version: '2012-10-17', Statement: statements },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };
}

const BLOCK_ALL_PUBLIC_ACCESS = { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true };

/** Builds the staging bucket, where the CDK CLI uploads file assets and templates. */
function stagingBucket(names: BootstrapNames): CfnResourceJson {
  return {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketName: sub(names.stagingBucket),
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt(ids.key, 'Arn') },
          BucketKeyEnabled: true,
        }],
      },
      PublicAccessBlockConfiguration: BLOCK_ALL_PUBLIC_ACCESS,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          { Id: 'ExpireNoncurrentVersions', Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: NONCURRENT_VERSION_DAYS } },
          { Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_UPLOAD_DAYS } },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: ids.accessLogBucket }, LogFilePrefix: ACCESS_LOG_PREFIX },
    },
    // Logging starts only once the log bucket accepts the logs.
    DependsOn: ['AccessLogBucketPolicy'],
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };
}

/**
 * Builds the access log bucket. S3 server access logging cannot deliver to a bucket whose
 * default encryption is SSE-KMS, so it is encrypted with S3-managed keys (SSE-S3).
 */
function accessLogBucket(): CfnResourceJson {
  return {
    Type: 'AWS::S3::Bucket',
    Properties: {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: BLOCK_ALL_PUBLIC_ACCESS,
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: {
        Rules: [
          {
            // An overwritten or expired log stays as a noncurrent version as long again, so
            // that a rewrite cannot erase the history sooner than the retention.
            Id: 'ExpireAccessLogs',
            Status: 'Enabled',
            ExpirationInDays: ACCESS_LOG_RETENTION_DAYS,
            NoncurrentVersionExpiration: { NoncurrentDays: ACCESS_LOG_RETENTION_DAYS },
          },
          { Id: 'AbortIncompleteUploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: ABORT_UPLOAD_DAYS } },
        ],
      },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };
}

/** Statements that deny requests without TLS, or with a TLS version below 1.2, on a bucket and its objects. */
function transportStatements(bucketLogicalId: string): Statement[] {
  const resources = [getAtt(bucketLogicalId, 'Arn'), sub(`\${${bucketLogicalId}.Arn}/*`)];
  return [
    {
      Sid: 'DenyWithoutTls',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: resources,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
    {
      Sid: 'DenyTlsBelow12',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: resources,
      Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } },
    },
  ];
}

/**
 * Denies changes to a bucket's policy and settings to every principal but the StackSets
 * execution role of the account, which deploys the bootstrap. Without it, a principal of
 * the account with `s3:PutBucketPolicy`, such as PowerUserAccess, could remove the other
 * denies of the policy. The account root user can still delete the policy, which S3
 * always allows it.
 *
 * NOTE: the name `stacksets-exec-*` is the one AWS documents for the role of
 * service-managed StackSets. No deployment has confirmed it yet. If the role is named
 * otherwise, updates of the bootstrap that change a bucket fail until the root user
 * deletes the bucket policy.
 */
function bucketConfigurationStatement(bucketLogicalId: string): Statement {
  return {
    Sid: 'OnlyStackSetsChangesBucket',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: BUCKET_CONFIGURATION_ACTIONS,
    Resource: getAtt(bucketLogicalId, 'Arn'),
    Condition: { ArnNotLike: { 'aws:PrincipalArn': sub(STACK_SETS_EXECUTION_ROLES) } },
  };
}

/**
 * Lets only the file publishing role write, overwrite or delete objects. The CDK CLI skips
 * the upload of an asset whose object exists. Without this deny, a principal of the member
 * account with PowerUserAccess could plant a template or Lambda code, and the next
 * deployment would run it with the execution role.
 *
 * NOTE: `cdk gc` tags and deletes objects with the credentials it runs with, and also
 * reads stacks, which the file publishing role cannot, so it cannot clean this bucket.
 */
function stagingBucketPolicy(names: BootstrapNames): CfnResourceJson {
  const objectWrites: Statement = {
    Sid: 'OnlyFilePublishingWritesObjects',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: OBJECT_WRITE_ACTIONS,
    Resource: sub(`\${${ids.stagingBucket}.Arn}/*`),
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': sub(roleArn(names.filePublishingRole)) } },
  };
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: ids.stagingBucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [...transportStatements(ids.stagingBucket), objectWrites, bucketConfigurationStatement(ids.stagingBucket)],
      },
    },
  };
}

/**
 * Lets the S3 logging service write the staging bucket's logs, and no other bucket's, and
 * denies the deletion of logs to every principal. The lifecycle rule still expires them,
 * because S3 Lifecycle acts as no IAM principal. Object writes are denied to every
 * principal that is not an AWS service, so that no principal of the account can add or
 * overwrite a log. The staging bucket is named rather than referenced, so that it can wait
 * for this policy.
 *
 * NOTE: S3 delivers server access logs as the service principal `logging.s3.amazonaws.com`,
 * which the delivery statement names, so `aws:PrincipalIsAWSService` should be true for
 * it. No deployment has confirmed that deliveries pass the deny.
 */
function accessLogBucketPolicy(names: BootstrapNames): CfnResourceJson {
  const delivery: Statement = {
    Sid: 'AllowStagingBucketAccessLogs',
    Effect: 'Allow',
    Principal: { Service: 'logging.s3.amazonaws.com' },
    Action: 's3:PutObject',
    Resource: sub(`\${${ids.accessLogBucket}.Arn}/${ACCESS_LOG_PREFIX}*`),
    Condition: {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: { 'aws:SourceArn': stagingBucketArns(names)[0] },
    },
  };
  const onlyServiceWrites: Statement = {
    Sid: 'OnlyLogDeliveryWrites',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 's3:PutObject*',
    Resource: sub(`\${${ids.accessLogBucket}.Arn}/*`),
    Condition: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
  };
  const noDeletion: Statement = {
    Sid: 'DenyLogDeletion',
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    Resource: sub(`\${${ids.accessLogBucket}.Arn}/*`),
  };
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: { Ref: ids.accessLogBucket },
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          delivery, ...transportStatements(ids.accessLogBucket), onlyServiceWrites, noDeletion, bucketConfigurationStatement(ids.accessLogBucket),
        ],
      },
    },
  };
}

/** Builds the repository where the CDK CLI pushes container image assets. */
function containerAssetsRepository(names: BootstrapNames): CfnResourceJson {
  const lifecycle = {
    rules: [{
      rulePriority: 1,
      description: `Expire untagged images ${UNTAGGED_IMAGE_DAYS} days after push; asset images are always tagged.`,
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: UNTAGGED_IMAGE_DAYS },
      action: { type: 'expire' },
    }],
  };
  // Lambda and EMR Serverless pull images with their service principals. Writing the
  // permission here keeps it when the template is updated, instead of relying on the
  // service adding it to the repository policy.
  const servicePull = (sid: string, service: string, actions: string[], sourceArn: string): Statement => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: service },
    Action: actions,
    Condition: { StringLike: { 'aws:SourceArn': sub(sourceArn) } },
  });
  // Asset tags are immutable, but a principal of the account that could push could still
  // plant an image under a tag that has not been pushed yet, and the CLI skips pushes of
  // tags that exist. The repository settings are the StackSets execution role's, for the
  // same reason as the buckets'.
  const onlyExcept = (sid: string, actions: string[], principalArn: string, operator: string): Statement => ({
    Sid: sid,
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: actions,
    Condition: { [operator]: { 'aws:PrincipalArn': sub(principalArn) } },
  });
  return {
    Type: 'AWS::ECR::Repository',
    Properties: {
      RepositoryName: sub(names.repository),
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: getAtt(ids.key, 'Arn') },
      LifecyclePolicy: { LifecyclePolicyText: JSON.stringify(lifecycle) },
      RepositoryPolicyText: {
        Version: '2012-10-17',
        Statement: [
          servicePull('LambdaImagePull', 'lambda.amazonaws.com', ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
            'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*'),
          servicePull('EmrServerlessImagePull', 'emr-serverless.amazonaws.com',
            ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:DescribeImages'],
            'arn:${AWS::Partition}:emr-serverless:${AWS::Region}:${AWS::AccountId}:/applications/*'),
          onlyExcept('OnlyImagePublishingPushes', IMAGE_WRITE_ACTIONS, roleArn(names.imagePublishingRole), 'ArnNotEquals'),
          onlyExcept('OnlyStackSetsChangesRepository', REPOSITORY_CONFIGURATION_ACTIONS, STACK_SETS_EXECUTION_ROLES, 'ArnNotLike'),
        ],
      },
    },
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
  };
}

/**
 * Builds the trust policy of the roles that the CDK CLI assumes: the trusted accounts only, with
 * session tags, and never with an external ID, because these roles are not meant to be
 * handed to a third party. With principal patterns, only the roles and users of those
 * accounts that match them may assume the roles. Without them, any principal of those
 * accounts may, if its own policies allow it.
 *
 * The member account itself is not trusted. If it were, any of its principals allowed to
 * call `sts:AssumeRole`, such as an engineer with PowerUserAccess, could assume the deploy
 * role, pass the execution role to CloudFormation and create an administrator role.
 *
 * @param principals the `AWS` principal: by default the trusted accounts parameter
 * @param principalPatterns the ARN patterns that `aws:PrincipalArn` must match, if any
 */
export function cliTrustPolicy(principals: unknown = { Ref: TRUSTED_ACCOUNTS_PARAMETER }, principalPatterns?: unknown): Record<string, unknown> {
  const condition: Record<string, Record<string, unknown>> = { Null: { 'sts:ExternalId': 'true' } };
  if (principalPatterns !== undefined) {
    condition.ArnLike = { 'aws:PrincipalArn': principalPatterns };
  }
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'TrustedAccounts',
      Effect: 'Allow',
      Principal: { AWS: principals },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: condition,
    }],
  };
}

/** Builds a role that the CDK CLI assumes, with the tag that the CLI and the CDK documentation use to find it. */
function cliRole(roleName: string, tag: string, trust: Record<string, unknown>, properties: Record<string, unknown>): CfnResourceJson {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: sub(roleName),
      AssumeRolePolicyDocument: trust,
      Tags: [{ Key: 'aws-cdk:bootstrap-role', Value: tag }],
      ...properties,
    },
  };
}

/** Returns an inline policy named `default`, as the CDK CLI's roles have. */
function inlinePolicy(statements: Statement[]): Array<Record<string, unknown>> {
  return [{ PolicyName: 'default', PolicyDocument: { Version: '2012-10-17', Statement: statements } }];
}

/** Returns the staging bucket's ARNs, built from its name, so that a role policy does not make the bucket depend on the role. */
function stagingBucketArns(names: BootstrapNames): unknown[] {
  return [sub(`arn:\${AWS::Partition}:s3:::${names.stagingBucket}`), sub(`arn:\${AWS::Partition}:s3:::${names.stagingBucket}/*`)];
}

/** Uploads file assets, the only principal that the staging bucket lets write. The key policy lets it use the key through S3. */
function filePublishingRole(names: BootstrapNames, trust: Record<string, unknown>): CfnResourceJson {
  return cliRole(names.filePublishingRole, 'file-publishing', trust, {
    Policies: inlinePolicy([{
      Sid: 'StagingBucketReadWrite',
      Effect: 'Allow',
      Action: [
        's3:GetObject*', 's3:GetBucket*', 's3:GetEncryptionConfiguration', 's3:List*',
        's3:DeleteObject*', 's3:PutObject*', 's3:Abort*',
      ],
      Resource: stagingBucketArns(names),
      // A bucket of the same name in another account must never receive assets.
      Condition: { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } },
    }]),
  });
}

/** Pushes container image assets. ECR encrypts with its own grant on the key, so the role needs no KMS permission. */
function imagePublishingRole(names: BootstrapNames, trust: Record<string, unknown>): CfnResourceJson {
  return cliRole(names.imagePublishingRole, 'image-publishing', trust, {
    Policies: inlinePolicy([
      {
        Sid: 'ContainerAssetsPushPull',
        Effect: 'Allow',
        Action: [
          'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload',
          'ecr:BatchCheckLayerAvailability', 'ecr:DescribeRepositories', 'ecr:DescribeImages',
          'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
        ],
        Resource: sub(`arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${names.repository}`),
      },
      // ECR issues registry tokens for the account, not for one repository.
      { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ]),
  });
}

/**
 * Reads context values at synthesis, such as VPC and AMI lookups. It has the read actions
 * of the context providers only, not `ReadOnlyAccess` as the CDK CLI's template gives, so
 * that the trusted accounts cannot read S3 objects, DynamoDB items or logs in the member
 * accounts through it. It can still read the value of every SSM parameter of the account
 * and region, and the trust and inline policies of every IAM role. `kms:Decrypt` stays
 * denied, so that SecureString parameters come back encrypted.
 *
 * NOTE: `cdk watch --logs` reads CloudWatch Logs with this role, which has no logs
 * actions, so it shows no logs. Tail them with your own credentials in the member account.
 */
function lookupRole(names: BootstrapNames, trust: Record<string, unknown>): CfnResourceJson {
  return cliRole(names.lookupRole, 'lookup', trust, {
    Policies: inlinePolicy([
      // These describe and list actions support no resource-level permissions.
      { Sid: 'ContextProviderLookups', Effect: 'Allow', Action: CONTEXT_PROVIDER_ACTIONS, Resource: '*' },
      {
        // StringParameter.valueFromLookup reads any parameter by name, and the CLI reads the
        // bootstrap version before it uses the role.
        Sid: 'SsmParameterLookups',
        Effect: 'Allow',
        Action: 'ssm:GetParameter',
        Resource: sub('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/*'),
      },
      { Sid: 'CloudControlLookups', Effect: 'Allow', Action: CLOUD_CONTROL_ACTIONS, Resource: '*' },
      {
        Sid: 'StackReads',
        Effect: 'Allow',
        Action: STACK_READ_ACTIONS,
        Resource: sub('arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*/*'),
      },
      { Sid: 'NoDecryption', Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' },
    ]),
  });
}

/** Denies the CloudFormation write actions on the stacks of StackSets, which are named `StackSet-<StackSet name>-<ID>`. */
function stackSetStacksDeny(): Statement {
  return {
    Sid: 'DenyStackSetStacks',
    Effect: 'Deny',
    Action: STACK_WRITE_ACTIONS,
    Resource: sub('arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/StackSet-*/*'),
  };
}

/**
 * Deploys stacks: it drives CloudFormation, passes the execution role to it, reads the
 * templates in the staging bucket and the bootstrap version. It is denied changes to the
 * stacks of StackSets, the bootstrap among them, so that a deployment cannot replace the
 * bootstrap by mistake. That is no boundary on its own: the execution role that it passes
 * to CloudFormation can do whatever its policies allow.
 *
 * CDK Pipelines keeps its artifacts in a bucket of the pipeline account, encrypted with a
 * key of that account, and deploys with this role, which reads and writes them. The CDK
 * CLI's template allows that on every bucket and key outside the member account. Here only
 * the buckets and keys of the trusted accounts qualify, which is where a pipeline that may
 * assume this role runs, and never those of the member account itself.
 */
function deploymentActionRole(names: BootstrapNames, trust: Record<string, unknown>): CfnResourceJson {
  return cliRole(names.deployRole, 'deploy', trust, {
    Policies: inlinePolicy([
      {
        // CloudFormation and the CLI call these on stacks and change sets the CLI creates, and
        // some, such as ListStacks and the refactor actions, on no particular stack.
        Sid: 'CloudFormationDeployment',
        Effect: 'Allow',
        Action: [
          'cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:DescribeChangeSet',
          'cloudformation:ExecuteChangeSet', 'cloudformation:CreateStack', 'cloudformation:UpdateStack',
          'cloudformation:DeleteStack', 'cloudformation:DescribeStacks', 'cloudformation:DescribeStackEvents',
          'cloudformation:DescribeEvents', 'cloudformation:GetTemplate', 'cloudformation:GetTemplateSummary',
          'cloudformation:UpdateTerminationProtection', 'cloudformation:RollbackStack',
          'cloudformation:ContinueUpdateRollback', 'cloudformation:ListStacks',
          'cloudformation:CreateStackRefactor', 'cloudformation:DescribeStackRefactor',
          'cloudformation:ExecuteStackRefactor', 'cloudformation:ListStackRefactorActions',
          'cloudformation:ListStackRefactors',
        ],
        Resource: '*',
      },
      { Sid: 'CallerIdentity', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
      {
        Sid: 'PassExecutionRole',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: sub(roleArn(names.executionRole)),
        Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
      },
      stackSetStacksDeny(),
      {
        Sid: 'StagingBucketRead',
        Effect: 'Allow',
        Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
        Resource: stagingBucketArns(names),
        // A bucket of the same name in another account must never provide a template.
        Condition: { StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } },
      },
      {
        // CreateChangeSet reads the version through GetParameters for the stack's
        // BootstrapVersion parameter, and the CLI reads it with GetParameter.
        Sid: 'ReadBootstrapVersion',
        Effect: 'Allow',
        Action: ['ssm:GetParameter', 'ssm:GetParameters'],
        Resource: sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${names.versionParameter}`),
      },
      {
        Sid: 'PipelineArtifactsBucket',
        Effect: 'Allow',
        Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:Abort*', 's3:DeleteObject*', 's3:PutObject*'],
        Resource: '*',
        Condition: trustedAccountResources(),
      },
      {
        // S3 uses the artifact bucket's key on the role's behalf, in this region.
        Sid: 'PipelineArtifactsKey',
        Effect: 'Allow',
        Action: ENCRYPTION_ACTIONS,
        Resource: '*',
        Condition: trustedAccountResources({ 'kms:ViaService': sub('s3.${AWS::Region}.amazonaws.com') }),
      },
    ]),
  });
}

/**
 * Returns the conditions that limit a statement to the resources of the trusted accounts, except
 * this account's own, which a trusted account list may include.
 *
 * @param equals further `StringEquals` conditions
 */
function trustedAccountResources(equals: Record<string, unknown> = {}): Record<string, Record<string, unknown>> {
  return {
    StringEquals: { 'aws:ResourceAccount': { Ref: TRUSTED_ACCOUNTS_PARAMETER }, ...equals },
    StringNotEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } },
  };
}

/**
 * Returns the ARNs of the execution role's managed policies: the AWS managed ARNs of the list
 * parameter, followed by the customer-managed policies of this account, by name.
 */
function executionPolicyArns(policies: ExecutionPolicyShape): unknown {
  const byName = Array.from({ length: policies.nameCount }, (_, index) =>
    sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:policy/\${${executionPolicyNameParameter(index)}}`));
  if (byName.length === 0) {
    return { Ref: EXECUTION_POLICIES_PARAMETER };
  }
  if (policies.arnCount === 0) {
    return byName;
  }
  // CloudFormation cannot append to a list parameter, so the list is joined and split again.
  return { 'Fn::Split': [',', { 'Fn::Join': [',', [{ 'Fn::Join': [',', { Ref: EXECUTION_POLICIES_PARAMETER }] }, ...byName]] }] };
}

/**
 * Denies the execution role changes to the bootstrap: its roles and the StackSets
 * execution roles, the key, the buckets' policies and settings, the repository's policy
 * and settings, the stacks of StackSets and the version parameter. Without it, a CDK
 * stack could, with AdministratorAccess and no boundary, rewrite the roles that guard every
 * later deployment of the account.
 *
 * This is defence in depth against mistakes and casual misuse, not a boundary. A stack can
 * still do anything else that the execution policies allow in the member account, such as
 * create another role with AdministratorAccess, which these denies do not cover, and use
 * it to make the same changes. Only narrowing `executionPolicyArns` and
 * `executionPolicyNames`, and choosing who may deploy, limits the trusted deployers.
 */
function bootstrapProtection(names: BootstrapNames): Statement[] {
  const iamArn = (resource: string) => sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:${resource}`);
  return [
    {
      Sid: 'DenyBootstrapRoleChanges',
      Effect: 'Deny',
      Action: BOOTSTRAP_ROLE_WRITE_ACTIONS,
      Resource: [iamArn(`role/cdk-${names.qualifier}-*`), iamArn('role/stacksets-exec-*')],
    },
    { Sid: 'DenyStagingKeyChanges', Effect: 'Deny', Action: STAGING_KEY_PROTECTED_ACTIONS, Resource: getAtt(ids.key, 'Arn') },
    {
      Sid: 'DenyBucketChanges',
      Effect: 'Deny',
      Action: BUCKET_CONFIGURATION_ACTIONS,
      Resource: [stagingBucketArns(names)[0], getAtt(ids.accessLogBucket, 'Arn')],
    },
    {
      Sid: 'DenyRepositoryChanges',
      Effect: 'Deny',
      Action: REPOSITORY_CONFIGURATION_ACTIONS,
      Resource: sub(`arn:\${AWS::Partition}:ecr:\${AWS::Region}:\${AWS::AccountId}:repository/${names.repository}`),
    },
    stackSetStacksDeny(),
    {
      Sid: 'DenyVersionParameterChanges',
      Effect: 'Deny',
      Action: VERSION_PARAMETER_WRITE_ACTIONS,
      Resource: sub(`arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${names.versionParameter}`),
    },
  ];
}

/** Builds the role that CloudFormation uses to create the resources of CDK stacks. Only CloudFormation can assume it. */
function executionRole(names: BootstrapNames, policies: ExecutionPolicyShape): CfnResourceJson {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: sub(names.executionRole),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudformation.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      ManagedPolicyArns: executionPolicyArns(policies),
      Policies: [{ PolicyName: 'protect-bootstrap', PolicyDocument: { Version: '2012-10-17', Statement: bootstrapProtection(names) } }],
      Tags: [{ Key: 'aws-cdk:bootstrap-role', Value: 'cfn-exec' }],
    },
  };
}
