import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';
import { RuleFinding, named } from './finding';
import { TemplateModel, TemplateResource, isRecord, literalBoolean, literalNumber, mentions } from './template-model';

/*
 * Rules for the resources that hold data: databases, caches, buckets and file systems.
 *
 * A property that decides a rule but is a token (a parameter, a condition, an import) is
 * treated as resilient, so the rule reports nothing for it. The template does not show a
 * single point of failure then, and a guess would fail production synthesis for no reason.
 */

/** RDS DB instances that are not Multi-AZ. Instances of an Aurora cluster are judged by the cluster rule. */
export function singleAzDbInstances(model: TemplateModel): RuleFinding[] {
  return model.ofType('AWS::RDS::DBInstance')
    .filter((instance) => instance.properties.DBClusterIdentifier === undefined)
    .filter((instance) => isLiteralFalseOrAbsent(instance.properties.MultiAZ))
    .map((instance) => ({
      kind: Kind.SINGLE_AZ_DB_INSTANCE,
      resource: instance,
      description: `${named(instance)} is not Multi-AZ: it has no standby in another availability zone, so a failure of `
        + 'the instance or its zone stops the database until it is restored from a backup or the zone recovers.',
      fix: 'Set multiAz: true on the DB instance (MultiAZ in CloudFormation).',
    }));
}

/**
 * Aurora, DocumentDB and Neptune DB clusters with fewer than two DB instances in the template.
 *
 * Multi-AZ DB clusters of RDS for MySQL and PostgreSQL (`DBClusterInstanceClass` set) always
 * run three instances, and Aurora Serverless v1 (`EngineMode: serverless`) has no DB
 * instances, so neither is counted.
 */
export function singleInstanceDbClusters(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const [clusterType, instanceType, service] of CLUSTER_TYPES) {
    const instances = model.ofType(instanceType);
    for (const cluster of model.ofType(clusterType)) {
      if (clusterType === 'AWS::RDS::DBCluster' && !isAuroraWithInstances(cluster)) {
        continue;
      }
      const members = instances.filter((instance) => isMemberOf(instance, cluster)).length;
      if (members < 2) {
        findings.push({
          kind: Kind.SINGLE_INSTANCE_DB_CLUSTER,
          resource: cluster,
          description: `${named(cluster)} is ${service} cluster with ${members} DB instance${members === 1 ? '' : 's'} in the template: `
            + `with no replica in another availability zone to promote, a failure of the primary stops the database until ${service.replace(/^an? /, '')} creates a new one.`,
          fix: 'Add at least one replica (reader) instance in another availability zone.',
        });
      }
    }
  }
  return findings;
}

/** The cluster types judged by the rule: cluster type, DB instance type, and the service in a sentence. */
const CLUSTER_TYPES: Array<[string, string, string]> = [
  ['AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'an Aurora'],
  ['AWS::DocDB::DBCluster', 'AWS::DocDB::DBInstance', 'a DocumentDB'],
  ['AWS::Neptune::DBCluster', 'AWS::Neptune::DBInstance', 'a Neptune'],
];

function isAuroraWithInstances(cluster: TemplateResource): boolean {
  const engine = cluster.properties.Engine;
  return typeof engine === 'string' && engine.startsWith('aurora')
    && cluster.properties.DBClusterInstanceClass === undefined && cluster.properties.EngineMode !== 'serverless';
}

function isMemberOf(instance: TemplateResource, cluster: TemplateResource): boolean {
  const clusterId = instance.properties.DBClusterIdentifier;
  const clusterName = cluster.properties.DBClusterIdentifier;
  return mentions(clusterId, cluster.logicalId)
    || (typeof clusterId === 'string' && typeof clusterName === 'string' && clusterId.toLowerCase() === clusterName.toLowerCase());
}

/** S3 buckets without versioning, or with versioning suspended. */
export function bucketsWithoutVersioning(model: TemplateModel): RuleFinding[] {
  return model.ofType('AWS::S3::Bucket')
    .filter((bucket) => {
      const configuration = bucket.properties.VersioningConfiguration;
      if (configuration === undefined) {
        return true;
      }
      return isRecord(configuration) && configuration.Status === 'Suspended';
    })
    .map((bucket) => ({
      kind: Kind.NO_VERSIONING,
      resource: bucket,
      description: `${named(bucket)} has no versioning: an object that is overwritten or deleted, by mistake or by an attacker, cannot be recovered.`,
      fix: 'Set versioned: true on the bucket (VersioningConfiguration Status Enabled), with a lifecycle rule that expires old versions.',
    }));
}

/**
 * ElastiCache replication groups with one node per shard or without automatic failover, and
 * cache clusters with one node.
 *
 * A replication group that gives neither `NumCacheClusters` nor any replica setting is taken
 * to have one node, because that is what ElastiCache creates then.
 */
export function fragileCaches(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const group of model.ofType('AWS::ElastiCache::ReplicationGroup')) {
    const nodes = nodesPerShard(group.properties);
    if (nodes !== undefined && nodes < 2) {
      findings.push({
        kind: Kind.SINGLE_NODE_CACHE,
        resource: group,
        description: `${named(group)} has one node per shard: when the node or its availability zone fails, the cache is unavailable and its data is lost.`,
        fix: 'Add at least one replica per shard in another availability zone, and set AutomaticFailoverEnabled and MultiAZEnabled to true.',
      });
    } else if (nodes !== undefined && isLiteralFalseOrAbsent(group.properties.AutomaticFailoverEnabled)) {
      findings.push({
        kind: Kind.NO_CACHE_FAILOVER,
        resource: group,
        description: `${named(group)} has replicas but no automatic failover: when the primary fails, writes stop until someone promotes a replica.`,
        fix: 'Set AutomaticFailoverEnabled and MultiAZEnabled to true.',
      });
    }
  }

  for (const cluster of model.ofType('AWS::ElastiCache::CacheCluster')) {
    const engine = cluster.properties.Engine;
    const nodeCount = literalNumber(cluster.properties.NumCacheNodes);
    // A Redis OSS or Valkey cache cluster outside a replication group always has one node.
    const single = engine === 'redis' || engine === 'valkey' || (engine === 'memcached' && nodeCount === 1);
    if (single) {
      findings.push({
        kind: Kind.SINGLE_NODE_CACHE,
        resource: cluster,
        description: `${named(cluster)} is a ${engine} cache with one node: when the node or its availability zone fails, the cache is unavailable.`,
        fix: engine === 'memcached'
          ? 'Give NumCacheNodes of at least 2 with AZMode cross-az.'
          : 'Use an ElastiCache replication group with a replica in another availability zone and automatic failover.',
      });
    }
  }
  return findings;
}

