/**
 * Finding 5 of issue 13: when the reader of stdout is gone before the answer is written
 * (`api-reader can-i ... | true`), the exit code is still the command's own, with no stack trace.
 * The pipe is made closed before the process starts (a FIFO whose only reader was closed), so the
 * write fails with EPIPE every time, whatever the machine's speed.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertBuilt, MAIN, ROOT } from '../cli/cli';

function runWithClosedStdout(args: readonly string[]): Promise<{ status: number | null; stderr: string }> {
  assertBuilt();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-epipe-'));
  const fifo = path.join(dir, 'out');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const reader = fs.openSync(fifo, 'r+'); // a reader exists, so opening for writing does not block
  const writer = fs.openSync(fifo, 'w');
  fs.closeSync(reader); // now nobody reads: every write fails with EPIPE
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', writer, 'pipe'] });
  fs.closeSync(writer);
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stderr })));
}

describe('a closed stdout keeps the exit code', () => {
  it('can-i answering no exits 1, as with >/dev/null', async () => {
    const r = await runWithClosedStdout(['can-i', 'get', 'secrets', '--as', 'nobody-in-particular']);
    expect(r).toEqual({ status: 1, stderr: '' });
  });

  it('can-i answering yes exits 0', async () => {
    const r = await runWithClosedStdout(['can-i', 'get', '/api', '--as', 'nobody-in-particular', '--as-group', 'system:authenticated']);
    expect(r).toEqual({ status: 0, stderr: '' });
  });

  it('audit stops reading quietly and exits 0', async () => {
    const r = await runWithClosedStdout(['audit', 'test/audit/fixtures/walkthrough.jsonl', '-o', 'json']);
    expect(r).toEqual({ status: 0, stderr: '' });
  });
});
