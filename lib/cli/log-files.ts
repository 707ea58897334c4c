/**
 * Checking the audit logs named on the command line before any is read, so that a typo is one clear
 * error (exit 2) rather than a warning after other files' output.
 */
import * as fs from 'fs';
import * as os from 'os';
import { CliInputError } from './errors';

/** Below this many bytes of log files, starting worker threads costs more than it saves. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

/** The most worker threads `audit` starts by itself (the main thread reads and orders for all of them). */
export const MAX_AUTO_WORKERS = 4;

/**
 * Throws for the first path (other than `-`, stdin) that is not a readable file.
 * @throws CliInputError naming the path and what to pass instead
 */
export function checkLogFiles(paths: readonly string[]): void {
  for (const p of paths) {
    if (p === '-') continue;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
      if (!stat.isDirectory()) fs.accessSync(p, fs.constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const what = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied (audit logs are often root-only: try sudo, or copy the file)' : (e as Error).message;
      throw new CliInputError(`${p}: ${what}; pass an audit log (the API server's --audit-log-path file or a rotated .gz of it), or - for stdin.`);
    }
    if (stat.isDirectory()) throw new CliInputError(`${p} is a directory; pass the log files in it, e.g. ${p.replace(/\/+$/, '')}/audit*.log*.`);
  }
}

/**
 * How many worker threads to read `paths` with when `--workers` is not given: none for stdin, for
 * less than {@link PARALLEL_MIN_BYTES} of files, or on one core; else one per core, at most
 * {@link MAX_AUTO_WORKERS}.
 */
export function autoWorkers(paths: readonly string[]): number {
  if (paths.includes('-')) return 0;
  const bytes = paths.reduce((n, p) => n + fs.statSync(p).size, 0);
  const cores = os.availableParallelism();
  return bytes < PARALLEL_MIN_BYTES || cores < 2 ? 0 : Math.min(cores, MAX_AUTO_WORKERS);
}
