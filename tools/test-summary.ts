/**
 * Prints one closing line for the whole test command, summed over the Jest JUnit reports of
 * the root and of every package: `N passed, N failed`.
 *
 * Exits 1 if any test failed or if no package ran a test, so that a run that tested
 * nothing never reads as a pass.
 */
import { existsSync, readFileSync, readdirSync } from 'fs';
import { join, resolve } from 'path';

const ROOT = resolve(__dirname, '..');

function main(): number {
  let total = 0;
  let failed = 0;
  let skipped = 0;
  const reportDirs = [ROOT, ...readdirSync(join(ROOT, 'packages')).map((pkg) => join(ROOT, 'packages', pkg))];
  for (const dir of reportDirs) {
    const report = join(dir, 'test-reports', 'junit.xml');
    if (!existsSync(report)) {
      continue;
    }
    const head = /<testsuites\b[^>]*>/.exec(readFileSync(report, 'utf8'))?.[0] ?? '';
    const attribute = (name: string) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1] ?? 0);
    total += attribute('tests');
    failed += attribute('failures') + attribute('errors');
    skipped += attribute('skipped');
  }

  const passed = total - failed - skipped;
  console.log(`\nTests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  if (total === 0) {
    console.error('No unit test ran: check that each package\'s Jest run wrote test-reports/junit.xml.');
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
