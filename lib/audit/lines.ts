/**
 * Streaming lines out of a byte stream with constant memory: gzip is detected by its magic bytes
 * (`1f 8b`), not by the file name, so rotated files such as `audit-2024-05-01.log.gz` and renamed
 * ones both work; concatenated gzip members are read through. Lines come in batches (one per chunk
 * read) because a promise per line would cost more than parsing it.
 */
import { StringDecoder } from 'string_decoder';
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

/**
 * Gunzips `source` one input chunk at a time: the next chunk is written only once the previous one
 * is decompressed and handed on, so memory stays flat, and when the data ends early or is corrupt,
 * everything decompressed before that point comes out first and then the error is thrown, always
 * at the same place (a stream's own iterator may drop what it had buffered when it fails).
 */
async function* gunzipped(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const gunzip = zlib.createGunzip();
  let out: Buffer[] = [];
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
  // Waits until `until()` holds and nothing decompressed is left unread in the stream, or it failed.
  const settled = async (until: () => boolean) => {
    while (!failure && !(until() && gunzip.readableLength === 0)) await new Promise<void>((resolve) => (wake = resolve));
  };
  const take = () => {
    const taken = out;
    out = [];
    return taken;
  };
  for await (const chunk of source) {
    let written = false;
    gunzip.write(chunk, () => {
      written = true;
      notify();
    });
    await settled(() => written);
    yield* take();
    if (failure) throw failure;
  }
  gunzip.end();
  await settled(() => ended);
  yield* take();
  if (failure) throw failure;
}

/**
 * The stream's text lines in batches, without line terminators (`\n` or `\r\n`). A last line
 * without a newline is included. Invalid UTF-8 becomes U+FFFD, as in any text reader.
 */
export async function* lineBatches(stream: AsyncIterable<unknown>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of decompressedChunks(stream)) {
    const text = carry + decoder.write(chunk);
    const lines = text.split('\n');
    carry = lines.pop() ?? '';
    if (lines.length > 0) yield stripCr(lines);
  }
  const tail = carry + decoder.end();
  if (tail !== '') yield stripCr([tail]);
}

function stripCr(lines: string[]): string[] {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l.length > 0 && l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1);
  }
  return lines;
}

/** Bytes holding whole lines only, and how many. */
export interface LineChunk {
  /** The bytes: whole lines, each ending in `\n`, except the last chunk of a stream without a final newline. */
  readonly bytes: Buffer;
  /** How many lines they hold (as {@link decodeLines} splits them). */
  readonly lines: number;
}

function countNewlines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) n++;
  return n;
}

/**
 * The stream's bytes (gunzipped as {@link decompressedChunks} does) cut after the last newline of
 * each chunk read, without decoding them: the same lines {@link lineBatches} yields, as bytes that
 * can be handed to another thread. Every chunk is a fresh buffer of its own (safe to transfer).
 */
export async function* lineAlignedChunks(stream: AsyncIterable<unknown>): AsyncGenerator<LineChunk> {
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of decompressedChunks(stream)) {
    const end = chunk.lastIndexOf(10);
    if (end < 0) {
      carry = Buffer.concat([carry, chunk]);
      continue;
    }
    const bytes = Buffer.concat([carry, chunk.subarray(0, end + 1)]);
    carry = Buffer.from(chunk.subarray(end + 1));
    yield { bytes, lines: countNewlines(bytes) };
  }
  if (carry.length > 0) yield { bytes: carry, lines: 1 };
}

/** The lines of a {@link LineChunk}'s bytes, without terminators (`\n`, `\r\n`), as {@link lineBatches} gives them. */
export function decodeLines(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  return stripCr(lines);
}
