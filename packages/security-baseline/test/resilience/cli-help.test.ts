import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HELP, main } from '../../src/resilience/cli';

function run(...argv: string[]): { code: number; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(argv, (line) => out.push(line), (line) => err.push(line));
  return { code, out, err };
}

describe('resilience-check --help', () => {
  let workdir: string;
  let cwd: string;
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'resilience-help-'));
    cwd = process.cwd();
    process.chdir(workdir);
  });
  afterEach(() => {
    process.chdir(cwd);
    fs.rmSync(workdir, { recursive: true, force: true });
  });

  test.each([['--help'], ['-h']])('%s prints the help and exits 0', (option) => {
    // GIVEN no other argument
    // WHEN
    const result = run(option);

    // THEN the help goes to standard output, and nothing is written
    expect(result).toEqual({ code: 0, out: [HELP], err: [] });
    expect(fs.readdirSync(workdir)).toEqual([]);
  });

  test('--help wins over wrong arguments', () => {
    // GIVEN an unknown option and a missing value
    // WHEN --help is added to the same command line
    const result = run('--verbose', '--environment', '--help');

    // THEN the help is printed rather than the argument errors
    expect(result).toEqual({ code: 0, out: [HELP], err: [] });
  });

  test('the help lists options, files and exit codes', () => {
    // GIVEN the help text
    // WHEN it is read
    // THEN it starts with the usage line, and names every option
    expect(HELP.startsWith('Usage: resilience-check --environment <name> --assembly <cdk.out>')).toBe(true);
    for (const option of ['--environment <name>', '--assembly <dir>', '--out <dir>', '--production', '--backup-tag-key <key>',
      '--backup-tag-value <value>', '--revision <text>', '--help, -h']) {
      expect(HELP).toContain(`\n  ${option}`);
    }
    // AND it names what the command reads and writes
    expect(HELP).toContain('manifest.json');
    expect(HELP).toContain('SinglePointOfFailure.acknowledge');
    expect(HELP).toContain('<out>/resilience-<name>.md and <out>/resilience-<name>.json');
    // AND it describes what the report shows without a revision
    expect(HELP).toContain('without it the header reads\n                            "revision not given"');
    // AND it gives each exit code
    expect(HELP).toMatch(/Exit codes: 0 report written.*; 1 with --production .*; 2 invalid arguments\.$/s);
  });

  test('an argument error points to --help', () => {
    // GIVEN a command line without --environment
    // WHEN
    const { code, err } = run('--out', 'reports');

    // THEN the error, the usage line and where to find the help are printed
    expect(code).toBe(2);
    expect(err).toEqual([
      'resilience-check: --environment is missing. Give the environment name, for example --environment production.',
      expect.stringMatching(/^Usage: resilience-check /),
      'Run "resilience-check --help" for what each option means and the exit codes.',
    ]);
  });

  test('the command run as a process prints the help and exits 0', () => {
    // GIVEN the command's source, run through ts-node so that the test does not depend on a build
    const source = path.join(__dirname, '..', '..', 'src', 'resilience', 'cli.ts');

    // WHEN
    const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', source, '--help'], { encoding: 'utf8', cwd });

    // THEN
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`${HELP}\n`);
  });
});
