/**
 * Reading logs with worker threads, with the sequential reader's results exactly: the main thread
 * reads and gunzips the inputs, cuts them into chunks of whole lines and numbers them; workers read
 * the lines (`batch.ts`); the main thread takes the results in chunk order, pairs legacy lines,
 * reports problems and feeds the sink, so the output, warnings, counts and strict-mode stops are
 * those of the sequential run.
 */
import { AuditLogError } from '../errors';
import { LegacyPairer } from '../legacy';
import { DEFAULT_MAX_LINE_BYTES, lineAlignedChunks, overlongMessage } from '../lines';
import { LineReader, LogInput, problemReporter, ReadOptions, unreadableMessage } from '../reader';
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

  // Returns the text to write for the chunk (written, and waited for, by `drain`).
  const handle = (result: BatchResult): string => {
    // A strict chunk with a malformed line gives nothing, as in the sequential reader: the lines
    // before the bad one are still paired and reported, then reporting the bad line throws.
    const live = !(options.strict && result.fatal);
    let text = '';
    for (const item of result.items) {
      if (item.k === 'malformed') {
        reader.problem('malformed', item.location, item.message);
      } else if (item.k === 'legacy') {
        const paired: AuditRecord[] = [];
        reader.take({ kind: 'legacy', line: item.line }, item.location, paired);
        if (live) for (const record of paired) text += sink.offer(record);
      } else if (live) {
        text += item.k === 'text' ? item.text : sink.keepRecord(item.record);
      }
    }
    if (!live) return '';
    sink.absorb(result.records, result.matched, result.summary);
    return text;
  };
  const drain = async (keep: number) => {
    while (queue.length > keep) {
      const text = handle(await queue.shift()!);
      if (text !== '') await write(text);
    }
  };

  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  for (const input of inputs) {
    let lines = 0;
    try {
      for await (const chunk of lineAlignedChunks(input.open(), max)) {
        if ('overlong' in chunk) {
          // Reported in log order: after every chunk before it.
          await drain(0);
          lines++;
          reader.problem('malformed', { file: input.name, line: lines }, overlongMessage(chunk, max));
          continue;
        }
        queue.push(pool.submit({ file: input.name, startLine: lines + 1, bytes: chunk.bytes }, settings));
        lines += chunk.lines;
        await drain(depth - 1);
      }
    } catch (e) {
      if (e instanceof AuditLogError || e instanceof AuditWorkerError) throw e;
      await drain(0);
      reader.problem('unreadable', { file: input.name, line: lines + 1 }, unreadableMessage(e));
    }
  }
  await drain(0);
  let text = '';
  for (const record of pairer.drain()) text += sink.offer(record);
  if (text !== '') await write(text);
}
