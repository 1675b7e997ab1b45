import { CfnResource, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { PropsValidator, show } from '../private/validation';
import { kindAppliesTo, kindsFor } from './private/kind-types';

/**
 * The kinds of single point of failure that the resilience check finds in a template.
 *
 * Each value is also the rule name of the violation that `ResilienceCheck` reports.
 */
export enum SinglePointOfFailureKind {
  /** An RDS DB instance that is not Multi-AZ: one instance in one availability zone. */
  SINGLE_AZ_DB_INSTANCE = 'SingleAzDbInstance',

  /**
   * An Aurora, DocumentDB or Neptune DB cluster with fewer than two DB instances, so no
   * reader can take over as writer.
   */
  SINGLE_INSTANCE_DB_CLUSTER = 'SingleInstanceDbCluster',

  /** A VPC whose subnets send internet-bound traffic through one NAT gateway, or through a NAT gateway in another zone. */
  SINGLE_NAT_GATEWAY = 'SingleNatGateway',

  /**
   * An Auto Scaling group that runs one instance: its maximum size is 1, or its minimum size
   * (its desired capacity, when given) is below 2.
   */
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

  /** An EC2 instance outside any Auto Scaling group, so nothing replaces it when it or its zone fails. */
  STANDALONE_INSTANCE = 'StandaloneInstance',

  /** An OpenSearch Service domain with one data node, or without zone awareness. */
  SINGLE_AZ_SEARCH_DOMAIN = 'SingleAzSearchDomain',

  /** An Amazon MQ broker deployed as a single instance. */
  SINGLE_INSTANCE_BROKER = 'SingleInstanceBroker',

  /** An Amazon Redshift cluster with one node. */
  SINGLE_NODE_REDSHIFT_CLUSTER = 'SingleNodeRedshiftCluster',
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
    const isConstruct = isRecord(construct) && isRecord(construct.node) && typeof construct.node.path === 'string';
    const validator = new PropsValidator(isConstruct
      ? `SinglePointOfFailure.acknowledge props for "${construct.node.path}"`
      : 'SinglePointOfFailure.acknowledge arguments');
    if (!isConstruct) {
      validator.fail(`construct is ${show(construct)}. Pass the construct that holds the resource, for example a bucket or its node.defaultChild.`);
    }
    if (!isRecord(acknowledgement)) {
      validator.fail(`acknowledgement is ${show(acknowledgement)}. Pass { kind, reason, recoveryProcedure }.`);
      validator.throwIfInvalid();
    }

    const resource = isConstruct ? resourceOf(construct) : undefined;
    if (isConstruct && resource === undefined) {
      validator.fail(`construct "${construct.node.path}" is not a CloudFormation resource and has no default child that is one. `
        + 'Pass the CfnResource, for example bucket.node.defaultChild, or the construct\'s child that holds the resource.');
    }
    if (!KINDS.includes(acknowledgement.kind)) {
      validator.fail(`kind is ${show(acknowledgement.kind)}. Use one of the SinglePointOfFailureKind values, for example SinglePointOfFailureKind.NO_VERSIONING.`);
    } else if (resource !== undefined && !kindAppliesTo(acknowledgement.kind, resource.cfnResourceType)) {
      const applicable = kindsFor(resource.cfnResourceType);
      validator.fail(`kind is "${acknowledgement.kind}", which the resilience check never reports on resources of type ${resource.cfnResourceType}, `
        + 'so the acknowledgement would have no effect. '
        + (applicable.length > 0
          ? `Use a kind that applies to it: ${applicable.join(', ')}.`
          : 'No kind applies to this type: acknowledge the resource that the finding names.'));
    }
    checkText(validator, 'reason', acknowledgement.reason, 'why the single point of failure stays');
    checkText(validator, 'recoveryProcedure', acknowledgement.recoveryProcedure, 'the steps that restore service when it fails');
    const existing = resource !== undefined ? existingMetadata(validator, resource) : undefined;
    validator.throwIfInvalid();

    const others = (existing?.acknowledgements ?? []).filter((entry) => entry.kind !== acknowledgement.kind);
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

/**
 * Reads the metadata that earlier acknowledgements wrote. Metadata under the key that this
 * class did not write (a string, or acknowledgements that are not a list) is an error: merging
 * into it would write a template that the check cannot read.
 */
function existingMetadata(validator: PropsValidator, resource: CfnResource): ResilienceMetadata | undefined {
  const key = SinglePointOfFailure.METADATA_KEY;
  const existing: unknown = resource.getMetadata(key);
  if (existing === undefined) {
    return undefined;
  }
  if (!isRecord(existing)) {
    validator.fail(`the resource's "${key}" metadata is ${show(existing)}, not an object with a list of acknowledgements. `
      + `Remove the metadata that sets "${key}" by hand (addMetadata), and record acknowledgements only with SinglePointOfFailure.acknowledge.`);
    return undefined;
  }
  if (existing.acknowledgements !== undefined && !Array.isArray(existing.acknowledgements)) {
    validator.fail(`the resource's "${key}" metadata has acknowledgements of ${show(existing.acknowledgements)}, not a list. `
      + `Remove the metadata that sets "${key}" by hand (addMetadata), and record acknowledgements only with SinglePointOfFailure.acknowledge.`);
    return undefined;
  }
  return existing as ResilienceMetadata;
}

function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
