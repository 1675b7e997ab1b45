import {
  AccountConfigRecorder,
  ChangeDetection,
  DataClassification,
  IamAccountBaseline,
  KeyFamily,
  TaggingStandard,
} from '@ssd-platform/security-baseline';
import { App, RemovalPolicy, Stack, aws_backup as backup, aws_iam as iam, aws_kms as kms } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { alertByEmail } from './alerting';
import { EstateConfig } from './estate';
import { denyGrantsExceptForAwsResources } from './key-policy';

/** The account whose baseline `buildAccountBaseline` builds. */
export interface BaselineAccount {
  /** The prefix of the stack's name, for example `Production`. */
  readonly stackPrefix: string;
  /** The 12-digit ID of the account. */
  readonly account: string;
  /** The value of the Environment tag, for example `production`. */
  readonly environment: string;
}

/**
 * Adds the account's AWS Config recorder, delivering to the Security account's AWS Config
 * archive. Every account but the Security account, whose detective controls record for
 * themselves, needs one before any Config rule can be created in it.
 */
export function addConfigRecorder(scope: Construct, estate: EstateConfig): AccountConfigRecorder {
  return new AccountConfigRecorder(scope, 'ConfigRecorder', {
    deliveryBucketName: estate.configArchive.bucketName,
    deliveryKeyArn: estate.configArchive.keyArn,
    homeRegion: estate.region,
  });
}

/**
 * Adds the AWS Backup vault and the role that the organisation's backup policy names, which
 * must exist in each account before the policy's first backup runs. The vault has its own
 * customer managed key and is retained; the role is AWS Backup's, with the AWS managed
 * policies for backup and restore.
 */
export function addBackupTarget(scope: Construct, estate: EstateConfig): backup.BackupVault {
  const key = denyGrantsExceptForAwsResources(new kms.Key(scope, 'BackupVaultKey', {
    description: 'Encrypts the recovery points of the organisation backup policy',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  }));
  const vault = new backup.BackupVault(scope, 'BackupVault', {
    backupVaultName: estate.backup.vaultName,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
  });

  const role = new iam.Role(scope, 'BackupRole', {
    roleName: estate.backup.roleName,
    description: 'The role AWS Backup assumes to run the organisation backup policy',
    assumedBy: new iam.ServicePrincipal('backup.amazonaws.com'),
    managedPolicies: [
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForBackup'),
      iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSBackupServiceRolePolicyForRestores'),
    ],
  });
  NagSuppressions.addResourceSuppressions(role, [{
    id: 'AwsSolutions-IAM4',
    reason: 'AWS Backup documents these two AWS managed policies as the permissions of its service role; they track the '
      + 'resource types AWS Backup adds, which a hand-written policy would miss.',
    appliesTo: [
      'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ],
  }]);
  return vault;
}

/**
 * Builds the security baseline stack of a member account, `<prefix>-AccountBaseline`: the
 * AWS Config recorder, the key family, the IAM baseline, change detection, and the backup
 * vault and role of the organisation backup policy. The Config rules need the recorder, so they wait for it.
 */
export function buildAccountBaseline(app: App, estate: EstateConfig, account: BaselineAccount): Stack {
  const stack = new Stack(app, `${account.stackPrefix}-AccountBaseline`, {
    env: { account: account.account, region: estate.region },
    description: 'The AWS Config recorder, the purpose keys, the IAM baseline, change detection and the backup vault of this account',
  });
  const recorder = addConfigRecorder(stack, estate);
  addBackupTarget(stack, estate);
  // The workloads of the account encrypt with these keys, one per purpose, rather than each
  // creating its own, so that key policies and rotation are the same in every account.
  new KeyFamily(stack, 'Keys', { aliasPrefix: 'ssd-platform' });
  new IamAccountBaseline(stack, 'IamBaseline').node.addDependency(recorder);
  const changes = new ChangeDetection(stack, 'ChangeDetection');
  changes.node.addDependency(recorder);
  alertByEmail(changes.alertTopic, estate.alerting.securityOperationsEmail);

  TaggingStandard.applyTags(stack, {
    costCentre: estate.tags.costCentre,
    owner: estate.tags.owner,
    environment: account.environment,
    service: 'security-baseline',
    dataClassification: DataClassification.OFFICIAL_SENSITIVE,
  });
  return stack;
}
