import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Annotations, App, Aspects, Stack, aws_s3 as s3, aws_sqs as sqs } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NagReportFormat, NagSuppressions } from 'cdk-nag';
import { parseCsv, summariseAssembly } from '../cloud-assembly';

describe('parseCsv', () => {
  test('reads quoted fields with commas, quotes and line breaks', () => {
    const rows = parseCsv('"a","b, c","say ""hi""","two\nlines"\n"x","y","z","w"\n');

    expect(rows).toEqual([
      ['a', 'b, c', 'say "hi"', 'two\nlines'],
      ['x', 'y', 'z', 'w'],
    ]);
  });

  test('keeps a last row without a line break', () => {
    expect(parseCsv('"a","b"')).toEqual([['a', 'b']]);
  });
});

describe('summariseAssembly', () => {
  let outdir: string;

  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'assembly-'));
  });

  afterEach(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  function synthesise(build: (stack: Stack) => void): void {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Checked', { env: { account: '111111111111', region: 'eu-west-2' } });
    build(stack);
    Aspects.of(app).add(new AwsSolutionsChecks({ reports: true, reportFormats: [NagReportFormat.CSV] }));
    app.synth();
  }

  test('counts resources and template size', () => {
    synthesise((stack) => {
      new sqs.Queue(stack, 'First', { enforceSSL: true });
      new sqs.Queue(stack, 'Second', { enforceSSL: true });
    });

    const [stack] = summariseAssembly('examples/test', outdir);

    expect(stack.stackName).toBe('Checked');
    expect(stack.resourceCount).toBe(4);
    expect(stack.templateSizeKb).toBeGreaterThan(0);
  });

  test('counts cdk-nag errors and suppressed findings', () => {
    synthesise((stack) => {
      new s3.Bucket(stack, 'Open');
      const excused = new s3.Bucket(stack, 'Excused');
      NagSuppressions.addResourceSuppressions(excused, [{ id: 'AwsSolutions-S1', reason: 'The access log target of this test.' }]);
    });

    const [stack] = summariseAssembly('examples/test', outdir);

    expect(stack.nag.errors).toBeGreaterThan(0);
    expect(stack.nag.suppressed).toBe(1);
    expect(stack.nag.findings).toContainEqual(expect.stringMatching(/^Error AwsSolutions-S1 on Checked\/Open\/Resource$/));
    expect(stack.synthErrors).toEqual([]);
  });

  test('lists error annotations that are not from cdk-nag', () => {
    synthesise((stack) => {
      Annotations.of(stack).addError('the address plan is full');
    });

    const [stack] = summariseAssembly('examples/test', outdir);

    expect(stack.synthErrors).toEqual(['/Checked: the address plan is full']);
  });
});
