/**
 * The one decision, shared by the NCSC backup rule and the resilience check, of whether a
 * stateful resource is selected for backup: by the organisation backup policy's tag, or by an
 * `AWS::Backup::BackupSelection` in its stack.
 *
 * Both callers read the resource as it appears in the template (type, logical ID and rendered
 * properties), so that they agree on every resource.
 *
 * Anything the template cannot show is decided conservatively: a tag value, tag condition or
 * ARN known only at deploy time never counts as selecting the resource, and a `NotResources`
 * entry known only at deploy time counts as excluding it. A resource that may be unprotected
 * is reported; the owner can then make the selection visible, or suppress or acknowledge the
 * finding with the reason.
 */

/** A resource as the backup decision reads it from the template. */
export interface BackupCandidate {
  readonly logicalId: string;
  /** The CloudFormation type, for example `AWS::DynamoDB::Table`. */
  readonly type: string;
  /** The rendered properties, with tokens resolved to CloudFormation functions. */
  readonly properties: Record<string, unknown>;
}

/** The tag that the organisation backup policy selects resources by. */
export interface BackupTag {
  readonly key: string;
  /** The values of the tag that select a resource. */
  readonly values: readonly string[];
}

/** A tag of a resource. The value is undefined when it is known only at deploy time. */
export interface CandidateTag {
  readonly key: string;
  readonly value: string | undefined;
}

/** The shape of a stateful type's ARN after `arn:<partition>:`, and the property that contains a literal name. */
interface ArnShape {
  readonly service: string;
  /** The start of the resource part of the ARN, before the name or ID. */
  readonly resourcePrefix: string;
  readonly nameProperty?: string;
}

/**
 * The stateful types that must be backed up, with the shape of their ARNs.
 *
 * S3 buckets are left out: the platform protects them with versioning and replication.
 * ElastiCache, OpenSearch Service and Redshift keep their own automated snapshots.
 * DocumentDB and Neptune clusters have ARNs of the `rds` service, as AWS Backup names them.
 */
