/**
 * Streaming lines out of a byte stream with constant memory: gzip is detected by its magic bytes
 * (`1f 8b`), not by the file name, so rotated files such as `audit-2024-05-01.log.gz` and renamed
 * ones both work; concatenated gzip members are read through. Lines come in batches (one per chunk
 * read) because a promise per line would cost more than parsing it. Time is linear in the input
 * and memory bounded by the maximum line length, however long a line or well compressed a file.
 */
import * as zlib from 'zlib';

/** The first two bytes of every gzip stream. */
export const GZIP_MAGIC: readonly number[] = [0x1f, 0x8b];

async function* chunks(source: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  for await (const c of source) yield typeof c === 'string' ? Buffer.from(c, 'utf8') : (c as Buffer);
}

/**
 * The stream's bytes, gunzipped when they start with the gzip magic bytes.
 * @param stream any byte stream (a file, stdin, a test's `Readable.from([...])`)
 */
export async function* decompressedChunks(stream: AsyncIterable<unknown>): AsyncGenerator<Buffer> {
  const it = chunks(stream);
  let head: Buffer = Buffer.alloc(0);
  let done = false;
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) {
      done = true;
      break;
    }
    head = head.length === 0 ? next.value : Buffer.concat([head, next.value]);
  }
  const isGzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (!done) yield* it;
  }
  if (!isGzip) {
    yield* rest();
    return;
  }
  yield* gunzipped(rest());
}

/** The most decompressed bytes held before the consumer takes them: the gunzip pauses at this point. */
export const GUNZIP_HELD_BYTES = 1024 * 1024;

/**
 * Gunzips `source` one input chunk at a time, handing the output on in slices of at most
 * {@link GUNZIP_HELD_BYTES}: the gunzip is paused while a slice waits to be taken, so memory stays
 * flat whatever the compression ratio (one 1 MiB input chunk of zeros inflates to 1 GB). When the
 * data ends early or is corrupt, everything decompressed before that point comes out first and then
 * the error is thrown, always at the same place (a stream's own iterator may drop what it had
 * buffered when it fails).
 */
async function* gunzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = zlib.createGunzip();
  let out: Buffer[] = [];
  let outBytes = 0;
  let failure: Error | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gunzip.on('data', (chunk: Buffer) => {
    out.push(chunk);
    outBytes += chunk.length;
    // Paused, zlib stops inflating once its own small buffer is full, until the slice is taken.
    if (outBytes >= GUNZIP_HELD_BYTES) gunzip.pause();
    notify();
  });
  gunzip.on('error', (e) => {
    failure = e;
    notify();
  });
  gunzip.on('end', () => {
    ended = true;
    notify();
  });
  const until = async (ready: () => boolean) => {
    while (!failure && !ready()) await new Promise<void>((resolve) => (wake = resolve));
  };
  const take = () => {
    const taken = out;
    out = [];
    outBytes = 0;
    gunzip.resume();
    return taken;
  };
  const full = () => outBytes >= GUNZIP_HELD_BYTES;
  for await (const chunk of source) {
    let written = false;
    gunzip.write(chunk, () => {
      written = true;
      notify();
    });
    // Slices until the chunk is inflated and nothing of it is left unread in the stream.
    for (let drained = false; !drained;) {
      await until(() => full() || (written && gunzip.readableLength === 0));
      drained = written && gunzip.readableLength === 0;
      yield* take();
      if (failure) throw failure;
    }
  }
  gunzip.end();
  for (let done = false; !done;) {
    await until(() => full() || ended);
    done = ended;
    yield* take();
    if (failure) throw failure;
  }
}

/** The longest line read by default: 16 MiB, far above the biggest event an API server writes. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** A line longer than the maximum, skipped without being held: how many bytes it had (without its newline). */
export interface OverlongLine {
  /** The line's length in bytes. */
  readonly overlong: number;
}

/** Bytes holding whole lines only, and how many; or one overlong line that was skipped. */
export type LineChunk =
  | {
    /** The bytes: whole lines, each ending in `\n`, except the last chunk of a stream without a final newline. */
    readonly bytes: Buffer;
    /** How many lines they hold (as {@link decodeLines} splits them). */
    readonly lines: number;
  }
  | OverlongLine;

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * Cuts a byte stream into whole lines in time linear in its length, however long its lines: the
 * unfinished line is kept as a list of pieces (never re-joined per chunk), and a line longer than
 * `max` bytes stops being kept at all; only its length is counted.
 */
class LineCutter {
  private parts: Buffer[] = [];
  private partBytes = 0;
  /** Bytes of the current line while it is being skipped for its length; -1 when it is kept. */
  private skipped = -1;

  constructor(private readonly max: number) {}

  /** The whole lines (and skipped overlong ones) that `chunk` completes, in order. */
  public *take(chunk: Buffer): Generator<LineChunk> {
    const first = chunk.indexOf(10);
    if (first < 0) {
      this.hold(chunk);
      return;
    }
    const last = chunk.lastIndexOf(10);
    const head = this.finish(chunk.subarray(0, first + 1));
    const middle = chunk.subarray(first + 1, last + 1);
    if ('overlong' in head) {
      yield head;
      yield* this.whole(middle, undefined);
    } else {
      yield* this.whole(middle, head.bytes);
    }
    this.hold(chunk.subarray(last + 1));
  }

