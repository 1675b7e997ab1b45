import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ROOT } from './example-apps';
import { elapsedSeconds } from './timing';

/** One step of the root test task and how long it ran. */
export interface TestStep {
  /** The step as projen prints it, for example `compile:all: npx tsc --build (cwd: examples/common)`. */
  readonly label: string;
  /** The root test task's subtask the step belongs to, or `test` for its own commands. */
  readonly group: string;
  readonly seconds: number;
}

/** One run of the test command. */
export interface TestCommandRun {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly steps: TestStep[];
  /** The last lines of the output of a failed run. */
  readonly failure?: string;
}

interface ProjenStep {
  readonly spawn?: string;
  readonly exec?: string;
  readonly execArgs?: string[];
  readonly cwd?: string;
}

interface ExpectedMarker {
  readonly group: string;
  /** The start of the line projen prints when the step starts. */
  readonly prefix: string;
  /** The ` (cwd: <dir>)` suffix projen adds for a step with its own working directory. */
  readonly suffix: string;
  readonly label: string;
}

/**
 * Returns the lines projen prints as the root test task reaches each of its steps, in
 * order, read from .projen/tasks.json: `👾 test » <subtask> | <command> (cwd: <dir>)`.
 */
function expectedMarkers(): ExpectedMarker[] {
  const tasks = (JSON.parse(readFileSync(join(ROOT, '.projen', 'tasks.json'), 'utf8')) as { tasks: Record<string, { steps?: ProjenStep[] }> }).tasks;
  const markers: ExpectedMarker[] = [];
  const visit = (taskName: string, path: string, group: string) => {
    for (const step of tasks[taskName]?.steps ?? []) {
      if (step.spawn) {
        visit(step.spawn, `${path} » ${step.spawn}`, group === 'test' ? step.spawn : group);
        continue;
      }
      // projen leaves the "$@" of a task that takes arguments out of the line it prints.
      const command = step.exec ?? (step.execArgs ?? []).filter((arg) => arg !== '$@').join(' ');
      const suffix = step.cwd ? ` (cwd: ${step.cwd})` : '';
      markers.push({ group, prefix: `👾 ${path} | ${command}`, suffix, label: `${path.replace(/^test( » )?/, '') || 'test'}: ${command}${suffix}` });
    }
  };
  visit('test', 'test', 'test');
  return markers;
}

/**
 * Runs `npm test` from the repository root and times it, and each step of the root test
 * task from the moment projen prints the step's line to the next step's line.
 *
 * The steps are matched in order, so that the same line printed by a package's own test
 * task is not taken for a step of the root task.
 */
export function timeTestCommand(): Promise<TestCommandRun> {
  const markers = expectedMarkers();
  const started = process.hrtime.bigint();
  const reached: Array<{ marker: ExpectedMarker; at: number }> = [];
  const tail: string[] = [];

  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 30) {
      tail.shift();
    }
    const next = markers[reached.length];
    if (next && line.startsWith(next.prefix) && line.endsWith(next.suffix)) {
      reached.push({ marker: next, at: elapsedSeconds(started) });
    }
  };

  return new Promise((done, fail) => {
    const child = spawn('npm', ['test'], { cwd: ROOT, env: process.env });
    for (const stream of [child.stdout, child.stderr]) {
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + chunk.toString()).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(onLine);
      });
    }
    child.on('error', fail);
    child.on('close', (exitCode) => {
      const seconds = elapsedSeconds(started);
      const startUp = { label: 'npm and projen start-up', group: 'npm and projen start-up', seconds: reached[0]?.at ?? seconds };
      const steps = [startUp, ...reached.map(({ marker, at }, index) => ({
        label: marker.label,
        group: marker.group,
        seconds: (reached[index + 1]?.at ?? seconds) - at,
      }))];
      done({ seconds, exitCode, steps, failure: exitCode === 0 ? undefined : tail.join('\n') });
    });
  });
}
