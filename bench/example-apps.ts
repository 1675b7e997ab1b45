import { existsSync, readFileSync } from 'fs';
import { join, resolve } from 'path';

/** The repository root. */
export const ROOT = resolve(__dirname, '..');

/** Returns the example apps as the main job finds them: the workspaces under examples/ that have a cdk.json. */
export function exampleApps(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return pkg.workspaces.filter((dir) => dir.startsWith('examples/') && existsSync(join(ROOT, dir, 'cdk.json')));
}

/** Returns the context the CDK CLI would pass to an example app: its cdk.json context and its cdk.context.json. */
export function appContext(app: string): Record<string, unknown> {
  const readJson = (path: string) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined);
  return { ...readJson(join(ROOT, app, 'cdk.json'))?.context, ...readJson(join(ROOT, app, 'cdk.context.json')) };
}

/** Returns the environment variables that make a CDK app write its assembly to `outdir` with the app's context. */
export function synthEnvironment(app: string, outdir: string): Record<string, string> {
  return { CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(appContext(app)) };
}

/** Returns an installed package's version, read from its package.json under the root node_modules. */
export function installedVersion(name: string): string {
  const path = join(ROOT, 'node_modules', name, 'package.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version : 'not installed';
}
