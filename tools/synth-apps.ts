import { existsSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';

/** The result of synthesising one example app. */
export interface AppRun {
  readonly app: string;
  readonly seconds: number;
  /** Whether the app wrote a cloud assembly. */
  readonly ok: boolean;
  /** The exit code the app would have had in a process of its own. */
  readonly exitCode: number;
  /** What the app printed, and the error it threw if it threw one. */
  readonly output: string;
}

type Write = typeof process.stdout.write;

/**
 * Synthesises example apps one after another in this process, each into `<app>/cdk.out`
 * with the context the CDK CLI would pass (cdk.json and cdk.context.json).
 *
 * One process loads aws-cdk-lib, cdk-nag and the libraries once for every app, instead of
 * once per app. Each app's compiled entry point `lib/main.js` runs as it would under the
 * CLI: `App` reads its output folder and context from `CDK_OUTDIR` and `CDK_CONTEXT_JSON`.
 * What an app prints is captured, not shown, and an app that throws does not stop the
 * others. An entry point must not call `process.exit()`, which would end this process.
 */
export function synthesiseApps(root: string, apps: string[]): AppRun[] {
  const savedEnvironment = { CDK_OUTDIR: process.env.CDK_OUTDIR, CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON };
  const savedDirectory = process.cwd();
  const savedExitCode = process.exitCode;
  try {
    return apps.map((app) => synthesiseApp(root, app));
  } finally {
    process.chdir(savedDirectory);
    restoreEnvironment(savedEnvironment);
    process.exitCode = savedExitCode;
  }
}

function synthesiseApp(root: string, app: string): AppRun {
  const dir = join(root, app);
  const outdir = join(dir, 'cdk.out');
  rmSync(outdir, { recursive: true, force: true });
  const context = { ...readJson(join(dir, 'cdk.json'))?.context, ...readJson(join(dir, 'cdk.context.json')) };

  process.chdir(dir);
  process.env.CDK_OUTDIR = outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  // aws-cdk-lib sets process.exitCode when a policy validation plugin reports a failure.
  process.exitCode = undefined;

  const chunks: string[] = [];
  const started = Date.now();
  let thrown: unknown;
  const restoreOutput = captureOutput(chunks);
  try {
    // The entry point is CommonJS that synthesises as it loads, so loading it is running it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(join(dir, 'lib', 'main.js'));
  } catch (error) {
    thrown = error;
  } finally {
    restoreOutput();
  }
  const seconds = (Date.now() - started) / 1000;

  if (thrown !== undefined) {
    chunks.push(thrown instanceof Error ? `${thrown.stack ?? thrown.message}\n` : `${String(thrown)}\n`);
  }
  const exitCode = thrown !== undefined ? 1 : Number(process.exitCode ?? 0);
  return { app, seconds, ok: existsSync(join(outdir, 'manifest.json')), exitCode, output: chunks.join('').trim() };
}

/** Sends everything written to stdout and stderr into `chunks` until the returned function is called. */
function captureOutput(chunks: string[]): () => void {
  const originalStdout: Write = process.stdout.write;
  const originalStderr: Write = process.stderr.write;
  const capture = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as Write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  return () => {
    process.stdout.write = originalStdout;
    process.stderr.write = originalStderr;
  };
}

function restoreEnvironment(saved: Record<string, string | undefined>): void {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) {
      delete process.env[name];
    } else {
      process.env[name] = value;
    }
  }
}

function readJson(path: string): any {
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}
