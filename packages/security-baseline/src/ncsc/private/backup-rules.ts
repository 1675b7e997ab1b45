import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isDataStore } from './data-store-rules';
import { isIntrinsic, isRecord, listAt, logicalIdOf, propertiesOf, tagsOf, valueAt, wholeNumber } from './template-values';
import { TagValues } from '../../private/tags';

/** The tag key and value that select a resource for the organisation backup policy, as `GuardrailPolicy.dailyBackups` sets them by default. */
export const BACKUP_TAG_KEY = 'backup';
export const BACKUP_TAG_VALUE = 'true';

/** The shortest time, in days, that a backup plan may keep a recovery point. */
export const MINIMUM_BACKUP_RETENTION_DAYS = 35;

/**
 * The stateful types that must be backed up, each with the parts of its ARN that a
 * wildcard ARN in a backup selection names: the service and the resource type.
 *
 * S3 buckets are left out: the platform protects them with versioning and replication.
 * ElastiCache, OpenSearch Service and Redshift keep their own automated snapshots.
 */
const STATEFUL_ARN_PARTS: Record<string, [string, string]> = {
  'AWS::RDS::DBInstance': [':rds:', ':db:'],
  'AWS::RDS::DBCluster': [':rds:', ':cluster:'],
  'AWS::DocDB::DBCluster': [':rds:', ':cluster:'],
  'AWS::Neptune::DBCluster': [':rds:', ':cluster:'],
  'AWS::DynamoDB::Table': [':dynamodb:', ':table/'],
  'AWS::EFS::FileSystem': [':elasticfilesystem:', ':file-system/'],
  'AWS::EC2::Volume': [':ec2:', ':volume/'],
};

/**
 * NCSC-P02-BackupCoverage: every stateful resource is backed up by AWS Backup.
 *
 * A resource is covered when it carries the tag `backup=true`, which the organisation
 * backup policy selects, or when an `AWS::Backup::BackupSelection` in the same stack names
 * it: by a reference to the resource, by a wildcard ARN of its type, or by a tag condition
 * in `ListOfTags` that its tags meet. `NotResources` and `Conditions` are not evaluated,
 * so a selection that narrows them still counts. A tag or selection known only at deploy
 * time does not count, so the resource is a finding.
 */
export function BackupCoverage(node: CfnResource): NagRuleResult {
  const arnParts = STATEFUL_ARN_PARTS[node.cfnResourceType];
  if (arnParts === undefined || !isDataStore(node)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const reading = tagsOf(node);
  if (reading.status === 'notSynthesized') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  if (reading.tags.get(BACKUP_TAG_KEY) === BACKUP_TAG_VALUE) {
    return NagRuleCompliance.COMPLIANT;
  }

  const logicalId = logicalIdOf(node);
  const covered = backupSelectionsOf(node).some((selection) =>
    selectsByResource(selection, logicalId, arnParts) || selectsByTag(selection, reading.tags));
  return covered ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/**
 * NCSC-P02-BackupRetention: every rule of an AWS Backup plan keeps recovery points for at
 * least 35 days. A rule with no lifecycle, or no `DeleteAfterDays`, keeps them until they
 * are deleted by hand and is compliant. A retention known only at deploy time is a finding.
 */
export function BackupRetention(node: CfnResource): NagRuleResult {
  if (node.cfnResourceType !== 'AWS::Backup::BackupPlan') {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const props = propertiesOf(node);
  if (props === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const rules = listAt(valueAt(props, 'BackupPlan', 'BackupPlanRule'));
  if (rules === undefined) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  const longEnough = rules.every((rule) => {
    if (!isRecord(rule) || isIntrinsic(rule)) {
      return false;
    }
    const lifecycle = rule.Lifecycle;
    if (lifecycle === undefined) {
      return true;
    }
    if (!isRecord(lifecycle) || isIntrinsic(lifecycle)) {
      return false;
    }
    if (lifecycle.DeleteAfterDays === undefined) {
      return true;
    }
    const days = wholeNumber(lifecycle.DeleteAfterDays);
    return days !== undefined && days >= MINIMUM_BACKUP_RETENTION_DAYS;
  });
  return longEnough ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
}

/** Returns the rendered `BackupSelection` property of every backup selection in the resource's stack. */
function backupSelectionsOf(node: CfnResource): unknown[] {
  return Stack.of(node).node.findAll()
    .filter((child): child is CfnResource => CfnResource.isCfnResource(child)
      && child.cfnResourceType === 'AWS::Backup::BackupSelection'
      && Stack.of(child) === Stack.of(node))
    .map((selection) => valueAt(propertiesOf(selection), 'BackupSelection'))
    .filter((selection) => selection !== undefined);
}

function selectsByResource(selection: unknown, logicalId: string, [service, resourceType]: [string, string]): boolean {
  const resources = listAt(valueAt(selection, 'Resources')) ?? [];
  return resources.some((entry) => {
    if (typeof entry === 'string') {
      return entry === '*' || (entry.includes('*') && entry.includes(service) && entry.includes(resourceType));
    }
    // A reference renders as { Ref: id } or { Fn::GetAtt: [id, attribute] }, possibly inside an Fn::Join.
    return JSON.stringify(entry).includes(`"${logicalId}"`);
  });
}

function selectsByTag(selection: unknown, tags: TagValues): boolean {
  const conditions = listAt(valueAt(selection, 'ListOfTags')) ?? [];
  return conditions.some((condition) => {
    const key = valueAt(condition, 'ConditionKey');
    const value = valueAt(condition, 'ConditionValue');
    return valueAt(condition, 'ConditionType') === 'STRINGEQUALS'
      && typeof key === 'string' && typeof value === 'string' && tags.get(key) === value;
  });
}
