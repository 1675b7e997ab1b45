import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFixtureAssembly, fixtureControls } from './fixture';
import { USAGE, UsageError, main, parseArguments, readEvidenceFile } from '../../src/evidence/cli';
import { producedByText } from '../../src/evidence/provenance';
import { writeNcscReport } from '../../src/evidence/write-report';
import { NcscControlCatalogue } from '../../src/ncsc';

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

const VALID = ['--environment', 'production', '--assembly', 'a/cdk.out', '--out', 'reports'];

describe('argument parsing', () => {
  test('reads every option, in both spellings, with repeated assemblies', () => {
    expect(parseArguments([...VALID, '--assembly=b/cdk.out', '--evidence', 'e.json', '--controls=c.json', '--date', '2026-02-28',
      '--revision', 'git 1a2b3c4d5e6f (uncommitted changes)'])).toEqual({
      help: false,
      environment: 'production',
      assemblies: ['a/cdk.out', 'b/cdk.out'],
      out: 'reports',
      evidence: 'e.json',
      controls: 'c.json',
      date: '2026-02-28',
      revision: 'git 1a2b3c4d5e6f (uncommitted changes)',
      allowMissingNcscReport: false,
    });
  });

  test('--revision is optional, and takes its value after "=" too', () => {
    expect(parseArguments(VALID).revision).toBeUndefined();
    expect(parseArguments([...VALID, '--revision=git 1a2b3c4d5e6f']).revision).toBe('git 1a2b3c4d5e6f');
  });

  test('a --revision that is empty, blank or given twice is rejected', () => {
    expect(problemsOf([...VALID, '--revision='])).toEqual(['--revision has no value; write it as --revision <value>.']);
    expect(problemsOf([...VALID, '--revision', ' '])).toEqual([
      '--revision is " "; give the revision as text, for example --revision "git 1a2b3c4d5e6f", or leave it out.',
    ]);
    expect(problemsOf([...VALID, '--revision', 'git a', '--revision', 'git b'])).toEqual([
      '--revision is given twice ("git a" and "git b"); give it once.',
    ]);
  });

  test('the usage documents --revision', () => {
    expect(USAGE).toContain('[--revision <text>]');
    expect(USAGE).toMatch(/\n {2}--revision <text> {7}the revision of the code the assemblies were synthesised from,\n/);
  });

  test('--help wins over everything else', () => {
    expect(parseArguments(['--bogus', '--help']).help).toBe(true);
    expect(parseArguments(['-h']).help).toBe(true);
  });

  test('no arguments: names each missing option and how to give it', () => {
    expect(problemsOf([])).toEqual([
      '--environment is missing; name the environment, for example --environment production.',
      '--assembly is missing; give the cloud assembly directory of each app, for example --assembly cdk.out.',
      '--out is missing; give the directory to write the report to, for example --out reports.',
    ]);
  });

  test('an unknown option is named, with the options there are', () => {
    expect(problemsOf([...VALID, '--envirnoment', 'x'])).toEqual([
      'unknown option "--envirnoment"; the options are --environment, --out, --evidence, --controls, --date, --revision, --assembly, --allow-missing-ncsc-report and --help.',
    ]);
  });

  test('an option without a value', () => {
    expect(problemsOf([...VALID, '--evidence'])).toEqual(['--evidence has no value; write it as --evidence <value>.']);
    expect(problemsOf([...VALID, '--date=', '--out'])).toContain('--date has no value; write it as --date <value>.');
  });

  test('an option given twice', () => {
    expect(problemsOf([...VALID, '--out', 'other'])).toEqual(['--out is given twice ("reports" and "other"); give it once.']);
  });

  test('an environment name that cannot be part of a file name', () => {
    expect(problemsOf(['--environment', '../prod', '--assembly', 'a', '--out', 'o'])).toEqual([
      '--environment is "../prod"; use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit, not ending with a dot and with no two dots in a row, because it becomes part of the file names.',
    ]);
  });

  test.each(['31-01-2026', '2026-02-30', '2026-1-5'])('the date %s is rejected', (date) => {
    expect(problemsOf([...VALID, '--date', date])).toEqual([
      `--date is "${date}"; write a real date as YYYY-MM-DD, for example --date 2026-01-31, or leave it out for today.`,
    ]);
  });

  test('the error message lists every problem and points to --help', () => {
    expect(() => parseArguments(['--out', 'o'])).toThrow(/^ncsc-report: invalid arguments:\n {2}- --environment is missing.*\n {2}- --assembly is missing.*\nRun "ncsc-report --help" for the usage.$/s);
  });
});

