import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  aws_cloudtrail as cloudtrail,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  aws_iam as iam,
  aws_kms as kms,
  aws_logs as logs,
  aws_sns as sns,
} from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { CloudTrailSource } from './log-archive';
import { createAlarmTopic, logGroupArnOf, logGroupKeyStatement } from './private/alarm-topic';
import { CIS_METRIC_FILTERS } from './private/cis-metric-filters';
import { CLOUDTRAIL_SERVICE } from './private/cloudtrail-delivery';
import { denyGrantsExceptForAwsResources } from './private/key-policy';
import { addNagSuppressions } from './private/nag-suppressions';
import { OrganisationTrailSettings, validateOrganisationTrailProps } from './private/organisation-trail-validation';

/** Properties of an organisation trail. */
export interface OrganisationTrailProps {
  /**
   * The ID of the AWS organisation, for example `o-a1b2c3d4e5`.
   *
   * CloudTrail writes the log files of the member accounts under `AWSLogs/<organization ID>/`
   * and names their CloudWatch Logs log streams after it, so the role that CloudTrail
   * assumes may write only those streams and the management account's.
   */
  readonly organizationId: string;

  /**
   * The name of the log archive bucket, in the Security account.
   *
   * The bucket's policy must already let this trail write, or CloudTrail rejects the trail:
   * deploy `LogArchive` with this trail in its `cloudTrailSources` first (see `archiveSource`).
   *
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
   */
  readonly logArchiveBucketName: string;

  /**
   * The name of the trail.
   *
   * 3 to 128 letters, digits, periods, underscores and hyphens, beginning and ending with a
   * letter or digit, with no two of `._-` next to each other. The log archive refers to the
   * trail by its ARN, which contains the name, so renaming the trail means updating the
   * log archive's bucket policy first.
   *
   * @default 'organisation-trail'
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-trail-naming-requirements.html
   */
  readonly trailName?: string;

  /**
   * The AWS accounts whose IAM principals may decrypt the trail's log files through Amazon S3.
   *
   * The key policy delegates to each account, so its principals also need `kms:Decrypt` on
   * the key in their IAM policies. List the Security account, which contains the log archive
   * and where the SOC and investigators read the files.
   *
   * @default - this stack's account only
   */
  readonly logReaderAccounts?: string[];

  /**
   * Whether the trail records data events (object reads and writes) for the log archive bucket.
   *
   * They show who read, wrote or deleted log files. CloudTrail charges for data events.
   * The deliveries of CloudTrail and the log delivery service to the bucket may be recorded
   * as data events too, which adds records and cost but not a growing loop.
   *
   * @default true
   */
  readonly logArchiveDataEvents?: boolean;

  /**
   * How long the CloudWatch Logs copy of the events is kept.
   *
   * The copy feeds the metric filters and alarms. The log archive keeps the log files
   * themselves for as long as its lifecycle rules set.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly cloudWatchLogsRetention?: logs.RetentionDays;

  /**
   * The SNS topic that the alarms notify.
   *
   * The topic's policy must let `cloudwatch.amazonaws.com` publish, and its KMS key (if any)
   * must let CloudWatch generate data keys and decrypt: alarms cannot use a topic encrypted
   * with the AWS managed key for SNS.
   *
   * @default - a new topic, encrypted with the monitoring key, that accepts only TLS requests
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The CloudWatch namespace of the metrics that the metric filters publish.
   *
   * @default 'CloudTrailMetrics'
   */
  readonly metricNamespace?: string;

  /**
   * The removal policy of the two KMS keys and the log group.
   *
   * Unless it is `DESTROY`, the log group also has deletion protection on. The trail itself
   * is deleted with the stack, which stops audit logging: turn on termination protection for
   * the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An AWS CloudTrail organisation trail that records API activity in every account of the
 * organisation and delivers it to the log archive in the Security account.
 *
 * Deploy it in the management account (or the CloudTrail delegated administrator account).
 * The trail:
 *
 * - records every management event, read and write, and the data events of the log archive bucket;
 * - is multi-region with global service events: since November 2021 CloudTrail records the
 *   events of IAM, STS and CloudFront in us-east-1 only, so a trail of eu-west-2 alone would
 *   miss IAM changes. It also records calls made in regions that the service control
 *   policies deny, which show an attempt to work outside London;
 * - validates log files with hourly digest files;
 * - encrypts log files with a customer managed KMS key of this account (SSE-KMS);
 * - copies events to an encrypted CloudWatch Logs log group, with a metric filter and an
 *   alarm for each monitoring recommendation of CIS AWS Foundations Benchmark v3.0.0.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
 */
export class OrganisationTrail extends Construct {
  /** The ARN of the trail. */
  public readonly trailArn: string;

