import { execFileSync } from 'child_process';
import { realpathSync } from 'fs';

/** The revision text when git cannot determine the revision. */
export const NOT_A_CHECKOUT = 'unknown (not a git checkout)';

/*
 * The paths the main job writes inside the checkout: the reports, and the cloud assembly of
 * each example app. Git ignores both already. They are excluded here as well, so that a change to an
 * ignore file cannot make the job's own output read as a change to the code. The patterns
 * are anchored, so a source file that only looks like an output (examples/x/src/cdk.out.ts, or
 * the cdk.out file of an integration test snapshot) still counts.
 */
const JOB_OUTPUTS = [/^reports\//, /^examples\/[^/]+\/cdk\.out\//];

/**
 * Describes the revision of the code in the git checkout at `root`, for the reports' headers:
 * `git <commit, 12 digits>`, followed by ` (uncommitted changes)` when a file differs from the
 * commit, staged or not, or is untracked, other than the main job's own outputs.
 *
 * Returns `unknown (not a git checkout)` when git fails (git missing, no commit yet) or when
 * `root` is not the top of a checkout, since the commit of an enclosing repository would not
 * describe the code.
 */
export function codeRevision(root: string): string {
  try {
    const [top, commit] = git(root, ['rev-parse', '--show-toplevel', '--short=12', 'HEAD']).trim().split('\n');
    if (realpathSync(top) !== realpathSync(root)) {
      return NOT_A_CHECKOUT;
    }
    // Untracked files are listed one by one, whatever the user's configuration. A new source
    // file changes the code as much as an edited one, and a new directory listed as a whole
    // could not be told apart from one with only the job's outputs. Optional locks are off so
    // that the check does not rewrite the index under a git command running at the same time.
    const status = git(root, ['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=all']);
    const changed = changedPaths(status).filter((file) => !JOB_OUTPUTS.some((output) => output.test(file)));
    return `git ${commit}${changed.length > 0 ? ' (uncommitted changes)' : ''}`;
  } catch {
    return NOT_A_CHECKOUT;
  }
}

/**
 * Returns the paths in `git status --porcelain=v1 -z` output, relative to the top of the
 * checkout. A rename or copy names two paths, and both count: moving a source file into
 * reports/ still removes it from where it was.
 */
export function changedPaths(status: string): string[] {
  const fields = status.split('\0').filter((field) => field !== '');
  const paths: string[] = [];
  for (let index = 0; index < fields.length; index++) {
    const entry = fields[index];
    paths.push(entry.slice(3));
    if (/[RC]/.test(entry.slice(0, 2))) {
      paths.push(fields[++index] ?? '');
    }
  }
  return paths;
}

function git(cwd: string, args: string[]): string {
  // Git's own messages ("not a git repository") stay off the job's output, because the
  // returned revision reports the failure.
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}
