import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { lintTemplates } from '../cfn-lint';

describe('lintTemplates', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lint-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function writeTemplate(name: string, resources: Record<string, unknown>): string {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: resources }));
    return path;
  }

  test('clean template has no findings', () => {
    const clean = writeTemplate('clean.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } });

    const counts = lintTemplates([clean]).get(clean)!;

    expect(counts).toEqual({ errors: 0, warnings: 0, informational: 0, findings: [] });
  });

  test('invalid property counts as an error of its own template', () => {
    const clean = writeTemplate('clean.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } });
    const broken = writeTemplate('broken.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: { NoSuchProperty: 'x' } } });

    const results = lintTemplates([clean, broken]);

    expect(results.get(clean)!.errors).toBe(0);
    expect(results.get(broken)!.errors).toBe(1);
    expect(results.get(broken)!.findings[0]).toMatch(/^Error E3002 at Resources\/Topic\/Properties/);
  });

  test('no templates runs nothing', () => {
    expect(lintTemplates([]).size).toBe(0);
  });
});