  /** The unfinished last line, at the end of the stream. */
  public *end(): Generator<LineChunk> {
    if (this.skipped >= 0) yield { overlong: this.skipped };
    else if (this.partBytes > 0) yield { bytes: Buffer.concat(this.parts), lines: 1 };
    this.parts = [];
    this.partBytes = 0;
    this.skipped = -1;
  }

  private hold(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.skipped >= 0) {
      this.skipped += bytes.length;
    } else if (this.partBytes + bytes.length > this.max) {
      this.skipped = this.partBytes + bytes.length;
      this.parts = [];
      this.partBytes = 0;
    } else {
      this.parts.push(Buffer.from(bytes));
      this.partBytes += bytes.length;
    }
  }

  /** Ends the held line with `tail` (which ends in its newline). */
  private finish(tail: Buffer): LineChunk {
    const length = (this.skipped >= 0 ? this.skipped : this.partBytes) + tail.length - 1;
    const kept = this.skipped < 0 && length <= this.max;
    const line: LineChunk = kept ? { bytes: Buffer.concat([...this.parts, tail]), lines: 1 } : { overlong: length };
    this.parts = [];
    this.partBytes = 0;
    this.skipped = -1;
    return line;
  }

  /** `bytes` (whole lines) after `before` (one whole line, when given), with any overlong line split out. */
  private *whole(bytes: Buffer, before: Buffer | undefined): Generator<LineChunk> {
    if (bytes.length <= this.max + 1) {
      if (before === undefined && bytes.length === 0) return;
      const all = before === undefined ? Buffer.from(bytes) : Buffer.concat([before, bytes]);
      yield { bytes: all, lines: (before === undefined ? 0 : 1) + countNewlines(bytes) };
      return;
    }
    // Rare (a chunk bigger than the maximum line): check each line.
    let run = before === undefined ? [] : [before];
    let runLines = run.length;
    let start = 0;
    for (let nl = bytes.indexOf(10); nl >= 0; nl = bytes.indexOf(10, nl + 1)) {
      if (nl - start > this.max) {
        if (runLines > 0) yield { bytes: Buffer.concat(run), lines: runLines };
        run = [];
        runLines = 0;
        yield { overlong: nl - start };
      } else {
        run.push(Buffer.from(bytes.subarray(start, nl + 1)));
        runLines++;
      }
      start = nl + 1;
    }
    if (runLines > 0) yield { bytes: Buffer.concat(run), lines: runLines };
  }
}

/**
 * The stream's bytes (gunzipped as {@link decompressedChunks} does) cut into whole lines without
 * decoding them, so they can be handed to another thread; every chunk is a fresh buffer of its own
 * (safe to transfer). Time is linear in the stream's length, and a line longer than `maxLineBytes`
 * is never held: it comes as an {@link OverlongLine} in its place.
 * @param maxLineBytes the longest line kept, in bytes (without its newline)
 * @default maxLineBytes {@link DEFAULT_MAX_LINE_BYTES}
 */
export async function* lineAlignedChunks(stream: AsyncIterable<unknown>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<LineChunk> {
  const cutter = new LineCutter(maxLineBytes);
  for await (const chunk of decompressedChunks(stream)) yield* cutter.take(chunk);
  yield* cutter.end();
}

/**
 * The stream's text lines in batches, without line terminators (`\n` or `\r\n`); a line longer than
 * `maxLineBytes` comes as an {@link OverlongLine} in its place. A last line without a newline is
 * included. Invalid UTF-8 becomes U+FFFD, as in any text reader.
 * @param maxLineBytes the longest line kept, in bytes (without its newline)
 * @default maxLineBytes {@link DEFAULT_MAX_LINE_BYTES}
 */
export async function* lineBatches(stream: AsyncIterable<unknown>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Array<string | OverlongLine>> {
  let batch: Array<string | OverlongLine> = [];
  for await (const chunk of lineAlignedChunks(stream, maxLineBytes)) {
    if ('overlong' in chunk) {
      batch.push(chunk);
      continue;
    }
    const lines = decodeLines(chunk.bytes);
    if (batch.length === 0) {
      yield lines;
      continue;
    }
    for (const l of lines) batch.push(l);
    yield batch;
    batch = [];
  }
  if (batch.length > 0) yield batch;
}

function stripCr(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** The lines of a {@link LineChunk}'s bytes, without terminators (`\n`, `\r\n`), as {@link lineBatches} gives them. */
export function decodeLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return stripCr(lines);
}

/** The message for a line longer than the maximum. */
export function overlongMessage(line: OverlongLine, maxLineBytes: number): string {
  return `line of ${line.overlong} bytes is longer than the maximum of ${maxLineBytes} bytes (skipped without being read; raise the maximum line length, --max-line-bytes, if your API server writes events this big)`;
}
