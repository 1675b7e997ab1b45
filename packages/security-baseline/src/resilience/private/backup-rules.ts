import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';
import { RuleFinding, named } from './finding';
import { TemplateModel, TemplateResource, isRecord, mentions, tagsOf } from './template-model';

/** The tag that the platform's organisation backup policy selects resources by. */
export interface BackupSelectionTags {
  /** The tag key that the backup policy selects by. */
  readonly tagKey: string;
  /** The values of the tag that select a resource. */
  readonly tagValues: string[];
}

/** The shape of a stateful type's ARN after `arn:<partition>:`, and the property that contains a literal name. */
interface ArnShape {
  readonly service: string;
  /** The start of the resource part of the ARN, before the name or ID. */
  readonly resourcePrefix: string;
  readonly nameProperty?: string;
}

const STATEFUL_TYPES: Record<string, ArnShape> = {
  'AWS::RDS::DBInstance': { service: 'rds', resourcePrefix: 'db:', nameProperty: 'DBInstanceIdentifier' },
  'AWS::RDS::DBCluster': { service: 'rds', resourcePrefix: 'cluster:', nameProperty: 'DBClusterIdentifier' },
  'AWS::DynamoDB::Table': { service: 'dynamodb', resourcePrefix: 'table/', nameProperty: 'TableName' },
  'AWS::DynamoDB::GlobalTable': { service: 'dynamodb', resourcePrefix: 'table/', nameProperty: 'TableName' },
  'AWS::EFS::FileSystem': { service: 'elasticfilesystem', resourcePrefix: 'file-system/' },
  'AWS::EC2::Volume': { service: 'ec2', resourcePrefix: 'volume/' },
  'AWS::EC2::Instance': { service: 'ec2', resourcePrefix: 'instance/' },
  'AWS::FSx::FileSystem': { service: 'fsx', resourcePrefix: 'file-system/' },
};

/**
 * Stateful resources that neither carry the backup tag nor are selected by an
 * `AWS::Backup::BackupSelection` of the same template.
 *
 * A backup plan in another stack, or one that selects by ARN patterns built at deploy time,
 * is not seen: tag the resource, or acknowledge the finding naming that plan.
 */
export function resourcesWithoutBackup(model: TemplateModel, selectionTags: BackupSelectionTags): RuleFinding[] {
  const selections = model.ofType('AWS::Backup::BackupSelection')
    .map((selection) => selection.properties.BackupSelection)
    .filter(isRecord);

  return model.resources
    .filter((resource) => isStateful(model, resource))
    .filter((resource) => !isTaggedForBackup(resource, selectionTags))
    .filter((resource) => !selections.some((selection) => selects(selection, resource)))
    .map((resource) => ({
      kind: Kind.NO_BACKUP,
      resource,
      description: `${named(resource)} stores data but no backup plan selects it: it has no "${selectionTags.tagKey}" tag `
        + `with the value ${selectionTags.tagValues.map((value) => `"${value}"`).join(' or ')}, and no AWS Backup selection `
        + 'in its stack names it, so lost or corrupted data cannot be restored from AWS Backup.',
      fix: `Tag the resource ${selectionTags.tagKey}=${selectionTags.tagValues[0] ?? 'true'} so that the organisation backup policy `
        + 'selects it, or add it to an AWS Backup plan.',
    }));
}

/**
 * Tests whether a resource stores data that a backup would protect.
 *
 * DB instances of a cluster are backed up with the cluster. An EC2 instance counts when it
 * has block devices of its own (`BlockDeviceMappings` with EBS, `Volumes`) or a volume
 * attachment: an instance with only its image's root volume is taken to be rebuilt from
 * the image, not restored.
 */
function isStateful(model: TemplateModel, resource: TemplateResource): boolean {
  if (!(resource.type in STATEFUL_TYPES)) {
    return false;
  }
  if (resource.type === 'AWS::RDS::DBInstance') {
    return resource.properties.DBClusterIdentifier === undefined;
  }
  if (resource.type === 'AWS::EC2::Instance') {
    const mappings = resource.properties.BlockDeviceMappings;
    const hasEbs = Array.isArray(mappings) && mappings.some((mapping) => isRecord(mapping) && mapping.Ebs !== undefined);
    const hasVolumes = Array.isArray(resource.properties.Volumes) && resource.properties.Volumes.length > 0;
    const attached = model.ofType('AWS::EC2::VolumeAttachment')
      .some((attachment) => mentions(attachment.properties.InstanceId, resource.logicalId));
    return hasEbs || hasVolumes || attached;
  }
  return true;
}

