/**
 * The CLI's only contact with the process: output streams, stdin, whether stdout is a terminal, and
 * the environment. Tests and `run` take a {@link CliIo}; `main.ts` passes {@link processIo}.
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
  /** Whether stdout is a terminal (colours are used only then). */
  readonly stdoutIsTTY: boolean;
  /** The environment (`NO_COLOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process: `process.stdout`, `process.stderr`, file descriptor 0 and `process.env`. */
export function processIo(): CliIo {
  return {
    writeOut: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    readStdin: () => fs.readFileSync(0, 'utf8'),
    stdoutIsTTY: process.stdout.isTTY === true,
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