describe('evidence file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-evidence-file-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function evidenceFile(content: string): string {
    const file = path.join(dir, 'evidence.json');
    fs.writeFileSync(file, content);
    return file;
  }

  test('reads an array of references', () => {
    const file = evidenceFile('[{"controlId": "NCSC-P06-StaffScreening", "reference": "HR-POL-012", "owner": "Head of HR"}]');
    expect(readEvidenceFile(file)).toEqual([{ controlId: 'NCSC-P06-StaffScreening', reference: 'HR-POL-012', owner: 'Head of HR' }]);
  });

  test('a missing file names the option and the path', () => {
    const file = path.join(dir, 'none.json');
    expect(() => readEvidenceFile(file)).toThrow(`--evidence ${file} cannot be read (ENOENT); give the path of an existing JSON file.`);
  });

  test('a file that is not JSON, or not an array', () => {
    expect(() => readEvidenceFile(evidenceFile('{'))).toThrow(/--evidence .* is not valid JSON \(.*\); it must contain an array such as \[\{"controlId"/);
    expect(() => readEvidenceFile(evidenceFile('{}'))).toThrow(/--evidence .* contains object, not an array/);
  });

  test('each bad entry is named with its index and field', () => {
    const file = evidenceFile('[{"controlId": 3, "reference": "", "owner": 1, "note": "x"}, "text"]');
    expect(() => readEvidenceFile(file)).toThrow(UsageError);
    try {
      readEvidenceFile(file);
    } catch (e) {
      expect((e as UsageError).problems).toEqual([
        `--evidence ${file}: entry 0 has the field "note"; the fields are "controlId", "reference" and "owner".`,
        `--evidence ${file}: entry 0 has the controlId 3; give the id of a procedural control as a string.`,
        `--evidence ${file}: entry 0 has the reference ""; give a document reference, a URL or a ticket as a string.`,
        `--evidence ${file}: entry 0 has the owner 1; give a person or role as a string, or leave it out.`,
        `--evidence ${file}: entry 1 is "text"; each entry is an object with "controlId" and "reference".`,
      ]);
    }
  });
});

