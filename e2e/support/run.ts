/** Running processes (kubectl, sh, curl) synchronously and polling, for the e2e tests. No shell is involved. */
import { spawnSync } from 'child_process';

/** What a finished process left behind. */
export interface RunResult {
  /** The command line, for messages (never contains a token: tokens go through files). */
  readonly command: string;
  /** Exit code; -1 when the process could not be started or was killed. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options for {@link run}. */
export interface RunOptions {
  /** Text written to stdin. */
  readonly input?: string;
  /** The environment (replaces process.env when given). */
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Kill after this many milliseconds (default 120 s). */
  readonly timeoutMs?: number;
}

/** Runs `file args...` to completion and returns its exit code and output. Never throws on a non-zero exit. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): RunResult {
  const r = spawnSync(file, [...args], {
    input: options.input,
    env: options.env ?? process.env,
    cwd: options.cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: options.timeoutMs ?? 120_000,
  });
  const stderr = (r.stderr ?? '') + (r.error ? `\n[e2e] ${file}: ${r.error.message}` : '');
  return { command: [file, ...args].join(' '), code: r.status ?? -1, stdout: r.stdout ?? '', stderr };
}

/** A readable dump of a finished command, for assertion messages. */
export function describeRun(r: RunResult): string {
  return `$ ${r.command}\nexit ${r.code}\n--- stdout ---\n${r.stdout.trimEnd()}\n--- stderr ---\n${r.stderr.trimEnd()}`;
}

/** Throws (with the command's output) unless it exited 0. */
export function check(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`command failed:\n${describeRun(r)}`);
  return r;
}

/**
 * How long a test waits for the API server's audit log backend to write the events of requests
 * that completed: a bound on a wait for a state (the events are there), far above the flush delay
 * of a loaded machine, and below the tests' timeout (e2e/jest.config.js).
 */
export const AUDIT_FLUSH_DEADLINE_MS = 120_000;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `probe` until it returns a value other than `undefined`, or throws after `timeoutMs` with the
 * description and the last state seen (what `lastState` returns).
 */
export async function waitFor<T>(
  description: string,
  probe: () => T | undefined | Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; lastState?: () => string } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${options.timeoutMs ?? 60_000} ms waiting for ${description}${options.lastState ? `\nlast state: ${options.lastState()}` : ''}`);
    }
    await sleep(options.intervalMs ?? 200);
  }
}
