/**
 * Checks, before the long compile, that the tools the checks need are installed:
 * Node.js 20 or later and cfn-lint 1.x on the PATH. Prints what to install and exits 1
 * when one is missing.
 */
import { spawnSync } from 'child_process';
import { CFN_LINT_INSTALL_HINT } from './cfn-lint';

function main(): number {
  const problems: string[] = [];

  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 20) {
    problems.push(`Node.js ${process.versions.node} is too old: install Node.js 20 or later.`);
  }

  const cfnLint = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  const version = /(\d+)\.(\d+)\.(\d+)/.exec(cfnLint.stdout ?? '');
  if (cfnLint.error || cfnLint.status !== 0 || !version) {
    problems.push(`cfn-lint was not found on the PATH. ${CFN_LINT_INSTALL_HINT}`);
  } else if (version[1] !== '1') {
    problems.push(`cfn-lint ${version[0]} is not a 1.x release. ${CFN_LINT_INSTALL_HINT}`);
  }

  for (const problem of problems) {
    console.error(problem);
  }
  return problems.length > 0 ? 1 : 0;
}

process.exitCode = main();
