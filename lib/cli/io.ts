/**
 * The CLI's only contact with the process: output streams, stdin (whole or as a stream), whether
 * stdin and stdout are terminals, the clock, and the environment. Tests and `run` take a
 * {@link CliIo}; `main.ts` passes {@link processIo}.
 */
import * as fs from 'fs';
import * as tty from 'tty';
import { OutputClosedError } from './errors';
import { EXIT_ERROR } from './exit-code';
import type { TableLayout } from './render/style';
import { DEFAULT_HELP_WIDTH } from './render/wrap';

/** What the CLI needs from its process. */
export interface CliIo {
  /**
   * Writes to stdout (text is written as given; callers add the newlines). A returned promise
   * settles when the output can take more (backpressure); streaming commands wait for it.
   * @throws OutputClosedError once the reader of stdout has gone (EPIPE)
   */
  readonly writeOut: (text: string) => void | Promise<void>;
  /** Writes to stderr. */
  readonly writeErr: (text: string) => void;
  /** Reads stdin (for `-f -`): all of it, but no more than `limit + 1` bytes (so that a larger input can be refused). */
  readonly readStdin: (limit: number) => string;
  /** Stdin as a byte stream, read as it arrives (for `audit -`, which must not hold a whole log). */
  readonly openStdin: () => AsyncIterable<unknown>;
  /** Whether stdin is a terminal (`audit` without a LOG then refuses to wait for typed input). */
  readonly stdinIsTTY: boolean;
  /** Whether stdout is a terminal (colours are used only then, unless `FORCE_COLOR`; tables are fitted to its width only then). */
  readonly stdoutIsTTY: boolean;
  /**
   * The terminal's width in columns, when stdout is a terminal.
   * @default - unknown: tables are not fitted, help is wrapped at 80 columns
   */
  readonly columns?: number;
  /** The current time in epoch milliseconds (for `--since 1h`). */
  readonly now: () => number;
  /** The environment (`NO_COLOR`, `FORCE_COLOR`, `TERM`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * A writer for `stream` (stdout) that waits for `drain` when the stream's buffer is full, and stops
 * with {@link OutputClosedError} once the reader has closed it (EPIPE), so that the command keeps
 * its own exit code (`can-i ... | true` still exits 1 for "no") and prints no stack trace. Any
 * other write error is one line on stderr and exit code 2.
 */
export function outputWriter(stream: NodeJS.WriteStream): (text: string) => void | Promise<void> {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') {
      closed = true;
      return;
    }
    process.stderr.write(`api-reader: error: cannot write the output: ${error.message}\n`);
    process.exit(EXIT_ERROR);
  });
  return (text) => {
    if (closed) throw new OutputClosedError();
    if (stream.write(text)) return undefined;
    return new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('error', done);
        stream.off('close', done);
        resolve();
      };
      stream.on('drain', done).on('error', done).on('close', done);
    });
  };
}

/** Reads `fd` to its end or to `limit + 1` bytes, whichever comes first (waiting out EAGAIN on a non-blocking pipe). */
function readFdBounded(fd: number, limit: number): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buffer = Buffer.alloc(1 << 20);
  while (total <= limit) {
    let n: number;
    try {
      n = fs.readSync(fd, buffer, 0, Math.min(buffer.length, limit + 1 - total), null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
    total += n;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The real process: `process.stdout`, `process.stderr`, stdin, the system clock and `process.env`. */
export function processIo(): CliIo {
  return {
    writeOut: outputWriter(process.stdout),
    writeErr: (text) => process.stderr.write(text),
    readStdin: (limit) => readFdBounded(0, limit),
    openStdin: () => process.stdin,
    // Not `process.stdin.isTTY`: creating process.stdin makes a pipe on fd 0 non-blocking, and
    // readFileSync(0) of a large pipe (`kubectl get ... -o json | api-reader ... -f -`) then fails with EAGAIN.
    stdinIsTTY: tty.isatty(0),
    stdoutIsTTY: process.stdout.isTTY === true,
    ...(process.stdout.isTTY === true && process.stdout.columns > 0 ? { columns: process.stdout.columns } : {}),
    now: () => Date.now(),
    env: process.env,
  };
}

/** `FORCE_COLOR` values that turn colours on (Node's own rule: `''`, `1`, `true`, `2`, `3`); any other value turns them off. */
const FORCE_COLOR_ON: ReadonlySet<string> = new Set(['', '1', 'true', '2', '3']);

/**
 * Whether to colour output, as Node decides for its own: `FORCE_COLOR` wins when set (on for `''`,
 * `1`, `true`, `2`, `3`, off for any other value, `NO_COLOR` then ignored); otherwise only when stdout
 * is a terminal, `TERM` is not `dumb`, and `NO_COLOR` is unset or empty (see https://no-color.org).
 */
export function wantsColor(io: Pick<CliIo, 'stdoutIsTTY' | 'env'>): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return FORCE_COLOR_ON.has(force);
  const noColor = io.env.NO_COLOR;
  return io.stdoutIsTTY && io.env.TERM !== 'dumb' && (noColor === undefined || noColor === '');
}

/** The width help is wrapped to: the terminal's, or 80 columns when stdout is not a terminal. */
export function helpWidth(io: Pick<CliIo, 'stdoutIsTTY' | 'columns'>): number {
  return io.stdoutIsTTY && io.columns !== undefined && io.columns > 0 ? io.columns : DEFAULT_HELP_WIDTH;
}

/** The table layout for this process: headings unless `--no-headers`, fitted to the terminal's width when stdout is one. */
export function tableLayout(io: Pick<CliIo, 'stdoutIsTTY' | 'columns'>, headers: boolean): TableLayout {
  return { headers, ...(io.stdoutIsTTY && io.columns !== undefined && io.columns > 0 ? { width: io.columns } : {}) };
}