const STATEFUL_TYPES: Record<string, ArnShape> = {
  'AWS::RDS::DBInstance': { service: 'rds', resourcePrefix: 'db:', nameProperty: 'DBInstanceIdentifier' },
  'AWS::RDS::DBCluster': { service: 'rds', resourcePrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::DocDB::DBCluster': { service: 'rds', resourcePrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::Neptune::DBCluster': { service: 'rds', resourcePrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::DynamoDB::Table': { service: 'dynamodb', resourcePrefix: 'table/', nameProperty: 'TableName' },
  'AWS::DynamoDB::GlobalTable': { service: 'dynamodb', resourcePrefix: 'table/', nameProperty: 'TableName' },
  'AWS::EFS::FileSystem': { service: 'elasticfilesystem', resourcePrefix: 'file-system/' },
  'AWS::EC2::Volume': { service: 'ec2', resourcePrefix: 'volume/' },
  'AWS::EC2::Instance': { service: 'ec2', resourcePrefix: 'instance/' },
  'AWS::FSx::FileSystem': { service: 'fsx', resourcePrefix: 'file-system/' },
};

/** Returns the CloudFormation types that hold data a backup must protect. */
export function backupStatefulTypes(): string[] {
  return Object.keys(STATEFUL_TYPES);
}

/**
 * Tests whether a resource stores data that a backup must protect.
 *
 * A DB instance of a cluster is backed up with the cluster. An EC2 instance counts when it
 * has block devices of its own (`BlockDeviceMappings` with EBS, or `Volumes`) or a volume
 * attachment in the stack: an instance with only its image's root volume is rebuilt from the
 * image, not restored.
 *
 * @param stackResources the other resources of the resource's stack, to find volume attachments
 */
export function needsBackup(candidate: BackupCandidate, stackResources: readonly BackupCandidate[]): boolean {
  if (!(candidate.type in STATEFUL_TYPES)) {
    return false;
  }
  if (candidate.type === 'AWS::RDS::DBInstance') {
    return candidate.properties.DBClusterIdentifier === undefined;
  }
  if (candidate.type === 'AWS::EC2::Instance') {
    const mappings = candidate.properties.BlockDeviceMappings;
    const hasEbs = Array.isArray(mappings) && mappings.some((mapping) => isRecord(mapping) && mapping.Ebs !== undefined);
    const hasVolumes = Array.isArray(candidate.properties.Volumes) && candidate.properties.Volumes.length > 0;
    const attached = stackResources.some((other) => other.type === 'AWS::EC2::VolumeAttachment'
      && mentions(other.properties.InstanceId, candidate.logicalId));
    return hasEbs || hasVolumes || attached;
  }
  return true;
}

/**
 * Tests whether the backup tag or a backup selection of the stack selects the resource.
 *
 * @param selections the `BackupSelection` property of each `AWS::Backup::BackupSelection` in the stack
 */
export function isSelectedForBackup(candidate: BackupCandidate, tag: BackupTag, selections: readonly unknown[]): boolean {
  return isTaggedForBackup(candidate, tag) || selections.some((selection) => selects(selection, candidate) === true);
}

/**
 * Tests the backup tag. A value known only at deploy time does not count: the template
 * cannot show that it selects the resource.
 */
export function isTaggedForBackup(candidate: BackupCandidate, tag: BackupTag): boolean {
  const tags = candidateTags(candidate);
  return tags !== undefined && tags.some((entry) => entry.key === tag.key && entry.value !== undefined && tag.values.includes(entry.value));
}

/**
 * Returns the tags of a resource from the property where its type keeps them: `Tags` for
 * most types, `FileSystemTags` for EFS, and the replicas' `Tags` for DynamoDB global tables.
 * Both the list form (`[{ Key, Value }]`) and the map form (`{ key: value }`) are read.
 *
 * Returns undefined when a tag property, or a key in it, is known only at deploy time.
 */
export function candidateTags(candidate: BackupCandidate): CandidateTag[] | undefined {
  const properties = candidate.properties;
  const lists: unknown[] = [properties.Tags, properties.FileSystemTags];
  if (Array.isArray(properties.Replicas)) {
    lists.push(...properties.Replicas.map((replica) => (isRecord(replica) ? replica.Tags : undefined)));
  }

  const tags: CandidateTag[] = [];
  for (const list of lists) {
    if (list === undefined) {
      continue;
    }
    if (Array.isArray(list)) {
      for (const entry of list) {
        if (!isRecord(entry) || typeof entry.Key !== 'string') {
          return undefined;
        }
        tags.push({ key: entry.Key, value: literalTagValue(entry.Value) });
      }
    } else if (isRecord(list) && !isFunction(list)) {
      for (const [key, value] of Object.entries(list)) {
        tags.push({ key, value: literalTagValue(value) });
      }
    } else {
      return undefined;
    }
  }
  return tags;
}

/**
 * A decision that the template may not show: true, false, or undefined when only the
 * deployed values can tell. Such decisions combine as in three-valued logic.
 */
type Decision = boolean | undefined;

/**
 * Tests whether one backup selection picks a resource.
 *
 * AWS Backup selects the resources listed in `Resources` that meet every `Conditions`
 * entry, plus those that match any `ListOfTags` entry, minus those in `NotResources`.
 */
function selects(selection: unknown, candidate: BackupCandidate): Decision {
  if (!isRecord(selection)) {
    return undefined;
  }
  const excluded = any(asList(selection.NotResources).map((entry) => arnEntryNames(entry, candidate)));
  const byTags = any(asList(selection.ListOfTags).map((condition) => (isRecord(condition)
    ? tagConditionHolds(candidate, 'STRINGEQUALS', condition.ConditionKey, condition.ConditionValue)
    : undefined)));
  const listed = any(asList(selection.Resources).map((entry) => arnEntryNames(entry, candidate)));
  return and(or(byTags, and(listed, conditionsHold(selection.Conditions, candidate))), not(excluded));
}

/** Tests every entry of `Conditions`, whose keys are operators such as `StringEquals`. */
function conditionsHold(conditions: unknown, candidate: BackupCandidate): Decision {
  if (conditions === undefined) {
    return true;
  }
  if (!isRecord(conditions) || isFunction(conditions)) {
    return undefined;
  }
  const results: Decision[] = [];
  for (const [operator, entries] of Object.entries(conditions)) {
    if (!Array.isArray(entries)) {
      results.push(undefined);
      continue;
    }
    for (const entry of entries) {
      const key = isRecord(entry) ? entry.ConditionKey : undefined;
      results.push(typeof key === 'string'
        ? tagConditionHolds(candidate, operator.toUpperCase(), key.replace(/^aws:ResourceTag\//, ''), (entry as Record<string, unknown>).ConditionValue)
        : undefined);
    }
  }
  return all(results);
}

/** Tests one tag condition. A key or value known only at deploy time, on either side, leaves it undecided. */
function tagConditionHolds(candidate: BackupCandidate, operator: string, key: unknown, value: unknown): Decision {
  const tags = candidateTags(candidate);
  if (typeof key !== 'string' || typeof value !== 'string' || tags === undefined) {
    return undefined;
  }
  const tag = tags.find((entry) => entry.key === key);
  if (tag !== undefined && tag.value === undefined) {
    return undefined;
  }
  const matches = tag !== undefined && (operator.includes('LIKE') ? globMatches(value, tag.value!) : tag.value === value);
  return operator.includes('NOT') ? !matches : matches;
}

/**
 * Tests whether an entry of `Resources` or `NotResources` names the resource.
 *
 * A reference to the resource (`Ref`, `Fn::GetAtt`, or an `Fn::Join` around one) names it,
 * and a reference to another resource does not. A literal ARN pattern names it when its
 * service matches and its resource part covers the resource's literal name; when the name
 * is not a literal, only a pattern that covers every name of the type names it, so a narrowed
 * pattern such as `table/other-app-*` does not. The partition, region and account of a
 * pattern are not compared: a selection only ever selects in its own account and region.
 * Any other value, such as `Fn::ImportValue`, is undecided.
 */
function arnEntryNames(entry: unknown, candidate: BackupCandidate): Decision {
  if (mentions(entry, candidate.logicalId)) {
    return true;
  }
  const pattern = literalArnPattern(entry);
  if (pattern === undefined) {
    return referencesAnyResource(entry) ? false : undefined;
  }
  if (pattern === '*') {
    return true;
  }
  const shape = STATEFUL_TYPES[candidate.type];
  const parts = pattern.split(':');
  if (shape === undefined || parts.length < 6 || !globMatches(parts[2], shape.service)) {
    return false;
  }
  const name = shape.nameProperty !== undefined ? candidate.properties[shape.nameProperty] : undefined;
  // The unknown name is a character that no ARN contains, so only a wildcard matches it.
  const resourcePart = `${shape.resourcePrefix}${typeof name === 'string' ? name : '\u0001'}`;
  return globMatches(parts.slice(5).join(':'), resourcePart);
}

/**
 * Returns the text of an ARN pattern, when it is a literal or an `Fn::Join` of literals and
 * pseudo parameters. Pseudo parameters become `*`: they stand for this stack's partition,
 * region and account.
 */
function literalArnPattern(entry: unknown): string | undefined {
  if (typeof entry === 'string') {
    return entry;
  }
  if (!isRecord(entry) || !Array.isArray(entry['Fn::Join'])) {
    return undefined;
  }
  const [separator, parts] = entry['Fn::Join'] as unknown[];
  if (typeof separator !== 'string' || !Array.isArray(parts)) {
    return undefined;
  }
  const texts: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      texts.push(part);
    } else if (isRecord(part) && typeof part.Ref === 'string' && part.Ref.startsWith('AWS::')) {
      texts.push('*');
    } else {
      return undefined;
    }
  }
  return texts.join(separator);
}

/** Returns the logical ID in `{ Ref: id }` or `{ "Fn::GetAtt": [id, attribute] }`, or undefined. */
export function referencedLogicalId(value: unknown): string | undefined {
  if (!isRecord(value)) {
    return undefined;
  }
  if (typeof value.Ref === 'string' && !value.Ref.startsWith('AWS::')) {
    return value.Ref;
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
    return getAtt[0];
  }
  if (typeof getAtt === 'string') {
    return getAtt.split('.')[0];
  }
  return undefined;
}

/** Tests whether a value mentions a resource through `Ref` or `Fn::GetAtt`, at any depth. */
function mentions(value: unknown, logicalId: string): boolean {
  if (referencedLogicalId(value) === logicalId) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some((item) => mentions(item, logicalId));
  }
  return isRecord(value) && Object.values(value).some((item) => mentions(item, logicalId));
}

function referencesAnyResource(value: unknown): boolean {
  if (referencedLogicalId(value) !== undefined) {
    return true;
  }
  if (Array.isArray(value)) {
    return value.some(referencesAnyResource);
  }
  return isRecord(value) && Object.values(value).some(referencesAnyResource);
}

function globMatches(pattern: string, value: string): boolean {
  const expression = pattern.split('').map((character) => {
    if (character === '*') {
      return '.*';
    }
    if (character === '?') {
      return '.';
    }
    return character.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }).join('');
  return new RegExp(`^${expression}$`, 's').test(value);
}

/** A literal tag value; numbers and booleans are written as text in the deployed tag. */
function literalTagValue(value: unknown): string | undefined {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

function or(a: Decision, b: Decision): Decision {
  if (a === true || b === true) {
    return true;
  }
  return a === false && b === false ? false : undefined;
}

function and(a: Decision, b: Decision): Decision {
  if (a === false || b === false) {
    return false;
  }
  return a === true && b === true ? true : undefined;
}

function not(a: Decision): Decision {
  return a === undefined ? undefined : !a;
}

function any(decisions: Decision[]): Decision {
  return decisions.reduce<Decision>(or, false);
}

function all(decisions: Decision[]): Decision {
  return decisions.reduce<Decision>(and, true);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isFunction(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
