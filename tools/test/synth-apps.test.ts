import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { synthesiseApps } from '../synth-apps';

describe('synthesiseApps', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'synth-apps-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** Writes a fake app whose entry point runs `body`; `writeAssembly` makes it write a manifest like a CDK app. */
  function writeApp(name: string, body: string, context: Record<string, unknown> = {}): string {
    const dir = join(root, 'examples', name);
    mkdirSync(join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app: 'node lib/main.js', context }));
    writeFileSync(join(dir, 'lib', 'main.js'), `
      const { mkdirSync, writeFileSync } = require('fs');
      const { join } = require('path');
      function writeAssembly() {
        mkdirSync(process.env.CDK_OUTDIR, { recursive: true });
        writeFileSync(join(process.env.CDK_OUTDIR, 'manifest.json'), process.env.CDK_CONTEXT_JSON);
      }
      ${body}
    `);
    return `examples/${name}`;
  }

  test('apps write assemblies into their own folders with their context', () => {
    const first = writeApp('first', 'writeAssembly();', { tier: 'one' });
    const second = writeApp('second', 'writeAssembly(); process.stdout.write("hello from second\\n");', { tier: 'two' });

    const runs = synthesiseApps(root, [first, second]);

    expect(runs.map((run) => [run.app, run.ok, run.exitCode])).toEqual([[first, true, 0], [second, true, 0]]);
    expect(JSON.parse(readFileSync(join(root, first, 'cdk.out', 'manifest.json'), 'utf8'))).toEqual({ tier: 'one' });
    expect(JSON.parse(readFileSync(join(root, second, 'cdk.out', 'manifest.json'), 'utf8'))).toEqual({ tier: 'two' });
    expect(runs[1].output).toBe('hello from second');
  });

  test('app that throws does not stop the next', () => {
    const broken = writeApp('broken', 'throw new Error("Invalid prop: cidr is 10.0.0.0/33");');
    const healthy = writeApp('healthy', 'writeAssembly();');

    const runs = synthesiseApps(root, [broken, healthy]);

    expect(runs[0].ok).toBe(false);
    expect(runs[0].exitCode).toBe(1);
    expect(runs[0].output).toMatch(/^Error: Invalid prop: cidr is 10\.0\.0\.0\/33/);
    expect(runs[1].ok).toBe(true);
  });

  test('exit code an app sets is its own', () => {
    const failing = writeApp('failing', 'writeAssembly(); process.exitCode = 1;');
    const passing = writeApp('passing', 'writeAssembly();');
    const exitCodeBefore = process.exitCode;

    const runs = synthesiseApps(root, [failing, passing]);

    expect(runs.map((run) => run.exitCode)).toEqual([1, 0]);
    expect(process.exitCode).toBe(exitCodeBefore);
  });

  test('previous assembly is removed first', () => {
    const app = writeApp('stale', '');
    mkdirSync(join(root, app, 'cdk.out'), { recursive: true });
    writeFileSync(join(root, app, 'cdk.out', 'manifest.json'), '{}');

    const [run] = synthesiseApps(root, [app]);

    expect(run.ok).toBe(false);
    expect(existsSync(join(root, app, 'cdk.out'))).toBe(false);
  });

  test('directory and environment are restored', () => {
    const app = writeApp('restore', 'writeAssembly();');
    const directory = process.cwd();
    const outdir = process.env.CDK_OUTDIR;

    synthesiseApps(root, [app]);

    expect(process.cwd()).toBe(directory);
    expect(process.env.CDK_OUTDIR).toBe(outdir);
  });
});
