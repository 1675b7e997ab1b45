import {
  Aws,
  Stack,
  aws_config as config,
  aws_events as events,
  aws_iam as iam,
  aws_sns as sns,
  aws_ssm as ssm,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AutomationStarter } from './automation';
import { DRIFT_DETECTION_SCRIPT } from './drift-detection-script';
import { addNagSuppressions } from '../nag-suppressions';

/** The maximum run time of an `aws:executeScript` step, in seconds. */
export const SCRIPT_TIMEOUT_SECONDS = 600;

/**
 * Data-plane reads that ReadOnlyAccess allows and drift detection does not need, denied so
 * that the drift detection roles cannot read the data that resources hold. Drift detection
 * compares resource configuration, never object, item, message or secret contents.
 */
const DATA_READ_ACTIONS = [
  's3:GetObject*',
  'secretsmanager:GetSecretValue',
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'sqs:ReceiveMessage',
  'kinesis:GetRecords',
  'logs:GetLogEvents',
  'logs:FilterLogEvents',
  'logs:StartQuery',
  'athena:GetQueryResults',
];

/** The resources that drift detection created, for the construct's public properties. */
export interface DriftDetectionResources {
  readonly documentName?: string;
  readonly scheduleRule?: events.IRule;
  readonly configRuleName?: string;
}

/**
 * Runs drift detection on every stack of the account and region on a schedule, through an
 * Automation runbook defined here, and publishes the drifted stacks to the topic.
 */
export function scheduleDriftDetection(
  scope: Construct,
  starter: AutomationStarter,
  topic: sns.ITopic,
  schedule: events.Schedule,
): DriftDetectionResources {
  const root = new Construct(scope, 'DriftDetection');
  const role = driftDetectionRole(root, 'AutomationRole', new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:automation-execution/*` },
  }), publishStatements(topic));

  const document = new ssm.CfnDocument(root, 'Document', {
    documentType: 'Automation',
    content: driftDetectionDocument(role.roleArn, topic.topicArn),
  });

  const rule = new events.Rule(root, 'Schedule', {
    description: 'Starts CloudFormation drift detection on every stack of the account and region.',
    schedule,
    targets: [starter.target(document.ref, role, { TopicArn: topic.topicArn })],
  });
  return { documentName: document.ref, scheduleRule: rule };
}

/**
 * Creates the AWS Config managed rule that runs drift detection on each stack AWS Config
 * records, and an EventBridge rule that publishes the stacks it finds drifted to the topic.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/cloudformation-stack-drift-detection-check.html
 */
export function checkDriftWithConfigRule(scope: Construct, topic: sns.ITopic): DriftDetectionResources {
  const root = new Construct(scope, 'DriftDetection');
  const role = driftDetectionRole(root, 'ConfigRole', new iam.ServicePrincipal('config.amazonaws.com').withConditions({
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
  }));

  const rule = new config.ManagedRule(root, 'ConfigRule', {
    identifier: config.ManagedRuleIdentifiers.CLOUDFORMATION_STACK_DRIFT_DETECTION_CHECK,
    inputParameters: { cloudformationRoleArn: role.roleArn },
    ruleScope: config.RuleScope.fromResources([config.ResourceType.CLOUDFORMATION_STACK]),
    maximumExecutionFrequency: config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
  });

  new events.Rule(root, 'ComplianceAlert', {
    description: 'Publishes the CloudFormation stacks that the drift detection rule finds drifted.',
    eventPattern: {
      source: ['aws.config'],
      detailType: ['Config Rules Compliance Change'],
      detail: {
        configRuleName: [rule.configRuleName],
        newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
      },
    },
    targets: [{
      bind: () => ({
        arn: topic.topicArn,
        input: events.RuleTargetInput.fromText(`CloudFormation drift in account ${events.EventField.account}, `
          + `region ${events.EventField.region}: stack ${events.EventField.fromPath('$.detail.resourceId')} `
          + 'no longer matches its template. Run drift detection on it in the CloudFormation console for the details.'),
      }),
    }],
  });
  return { configRuleName: rule.configRuleName };
}

/**
 * Creates a role that can run drift detection on every stack.
 *
 * Drift detection reads each resource of a stack with that resource's own read API, so the
 * role needs read access to every resource type a stack may hold. NOTE: the AWS managed
 * policy ReadOnlyAccess gives it, and more than drift detection needs; the data reads listed
 * in DATA_READ_ACTIONS are denied.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/detect-drift-stack.html
 */
function driftDetectionRole(scope: Construct, id: string, assumedBy: iam.IPrincipal, extraStatements: iam.PolicyStatement[] = []): iam.Role {
  const stack = Stack.of(scope);
  const stackArns = `arn:${Aws.PARTITION}:cloudformation:${stack.region}:${stack.account}:stack/*`;
  const role = new iam.Role(scope, id, {
    description: 'Runs CloudFormation drift detection on every stack of the account and region.',
    assumedBy,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
    inlinePolicies: {
      DriftDetection: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            actions: ['cloudformation:DetectStackDrift', 'cloudformation:DetectStackResourceDrift'],
            resources: [stackArns],
          }),
          new iam.PolicyStatement({
            actions: ['cloudformation:ListStacks', 'cloudformation:DescribeStackDriftDetectionStatus'],
            resources: ['*'],
          }),
          new iam.PolicyStatement({
            sid: 'DenyDataReads',
            effect: iam.Effect.DENY,
            actions: DATA_READ_ACTIONS,
            resources: ['*'],
          }),
          ...extraStatements,
        ],
      }),
    },
  });

  addNagSuppressions(role.node.defaultChild as iam.CfnRole, [
    {
      id: 'AwsSolutions-IAM4',
      reason: 'Drift detection reads every resource of each stack with that resource\'s own read API, so the role needs '
        + 'ReadOnlyAccess, which AWS keeps up to date with new resource types; reads of data are denied.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess'],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason: 'Drift detection runs on every stack of the account and region, whose names are not known in advance; '
        + 'ListStacks and DescribeStackDriftDetectionStatus support no resource-level permissions.',
    },
    {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The inline policy belongs to this role alone and allows only drift detection.',
    },
  ]);
  return role;
}

