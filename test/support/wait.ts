import * as fs from 'fs';

/**
 * Resolves when `ready()` holds, checked every 20 ms: a wait for a state, never for a time (the
 * test's own timeout bounds it).
 */
export function waitUntil(ready: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => (ready() ? resolve() : setTimeout(check, 20));
    check();
  });
}

/** The process ids of `parent`'s children whose command is `command`, read from Linux's `/proc`. */
export function childProcesses(parent: number, command: string): number[] {
  const found: number[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    if (comm === command && ppid === parent) found.push(Number(pid));
  }
  return found;
}

/** Whether process `pid` exists and has not exited (a zombie waiting to be reaped has exited). */
export function processRuns(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
