import { Annotations, Duration, RemovalPolicy, Stack, Token, aws_iam as iam, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { bucketNameProblems, dottedBucketNameProblem } from './private/bucket-name';
import { bucketPolicySizeProblems } from './private/bucket-policy-size';
import { CheckedTrailSource, checkCloudTrailSources, cloudTrailBucketStatements } from './private/cloudtrail-delivery';
import { configDeliveryKeyStatement } from './private/config-recorder';
import { CONFIG_SOURCE_SID_PREFIX, configSourceBucketStatements } from './private/config-source-delivery';
import { encryptionKeyProblems } from './private/encryption-key';
import { denyGrantsExceptForAwsResources } from './private/key-policy';
import {
  describeLogDeliveryKeyStatement,
  logDeliveryBucketStatements,
  logDeliveryKeyStatement,
  logSourceConditions,
} from './private/log-delivery';
import { addNagSuppressions } from './private/nag-suppressions';
import { describeResolved, ownAccountForms, resolvedForm } from './private/resolved-form';
import { PropsValidator, checkList, daysOf, describeConstruct, isConcreteString, isGiven, show, showDuration } from './private/validation';

/**
 * The S3 Object Lock retention mode, which decides who can remove a lock before it ends.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes
 */
export enum ObjectLockMode {
  /**
   * Users with the `s3:BypassGovernanceRetention` permission can delete a locked object
   * version, or shorten or remove its retention. Everyone else cannot.
   */
  GOVERNANCE = 'GOVERNANCE',

  /**
   * No user can delete a locked object version, or shorten or remove its retention,
   * until the retention period ends. This includes the account root user. The only way
   * to remove such objects early is to close the AWS account.
   */
  COMPLIANCE = 'COMPLIANCE',
}

/** A CloudTrail trail that delivers its log files to the log archive. */
export interface CloudTrailSource {
  /**
   * The ARN of the trail, `arn:<partition>:cloudtrail:<home region>:<account ID>:trail/<name>`.
   *
   * For an organization trail, the account is the management account (or the CloudTrail
   * delegated administrator that created the trail). `OrganisationTrail.archiveSource` gives it.
   */
  readonly trailArn: string;

  /**
   * The ID of the organization, for an organization trail, for example `o-a1b2c3d4e5`.
   *
   * An organization trail writes the log files of every account under
   * `AWSLogs/<organization ID>/`.
   *
   * @default - the trail logs one account, and writes only under `AWSLogs/<trail account>/`
   */
  readonly organizationId?: string;
}

/** Properties of a log archive. */
export interface LogArchiveProps {
  /**
   * The physical name of the log archive bucket.
   *
   * Give a name when other accounts configure their log destinations by name. It must
   * follow the S3 bucket naming rules and be unique across all AWS accounts in the partition.
   * A name with dots gets the warning `@ssd-platform/security-baseline:logArchiveDottedBucketName`,
   * because the dots break TLS for virtual-hosted-style requests and `AccountConfigRecorder`
   * rejects such a name.
   *
   * @default - CloudFormation generates a unique name
   * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
   */
  readonly bucketName?: string;

  /**
   * The KMS key that encrypts the log files.
   *
   * The construct adds a statement to the key policy that lets the log delivery service
   * use the key. It cannot change the policy of an imported key: it then adds a warning
   * that gives the statement to add by hand, and log delivery fails until it is added.
   *
   * The key must be in this stack's region, because S3 uses only a key in the bucket's
   * region. It must be a key, not an alias: S3 resolves an alias in the account that
   * writes each object, so logs from another account could be encrypted with that
   * account's key. The construct rejects both cases when the region or alias is known.
   *
   * @default - a new customer managed key with yearly automatic rotation, retained on stack deletion
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The AWS accounts whose VPC flow logs and AWS Network Firewall logs this archive accepts.
   *
   * The log delivery service (`delivery.logs.amazonaws.com`) may write only on behalf of
   * these accounts, from this stack's region. List this stack's own account too if it also
   * sends logs.
   *
   * @default - this stack's account only
   */
  readonly logSourceAccounts?: string[];

  /**
   * The CloudTrail trails whose log files and digest files this archive accepts.
   *
   * The bucket policy lets `cloudtrail.amazonaws.com` read the bucket ACL and write under
   * `AWSLogs/<trail account>/` and, for an organization trail, `AWSLogs/<organization ID>/`.
   * Each write must carry the `bucket-owner-full-control` ACL and come from the trail that
   * owns the folder (`aws:SourceArn`).
   *
   * The construct does not change the key policy of `encryptionKey` for these trails. Each
   * trail must encrypt its log files with its own KMS key (SSE-KMS), as `OrganisationTrail`
   * does: S3 then encrypts each file with the trail's key, not with the archive's default
   * key. To read the files, principals of this account also need `kms:Decrypt` on the trail's
   * key, which its owner grants (`OrganisationTrail` prop `logReaderAccounts`).
   *
   * @default - no trail can deliver to the archive
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
   */
  readonly cloudTrailSources?: CloudTrailSource[];

  /**
   * The AWS accounts whose AWS Config delivery channels deliver to this archive, usually
   * the member accounts of the organisation that record with `AccountConfigRecorder`.
   *
   * The bucket policy lets `config.amazonaws.com` check the bucket for these accounts, and
   * write under `AWSLogs/<account>/Config/` of each account only, with the
   * `bucket-owner-full-control` ACL, with one statement per account as the AWS Config
   * documentation shows. S3 accepts a bucket policy of at most 20 KB, so one archive admits
   * about 49 accounts with a generated bucket name (54 with a 31-character `bucketName`). The
   * construct fails synthesis when the whole bucket policy would exceed 20 KB, and the other
   * accounts then need a second `LogArchive`. The key policy of `encryptionKey` lets it encrypt for
   * them. `DetectiveControls` adds the statements for its own account itself. List this
   * stack's own account only when it records with `AccountConfigRecorder` instead, because
   * the construct warns when it is listed. List each account once, or the construct throws.
   *
   * AWS Config does not deliver to a bucket with S3 Object Lock enabled, so an archive for
   * AWS Config needs `objectLock: false`. The construct warns when these accounts are given
   * to an archive with Object Lock.
   *
   * @default - no AWS Config delivery channel of another account can deliver to the archive
   * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
   */
  readonly configSourceAccounts?: string[];

  /**
   * Whether the archive bucket has S3 Object Lock, which keeps each log file from being
   * deleted or overwritten until its retention ends.
   *
   * Set it to false only for log sources that cannot deliver to a bucket with Object Lock,
   * such as AWS Config. Without Object Lock the bucket stays versioned, and its policy
   * denies `s3:DeleteObject` and `s3:DeleteObjectVersion` to every principal, the account's
   * own included, because the construct has no break-glass principal to exempt. That is a
   * weaker protection. A principal that can change the bucket policy can remove the statement,
   * and the lifecycle rule deletes an overwritten log file's earlier version 90 days later.
   * The construct adds the warning `@ssd-platform/security-baseline:logArchiveObjectLockDisabled`.
   * Choose when the archive is first deployed: S3 cannot turn Object Lock off on a bucket
   * that has it.
   *
   * @default true
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-config-deliverychannel.html
   */
  readonly objectLock?: boolean;

  /**
   * The Object Lock mode applied by default to every new log file. Only with Object Lock.
   *
   * Choose `COMPLIANCE` only when you are sure of the retention period: nobody, including
   * the account root user, can shorten or remove it afterwards.
   *
   * @default ObjectLockMode.GOVERNANCE, or none when `objectLock` is false
   */
  readonly objectLockMode?: ObjectLockMode;

  /**
   * How long each new log file stays locked against deletion and overwriting. Only with
   * Object Lock.
   *
   * A whole number of days from 1 to 36500 (100 years), given as a literal rather than a
   * token, because it is checked against `expiration` before deployment. The same holds
   * for the lifecycle periods below.
   *
   * @default Duration.days(365), or none when `objectLock` is false
   */
  readonly objectLockRetention?: Duration;

  /**
   * When log files move to S3 Glacier Instant Retrieval, counted from their creation.
   *
   * A whole number of days, earlier than `archiveAfter`.
   *
   * @default Duration.days(90)
   */
  readonly transitionAfter?: Duration;

  /**
   * When log files move to S3 Glacier Deep Archive, counted from their creation.
   *
   * A whole number of days, later than `transitionAfter`. Glacier Instant Retrieval bills
   * at least 90 days of storage for each object, so a gap of less than 90 days costs more.
   *
   * @default Duration.days(365)
   */
  readonly archiveAfter?: Duration;

  /**
   * When log files are deleted, counted from their creation.
   *
   * A whole number of days, later than `archiveAfter` and, with Object Lock, at least
   * `objectLockRetention`.
   * The expiry applies to the server access logs bucket too.
   *
   * @default - log files are never deleted
   */
  readonly expiration?: Duration;

  /**
   * The removal policy of both buckets, and of the key if this construct creates it.
   *
   * CloudFormation cannot delete a bucket that still holds objects, and S3 Object Lock
   * keeps locked log files until their retention ends, so `DESTROY` suits only test
   * stacks whose buckets are empty.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The props after defaults, as the construct uses them. */
interface LogArchiveSettings {
  readonly bucketName?: string;
  readonly encryptionKey?: kms.IKey;
  readonly logSourceAccounts: string[];
  readonly cloudTrailSources: CheckedTrailSource[];
  readonly configSourceAccounts: string[];
  /** Absent when the bucket has no Object Lock. */
  readonly objectLockRetention?: s3.ObjectLockRetention;
  readonly transitionAfter: Duration;
  readonly archiveAfter: Duration;
  readonly expiration?: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/** How long an object version that has been replaced or deleted is kept before S3 deletes it. */
const NONCURRENT_VERSION_EXPIRATION = Duration.days(90);

/** How long S3 keeps the parts of a multipart upload that never completed. */
const INCOMPLETE_UPLOAD_EXPIRATION = Duration.days(7);

/** The Object Lock retention limits that S3 accepts, in days. */
const MIN_RETENTION_DAYS = 1;
const MAX_RETENTION_DAYS = 36500;

const DEFAULT_RETENTION = Duration.days(365);
const DEFAULT_TRANSITION = Duration.days(90);
const DEFAULT_ARCHIVE = Duration.days(365);

const ACCOUNT_ID = /^\d{12}$/;
const OBJECT_LOCK_MODES: string[] = Object.values(ObjectLockMode);
const REMOVAL_POLICIES: string[] = Object.values(RemovalPolicy);

/** The reason that neither bucket replicates its objects to another region. */
const NO_REPLICATION_REASON = 'Logs of OFFICIAL-SENSITIVE systems must stay in the UK, and eu-west-2 (London) '
  + 'is the only UK AWS region, so there is no second UK region to replicate to.';

/**
 * A segregated archive for VPC flow logs, AWS Network Firewall logs and CloudTrail log files.
 *
 * Usually deployed in the Security account, while the logs come from other accounts
 * through the log delivery service (`delivery.logs.amazonaws.com`) and CloudTrail
 * (`cloudtrail.amazonaws.com`). The archive bucket:
 *
 * - encrypts with a customer managed KMS key (SSE-KMS, with S3 Bucket Keys);
 * - keeps every version and locks each new log file with S3 Object Lock;
 * - accepts only TLS 1.2 or later, blocks all public access and disables ACLs;
 * - moves log files to Glacier Instant Retrieval, then Glacier Deep Archive;
 * - records every request in a second bucket through S3 server access logging;
 * - lets the log delivery service write only on behalf of the listed accounts, and
 *   CloudTrail only for the listed trails.
 *
 * The server access logs bucket uses S3 managed keys (SSE-S3) and has no Object Lock,
 * because S3 server access logging cannot deliver to a bucket with SSE-KMS default
 * encryption or with Object Lock enabled.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-S3.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 */
export class LogArchive extends Construct {
  /** The bucket that stores the log files. */
  public readonly bucket: s3.IBucket;

  /** The KMS key that encrypts the log files. */
  public readonly encryptionKey: kms.IKey;

  /** The bucket that stores the S3 server access logs of `bucket`. */
  public readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: LogArchiveProps = {}) {
    super(scope, id);
    const settings = validateProps(scope, id, props);
    const stack = Stack.of(this);

    this.encryptionKey = settings.encryptionKey ?? denyGrantsExceptForAwsResources(new kms.Key(this, 'Key', {
      description: `Encrypts the log archive ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    }));

    const accessLogsBucket = this.createAccessLogsBucket(settings);
    const bucket = this.createArchiveBucket(settings);
    this.accessLogsBucket = accessLogsBucket;
    this.bucket = bucket;
    this.warnIfDottedName(settings.bucketName);

    // Statements can be added until synthesis, by this construct and through `bucket`, so the
    // size of the bucket policy is checked once they are all there.
    this.node.addValidation({
      validate: () => bucketPolicySizeProblems(bucket, settings.bucketName, BUCKET_POLICY_SOURCES, BUCKET_POLICY_FIX),
    });

    // S3 server access logging is wired on the L1, with a bucket policy for the logging
    // service, because the L2 prop relies on log delivery ACLs unless the app turns on the
    // feature flag @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy, and ACLs are disabled here.
    (bucket.node.defaultChild as s3.CfnBucket).loggingConfiguration = {
      destinationBucketName: accessLogsBucket.bucketName,
    };
    accessLogsBucket.addToResourcePolicy(serverAccessLogsStatement(stack, bucket, accessLogsBucket));

    // Let the log delivery service write, for the listed accounts only.
    const conditions = logSourceConditions(stack, settings.logSourceAccounts);
    for (const statement of logDeliveryBucketStatements(bucket, conditions)) {
      bucket.addToResourcePolicy(statement);
    }
    const keyPolicy = this.encryptionKey.addToResourcePolicy(logDeliveryKeyStatement(conditions));
    if (!keyPolicy.statementAdded) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:logArchiveKeyPolicyNotUpdated',
        'The key policy of the given encryptionKey cannot be changed from this stack, so the log delivery '
        + 'service cannot encrypt log files until its key policy has this statement: '
        + `${describeLogDeliveryKeyStatement(stack, settings.logSourceAccounts)}.`);
    }

    // AWS Config of other accounts writes under each account's own folder, and encrypts
    // with the archive key.
    if (settings.configSourceAccounts.length > 0) {
      this.warnIfOwnAccountListed(stack, settings.configSourceAccounts);
      this.allowConfigDelivery(settings.configSourceAccounts);
    }

    // CloudTrail encrypts each log file with the trail's own key, so only the bucket
    // policy changes here, not the archive key's policy.
    if (settings.cloudTrailSources.length > 0) {
      for (const statement of cloudTrailBucketStatements(bucket, settings.cloudTrailSources)) {
        bucket.addToResourcePolicy(statement);
      }
    }
  }

  /**
   * Warns about a bucket name with dots, which S3 accepts but which breaks TLS for
   * virtual-hosted-style requests, and which `AccountConfigRecorder` rejects as the name of
   * its delivery bucket. A warning rather than an error, because renaming a deployed bucket
   * replaces it.
   */
  private warnIfDottedName(bucketName: string | undefined): void {
    const problem = bucketName !== undefined && !Token.isUnresolved(bucketName) ? dottedBucketNameProblem(bucketName) : undefined;
    if (problem === undefined) {
      return;
    }
    Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:logArchiveDottedBucketName',
      `bucketName ${show(bucketName)} has a problem: ${problem}. AccountConfigRecorder rejects a delivery bucket name with dots, `
      + 'so member accounts cannot deliver AWS Config to this archive with it. Choose a name without dots, for example '
      + '"ssd-log-archive-222222222222", before the archive is first deployed, because renaming the bucket replaces it.');
  }

  /**
   * Warns when the archive's own account is among the AWS Config source accounts. Its
   * statements grant no more than `DetectiveControls` grants for its own account, so they
   * are harmless, but redundant when `DetectiveControls` records in this account and
   * delivers here. They are needed only when this account records in another way, for
   * example with `AccountConfigRecorder`, so a warning rather than an error.
   */
  private warnIfOwnAccountListed(stack: Stack, accounts: string[]): void {
    // Resolved forms also find the own account given as Aws.ACCOUNT_ID, or as the same
    // reference as the stack's account.
    const ownAccounts = ownAccountForms(stack);
    const index = accounts.findIndex((account) => ownAccounts.has(resolvedForm(stack, account)));
    if (index < 0) {
      return;
    }
    Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:logArchiveConfigSourceOwnAccount',
      `configSourceAccounts[${index}] is ${describeResolved(stack, accounts[index])}, the archive's own account. DetectiveControls already lets AWS Config `
      + 'of its own account deliver to the bucket it is given, so when DetectiveControls records in this account and delivers '
      + 'here, remove the account from configSourceAccounts. Keep it only when this account records with AccountConfigRecorder '
      + 'instead, and then acknowledge this warning.');
  }

  private allowConfigDelivery(accounts: string[]): void {
    for (const statement of configSourceBucketStatements(this.bucket, accounts)) {
      this.bucket.addToResourcePolicy(statement);
    }
    const keyPolicy = this.encryptionKey.addToResourcePolicy(configDeliveryKeyStatement(accounts, 'AWSConfigSourceAccountsDelivery'));
    if (!keyPolicy.statementAdded) {
      const listedAccounts = accounts.map((account) => (Token.isUnresolved(account) ? '<account known at deploy time>' : account));
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:logArchiveConfigKeyPolicyNotUpdated',
        'The key policy of the given encryptionKey cannot be changed from this stack, so AWS Config cannot encrypt what '
        + 'the configSourceAccounts deliver until the key policy allows principal service config.amazonaws.com kms:Decrypt '
        + `and kms:GenerateDataKey on resource "*" with StringEquals aws:SourceAccount [${listedAccounts.join(', ')}].`);
    }
  }

  private createArchiveBucket(settings: LogArchiveSettings): s3.Bucket {
    const bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: settings.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      versioned: true,
      // NOTE: no deployment has yet confirmed that the log delivery service can write to a
      // bucket with a default retention. S3 rejects PutObject requests to such a bucket
      // unless they carry Content-MD5 or another checksum header.
      objectLockEnabled: settings.objectLockRetention !== undefined,
      objectLockDefaultRetention: settings.objectLockRetention,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [lifecycleRule(settings)],
      removalPolicy: settings.removalPolicy,
    });

    addNagSuppressions(bucket.node.defaultChild as s3.CfnBucket, [
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
    ]);

    if (settings.objectLockRetention === undefined) {
      bucket.addToResourcePolicy(denyLogDeletionStatement(bucket));
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:logArchiveObjectLockDisabled', OBJECT_LOCK_DISABLED_WARNING);
    } else if (settings.configSourceAccounts.length > 0) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:logArchiveConfigDeliveryWithObjectLock',
        'configSourceAccounts is given, but the archive bucket has S3 Object Lock, and AWS Config does not deliver to a bucket '
        + 'with Object Lock enabled. Set objectLock to false on the archive that receives AWS Config deliveries.');
    }
    return bucket;
  }

  private createAccessLogsBucket(settings: LogArchiveSettings): s3.Bucket {
    // S3 server access logging delivers only to buckets whose default encryption is SSE-S3
    // and that do not have Object Lock enabled, so this bucket has neither KMS nor Object Lock.
    const bucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [lifecycleRule(settings)],
      removalPolicy: settings.removalPolicy,
    });

    addNagSuppressions(bucket.node.defaultChild as s3.CfnBucket, [
      {
        id: 'AwsSolutions-S1',
        reason: 'This bucket is the server access logs target of the log archive. Logging its own requests '
          + 'to itself would log every log delivery, without end.',
      },
      {
        id: 'NIST.800.53.R5-S3BucketLoggingEnabled',
        reason: 'This bucket is the server access logs target of the log archive, and cannot log to itself.',
      },
      {
        id: 'NIST.800.53.R5-S3DefaultEncryptionKMS',
        reason: 'S3 server access logging delivers only to buckets whose default encryption is SSE-S3 (AES256), '
          + 'not SSE-KMS.',
      },
      { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: NO_REPLICATION_REASON },
    ]);
    return bucket;
  }
}

