import { Annotations, ArnFormat, Names, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { createCustomerManagedKey } from './customer-managed-key';
import { show } from './validation';

/** The purpose of an encrypted log group, used in its name, descriptions and warning. */
export interface EncryptedLogGroupOptions {
  /** The start of the log group's name, for example `/ssd-platform/client-vpn`. */
  readonly namePrefix: string;
  readonly retention: logs.RetentionDays;
  /** The key to encrypt with; a new key from `createCustomerManagedKey` if undefined. */
  readonly key?: kms.IKey;
  /** The log, for messages, for example "connection log". */
  readonly logName: string;
  /** The writer of the log, for the new key's description, for example "the Client VPN endpoint". */
  readonly owner: string;
  /** The stable ID of the warning given when the key's policy cannot be changed. */
  readonly keyPolicyWarningId: string;
}

/** A log group encrypted with a customer-managed key, and that key. */
export interface EncryptedLogGroup {
  readonly logGroup: logs.ILogGroup;
  /** The log group's ARN without the `:*` suffix that `LogGroup.logGroupArn` has. */
  readonly logGroupArn: string;
  readonly key: kms.IKey;
}

/**
 * Creates a log group encrypted with the given key, or with a new key that rotates yearly,
 * and lets CloudWatch Logs use the key for this log group only.
 *
 * The log group gets a fixed name, derived from the construct's path, so that the key
 * policy can name it. Naming it through a reference would make the key and the log group
 * depend on each other. Both are retained when the stack is deleted.
 *
 * NOTE: because the retained log group keeps its name, deploying the same construct path
 * again after deleting the stack fails until that log group is deleted.
 */
export function createEncryptedLogGroup(scope: Construct, options: EncryptedLogGroupOptions): EncryptedLogGroup {
  const stack = Stack.of(scope);
  const logGroupName = `${options.namePrefix}/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

  const key = options.key
    ?? createCustomerManagedKey(scope, 'LogKey', `Encrypts the ${options.logName} of ${options.owner} ${scope.node.path}`);
  allowCloudWatchLogs(scope, key, logGroupArn, options);

  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName,
    encryptionKey: key,
    retention: options.retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { logGroup, logGroupArn, key };
}

/**
 * Adds the key policy statement that CloudWatch Logs needs to encrypt one log group, or
 * warns when the key's policy cannot be changed from here.
 *
 * The statement follows the CloudWatch Logs user guide: the regional service principal,
 * limited by the encryption context that CloudWatch Logs sends, which is the log group's ARN.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
function allowCloudWatchLogs(scope: Construct, key: kms.IKey, logGroupArn: string, options: EncryptedLogGroupOptions): void {
  const statement = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Stack.of(scope).region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  });

  const { statementAdded } = key.addToResourcePolicy(statement, true);
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2(options.keyPolicyWarningId,
      `The policy of encryptionKey ${show(key.keyArn)} cannot be changed from this stack, so CloudWatch Logs may be unable to use it `
      + `and the ${options.logName} group will fail to create. Add this statement to the key policy: `
      + JSON.stringify(Stack.of(scope).resolve(statement.toStatementJson())));
  }
}
