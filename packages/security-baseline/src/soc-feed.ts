import {
  ArnFormat,
  Duration,
  Names,
  RemovalPolicy,
  Size,
  Stack,
  aws_cloudwatch as cloudwatch,
  aws_cloudwatch_actions as cloudwatchActions,
  aws_events as events,
  aws_iam as iam,
  aws_kinesisfirehose as firehose,
  aws_kms as kms,
  aws_logs as logs,
  aws_s3 as s3,
  aws_secretsmanager as secretsmanager,
  aws_sns as sns,
  aws_sqs as sqs,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { createAlarmTopic, logGroupArnOf, logGroupKeyStatement } from './private/alarm-topic';
import { DeliveryStreamTarget } from './private/delivery-stream-target';
import { denyGrantsExceptForAwsResources } from './private/key-policy';
import { addNagSuppressions } from './private/nag-suppressions';
import { SocFeedSettings, validateSocFeedProps } from './private/soc-feed-validation';

/**
 * The severity label of a Security Hub finding (`Severity.Label` in the AWS Security
 * Finding Format).
 *
 * @see https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_Severity.html
 */
export enum FindingSeverity {
  /** No issue was found. */
  INFORMATIONAL = 'INFORMATIONAL',
  /** The issue does not require action on its own. */
  LOW = 'LOW',
  /** The issue must be addressed but not urgently. */
  MEDIUM = 'MEDIUM',
  /** The issue must be addressed as a priority. */
  HIGH = 'HIGH',
  /** The issue must be remediated immediately to avoid it escalating. */
  CRITICAL = 'CRITICAL',
}

/**
 * An HTTP endpoint of the SOC that receives findings from Amazon Data Firehose.
 *
 * The endpoint must implement the Firehose HTTP endpoint delivery request and response
 * specification: Firehose sends a POST request with a JSON body of base64-encoded records
 * and expects a JSON response with the request ID within the acknowledgement timeout.
 *
 * @see https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html
 */
export interface SocHttpEndpoint {
  /**
   * The URL of the endpoint. It must start with `https://`, and have at most 1,000 characters.
   */
  readonly url: string;

  /**
   * The name of the endpoint, which Firehose shows in the console and its logs.
   *
   * @default - no name
   */
  readonly name?: string;

  /**
   * The Secrets Manager secret that contains the access key Firehose sends to the endpoint,
   * in the header `X-Amz-Firehose-Access-Key`.
   *
   * The secret's value must be the JSON `{"api_key": "<access key>"}`, and the secret must be
   * in this stack's region. It may be in another account: its resource policy, and the
   * policy of its KMS key, must then let the delivery role (`deliveryRole`) read it.
   * Firehose reads the secret again every 10 minutes, so a rotated key takes effect without
   * a deployment.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/secrets-manager-whats-secret.html
   */
  readonly accessKeySecret: secretsmanager.ISecret;

  /**
   * Metadata that Firehose sends with every request, in the header
   * `X-Amz-Firehose-Common-Attributes`, for example the platform and environment.
   *
   * @default - none
   */
  readonly commonAttributes?: { [name: string]: string };
}

/** Properties of a SOC feed. */
export interface SocFeedProps {
  /**
   * The S3 bucket that receives the findings, or with `httpEndpoint`, the records that
   * could not be delivered to the endpoint.
   *
   * For the government SOC, this is usually the SOC's drop bucket in the SOC's account,
   * imported with `s3.Bucket.fromBucketName`. Its bucket policy must then let
   * `deliveryRole` call `s3:PutObject`, `s3:GetObject`, `s3:ListBucket`,
   * `s3:GetBucketLocation`, `s3:AbortMultipartUpload` and `s3:ListBucketMultipartUploads`,
   * and it should use the bucket owner enforced Object Ownership so that the SOC owns the
   * delivered objects.
   */
  readonly deliveryBucket: s3.IBucket;

  /**
   * The folder of the bucket that the feed writes to.
   *
   * Findings go to `<prefix>findings/<yyyy>/<MM>/<dd>/`, records that Firehose could not
   * process or deliver to `<prefix>errors/` and, with `httpEndpoint`, records the endpoint
   * did not accept to `<prefix>failed/`. It must end with `/`.
   *
   * @default 'soc-feed/'
   */
  readonly deliveryPrefix?: string;

  /**
   * The KMS key that encrypts the objects Firehose writes to the bucket (SSE-KMS).
   *
   * A key in another account must let `deliveryRole` call `kms:GenerateDataKey` and
   * `kms:Decrypt`. With the default key, grant the SOC's readers decryption, for example
   * `feed.deliveryEncryptionKey.grantDecrypt(new iam.AccountPrincipal(socAccountId))`.
   *
   * @default - a new customer managed key with yearly rotation
   */
  readonly deliveryEncryptionKey?: kms.IKey;

  /**
   * An HTTP endpoint of the SOC to deliver the findings to, instead of the bucket.
   *
   * With an endpoint, Firehose retries it for `retryDuration`, then writes the records it
   * could not deliver to `deliveryBucket`.
   *
   * @default - findings are delivered to `deliveryBucket`
   */
  readonly httpEndpoint?: SocHttpEndpoint;

  /**
   * The Security Hub finding severities that reach the SOC.
   *
   * @default - findings of every severity
   */
  readonly securityHubSeverities?: FindingSeverity[];

  /**
   * The lowest GuardDuty finding severity that reaches the SOC, from 1.0 to 10.0.
   *
   * GuardDuty rates findings low (1.0 to 3.9), medium (4.0 to 6.9), high (7.0 to 8.9) and
   * critical (9.0 to 10.0).
   *
   * @default - findings of every severity
   * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html
   */
  readonly guardDutyMinimumSeverity?: number;

  /**
   * The maximum time Firehose buffers records before it delivers them, from 0 to 900 seconds.
   *
   * Firehose delivers when either this time has passed or `bufferSize` is reached.
   *
   * @default Duration.seconds(60)
   */
  readonly bufferInterval?: Duration;

  /**
   * The amount of data Firehose buffers before it delivers it: 1 to 128 MiB for Amazon S3,
   * 1 to 64 MiB for an HTTP endpoint, in whole MiB.
   *
   * @default Size.mebibytes(5)
   */
  readonly bufferSize?: Size;

  /**
   * How long Firehose retries the HTTP endpoint before it writes the records to the bucket,
   * from 0 to 7,200 seconds. Only for `httpEndpoint`: Firehose retries Amazon S3 for 24 hours.
   *
   * @default Duration.hours(2)
   */
  readonly retryDuration?: Duration;

  /**
   * The SNS topic that the feed's alarms notify.
   *
   * The topic's policy must let `cloudwatch.amazonaws.com` publish, and its KMS key (if any)
   * must let CloudWatch generate data keys and decrypt.
   *
   * @default - a new topic, encrypted with the feed's key, that accepts only TLS requests
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * The removal policy of the dead-letter queue, the Firehose error log group and the KMS keys
   * this construct creates.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** How long the dead-letter queue keeps events: the maximum that SQS allows. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/** How far Firehose may fall behind before the delay alarm goes off. */
const MAX_DATA_FRESHNESS = Duration.minutes(15);

/** The period of every alarm. */
const ALARM_PERIOD = Duration.minutes(5);

/** The log streams Firehose writes delivery errors to. Firehose does not create them. */
const DELIVERY_LOG_STREAM = 'DestinationDelivery';
const BACKUP_LOG_STREAM = 'BackupDelivery';

/**
 * A feed of Security Hub and GuardDuty findings to the government Security Operations
 * Centre (SOC).
 *
 * Deploy it in the Security account, the delegated administrator of Security Hub and
 * GuardDuty, whose default event bus receives the findings of every member account.
 * EventBridge rules send each finding to an Amazon Data Firehose delivery stream, which
 * delivers to the SOC's S3 bucket or HTTPS endpoint.
 *
 * Findings are not lost while the SOC is unavailable, within these limits:
 *
 * - EventBridge retries each event for up to 24 hours and 185 attempts, then puts it in an
 *   encrypted dead-letter queue, which keeps it for 14 days;
 * - Firehose keeps records for 24 hours. It retries Amazon S3 for that long. It retries an
 *   HTTP endpoint for `retryDuration`, then writes the records to the bucket;
 * - alarms go off when events reach the dead-letter queue or cannot be put in it, and when
 *   deliveries fail or fall more than 15 minutes behind.
 *
 * Both services deliver at least once, so the SOC may receive a finding twice.
 *
 * @see https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-cwe-integration-types.html
 * @see https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
 */
export class SocFeed extends Construct {
  /** The ARN of the delivery stream. */
  public readonly deliveryStreamArn: string;

  /** The name of the delivery stream. */
  public readonly deliveryStreamName: string;

  /** The role that Firehose assumes to write to the bucket and read the endpoint's secret. */
  public readonly deliveryRole: iam.IRole;

  /** The KMS key that encrypts the objects written to the bucket. */
  public readonly deliveryEncryptionKey: kms.IKey;

  /** The KMS key that encrypts the delivery stream, the dead-letter queue, the error log group and a created alarm topic. */
  public readonly encryptionKey: kms.IKey;

  /** The queue that keeps the events EventBridge could not put into the delivery stream. */
  public readonly deadLetterQueue: sqs.IQueue;

  /** The rule that sends Security Hub findings to the delivery stream. */
  public readonly securityHubRule: events.IRule;

  /** The rule that sends GuardDuty findings to the delivery stream. */
  public readonly guardDutyRule: events.IRule;

  /** The topic that the alarms notify. */
  public readonly alarmTopic: sns.ITopic;

  /** The alarms on the dead-letter queue and the deliveries. */
  public readonly alarms: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: SocFeedProps) {
    super(scope, id);
    const settings = validateSocFeedProps(scope, id, props);

    const key = denyGrantsExceptForAwsResources(new kms.Key(this, 'Key', {
      description: `Encrypts the delivery stream, dead-letter queue and logs of the SOC feed ${this.node.path}`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    }));
    this.encryptionKey = key;
    this.deliveryEncryptionKey = props.deliveryEncryptionKey ?? denyGrantsExceptForAwsResources(new kms.Key(this, 'DeliveryKey', {
      description: `Encrypts the findings that the SOC feed ${this.node.path} writes to Amazon S3`,
      enableKeyRotation: true,
      removalPolicy: settings.removalPolicy,
    }));

    // Firehose names must be unique in the account and region, and the log group is named after the stream.
    this.deliveryStreamName = Names.uniqueResourceName(this, { maxLength: 64, separator: '-' });
    const logGroup = this.createErrorLogGroup(settings, key);
    const delivery = this.createDeliveryRole(settings, logGroup.logGroupName);
    this.deliveryRole = delivery.role;

    const stream = new firehose.CfnDeliveryStream(this, 'Resource', {
      deliveryStreamName: this.deliveryStreamName,
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: key.keyArn },
      extendedS3DestinationConfiguration: settings.httpEndpoint === undefined
        ? this.s3Destination(settings, logGroup.logGroupName) : undefined,
      httpEndpointDestinationConfiguration: settings.httpEndpoint === undefined
        ? undefined : this.httpDestination(settings, logGroup.logGroupName),
    });
    // Firehose checks that it can use the role when it creates the stream.
    stream.node.addDependency(delivery.policy);
    this.deliveryStreamArn = stream.attrArn;

    this.deadLetterQueue = this.createDeadLetterQueue(settings, key);
    const rules = this.createRules(settings, stream.attrArn);
    this.securityHubRule = rules.securityHub;
    this.guardDutyRule = rules.guardDuty;

    this.alarmTopic = settings.alarmTopic ?? createAlarmTopic(this, 'AlarmTopic', key);
    this.alarms = this.createAlarms(settings);
  }

  /** Creates the encrypted log group and the log streams that Firehose writes delivery errors to. */
  private createErrorLogGroup(settings: SocFeedSettings, key: kms.Key): logs.LogGroup {
    const stack = Stack.of(this);
    const logGroupName = `/aws/kinesisfirehose/${this.deliveryStreamName}`;
    key.addToResourcePolicy(logGroupKeyStatement(stack, logGroupArnOf(stack, logGroupName)));

    const logGroup = new logs.LogGroup(this, 'ErrorLogGroup', {
      logGroupName,
      encryptionKey: key,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: settings.removalPolicy,
    });
    const streamNames = settings.httpEndpoint === undefined ? [DELIVERY_LOG_STREAM] : [DELIVERY_LOG_STREAM, BACKUP_LOG_STREAM];
    for (const logStreamName of streamNames) {
      new logs.LogStream(this, `${logStreamName}LogStream`, { logGroup, logStreamName, removalPolicy: settings.removalPolicy });
    }
    return logGroup;
  }

  /**
   * Creates the role that Firehose assumes, with a policy that allows only the bucket folder,
   * the delivery key through S3, the error log streams and the endpoint's secret.
   *
   * @see https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html
   */
  private createDeliveryRole(settings: SocFeedSettings, logGroupName: string): { role: iam.Role; policy: iam.ManagedPolicy } {
    const stack = Stack.of(this);
    const bucket = settings.deliveryBucket;
    const objects = bucket.arnForObjects(`${settings.deliveryPrefix}*`);

    // The external ID is the account, as the Firehose guide shows, so only this account's streams can use the role.
    const role = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com', { conditions: { StringEquals: { 'sts:ExternalId': stack.account } } }),
      description: `Lets the delivery stream of the SOC feed ${this.node.path} deliver findings`,
    });
    const statements = [
      new iam.PolicyStatement({
        sid: 'DeliverToTheBucketFolder',
        actions: ['s3:AbortMultipartUpload', 's3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:ListBucketMultipartUploads', 's3:PutObject'],
        resources: [bucket.bucketArn, objects],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptTheDeliveredObjects',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [this.deliveryEncryptionKey.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` },
          // With S3 Bucket Keys, the encryption context is the bucket ARN instead of the object ARN.
          StringLike: { 'kms:EncryptionContext:aws:s3:arn': [bucket.bucketArn, objects] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'WriteDeliveryErrors',
        actions: ['logs:PutLogEvents'],
        resources: [DELIVERY_LOG_STREAM, BACKUP_LOG_STREAM].map((streamName) => stack.formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: `${logGroupName}:log-stream:${streamName}`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        })),
      }),
    ];
    if (settings.httpEndpoint !== undefined) {
      statements.push(...secretStatements(stack, settings.httpEndpoint.accessKeySecret));
    }

    const policy = new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: `Lets the delivery stream of the SOC feed ${this.node.path} deliver findings`,
      roles: [role],
      statements,
    });
    addNagSuppressions(policy.node.defaultChild as iam.CfnManagedPolicy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'Firehose names each object it writes, so the policy allows every object under the feed\'s folder of the '
        + 'delivery bucket, and no other folder.',
    }]);
    return { role, policy };
  }

  /** Builds the S3 destination, which writes newline-delimited, compressed findings under the prefix. */
  private s3Destination(settings: SocFeedSettings, logGroupName: string): firehose.CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty {
    return {
      ...this.bucketConfiguration(settings, logGroupName, DELIVERY_LOG_STREAM, 'findings/!{timestamp:yyyy/MM/dd}/'),
      // Without a delimiter, Firehose concatenates the JSON events of a batch on one line.
      processingConfiguration: { enabled: true, processors: [{ type: 'AppendDelimiterToRecord' }] },
    };
  }

  /**
   * Builds the HTTP endpoint destination, with the access key read from Secrets Manager and
   * the records that the endpoint does not accept written to the bucket.
   */
  private httpDestination(settings: SocFeedSettings, logGroupName: string): firehose.CfnDeliveryStream.HttpEndpointDestinationConfigurationProperty {
    const endpoint = settings.httpEndpoint!;
    const attributes = Object.entries(endpoint.commonAttributes ?? {});
    return {
      endpointConfiguration: { url: endpoint.url, name: endpoint.name },
      secretsManagerConfiguration: { enabled: true, secretArn: endpoint.accessKeySecret.secretArn, roleArn: this.deliveryRole.roleArn },
      requestConfiguration: {
        contentEncoding: 'GZIP',
        commonAttributes: attributes.length === 0
          ? undefined
          : attributes.map(([attributeName, attributeValue]) => ({ attributeName, attributeValue })),
      },
      bufferingHints: { intervalInSeconds: settings.bufferIntervalSeconds, sizeInMBs: settings.bufferSizeMiB },
      retryOptions: { durationInSeconds: settings.retryDurationSeconds },
      roleArn: this.deliveryRole.roleArn,
      s3BackupMode: 'FailedDataOnly',
      s3Configuration: this.bucketConfiguration(settings, logGroupName, BACKUP_LOG_STREAM, 'failed/!{timestamp:yyyy/MM/dd}/'),
      cloudWatchLoggingOptions: { enabled: true, logGroupName, logStreamName: DELIVERY_LOG_STREAM },
    };
  }

  /** Builds the bucket settings that the S3 destination and the HTTP endpoint's backup share. */
  private bucketConfiguration(
    settings: SocFeedSettings, logGroupName: string, logStreamName: string, folder: string,
  ): firehose.CfnDeliveryStream.S3DestinationConfigurationProperty {
    return {
      bucketArn: settings.deliveryBucket.bucketArn,
      roleArn: this.deliveryRole.roleArn,
      prefix: `${settings.deliveryPrefix}${folder}`,
      errorOutputPrefix: `${settings.deliveryPrefix}errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`,
      bufferingHints: { intervalInSeconds: settings.bufferIntervalSeconds, sizeInMBs: settings.bufferSizeMiB },
      compressionFormat: 'GZIP',
      encryptionConfiguration: { kmsEncryptionConfig: { awskmsKeyArn: this.deliveryEncryptionKey.keyArn } },
      cloudWatchLoggingOptions: { enabled: true, logGroupName, logStreamName },
    };
  }

  /**
   * Creates the dead-letter queue for events that EventBridge could not put into the stream.
   * The key policy lets EventBridge encrypt messages for the queues of this account only.
   */
  private createDeadLetterQueue(settings: SocFeedSettings, key: kms.Key): sqs.Queue {
    const stack = Stack.of(this);
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToUseTheKeyForQueues',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringLike: { 'kms:EncryptionContext:aws:sqs:arn': stack.formatArn({ service: 'sqs', resource: '*', arnFormat: ArnFormat.NO_RESOURCE_NAME }) },
      },
    }));

    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      removalPolicy: settings.removalPolicy,
      // Only EventBridge sends to this queue. Without a redrive allow policy SQS lets any queue
      // of the account name it as its dead-letter queue, and messages moved here that way would
      // reach the SOC when operators replay the queue.
      redriveAllowPolicy: { redrivePermission: sqs.RedrivePermission.DENY_ALL },
    });
    addNagSuppressions(queue.node.defaultChild as sqs.CfnQueue, [{
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the dead-letter queue of the EventBridge rules. Operators read and replay its events by hand, '
        + 'so it has no dead-letter queue of its own.',
    }]);
    return queue;
  }

  /** Creates the two rules, their shared target role, and the queue policy for their dead letters. */
  private createRules(settings: SocFeedSettings, deliveryStreamArn: string): { securityHub: events.Rule; guardDuty: events.Rule } {
    const role = new iam.Role(this, 'EventsRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `Lets the rules of the SOC feed ${this.node.path} put findings into its delivery stream`,
    });
    const policy = new iam.ManagedPolicy(this, 'EventsPolicy', {
      description: `Lets the rules of the SOC feed ${this.node.path} put findings into its delivery stream`,
      roles: [role],
      statements: [new iam.PolicyStatement({ actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: [deliveryStreamArn] })],
    });
    const target = new DeliveryStreamTarget(deliveryStreamArn, role, this.deadLetterQueue);

    const securityHub = new events.Rule(this, 'SecurityHubFindings', {
      description: 'Sends Security Hub findings to the SOC feed',
      eventPattern: {
        source: ['aws.securityhub'],
        detailType: ['Security Hub Findings - Imported'],
        detail: settings.securityHubSeverities === undefined
          ? undefined
          : { findings: { Severity: { Label: settings.securityHubSeverities } } },
      },
      targets: [target],
    });
    const guardDuty = new events.Rule(this, 'GuardDutyFindings', {
      description: 'Sends GuardDuty findings to the SOC feed',
      eventPattern: {
        source: ['aws.guardduty'],
        detailType: ['GuardDuty Finding'],
        detail: settings.guardDutyMinimumSeverity === undefined
          ? undefined
          : { severity: [{ numeric: ['>=', settings.guardDutyMinimumSeverity] }] },
      },
      targets: [target],
    });
    for (const rule of [securityHub, guardDuty]) {
      rule.node.addDependency(policy);
    }

    this.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheRulesToSendDeadLetters',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': [securityHub.ruleArn, guardDuty.ruleArn] } },
    }));
    return { securityHub, guardDuty };
  }

  /** Creates the alarms on lost or late findings, which notify the alarm topic. */
  private createAlarms(settings: SocFeedSettings): cloudwatch.IAlarm[] {
    const action = new cloudwatchActions.SnsAction(this.alarmTopic);
    const destination = settings.httpEndpoint === undefined ? 'DeliveryToS3' : 'DeliveryToHttpEndpoint';
    const alarm = (id: string, description: string, metric: cloudwatch.IMetric, threshold: number, below: boolean) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmDescription: `${description} (SOC feed ${this.node.path}).`,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: below
          ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
          : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      return created;
    };

    const alarms = [
      alarm('DeadLetterAlarm', 'Findings that EventBridge could not put into the delivery stream are waiting in the dead-letter queue',
        this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD }), 1, false),
      ...[this.securityHubRule, this.guardDutyRule].map((rule, index) => alarm(
        index === 0 ? 'SecurityHubDeadLetterFailureAlarm' : 'GuardDutyDeadLetterFailureAlarm',
        'EventBridge could not put findings into the dead-letter queue, so they are lost',
        new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'InvocationsFailedToBeSentToDlq',
          dimensionsMap: { RuleName: rule.ruleName },
          statistic: cloudwatch.Stats.SUM,
          period: ALARM_PERIOD,
        }), 1, false)),
      alarm('DeliveryFailureAlarm', 'Firehose failed to deliver findings to the SOC and is retrying',
        this.firehoseMetric(`${destination}.Success`, cloudwatch.Stats.MINIMUM), 1, true),
      alarm('DeliveryDelayAlarm', `The oldest finding in Firehose is more than ${MAX_DATA_FRESHNESS.toMinutes()} minutes old`,
        this.firehoseMetric(`${destination}.DataFreshness`, cloudwatch.Stats.MAXIMUM), MAX_DATA_FRESHNESS.toSeconds(), false),
    ];
    if (settings.httpEndpoint !== undefined) {
      alarms.push(alarm('BackupFailureAlarm', 'Firehose failed to write findings the endpoint did not accept to the bucket',
        this.firehoseMetric('BackupToS3.Success', cloudwatch.Stats.MINIMUM), 1, true));
    }
    return alarms;
  }

  private firehoseMetric(metricName: string, statistic: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/Firehose',
      metricName,
      dimensionsMap: { DeliveryStreamName: this.deliveryStreamName },
      statistic,
      period: ALARM_PERIOD,
    });
  }
}

/**
 * Builds the statements that let Firehose read the endpoint's access key, and decrypt it
 * through Secrets Manager when the secret has a KMS key.
 */
function secretStatements(stack: Stack, secret: secretsmanager.ISecret): iam.PolicyStatement[] {
  // A secret imported by name has no random suffix in its ARN, and IAM matches the full ARN.
  const secretArn = secret.secretFullArn ?? `${secret.secretArn}-??????`;
  const statements = [new iam.PolicyStatement({
    sid: 'ReadTheEndpointAccessKey',
    actions: ['secretsmanager:GetSecretValue'],
    resources: [secretArn],
  })];
  if (secret.encryptionKey !== undefined) {
    statements.push(new iam.PolicyStatement({
      sid: 'DecryptTheEndpointAccessKey',
      actions: ['kms:Decrypt'],
      resources: [secret.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com` } },
    }));
  }
  return statements;
}