/** The props whose statements the bucket policy size check names, by their statement IDs. */
const BUCKET_POLICY_SOURCES = [
  { label: 'configSourceAccounts', sid: new RegExp(`^${CONFIG_SOURCE_SID_PREFIX}`) },
  { label: 'cloudTrailSources', sid: /^AWSCloudTrail/ },
  { label: 'logSourceAccounts', sid: /^AWSLogDelivery/ },
];

/** The fix that the message of the bucket policy size check gives. */
const BUCKET_POLICY_FIX = 'Send some of these sources to a second LogArchive. Each of the configSourceAccounts adds a statement, '
  + 'so one archive holds about 49 of them: list the others in the configSourceAccounts of a second LogArchive with objectLock: '
  + 'false, and give their AccountConfigRecorder its bucket name and key. For CloudTrail, deliver the logs of every account '
  + 'through one organization trail, which needs one statement where a trail per account needs one each.';

/** The warning for an archive without Object Lock, with the risk it leaves. */
const OBJECT_LOCK_DISABLED_WARNING = 'objectLock is false, so S3 Object Lock does not protect the log files. The bucket policy '
  + 'denies s3:DeleteObject and s3:DeleteObjectVersion to every principal, but a principal that can change the bucket policy can '
  + 'remove that statement, and a principal that can write to the bucket can overwrite a log file, whose earlier version the '
  + 'lifecycle rule deletes 90 days later. Keep objectLock on unless a log source cannot deliver to a bucket with Object Lock, '
  + 'as AWS Config cannot, and limit who may change the bucket policy.';

