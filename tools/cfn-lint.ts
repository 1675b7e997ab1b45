import { spawn } from 'child_process';
import { statSync } from 'fs';
import { availableParallelism } from 'os';
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
 * Runs cfn-lint over every template and returns its findings by absolute template path.
 *
 * The templates are split into batches of about equal total size, one per CPU core unless
 * `processes` sets another number, and the batches run in cfn-lint processes of their own at
 * the same time. One cfn-lint process uses one core, and cfn-lint takes most of the main
 * job's checking time.
 * Throws when cfn-lint is missing or crashes, so that a broken linter never reads as a pass.
 */
export async function lintTemplates(templatePaths: string[], processes = availableParallelism()): Promise<Map<string, LintCounts>> {
  const byTemplate = new Map<string, LintCounts>();
  for (const path of templatePaths) {
    byTemplate.set(resolve(path), { errors: 0, warnings: 0, informational: 0, findings: [] });
  }
  if (templatePaths.length === 0) {
    return byTemplate;
  }

  const outputs = await Promise.all(splitBySize(templatePaths, Math.max(1, processes)).map(runCfnLint));
  for (const match of outputs.flat()) {
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

/** Splits the paths into at most `count` non-empty batches of about equal total file size, largest files first. */
export function splitBySize(paths: string[], count: number): string[][] {
  const batches = Array.from({ length: Math.min(count, paths.length) }, () => ({ bytes: 0, paths: [] as string[] }));
  const bySize = paths.map((path) => ({ path, bytes: statSync(path).size })).sort((a, b) => b.bytes - a.bytes);
  for (const { path, bytes } of bySize) {
    const lightest = batches.reduce((min, batch) => (batch.bytes < min.bytes ? batch : min));
    lightest.paths.push(path);
    lightest.bytes += bytes;
  }
  return batches.map((batch) => batch.paths);
}

/** Runs one cfn-lint process over the templates and returns its findings. */
function runCfnLint(templatePaths: string[]): Promise<CfnLintMatch[]> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('cfn-lint', ['--regions', LINT_REGION, '--format', 'json', '--', ...templatePaths]);
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      reject(new Error(`cfn-lint could not be run (${error.message}). ${CFN_LINT_INSTALL_HINT}, and check that it is on the PATH.`));
    });
    child.on('close', (code) => {
      const output = Buffer.concat(stdout).toString('utf8');
      // Any other exit code means cfn-lint itself failed.
      const status = code ?? 1;
      if (!FINDING_EXIT_CODES.has(status)) {
        reject(new Error(`cfn-lint failed with exit code ${status}:\n${Buffer.concat(stderr).toString('utf8') || output}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(output.trim() || '[]') as CfnLintMatch[]);
      } catch (error) {
        reject(new Error(`cfn-lint printed output that is not JSON (${error instanceof Error ? error.message : String(error)}):\n${output.slice(0, 500)}`));
      }
    });
  });
}
