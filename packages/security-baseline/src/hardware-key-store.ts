import {
  Aws,
  CfnResource,
  CfnRule,
  Duration,
  Fn,
  Names,
  RemovalPolicy,
  Stack,
  Token,
  aws_ec2 as ec2,
  aws_iam as iam,
  custom_resources as cr,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addNagSuppressions } from './private/nag-suppressions';
import { acknowledgeSdkCallProvider } from './private/sdk-call-provider';
import { createServiceLinkedRoleStatement } from './private/service-linked-role';
import { PropsValidator, describeConstruct, isConcreteString, isGiven, show, showDuration } from './private/validation';

/** The type of the HSMs in a CloudHSM cluster. */
export enum HsmType {
  /** The current HSM type, validated to FIPS 140-3 Level 3, in FIPS or non-FIPS mode. */
  HSM2M_MEDIUM = 'hsm2m.medium',

  /** The earlier HSM type, validated to FIPS 140-2 Level 3, in FIPS mode only. */
  HSM1_MEDIUM = 'hsm1.medium',
}

/**
 * The mode of a CloudHSM cluster, which cannot change after the cluster is created.
 *
 * @see https://docs.aws.amazon.com/cloudhsm/latest/userguide/cluster-hsm-types.html
 */
export enum HsmClusterMode {
  /** Only FIPS-approved keys and algorithms. */
  FIPS = 'FIPS',

  /** Every key and algorithm CloudHSM supports, FIPS-approved or not. Only with `HsmType.HSM2M_MEDIUM`. */
  NON_FIPS = 'NON_FIPS',
}

/** Properties of a hardware key store. */
export interface HardwareKeyStoreProps {
  /** The VPC whose subnets hold the HSMs' network interfaces. */
  readonly vpc: ec2.IVpc;

  /**
   * The subnets of the HSMs. The store takes one subnet in each Availability Zone of the
   * selection, and needs at least two zones. Public subnets are rejected.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The type of the HSMs. Check that the type is offered in the region before you deploy.
   *
   * @default HsmType.HSM2M_MEDIUM
   */
  readonly hsmType?: HsmType;

  /**
   * The mode of the cluster.
   *
   * @default HsmClusterMode.FIPS
   */
  readonly mode?: HsmClusterMode;

  /**
   * How long CloudHSM keeps the cluster's backups. A whole number of days from 7 to 379.
   *
   * @default Duration.days(90)
   * @see https://docs.aws.amazon.com/cloudhsm/latest/userguide/manage-backup-retention.html
   */
  readonly backupRetention?: Duration;

  /**
   * The removal policy of the cluster. With `DESTROY`, deleting the stack calls DeleteCluster,
   * which fails until every HSM of the cluster has been deleted.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The props after defaults, as the construct uses them. */
interface HardwareKeyStoreSettings {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.ISubnet[];
  /** The CIDR blocks that the client security group may reach on the HSM ports. */
  readonly hsmCidrs: string[];
  readonly hsmType: HsmType;
  readonly mode: HsmClusterMode;
  readonly backupRetentionDays: number;
  readonly removalPolicy: RemovalPolicy;
}

/** The only AWS region in the United Kingdom. */
const UK_REGION = 'eu-west-2';

/** The TCP ports on which clients reach the HSMs. */
const HSM_PORTS = ec2.Port.tcpRange(2223, 2225);

const MIN_BACKUP_RETENTION_DAYS = 7;
const MAX_BACKUP_RETENTION_DAYS = 379;
const DEFAULT_BACKUP_RETENTION_DAYS = 90;

const HSM_TYPES: string[] = Object.values(HsmType);
const CLUSTER_MODES: string[] = Object.values(HsmClusterMode);
const REMOVAL_POLICIES: string[] = [RemovalPolicy.RETAIN, RemovalPolicy.DESTROY];

/** The tag that marks the cluster as this construct's, so that its IAM policy can modify or delete only that cluster. */
const OWNER_TAG = 'ssd-platform:hardware-key-store';

/**
 * A tamper-resistant hardware key store in the UK: an AWS CloudHSM cluster whose subnets
 * span at least two Availability Zones of the London region (eu-west-2).
 *
 * Database servers use it through the CloudHSM PKCS #11 library, for example for Db2 native
 * encryption with a PKCS #11 keystore, and Windows servers through the CloudHSM key storage
 * provider, for example for Active Directory Certificate Services.
 *
 * CloudFormation has no resource type for CloudHSM clusters, so a custom resource calls
 * CreateCluster. CloudFormation cannot finish the setup either, because each step waits for
 * the previous one and needs secrets that must not pass through a template. After deployment
 * an operator creates the HSMs, signs the cluster certificate, initializes and activates the
 * cluster, and lets the client security group reach the cluster's security group: see the
 * package README.
 *
 * The cluster itself costs nothing. Each HSM is billed by the hour from its creation.
 *
 * @see https://docs.aws.amazon.com/cloudhsm/latest/userguide/getting-started.html
 */
export class HardwareKeyStore extends Construct {
  /** The ID of the CloudHSM cluster, for example `cluster-jxhlf7644ne`. */
  public readonly clusterId: string;