describe('running the command', () => {
  let assemblyDir: string;
  let work: string;
  let controlsFile: string;

  beforeAll(() => {
    assemblyDir = buildFixtureAssembly();
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ncsc-cli-'));
    controlsFile = path.join(work, 'controls.json');
    fs.writeFileSync(controlsFile, JSON.stringify(fixtureControls()));
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

  test('writes the three files and prints one summary line', () => {
    const outDir = path.join(work, 'out');
    const evidence = path.join(work, 'evidence.json');
    fs.writeFileSync(evidence, JSON.stringify([{ controlId: 'NCSC-P06-StaffScreening', reference: 'HR-POL-012' }]));
    const result = run(['--environment', 'production', '--assembly', assemblyDir, '--out', outDir, '--evidence', evidence, '--controls', controlsFile]);
    expect(result).toEqual({
      code: 0,
      err: [],
      out: ['NCSC report for production: 8 controls: 1 pass, 2 fail, 2 suppressed, 1 not applicable, 1 procedural, 1 evidence missing; '
        + `unmapped NCSC rules: 1; wrote ${outDir}/ncsc-production.md, ${outDir}/ncsc-production.html, ${outDir}/ncsc-production.json`],
    });
    expect(fs.readFileSync(path.join(outDir, 'ncsc-production.md'), 'utf8')).toContain('| Generated on | 2026-03-04 |');
    expect(JSON.parse(fs.readFileSync(path.join(outDir, 'ncsc-production.json'), 'utf8')).generatedOn).toBe('2026-03-04');
    expect(fs.readFileSync(path.join(outDir, 'ncsc-production.html'), 'utf8')).toContain('<span class="status PROCEDURAL">PROCEDURAL</span>');
    expect(fs.readFileSync(path.join(outDir, 'ncsc-production.md'), 'utf8')).toContain('| Code revision | revision not given |');
  });

  test('--revision goes into the header of every format', () => {
    const outDir = path.join(work, 'revision');
    const result = run(['--environment', 'production', '--assembly', assemblyDir, '--out', outDir, '--controls', controlsFile,
      '--revision', 'git 1a2b3c4d5e6f (uncommitted changes)']);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(path.join(outDir, 'ncsc-production.md'), 'utf8')).toContain('| Code revision | git 1a2b3c4d5e6f (uncommitted changes) |');
    expect(fs.readFileSync(path.join(outDir, 'ncsc-production.html'), 'utf8'))
      .toContain('<tr><th>Code revision</th><td>git 1a2b3c4d5e6f (uncommitted changes)</td></tr>');
    expect(JSON.parse(fs.readFileSync(path.join(outDir, 'ncsc-production.json'), 'utf8')).revision).toBe('git 1a2b3c4d5e6f (uncommitted changes)');
  });

  test('--help prints the usage and exits 0', () => {
    expect(run(['--help'])).toEqual({ code: 0, out: [USAGE], err: [] });
  });

  test('bad arguments exit 2', () => {
    const result = run(['--environment', 'production']);
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/^ncsc-report: invalid arguments:\n {2}- --assembly is missing/);
  });

  test('an evidence reference to an unknown control exits 2 and names it', () => {
    const evidence = path.join(work, 'unknown.json');
    fs.writeFileSync(evidence, JSON.stringify([{ controlId: 'NCSC-P06-Nope', reference: 'x' }]));
    const result = run(['--environment', 'p', '--assembly', assemblyDir, '--out', path.join(work, 'x'), '--evidence', evidence, '--controls', controlsFile]);
    expect(result.code).toBe(2);
    expect(result.err[0]).toMatch(/evidence\[0\]\.controlId is "NCSC-P06-Nope", which is no control of the mapping/);
  });

  test('an unreadable assembly exits 1 with a message', () => {
    const missing = path.join(work, 'missing-cdk.out');
    const result = run(['--environment', 'p', '--assembly', missing, '--out', path.join(work, 'x'), '--controls', controlsFile]);
    expect(result).toEqual({
      code: 1,
      out: [],
      err: [`ncsc-report: cannot read the cloud assembly given to --assembly ${missing}: The cloud assembly directory ${missing} does not exist or is not a directory. Run "cdk synth" (or the app) first, and pass its output directory.`],
    });
  });

  test('writeNcscReport can be called directly, with the control list as a parameter', () => {
    const outDir = path.join(work, 'direct');
    const result = writeNcscReport({ environment: 'staging', assemblyDirs: [assemblyDir], outDir, controls: fixtureControls(), generatedOn: '2026-01-31' });
    expect(result.counts).toEqual({ total: 8, pass: 1, fail: 2, suppressed: 2, notApplicable: 1, notAssessed: 0, procedural: 0, evidenceMissing: 2 });
    expect(result.files).toEqual({ markdown: `${outDir}/ncsc-staging.md`, html: `${outDir}/ncsc-staging.html`, json: `${outDir}/ncsc-staging.json` });
    expect(fs.existsSync(result.files.html)).toBe(true);
  });

  test('writeNcscReport rejects a blank revision, naming the option', () => {
    expect(() => writeNcscReport({ environment: 'staging', assemblyDirs: [assemblyDir], outDir: work, generatedOn: '2026-01-31', revision: ' ' }))
      .toThrow('revision is " "; give the revision of the code the assemblies were synthesised from as text, for example "git 1a2b3c4d5e6f", or leave it out.');
  });

  test('writeNcscReport refuses an environment name that would escape the output directory', () => {
    expect(() => writeNcscReport({ environment: '../x', assemblyDirs: [assemblyDir], outDir: work, controls: [], generatedOn: '2026-01-31' }))
      .toThrow(/environment is "..\/x"; use 1 to 64 letters/);
  });

  test('without a control list, the report uses NcscControlCatalogue.all()', () => {
    const result = writeNcscReport({ environment: 'catalogue', assemblyDirs: [assemblyDir], outDir: path.join(work, 'catalogue'), generatedOn: '2026-01-31' });
    expect(result.counts.total).toBe(NcscControlCatalogue.all().length);
    // The fixture's rule IDs are not the catalogue's, except by chance, so they show up as drift.
    expect(result.unmappedRules).toBeGreaterThan(0);
  });

  test('compiled command: report and exit codes', () => {
    // The compiled command is used when it exists, as in a build; otherwise the source runs through ts-node.
    const compiled = path.join(__dirname, '..', '..', 'lib', 'evidence', 'cli.js');
    const command = fs.existsSync(compiled)
      ? [compiled]
      : ['-r', 'ts-node/register/transpile-only', path.join(__dirname, '..', '..', 'src', 'evidence', 'cli.ts')];
    const outDir = path.join(work, 'e2e');
    const ok = spawnSync(process.execPath, [...command, '--environment', 'e2e', '--assembly', assemblyDir, '--out', outDir, '--controls', controlsFile, '--date', '2026-01-31',
      '--revision', 'git 1a2b3c4d5e6f'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^NCSC report for e2e: 8 controls: 1 pass, 2 fail/);
    expect(fs.readdirSync(outDir).sort()).toEqual(['ncsc-e2e.html', 'ncsc-e2e.json', 'ncsc-e2e.md']);
    // The compiled command finds the package's version as the source does.
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    expect(JSON.parse(fs.readFileSync(path.join(outDir, 'ncsc-e2e.json'), 'utf8'))).toMatchObject({
      revision: 'git 1a2b3c4d5e6f',
      producedBy: producedByText(version),
    });

    const bad = spawnSync(process.execPath, [...command, '--date', 'tomorrow'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--date is "tomorrow"');
  });
});
