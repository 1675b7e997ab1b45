import { Annotations, ArnFormat, Names, RemovalPolicy, Stack, aws_ec2 as ec2, aws_iam as iam, aws_kms as kms, aws_logs as logs } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { show } from './validation';

/**
 * The IKE and IPsec settings of every tunnel: IKEv2 only, AES-256, SHA-2 with 384 or 512
 * bits, and elliptic-curve Diffie-Hellman groups 20 (ECP-384) and 21 (ECP-521) in both
 * phases, so that each rekey has perfect forward secrecy. The lifetimes are the maximums
 * that AWS allows: 8 hours for phase 1 and 1 hour for phase 2.
 *
 * The tunnel starts negotiating as soon as it is created (`start`), and a dead peer
 * detection timeout after 30 seconds restarts the negotiation (`restart`) instead of
 * clearing the tunnel and waiting for the device.
 *
 * @see https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpnTunnelOptionsSpecification.html
 */
export const TUNNEL_CRYPTOGRAPHY: ec2.CfnVPNConnection.VpnTunnelOptionsSpecificationProperty = {
  ikeVersions: [{ value: 'ikev2' }],
  phase1EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
  phase2EncryptionAlgorithms: [{ value: 'AES256-GCM-16' }, { value: 'AES256' }],
  phase1IntegrityAlgorithms: [{ value: 'SHA2-384' }, { value: 'SHA2-512' }],
  phase2IntegrityAlgorithms: [{ value: 'SHA2-384' }, { value: 'SHA2-512' }],
  phase1DhGroupNumbers: [{ value: 20 }, { value: 21 }],
  phase2DhGroupNumbers: [{ value: 20 }, { value: 21 }],
  phase1LifetimeSeconds: 28800,
  phase2LifetimeSeconds: 3600,
  dpdTimeoutSeconds: 30,
  dpdTimeoutAction: 'restart',
  startupAction: 'start',
};

/** The log group that receives the tunnel logs, its ARN for the tunnel options, and the key that encrypts it. */
export interface TunnelLog {
  readonly logGroup: logs.ILogGroup;
  /** The log group's ARN without the `:*` suffix that `logGroupArn` has. */
  readonly logGroupArn: string;
  readonly key: kms.IKey;
}

/**
 * Creates the tunnel log group, encrypted with `key` or with a new key that rotates
 * yearly, and lets CloudWatch Logs use the key for this log group only.
 *
 * The log group gets a fixed name, derived from the construct's path, so that the key
 * policy can name it without the key and the log group depending on each other. Both
 * are retained when the stack is deleted.
 *
 * NOTE: because the retained log group keeps its name, deploying the same construct path
 * again after deleting the stack fails until that log group is deleted.
 */
export function createTunnelLog(scope: Construct, retention: logs.RetentionDays, key: kms.IKey | undefined): TunnelLog {
  const stack = Stack.of(scope);
  const logGroupName = `/ssd-platform/site-to-site-vpn/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;
  const logGroupArn = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });

  const logKey = key ?? new kms.Key(scope, 'LogKey', {
    description: `Encrypts the tunnel log of the Site-to-Site VPN ${scope.node.path}`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowCloudWatchLogs(scope, logKey, logGroupArn);

  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    logGroupName,
    encryptionKey: logKey,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { logGroup, logGroupArn, key: logKey };
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
  const statement = new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Stack.of(scope).region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
  });

  const { statementAdded } = key.addToResourcePolicy(statement, true);
  if (!statementAdded) {
    Annotations.of(scope).addWarningV2('@ssd-platform/transit-network:governmentVpnLogKeyPolicy',
      `The policy of encryptionKey ${show(key.keyArn)} cannot be changed from this stack, so CloudWatch Logs may be unable to use it `
      + 'and the tunnel log group will fail to create. Add this statement to the key policy: '
      + JSON.stringify(Stack.of(scope).resolve(statement.toStatementJson())));
  }
}