/**
 * Builds the bucket policy statement that replaces Object Lock: no principal may delete a log file
 * or one of its versions. Lifecycle expiry still deletes them, because S3 applies
 * lifecycle rules without a request that a bucket policy could deny.
 */
function denyLogDeletionStatement(bucket: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'DenyLogFileDeletion',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    resources: [bucket.arnForObjects('*')],
  });
}

/** Builds the lifecycle rule that both buckets share. */
function lifecycleRule(settings: LogArchiveSettings): s3.LifecycleRule {
  return {
    id: 'ArchiveLogs',
    transitions: [
      { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: settings.transitionAfter },
      { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: settings.archiveAfter },
    ],
    expiration: settings.expiration,
    noncurrentVersionExpiration: NONCURRENT_VERSION_EXPIRATION,
    abortIncompleteMultipartUploadAfter: INCOMPLETE_UPLOAD_EXPIRATION,
  };
}

/** Builds the bucket policy statement that lets S3 server access logging write to the target bucket. */
function serverAccessLogsStatement(stack: Stack, source: s3.IBucket, target: s3.IBucket): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'S3ServerAccessLogsDelivery',
    principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
    actions: ['s3:PutObject'],
    resources: [target.arnForObjects('*')],
    conditions: {
      ArnLike: { 'aws:SourceArn': source.bucketArn },
      StringEquals: { 'aws:SourceAccount': stack.account },
    },
  });
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
function validateProps(scope: Construct, id: string, rawProps: LogArchiveProps | null): LogArchiveSettings {
  const validator = new PropsValidator(describeConstruct('LogArchive', scope, id));
  if (isGiven(rawProps) && typeof rawProps !== 'object') {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object, or omit them to use the defaults.`);
    validator.throwIfInvalid();
  }
  const props: LogArchiveProps = rawProps ?? {};

  checkBucketName(validator, props.bucketName);
  const logSourceAccounts = checkLogSourceAccounts(validator, scope, props.logSourceAccounts);
  const cloudTrailSources = checkCloudTrailSources(validator, props.cloudTrailSources);
  const configSourceAccounts = checkConfigSourceAccounts(validator, Stack.of(scope), props.configSourceAccounts);
  if (isGiven(props.encryptionKey)) {
    for (const problem of encryptionKeyProblems('encryptionKey', props.encryptionKey, Stack.of(scope))) {
      validator.fail(problem);
    }
  }

  const objectLock = checkObjectLock(validator, props);
  const objectLockMode = props.objectLockMode ?? ObjectLockMode.GOVERNANCE;
  if (!OBJECT_LOCK_MODES.includes(objectLockMode)) {
    validator.fail(`objectLockMode is ${show(objectLockMode)}, which is not an Object Lock mode. `
      + 'Use ObjectLockMode.GOVERNANCE or ObjectLockMode.COMPLIANCE, or omit objectLockMode for GOVERNANCE.');
  }
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}, which is not a removal policy. `
      + 'Use a RemovalPolicy value, for example RemovalPolicy.RETAIN, or omit removalPolicy to retain the buckets.');
  }

  const retention = objectLock ? checkDuration(validator, 'objectLockRetention', props.objectLockRetention, DEFAULT_RETENTION) : undefined;
  const transitionAfter = checkDuration(validator, 'transitionAfter', props.transitionAfter, DEFAULT_TRANSITION);
  const archiveAfter = checkDuration(validator, 'archiveAfter', props.archiveAfter, DEFAULT_ARCHIVE);
  const expiration = isGiven(props.expiration) ? checkDuration(validator, 'expiration', props.expiration) : undefined;

  const retentionDays = daysOf(retention);
  if (retention !== undefined && retentionDays !== undefined
    && (!Number.isInteger(retentionDays) || retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS)) {
    validator.fail(`objectLockRetention is ${showDuration(retention)}. S3 Object Lock needs a whole `
      + `number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}, for example Duration.days(365).`);
  }
  const transitionDays = checkWholeDays(validator, 'transitionAfter', transitionAfter);
  const archiveDays = checkWholeDays(validator, 'archiveAfter', archiveAfter);
  const expirationDays = checkWholeDays(validator, 'expiration', expiration);
  const archiveDefault = isGiven(props.archiveAfter) ? '' : ', the default';

  if (transitionDays !== undefined && archiveDays !== undefined && transitionDays >= archiveDays) {
    validator.fail(`transitionAfter (${showDuration(transitionAfter!)}) is not earlier than archiveAfter `
      + `(${showDuration(archiveAfter!)}${archiveDefault}). `
      + 'Log files move to Glacier Instant Retrieval before Glacier Deep Archive, so make transitionAfter the shorter.');
  }
  if (expirationDays !== undefined && archiveDays !== undefined && expirationDays <= archiveDays) {
    validator.fail(`expiration (${showDuration(expiration!)}) is not later than archiveAfter `
      + `(${showDuration(archiveAfter!)}${archiveDefault}). `
      + 'S3 lifecycle rules must expire objects after their last transition, so lengthen expiration or shorten archiveAfter.');
  }
  if (expirationDays !== undefined && retentionDays !== undefined && expirationDays < retentionDays) {
    validator.fail(`expiration (${showDuration(expiration!)}) is shorter than objectLockRetention `
      + `(${showDuration(retention!)}${isGiven(props.objectLockRetention) ? '' : ', the default'}). `
      + 'Log files cannot be deleted while they are locked, so make expiration at least as long as the retention.');
  }

  validator.throwIfInvalid();

  return {
    bucketName: props.bucketName ?? undefined,
    encryptionKey: props.encryptionKey ?? undefined,
    logSourceAccounts: logSourceAccounts!,
    cloudTrailSources: cloudTrailSources!,
    configSourceAccounts: configSourceAccounts!,
    objectLockRetention: objectLockRetentionOf(objectLock ? retention : undefined, objectLockMode),
    transitionAfter: transitionAfter!,
    archiveAfter: archiveAfter!,
    expiration,
    removalPolicy,
  };
}

