import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFixtureAssembly, fixtureControls } from './fixture';
import { UsageError, main, parseArguments, readControlsFile, readEvidenceFile } from '../../src/evidence/cli';
import { buildNcscReport } from '../../src/evidence/model';
import { parseNagReport } from '../../src/evidence/nag-report';
import { MissingNcscReportError, ReportWriteError, writeNcscReport } from '../../src/evidence/write-report';

const HEADER = 'Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info\n';
const VALID = ['--environment', 'production', '--assembly', 'a/cdk.out', '--out', 'reports'];

function problemsOf(argv: string[]): string[] {
  try {
    parseArguments(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      return e.problems;
    }
    throw e;
  }
  throw new Error('parseArguments accepted the arguments');
}

describe('argument wording', () => {
  test('unknown option reported alone', () => {
    expect(problemsOf([...VALID, '--bogus', '1'])).toEqual([
      'unknown option "--bogus"; the options are --environment, --out, --evidence, --controls, --date, --revision, --assembly, --allow-missing-ncsc-report and --help.',
    ]);
  });

  test('valueless option reported once', () => {
    expect(problemsOf(['--assembly', 'a', '--out', 'o', '--environment'])).toEqual([
      '--environment has no value; write it as --environment <value>.',
    ]);
    expect(problemsOf(['--environment', 'p', '--out', 'o', '--assembly='])).toEqual([
      '--assembly has no value; write it as --assembly <value>.',
    ]);
  });

  test.each(['prod.', 'prod..eu', 'a.'])('environment name %s rejected', (name) => {
    expect(problemsOf(['--environment', name, '--assembly', 'a', '--out', 'o'])).toEqual([
      `--environment is "${name}"; use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit, not ending with a dot and with no two dots in a row, because it becomes part of the file names.`,
    ]);
  });

  test('single inner dots accepted', () => {
    expect(parseArguments(['--environment', 'prod.eu.1', '--assembly', 'a', '--out', 'o']).environment).toBe('prod.eu.1');
  });

  test('repeated assembly rejected', () => {
    expect(problemsOf([...VALID, '--assembly', './a/../a/cdk.out'])).toEqual([
      '--assembly names ./a/../a/cdk.out more than once; give each cloud assembly once, or its stacks would count twice.',
    ]);
  });

  test('allow-missing flag takes no value', () => {
    expect(parseArguments([...VALID, '--allow-missing-ncsc-report']).allowMissingNcscReport).toBe(true);
    expect(parseArguments(VALID).allowMissingNcscReport).toBe(false);
    expect(problemsOf([...VALID, '--allow-missing-ncsc-report=yes'])).toEqual([
      '--allow-missing-ncsc-report takes no value; write it as --allow-missing-ncsc-report alone.',
    ]);
  });
});

describe('input files', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-input-'));
  });
  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('empty controls file rejected', () => {
    const file = path.join(work, 'empty.json');
    fs.writeFileSync(file, '[]');
    expect(() => readControlsFile(file)).toThrow(/--controls .*empty.json contains an empty array; give at least one control/);
  });

  test('empty control mapping rejected', () => {
    expect(() => buildNcscReport({ environment: 'e', generatedOn: '2026-01-31', assemblies: [], controls: [] }))
      .toThrow(/the mapping has no controls; give at least one/);
  });

  test('evidence file BOM ignored', () => {
    const file = path.join(work, 'bom.json');
    fs.writeFileSync(file, '\uFEFF[{"controlId": "NCSC-P06-StaffScreening", "reference": "HR-POL-012"}]');
    expect(readEvidenceFile(file)).toEqual([{ controlId: 'NCSC-P06-StaffScreening', reference: 'HR-POL-012' }]);
  });
});

describe('CSV strictness', () => {
  test('stray quote names file and line', () => {
    expect(() => parseNagReport(`${HEADER}"NCSC-A","S/A","Compliant","N/A","Error","i"\nNCSC"-P02-LondonRegionOnly","S/A","Compliant","N/A","Error","i"\n`, 'r.csv'))
      .toThrow('r.csv line 3 is not valid CSV: field 1 is not quoted but contains a quote ("NCSC\\"").');
  });

  test('text after closing quote rejected', () => {
    expect(() => parseNagReport(`${HEADER}"NCSC-A"x,"S/A","Compliant","N/A","Error","i"\n`, 'r.csv'))
      .toThrow(/^r.csv line 2 is not valid CSV: the text "x" follows the closing quote of field 1/);
  });

  test('report BOM ignored', () => {
    const lines = parseNagReport(`\uFEFF${HEADER}"NCSC-A","S/A","Compliant","N/A","Error","i"\n`, 'r.csv');
    expect(lines.map((l) => l.ruleId)).toEqual(['NCSC-A']);
  });
});

