/**
 * A fixed set of worker threads reading chunks (see `batch.ts`). Tasks are handed out in turn and
 * results come back as promises; the caller awaits them in the order it submitted them, so the
 * output order never depends on which thread finished first.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';
import { BatchResult, BatchTask, WorkerSettings } from './batch';

/** A worker thread failed (a bug, not bad input): the run cannot go on. */
export class AuditWorkerError extends Error {
  /** @param message what happened */
  constructor(message: string) {
    super(`a worker thread failed: ${message}`);
    this.name = 'AuditWorkerError';
  }
}

function startWorker(): Worker {
  if (__filename.endsWith('.js')) return new Worker(path.join(__dirname, 'worker.js'));
  // Running from the TypeScript sources (tests): compile the worker on the fly, as the tests do.
  const source = path.join(__dirname, 'worker.ts');
  const register = require.resolve('sucrase/register/ts');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(source)});`, { eval: true });
}

interface Pending {
  readonly resolve: (result: BatchResult) => void;
  readonly reject: (error: Error) => void;
}

/** Worker threads reading chunks, for any number of runs one after another. Call {@link BatchPool.close} when done. */
export class BatchPool {
  private readonly workers: Worker[];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private closed = false;
  private failure: AuditWorkerError | undefined;

  /** @param size how many threads */
  constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const worker = startWorker();
      worker.on('message', (m: { seq: number; result: BatchResult }) => {
        const p = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        p?.resolve(m.result);
      });
      worker.on('error', (e) => this.fail(e.message));
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(`exited with code ${code}`);
      });
      return worker;
    });
  }

  /** How many threads. */
  public get size(): number {
    return this.workers.length;
  }

  /** Hands `task` to the next thread (its bytes move there and are unusable here afterwards). */
  public submit(task: BatchTask, settings: WorkerSettings): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.seq++;
    const result = new Promise<BatchResult>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    const bytes = task.bytes;
    const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    try {
      this.workers[seq % this.workers.length].postMessage({ ...task, seq, settings }, whole ? [bytes.buffer as ArrayBuffer] : []);
    } catch (e) {
      this.pending.delete(seq);
      throw new AuditWorkerError(`cannot post a chunk: ${(e as Error).message}`);
    }
    result.catch(() => undefined); // a run that stopped early never awaits the rest: no unhandled rejection
    return result;
  }

  /** Stops the threads; results still pending never arrive. */
  public async close(): Promise<void> {
    this.closed = true;
    this.pending.clear();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(message: string): void {
    const error = new AuditWorkerError(message);
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