/**
 * Checks `objectLock` and that the Object Lock settings are not given without Object Lock.
 *
 * @returns whether the bucket has Object Lock
 */
function checkObjectLock(validator: PropsValidator, props: LogArchiveProps): boolean {
  if (!isGiven(props.objectLock)) {
    return true;
  }
  if (typeof props.objectLock !== 'boolean') {
    validator.fail(`objectLock is ${show(props.objectLock)}, which is not a boolean. Give true or false, or omit objectLock to keep Object Lock on.`);
    return true;
  }
  const lockSettings = (['objectLockMode', 'objectLockRetention'] as const).filter((name) => isGiven(props[name]));
  if (!props.objectLock && lockSettings.length > 0) {
    validator.fail(`objectLock is false, but ${lockSettings.join(' and ')} ${lockSettings.length > 1 ? 'are' : 'is'} given. `
      + 'Without Object Lock there is no lock mode or retention: remove '
      + `${lockSettings.join(' and ')}, or set objectLock to true.`);
  }
  return props.objectLock;
}

/** Returns the default retention of new log files, or undefined for a bucket without Object Lock. */
function objectLockRetentionOf(retention: Duration | undefined, mode: ObjectLockMode): s3.ObjectLockRetention | undefined {
  if (retention === undefined) {
    return undefined;
  }
  return mode === ObjectLockMode.COMPLIANCE ? s3.ObjectLockRetention.compliance(retention) : s3.ObjectLockRetention.governance(retention);
}