  /**
   * The security group for clients of the cluster. It allows outbound TCP 2223 to 2225 to
   * the HSM subnets only. Attach it to the servers that use the HSMs.
   */
  public readonly clientSecurityGroup: ec2.ISecurityGroup;

  /** The Availability Zones of the HSM subnets, one HSM in each once the operator creates them. */
  public readonly availabilityZones: string[];

  /** The subnets of the HSMs, one in each Availability Zone. */
  public readonly subnets: ec2.ISubnet[];

  constructor(scope: Construct, id: string, props: HardwareKeyStoreProps) {
    super(scope, id);
    const settings = validateProps(scope, id, props);
    this.subnets = settings.subnets;
    this.availabilityZones = settings.subnets.map((subnet) => subnet.availabilityZone);

    // The region of an environment-agnostic stack is known only at deploy time, so
    // CloudFormation checks it before it creates anything.
    if (Token.isUnresolved(Stack.of(this).region)) {
      new CfnRule(this, 'UkRegionOnly', {
        assertions: [{
          assert: Fn.conditionEquals(Aws.REGION, UK_REGION),
          assertDescription: `The hardware key store must be in the UK region ${UK_REGION}.`,
        }],
      });
    }

    const cluster = this.createCluster(settings);
    this.clusterId = cluster.getResponseField('Cluster.ClusterId');
    this.clientSecurityGroup = this.createClientSecurityGroup(settings);
  }

  private createCluster(settings: HardwareKeyStoreSettings): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const ownerTag = Names.uniqueId(this);
    const backupRetentionPolicy = { Type: 'DAYS', Value: String(settings.backupRetentionDays) };
    const clusterArns = stack.formatArn({ service: 'cloudhsm', resource: 'cluster', resourceName: '*' });
    const ownedCluster = { StringEquals: { [`aws:ResourceTag/${OWNER_TAG}`]: ownerTag } };
    const destroy = settings.removalPolicy === RemovalPolicy.DESTROY;

    // NOTE: CreateCluster returns while the cluster is still being created, when the cluster's
    // security group may not exist yet. The rule that lets clients reach it is therefore an
    // operator step, not a resource of this stack.
    const create: cr.AwsSdkCall = {
      service: 'CloudHSMV2',
      action: 'createCluster',
      parameters: {
        HsmType: settings.hsmType,
        SubnetIds: settings.subnets.map((subnet) => subnet.subnetId),
        BackupRetentionPolicy: backupRetentionPolicy,
        Mode: settings.hsmType === HsmType.HSM2M_MEDIUM ? settings.mode : undefined,
        TagList: [{ Key: OWNER_TAG, Value: ownerTag }],
      },
      physicalResourceId: cr.PhysicalResourceId.fromResponse('Cluster.ClusterId'),
      outputPaths: ['Cluster.ClusterId'],
    };
    // NOTE: ModifyCluster changes only the backup retention. A change of subnets, HSM type or
    // mode after creation reaches CloudFormation as an update that does nothing else: such a
    // change needs a new cluster, restored from a backup.
    const update: cr.AwsSdkCall = {
      service: 'CloudHSMV2',
      action: 'modifyCluster',
      parameters: { ClusterId: new cr.PhysicalResourceIdReference(), BackupRetentionPolicy: backupRetentionPolicy },
      outputPaths: ['Cluster.ClusterId'],
    };
    const remove: cr.AwsSdkCall = {
      service: 'CloudHSMV2',
      action: 'deleteCluster',
      parameters: { ClusterId: new cr.PhysicalResourceIdReference() },
      ignoreErrorCodesMatching: 'CloudHsmResourceNotFoundException',
    };

