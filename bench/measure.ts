// Measuring one process: wall time (by the harness), user + system CPU time and peak RSS (by
// `/usr/bin/time`, or by polling /proc/PID/status when that is missing), and the statistics the
// report uses. CPU time matters here because the bench machine is shared: when other work keeps
// the cores busy, wall time includes waiting for a core, CPU time does not.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** One measured process. */
export interface Sample {
  wall_s: number;
  /** user + system CPU seconds of the process and its children, or null without /usr/bin/time */
  cpu_s: number | null;
  peak_rss_mb: number | null;
}

/** Where and how to run a measured command. */
export interface MeasureOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs `cmd` to completion and measures it; throws with the tail of stderr when it fails. */
export async function measure(cmd: string[], options: MeasureOptions): Promise<Sample> {
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
  const argv = GNU_TIME ? [GNU_TIME, '-f', '%e %M %U %S', '-o', timeFile, ...cmd] : cmd;
  const start = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const polled = GNU_TIME ? undefined : pollPeakRss(child.pid);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  polled?.stop();
  if (code !== 0) throw new Error(`bench: ${cmd.join(' ')} exited ${code}:\n${stderr}`);
  if (!GNU_TIME) return { wall_s: wall, cpu_s: null, peak_rss_mb: polled!.peakMb() };
  const [, rssKb, user, system] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  fs.rmSync(timeFile, { force: true });
  return { wall_s: wall, cpu_s: round3(user + system), peak_rss_mb: Math.round(rssKb / 1024) };
}

function pollPeakRss(pid: number | undefined): { stop(): void; peakMb(): number | null } {
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      // exited
    }
  }, 5);
  return { stop: () => clearInterval(timer), peakMb: () => (peakKb ? Math.round(peakKb / 1024) : null) };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function maxOf(xs: readonly (number | null)[]): number | null {
  return xs.every((x) => x === null) ? null : Math.max(...xs.map((x) => x ?? 0));
}

/** Median of the non-null values, or null. */
export function medianOf(xs: readonly (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? round3(median(known)) : null;
}
