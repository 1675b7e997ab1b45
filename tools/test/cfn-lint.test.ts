import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { lintTemplates } from '../cfn-lint';

// Each call starts cfn-lint, which takes seconds on a loaded machine.
jest.setTimeout(60_000);

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

  test('clean template has no findings', async () => {
    const clean = writeTemplate('clean.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } });

    const counts = (await lintTemplates([clean])).get(clean)!;

    expect(counts).toEqual({ errors: 0, warnings: 0, informational: 0, findings: [] });
  });

  test('invalid property counts as an error of its own template', async () => {
    const clean = writeTemplate('clean.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } });
    const broken = writeTemplate('broken.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: { NoSuchProperty: 'x' } } });

    const results = await lintTemplates([clean, broken]);

    expect(results.get(clean)!.errors).toBe(0);
    expect(results.get(broken)!.errors).toBe(1);
    expect(results.get(broken)!.findings[0]).toMatch(/^Error E3002 at Resources\/Topic\/Properties/);
  });

  test('findings are the same in one process and in several', async () => {
    const templates = ['a', 'b', 'c'].map((name) => writeTemplate(`${name}.template.json`, {
      Topic: { Type: 'AWS::SNS::Topic', Properties: name === 'b' ? { NoSuchProperty: 'x' } : {} },
    }));

    const oneProcess = await lintTemplates(templates, 1);
    const threeProcesses = await lintTemplates(templates, 3);

    expect(threeProcesses).toEqual(oneProcess);
    expect(threeProcesses.get(templates[1])!.errors).toBe(1);
  });

  test('more processes than templates', async () => {
    const clean = writeTemplate('clean.template.json', { Topic: { Type: 'AWS::SNS::Topic', Properties: {} } });

    const results = await lintTemplates([clean], 8);

    expect(results.get(clean)!.errors).toBe(0);
  });

  test('no templates runs nothing', async () => {
    expect((await lintTemplates([])).size).toBe(0);
  });

  test('template that is not JSON or YAML is an error', async () => {
    const path = join(dir, 'garbage.template.json');
    writeFileSync(path, '{ not json');

    const results = await lintTemplates([path]);

    expect(results.get(path)!.errors).toBeGreaterThan(0);
  });
});
