import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { NOT_A_CHECKOUT, changedPaths, codeRevision } from '../revision';

let work: string;
let repo: string;
let savedCeiling: string | undefined;

/** Runs git in the test repository, with an identity and no signing, whatever the user's configuration. */
function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args],
    { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function write(file: string, content = 'content\n'): void {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), content);
}

beforeEach(() => {
  // GIVEN a checkout with one commit: a source file, a tracked report and a tracked assembly file.
  // The outputs are tracked, and nothing is ignored, so that only the check's own exclusions can hide them.
  work = realpathSync(mkdtempSync(join(tmpdir(), 'revision-')));
  // Git must not find a repository above the temporary directory, in the "not a checkout" cases.
  savedCeiling = process.env.GIT_CEILING_DIRECTORIES;
  process.env.GIT_CEILING_DIRECTORIES = work;
  repo = join(work, 'checkout');
  mkdirSync(repo);
  git('init', '--quiet');
  write('packages/lib/src/index.ts');
  write('reports/ncsc-production.md');
  write('examples/production/cdk.out/manifest.json');
  git('add', '.');
  git('commit', '--quiet', '-m', 'First');
});

afterEach(() => {
  if (savedCeiling === undefined) {
    delete process.env.GIT_CEILING_DIRECTORIES;
  } else {
    process.env.GIT_CEILING_DIRECTORIES = savedCeiling;
  }
  rmSync(work, { recursive: true, force: true });
});

describe('codeRevision', () => {
  test('a clean checkout reads as its commit, 12 digits', () => {
    // WHEN
    const revision = codeRevision(repo);

    // THEN
    expect(revision).toBe(`git ${git('rev-parse', 'HEAD').slice(0, 12)}`);
    expect(revision).toMatch(/^git [0-9a-f]{12}$/);
  });

  test.each([
    ['an edited source file', () => write('packages/lib/src/index.ts', 'edited\n')],
    ['a staged change', () => {
      write('packages/lib/src/index.ts', 'edited\n');
      git('add', '.');
    }],
    ['a new untracked source file', () => write('packages/lib/src/new.ts')],
    ['a deleted source file', () => rmSync(join(repo, 'packages/lib/src/index.ts'))],
    ['a source file moved into reports/', () => {
      mkdirSync(join(repo, 'reports/moved'), { recursive: true });
      git('mv', 'packages/lib/src/index.ts', 'reports/moved/index.ts');
    }],
    ['a file under a source directory named reports', () => write('packages/lib/src/reports/format.ts')],
    ['a source file named like an assembly', () => write('examples/production/src/cdk.out.ts')],
    ['a cdk.out directory outside an example app', () => write('examples/production/test/cdk.out/manifest.json')],
    ['a new example app with its assembly', () => {
      write('examples/staging/src/main.ts');
      write('examples/staging/cdk.out/manifest.json');
    }],
    ['the cdk.out file of an integration test snapshot', () => write('packages/lib/test/integ.x.ts.snapshot/cdk.out')],
  ])('%s reads as uncommitted changes', (_name, change) => {
    // GIVEN
    change();

    // WHEN
    const revision = codeRevision(repo);

    // THEN
    expect(revision).toMatch(/^git [0-9a-f]{12} \(uncommitted changes\)$/);
  });

  test('the main job\'s own outputs, new or changed, do not count', () => {
    // GIVEN the outputs a run of the main job leaves: reports and assemblies, tracked or not,
    // with a space in a file name
    write('reports/ncsc-production.md', 'rewritten\n');
    write('reports/production synth.log');
    write('examples/production/cdk.out/manifest.json', '{}\n');
    write('examples/security/cdk.out/Security.template.json');
    rmSync(join(repo, 'examples/production/cdk.out/manifest.json'));

    // WHEN
    const revision = codeRevision(repo);

    // THEN
    expect(revision).toBe(`git ${git('rev-parse', '--short=12', 'HEAD')}`);
  });

  test('a directory that is not a git checkout reads as unknown', () => {
    expect(codeRevision(work)).toBe(NOT_A_CHECKOUT);
  });

  test('a subdirectory of a checkout reads as unknown, not as the enclosing commit', () => {
    expect(codeRevision(join(repo, 'packages'))).toBe(NOT_A_CHECKOUT);
  });

  test('a checkout with no commit reads as unknown', () => {
    // GIVEN
    const empty = join(work, 'empty');
    mkdirSync(empty);
    execFileSync('git', ['init', '--quiet'], { cwd: empty });

    // WHEN
    const revision = codeRevision(empty);

    // THEN
    expect(revision).toBe(NOT_A_CHECKOUT);
  });
});

describe('changedPaths', () => {
  test('renames and unusual file names', () => {
    // GIVEN porcelain -z output: a modification, a rename (new path, then old path) and an untracked file
    const status = ' M src/a.ts\0R  reports/b.ts\0src/b.ts\0?? src/odd\nname.ts\0';

    // WHEN
    const paths = changedPaths(status);

    // THEN
    expect(paths).toEqual(['src/a.ts', 'reports/b.ts', 'src/b.ts', 'src/odd\nname.ts']);
  });
});
