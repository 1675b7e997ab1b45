import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, aws_dynamodb as dynamodb, aws_s3 as s3 } from 'aws-cdk-lib';
import { ResilienceReport, SinglePointOfFailure, SinglePointOfFailureKind as Kind } from '../../src';
import { producedByText } from '../../src/evidence/provenance';
import { main } from '../../src/resilience/cli';
import { writeResilienceReport } from '../../src/resilience/write-report';

const VERSION: string = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
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

  test('the header of both reports shows the revision and the package version', () => {
    // GIVEN a revision with characters that Markdown would otherwise read as markup
    const revision = 'git 1a2b3c4d5e6f (uncommitted changes) <main|*wip*>';

    // WHEN
    const result = writeResilienceReport({ environment: 'production', assemblyDirs: [synthesiseAssembly()], outDir: workdir, revision });

    // THEN the Markdown lists both under the title, the revision escaped
    const markdown = fs.readFileSync(result.markdownFile, 'utf-8');
    expect(markdown.startsWith('# Resilience report: production\n\n'
      + '- Code revision: git 1a2b3c4d5e6f (uncommitted changes) &lt;main\\|\\*wip\\*&gt;\n'
      + `- Produced by: ${producedByText(VERSION)}\n\n`)).toBe(true);
    // AND the JSON has them as fields
    expect(JSON.parse(fs.readFileSync(result.jsonFile, 'utf-8'))).toMatchObject({ revision, producedBy: producedByText(VERSION) });
  });

  test('without a revision, both reports read "revision not given"', () => {
    // GIVEN no revision
    // WHEN
    const result = writeResilienceReport({ environment: 'production', assemblyDirs: [synthesiseAssembly()], outDir: workdir });

    // THEN
    expect(fs.readFileSync(result.markdownFile, 'utf-8')).toContain('\n- Code revision: revision not given\n');
    expect(JSON.parse(fs.readFileSync(result.jsonFile, 'utf-8')).revision).toBe('revision not given');
  });

  test('a blank revision is rejected with the other invalid options', () => {
    expect(() => ResilienceReport.write({ environment: 'production', assemblyDirs: ['cdk.out'], outDir: '', revision: ' ' }))
      .toThrow('Invalid ResilienceReport options:\n'
        + '  - outDir is "". Give the directory to write the report to, for example "reports".\n'
        + '  - revision is " ". Give the revision of the code the assemblies were synthesised from as text, for example "git 1a2b3c4d5e6f", or leave it out.');
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

  test('single points of failure in nested stacks, at any depth, are in the report with their construct paths', () => {
    // GIVEN
    const outdir = path.join(workdir, 'nested.out');
    const app = new App({ outdir, context: { 'aws:cdk:enable-path-metadata': false } });
    const stack = new Stack(app, 'Benefits');
    new s3.Bucket(stack, 'Top', { versioned: true });
    const outer = new NestedStack(stack, 'Outer');
    new s3.Bucket(outer, 'Uploads');
    new s3.Bucket(new NestedStack(outer, 'Inner'), 'Uploads');
    app.synth();

    // WHEN
    const result = ResilienceReport.write({ environment: 'production', assemblyDirs: [outdir], outDir: workdir, production: true });

    // THEN
    const report = JSON.parse(fs.readFileSync(result.jsonFile, 'utf-8'));
    expect(report.unacknowledged.map((finding: any) => `${finding.stackName} ${finding.constructPath}`)).toEqual([
      'Benefits/Outer Benefits/Outer/Uploads/Resource',
      'Benefits/Outer/Inner Benefits/Outer/Inner/Uploads/Resource',
    ]);
  });

  test('the same assembly given twice is read once', () => {
    const assembly = synthesiseAssembly();

    const result = ResilienceReport.write({ environment: 'production', assemblyDirs: [assembly, `${assembly}/`], outDir: workdir });

    expect(result.unacknowledgedCount).toBe(2);
  });

  test('a manifest that is JSON but not an assembly manifest is an error, not a pass', () => {
    fs.writeFileSync(path.join(workdir, 'manifest.json'), '[]');

    expect(() => ResilienceReport.write({ environment: 'production', assemblyDirs: [workdir], outDir: workdir, production: true }))
      .toThrow(`${path.join(workdir, 'manifest.json')} is not a cloud assembly manifest`);
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

  test.each([
    [['--environment', 'production', '--environment', 'staging'], '--environment is given twice, as "production" and "staging". Give it once.'],
    [['--environment', 'production', '--production', '--production'], '--production is given twice. Give it once.'],
    [['--environment', 'production', 'cdk.out'], 'unexpected argument "cdk.out".'],
    [['--environment=production', '--production=yes'], '--production takes no value, but got "yes".'],
    [['--environment='], '--environment is empty.'],
  ])('%j exits 2 with a clear message', (argv, message) => {
    const { code, err } = run(...argv);

    expect(code).toBe(2);
    expect(err[0].startsWith(`resilience-check: ${message}`)).toBe(true);
  });

  test('options accept --option=value', () => {
    const assembly = synthesiseAssembly();

    const { code, out } = run('--environment=production', `--assembly=${assembly}`, `--out=${workdir}`);

    expect(code).toBe(0);
    expect(out[0]).toContain('production: 2 unacknowledged');
  });

  test('the same --assembly twice is an argument error', () => {
    const assembly = synthesiseAssembly();

    const { code, err } = run('--environment', 'production', '--assembly', assembly, '--assembly', `${assembly}/`, '--out', workdir);

    expect(code).toBe(2);
    expect(err[0]).toContain('--assembly is given twice for the same directory');
  });

  test('--out naming a file is an argument error', () => {
    const assembly = synthesiseAssembly();
    const file = path.join(workdir, 'report.txt');
    fs.writeFileSync(file, '');

    expect(run('--environment', 'production', '--assembly', assembly, '--out', file).err[0])
      .toBe(`resilience-check: --out is "${file}", which is a file. Give a directory to write the report to, for example --out reports.`);
    expect(run('--environment', 'production', '--assembly', assembly, '--out', path.join(file, 'reports')).code).toBe(2);
  });

  test.each([
    ['not JSON', '{ "version": '],
    ['JSON that is not an assembly manifest', '[]'],
  ])('a manifest that is %s exits 1 naming --assembly and the file', (_name, text) => {
    fs.writeFileSync(path.join(workdir, 'manifest.json'), text);

    const { code, err } = run('--environment', 'production', '--assembly', workdir, '--out', path.join(workdir, 'reports'), '--production');

    expect(code).toBe(1);
    expect(err[0]).toContain('resilience-check: --assembly: ');
    expect(err[0]).toContain(path.join(workdir, 'manifest.json'));
  });

  test('a template missing from the assembly exits 1 naming the file', () => {
    const assembly = synthesiseAssembly();
    fs.rmSync(path.join(assembly, 'Benefits.template.json'));

    const { code, err } = run('--environment', 'production', '--assembly', assembly, '--out', workdir);

    expect(code).toBe(1);
    expect(err[0]).toContain(`--assembly: cannot read the template of stack Benefits, ${path.join(assembly, 'Benefits.template.json')}: the file does not exist.`);
  });

  test('--revision goes into the header of both reports', () => {
    const assembly = synthesiseAssembly();

    const { code } = run('--environment', 'production', '--assembly', assembly, '--out', workdir, '--revision', 'git 1a2b3c4d5e6f');

    expect(code).toBe(0);
    expect(fs.readFileSync(path.join(workdir, 'resilience-production.md'), 'utf-8')).toContain('\n- Code revision: git 1a2b3c4d5e6f\n');
    expect(JSON.parse(fs.readFileSync(path.join(workdir, 'resilience-production.json'), 'utf-8')).revision).toBe('git 1a2b3c4d5e6f');
  });

  test.each([
    [['--revision', ' '], '--revision is " ". Give the revision as text, for example --revision "git 1a2b3c4d5e6f", or leave it out.'],
    [['--revision='], '--revision is empty.'],
    [['--revision', 'git a', '--revision', 'git b'], '--revision is given twice, as "git a" and "git b". Give it once.'],
  ])('%j exits 2 naming --revision', (revisionArgs, message) => {
    const assembly = synthesiseAssembly();

    const { code, err } = run('--environment', 'production', '--assembly', assembly, '--out', workdir, ...revisionArgs);

    expect(code).toBe(2);
    expect(err[0].startsWith(`resilience-check: ${message}`)).toBe(true);
  });

  test('--backup-tag-key and --backup-tag-value set the tag that selects for backup', () => {
    const assembly = synthesiseAssembly();

    run('--environment', 'production', '--assembly', assembly, '--out', workdir, '--backup-tag-key', 'protect', '--backup-tag-value', 'daily',
      '--backup-tag-value', 'weekly');

    const report = JSON.parse(fs.readFileSync(path.join(workdir, 'resilience-production.json'), 'utf-8'));
    const noBackup = report.unacknowledged.find((finding: any) => finding.kind === 'NoBackup');
    expect(noBackup.description).toContain('it has no "protect" tag with the value "daily" or "weekly"');
  });

  test('the source starts with a node shebang, so the bin runs on its own', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../src/resilience/cli.ts'), 'utf-8');

    expect(source.startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});
