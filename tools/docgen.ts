/**
 * Writes a package's API.md from its compiled jsii assembly.
 *
 *   node -r ts-node/register/transpile-only ../../tools/docgen.ts   (run in a package directory)
 *
 * The jsii-docgen command looks for dependency assemblies (aws-cdk-lib, constructs)
 * under the package's own node_modules, where npm workspaces do not put them, so this
 * script points it at the root node_modules instead.
 */
import { writeFileSync } from 'fs';
import { join, resolve } from 'path';
import { Documentation, Language } from 'jsii-docgen';

async function main(): Promise<void> {
  const packageDir = process.cwd();
  const docs = await Documentation.forProject(packageDir, { assembliesDir: resolve(__dirname, '..', 'node_modules') });
  try {
    const markdown = await docs.toMarkdown({ language: Language.TYPESCRIPT, readme: false, allSubmodules: true });
    writeFileSync(join(packageDir, 'API.md'), markdown.render());
  } finally {
    await docs.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
