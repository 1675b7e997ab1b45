import { Aws, CfnCondition, Fn, IResolvable, RemovalPolicy, Stack, Token, aws_config as config } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { validateAccountConfigRecorderProps } from './private/account-config-recorder-validation';
import { createConfigurationRecorder, createDeliveryChannel } from './private/config-recorder';

/** Properties of an account's AWS Config recorder. */
export interface AccountConfigRecorderProps {
  /**
   * The name of the central bucket that receives the configuration history files and
   * snapshots, usually the AWS Config archive of the Security account (a `LogArchive`).
   *
   * The bucket is in another account, so this construct cannot change its policy. The
   * bucket's owner must let `config.amazonaws.com` deliver for this account, for example
   * with the `LogArchive` prop `configSourceAccounts`. AWS Config writes under
   * `AWSLogs/<this account>/Config/`.
   *
   * The name must not contain dots. S3 allows them, but the TLS certificate of
   * virtual-hosted-style requests does not match a name with dots, and the platform never
   * names its buckets with them, so the construct rejects such a name.
   *
   * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
   */
  readonly deliveryBucketName: string;

  /**
   * The ARN of the KMS key that encrypts what AWS Config delivers, usually the key of the
   * central bucket. It must be a key, not an alias, in the bucket's region (`homeRegion`),
   * and its key policy must let `config.amazonaws.com` use it for this account.
   *
   * @default - AWS Config gives no key, and S3 encrypts with the bucket's default encryption
   * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html
   */
  readonly deliveryKeyArn?: string;

  /**
   * The region where the platform records global resource types (IAM users, groups, roles
   * and policies). They are the same in every region, so a recorder in each region would
   * record and bill each change once per region. The recorder includes them only when the
   * stack is in this region; when the stack's region is known only at deploy time,
   * CloudFormation decides.
   *
   * @default 'eu-west-2'
   */
  readonly homeRegion?: string;

  /**
   * How often AWS Config delivers a configuration snapshot.
   *
   * @default config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS
   */
  readonly snapshotDeliveryFrequency?: config.MaximumExecutionFrequency;

  /**
   * Whether to create the service-linked role `AWSServiceRoleForConfig` that the recorder
   * uses. Set it to false when the role already exists in the account, for example from an
   * earlier AWS Config set-up or from another stack: creating it again fails.
   *
   * @default true
   */
  readonly createServiceLinkedRole?: boolean;

  /**
   * The removal policy of the configuration recorder and the delivery channel. Deleting them
   * stops recording, and the Config rules and conformance packs of the account then have
   * nothing to evaluate, so `DESTROY` suits only test stacks.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The AWS Config configuration recorder of one account, delivering to a central bucket in
 * another account.
 *
 * Deploy it in every account that has no recorder of its own, that is every account other
 * than the one where `DetectiveControls` records. Without a recorder, the organisation's
 * conformance pack, Security Hub's controls and the Config rules of `IamAccountBaseline`
 * and `ChangeDetection` evaluate nothing in the account, and creating a Config rule fails.
 *
 * - the recorder records every supported resource type, continuously, and the global
 *   resource types only in the home region;
 * - it uses the service-linked role `AWSServiceRoleForConfig`, which Security Hub's
 *   Config.1 control expects;
 * - the delivery channel sends configuration history files and a daily configuration
 *   snapshot to the central bucket, encrypted with the given KMS key.
 *
 * An account has at most one recorder and one delivery channel in each region, so deploy
 * one `AccountConfigRecorder` in each account and region, and make the stacks that create
 * Config rules depend on it.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html
 */
export class AccountConfigRecorder extends Construct {
  /** The name of the configuration recorder. */
  public readonly configurationRecorderName: string;

  /** The name of the delivery channel. */
  public readonly deliveryChannelName: string;

  constructor(scope: Construct, id: string, props: AccountConfigRecorderProps) {
    super(scope, id);
    const settings = validateAccountConfigRecorderProps(scope, id, props);

    const recorder = createConfigurationRecorder(this, {
      id: 'Resource',
      includeGlobalResourceTypes: this.inHomeRegion(settings.homeRegion),
      createServiceLinkedRole: settings.createServiceLinkedRole,
      removalPolicy: settings.removalPolicy,
    });
    const channel = createDeliveryChannel(this, recorder, {
      bucketName: settings.deliveryBucketName,
      kmsKeyArn: settings.deliveryKeyArn,
      snapshotDeliveryFrequency: settings.snapshotDeliveryFrequency,
      removalPolicy: settings.removalPolicy,
    });

    this.configurationRecorderName = recorder.ref;
    this.deliveryChannelName = channel.ref;
  }

  /**
   * Tells whether the stack is in the home region: as a literal when both regions are
   * known, and otherwise as a CloudFormation condition evaluated at deploy time.
   */
  private inHomeRegion(homeRegion: string): boolean | IResolvable {
    const region = Stack.of(this).region;
    if (!Token.isUnresolved(region) && !Token.isUnresolved(homeRegion)) {
      return region === homeRegion;
    }
    const condition = new CfnCondition(this, 'InHomeRegion', { expression: Fn.conditionEquals(Aws.REGION, homeRegion) });
    return Fn.conditionIf(condition.logicalId, true, false);
  }
}
