import { BackupCandidate, isSelectedForBackup, needsBackup } from '../../private/backup-selection';
import { SinglePointOfFailureKind as Kind } from '../single-point-of-failure';
import { RuleFinding, named } from './finding';
import { TemplateModel } from './template-model';

/** The tag that the platform's organisation backup policy selects resources by. */
export interface BackupSelectionTags {
  /** The tag key that the backup policy selects by. */
  readonly tagKey: string;
  /** The values of the tag that select a resource. */
  readonly tagValues: string[];
}

/**
 * Stateful resources that neither carry the backup tag nor are selected by an
 * `AWS::Backup::BackupSelection` of the same template.
 *
 * The decision is the one the NCSC backup rule makes (src/private/backup-selection.ts): a
 * tag value, tag condition or ARN known only at deploy time does not count as selecting the
 * resource. A backup plan in another stack is not seen either: tag the resource, or
 * acknowledge the finding naming that plan.
 */
export function resourcesWithoutBackup(model: TemplateModel, selectionTags: BackupSelectionTags): RuleFinding[] {
  const selections = model.ofType('AWS::Backup::BackupSelection').map((selection) => selection.properties.BackupSelection);
  const tag = { key: selectionTags.tagKey, values: selectionTags.tagValues };
  const candidates: BackupCandidate[] = model.resources;

  return model.resources
    .filter((resource) => needsBackup(resource, candidates))
    .filter((resource) => !isSelectedForBackup(resource, tag, selections.filter((selection) => selection !== undefined)))
    .map((resource) => ({
      kind: Kind.NO_BACKUP,
      resource,
      description: `${named(resource)} stores data but no backup plan selects it: it has no "${selectionTags.tagKey}" tag `
        + `with the value ${selectionTags.tagValues.map((value) => `"${value}"`).join(' or ')} written in the template, and no AWS Backup `
        + 'selection in its stack names it, so lost or corrupted data cannot be restored from AWS Backup.',
      fix: `Tag the resource ${selectionTags.tagKey}=${selectionTags.tagValues[0] ?? 'true'} with a literal value so that the organisation `
        + 'backup policy selects it, or add it to an AWS Backup plan.',
    }));
}