/**
 * Builds the statements that let the drift detection runbook publish to the topic, and use
 * the topic's KMS key when it is known. A key known only to another stack must allow the role itself.
 */
function publishStatements(topic: sns.ITopic): iam.PolicyStatement[] {
  const statements = [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] })];
  if (topic.masterKey !== undefined) {
    statements.push(new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topic.masterKey.keyArn] }));
  }
  return statements;
}

/** Builds the Automation runbook that runs drift detection and publishes the drifted stacks. */
function driftDetectionDocument(roleArn: string, topicArn: string): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description: 'Runs CloudFormation drift detection on every stack of the account and region, '
      + 'and publishes the stacks that drifted, and those it could not check, to an SNS topic.',
    assumeRole: '{{ AutomationAssumeRole }}',
    parameters: {
      AutomationAssumeRole: {
        type: 'String',
        description: 'The ARN of the role that the automation runs as.',
        default: roleArn,
      },
      TopicArn: {
        type: 'String',
        description: 'The ARN of the SNS topic that receives the drifted stacks.',
        default: topicArn,
      },
    },
    mainSteps: [{
      name: 'DetectDrift',
      action: 'aws:executeScript',
      timeoutSeconds: SCRIPT_TIMEOUT_SECONDS,
      inputs: {
        Runtime: 'python3.11',
        Handler: 'handler',
        Script: DRIFT_DETECTION_SCRIPT,
        InputPayload: {
          TopicArn: '{{ TopicArn }}',
          AccountId: '{{ global:ACCOUNT_ID }}',
          Region: '{{ global:REGION }}',
        },
      },
      outputs: [
        { Name: 'DriftedStacks', Selector: '$.Payload.drifted', Type: 'StringList' },
        { Name: 'UncheckedStacks', Selector: '$.Payload.unchecked', Type: 'StringList' },
      ],
      isEnd: true,
    }],
    outputs: ['DetectDrift.DriftedStacks', 'DetectDrift.UncheckedStacks'],
  };
}