/** Records a problem for each S3 naming rule that a given bucket name breaks. */
function checkBucketName(validator: PropsValidator, bucketName: unknown): void {
  if (!isGiven(bucketName)) {
    return;
  }
  if (typeof bucketName !== 'string') {
    validator.fail(`bucketName is ${show(bucketName)}, which is not a string. Give the bucket name as a string, `
      + 'or omit bucketName to let CloudFormation name the bucket.');
    return;
  }
  if (!isConcreteString(bucketName)) {
    return;
  }
  for (const problem of bucketNameProblems(bucketName)) {
    validator.fail(`bucketName ${show(bucketName)} is not a valid S3 bucket name: ${problem}. `
      + 'Choose a name that follows the S3 bucket naming rules, or omit bucketName to let CloudFormation name the bucket.');
  }
}

/**
 * Checks the log source accounts and returns them without repeats, defaulting to the
 * stack's account. Returns undefined when they are not a list.
 */
function checkLogSourceAccounts(validator: PropsValidator, scope: Construct, value: unknown): string[] | undefined {
  if (!isGiven(value)) {
    return [Stack.of(scope).account];
  }
  const accounts = checkList(validator, 'logSourceAccounts', value, '["222222222222"]');
  if (accounts === undefined) {
    return undefined;
  }

  if (accounts.length === 0) {
    validator.fail('logSourceAccounts is empty. List at least one 12-digit AWS account ID, '
      + 'or omit logSourceAccounts to accept logs from this stack\'s account.');
  }
  accounts.forEach((account, index) => {
    if (typeof account !== 'string') {
      validator.fail(`logSourceAccounts[${index}] is ${show(account)}, which is not a string. `
        + 'Give each account as a 12-digit account ID in a string, for example "222222222222".');
    } else if (isConcreteString(account) && !ACCOUNT_ID.test(account)) {
      validator.fail(`logSourceAccounts[${index}] is ${show(account)}, which is not an AWS account ID. Use the 12-digit account ID.`);
    }
  });
  return [...new Set(accounts as string[])];
}

