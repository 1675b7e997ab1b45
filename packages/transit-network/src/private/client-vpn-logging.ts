import { Annotations, ArnFormat, Names, RemovalPolicy, Stack, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { show } from './validation';

/** The log group that receives a Client VPN endpoint's connection log, and the key that encrypts it. */
export interface ConnectionLog {
  readonly logGroup: logs.ILogGroup;
  readonly key: kms.IKey;
}

/**
 * Creates the connection log group, encrypted with `key` or with a new key that rotates
 * yearly, and lets CloudWatch Logs use the key for this log group only.
 *
 * The log group gets a fixed name, derived from the construct's path, so that the key
 * policy can name it. Naming it through a reference would make the key and the log group
 * depend on each other. Both are retained when the stack is deleted.
 *
 * NOTE: because the retained log group keeps its name, deploying the same construct path
 * again after deleting the stack fails until that log group is deleted.
 */
export function createConnectionLog(scope: Construct, retention: logs.RetentionDays, key: kms.IKey | undefined): ConnectionLog {
  const stack = Stack.of(scope);
  const logGroupName = `/ssd-platform/client-vpn/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;

  const logKey = key ?? new kms.Key(scope, 'LogKey', {
    description: `Encrypts the connection log of the Client VPN endpoint ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowCloudWatchLogs(scope, logKey, stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  }));

  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName,
    encryptionKey: logKey,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { logGroup, key: logKey };
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
function allowCloudWatchLogs(scope: Construct, key: kms.IKey, logGroupArn: string): void {
  const servicePrincipal = `logs.${Stack.of(scope).region}.amazonaws.com`;
  const statement = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(servicePrincipal)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  });

  const { statementAdded } = key.addToResourcePolicy(statement, true);
  if (!statementAdded) {
    const stack = Stack.of(scope);
    Annotations.of(scope).addWarningV2('@ssd-platform/transit-network:vpnLogKeyPolicy',
      `The policy of encryptionKey ${show(key.keyArn)} cannot be changed from this stack, so CloudWatch Logs may be unable to use it `
      + 'and the connection log group will fail to create. Add this statement to the key policy: '
      + JSON.stringify(stack.resolve(statement.toStatementJson())));
  }
}
