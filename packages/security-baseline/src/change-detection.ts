import {
  Annotations,
  Aws,
  RemovalPolicy,
  aws_events as events,
  aws_iam as iam,
  aws_kms as kms,
  aws_sns as sns,
  aws_ssm as ssm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AutomationStarter, automationArns, createAutomationRole } from './private/change-detection/automation';
import { CLOUDFORMATION_SOURCE, Detection, RemediationPlan, detections, eventPattern } from './private/change-detection/detections';
import { DriftDetectionResources, checkDriftWithConfigRule, scheduleDriftDetection } from './private/change-detection/drift-detection';
import { ChangeDetectionSettings, validateChangeDetectionProps } from './private/change-detection/validation';
import { denyGrantsExceptForAwsResources } from './private/key-policy';

/** A security-relevant change that the construct detects from CloudTrail and can put right. */
export enum SecurityChange {
  /**
   * A bucket policy, bucket ACL or Block Public Access setting changed, which can make an S3
   * bucket public. Remediation: after a new policy or ACL, or deleted Block Public Access
   * settings, the AWS-owned runbook `AWSConfigRemediation-ConfigureS3BucketPublicAccessBlock`
   * turns on every Block Public Access setting of the bucket. `PutBucketPublicAccessBlock`,
   * which the runbook calls itself, and changes to the account's settings are only reported.
   */
  PUBLIC_BUCKET = 'PUBLIC_BUCKET',

  /**
   * A security group rule was added that allows `0.0.0.0/0` or `::/0`, or an existing rule
   * was changed to allow them. Remediation: after an ingress rule is added, the AWS-owned
   * runbook `AWSConfigRemediation-RemoveUnrestrictedSourceIngressRules` revokes every ingress
   * rule of the group that allows all source addresses. A changed rule is only reported,
   * because the event of `ModifySecurityGroupRules` does not record whether the rule is an
   * ingress or an egress rule.
   */
  OPEN_SECURITY_GROUP = 'OPEN_SECURITY_GROUP',

  /**
   * A CloudTrail trail was stopped, deleted or updated. Remediation: a runbook defined here
   * starts logging on a stopped trail again. A deleted trail cannot be restored from the
   * event, and an update may be deliberate, so both are only reported.
   */
  TRAIL_STOPPED = 'TRAIL_STOPPED',

  /**
   * A KMS key was scheduled for deletion or disabled. Remediation: the AWS-owned runbook
   * `AWSConfigRemediation-CancelKeyDeletion` cancels the deletion, which leaves the key
   * disabled. Disabling a key may be a deliberate response to an incident, so it is only reported.
   */
  KEY_DELETION = 'KEY_DELETION',

  /**
   * An unencrypted EBS volume was created. Remediation: the AWS-owned runbook
   * `AWSConfigRemediation-EnableEbsEncryptionByDefault` turns on EBS encryption by default.
   * EBS cannot encrypt a volume in place, so the volume itself must be replaced by hand.
   */
  UNENCRYPTED_VOLUME = 'UNENCRYPTED_VOLUME',
}

/** The method that runs CloudFormation drift detection on the stacks of the account and region. */
export enum DriftDetectionMethod {
  /**
   * An Automation runbook defined here, started on `driftDetectionSchedule`, runs drift
   * detection on every stack and publishes the drifted ones to the alert topic.
   */
  AUTOMATION = 'AUTOMATION',

  /**
   * The AWS Config managed rule `CLOUDFORMATION_STACK_DRIFT_DETECTION_CHECK`, which checks each
   * stack that AWS Config records every 24 hours and when it changes. Its non-compliant
   * stacks are published to the alert topic. It needs a configuration recorder.
   */
  CONFIG_RULE = 'CONFIG_RULE',

  /** No drift detection. */
  NONE = 'NONE',
}

/** Properties of change detection. */
export interface ChangeDetectionProps {
  /**
   * The SNS topic that receives the alerts and the drift reports.
   *
   * Its policy must let `events.amazonaws.com` publish, and its KMS key, if any, must let
   * `events.amazonaws.com` use it. The construct adds the topic policy statement where it
   * can, and warns where it cannot.
   *
   * @default - a new topic, encrypted with `encryptionKey`, that accepts only TLS requests
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * The KMS key that encrypts the new alert topic. Not accepted with `alertTopic`.
   *
   * @default - a new customer managed key with yearly automatic rotation
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The security changes that are only reported, with no automatic remediation.
   *
   * @default - every change listed on `SecurityChange` is put right as its description describes
   */
  readonly alertOnly?: SecurityChange[];

  /**
   * Whether remediation also applies to changes that CloudFormation made.
   *
   * By default a change made by a CloudFormation deployment is reported but not reverted:
   * it came through the reviewed pipeline, for example a DMZ load balancer whose security
   * group allows `0.0.0.0/0`, and reverting it would leave the stack drifted.
   *
   * @default false
   */
  readonly remediateCloudFormationChanges?: boolean;

  /**
   * The method of CloudFormation drift detection.
   *
   * @default DriftDetectionMethod.AUTOMATION
   */
  readonly driftDetection?: DriftDetectionMethod;

