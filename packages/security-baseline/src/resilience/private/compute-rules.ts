import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';
import { RuleFinding, named } from './finding';
import { TemplateModel, isRecord, literalBoolean, literalNumber } from './template-model';

/*
 * Rules for compute, search and messaging services that run on instances or nodes.
 *
 * As in the other rules, a property that decides a rule but is a token is treated as
 * resilient, so the rule reports nothing for it.
 */

/**
 * EC2 instances defined in the template. Instances of an Auto Scaling group are launched by
 * the group and never appear in a template, so every `AWS::EC2::Instance` is standalone:
 * nothing launches a replacement when it, or its availability zone, fails.
 */
export function standaloneInstances(model: TemplateModel): RuleFinding[] {
  return model.ofType('AWS::EC2::Instance').map((instance) => ({
    kind: Kind.STANDALONE_INSTANCE,
    resource: instance,
    description: `${named(instance)} is an EC2 instance outside any Auto Scaling group: when the instance or its availability `
      + 'zone fails, what it serves stops until someone launches a replacement.',
    fix: 'Run the workload in an Auto Scaling group with instances in at least two availability zones, behind a load balancer '
      + 'where it serves requests.',
  }));
}

/**
 * OpenSearch Service (and Elasticsearch) domains with one data node or without zone
 * awareness. A domain without `InstanceCount` has one data node, and one without
 * `ZoneAwarenessEnabled` is not zone aware, because those are the service's defaults.
 */
export function fragileSearchDomains(model: TemplateModel): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const domain of model.ofType('AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain')) {
    const config = domain.properties.ClusterConfig ?? domain.properties.ElasticsearchClusterConfig;
    if (config !== undefined && !isRecord(config)) {
      continue;
    }
    const instanceCount = config?.InstanceCount === undefined ? 1 : literalNumber(config.InstanceCount);
    const zoneAware = config?.ZoneAwarenessEnabled === undefined ? false : literalBoolean(config.ZoneAwarenessEnabled);
    if (instanceCount !== 1 && zoneAware !== false) {
      continue;
    }
    findings.push({
      kind: Kind.SINGLE_AZ_SEARCH_DOMAIN,
      resource: domain,
      description: instanceCount === 1
        ? `${named(domain)} has one data node: when the node or its availability zone fails, search and indexing stop `
          + 'and the domain is restored from a snapshot.'
        : `${named(domain)} is not zone aware: its data nodes and shard replicas can all be in one availability zone, `
          + 'so a failure of that zone stops search and indexing.',
      fix: 'Give the domain at least two data nodes with zone awareness across two or three availability zones '
        + '(capacity.dataNodes and zoneAwareness in opensearch.Domain), and a replica of each index.',
    });
  }
  return findings;
}

/** Amazon MQ brokers deployed as a single instance. */
export function singleInstanceBrokers(model: TemplateModel): RuleFinding[] {
  return model.ofType('AWS::AmazonMQ::Broker')
    .filter((broker) => broker.properties.DeploymentMode === 'SINGLE_INSTANCE')
    .map((broker) => ({
      kind: Kind.SINGLE_INSTANCE_BROKER,
      resource: broker,
      description: `${named(broker)} is a single-instance broker: when the instance or its availability zone fails, `
        + 'producers and consumers cannot connect until it is restored.',
      fix: 'Set DeploymentMode to ACTIVE_STANDBY_MULTI_AZ for ActiveMQ, or CLUSTER_MULTI_AZ for RabbitMQ.',
    }));
}

/** Amazon Redshift clusters of type single-node, or with one node. */
export function singleNodeRedshiftClusters(model: TemplateModel): RuleFinding[] {
  return model.ofType('AWS::Redshift::Cluster')
    .filter((cluster) => cluster.properties.ClusterType === 'single-node' || literalNumber(cluster.properties.NumberOfNodes) === 1)
    .map((cluster) => ({
      kind: Kind.SINGLE_NODE_REDSHIFT_CLUSTER,
      resource: cluster,
      description: `${named(cluster)} has one node: when the node fails, queries stop and data written since the last `
        + 'snapshot can be lost, because a single node keeps no copy of its data on another node.',
      fix: 'Use ClusterType multi-node with NumberOfNodes of at least 2, and MultiAZ true where the node type offers it.',
    }));
}
