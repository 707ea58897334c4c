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
import { decompressedChunks } from '../../lib/audit/lines';
import { fieldSelectorName } from '../../lib/audit/request-uri';

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