/**
 * Checks the accounts whose AWS Config delivers to the archive, and returns them. Returns
 * undefined when they are not a list.
 *
 * A repeated account is an error rather than dropped, because a repeat is usually a copy
 * and paste slip that hides a missing account, and the error lets the user see it.
 */
function checkConfigSourceAccounts(validator: PropsValidator, stack: Stack, value: unknown): string[] | undefined {
  if (!isGiven(value)) {
    return [];
  }
  const accounts = checkList(validator, 'configSourceAccounts', value, '["222222222222"]');
  if (accounts === undefined) {
    return undefined;
  }

  if (accounts.length === 0) {
    validator.fail('configSourceAccounts is empty. List the 12-digit IDs of the accounts whose AWS Config delivers here, '
      + 'or omit configSourceAccounts.');
  }
  accounts.forEach((account, index) => {
    if (typeof account !== 'string') {
      validator.fail(`configSourceAccounts[${index}] is ${show(account)}, which is not a string. `
        + 'Give each account as a 12-digit account ID in a string, for example "222222222222".');
    } else if (isConcreteString(account) && !ACCOUNT_ID.test(account)) {
      validator.fail(`configSourceAccounts[${index}] is ${show(account)}, which is not an AWS account ID. Use the 12-digit account ID.`);
    }
  });
  // Accounts are compared by their resolved form, so that two tokens for the same reference,
  // such as two calls of Fn.importValue with the same name, count as the same account.
  const firstIndex = new Map<string, number>();
  accounts.forEach((account, index) => {
    if (typeof account !== 'string') {
      return;
    }
    const key = resolvedForm(stack, account);
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
    } else {
      validator.fail(`configSourceAccounts[${index}] is ${describeResolved(stack, account)}, which configSourceAccounts[${first}] `
        + `already lists. List each account once: remove configSourceAccounts[${index}].`);
    }
  });
  return accounts as string[];
}

