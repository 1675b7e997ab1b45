import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isValidRevision, producedBy, producedByText, readPackageVersion, revisionText } from '../../src/evidence/provenance';

const PACKAGE_ROOT = path.join(__dirname, '..', '..');
const VERSION: string = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;

describe('the version of the package', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'provenance-'));
  });
  afterEach(() => {
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('run from src, names the package and its version', () => {
    // GIVEN the module loaded from src, as ts-jest runs it
    // WHEN
    const text = producedBy();

    // THEN
    expect(text).toBe(producedByText(VERSION));
  });

  test('run from the compiled lib, the report names the same version', () => {
    // GIVEN the compiled module, when a build has written it
    const compiled = path.join(PACKAGE_ROOT, 'lib', 'evidence', 'provenance.js');
    if (!fs.existsSync(compiled)) {
      return;
    }

    // WHEN it runs in a process of its own, from another directory
    const result = spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(compiled)}).producedBy())`],
      { encoding: 'utf8', cwd: work });

    // THEN
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(producedByText(VERSION));
  });

  test('a package.json of another package on the way up is passed over', () => {
    // GIVEN the package's manifest two levels up, and another package's manifest in between
    const moduleDir = path.join(work, 'lib', 'evidence');
    fs.mkdirSync(moduleDir, { recursive: true });
    fs.writeFileSync(path.join(work, 'package.json'), JSON.stringify({ name: '@ssd-platform/security-baseline', version: '3.2.1' }));
    fs.writeFileSync(path.join(work, 'lib', 'package.json'), JSON.stringify({ name: 'bundle', version: '9.9.9' }));
    fs.writeFileSync(path.join(moduleDir, 'package.json'), '{ not JSON');

    // WHEN
    const version = readPackageVersion(moduleDir);

    // THEN
    expect(version).toBe('3.2.1');
  });

  test('with no package.json of the package above, the version reads unknown', () => {
    // GIVEN a directory with no manifest of the package above it
    // WHEN
    const version = readPackageVersion(work);

    // THEN
    expect(version).toBe('(version unknown)');
  });
});

describe('the text that names the package', () => {
  test('a released version is shown as it is', () => {
    // GIVEN a version that a release set
    // WHEN
    const text = producedByText('1.4.0');

    // THEN
    expect(text).toBe('@ssd-platform/security-baseline 1.4.0');
  });

  test('version 0.0.0 reads as an unreleased build', () => {
    // GIVEN the version the repository keeps until a release
    // WHEN
    const text = producedByText('0.0.0');

    // THEN the text does not read as a release
    expect(text).toBe('@ssd-platform/security-baseline (unreleased build 0.0.0, identified by the code revision)');
  });

  test('a build from the repository names itself as unreleased', () => {
    // GIVEN the package.json of the repository, which keeps 0.0.0 until a release
    if (VERSION !== '0.0.0') {
      return;
    }

    // WHEN
    const text = producedBy();

    // THEN
    expect(text).toContain('(unreleased build 0.0.0, identified by the code revision)');
  });
});

describe('the revision', () => {
  test('a revision given is shown as given, and an absent one reads "revision not given"', () => {
    expect(revisionText('git 1a2b3c4d5e6f (uncommitted changes)')).toBe('git 1a2b3c4d5e6f (uncommitted changes)');
    expect(revisionText(undefined)).toBe('revision not given');
  });

  test.each([
    ['text', 'git 1a2b3c4d5e6f'],
    ['absent', undefined],
    ['null, as JavaScript callers may pass', null],
  ])('a revision that is %s is accepted', (_name, revision) => {
    expect(isValidRevision(revision)).toBe(true);
  });

  test.each([
    ['empty', ''],
    ['blank', ' \t'],
    ['a number', 42],
  ])('a revision that is %s is rejected', (_name, revision) => {
    expect(isValidRevision(revision)).toBe(false);
  });
});
