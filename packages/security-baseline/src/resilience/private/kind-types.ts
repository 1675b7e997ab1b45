import { backupStatefulTypes } from '../../private/backup-selection';
import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';

/**
 * The resource types that each kind of finding can be on, so that an acknowledgement of a
 * kind that can never apply to a resource is rejected instead of being silently ignored.
 * A finding can be acknowledged on its resource or on a related one (the NAT gateway of a
 * VPC finding, for example), so both are listed.
 */
function typesByKind(): Record<Kind, string[]> {
  // Built on each call, not at import time: this module and the enum's module import each other.
  return {
    [Kind.SINGLE_AZ_DB_INSTANCE]: ['AWS::RDS::DBInstance'],
    [Kind.SINGLE_INSTANCE_DB_CLUSTER]: ['AWS::RDS::DBCluster', 'AWS::DocDB::DBCluster', 'AWS::Neptune::DBCluster'],
    [Kind.SINGLE_NAT_GATEWAY]: ['AWS::EC2::VPC', 'AWS::EC2::NatGateway', 'AWS::EC2::Subnet'],
    [Kind.SINGLE_INSTANCE_AUTO_SCALING_GROUP]: ['AWS::AutoScaling::AutoScalingGroup'],
    [Kind.SINGLE_AZ_AUTO_SCALING_GROUP]: ['AWS::AutoScaling::AutoScalingGroup'],
    [Kind.SINGLE_AZ_DIRECTORY]: ['AWS::DirectoryService::MicrosoftAD', 'AWS::DirectoryService::SimpleAD'],
    [Kind.SIMPLE_AD_DIRECTORY]: ['AWS::DirectoryService::SimpleAD'],
    [Kind.SINGLE_VPN_CONNECTION]: ['AWS::EC2::VPNConnection'],
    [Kind.SINGLE_CUSTOMER_GATEWAY]: ['AWS::EC2::CustomerGateway', 'AWS::EC2::VPNConnection'],
    [Kind.SINGLE_DIRECT_CONNECT_CONNECTION]: [
      'AWS::DirectConnect::PrivateVirtualInterface',
      'AWS::DirectConnect::TransitVirtualInterface',
      'AWS::DirectConnect::PublicVirtualInterface',
      'AWS::DirectConnect::DirectConnectGateway',
      'AWS::EC2::VPNGateway',
    ],
    [Kind.NO_VERSIONING]: ['AWS::S3::Bucket'],
    [Kind.NO_BACKUP]: backupStatefulTypes(),
    [Kind.SINGLE_NODE_CACHE]: ['AWS::ElastiCache::ReplicationGroup', 'AWS::ElastiCache::CacheCluster'],
    [Kind.NO_CACHE_FAILOVER]: ['AWS::ElastiCache::ReplicationGroup'],
    [Kind.SINGLE_AZ_FILE_SYSTEM]: ['AWS::EFS::FileSystem', 'AWS::FSx::FileSystem'],
    [Kind.SINGLE_AZ_LOAD_BALANCER]: ['AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::ElasticLoadBalancing::LoadBalancer'],
    [Kind.SINGLE_AZ_NETWORK_FIREWALL]: ['AWS::NetworkFirewall::Firewall'],
    [Kind.STANDALONE_INSTANCE]: ['AWS::EC2::Instance'],
    [Kind.SINGLE_AZ_SEARCH_DOMAIN]: ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'],
    [Kind.SINGLE_INSTANCE_BROKER]: ['AWS::AmazonMQ::Broker'],
    [Kind.SINGLE_NODE_REDSHIFT_CLUSTER]: ['AWS::Redshift::Cluster'],
  };
}

/** Tests whether a kind of finding can be on a resource of the type. */
export function kindAppliesTo(kind: Kind, resourceType: string): boolean {
  return typesByKind()[kind].includes(resourceType);
}

/** Returns the enum member names of the kinds that can be on a resource of the type. */
export function kindsFor(resourceType: string): string[] {
  const types = typesByKind();
  return Object.entries(Kind)
    .filter(([, value]) => types[value].includes(resourceType))
    .map(([name]) => `SinglePointOfFailureKind.${name}`);
}
