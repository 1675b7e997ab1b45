import { Stack, Token, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { isConcreteString, show } from './validation';

/**
 * The actions that key administrators get. They cover the key's lifecycle, policy, aliases,
 * tags and rotation, but no cryptographic operation and not `kms:CreateGrant`, because a
 * grant would let an administrator give itself use of the key.
 */
export const KEY_ADMINISTRATOR_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:UpdateKeyDescription',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:RevokeGrant',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * The actions that key users get: encrypt, decrypt and generate data keys, plus
 * `kms:DescribeKey`, which services such as Amazon RDS call with the user's credentials
 * before they accept a key.
 */
export const KEY_USER_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
];

/** The actions that CloudWatch Logs needs on a key that encrypts log groups. */
export const CLOUDWATCH_LOGS_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];

/** Describes one statement that a key policy must not contain, and why. */
interface StatementProblem {
  readonly reason: string;
  readonly fix: string;
}

/**
 * Checks a statement given for a key policy.
 *
 * Rejects Allow statements that grant `kms:*` or `*`, that use `NotAction` or
 * `NotPrincipal`, or that allow principal `"*"` without a condition, and any statement
 * that IAM would reject in a resource policy.
 *
 * @param name how the error names the statement, for example `additionalStatements[0] (Sid "Audit")`
 * @returns one sentence per problem, naming the statement and the fix
 */
export function keyPolicyStatementProblems(name: string, statement: unknown, stack: Stack): string[] {
  if (!(statement instanceof iam.PolicyStatement)) {
    return [`${name} is ${show(statement)}, which is not an iam.PolicyStatement. Give a statement, for example `
      + 'new iam.PolicyStatement({ principals: [role], actions: [\'kms:Decrypt\'], resources: [\'*\'] }).'];
  }

  const problems: string[] = statement.validateForResourcePolicy().map((error) => `${name} is not a valid key policy statement: ${error}.`);
  const json = stack.resolve(statement.toStatementJson()) as Record<string, unknown>;
  if (json.Effect !== 'Allow') {
    return problems;
  }

  for (const { reason, fix } of allowStatementProblems(json)) {
    problems.push(`${name} ${reason}. ${fix}`);
  }
  return problems;
}

function allowStatementProblems(json: Record<string, unknown>): StatementProblem[] {
  const problems: StatementProblem[] = [];
  const actions = toList(json.Action);
  const fullAccess = actions.filter((action) => isConcreteString(action) && ['*', 'kms:*'].includes(action.toLowerCase()));
  if (fullAccess.length > 0) {
    problems.push({
      reason: `allows the action ${show(fullAccess[0])}, which includes key administration, deletion and every cryptographic operation`,
      fix: 'List only the actions the principal needs, for example kms:Decrypt, and give administrators keyAdministrators instead.',
    });
  }
  if (json.NotAction !== undefined) {
    problems.push({
      reason: 'allows with NotAction, which grants every action not listed, including actions KMS adds later',
      fix: 'List the allowed actions in Action instead.',
    });
  }
  if (json.NotPrincipal !== undefined) {
    problems.push({
      reason: 'allows with NotPrincipal, which grants the actions to every principal not listed, in any account',
      fix: 'Name the allowed principals in Principal instead.',
    });
  }
  if (allowsAnyPrincipal(json.Principal) && !hasConditions(json.Condition)) {
    problems.push({
      reason: 'allows principal "*" without a condition, which lets any AWS account use the key',
      fix: 'Name the principals, or add a condition that limits them, for example aws:PrincipalOrgID or kms:CallerAccount.',
    });
  }
  return problems;
}

function allowsAnyPrincipal(principal: unknown): boolean {
  if (principal === '*') {
    return true;
  }
  if (typeof principal !== 'object' || principal === null) {
    return false;
  }
  return Object.values(principal as Record<string, unknown>).some((value) => toList(value).includes('*'));
}

function hasConditions(condition: unknown): boolean {
  return typeof condition === 'object' && condition !== null && Object.keys(condition).length > 0;
}

function toList(value: unknown): unknown[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/**
 * Checks a principal given for a key policy statement.
 *
 * Key administrators and users must be IAM principals (roles, users or accounts), named by
 * ARN. Service principals are rejected because the construct writes the service statements
 * itself, with their conditions, and `"*"` because it would open the key to every account.
 *
 * @returns one sentence per problem, naming `propName` and the fix
 */
export function keyPrincipalProblems(propName: string, principal: unknown, stack: Stack): string[] {
  const candidate = principal as iam.IPrincipal | undefined;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.policyFragment !== 'object') {
    return [`${propName} is ${show(principal)}, which is not an IAM principal. Give a role, a user or an account, `
      + 'for example iam.Role.fromRoleArn(this, \'Reader\', \'arn:aws:iam::111122223333:role/reader\').'];
  }

  const json = stack.resolve(candidate.policyFragment.principalJson) as Record<string, unknown>;
  const types = Object.keys(json);
  if (types.some((type) => type !== 'AWS')) {
    return [`${propName} is a principal of type ${types.join(', ')}. Give IAM roles, users or accounts only: the key family `
      + 'writes the statements for AWS services itself, each with the conditions that limit it.'];
  }
  if (toList(json.AWS).some((value) => value === '*' && !Token.isUnresolved(value))) {
    return [`${propName} is principal "*", which would let any AWS account use the key. Name the roles, users or accounts instead.`];
  }
  return [];
}

/** The Sid of the statement that {@link denyGrantsExceptForAwsResources} adds to a key policy. */
export const DENY_GRANTS_SID = 'DenyGrantsExceptForAwsResources';

/**
 * Adds to the key's policy a statement that denies `kms:CreateGrant` to every principal,
 * unless the grant is for an AWS resource or the caller is an AWS service.
 *
 * A grant gives lasting use of a key outside its key policy, so a principal that can create
 * grants could hand the key to anyone without changing the policy that reviewers read. The
 * deny applies only when both `kms:GrantIsForAWSResource` and `aws:PrincipalIsAWSService`
 * are false, which is why both keys share one `BoolIfExists` operator: an AWS Control Tower
 * proactive control (CT.KMS.PR.3) requires exactly this statement.
 *
 * It is safe for every service that the package's keys serve. CloudTrail, CloudWatch Logs,
 * Amazon SNS, Amazon S3 and Amazon EventBridge call KMS with their own service principals or
 * through `kms:ViaService`, and create no grants. Amazon Data Firehose, Amazon EBS (also when
 * Amazon EC2 Auto Scaling launches instances with its service-linked role), Amazon RDS and
 * AWS Backup create grants for the resources they attach the key to. KMS sets
 * `kms:GrantIsForAWSResource` to true on those calls. The statement stops only a person or
 * a workload that creates a grant directly.
 *
 * @returns the key, so that the call can wrap the key's creation
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 */
export function denyGrantsExceptForAwsResources<K extends kms.IKey>(key: K): K {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: DENY_GRANTS_SID,
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  }));
  return key;
}
