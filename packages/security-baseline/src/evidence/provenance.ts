import * as fs from 'fs';
import * as path from 'path';

/*
 * The provenance of a report: the revision of the code its cloud assemblies were synthesised
 * from, and the version of this package that wrote it. The NCSC evidence report and the
 * resilience report both show these in their header.
 */

/** The name of this package, as its package.json spells it. */
export const PACKAGE_NAME = '@ssd-platform/security-baseline';

/** The text a report shows in place of the revision when the caller gives none. */
export const REVISION_NOT_GIVEN = 'revision not given';

/**
 * The version that the repository's package.json keeps until a release sets the real one, so
 * that a build from the repository carries it whatever its code.
 */
export const UNRELEASED_VERSION = '0.0.0';

/** The version read from package.json, kept so that the file is read once per process. */
let packageVersion: string | undefined;

/**
 * Returns the name and version of this package, for example `@ssd-platform/security-baseline 1.4.0`.
 *
 * The version is read from the package's own package.json when first asked for, not when the
 * module loads.
 */
export function producedBy(): string {
  packageVersion ??= readPackageVersion(__dirname);
  return producedByText(packageVersion);
}

/**
 * Returns the text that names this package at the given version in a report header.
 *
 * A build from the repository has version 0.0.0 whatever its code, so that version identifies
 * nothing. The text then names the build as unreleased and points to the code revision of the
 * report, which identifies it, rather than showing a version that looks like a release.
 */
export function producedByText(version: string): string {
  if (version === UNRELEASED_VERSION) {
    return `${PACKAGE_NAME} (unreleased build ${UNRELEASED_VERSION}, identified by the code revision)`;
  }
  return `${PACKAGE_NAME} ${version}`;
}

/**
 * Finds the package.json of this package by walking up from `start`, and returns its version,
 * or `(version unknown)` when there is none.
 *
 * The module runs from `src/evidence` under ts-jest and from `lib/evidence` once compiled, and
 * a relative import of the file would fall outside the compiler's root directory. A walk finds
 * it from either place. A package.json with another name, such as
 * one a bundler left on the way, is passed over rather than taken for this package's.
 */
export function readPackageVersion(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const manifest = readManifest(path.join(dir, 'package.json'));
    if (manifest?.name === PACKAGE_NAME && typeof manifest.version === 'string') {
      return manifest.version;
    }
    if (path.dirname(dir) === dir) {
      return '(version unknown)';
    }
  }
}

function readManifest(file: string): { name?: unknown; version?: unknown } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // A missing or unreadable file is not this package's manifest; the walk goes on.
    return undefined;
  }
}

/** Returns the revision to show in a report header: the one given, or "revision not given". */
export function revisionText(revision: string | undefined): string {
  return revision ?? REVISION_NOT_GIVEN;
}

/**
 * Tests whether a revision given to a report can be shown: absent, or text that is not blank.
 * JavaScript callers may pass null to mean "not given".
 */
export function isValidRevision(revision: unknown): boolean {
  return revision === undefined || revision === null || (typeof revision === 'string' && revision.trim() !== '');
}
