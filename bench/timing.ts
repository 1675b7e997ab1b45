import { spawnSync } from 'child_process';

/** A finished child process and how long it ran. */
export interface TimedRun {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly output: string;
}

/** Options of a timed child process. */
export interface TimedRunOptions {
  readonly cwd: string;
  /** Added to this process's environment. */
  readonly env?: Record<string, string>;
}

/** Runs a command to completion and returns its wall time in seconds. */
export function timeCommand(command: string, args: string[], options: TimedRunOptions): TimedRun {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = elapsedSeconds(started);
  if (result.error) {
    throw new Error(`${command} could not be run: ${result.error.message}`);
  }
  return { seconds, exitCode: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Times a function call in this process. */
export function timeCall<T>(call: () => T): { seconds: number; value: T } {
  const started = process.hrtime.bigint();
  const value = call();
  return { seconds: elapsedSeconds(started), value };
}

/** Times an asynchronous function call in this process. */
export async function timeAsyncCall<T>(call: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await call();
  return { seconds: elapsedSeconds(started), value };
}

export function elapsedSeconds(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Returns the median of the samples; the mean of the middle two for an even count. */
export function median(samples: number[]): number {
  if (samples.length === 0) {
    return NaN;
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Collects timing samples by name across runs, so that each figure is the median of its runs. */
export class Samples {
  private readonly byName = new Map<string, number[]>();

  public add(name: string, seconds: number): void {
    const samples = this.byName.get(name) ?? [];
    samples.push(seconds);
    this.byName.set(name, samples);
  }

  /** Returns the median of the samples recorded under the name; NaN if there are none. */
  public median(name: string): number {
    return median(this.byName.get(name) ?? []);
  }

  /** Returns the smallest and largest sample, to show the spread. */
  public range(name: string): [number, number] {
    const samples = this.byName.get(name) ?? [];
    return [Math.min(...samples), Math.max(...samples)];
  }

  public count(name: string): number {
    return this.byName.get(name)?.length ?? 0;
  }

  /** Returns every sample by name, for the JSON record. */
  public toJSON(): Record<string, number[]> {
    return Object.fromEntries(this.byName);
  }
}
