/** Opening logs: the only module of lib/audit that touches the file system. */
import * as fs from 'fs';
import { LogInput } from './reader';

/** The name `-` and stdin are shown as in messages. */
export const STDIN_NAME = '<stdin>';

/**
 * The inputs for log paths: `-` reads `stdin`, anything else a file (opened when its turn comes,
 * read in 1 MiB chunks).
 * @param paths log paths as given
 * @param stdin the stream `-` reads
 */
export function logInputs(paths: readonly string[], stdin: () => AsyncIterable<unknown>): LogInput[] {
  return paths.map((p) =>
    p === '-' ? { name: STDIN_NAME, open: stdin } : { name: p, open: () => fs.createReadStream(p, { highWaterMark: 1 << 20 }) },
  );
}
