import { spawnSync } from 'child_process';
import { resolve } from 'path';

/** cfn-lint findings for one template. */
export interface LintCounts {
  errors: number;
  warnings: number;
  informational: number;
  /** One line per finding: level, rule, location and message. */
  findings: string[];
}

interface CfnLintMatch {
  readonly Filename: string;
  readonly Level: string;
  readonly Message: string;
  readonly Rule: { readonly Id: string };
  readonly Location?: { readonly Path?: Array<string | number> };
}

/** The region every template is checked against: the platform deploys only to London. */
export const LINT_REGION = 'eu-west-2';

/** How to install the cfn-lint release the checks are written for. */
export const CFN_LINT_INSTALL_HINT = 'Install it with: pip install \'cfn-lint>=1.51,<2\'';

/** cfn-lint's exit codes when it ran and found something: sums of 2 (error), 4 (warning) and 8 (informational). */
const FINDING_EXIT_CODES = new Set([0, 2, 4, 6, 8, 10, 12, 14]);

/**
 * Runs cfn-lint once over every template and returns its findings by absolute template path.
 *
 * Throws when cfn-lint is missing or crashes, so that a broken linter never reads as a pass.
 */
export function lintTemplates(templatePaths: string[]): Map<string, LintCounts> {
  const byTemplate = new Map<string, LintCounts>();
  for (const path of templatePaths) {
    byTemplate.set(resolve(path), { errors: 0, warnings: 0, informational: 0, findings: [] });
  }
  if (templatePaths.length === 0) {
    return byTemplate;
  }

  const result = spawnSync('cfn-lint', ['--regions', LINT_REGION, '--format', 'json', '--', ...templatePaths], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) {
    throw new Error(`cfn-lint could not be run (${result.error.message}). ${CFN_LINT_INSTALL_HINT}, and check that it is on the PATH.`);
  }
  // Any other exit code means cfn-lint itself failed.
  const status = result.status ?? 1;
  if (!FINDING_EXIT_CODES.has(status)) {
    throw new Error(`cfn-lint failed with exit code ${status}:\n${result.stderr || result.stdout}`);
  }

  const matches = JSON.parse(result.stdout.trim() || '[]') as CfnLintMatch[];
  for (const match of matches) {
    const counts = byTemplate.get(resolve(match.Filename));
    if (!counts) {
      throw new Error(`cfn-lint reported a finding for a template it was not given: ${match.Filename}`);
    }
    if (match.Level === 'Error') {
      counts.errors += 1;
    } else if (match.Level === 'Warning') {
      counts.warnings += 1;
    } else {
      counts.informational += 1;
    }
    const where = (match.Location?.Path ?? []).join('/');
    counts.findings.push(`${match.Level} ${match.Rule.Id} at ${where}: ${match.Message}`);
  }
  return byTemplate;
}