  /** The name of the trail. */
  public readonly trailName: string;

  /**
   * The trail as `LogArchive` accepts it in `cloudTrailSources`.
   *
   * Its ARN is a literal when this stack has an explicit account and region, so it can be
   * passed to a log archive in another account's stack of the same app.
   */
  public readonly archiveSource: CloudTrailSource;

  /** The KMS key that encrypts the log files and digest files. */
  public readonly encryptionKey: kms.IKey;

  /** The KMS key that encrypts the CloudWatch Logs copy and the created alarm topic. */
  public readonly monitoringKey: kms.IKey;

  /** The log group that receives a copy of the events. */
  public readonly logGroup: logs.ILogGroup;

  /** The topic that the alarms notify. */
  public readonly alarmTopic: sns.ITopic;

  /** The alarms, one for each CIS metric filter. */
  public readonly alarms: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: OrganisationTrailProps) {
    super(scope, id);
    const settings = validateOrganisationTrailProps(scope, id, props);
    const stack = Stack.of(this);

    this.trailName = settings.trailName;
    this.trailArn = trailArnOf(stack, settings.trailName);
    this.archiveSource = { trailArn: this.trailArn, organizationId: settings.organizationId };
    this.encryptionKey = this.createTrailKey(settings);

    const monitoringKey = denyGrantsExceptForAwsResources(new kms.Key(this, 'MonitoringKey', {
      description: `Encrypts the CloudWatch Logs copy and the alarm topic of the trail ${settings.trailName}`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    }));
    this.monitoringKey = monitoringKey;
    const logGroup = this.createLogGroup(settings, monitoringKey);
    this.logGroup = logGroup;
    const logsRole = this.createCloudWatchLogsRole(settings, logGroup.logGroupName);

    const trail = new cloudtrail.CfnTrail(this, 'Resource', {
      trailName: settings.trailName,
      isLogging: true,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      s3BucketName: settings.logArchiveBucketName,
      kmsKeyId: this.encryptionKey.keyArn,
      cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
      cloudWatchLogsRoleArn: logsRole.role.roleArn,
      advancedEventSelectors: eventSelectors(stack, settings),
    });
    // CloudTrail checks the role's permissions when it creates the trail.
    trail.node.addDependency(logsRole.policy);

    this.alarmTopic = settings.alarmTopic ?? createAlarmTopic(this, 'AlarmTopic', monitoringKey);
    this.alarms = this.createAlarms(settings, logGroup);
  }

