/**
 * The worker thread's entry point: reads the chunks the main thread posts (see `batch.ts`) and
 * posts each result back with the task's sequence number.
 */
import { parentPort } from 'worker_threads';
import { BatchResult, BatchTask, batchReader, WorkerSettings } from './batch';

/** A task as posted: the chunk, the run's settings and the task's sequence number. */
export interface PostedTask extends BatchTask {
  /** The order the result must be handled in. */
  readonly seq: number;
  /** The run's settings. */
  readonly settings: WorkerSettings;
}

if (parentPort) {
  const port = parentPort;
  let key = '';
  let read: ((task: BatchTask) => BatchResult) | undefined;
  port.on('message', (task: PostedTask) => {
    const k = JSON.stringify(task.settings);
    if (!read || k !== key) {
      read = batchReader(task.settings);
      key = k;
    }
    port.postMessage({ seq: task.seq, result: read(task) });
  });
}