/** Tests the backup tag. A tag value that is a token is taken to select the resource, because the template cannot show it. */
function isTaggedForBackup(resource: TemplateResource, selectionTags: BackupSelectionTags): boolean {
  return tagsOf(resource).some((tag) => tag.key === selectionTags.tagKey
    && (tag.value === undefined || selectionTags.tagValues.includes(tag.value)));
}

/**
 * Tests whether a backup selection picks a resource.
 *
 * AWS Backup selects the resources listed in `Resources` that meet every `Conditions` entry,
 * plus those that match any `ListOfTags` entry, minus `NotResources`.
 */
function selects(selection: Record<string, unknown>, resource: TemplateResource): boolean {
  const excluded = asList(selection.NotResources).some((entry) => arnEntryMatches(entry, resource));
  if (excluded) {
    return false;
  }
  const byTags = asList(selection.ListOfTags).some((condition) => isRecord(condition)
    && tagConditionHolds(resource, 'STRINGEQUALS', condition.ConditionKey, condition.ConditionValue));
  const listed = asList(selection.Resources).some((entry) => arnEntryMatches(entry, resource));
  return byTags || (listed && conditionsHold(selection.Conditions, resource));
}

function conditionsHold(conditions: unknown, resource: TemplateResource): boolean {
  if (!isRecord(conditions)) {
    return true;
  }
  return Object.entries(conditions).every(([operator, entries]) => asList(entries).every((entry) => {
    if (!isRecord(entry) || typeof entry.ConditionKey !== 'string') {
      return true;
    }
    const tagKey = entry.ConditionKey.replace(/^aws:ResourceTag\//, '');
    return tagConditionHolds(resource, operator.toUpperCase(), tagKey, entry.ConditionValue);
  }));
}

/**
 * Tests one tag condition against the resource's tags. A key or value that is not a literal
 * string is taken to hold, because the template cannot tell.
 */
function tagConditionHolds(resource: TemplateResource, operator: string, key: unknown, value: unknown): boolean {
  if (typeof key !== 'string' || typeof value !== 'string') {
    return true;
  }
  const tag = tagsOf(resource).find((candidate) => candidate.key === key);
  if (tag !== undefined && tag.value === undefined) {
    return true;
  }
  const like = operator.includes('LIKE');
  const equal = tag !== undefined && (like ? globMatches(value, tag.value!) : tag.value === value);
  return operator.includes('NOT') ? !equal : equal;
}

/**
 * Tests whether an entry of `Resources` or `NotResources` names the resource.
 *
 * Three forms name it: `*`; a value that refers to the resource (`Ref`, `Fn::GetAtt`, or an
 * `Fn::Join` around one); and a literal ARN pattern of the resource's service whose wildcard
 * covers the resource's name. When the name is not a literal in the template, only a pattern
 * that covers every name of the type counts.
 */
function arnEntryMatches(entry: unknown, resource: TemplateResource): boolean {
  if (mentions(entry, resource.logicalId)) {
    return true;
  }
  const pattern = literalArnPattern(entry);
  if (pattern === undefined) {
    return false;
  }
  if (pattern === '*') {
    return true;
  }
  const shape = STATEFUL_TYPES[resource.type];
  const parts = pattern.split(':');
  if (parts.length < 6 || !globMatches(parts[2], shape.service)) {
    return false;
  }
  const name = shape.nameProperty !== undefined ? resource.properties[shape.nameProperty] : undefined;
  // The unknown name is a character no ARN holds, so only a wildcard can match it.
  const resourcePart = `${shape.resourcePrefix}${typeof name === 'string' ? name : '\u0001'}`;
  return globMatches(parts.slice(5).join(':'), resourcePart);
}

/**
 * Returns the text of an ARN pattern, when it is a literal or an `Fn::Join` of literals and
 * pseudo parameters. Pseudo parameters become `*`, because they stand for this stack's partition,
 * region and account. Anything else gives undefined.
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

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
