/**
 * Streaming lines out of a byte stream with constant memory: gzip is detected by its magic bytes
 * (`1f 8b`), not by the file name, so rotated files such as `audit-2024-05-01.log.gz` and renamed
 * ones both work; concatenated gzip members are read through. Lines come in batches (one per chunk
 * read) because a promise per line would cost more than parsing it.
 */
import { Readable, pipeline } from 'stream';
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
  const gunzip = zlib.createGunzip();
  pipeline(Readable.from(rest()), gunzip, () => {
    // Errors reach the consumer through the gunzip stream's iterator.
  });
  yield* chunks(gunzip);
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
