/**
 * Findings 3 and 4 of issue 13: audit reading in bounded memory. A line longer than the maximum is
 * skipped unread with a file:line warning (an error with strict); the table is written while the
 * log is still being read; and a slow output holds the reading back (backpressure). No test here
 * measures time: each checks what is held or when something happens relative to the input.
 */
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { AuditRecord, LogInput, readAuditRecords, renderTable, runAudit } from '../../lib/audit';
import { lineAlignedChunks } from '../../lib/audit/lines';
import { auditEvent, jsonLines, memoryInput } from '../audit/events';
import { runInProcess } from '../cli/cli';

const EVENT = JSON.stringify(auditEvent());

/** An input whose chunks are counted as they are pulled. */
function countedInput(name: string, chunks: readonly Buffer[]): { input: LogInput; pulled: () => number } {
  let pulled = 0;
  async function* gen(): AsyncGenerator<Buffer> {
    for (const c of chunks) {
      pulled++;
      yield c;
    }
  }
  return { input: { name, open: () => gen() }, pulled: () => pulled };
}

describe('the maximum line length', () => {
  it('skips a longer line with a file:line warning and reads the next one', async () => {
    const log = `${EVENT}\n${'0'.repeat(5000)}\n${EVENT}\n`;
    const r = await runAudit({ logs: [], filter: {}, view: 'json', maxLineBytes: 1024 }, { logs: [memoryInput('a.log', log)] });
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(r.warnings).toEqual([expect.stringMatching(/^skipped: a\.log:2: line of 5000 bytes is longer than the maximum of 1024 bytes/)]);
  });

  it('is an error with strict', async () => {
    const r = await runAudit({ logs: [], filter: {}, view: 'json', maxLineBytes: 1024, strict: true }, { logs: [memoryInput('a.log', `${'x'.repeat(2000)}\n`)] });
    expect(r.error).toMatch(/^a\.log:1: line of 2000 bytes is longer than the maximum/);
  });

  it('never holds more than the maximum of a long line, however it is chunked, gzip included', async () => {
    const line = Buffer.alloc(8 * 1024 * 1024, 0x30); // 8 MiB of zeros: a 8 KiB gzip file
    const gz = zlib.gzipSync(Buffer.concat([line, Buffer.from(`\n${EVENT}\n`)]));
    const seen: Array<number | string> = [];
    for await (const c of lineAlignedChunks(Readable.from([gz]), 64 * 1024)) seen.push('overlong' in c ? c.overlong : c.bytes.toString('utf8'));
    expect(seen).toEqual([line.length, `${EVENT}\n`]);
  });

  it('the CLI takes --max-line-bytes with a size suffix and warns with file:line', async () => {
    const r = await runInProcess(['audit', '-', '--max-line-bytes', '1Ki', '-o', 'json'], { stdin: `${'y'.repeat(3000)}\n${EVENT}\n` });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^api-reader: warning: skipped: <stdin>:1: line of 3000 bytes is longer than the maximum of 1024 bytes/);
    const bad = await runInProcess(['audit', '-', '--max-line-bytes', 'lots'], { stdin: '' });
    expect(bad.status).toBe(2);
  });
});

describe('bounded memory in the table view and backpressure', () => {
  const rows = 5000;
  const chunks = Array.from({ length: rows }, () => Buffer.from(`${EVENT}\n`));

  it('the table is written while the log is still being read', async () => {
    const { input, pulled } = countedInput('big.log', chunks);
    const pulledAtFirstWrite: number[] = [];
    await runAudit({ logs: [], filter: {}, view: 'table' }, { logs: [input], write: () => void pulledAtFirstWrite.push(pulled()) });
    expect(pulledAtFirstWrite[0]).toBeLessThan(rows);
  });

  it('a short table is exactly the whole-table rendering', async () => {
    const log = jsonLines([auditEvent(), auditEvent({ user: { username: 'a-much-longer-user-name-than-before' } })]);
    const streamed = await runAudit({ logs: [], filter: {}, view: 'table' }, { logs: [memoryInput('a.log', log)] });
    const records: AuditRecord[] = [];
    for await (const r of readAuditRecords([memoryInput('a.log', log)])) records.push(r);
    expect(streamed.stdout).toBe(renderTable(records));
  });

  it('reading waits while the output is full', async () => {
    const { input, pulled } = countedInput('big.log', chunks);
    let release: () => void = () => undefined;
    let writes = 0;
    const run = runAudit({ logs: [], filter: {}, view: 'json' }, {
      logs: [input],
      write: () => {
        writes++;
        return new Promise<void>((resolve) => { release = resolve; });
      },
    });
    // Let the reader run as far as it can while the first write is pending.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toBe(1);
    expect(pulled()).toBeLessThan(10);
    const stop = setInterval(() => release(), 0);
    await run;
    clearInterval(stop);
    expect(pulled()).toBe(rows);
  });
});