/**
 * Records a problem unless a duration prop is a concrete `Duration`, and returns it, or
 * `defaultValue` when the prop is not given. Returns undefined when the prop is invalid.
 *
 * Tokens are rejected because each period is compared with another (the retention with
 * the expiry, the transitions with each other) before deployment.
 */
function checkDuration(validator: PropsValidator, propName: string, duration: unknown, defaultValue?: Duration): Duration | undefined {
  if (!isGiven(duration)) {
    return defaultValue;
  }
  if (!(duration instanceof Duration)) {
    validator.fail(`${propName} is ${show(duration)}, which is not a Duration. `
      + `Give a Duration, for example Duration.days(${defaultValue?.toDays() ?? 730}).`);
    return undefined;
  }
  if (duration.isUnresolved()) {
    validator.fail(`${propName} is a token, whose value is known only at deploy time. Give a literal number of days, `
      + `for example Duration.days(${defaultValue?.toDays() ?? 730}), because the construct checks the Object Lock `
      + 'retention and the lifecycle periods against each other before deployment.');
    return undefined;
  }
  return duration;
}

/** Records a problem unless `duration` is a positive whole number of days. Returns the days when known. */
function checkWholeDays(validator: PropsValidator, propName: string, duration: Duration | undefined): number | undefined {
  const days = daysOf(duration);
  if (duration !== undefined && days !== undefined && (!Number.isInteger(days) || days < 1)) {
    validator.fail(`${propName} is ${showDuration(duration)}. S3 lifecycle rules count in whole days, `
      + 'so give a whole number of days of at least 1, for example Duration.days(90).');
    return undefined;
  }
  return days;
}
