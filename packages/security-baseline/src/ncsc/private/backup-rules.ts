import { CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { isIntrinsic, isRecord, listAt, logicalIdOf, propertiesOf, valueAt, wholeNumber } from './template-values';
import { BackupCandidate, backupStatefulTypes, isSelectedForBackup, needsBackup } from '../../private/backup-selection';

/** The tag key and value that select a resource for the organisation backup policy, as `GuardrailPolicy.dailyBackups` sets them by default. */
export const BACKUP_TAG_KEY = 'backup';
export const BACKUP_TAG_VALUE = 'true';

/** The shortest time, in days, that a backup plan may keep a recovery point. */
export const MINIMUM_BACKUP_RETENTION_DAYS = 35;

/**
 * NCSC-P02-BackupCoverage: every stateful resource is backed up by AWS Backup.
 *
 * The stateful types and the selection decision are shared with the resilience check
 * (src/private/backup-selection.ts), so the two never disagree on a resource. A resource is
 * covered when it carries the tag `backup=true`, which the organisation backup policy
 * selects, or when an `AWS::Backup::BackupSelection` in the same stack selects it: by a
 * reference, by an ARN pattern that covers its name, or by tags, with `Conditions` and
 * `NotResources` applied. A tag, condition or ARN known only at deploy time does not count,
 * so the resource is a finding.
 */
export function BackupCoverage(node: CfnResource): NagRuleResult {
  if (!backupStatefulTypes().includes(node.cfnResourceType)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const candidate = candidateOf(node);
  if (candidate === undefined) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const stackResources = stackResourcesOf(node);
  if (!needsBackup(candidate, stackResources)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }

  const selections = stackResources
    .filter((resource) => resource.type === 'AWS::Backup::BackupSelection')
    .map((resource) => resource.properties.BackupSelection)
    .filter((selection) => selection !== undefined);
  return isSelectedForBackup(candidate, { key: BACKUP_TAG_KEY, values: [BACKUP_TAG_VALUE] }, selections)
    ? NagRuleCompliance.COMPLIANT
    : NagRuleCompliance.NON_COMPLIANT;
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

/** Reads a resource as it appears in the template, or undefined when it is left out of the template. */
function candidateOf(node: CfnResource): BackupCandidate | undefined {
  const properties = propertiesOf(node);
  return properties === undefined ? undefined : { logicalId: logicalIdOf(node), type: node.cfnResourceType, properties };
}

/** Returns the resources of the node's own stack that the decision reads: selections and volume attachments. */
function stackResourcesOf(node: CfnResource): BackupCandidate[] {
  const stack = Stack.of(node);
  return stack.node.findAll()
    .filter((child): child is CfnResource => CfnResource.isCfnResource(child)
      && (child.cfnResourceType === 'AWS::Backup::BackupSelection' || child.cfnResourceType === 'AWS::EC2::VolumeAttachment')
      && Stack.of(child) === stack)
    .map(candidateOf)
    .filter((candidate): candidate is BackupCandidate => candidate !== undefined);
}
