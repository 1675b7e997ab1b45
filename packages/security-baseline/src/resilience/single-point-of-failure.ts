import { CfnResource, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsValidator, show } from '../private/validation';

/**
 * The kinds of single point of failure that the resilience check finds in a template.
 *
 * Each value is also the rule name of the violation that `ResilienceCheck` reports.
 */
export enum SinglePointOfFailureKind {
  /** An RDS DB instance that is not Multi-AZ: one instance in one availability zone. */
  SINGLE_AZ_DB_INSTANCE = 'SingleAzDbInstance',

  /** An Aurora DB cluster with fewer than two DB instances, so no reader can take over as writer. */
  SINGLE_INSTANCE_DB_CLUSTER = 'SingleInstanceDbCluster',

  /** A VPC whose subnets send internet-bound traffic through one NAT gateway, or through a NAT gateway in another zone. */
  SINGLE_NAT_GATEWAY = 'SingleNatGateway',

  /** An Auto Scaling group that can run at most one instance. */
  SINGLE_INSTANCE_AUTO_SCALING_GROUP = 'SingleInstanceAutoScalingGroup',

  /** An Auto Scaling group that launches instances in one availability zone. */
  SINGLE_AZ_AUTO_SCALING_GROUP = 'SingleAzAutoScalingGroup',

  /** A directory whose domain controllers are in one availability zone. */
  SINGLE_AZ_DIRECTORY = 'SingleAzDirectory',

  /**
   * A Simple AD directory. It cannot have more than its two domain controllers or be
   * replicated to another region, unlike AWS Managed Microsoft AD.
   */
  SIMPLE_AD_DIRECTORY = 'SimpleAdDirectory',

  /** A site-to-site VPN where one VPN connection is the only one towards an on-premises site. */
  SINGLE_VPN_CONNECTION = 'SingleVpnConnection',

  /** Site-to-site VPN connections towards an on-premises site that all end on one customer gateway. */
  SINGLE_CUSTOMER_GATEWAY = 'SingleCustomerGateway',

  /** A Direct Connect gateway or virtual private gateway reached through one Direct Connect connection. */
  SINGLE_DIRECT_CONNECT_CONNECTION = 'SingleDirectConnectConnection',

  /** An S3 bucket without versioning, so an overwritten or deleted object cannot be recovered. */
  NO_VERSIONING = 'NoVersioning',

  /** A stateful resource that no backup plan selects. */
  NO_BACKUP = 'NoBackup',

  /** An ElastiCache cluster or replication group with one node. */
  SINGLE_NODE_CACHE = 'SingleNodeCache',

  /** An ElastiCache replication group without automatic failover. */
  NO_CACHE_FAILOVER = 'NoCacheFailover',

  /** An EFS or FSx file system stored in one availability zone. */
  SINGLE_AZ_FILE_SYSTEM = 'SingleAzFileSystem',

  /** A load balancer whose subnets are all in one availability zone. */
  SINGLE_AZ_LOAD_BALANCER = 'SingleAzLoadBalancer',

  /** A Network Firewall whose endpoints are all in one availability zone. */
  SINGLE_AZ_NETWORK_FIREWALL = 'SingleAzNetworkFirewall',
}

/** The acknowledgement of a single point of failure that stays by design. */
export interface SinglePointOfFailureAcknowledgement {
  /** The kind of single point of failure that is accepted on the resource. */
  readonly kind: SinglePointOfFailureKind;

  /** The reason the single point of failure stays, for example the cost or a limit of the service. */
  readonly reason: string;

  /**
   * The procedure that restores service when the resource fails: steps that an engineer on
   * call can follow, with the expected recovery time.
   */
  readonly recoveryProcedure: string;
}

/** The shape of the template metadata that an acknowledgement writes. */
interface ResilienceMetadata {
  readonly acknowledgements?: Array<{ readonly kind: string; readonly reason: string; readonly recoveryProcedure: string }>;
  readonly [key: string]: unknown;
}

const KINDS: string[] = Object.values(SinglePointOfFailureKind);

/**
 * Records single points of failure that stay by design, with their recovery procedures.
 *
 * The acknowledgement is written to the template, in the resource's `ssd:resilience`
 * metadata, so that the resilience check and report read it from any cloud assembly.
 */
export class SinglePointOfFailure {
  /** The template metadata key under which acknowledgements are stored. */
  public static readonly METADATA_KEY = 'ssd:resilience';

  /**
   * Acknowledges a single point of failure on a resource, with the procedure that restores service.
   *
   * An acknowledged single point of failure no longer fails synthesis in production, and the
   * resilience report lists it with its reason and recovery procedure. A second
   * acknowledgement of the same kind on the same resource replaces the first.
   *
   * @param construct the CloudFormation resource, or an L2 construct whose default child is one
   *   (for example an `s3.Bucket`)
   * @param acknowledgement the kind, the reason and the recovery procedure
   */
  public static acknowledge(construct: IConstruct, acknowledgement: SinglePointOfFailureAcknowledgement): void {
    const validator = new PropsValidator(`SinglePointOfFailure.acknowledge props for "${construct.node.path}"`);
    const resource = resourceOf(construct);
    if (resource === undefined) {
      validator.fail(`construct "${construct.node.path}" is not a CloudFormation resource and has no default child that is one. `
        + 'Pass the CfnResource, for example bucket.node.defaultChild, or the construct\'s child that holds the resource.');
    }
    if (!KINDS.includes(acknowledgement.kind)) {
      validator.fail(`kind is ${show(acknowledgement.kind)}. Use one of the SinglePointOfFailureKind values, for example SinglePointOfFailureKind.NO_VERSIONING.`);
    }
    checkText(validator, 'reason', acknowledgement.reason, 'why the single point of failure stays');
    checkText(validator, 'recoveryProcedure', acknowledgement.recoveryProcedure, 'the steps that restore service when it fails');
    validator.throwIfInvalid();

    const existing = (resource!.getMetadata(SinglePointOfFailure.METADATA_KEY) ?? {}) as ResilienceMetadata;
    const others = (existing.acknowledgements ?? []).filter((entry) => entry.kind !== acknowledgement.kind);
    resource!.addMetadata(SinglePointOfFailure.METADATA_KEY, {
      ...existing,
      acknowledgements: [...others, {
        kind: acknowledgement.kind,
        reason: acknowledgement.reason.trim(),
        recoveryProcedure: acknowledgement.recoveryProcedure.trim(),
      }],
    });
  }

  private constructor() {}
}

function resourceOf(construct: IConstruct): CfnResource | undefined {
  if (CfnResource.isCfnResource(construct)) {
    return construct;
  }
  const child = construct.node.defaultChild;
  return child !== undefined && CfnResource.isCfnResource(child) ? child : undefined;
}

function checkText(validator: PropsValidator, propName: string, value: unknown, meaning: string): void {
  if (typeof value !== 'string' || Token.isUnresolved(value)) {
    validator.fail(`${propName} is ${show(value)}. Give literal text saying ${meaning}, because the report prints it.`);
  } else if (value.trim().length === 0) {
    validator.fail(`${propName} is empty. Give text saying ${meaning}.`);
  }
}