  /**
   * When the drift detection runbook runs. Only for `DriftDetectionMethod.AUTOMATION`.
   *
   * @default - every day at 06:00 UTC
   */
  readonly driftDetectionSchedule?: events.Schedule;

  /**
   * The removal policy of the KMS key and of the alert topic that the construct creates.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Detects security-relevant changes from CloudTrail, puts them right with Systems Manager
 * Automation runbooks where that is safe, reports each to an SNS topic, and runs
 * CloudFormation drift detection on every stack.
 *
 * Deploy it in every account, in each region used. EventBridge receives the CloudTrail
 * events of an account only while a trail logs its management events, so the account needs
 * a trail, for example the organisation trail. Only successful calls are reported: a call
 * that a service control policy denied changed nothing.
 *
 * Each remediation is an EventBridge rule that starts the runbook with a role that may do
 * only what the runbook needs. `alertOnly` turns remediation off for chosen changes.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html
 */
export class ChangeDetection extends Construct {
  /** The SNS topic that receives the alerts and the drift reports. */
  public readonly alertTopic: sns.ITopic;

  /** The KMS key that encrypts the alert topic, when the construct creates the topic. */
  public readonly encryptionKey?: kms.IKey;

  /** The name of the drift detection runbook, with `DriftDetectionMethod.AUTOMATION`. */
  public readonly driftDetectionDocumentName?: string;

  /** The EventBridge rule that starts the drift detection runbook, with `DriftDetectionMethod.AUTOMATION`. */
  public readonly driftDetectionRule?: events.IRule;

  /** The name of the AWS Config drift detection rule, with `DriftDetectionMethod.CONFIG_RULE`. */
  public readonly driftDetectionConfigRuleName?: string;

  private readonly alertRulesByChange = new Map<string, events.IRule[]>();
  private readonly remediationRules = new Map<string, events.IRule>();
  private starter?: AutomationStarter;

  constructor(scope: Construct, id: string, props: ChangeDetectionProps = {}) {
    super(scope, id);
    const settings = validateChangeDetectionProps(scope, id, props);

    if (settings.alertTopic === undefined) {
      this.encryptionKey = settings.encryptionKey ?? denyGrantsExceptForAwsResources(new kms.Key(this, 'Key', {
        description: `Encrypts the security change alerts of ${this.node.path}`,
        enableKeyRotation: true,
        removalPolicy: settings.removalPolicy,
      }));
      this.allowEventBridgeToEncrypt(this.encryptionKey);
    }
    this.alertTopic = settings.alertTopic ?? this.createTopic(this.encryptionKey!, settings.removalPolicy);
    this.allowEventBridgeToPublish();

    // A change may have several detections, one for each API that makes it. Each has rules
    // of its own, and alertOnly applies to all of them.
    for (const detection of detections()) {
      const detectionScope = new Construct(this, detection.id);
      const plan = settings.alertOnly.has(detection.change) ? undefined : detection.remediation;
      const alertRules = this.alertRulesByChange.get(detection.change) ?? [];
      alertRules.push(this.createAlertRule(detectionScope, detection, plan, settings));
      this.alertRulesByChange.set(detection.change, alertRules);
      if (plan !== undefined && !this.remediationRules.has(detection.change)) {
        this.remediationRules.set(detection.change, this.createRemediationRule(detectionScope, detection, plan, settings));
      }
    }

    const drift = this.createDriftDetection(settings);
    this.driftDetectionDocumentName = drift.documentName;
    this.driftDetectionRule = drift.scheduleRule;
    this.driftDetectionConfigRuleName = drift.configRuleName;
    this.starter?.acknowledgeFindings();
  }

  /**
   * Returns the EventBridge rule that reports a security change to the alert topic.
   *
   * A change that more than one API can make has a rule for each: this is the first of
   * `alertRules(change)`, for `OPEN_SECURITY_GROUP` the rule of `AuthorizeSecurityGroupIngress`.
   */
  public alertRule(change: SecurityChange): events.IRule {
    return this.alertRules(change)[0];
  }

  /**
   * Returns every EventBridge rule that reports a security change to the alert topic.
   *
   * `OPEN_SECURITY_GROUP` has two: one for `AuthorizeSecurityGroupIngress` and one for
   * `ModifySecurityGroupRules`. Every other change has one.
   */
  public alertRules(change: SecurityChange): events.IRule[] {
    const rules = this.alertRulesByChange.get(change);
    if (rules === undefined) {
      throw new Error(`ChangeDetection at ${this.node.path} has no alert rule for ${JSON.stringify(change)}. Pass a SecurityChange value.`);
    }
    return [...rules];
  }

  /** Returns the EventBridge rule that starts the remediation of a security change, or undefined when the change is alert-only. */
  public remediationRule(change: SecurityChange): events.IRule | undefined {
    return this.remediationRules.get(change);
  }