  /**
   * Creates the key that encrypts the log files, with the key policy statements that
   * CloudTrail and the log readers need.
   *
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
   */
  private createTrailKey(settings: OrganisationTrailSettings): kms.Key {
    const stack = Stack.of(this);
    const key = denyGrantsExceptForAwsResources(new kms.Key(this, 'Key', {
      description: `Encrypts the log files of the organisation trail ${settings.trailName}`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    }));
    const cloudTrail = new iam.ServicePrincipal(CLOUDTRAIL_SERVICE);
    const thisTrail = { 'aws:SourceArn': this.trailArn };

    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailToEncryptLogFiles',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: thisTrail,
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }));
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailToDescribeTheKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: thisTrail },
    }));
    // CloudTrail needs kms:Decrypt when the bucket uses S3 Bucket Keys, as the log archive does.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailToDecryptForBucketKeys',
      principals: [cloudTrail],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: thisTrail },
    }));

    // NOTE: the CloudTrail guide limits readers with the aws:cloudtrail:arn encryption context.
    // With S3 Bucket Keys, S3 decrypts a bucket-level key whose context may be only the bucket
    // ARN, so this statement limits readers to S3 instead. No deployment has checked which applies.
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowLogReadersToDecryptThroughS3',
      principals: settings.logReaderAccounts.map((account) => new iam.AccountPrincipal(account)),
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'kms:CallerAccount': settings.logReaderAccounts,
          'kms:ViaService': `s3.${stack.region}.amazonaws.com`,
        },
      },
    }));
    return key;
  }

  /** Creates the encrypted log group for the CloudWatch Logs copy of the events. */
  private createLogGroup(settings: OrganisationTrailSettings, key: kms.Key): logs.LogGroup {
    const stack = Stack.of(this);
    // The name is fixed so that the key policy can name the log group before it exists.
    const logGroupName = `CloudTrail/${settings.trailName}`;
    key.addToResourcePolicy(logGroupKeyStatement(stack, logGroupArnOf(stack, logGroupName)));

    return new logs.LogGroup(this, 'LogGroup', {
      logGroupName,
      encryptionKey: key,
      retention: settings.cloudWatchLogsRetention,
      removalPolicy: settings.removalPolicy,
      deletionProtectionEnabled: settings.removalPolicy !== RemovalPolicy.DESTROY,
    });
  }

  /**
   * Creates the role that CloudTrail assumes to write to the log group, allowed to write only
   * the log streams CloudTrail names after the management account and the organisation.
   *
   * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
   */
  private createCloudWatchLogsRole(settings: OrganisationTrailSettings, logGroupName: string): { role: iam.Role; policy: iam.ManagedPolicy } {
    const stack = Stack.of(this);
    const streamArn = (streamPrefix: string) => stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `${logGroupName}:log-stream:${streamPrefix}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const role = new iam.Role(this, 'CloudWatchLogsRole', {
      assumedBy: new iam.ServicePrincipal(CLOUDTRAIL_SERVICE),
      description: `Lets CloudTrail write the events of the trail ${settings.trailName} to CloudWatch Logs`,
    });
    const policy = new iam.ManagedPolicy(this, 'CloudWatchLogsPolicy', {
      description: `Lets CloudTrail write the events of the trail ${settings.trailName} to its log streams`,
      roles: [role],
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          streamArn(`${stack.account}_CloudTrail_${stack.region}*`),
          streamArn(`${settings.organizationId}_*`),
        ],
      })],
    });
    addNagSuppressions(policy.node.defaultChild as iam.CfnManagedPolicy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'CloudTrail creates the log streams with names that start with the management account and region, or the '
        + 'organisation ID, followed by a suffix it chooses, so the policy can name only those prefixes.',
    }]);
    return { role, policy };
  }

  /** Creates the CIS metric filters and their alarms, which notify the alarm topic. */
  private createAlarms(settings: OrganisationTrailSettings, logGroup: logs.ILogGroup): cloudwatch.IAlarm[] {
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    return CIS_METRIC_FILTERS.map((definition) => {
      const filter = new logs.MetricFilter(this, `${definition.id}Filter`, {
        logGroup,
        metricNamespace: settings.metricNamespace,
        metricName: definition.id,
        filterPattern: logs.FilterPattern.literal(definition.pattern),
        metricValue: '1',
      });
      const alarm = new cloudwatch.Alarm(this, `${definition.id}Alarm`, {
        alarmDescription: `CIS AWS Foundations Benchmark v3.0.0 ${definition.recommendation}: `
          + `${definition.description}, recorded by the organisation trail ${settings.trailName}.`,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    });
  }
}

/**
 * Builds the ARN of the trail from its name. The partition is a literal when the stack's
 * region is, so that the ARN can cross to a stack of another account in the same app.
 */
function trailArnOf(stack: Stack, trailName: string): string {
  const partition = Token.isUnresolved(stack.region)
    ? stack.partition
    : RegionInfo.get(stack.region).partition ?? stack.partition;
  return `arn:${partition}:cloudtrail:${stack.region}:${stack.account}:trail/${trailName}`;
}

/**
 * Builds the advanced event selectors: every management event, and the object-level events
 * of the log archive bucket unless they are turned off.
 *
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedEventSelector.html
 */
function eventSelectors(stack: Stack, settings: OrganisationTrailSettings): cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] {
  const selectors: cloudtrail.CfnTrail.AdvancedEventSelectorProperty[] = [{
    name: 'All management events',
    fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
  }];
  if (settings.logArchiveDataEvents) {
    selectors.push({
      name: 'Log archive object events',
      fieldSelectors: [
        { field: 'eventCategory', equalTo: ['Data'] },
        { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
        { field: 'resources.ARN', startsWith: [`arn:${stack.partition}:s3:::${settings.logArchiveBucketName}/`] },
      ],
    });
  }
  return selectors;
}
