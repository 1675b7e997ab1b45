import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage, aws_dynamodb as dynamodb, aws_s3 as s3 } from 'aws-cdk-lib';
import { ResilienceReport, SinglePointOfFailure, SinglePointOfFailureKind as Kind } from '../../src';
import { main } from '../../src/resilience/cli';
import { writeResilienceReport } from '../../src/resilience/write-report';

const REASON = 'The bucket holds build caches that the pipeline recreates.';
const PROCEDURE = 'Rerun the pipeline:\n1. Start the build job.\n2. Check that the cache is warm after 20 minutes.';

let workdir: string;

beforeEach(() => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilience-report-'));
});

afterEach(() => {
  fs.rmSync(workdir, { recursive: true, force: true });
});

/**
 * Synthesises an app with a bucket acknowledged, a bucket not, and a table without backup
 * (inside a stage), and returns its assembly directory. Path metadata is off, as in the
 * platform's apps, so construct paths come from the assembly's metadata files.
 */
function synthesiseAssembly(): string {
  const outdir = path.join(workdir, 'cdk.out');
  const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': false } });
  const stack = new Stack(app, 'Benefits');
  const cache = new s3.Bucket(stack, 'Cache');
  SinglePointOfFailure.acknowledge(cache, { kind: Kind.NO_VERSIONING, reason: REASON, recoveryProcedure: PROCEDURE });
  new s3.Bucket(stack, 'Uploads', { versioned: false });
  const stage = new Stage(app, 'Data');
  new dynamodb.Table(new Stack(stage, 'Claims'), 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  app.synth();
  return outdir;
}

describe('writeResilienceReport', () => {
  test('returns the counts and the files', () => {
    const assembly = synthesiseAssembly();

    const result = writeResilienceReport({ environment: 'production', assemblyDirs: [assembly], outDir: path.join(workdir, 'reports'), production: true });

    expect(result).toEqual({
      unacknowledgedCount: 2,
      acknowledgedCount: 1,
      passed: false,
      markdownFile: path.join(workdir, 'reports', 'resilience-production.md'),
      jsonFile: path.join(workdir, 'reports', 'resilience-production.json'),
    });
  });

  test('JSON report: counts by kind and construct paths', () => {
    const result = writeResilienceReport({ environment: 'production', assemblyDirs: [synthesiseAssembly()], outDir: workdir, production: true });

    const report = JSON.parse(fs.readFileSync(result.jsonFile, 'utf-8'));

    expect(report.counts).toEqual({
      unacknowledged: 2,
      acknowledged: 1,
      byKind: { NoVersioning: { unacknowledged: 1, acknowledged: 1 }, NoBackup: { unacknowledged: 1, acknowledged: 0 } },
    });
    expect(report.unacknowledged.map((finding: any) => [finding.kind, finding.stackName, finding.constructPath])).toEqual([
      ['NoVersioning', 'Benefits', 'Benefits/Uploads/Resource'],
      ['NoBackup', 'Data-Claims', 'Data/Claims/Table/Resource'],
    ]);
    expect(report.acknowledged[0]).toEqual(expect.objectContaining({
      kind: 'NoVersioning',
      constructPath: 'Benefits/Cache/Resource',
      acknowledgement: { reason: REASON, recoveryProcedure: PROCEDURE },
    }));
  });

  test('Markdown report: findings by kind with recovery procedures', () => {
    const result = writeResilienceReport({ environment: 'production', assemblyDirs: [synthesiseAssembly()], outDir: workdir, production: true });

    const markdown = fs.readFileSync(result.markdownFile, 'utf-8');

    expect(markdown).toContain('# Resilience report: production');
    expect(markdown).toContain('Single points of failure: 2 unacknowledged, 1 acknowledged with a recovery procedure.');
    expect(markdown).toContain('Result: failed, fix or acknowledge each unacknowledged single point of failure.');
    expect(markdown).toContain('| S3 buckets without versioning (`NoVersioning`) | 1 | 1 |');
    expect(markdown).toContain('### Stateful resources without backup (1)');
    expect(markdown).toMatch(/- \*\*Benefits Uploads\w+\*\* \(AWS::S3::Bucket, `Benefits\/Uploads\/Resource`\): .*has no versioning/);
    expect(markdown).toContain('  - Recovery procedure: Rerun the pipeline:\n    1. Start the build job.\n    2. Check that the cache');
  });

  test('outside production the report passes and says the check is not enforced', () => {
    const result = writeResilienceReport({ environment: 'non-production', assemblyDirs: [synthesiseAssembly()], outDir: workdir });

    expect(result.passed).toBe(true);
    expect(fs.readFileSync(result.markdownFile, 'utf-8')).toContain('Result: not enforced outside production.');
  });

  test('an assembly without findings gives a report that says none', () => {
    const outdir = path.join(workdir, 'empty.out');
    const app = new App({ outdir });
    new s3.Bucket(new Stack(app, 'Quiet'), 'Bucket', { versioned: true });
    app.synth();

    const result = ResilienceReport.write({ environment: 'sandbox', assemblyDirs: [outdir], outDir: workdir, production: true });

    expect(result).toEqual(expect.objectContaining({ unacknowledgedCount: 0, acknowledgedCount: 0, passed: true }));
    expect(fs.readFileSync(result.markdownFile, 'utf-8')).toContain('## Unacknowledged single points of failure\n\nNone.');
  });

  test('invalid options are reported in one error', () => {
    expect(() => ResilienceReport.write({ environment: '../prod', assemblyDirs: [], outDir: '' }))
      .toThrow('Invalid ResilienceReport options:\n'
        + '  - environment is "../prod". Give a name of 1 to 64 letters, digits, dots, hyphens and underscores, starting with a letter or digit, for example "production".\n'
        + '  - assemblyDirs is empty. Give at least one cloud assembly directory, for example ["cdk.out"].\n'
        + '  - outDir is "". Give the directory to write the report to, for example "reports".');
  });

  test('a directory that is not a cloud assembly is named in the error', () => {
    expect(() => ResilienceReport.write({ environment: 'production', assemblyDirs: [workdir], outDir: workdir }))
      .toThrow(`${workdir} is not a cloud assembly: it has no manifest.json.`);
  });
});

describe('resilience-check command', () => {
  function run(...argv: string[]): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, (line) => out.push(line), (line) => err.push(line));
    return { code, out, err };
  }

  test('production with unacknowledged findings exits 1 and says what to do', () => {
    const assembly = synthesiseAssembly();

    const { code, out, err } = run('--environment', 'production', '--assembly', assembly, '--out', workdir, '--production');

    expect(code).toBe(1);
    expect(out[0]).toContain('production: 2 unacknowledged and 1 acknowledged single points of failure.');
    expect(err[0]).toContain('Fix each one, or acknowledge it with SinglePointOfFailure.acknowledge and its recovery procedure.');
    expect(fs.existsSync(path.join(workdir, 'resilience-production.md'))).toBe(true);
  });

  test('without --production the same findings exit 0', () => {
    const assembly = synthesiseAssembly();

    expect(run('--environment', 'non-production', '--assembly', assembly, '--out', workdir).code).toBe(0);
  });

  test('several assemblies go into one report', () => {
    const first = synthesiseAssembly();
    const second = path.join(workdir, 'second.out');
    fs.cpSync(first, second, { recursive: true });

    run('--environment', 'production', '--assembly', first, '--assembly', second, '--out', workdir);

    const report = JSON.parse(fs.readFileSync(path.join(workdir, 'resilience-production.json'), 'utf-8'));
    expect(report.counts.unacknowledged).toBe(4);
  });

  test.each([
    [['--assembly', 'cdk.out', '--out', 'reports'], '--environment is missing.'],
    [['--environment', 'prod/../x', '--assembly', 'cdk.out', '--out', 'reports'], '--environment is "prod/../x".'],
    [['--environment', 'production', '--out', 'reports'], '--assembly is missing.'],
    [['--environment', 'production', '--assembly', '/nonexistent/cdk.out', '--out', 'reports'],
      '--assembly is "/nonexistent/cdk.out", which is not a cloud assembly directory: it has no manifest.json.'],
    [['--environment', 'production', '--assembly'], '--assembly needs a value, but got nothing.'],
    [['--environment', '--production'], '--environment needs a value, but got "--production".'],
    [['--environment', 'production', '--verbose'], 'unknown option "--verbose".'],
  ])('%j exits 2 naming the option and the value', (argv, message) => {
    const { code, err } = run(...argv);

    expect(code).toBe(2);
    expect(err[0].startsWith(`resilience-check: ${message}`)).toBe(true);
    expect(err[1]).toContain('Usage: resilience-check --environment <name> --assembly <cdk.out>');
  });

  test('the source starts with a node shebang, so the bin runs on its own', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../src/resilience/cli.ts'), 'utf-8');

    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