  private createTopic(key: kms.IKey, removalPolicy: RemovalPolicy): sns.Topic {
    const topic = new sns.Topic(this, 'AlertTopic', {
      displayName: 'Security change alerts',
      masterKey: key,
      enforceSSL: true,
    });
    topic.applyRemovalPolicy(removalPolicy);
    return topic;
  }

  /**
   * Lets EventBridge use the key, which it needs to publish to the encrypted topic.
   *
   * The statement has no condition on the source, because the requests reach KMS through
   * SNS; the key encrypts only this topic.
   *
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
   */
  private allowEventBridgeToEncrypt(key: kms.IKey): void {
    const result = key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToPublishEncryptedAlerts',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
    }));
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:changeDetectionKeyPolicyNotUpdated',
        'The key policy of the given encryptionKey cannot be changed from this stack, so EventBridge cannot publish '
        + 'alerts until the key policy allows events.amazonaws.com the actions kms:GenerateDataKey* and kms:Decrypt.');
    }
  }

  /** Lets the EventBridge rules of this account and region publish to the topic. */
  private allowEventBridgeToPublish(): void {
    const result = this.alertTopic.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeRulesOfThisAccount',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.alertTopic.topicArn],
      conditions: { ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/*` } },
    }));
    if (!result.statementAdded) {
      Annotations.of(this).addWarningV2('@ssd-platform/security-baseline:changeDetectionTopicPolicyNotUpdated',
        'The policy of the given alertTopic cannot be changed from this stack, so EventBridge cannot publish alerts until '
        + 'the topic policy allows events.amazonaws.com sns:Publish, and its KMS key, if any, allows kms:GenerateDataKey* and kms:Decrypt.');
    }
  }

  private createAlertRule(scope: Construct, detection: Detection, plan: RemediationPlan | undefined, settings: ChangeDetectionSettings): events.Rule {
    const field = events.EventField;
    let response = 'Automatic remediation is off for this change, so investigate it.';
    if (plan !== undefined) {
      response = settings.remediateCloudFormationChanges
        ? `Automatic remediation: ${plan.action}.`
        : `Unless CloudFormation made the change, ${plan.action}.`;
    } else if (detection.alertOnlyReason !== undefined) {
      response = `${detection.alertOnlyReason}.`;
    }
    // NOTE: some events lack a field of the message, for example the bucket name of an
    // account-level Block Public Access call. EventBridge is expected to leave that
    // placeholder empty, which was not checked against a deployed rule.
    const message = `Security change in account ${field.account}, region ${field.region}: ${detection.summary}. `
      + `${field.fromPath('$.detail.eventName')} on ${field.fromPath(detection.resourcePath)} `
      + `by ${field.fromPath('$.detail.userIdentity.arn')} at ${field.fromPath('$.detail.eventTime')}. ${response}`;

    const topicArn = this.alertTopic.topicArn;
    return new events.Rule(scope, 'Alert', {
      description: `Reports to the security alert topic that ${detection.summary}.`,
      eventPattern: eventPattern(detection, detection.eventNames),
      targets: [{ bind: () => ({ arn: topicArn, input: events.RuleTargetInput.fromText(message) }) }],
    });
  }

  private createRemediationRule(scope: Construct, detection: Detection, plan: RemediationPlan, settings: ChangeDetectionSettings): events.Rule {
    const runbookName = plan.runbookName
      ?? new ssm.CfnDocument(scope, 'Runbook', { documentType: 'Automation', content: plan.document }).ref;

    const arns = automationArns(runbookName);
    const role = createAutomationRole(scope, 'AutomationRole', `Runs the remediation runbook ${plan.runbookName ?? 'of this construct'}.`, [
      ...plan.statements(),
      // The runbook reference lists these for the automation role of each runbook.
      new iam.PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: arns.permissions }),
      new iam.PolicyStatement({
        actions: ['ssm:GetAutomationExecution'],
        resources: [`arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:automation-execution/*`],
      }),
    ], plan.wildcardReason);

    const extraDetail: Record<string, unknown> = { ...plan.requiredFields };
    if (!settings.remediateCloudFormationChanges) {
      extraDetail.sourceIPAddress = [{ 'anything-but': CLOUDFORMATION_SOURCE }];
    }
    return new events.Rule(scope, 'Remediation', {
      description: `Puts right, through Systems Manager Automation, that ${detection.summary}.`,
      eventPattern: eventPattern(detection, plan.eventNames, extraDetail),
      targets: [this.automationStarter().target(runbookName, role, plan.parameters)],
    });
  }

  private createDriftDetection(settings: ChangeDetectionSettings): DriftDetectionResources {
    switch (settings.driftDetection) {
      case DriftDetectionMethod.AUTOMATION:
        return scheduleDriftDetection(this, this.automationStarter(), this.alertTopic, settings.driftDetectionSchedule);
      case DriftDetectionMethod.CONFIG_RULE:
        return checkDriftWithConfigRule(this, this.alertTopic);
      default:
        return {};
    }
  }

  /** Returns the role that starts runbooks, created when the first rule needs it. */
  private automationStarter(): AutomationStarter {
    this.starter ??= new AutomationStarter(this, 'RunbookStarter');
    return this.starter;
  }
}
