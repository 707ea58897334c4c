/**
 * Issue 24, items 5 to 7 and the summary's namespaces: audit reading that an attacker who can put
 * one request into a log must not be able to slow to minutes, blow up in memory, or stop with an
 * internal error. No test here measures time: each checks an answer, what is held, or how long the
 * output is relative to the input; the slow path of item 5 runs in a child process that is killed
 * after a generous limit (minutes on the old parse, milliseconds now).
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { Readable } from 'stream';
import * as zlib from 'zlib';
import { AuditRecord, AuditSummary, recordFromEvent, renderSummary, runAudit, summarize } from '../../lib/audit';
import { MAX_SUMMARY_VALUES } from '../../lib/audit/summary';
import { decompressedChunks } from '../../lib/audit/lines';
import { capCell, MAX_CELL_CHARS, MAX_COLUMN_WIDTH } from '../../lib/audit/render/columns';
import { fieldSelectorName } from '../../lib/audit/request-uri';
import { auditEvent, jsonLines, memoryInput } from '../audit/events';

const ROOT = path.resolve(__dirname, '../..');

/** Runs `code` in a node process of its own (TypeScript sources through the project's loader); resolves with its stdout, or `'killed'` after `limitMs`. */
function runIsolated(code: string, limitMs: number, nodeFlags: readonly string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '-r', './scripts/register-ts.js', '-e', code], { cwd: ROOT });
    let out = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(killed ? 'killed' : out);
    });
  });
}

describe('item 5: the field-selector parse is linear', () => {
  /** The pattern the parse used to be: the oracle for what a selector means. */
  const ORACLE = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/;
  function oracle(selector: string): string | undefined {
    for (const term of selector.split(',')) {
      const m = ORACLE.exec(term);
      if (m && !m[1].startsWith('=')) return m[1];
    }
    return undefined;
  }

  it('answers as the old pattern did, on every short selector over a hostile alphabet', () => {
    // Every string of up to 5 characters over the characters that matter, around the key.
    const alphabet = [' ', '=', '!', 'a', '\n', '\u2028', '\t', ','];
    let checked = 0;
    const differ: string[] = [];
    const visit = (s: string, depth: number) => {
      for (const selector of [`metadata.name${s}`, `${s}metadata.name=${s}x${s}`, s]) {
        if (fieldSelectorName(selector) !== oracle(selector)) differ.push(selector);
        checked++;
      }
      if (depth < 5) for (const c of alphabet) visit(s + c, depth + 1);
    };
    visit('', 0);
    expect(differ).toEqual([]);
    expect(checked).toBeGreaterThan(100_000);
  });

  it('reads a 20 KB selector of spaces and a line break at once (the old pattern: cubic, hours)', async () => {
    const selector = `metadata.name=${' '.repeat(10_000)}a${' '.repeat(10_000)}\nb`;
    const code = `const { fieldSelectorName } = require('./lib/audit/request-uri.ts');
      process.stdout.write(String(fieldSelectorName(${JSON.stringify(selector)})));`;
    // Generous: node and the loader start in well under a second; the old parse needs hours here.
    expect(await runIsolated(code, 45_000)).toBe('undefined');
  });
});

describe('item 6: gzip is inflated in bounded memory, whatever the ratio', () => {
  /** 128 MiB of one byte: 128 KiB of gzip, handed over as one chunk as a file read would. */
  const INFLATED = 128 * 1024 * 1024;

  it('holds at most one slice ahead of a slow reader (the old code: the whole chunk, 128 MiB)', async () => {
    // In a process of its own with the collector exposed: after gc() only what is held remains.
    const code = `const zlib = require('zlib'); const { Readable } = require('stream');
      const { decompressedChunks } = require('./lib/audit/lines.ts');
      (async () => {
        // Compressed block by block, so no inflated copy exists before the read starts.
        const gzip = zlib.createGzip({ level: 9 }), parts = [];
        gzip.on('data', (c) => parts.push(c));
        const block = Buffer.alloc(1024 * 1024, 0x30);
        for (let i = 0; i < ${INFLATED / (1024 * 1024)}; i++) gzip.write(block);
        await new Promise((resolve) => gzip.end(resolve));
        const gz = Buffer.concat(parts);
        global.gc();
        const base = process.memoryUsage().external;
        let total = 0, held = 0, n = 0;
        for await (const c of decompressedChunks(Readable.from([gz]))) {
          total += c.length;
          await new Promise((resolve) => setImmediate(resolve)); // a reader slower than the gunzip
          if (n++ % 256 === 0) { global.gc(); held = Math.max(held, process.memoryUsage().external - base); }
        }
        process.stdout.write(JSON.stringify({ total, held }));
      })();`;
    const result = JSON.parse(await runIsolated(code, 120_000, ['--expose-gc'])) as { total: number; held: number };
    expect(result.total).toBe(INFLATED);
    expect(result.held).toBeLessThan(8 * 1024 * 1024);
  });

  it('still gives everything inflated before a truncation, then the error', async () => {
    const text = Buffer.from(Array.from({ length: 200_000 }, (_v, i) => `line ${i}\n`).join(''));
    const cut = zlib.gzipSync(text).subarray(0, -40);
    const got: Buffer[] = [];
    await expect((async () => {
      for await (const c of decompressedChunks(Readable.from([cut]))) got.push(c);
    })()).rejects.toThrow(/unexpected end of file/);
    const inflated = Buffer.concat(got);
    expect(inflated.length).toBeGreaterThan(text.length - 64 * 1024);
    expect(text.subarray(0, inflated.length).equals(inflated)).toBe(true);
  });
});

