import { Annotations, Duration, RemovalPolicy, aws_config as config, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { enableAccessAnalyzer } from './private/detective-controls/access-analyzer';
import { enableAwsConfig } from './private/detective-controls/aws-config';
import { deployConformancePack, renderConformancePackTemplate } from './private/detective-controls/conformance-pack';
import { enableGuardDuty } from './private/detective-controls/guardduty';
import { enableInspector } from './private/detective-controls/inspector';
import { enableMacie } from './private/detective-controls/macie';
import { ncscManagedRules } from './private/detective-controls/ncsc-rules';
import { recordParts } from './private/detective-controls/parts';
import { enableSecurityHub } from './private/detective-controls/security-hub';
import { validateDetectiveControlsProps } from './private/detective-controls/validation';

/** The member accounts of the organisation that a service turns itself on for. */
export enum OrganizationAutoEnable {
  /** Every member account, those already in the organisation and those that join later. */
  ALL = 'ALL',

  /** Only accounts that join the organisation from now on. */
  NEW = 'NEW',

  /** No member account. Each account's administrator turns the service on. */
  NONE = 'NONE',
}

/** How often a scheduled Amazon Macie sensitive data discovery job runs. */
export enum MacieJobSchedule {
  /** Every day. */
  DAILY = 'DAILY',

  /** Every Monday. */
  WEEKLY = 'WEEKLY',

  /** On the first day of every month. */
  MONTHLY = 'MONTHLY',
}

/**
 * The 14 NCSC Cloud Security Principles.
 *
 * @see https://www.ncsc.gov.uk/collection/cloud/the-cloud-security-principles
 */
export enum NcscPrinciple {
  /** Principle 1: user data in transit is protected against tampering and eavesdropping. */
  DATA_IN_TRANSIT_PROTECTION = 'DATA_IN_TRANSIT_PROTECTION',

  /** Principle 2: user data and the assets storing or processing it are protected against physical tampering, loss, damage or seizure. */
  ASSET_PROTECTION_AND_RESILIENCE = 'ASSET_PROTECTION_AND_RESILIENCE',

  /** Principle 3: a compromised or malicious user of the service cannot affect the service or data of another. */
  SEPARATION_BETWEEN_CUSTOMERS = 'SEPARATION_BETWEEN_CUSTOMERS',

  /** Principle 4: a security governance framework coordinates and directs the management of the service. */
  GOVERNANCE_FRAMEWORK = 'GOVERNANCE_FRAMEWORK',

  /** Principle 5: the service is operated securely, to detect and prevent attacks. */
  OPERATIONAL_SECURITY = 'OPERATIONAL_SECURITY',

  /** Principle 6: staff with access to user data and systems are screened and trained. */
  PERSONNEL_SECURITY = 'PERSONNEL_SECURITY',

  /** Principle 7: the service is designed and developed to identify and mitigate threats. */
  SECURE_DEVELOPMENT = 'SECURE_DEVELOPMENT',

  /** Principle 8: the supply chain supports the security principles the service claims to implement. */
  SUPPLY_CHAIN_SECURITY = 'SUPPLY_CHAIN_SECURITY',

  /** Principle 9: users get the tools to manage their use of the service securely. */
  SECURE_USER_MANAGEMENT = 'SECURE_USER_MANAGEMENT',

  /** Principle 10: access to service interfaces is limited to authenticated and authorised identities. */
  IDENTITY_AND_AUTHENTICATION = 'IDENTITY_AND_AUTHENTICATION',

  /** Principle 11: all external or less trusted interfaces of the service are identified and defended. */
  EXTERNAL_INTERFACE_PROTECTION = 'EXTERNAL_INTERFACE_PROTECTION',

  /** Principle 12: systems used to administer the service are highly trusted. */
  SECURE_SERVICE_ADMINISTRATION = 'SECURE_SERVICE_ADMINISTRATION',

  /** Principle 13: users get the audit records they need to monitor access to their service and data. */
  AUDIT_INFORMATION_FOR_USERS = 'AUDIT_INFORMATION_FOR_USERS',

  /** Principle 14: users meet their responsibilities for using the service securely. */
  SECURE_USE_OF_THE_SERVICE = 'SECURE_USE_OF_THE_SERVICE',
}

/** An AWS Config managed rule in the conformance pack, with the NCSC principle it gives evidence for. */
export interface ConformancePackRule {
  /**
   * The identifier of the AWS Config managed rule, for example `S3_BUCKET_SSL_REQUESTS_ONLY`.
   *
   * @see https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html
   */
  readonly identifier: string;

  /**
   * The name of the rule in the conformance pack, for example `s3-bucket-ssl-requests-only`.
   * 1 to 128 letters, digits and hyphens, unique in the pack.
   */
  readonly ruleName: string;

  /** The NCSC Cloud Security Principle whose implementation the rule checks. */
  readonly principle: NcscPrinciple;

  /** A one-sentence statement of what the rule checks. It becomes the rule's description. */
  readonly description: string;

  /**
   * The rule's parameters, as AWS Config documents them for the managed rule. Values are strings.
   *
   * @default - the managed rule's defaults
   */
  readonly inputParameters?: { [name: string]: string };

  /**
   * How often AWS Config runs the rule. Only for managed rules with a periodic trigger.
   *
   * @default - AWS Config's default for a periodic rule, every 24 hours
   */
  readonly maximumExecutionFrequency?: config.MaximumExecutionFrequency;
}

/**
 * The AWS Config conformance pack that gives evidence for the NCSC Cloud Security Principles.
 *
 * The pack is generated from a typed list of AWS Config managed rules, each mapped to the
 * principle it supports. Principles 6 (personnel security), 7 (secure development) and
 * 8 (supply chain security) are mostly about people and process, so few or no AWS
 * resource settings give evidence for them. The pack covers them thinly, and the formal
 * report needs other evidence for them.
 */
export class NcscConformancePack {
  /** The largest template body, in bytes, that AWS Config accepts inline instead of from S3. */
  public static readonly MAX_INLINE_TEMPLATE_BYTES = 51_200;

  /** Returns a copy of the managed rules in the pack, in their order in the template. */
  public static rules(): ConformancePackRule[] {
    return ncscManagedRules();
  }

  /**
   * Renders a conformance pack template, as JSON, from a list of rules.
   *
   * Upload the result to S3 and pass its URI as `conformancePack.templateS3Uri` when the
   * pack grows past the inline limit of `MAX_INLINE_TEMPLATE_BYTES`. The rules are not
   * validated here: `DetectiveControls` validates the rules it is given.
   *
   * @param rules the rules to render
   * @default - the rules of `rules()`
   */
  public static renderTemplate(rules?: ConformancePackRule[]): string {
    return renderConformancePackTemplate(rules ?? ncscManagedRules());
  }

  private constructor() {}
}

/** Settings of Amazon GuardDuty. */
export interface GuardDutyOptions {
  /**
   * Whether to turn on GuardDuty. Turning it off removes threat detection and is reported as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Whether GuardDuty monitors S3 data events (S3 Protection).
   *
   * @default true
   */
  readonly s3Protection?: boolean;

  /**
   * Whether GuardDuty scans the EBS volumes of EC2 instances when it finds signs of malware
   * (Malware Protection for EC2).
   *
   * @default true
   */
  readonly malwareProtection?: boolean;

  /**
   * Whether GuardDuty monitors login activity on supported Amazon Aurora and RDS databases (RDS Protection).
   *
   * @default true
   */
  readonly rdsProtection?: boolean;

  /**
   * Whether GuardDuty monitors the network activity of Lambda functions (Lambda Protection).
   *
   * @default true
   */
  readonly lambdaProtection?: boolean;

  /**
   * Whether GuardDuty Runtime Monitoring watches operating system events on EC2 instances,
   * with the security agent that GuardDuty installs and updates through Systems Manager.
   *
   * Each instance needs the SSM Agent and a route to the GuardDuty VPC endpoint, which
   * GuardDuty creates in each VPC. It is billed per vCPU.
   *
   * @default false
   * @see https://docs.aws.amazon.com/guardduty/latest/ug/runtime-monitoring.html
   */
  readonly runtimeMonitoring?: boolean;

  /**
   * Whether GuardDuty monitors Amazon EKS clusters: their audit logs and, with
   * `runtimeMonitoring`, their nodes through the GuardDuty EKS add-on.
   *
   * @default false
   */
  readonly eksProtection?: boolean;

  /**
   * The member accounts that GuardDuty turns itself on for, with the same features.
   * Only with `organizationWide`.
   *
   * @default OrganizationAutoEnable.ALL
   */
  readonly autoEnableOrganizationMembers?: OrganizationAutoEnable;
}

/** Settings of AWS Security Hub CSPM. */
export interface SecurityHubOptions {
  /**
   * Whether to turn on Security Hub. Turning it off removes the estate's compliance view
   * and is reported as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Whether the delegated administrator configures Security Hub for every account of the
   * organisation through a configuration policy associated with the organisation root.
   * Only with `organizationWide`, and it needs `organizationRootId`.
   *
   * Without it, Security Hub is configured in this account only.
   *
   * @default true
   * @see https://docs.aws.amazon.com/securityhub/latest/userguide/central-configuration-intro.html
   */
  readonly centralConfiguration?: boolean;

  /**
   * Security controls to turn off in every account, by control ID, for example `EC2.10`.
   * Only with `centralConfiguration`. Every other control of the standards stays on,
   * including controls that AWS adds later.
   *
   * @default - every control is on
   */
  readonly disabledControlIds?: string[];
}

/** Settings of Amazon Inspector. */
export interface InspectorOptions {
  /**
   * Whether to turn on Amazon Inspector. Turning it off removes vulnerability scanning and
   * is reported as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Whether Inspector scans EC2 instances for software vulnerabilities and unintended network exposure.
   *
   * @default true
   */
  readonly ec2Scanning?: boolean;

  /**
   * Whether Inspector scans container images in Amazon ECR (enhanced scanning).
   *
   * @default true
   */
  readonly ecrScanning?: boolean;
}

/** S3 buckets of one account that hold personal data. */
export interface PersonalDataBuckets {
  /** The 12-digit ID of the account that owns the buckets. */
  readonly accountId: string;

  /** The names of the buckets. */
  readonly bucketNames: string[];
}

/** Settings of Amazon Macie. */
export interface MacieOptions {
  /**
   * Whether to turn on Macie. Turning it off removes discovery of personal data in S3 and
   * is reported as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Buckets that hold personal data, for a scheduled sensitive data discovery job.
   *
   * Each account must be a Macie member account of this account. A bucket encrypted with a
   * customer managed KMS key is analysed only if the key policy lets the Macie
   * service-linked role of the owning account decrypt.
   *
   * @default - no job: only Macie's bucket inventory and policy findings
   * @see https://docs.aws.amazon.com/macie/latest/user/discovery-supported-encryption-types.html
   */
  readonly personalDataBuckets?: PersonalDataBuckets[];

  /**
   * How often the discovery job runs. Each run analyses only the objects created or changed
   * since the previous run; the first run analyses every object.
   *
   * @default MacieJobSchedule.WEEKLY
   */
  readonly jobSchedule?: MacieJobSchedule;
}

/** Settings of IAM Access Analyzer. */
export interface AccessAnalyzerOptions {
  /**
   * Whether to create analyzers. Turning them off removes findings of resources shared
   * outside the zone of trust and is reported as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Whether to add an analyzer whose zone of trust is this account, in addition to the
   * organisation's. It reports this account's resources shared with other accounts of the
   * organisation. Only with `organizationWide`; without it the only analyzer is of this account.
   *
   * @default false
   */
  readonly accountAnalyzer?: boolean;

  /**
   * Whether to add an analyzer of unused access: unused roles, unused access keys and
   * passwords, and unused permissions. It is billed per IAM role and user analysed.
   *
   * @default true
   */
  readonly unusedAccess?: boolean;

  /**
   * How long a role, credential or permission goes unused before the unused access
   * analyzer reports it. A whole number of days from 1 to 365.
   *
   * @default Duration.days(90)
   */
  readonly unusedAccessAge?: Duration;
}

/** Settings of AWS Config in this account. */
export interface AwsConfigOptions {
  /**
   * Whether to record configuration in this account. Turning it off also stops Security
   * Hub's controls and the conformance pack from evaluating this account, and is reported
   * as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The bucket that receives configuration history files and snapshots, usually the log
   * archive bucket. Required unless `enabled` is false.
   *
   * AWS Config does not deliver to a bucket with S3 Object Lock enabled, so a `LogArchive`
   * given here needs `objectLock: false`.
   *
   * The construct adds to the bucket policy the statements AWS Config needs, when the bucket
   * is defined in this app. For an imported bucket it adds a warning that gives the
   * statements to add by hand, and delivery fails until they are added.
   *
   * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
   */
  readonly deliveryBucket?: s3.IBucket;

  /**
   * The KMS key that encrypts what AWS Config delivers. It must be in this stack's region.
   * The construct lets the AWS Config service principal use it when the key is defined in
   * this app, and adds a warning that gives the statement otherwise.
   *
   * @default - the bucket's `encryptionKey` when it has one, otherwise the bucket's default encryption
   */
  readonly deliveryKey?: kms.IKey;

  /**
   * The key prefix under which AWS Config writes, without leading or trailing slashes.
   * AWS Config adds `AWSLogs/<account>/Config/` after it.
   *
   * @default - no prefix
   */
  readonly deliveryPrefix?: string;

  /**
   * How often AWS Config delivers a configuration snapshot.
   *
   * @default config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS
   */
  readonly snapshotDeliveryFrequency?: config.MaximumExecutionFrequency;

  /**
   * Whether to record global resource types (IAM users, groups, roles and policies).
   *
   * Record them in one region of each account only, or each change is recorded and billed
   * once per region. The platform runs in one region, so they are recorded here by default.
   *
   * @default true
   */
  readonly includeGlobalResourceTypes?: boolean;

  /**
   * Whether to create the service-linked role `AWSServiceRoleForConfig` that the
   * configuration recorder uses. Set it to false when the role already exists in the
   * account, for example from an earlier AWS Config set-up: creating it again fails.
   *
   * @default true
   */
  readonly createServiceLinkedRole?: boolean;
}

/** Settings of the NCSC Cloud Security Principles conformance pack. */
export interface ConformancePackOptions {
  /**
   * Whether to deploy the conformance pack. Turning it off removes the NCSC evidence and
   * is reported as a warning.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * The name of the conformance pack. 1 to 128 letters, digits and hyphens, starting with a letter.
   *
   * @default 'ncsc-cloud-security-principles'
   */
  readonly packName?: string;

  /**
   * The S3 URI of the pack template, for example `s3://bucket/ncsc.json`, instead of an
   * inline template body. Write the file with `NcscConformancePack.renderTemplate()`. The
   * bucket must be in this stack's region and readable by AWS Config.
   *
   * @default - the template is rendered from the rules and passed inline
   */
  readonly templateS3Uri?: string;

  /**
   * Names of rules of `NcscConformancePack.rules()` to leave out, for example
   * `rds-multi-az-support`. Only with an inline template.
   *
   * @default - none
   */
  readonly excludedRules?: string[];

  /**
   * Managed rules to add to the pack. Only with an inline template.
   *
   * @default - none
   */
  readonly additionalRules?: ConformancePackRule[];

  /**
   * Accounts of the organisation that the pack is not deployed to. Only with `organizationWide`.
   *
   * @default - none
   */
  readonly excludedAccounts?: string[];
}

/** Properties of the detective controls. */
export interface DetectiveControlsProps {
  /**
   * Whether this account manages the services for the whole organisation, as the
   * delegated administrator of each of them.
   *
   * With it, member accounts get GuardDuty, Inspector and Macie when they join, and Security
   * Hub is configured centrally. IAM Access Analyzer's zone of trust is the organisation, an
   * AWS Config aggregator collects every account's configuration, and the conformance pack
   * is deployed to every account.
   *
   * Without it, every service covers this account only: for a test account, or as the
   * account-level part under `OrganisationDetectiveControls`, which then adds the
   * organisation settings once the management account has registered the delegated
   * administrator.
   *
   * @default true
   */
  readonly organizationWide?: boolean;

  /**
   * The ID of the organisation root, for example `r-a1b2`, to associate Security Hub's
   * configuration policy with. Required with `organizationWide` unless Security Hub
   * central configuration is off. Find it with `aws organizations list-roots`.
   *
   * @default - no root ID
   */
  readonly organizationRootId?: string;

  /**
   * Settings of Amazon GuardDuty.
   *
   * @default - every default of `GuardDutyOptions`
   */
  readonly guardDuty?: GuardDutyOptions;

  /**
   * Settings of AWS Security Hub CSPM.
   *
   * @default - every default of `SecurityHubOptions`
   */
  readonly securityHub?: SecurityHubOptions;

  /**
   * Settings of Amazon Inspector.
   *
   * @default - every default of `InspectorOptions`
   */
  readonly inspector?: InspectorOptions;

  /**
   * Settings of Amazon Macie.
   *
   * @default - every default of `MacieOptions`
   */
  readonly macie?: MacieOptions;

  /**
   * Settings of IAM Access Analyzer.
   *
   * @default - every default of `AccessAnalyzerOptions`
   */
  readonly accessAnalyzer?: AccessAnalyzerOptions;

  /**
   * Settings of AWS Config. Give at least `deliveryBucket`.
   *
   * @default - AWS Config is on, and the missing `deliveryBucket` is reported as an error
   */
  readonly config?: AwsConfigOptions;

  /**
   * Settings of the NCSC Cloud Security Principles conformance pack.
   *
   * @default - every default of `ConformancePackOptions`
   */
  readonly conformancePack?: ConformancePackOptions;

  /**
   * The removal policy of the GuardDuty detector, the Security Hub hub, the Macie session,
   * the analyzers and the configuration recorder and delivery channel. Deleting them turns
   * the service off and deletes its findings, so `DESTROY` suits only test stacks.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The detective security controls of an AWS organisation, deployed in the account that is
 * the delegated administrator of each service (the Security account).
 *
 * - Amazon GuardDuty, publishing findings every 15 minutes, with S3, malware, RDS and Lambda
 *   protection, for every member account;
 * - AWS Security Hub CSPM with consolidated control findings and the AWS Foundational
 *   Security Best Practices and CIS AWS Foundations Benchmark v3.0.0 standards, configured
 *   centrally for the organisation;
 * - Amazon Inspector scanning of EC2 instances and ECR images;
 * - Amazon Macie, with an optional discovery job for buckets that hold personal data;
 * - IAM Access Analyzer for external access and unused access;
 * - AWS Config recording every resource type, an organisation aggregator, and the
 *   NCSC Cloud Security Principles conformance pack.
 *
 * CloudFormation has no resource for some of these settings, so the construct calls the
 * service APIs through custom resources for GuardDuty's and Macie's organisation
 * configuration, Inspector, the Macie discovery job and Security Hub's home Region.
 *
 * Before deployment with `organizationWide`, the management account must register this
 * account as delegated administrator of GuardDuty, Security Hub, Inspector, Macie, IAM
 * Access Analyzer and AWS Config (`config.amazonaws.com` and
 * `config-multiaccountsetup.amazonaws.com`). Designating the GuardDuty administrator turns
 * GuardDuty on in this account, and the detector of this construct then fails to create.
 *
 * To deploy into an organisation where nothing is designated yet, use
 * `organizationWide: false` here, and add `OrganisationDetectiveControls` on top of this
 * construct in a stack that depends on the designations.
 */
export class DetectiveControls extends Construct {
  /** The ID of the GuardDuty detector, unless GuardDuty is off. */
  public readonly guardDutyDetectorId?: string;

  /** The ARN of the Security Hub hub, unless Security Hub is off. */
  public readonly securityHubArn?: string;

  /** The ARN of the IAM Access Analyzer analyzer of external access, unless the analyzers are off. */
  public readonly accessAnalyzerArn?: string;

  /** The name of the AWS Config configuration recorder, unless AWS Config is off. */
  public readonly configurationRecorderName?: string;

  /** The name of the conformance pack, unless it is off. */
  public readonly conformancePackName?: string;

  constructor(scope: Construct, id: string, props: DetectiveControlsProps = {}) {
    super(scope, id);
    const settings = validateDetectiveControlsProps(scope, id, props);
    for (const warning of settings.warnings) {
      Annotations.of(this).addWarningV2(`@ssd-platform/security-baseline:${warning.id}`, warning.message);
    }

    const guardDuty = settings.guardDuty !== undefined ? enableGuardDuty(this, settings.guardDuty, settings) : undefined;
    this.guardDutyDetectorId = guardDuty?.detectorId;
    const securityHub = settings.securityHub !== undefined ? enableSecurityHub(this, settings.securityHub, settings) : undefined;
    this.securityHubArn = securityHub?.hubArn;
    const inspector = settings.inspector !== undefined ? enableInspector(this, settings.inspector, settings) : undefined;
    const macie = settings.macie !== undefined ? enableMacie(this, settings.macie, settings) : undefined;
    if (settings.accessAnalyzer !== undefined) {
      this.accessAnalyzerArn = enableAccessAnalyzer(this, settings.accessAnalyzer, settings).analyzerArn;
    }

    // The conformance pack's rules evaluate what the recorder records, so the pack waits for it.
    const recorder = settings.config !== undefined ? enableAwsConfig(this, settings.config, settings) : undefined;
    this.configurationRecorderName = recorder?.recorderName;
    if (settings.conformancePack !== undefined) {
      this.conformancePackName = deployConformancePack(this, settings.conformancePack, settings, recorder?.dependable).packName;
    }

    // OrganisationDetectiveControls, in this stack or another of this account, builds on these.
    recordParts(this, { settings, guardDuty, securityHub, inspector, macie, recorder: recorder?.dependable });
  }
}
