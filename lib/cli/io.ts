/**
 * The CLI's only contact with the process: output streams, stdin (whole or as a stream), whether
 * stdin and stdout are terminals, the clock, and the environment. Tests and `run` take a
 * {@link CliIo}; `main.ts` passes {@link processIo}.
 */
import * as fs from 'fs';

/** What the CLI needs from its process. */
export interface CliIo {
  /** Writes to stdout (text is written as given; callers add the newlines). */
  readonly writeOut: (text: string) => void;
  /** Writes to stderr. */
  readonly writeErr: (text: string) => void;
  /** Reads all of stdin (for `-f -`). */
  readonly readStdin: () => string;
  /** Stdin as a byte stream, read as it arrives (for `audit -`, which must not hold a whole log). */
  readonly openStdin: () => AsyncIterable<unknown>;
  /** Whether stdin is a terminal (`audit` without a LOG then refuses to wait for typed input). */
  readonly stdinIsTTY: boolean;
  /** Whether stdout is a terminal (colours are used only then). */
  readonly stdoutIsTTY: boolean;
  /** The current time in epoch milliseconds (for `--since 1h`). */
  readonly now: () => number;
  /** The environment (`NO_COLOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process: `process.stdout`, `process.stderr`, stdin, the system clock and `process.env`. */
export function processIo(): CliIo {
  return {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    openStdin: () => process.stdin,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    now: () => Date.now(),
    env: process.env,
  };
}

/**
 * Whether to colour output: only when stdout is a terminal and `NO_COLOR` is unset or empty
 * (see https://no-color.org).
 */
export function wantsColor(io: Pick<CliIo, 'stdoutIsTTY' | 'env'>): boolean {
  const noColor = io.env.NO_COLOR;
  return io.stdoutIsTTY && (noColor === undefined || noColor === '');
}