    const statements = [
      // CreateCluster supports no resource-level permission unless it restores a backup.
      new iam.PolicyStatement({
        actions: ['cloudhsm:CreateCluster', 'cloudhsm:TagResource'],
        resources: ['*'],
        conditions: { StringEquals: { [`aws:RequestTag/${OWNER_TAG}`]: ownerTag } },
      }),
      new iam.PolicyStatement({
        actions: ['cloudhsm:ModifyCluster', ...(destroy ? ['cloudhsm:DeleteCluster'] : [])],
        resources: [clusterArns],
        conditions: ownedCluster,
      }),
      // CloudHSM creates the cluster's security group with the caller's permissions.
      new iam.PolicyStatement({
        actions: ['ec2:CreateSecurityGroup'],
        resources: [
          stack.formatArn({ service: 'ec2', resource: 'vpc', resourceName: settings.vpc.vpcId }),
          stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: '*' }),
        ],
      }),
      new iam.PolicyStatement({
        actions: [
          'ec2:AuthorizeSecurityGroupIngress',
          'ec2:AuthorizeSecurityGroupEgress',
          'ec2:RevokeSecurityGroupEgress',
          ...(destroy ? ['ec2:DeleteSecurityGroup'] : []),
        ],
        resources: [stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: '*' })],
      }),
      new iam.PolicyStatement({ actions: ['ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'], resources: ['*'] }),
      createServiceLinkedRoleStatement(stack, [{ service: 'cloudhsm.amazonaws.com', roleName: 'AWSServiceRoleForCloudHSM' }]),
    ];

    const cluster = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::CloudHsmCluster',
      onCreate: create,
      onUpdate: update,
      onDelete: destroy ? remove : undefined,
      installLatestAwsSdk: false,
      removalPolicy: settings.removalPolicy,
      policy: cr.AwsCustomResourcePolicy.fromStatements(statements),
    });
    this.suppressFindings(cluster);
    return cluster;
  }

  private createClientSecurityGroup(settings: HardwareKeyStoreSettings): ec2.SecurityGroup {
    const group = new ec2.SecurityGroup(this, 'ClientSecurityGroup', {
      vpc: settings.vpc,
      description: `Clients of the CloudHSM cluster ${this.node.path}`,
      allowAllOutbound: false,
    });
    for (const cidr of settings.hsmCidrs) {
      group.addEgressRule(ec2.Peer.ipv4(cidr), HSM_PORTS, 'CloudHSM client traffic to the HSM subnets');
    }
    return group;
  }

  /** Records why the custom resource's policy and its provider function do not meet some cdk-nag rules. */
  private suppressFindings(cluster: cr.AwsCustomResource): void {
    const policy = cluster.node.tryFindChild('CustomResourcePolicy')?.node.defaultChild;
    if (policy instanceof CfnResource) {
      addNagSuppressions(policy, [
        {
          id: 'AwsSolutions-IAM5',
          reason: 'cloudhsm:CreateCluster and the EC2 describe actions support no resource-level permissions; CreateCluster '
            + 'requires a tag that marks the cluster as this construct\'s, ModifyCluster and DeleteCluster act only on '
            + 'clusters with that tag, and the security group actions cover the group that CloudHSM creates, whose ID is not known in advance.',
        },
        {
          id: 'NIST.800.53.R5-IAMNoInlinePolicy',
          reason: 'AwsCustomResource attaches its policy inline; it allows only the calls that create, modify and delete this CloudHSM cluster.',
        },
      ]);
    }
    acknowledgeSdkCallProvider(this);
  }
}

/** Checks the props, applies the defaults and throws one error listing every problem. */
function validateProps(scope: Construct, id: string, rawProps: HardwareKeyStoreProps | null | undefined): HardwareKeyStoreSettings {
  const validator = new PropsValidator(describeConstruct('HardwareKeyStore', scope, id));
  if (typeof rawProps !== 'object' || rawProps === null) {
    validator.fail(`props is ${show(rawProps)}. Give the props as an object with at least vpc.`);
    validator.throwIfInvalid();
  }
  const props = rawProps as HardwareKeyStoreProps;

  const region = Stack.of(scope).region;
  if (isConcreteString(region) && region !== UK_REGION) {
    validator.fail(`the stack is in ${region}, but the hardware key store must stay in the UK. Deploy it to a stack in ${UK_REGION}.`);
  }

  const subnets = checkSubnets(validator, props.vpc, props.vpcSubnets);
  const hsmType = props.hsmType ?? HsmType.HSM2M_MEDIUM;
  if (!HSM_TYPES.includes(hsmType)) {
    validator.fail(`hsmType is ${show(hsmType)}, which is not an HSM type. Use HsmType.HSM2M_MEDIUM or HsmType.HSM1_MEDIUM.`);
  }
  const mode = props.mode ?? HsmClusterMode.FIPS;
  if (!CLUSTER_MODES.includes(mode)) {
    validator.fail(`mode is ${show(mode)}, which is not a cluster mode. Use HsmClusterMode.FIPS or HsmClusterMode.NON_FIPS.`);
  } else if (mode === HsmClusterMode.NON_FIPS && hsmType === HsmType.HSM1_MEDIUM) {
    validator.fail('mode is NON_FIPS, but hsm1.medium HSMs run in FIPS mode only. Use HsmType.HSM2M_MEDIUM, or HsmClusterMode.FIPS.');
  }
  const backupRetentionDays = checkBackupRetention(validator, props.backupRetention);

  const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    validator.fail(`removalPolicy is ${show(removalPolicy)}. Use RemovalPolicy.RETAIN or RemovalPolicy.DESTROY, or omit it to retain the cluster.`);
  }

  const hsmCidrs = subnets.length > 0 ? hsmSubnetCidrs(validator, props.vpc, subnets) : [];

  validator.throwIfInvalid();
  return { vpc: props.vpc, subnets, hsmCidrs, hsmType, mode, backupRetentionDays, removalPolicy };
}

