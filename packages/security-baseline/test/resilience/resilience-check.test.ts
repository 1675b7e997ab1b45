import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Tags, Validations, aws_dynamodb as dynamodb, aws_s3 as s3 } from 'aws-cdk-lib';
import { ResilienceCheck, SinglePointOfFailure, SinglePointOfFailureKind as Kind } from '../../src';

const REASON = 'The bucket holds build caches that the pipeline recreates.';
const PROCEDURE = 'Rerun the pipeline: it rebuilds every cached object within 20 minutes.';

let outdir: string;
let errorOutput: jest.SpyInstance;
let warningOutput: jest.SpyInstance;
let exitCodeBefore: typeof process.exitCode;

beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilience-check-'));
  errorOutput = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  // aws-cdk-lib 2.257.0 warns that AppProps#policyValidationBeta1 is deprecated.
  warningOutput = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  exitCodeBefore = process.exitCode;
});

afterEach(() => {
  // aws-cdk-lib reports a failed validation through the exit code, which the test runner must not inherit.
  process.exitCode = exitCodeBefore;
  errorOutput.mockRestore();
  warningOutput.mockRestore();
  fs.rmSync(outdir, { recursive: true, force: true });
});

/** Creates an app with the check, and a stack with one bucket without versioning. */
function appWithBucket(production: boolean): { app: App; bucket: s3.Bucket } {
  const app = new App({ outdir, policyValidationBeta1: [new ResilienceCheck({ production })] });
  const stack = new Stack(app, 'Benefits', { env: { account: '123456789012', region: 'eu-west-2' } });
  const bucket = new s3.Bucket(stack, 'Uploads');
  return { app, bucket };
}

function validationReport(): any {
  return JSON.parse(fs.readFileSync(path.join(outdir, 'policy-validation-report.json'), 'utf-8'));
}

function printed(): string {
  return errorOutput.mock.calls.map((call) => call.join(' ')).join('\n');
}

describe('ResilienceCheck in production', () => {
  test('unacknowledged finding sets exit code 1 after writing the assembly', () => {
    const { app } = appWithBucket(true);

    // aws-cdk-lib 2.257.0 does not throw from synth when a plugin reports violations.
    app.synth();

    expect(process.exitCode).toBe(1);
    expect(fs.existsSync(path.join(outdir, 'Benefits.template.json'))).toBe(true);
    expect(printed()).toContain('Validation failed');
  });

  test('the violation names the resource, the kind and what to do', () => {
    const { app } = appWithBucket(true);

    app.synth();

    const [plugin] = validationReport().pluginReports;
    expect(plugin.summary).toEqual(expect.objectContaining({ pluginName: 'ResilienceCheck', status: 'failure' }));
    const [violation] = plugin.violations;
    expect(violation.ruleName).toBe('NoVersioning');
    expect(violation.description).toContain('has no versioning');
    expect(violation.fix).toContain('Set versioned: true');
    expect(violation.fix).toContain('SinglePointOfFailure.acknowledge(construct, { kind: SinglePointOfFailureKind.NO_VERSIONING');
    expect(violation.violatingResources[0]).toEqual(expect.objectContaining({
      resourceLogicalId: expect.stringMatching(/^Uploads/),
      templatePath: path.join(outdir, 'Benefits.template.json'),
    }));
  });

  test('synthesis passes once the single point of failure is acknowledged', () => {
    const { app, bucket } = appWithBucket(true);
    SinglePointOfFailure.acknowledge(bucket, { kind: Kind.NO_VERSIONING, reason: REASON, recoveryProcedure: PROCEDURE });

    app.synth();

    expect(process.exitCode).toBe(exitCodeBefore);
    // aws-cdk-lib leaves a plugin without violations out of the report file.
    expect(validationReport().pluginReports).toEqual([]);
  });

  test('the check also runs through Validations.of(app).addPlugins, the replacement of policyValidationBeta1', () => {
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new ResilienceCheck({ production: true }));
    new s3.Bucket(new Stack(app, 'Benefits'), 'Uploads');

    app.synth();

    expect(process.exitCode).toBe(1);
    expect(warningOutput).not.toHaveBeenCalled();
  });

  test('stacks inside a stage are checked too', () => {
    const app = new App({ outdir, policyValidationBeta1: [new ResilienceCheck({ production: true })] });
    const stage = new Stage(app, 'Production');
    new s3.Bucket(new Stack(stage, 'Benefits'), 'Uploads');

    app.synth();

    expect(process.exitCode).toBe(1);
    expect(validationReport().pluginReports[0].violations.map((violation: any) => violation.ruleName)).toEqual(['NoVersioning']);
  });
});

describe('ResilienceCheck outside production', () => {
  test('single points of failure are counted but are not violations', () => {
    const { app } = appWithBucket(false);

    app.synth();

    expect(process.exitCode).toBe(exitCodeBefore);
    expect(validationReport().pluginReports).toEqual([]);
  });

  test('the plugin report counts them in its metadata', () => {
    const check = new ResilienceCheck({ production: false });
    const app = new App({ outdir });
    new s3.Bucket(new Stack(app, 'Benefits'), 'Uploads');
    app.synth();

    const report = check.validate({ templatePaths: [path.join(outdir, 'Benefits.template.json')] });

    expect(report).toEqual({ success: true, violations: [], metadata: { production: 'false', unacknowledged: '1', acknowledged: '0' } });
  });
});

describe('ResilienceCheck props', () => {
  test('the rule IDs are the kinds', () => {
    expect(new ResilienceCheck({ production: true }).ruleIds).toContain('SingleNatGateway');
  });

  test('the backup tag follows the props', () => {
    const app = new App({ outdir, policyValidationBeta1: [new ResilienceCheck({ production: true, backupTagKey: 'BackupTier', backupTagValues: ['daily'] })] });
    const stack = new Stack(app, 'Benefits');
    const table = new dynamodb.Table(stack, 'Claims', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    Tags.of(table).add('BackupTier', 'daily');

    app.synth();

    expect(process.exitCode).toBe(exitCodeBefore);
  });

  test('every invalid prop is reported in one error', () => {
    expect(() => new ResilienceCheck({ production: 'yes' as any, backupTagKey: ' ', backupTagValues: [] }))
      .toThrow('Invalid ResilienceCheck props:\n'
        + '  - production is "yes". Give true for a production app, false otherwise.\n'
        + '  - backupTagKey is " ". Give the literal tag key that the backup policy selects by, for example "backup".\n'
        + '  - backupTagValues is empty. Give at least one value, for example ["true"].');
  });
});

describe('ResilienceCheck with nested stacks', () => {
  test('a single point of failure inside a nested stack fails production synthesis', () => {
    // GIVEN
    const app = new App({ outdir, policyValidationBeta1: [new ResilienceCheck({ production: true })] });
    const stack = new Stack(app, 'Benefits', { env: { account: '123456789012', region: 'eu-west-2' } });
    const nested = new NestedStack(stack, 'Storage');

    // WHEN
    new s3.Bucket(nested, 'Uploads', { versioned: false });
    app.synth();

    // THEN
    expect(process.exitCode).toBe(1);
    const [violation] = validationReport().pluginReports[0].violations;
    expect(violation.ruleName).toBe('NoVersioning');
    expect(violation.description).toContain('(Benefits/Storage/Uploads/Resource)');
    expect(violation.violatingResources[0].templatePath).toMatch(/\.nested\.template\.json$/);
  });
});
