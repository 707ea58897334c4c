/**
 * Running the CLI in tests: `runBuilt` spawns the built binary (`node build/lib/cli/main.js`) as
 * users run it, and fails with a clear message when build/ is missing or older than the sources;
 * `runInProcess` calls `run` with a fake terminal, for the cases that need no process.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import { CliIo } from '../../lib/cli/io';
import { run } from '../../lib/cli/run';

/** The project root (the CLI runs there, so `dist/` resolves). */
export const ROOT = path.resolve(__dirname, '../..');
/** The built entry point. */
export const MAIN = path.join(ROOT, 'build/lib/cli/main.js');

/** What a run printed and returned. */
export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

let checked = false;

/** Throws unless every `lib/cli`, `lib/rbac` and `lib/audit` source has a built `.js` at least as new as it. */
export function assertBuilt(): void {
  if (checked) return;
  const stale = ['lib/cli', 'lib/rbac', 'lib/audit'].flatMap((d) => sources(path.join(ROOT, d))).filter((ts) => {
    const js = path.join(ROOT, 'build', path.relative(ROOT, ts)).replace(/\.ts$/, '.js');
    return !fs.existsSync(js) || fs.statSync(js).mtimeMs < fs.statSync(ts).mtimeMs;
  });
  if (stale.length > 0) {
    throw new Error(`build/ is missing or older than ${path.relative(ROOT, stale[0])} (and ${stale.length - 1} more): run \`npm run build\` (or \`npx tsc -p tsconfig.json\`) before these tests.`);
  }
  checked = true;
}

/** Runs `node build/lib/cli/main.js ...args` in the project root, stdout not a terminal, `NO_COLOR` and `FORCE_COLOR` unset. */
export function runBuilt(args: readonly string[], stdin?: string): CliRun {
  assertBuilt();
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, input: stdin ?? '', env, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

/** Like {@link runBuilt}, without blocking, so that many runs can share the wait. */
export function runBuiltAsync(args: readonly string[], stdin?: string): Promise<CliRun> {
  assertBuilt();
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status) => resolve({ stdout, stderr, status: status ?? -1 }));
    child.stdin.end(stdin ?? '');
  });
}

/**
 * Runs the CLI in this process, with the given terminal, environment and clock (paths relative to
 * the project root). Tests in one file run one at a time, so changing the directory is safe.
 */
export async function runInProcess(
  args: readonly string[],
  terminal: { tty?: boolean; columns?: number; stdinTty?: boolean; env?: Record<string, string>; stdin?: string; now?: number } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    writeOut: (t) => { stdout += t; },
    writeErr: (t) => { stderr += t; },
    readStdin: () => terminal.stdin ?? '',
    openStdin: () => Readable.from([Buffer.from(terminal.stdin ?? '', 'utf8')]),
    stdinIsTTY: terminal.stdinTty ?? false,
    stdoutIsTTY: terminal.tty ?? false,
    ...(terminal.columns !== undefined ? { columns: terminal.columns } : {}),
    now: () => terminal.now ?? Date.now(),
    env: terminal.env ?? {},
  };
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const status = await run(args, io);
    return { stdout, stderr, status };
  } finally {
    process.chdir(cwd);
  }
}

/** The walkthrough's service accounts as `--as` values. */
export const SECRET_SA = 'system:serviceaccount:dev:secret-access-sa';
/** The service account bound to a ClusterRole without rules. */
export const NO_ACCESS_SA = 'system:serviceaccount:dev:no-access-sa';
/** A fixture directory under test/cli/fixtures, relative to the project root. */
export const fixture = (name: string) => `test/cli/fixtures/${name}`;
