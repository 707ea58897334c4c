/**
 * Reading logs with worker threads, with the sequential reader's results exactly: the main thread
 * reads and gunzips the inputs, cuts them into chunks of whole lines and numbers them; workers read
 * the lines (`batch.ts`); the main thread takes the results in chunk order, pairs legacy lines,
 * reports problems and feeds the sink, so the output, warnings, counts and strict-mode stops are
 * those of the sequential run.
 */
import { AuditLogError } from '../errors';
import { LegacyPairer } from '../legacy';
import { decodeLines, DEFAULT_MAX_LINE_BYTES, lineAlignedChunks, overlongMessage } from '../lines';
import { InputReader, LineReader, LogInput, problemReporter, ReadOptions, unreadableMessage } from '../reader';
import { AuditSink } from '../sink';
import { AuditRecord } from '../types';
import { BatchResult, WorkerSettings } from './batch';
import { AuditWorkerError, BatchPool } from './pool';

/** Chunks in flight per worker: enough to keep every thread busy, few enough to keep memory flat. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Reads `inputs` in order through `pool` into `sink`, writing JSON lines through `write`.
 * `settings` must be those `sink` was made with (filter, view, strictness).
 * @throws AuditLogError with `strict`, at the first malformed or unreadable line
 * @throws AuditWorkerError when a worker thread fails
 */
export async function readInParallel(
  inputs: Iterable<LogInput>, options: ReadOptions, settings: WorkerSettings, pool: BatchPool, sink: AuditSink, write: (text: string) => unknown,
): Promise<void> {
  const pairer = new LegacyPairer();
  const reader = new LineReader(pairer, problemReporter(options));
  const queue: Array<Promise<BatchResult>> = [];
  const depth = pool.size * IN_FLIGHT_PER_WORKER;

  // Returns the text to write for the chunk (written, and waited for, by `drain`), and what stopped
  // it: a strict chunk ends at its malformed line (the worker stopped there), and what came before
  // it is written and counted, as in the sequential reader, before reporting the bad line throws.
  const handle = (result: BatchResult): { text: string; stop?: unknown } => {
    let text = '';
    for (const item of result.items) {
      try {
        if (item.k === 'malformed') {
          reader.problem('malformed', item.location, item.message);
        } else if (item.k === 'legacy') {
          const paired: AuditRecord[] = [];
          reader.take({ kind: 'legacy', line: item.line }, item.location, paired);
          for (const record of paired) text += sink.offer(record);
        } else {
          text += item.k === 'text' ? item.text : sink.keepRecord(item.record);
        }
      } catch (stop) {
        sink.absorb(result.records, result.matched, result.summary);
        return { text, stop };
      }
    }
    sink.absorb(result.records, result.matched, result.summary);
    return { text };
  };
  const offerAll = async (records: readonly AuditRecord[]) => {
    let text = '';
    for (const record of records) text += sink.offer(record);
    if (text !== '') await write(text);
  };
  const drain = async (keep: number) => {
    while (queue.length > keep) {
      const { text, stop } = handle(await queue.shift()!);
      if (text !== '') await write(text);
      if (stop !== undefined) throw stop;
    }
  };

  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  for (const input of inputs) {
    const lines = new InputReader(reader, input.name);
    let count = 0;
    let documents = false;
    try {
      for await (const chunk of lineAlignedChunks(input.open(), max)) {
        if ('overlong' in chunk) {
          // Reported in log order: after every chunk before it.
          await drain(0);
          lines.overlong(++count, overlongMessage(chunk, max));
          continue;
        }
        if (!lines.decided) documents = lines.decide(firstNonBlank(chunk.bytes));
        if (documents) {
          // JSON documents are cut out in order on this thread (there are few, and they span chunks).
          await drain(0);
          const out: AuditRecord[] = [];
          try {
            for (const line of decodeLines(chunk.bytes)) lines.read(line, ++count, out);
          } finally {
            await offerAll(out); // with --strict, what came before the bad line is still written
          }
          continue;
        }
        queue.push(pool.submit({ file: input.name, startLine: count + 1, bytes: chunk.bytes }, settings));
        count += chunk.lines;
        await drain(depth - 1);
      }
      lines.end();
    } catch (e) {
      if (e instanceof AuditLogError || e instanceof AuditWorkerError) throw e;
      await drain(0);
      reader.problem('unreadable', { file: input.name, line: count + 1 }, unreadableMessage(e));
    }
  }
  await drain(0);
  await offerAll(pairer.drain());
}

/** The first non-blank line of a chunk of whole lines (`""` when all are blank). */
function firstNonBlank(bytes: Uint8Array): string {
  return decodeLines(bytes).find((l) => l.trim() !== '') ?? '';
}