function checkSubnets(validator: PropsValidator, vpc: unknown, selection: ec2.SubnetSelection | undefined): ec2.ISubnet[] {
  const candidate = vpc as ec2.IVpc | undefined;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.selectSubnets !== 'function') {
    validator.fail(`vpc is ${show(vpc)}, which is not a VPC. Give an IVpc, for example ec2.Vpc.fromLookup(this, 'Vpc', { vpcId }).`);
    return [];
  }

  let subnets: ec2.ISubnet[];
  try {
    subnets = candidate.selectSubnets({ ...(selection ?? {}), onePerAz: true }).subnets;
  } catch (error) {
    validator.fail(`vpcSubnets selects no subnets of the VPC: ${(error as Error).message} Select private subnets in at least two `
      + 'Availability Zones, or omit vpcSubnets to use the VPC\'s private subnets.');
    return [];
  }

  const publicSubnetIds = new Set(candidate.publicSubnets.map((subnet) => subnet.subnetId));
  const publicSubnets = subnets.filter((subnet) => publicSubnetIds.has(subnet.subnetId));
  if (publicSubnets.length > 0) {
    validator.fail('vpcSubnets selects public subnets. Place the HSMs in private subnets, for example '
      + '{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }.');
  }

  // Availability Zones that are tokens (in an environment-agnostic stack) are distinct by construction.
  const zones = new Set(subnets.map((subnet) => subnet.availabilityZone));
  if (zones.size < 2) {
    const shownZones = [...zones].map((zone) => (Token.isUnresolved(zone) ? 'a zone known at deploy time' : zone));
    validator.fail(`vpcSubnets selects subnets in ${zones.size === 0 ? 'no Availability Zone' : `one Availability Zone (${shownZones.join(', ')})`}. `
      + 'A CloudHSM cluster needs subnets in at least two zones so that its HSMs survive the loss of one; select subnets '
      + 'in two or more zones.');
  }
  return subnets;
}

/**
 * Returns the CIDR blocks that the client security group may reach: the HSM subnets', or the
 * VPC's when the subnets were imported without theirs. Imported subnets and VPCs throw when
 * asked for a CIDR block they were not given.
 */
function hsmSubnetCidrs(validator: PropsValidator, vpc: ec2.IVpc, subnets: ec2.ISubnet[]): string[] {
  try {
    return subnets.map((subnet) => subnet.ipv4CidrBlock);
  } catch {
    try {
      return [vpc.vpcCidrBlock];
    } catch {
      validator.fail('vpc and its subnets were imported without CIDR blocks, so the client security group cannot be limited to '
        + 'the HSM subnets. Import the subnets with ec2.Subnet.fromSubnetAttributes and their ipv4CidrBlock, or the VPC with its vpcCidrBlock.');
      return [];
    }
  }
}

function checkBackupRetention(validator: PropsValidator, retention: unknown): number {
  if (!isGiven(retention)) {
    return DEFAULT_BACKUP_RETENTION_DAYS;
  }
  if (!(retention instanceof Duration) || retention.isUnresolved()) {
    validator.fail(`backupRetention is ${retention instanceof Duration ? 'a token' : show(retention)}. Give a literal Duration in `
      + `whole days from ${MIN_BACKUP_RETENTION_DAYS} to ${MAX_BACKUP_RETENTION_DAYS}, for example Duration.days(90).`);
    return DEFAULT_BACKUP_RETENTION_DAYS;
  }
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < MIN_BACKUP_RETENTION_DAYS || days > MAX_BACKUP_RETENTION_DAYS) {
    validator.fail(`backupRetention is ${showDuration(retention)}. CloudHSM keeps backups for a whole number of days from `
      + `${MIN_BACKUP_RETENTION_DAYS} to ${MAX_BACKUP_RETENTION_DAYS}, for example Duration.days(90).`);
  }
  return days;
}