describe('assemblies the NCSC pack did not run on', () => {
  let assemblyDir: string;
  let bare: string;
  let work: string;

  beforeAll(() => {
    assemblyDir = buildFixtureAssembly();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-missing-'));
    // The same assembly without its NCSC reports, as if the pack had not been added.
    bare = path.join(work, 'bare.out');
    fs.cpSync(assemblyDir, bare, { recursive: true });
    for (const name of fs.readdirSync(bare).filter((n) => n.startsWith('NCSC-'))) {
      fs.rmSync(path.join(bare, name));
    }
  });

  afterAll(() => {
    fs.rmSync(assemblyDir, { recursive: true, force: true });
    fs.rmSync(work, { recursive: true, force: true });
  });

  function run(argv: string[]): { code: number; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) }, () => new Date('2026-03-04T10:00:00Z'));
    return { code, out, err };
  }

  test('writeNcscReport throws with the fix', () => {
    expect(() => writeNcscReport({ environment: 'e', assemblyDirs: [bare], outDir: path.join(work, 'x'), controls: fixtureControls(), generatedOn: '2026-01-31' }))
      .toThrow(MissingNcscReportError);
    expect(() => writeNcscReport({ environment: 'e', assemblyDirs: [bare], outDir: path.join(work, 'x'), controls: fixtureControls(), generatedOn: '2026-01-31' }))
      .toThrow(/did not run on the cloud assembly .*bare.out: .*Aspects\.of\(app\)\.add\(new NcscChecks\(\)\)/);
    expect(fs.existsSync(path.join(work, 'x'))).toBe(false);
  });

  test('command exits 1', () => {
    const result = run(['--environment', 'e', '--assembly', bare, '--out', path.join(work, 'y')]);
    expect(result.code).toBe(1);
    expect(result.out).toEqual([]);
    expect(result.err).toEqual([expect.stringMatching(/^ncsc-report: The NCSC cdk-nag pack did not run on the cloud assembly .*--allow-missing-ncsc-report/)]);
  });

  test('allowed report says not assessed', () => {
    const outDir = path.join(work, 'allowed');
    const result = run(['--environment', 'e', '--assembly', bare, '--out', outDir, '--allow-missing-ncsc-report']);
    expect(result.code).toBe(0);
    expect(result.out[0]).toMatch(/0 not applicable, \d+ not assessed, \d+ procedural, \d+ evidence missing \(the NCSC pack did not run on .*bare.out\)/);
    const markdown = fs.readFileSync(path.join(outDir, 'ncsc-e.md'), 'utf8');
    expect(markdown).toMatch(/\*\*Not assessed: the NCSC pack did not run on .*bare.out, so \d+ automated controls are not assessed; /);
    expect(markdown).toContain('Status: **NOT ASSESSED**');
  });

  test('API rejects a repeated assembly', () => {
    expect(() => writeNcscReport({ environment: 'e', assemblyDirs: [assemblyDir, `${assemblyDir}/.`], outDir: work, controls: fixtureControls(), generatedOn: '2026-01-31' }))
      .toThrow(/assemblyDirs names .* more than once/);
  });

  test('--out over a file named clearly', () => {
    const file = path.join(work, 'a-file');
    fs.writeFileSync(file, 'x');
    const result = run(['--environment', 'e', '--assembly', assemblyDir, '--out', file]);
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [`ncsc-report: cannot write the report to --out ${file}: it, or a directory above it, is an existing file, not a directory; give a directory path.`],
    });
    const below = path.join(file, 'reports');
    expect(() => writeNcscReport({ environment: 'e', assemblyDirs: [assemblyDir], outDir: below, generatedOn: '2026-01-31' }))
      .toThrow(ReportWriteError);
  });
});