describe('item 7: a long object name neither pads every row nor ends the run', () => {
  /** `rows` allowed gets of a secret, the one at `longAt` (0-based) with a name of `longLength` characters. */
  function log(rows: number, longAt: number, longLength: number): string {
    return jsonLines(Array.from({ length: rows }, (_v, i) => auditEvent({
      objectRef: { resource: 'secrets', namespace: 'dev', name: i === longAt ? 'n'.repeat(longLength) : `s-${i}`, apiVersion: 'v1' },
    })));
  }

  /** The table of `text`, its length counted as it is written, never held. */
  async function tableLength(text: string): Promise<{ length: number; lines: number; longest: number }> {
    let length = 0;
    let lines = 0;
    let longest = 0;
    const r = await runAudit({ logs: [], filter: {}, view: 'table' }, {
      logs: [memoryInput('a.log', text, 1 << 20)],
      write: (chunk) => {
        length += chunk.length;
        for (const l of chunk.split('\n')) longest = Math.max(longest, l.length);
        lines += chunk.split('\n').length - 1;
      },
    });
    expect(r.error).toBeUndefined();
    return { length, lines, longest };
  }

  it('within the first 1,000 rows: the table is written, every other row at its own width (was: internal error, Invalid string length)', async () => {
    const table = await tableLength(log(1000, 0, 600_000));
    expect(table.lines).toBe(1001);
    // Rows of a short name stay short; the long one is cut with a note of what was left out.
    expect(table.length).toBeLessThan(1000 * 400 + 2 * MAX_CELL_CHARS);
    expect(table.longest).toBeLessThan(8 * MAX_COLUMN_WIDTH + MAX_CELL_CHARS + 400);
  });

  it('after the first 1,000 rows: one long name pads no later row (was: every later row padded to its width)', async () => {
    const table = await tableLength(log(2000, 1500, 100_000));
    expect(table.lines).toBe(2001);
    expect(table.length).toBeLessThan(2000 * 400 + 2 * MAX_CELL_CHARS);
  });

  it('says how much of a cut cell was left out, and cuts no character in half', () => {
    expect(capCell(`${'a'.repeat(MAX_CELL_CHARS - 1)}\u{1F600}tail`)).toBe(`${'a'.repeat(MAX_CELL_CHARS - 1)}...(5 more characters)`);
    expect(capCell('short')).toBe('short');
  });
});

/** The summary rows of JSON lines. */
function summarizeAll(lines: string): ReturnType<typeof summarize> {
  return summarize(lines.trimEnd().split('\n').map((line, i) => recordFromEvent(JSON.parse(line), { file: 'a.log', line: i + 1 }) as AuditRecord));
}

describe('also noted: -o summary keeps a bounded number of namespaces per row, and says so', () => {
  const forged = (n: number) => jsonLines(Array.from({ length: n }, (_v, i) => auditEvent({
    objectRef: { resource: 'secrets', namespace: `forged-${i}`, name: 'x', apiVersion: 'v1' },
  })));

  it('one row with the first namespaces and a note, however many a log forges', async () => {
    const r = await runAudit({ logs: [], filter: {}, view: 'summary' }, { logs: [memoryInput('a.log', forged(5000), 1 << 20)] });
    const row = r.stdout.split('\n')[1];
    expect(row).toContain(`(first ${MAX_SUMMARY_VALUES} of more than ${MAX_SUMMARY_VALUES} namespaces) forged-0,`);
    expect(row.match(/forged-\d+/g)).toHaveLength(MAX_SUMMARY_VALUES);
    expect(row).toMatch(/ 5000 +0 +5000$/);
  });

  it('the bound holds when worker threads merge their rows', () => {
    const records = forged(30).trimEnd().split('\n').map((line, i) => recordFromEvent(JSON.parse(line), { file: 'a.log', line: i + 1 }) as AuditRecord);
    const a = new AuditSummary();
    const b = new AuditSummary();
    for (const r of records.slice(0, 15)) a.add(r);
    for (const r of records.slice(15)) b.add(r);
    a.merge(b.rows());
    expect(a.rows().map((r) => [r.namespaces.length, r.moreNamespaces, r.total])).toEqual([[MAX_SUMMARY_VALUES, true, 30]]);
  });

  it('is written in blocks of at most 1,000 lines, so no number of rows needs one string for all', async () => {
    const users = jsonLines(Array.from({ length: 2500 }, (_v, i) => auditEvent({ user: { username: `forged-${i}`, groups: [] } })));
    const writes: string[] = [];
    const r = await runAudit({ logs: [], filter: {}, view: 'summary' }, { logs: [memoryInput('a.log', users, 1 << 20)], write: (t) => void writes.push(t) });
    expect(r.error).toBeUndefined();
    expect(writes.map((w) => w.split('\n').length - 1)).toEqual([1000, 1000, 501]);
    expect(writes.join('')).toBe(renderSummary(summarizeAll(users)));
  });

  it('a row that saw no more than the bound has no note', async () => {
    const r = await runAudit({ logs: [], filter: {}, view: 'summary' }, { logs: [memoryInput('a.log', forged(3))] });
    expect(r.stdout).not.toContain('of more than');
    expect(r.stdout.split('\n')[1]).toMatch(/ forged-0,forged-1,forged-2 /);
  });
});
