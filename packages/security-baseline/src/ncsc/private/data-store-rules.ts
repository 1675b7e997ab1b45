import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { derivedOnce, isTrue, listAt, logicalIdOf, propertiesOf, stackIndexOf, tagsOf, valueAt } from './template-values';
import { DataClassification, TaggingStandard } from '../../tagging-standard';

/**
 * The customer managed key check of each data store type. A check returns true only when
 * the rendered properties show encryption with a key that is not AWS managed.
 *
 * These are the resource types that the pack treats as data stores: they keep user data
 * at rest. Log groups are included, because application logs routinely carry personal
 * data. Queues, topics and streams hold data only in transit and are left out.
 * DynamoDB global tables are left out because their tags and keys are set per replica.
 */
const CUSTOMER_KEY_CHECKS: Record<string, (props: Record<string, unknown>) => boolean> = {
  'AWS::S3::Bucket': s3BucketUsesCustomerKey,
  'AWS::RDS::DBInstance': (p) => isTrue(p.StorageEncrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::RDS::DBCluster': (p) => isTrue(p.StorageEncrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::DocDB::DBCluster': (p) => isTrue(p.StorageEncrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::Neptune::DBCluster': (p) => isTrue(p.StorageEncrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::DynamoDB::Table': (p) => isTrue(valueAt(p, 'SSESpecification', 'SSEEnabled'))
    && isCustomerKey(valueAt(p, 'SSESpecification', 'KMSMasterKeyId')),
  'AWS::EFS::FileSystem': (p) => isTrue(p.Encrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::EC2::Volume': (p) => isTrue(p.Encrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::Backup::BackupVault': (p) => isCustomerKey(p.EncryptionKeyArn),
  'AWS::ElastiCache::ReplicationGroup': (p) => isTrue(p.AtRestEncryptionEnabled) && isCustomerKey(p.KmsKeyId),
  'AWS::ElastiCache::ServerlessCache': (p) => isCustomerKey(p.KmsKeyId),
  // A standalone cache cluster cannot be encrypted at rest: a replication group can.
  'AWS::ElastiCache::CacheCluster': () => false,
  'AWS::OpenSearchService::Domain': openSearchUsesCustomerKey,
  'AWS::Elasticsearch::Domain': openSearchUsesCustomerKey,
  'AWS::Redshift::Cluster': (p) => isTrue(p.Encrypted) && isCustomerKey(p.KmsKeyId),
  'AWS::Logs::LogGroup': (p) => isCustomerKey(p.KmsKeyId),
};

/** Returns the CloudFormation types that the pack treats as data stores. */
export function dataStoreTypes(): string[] {
  return Object.keys(CUSTOMER_KEY_CHECKS);
}

const CLASSIFICATIONS: string[] = Object.values(DataClassification);

/**
 * NCSC-P02-DataStoreClassified: every data store carries a `DataClassification` tag with a
 * value of `DataClassification`.
 *
 * A tag value, or the whole tag property, known only at deploy time is a finding: the
 * classification must be visible in the template for the report to evidence it.
 */
export function DataStoreClassified(node: CfnResource): NagRuleResult {
  if (!isDataStore(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const reading = tagsOf(node);
  if (reading.status === 'notSynthesized') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (reading.status === 'unsupported') {
    throw new Error(`The tags of ${node.node.path} cannot be read with this version of aws-cdk-lib.`);
  }
  const value = reading.tags.get(TaggingStandard.DATA_CLASSIFICATION_KEY);
  return reading.status === 'read' && value !== undefined && CLASSIFICATIONS.includes(value)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
}

/**
 * NCSC-P02-SensitiveDataCustomerKey: a data store classified OFFICIAL-SENSITIVE is
 * encrypted at rest with a customer managed KMS key.
 *
 * Not applicable to a data store with any other classification, or whose classification
 * cannot be read (NCSC-P02-DataStoreClassified reports that). A key given as a reference
 * (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`) counts as customer managed; a key whose text
 * names an `alias/aws/` alias is AWS managed. An encryption setting known only at deploy
 * time is a finding, because the check cannot see a key in it.
 *
 * A bucket that another bucket in the stack sends its S3 server access logs to is not
 * applicable: S3 delivers those logs only to a bucket encrypted with SSE-S3. A bucket that
 * sends its access logs only to itself is judged on its key like any other, because it
 * contains its own OFFICIAL-SENSITIVE data, and its own logs are no reason to exempt it.
 * NOTE: buckets that receive Elastic Load Balancing access logs have the same limit but
 * are not recognised; suppress their finding with that reason.
 */
export function SensitiveDataCustomerKey(node: CfnResource): NagRuleResult {
  const check = CUSTOMER_KEY_CHECKS[node.cfnResourceType];
  if (check === undefined || !isDataStore(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const reading = tagsOf(node);
  if (reading.status !== 'read'
    || reading.tags.get(TaggingStandard.DATA_CLASSIFICATION_KEY) !== DataClassification.OFFICIAL_SENSITIVE) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props === undefined || receivesServerAccessLogs(node, props)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  return check(props) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/**
 * Tests whether a resource is a data store in its own right. A DB instance that belongs to
 * an Aurora cluster keeps no data of its own: the cluster is the data store.
 */
export function isDataStore(node: CfnResource): boolean {
  if (!(node.cfnResourceType in CUSTOMER_KEY_CHECKS)) {
    return false;
  }
  if (node.cfnResourceType === 'AWS::RDS::DBInstance') {
    const props = propertiesOf(node);
    return props !== undefined && props.DBClusterIdentifier === undefined;
  }
  return true;
}

/**
 * Tests whether a bucket is the destination of the server access logs of another bucket in
 * its stack, named by a reference to it or by its literal name.
 */
function receivesServerAccessLogs(node: CfnResource, props: Record<string, unknown>): boolean {
  if (node.cfnResourceType !== 'AWS::S3::Bucket') {
    return false;
  }
  const destinations = accessLogDestinations(node);
  const name = props.BucketName;
  const senders = [
    ...(destinations.byReference.get(logicalIdOf(node)) ?? []),
    ...(typeof name === 'string' ? destinations.byName.get(name) ?? [] : []),
  ];
  return senders.some((sender) => sender !== node);
}

/** The buckets of a stack that send server access logs, by the destination they name. */
interface AccessLogDestinations {
  /** Senders by the logical ID that their destination refers to. */
  readonly byReference: Map<string, CfnResource[]>;
  /** Senders by the literal bucket name of their destination. */
  readonly byName: Map<string, CfnResource[]>;
}

/** Reads the logging destination of every bucket in the stack once, rather than once per bucket checked. */
function accessLogDestinations(node: CfnResource): AccessLogDestinations {
  const index = stackIndexOf(node);
  return derivedOnce(index, 'accessLogDestinations', () => {
    const byReference = new Map<string, CfnResource[]>();
    const byName = new Map<string, CfnResource[]>();
    const add = (map: Map<string, CfnResource[]>, key: string, sender: CfnResource) =>
      map.set(key, [...(map.get(key) ?? []), sender]);
    for (const bucket of index.byType.get('AWS::S3::Bucket') ?? []) {
      const destination = valueAt(propertiesOf(bucket), 'LoggingConfiguration', 'DestinationBucketName');
      if (typeof destination === 'string') {
        add(byName, destination, bucket);
      } else if (destination !== undefined) {
        // A reference renders as { Ref: id } or { Fn::GetAtt: [id, attribute] }, possibly inside
        // an Fn::Join: every string in it that is a logical ID of the stack counts.
        for (const text of stringsIn(destination)) {
          if (index.byLogicalId.has(text)) {
            add(byReference, text, bucket);
          }
        }
      }
    }
    return { byReference, byName };
  });
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(stringsIn);
  }
  if (value !== null && typeof value === 'object') {
    return Object.values(value).flatMap(stringsIn);
  }
  return [];
}

/** Tests whether a key is named and is not an `alias/aws/...` alias of an AWS managed key. */
function isCustomerKey(key: unknown): boolean {
  if (key === undefined || key === null || key === '') {
    return false;
  }
  return !JSON.stringify(key).includes('alias/aws/');
}

/** Tests whether every default encryption rule of the bucket uses SSE-KMS (or DSSE-KMS) with a customer managed key. */
function s3BucketUsesCustomerKey(props: Record<string, unknown>): boolean {
  const rules = listAt(valueAt(props, 'BucketEncryption', 'ServerSideEncryptionConfiguration'));
  if (rules === undefined || rules.length === 0) {
    return false;
  }
  return rules.every((rule) => {
    const algorithm = valueAt(rule, 'ServerSideEncryptionByDefault', 'SSEAlgorithm');
    return (algorithm === 'aws:kms' || algorithm === 'aws:kms:dsse')
      && isCustomerKey(valueAt(rule, 'ServerSideEncryptionByDefault', 'KMSMasterKeyID'));
  });
}

function openSearchUsesCustomerKey(props: Record<string, unknown>): boolean {
  return isTrue(valueAt(props, 'EncryptionAtRestOptions', 'Enabled'))
    && isCustomerKey(valueAt(props, 'EncryptionAtRestOptions', 'KmsKeyId'));
}
