import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { isDeepStrictEqual } from 'util';
import { DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES } from './support/key-policy';

/*
 * Checks on the committed snapshots of the integration tests, for properties that the
 * integration test code sets rather than the constructs: the unit tests of each construct
 * cover what the construct itself does.
 */

interface Resource {
  readonly Type: string;
  readonly Properties?: {
    readonly AlarmActions?: unknown[];
    readonly KeyPolicy?: { readonly Statement?: unknown[] };
  };
}

/** Returns every resource of a given type in the snapshot templates, named `<snapshot>/<template> <logical ID>`. */
function snapshotResources(type: string): Array<[string, Resource]> {
  const found: Array<[string, Resource]> = [];
  for (const snapshot of readdirSync(__dirname).filter((name) => name.endsWith('.ts.snapshot')).sort()) {
    for (const file of readdirSync(join(__dirname, snapshot)).filter((name) => name.endsWith('.template.json')).sort()) {
      const template = JSON.parse(readFileSync(join(__dirname, snapshot, file), 'utf8'));
      for (const [logicalId, resource] of Object.entries<Resource>(template.Resources ?? {})) {
        if (resource.Type === type) {
          found.push([`${snapshot}/${file} ${logicalId}`, resource]);
        }
      }
    }
  }
  return found;
}

describe('integration test snapshots', () => {
  test('every alarm notifies someone', () => {
    const alarms = snapshotResources('AWS::CloudWatch::Alarm');

    expect(alarms.length).toBeGreaterThan(0);
    const alarmsWithoutAction = alarms.filter(([, alarm]) => (alarm.Properties?.AlarmActions ?? []).length === 0).map(([name]) => name);
    expect(alarmsWithoutAction).toEqual([]);
  });

  test('every key lets only AWS services create grants', () => {
    const keys = snapshotResources('AWS::KMS::Key');

    expect(keys.length).toBeGreaterThan(0);
    const keysWithoutStatement = keys
      .filter(([, key]) => !(key.Properties?.KeyPolicy?.Statement ?? []).some(
        (statement) => isDeepStrictEqual(statement, DENY_GRANTS_EXCEPT_FOR_AWS_RESOURCES)))
      .map(([name]) => name);
    expect(keysWithoutStatement).toEqual([]);
  });
});
