import { Aws, Stack, aws_events as events, aws_iam as iam } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagSuppressions } from '../nag-suppressions';

/**
 * Returns the ARN that starts an Automation runbook's default version, as an EventBridge
 * target, and the ARNs that IAM authorises `ssm:StartAutomationExecution` against.
 *
 * NOTE: AWS-owned runbooks have no account in the ARN that IAM uses, while an EventBridge
 * target names the account of the rule. The permissions cover both forms, because which
 * one IAM evaluates for a target was not checked against a deployed account.
 */
export function automationArns(runbookName: string): { target: string; permissions: string[] } {
  const definition = (account: string) => `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${account}:automation-definition/${runbookName}`;
  return {
    target: `${definition(Aws.ACCOUNT_ID)}:$DEFAULT`,
    permissions: [`${definition(Aws.ACCOUNT_ID)}:*`, `${definition('')}:*`],
  };
}

/**
 * Creates a role for Systems Manager Automation to run one runbook as.
 *
 * The trust policy accepts only automations of this account and region, so that another
 * account cannot make Systems Manager act with the role.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-setup-iam.html
 */
export function createAutomationRole(
  scope: Construct,
  id: string,
  description: string,
  statements: iam.PolicyStatement[],
  wildcardReason: string,
): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ssm:${stack.region}:${stack.account}:automation-execution/*` },
    }),
    inlinePolicies: { Automation: new iam.PolicyDocument({ statements }) },
  });

  addNagSuppressions(role.node.defaultChild as iam.CfnRole, [
    { id: 'AwsSolutions-IAM5', reason: wildcardReason },
    {
      id: 'NIST.800.53.R5-IAMNoInlinePolicy',
      reason: 'The inline policy belongs to this automation role alone and allows only what its runbook does.',
    },
  ]);
  return role;
}

/** The role that EventBridge uses to start Automation runbooks, shared by every rule of the construct. */
export class AutomationStarter extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      description: 'Lets EventBridge start the remediation and drift detection runbooks.',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
    });
  }

  /**
   * Builds an EventBridge target that starts a runbook with the given parameters, and lets
   * this role start the runbook and pass its automation role.
   *
   * @param parameters the runbook parameters apart from `AutomationAssumeRole`; values may be event fields
   */
  public target(runbookName: string, automationRole: iam.IRole, parameters: Record<string, string>): events.IRuleTarget {
    const arns = automationArns(runbookName);
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ssm:StartAutomationExecution'],
      resources: arns.permissions,
    }));
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [automationRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
    }));

    // An Automation target takes each runbook parameter as a list of strings.
    const input: Record<string, string[]> = { AutomationAssumeRole: [automationRole.roleArn] };
    for (const [name, value] of Object.entries(parameters)) {
      input[name] = [value];
    }
    const role = this.role;
    return {
      bind: () => ({ arn: arns.target, role, input: events.RuleTargetInput.fromObject(input) }),
    };
  }

  /** Records why the role's policy does not meet some cdk-nag rules. Call it after the last `target`. */
  public acknowledgeFindings(): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (policy instanceof iam.CfnPolicy) {
      addNagSuppressions(policy, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'ssm:StartAutomationExecution is allowed on every version (":*") of the named runbooks only, because a target starts the default version.',
        },
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: 'The policy belongs to this role alone; it may only start the named runbooks and pass their automation roles to Systems Manager.',
        },
      ]);
    }
  }
}
