import {
  AccountConfigRecorder,
  ChangeDetection,
  DataClassification,
  IamAccountBaseline,
  TaggingStandard,
} from '@ssd-platform/security-baseline';
import { App, Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { EstateConfig } from './estate';

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
 * Builds the security baseline stack of a member account, `<prefix>-AccountBaseline`: the
 * AWS Config recorder, the IAM baseline and change detection. Their Config rules need the
 * recorder, so they wait for it.
 */
export function buildAccountBaseline(app: App, estate: EstateConfig, account: BaselineAccount): Stack {
  const stack = new Stack(app, `${account.stackPrefix}-AccountBaseline`, {
    env: { account: account.account, region: estate.region },
    description: 'The AWS Config recorder, the IAM baseline and change detection of this account',
  });
  const recorder = addConfigRecorder(stack, estate);
  new IamAccountBaseline(stack, 'IamBaseline').node.addDependency(recorder);
  new ChangeDetection(stack, 'ChangeDetection').node.addDependency(recorder);

  TaggingStandard.applyTags(stack, {
    costCentre: estate.tags.costCentre,
    owner: estate.tags.owner,
    environment: account.environment,
    service: 'security-baseline',
    dataClassification: DataClassification.OFFICIAL_SENSITIVE,
  });
  return stack;
}
