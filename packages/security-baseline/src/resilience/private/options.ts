import { DEFAULT_BACKUP_TAG_KEY, DEFAULT_BACKUP_TAG_VALUES } from './analysis';
import { PropsValidator, checkList, isConcreteString, isGiven, show } from '../../private/validation';

/*
 * Checks of the backup tag options, shared by ResilienceCheck and ResilienceReport so that both
 * accept and reject the same values.
 */

/** Checks backupTagKey and returns it, or the default when it is not given. */
export function checkTagKey(validator: PropsValidator, value: string | undefined): string {
  if (!isGiven(value)) {
    return DEFAULT_BACKUP_TAG_KEY;
  }
  if (!isConcreteString(value) || value.trim().length === 0) {
    validator.fail(`backupTagKey is ${show(value)}. Give the literal tag key that the backup policy selects by, for example "backup".`);
  }
  return value;
}

/** Checks backupTagValues and returns them, or the default when they are not given. */
export function checkTagValues(validator: PropsValidator, value: string[] | undefined): string[] {
  if (!isGiven(value)) {
    return DEFAULT_BACKUP_TAG_VALUES;
  }
  const list = checkList(validator, 'backupTagValues', value, '["true"]');
  if (list === undefined) {
    return [];
  }
  if (list.length === 0) {
    validator.fail('backupTagValues is empty. Give at least one value, for example ["true"].');
  }
  list.forEach((entry, index) => {
    if (!isConcreteString(entry)) {
      validator.fail(`backupTagValues[${index}] is ${show(entry)}. Give a literal tag value, for example "true".`);
    }
  });
  return list as string[];
}