function nodesPerShard(properties: Record<string, unknown>): number | undefined {
  if (properties.NumCacheClusters !== undefined) {
    return literalNumber(properties.NumCacheClusters);
  }
  if (properties.ReplicasPerNodeGroup !== undefined) {
    const replicas = literalNumber(properties.ReplicasPerNodeGroup);
    return replicas === undefined ? undefined : replicas + 1;
  }
  if (Array.isArray(properties.NodeGroupConfiguration)) {
    const counts = properties.NodeGroupConfiguration.map((group) => (isRecord(group) ? group.ReplicaCount : undefined));
    if (counts.some((count) => count !== undefined && literalNumber(count) === undefined)) {
      return undefined;
    }
    return 1 + Math.min(...counts.map((count) => literalNumber(count) ?? 0));
  }
  return 1;
}

/** EFS One Zone file systems, and FSx file systems of a single-AZ deployment type. */
export function singleAzFileSystems(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const fileSystem of model.ofType('AWS::EFS::FileSystem')) {
    // Any AvailabilityZoneName, even a token, makes the file system One Zone.
    if (fileSystem.properties.AvailabilityZoneName !== undefined) {
      findings.push({
        kind: Kind.SINGLE_AZ_FILE_SYSTEM,
        resource: fileSystem,
        description: `${named(fileSystem)} is an EFS One Zone file system: its data is stored in one availability zone, `
          + 'so a failure of that zone makes the data unavailable, or loses it.',
        fix: 'Remove AvailabilityZoneName (oneZone in efs.FileSystem) to store the data across zones.',
      });
    }
  }

  for (const fileSystem of model.ofType('AWS::FSx::FileSystem')) {
    const deploymentType = fsxDeploymentType(fileSystem.properties);
    if (typeof deploymentType === 'string' && (deploymentType.startsWith('SINGLE_AZ') || deploymentType === 'LUSTRE')) {
      findings.push({
        kind: Kind.SINGLE_AZ_FILE_SYSTEM,
        resource: fileSystem,
        description: `${named(fileSystem)} is an FSx file system deployed in one availability zone (${deploymentType}): `
          + 'a failure of that zone makes it unavailable.',
        fix: 'Use a Multi-AZ deployment type (MULTI_AZ_1 or MULTI_AZ_2), where the file system type offers one.',
      });
    }
  }
  return findings;
}

/**
 * Returns the deployment type of an FSx file system. Lustre file systems are always in one
 * zone, and Windows File Server defaults to SINGLE_AZ_1 when no deployment type is given.
 */
function fsxDeploymentType(properties: Record<string, unknown>): unknown {
  switch (properties.FileSystemType) {
    case 'LUSTRE':
      return 'LUSTRE';
    case 'WINDOWS':
      return isRecord(properties.WindowsConfiguration) ? properties.WindowsConfiguration.DeploymentType ?? 'SINGLE_AZ_1' : 'SINGLE_AZ_1';
    case 'ONTAP':
      return isRecord(properties.OntapConfiguration) ? properties.OntapConfiguration.DeploymentType : undefined;
    case 'OPENZFS':
      return isRecord(properties.OpenZFSConfiguration) ? properties.OpenZFSConfiguration.DeploymentType : undefined;
    default:
      return undefined;
  }
}

/** True for an absent property or a literal false; a token is taken as true (see the note at the top). */
export function isLiteralFalseOrAbsent(value: unknown): boolean {
  return value === undefined || literalBoolean(value) === false;
}
