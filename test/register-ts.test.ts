import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REGISTER = path.resolve(__dirname, '..', 'scripts', 'register-ts.js');

function runTs(file: string): string {
  return execFileSync(process.execPath, ['-r', REGISTER, file], { encoding: 'utf8' });
}

describe('the synth-time TypeScript loader (transpile once, cache by content)', () => {
  test('runs TypeScript, and a changed file is transpiled again rather than served stale', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-ts-'));
    const file = path.join(dir, 'app.ts');
    fs.writeFileSync(file, "const who: string = 'first';\nconsole.log(who);\n");
    expect(runTs(file)).toBe('first\n');
    expect(runTs(file)).toBe('first\n'); // from the cache
    fs.writeFileSync(file, "const who: string = 'second';\nconsole.log(who);\n");
    expect(runTs(file)).toBe('second\n');
  });

  test('errors keep their TypeScript line numbers (source maps)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'register-ts-'));
    const file = path.join(dir, 'boom.ts');
    fs.writeFileSync(file, "type T = { a: string };\nconst t: T = { a: 'x' };\n\nthrow new Error(t.a);\n");
    let stderr = '';
    try {
      execFileSync(process.execPath, ['--enable-source-maps', '-r', REGISTER, file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      stderr = String((err as { stderr: string }).stderr);
    }
    expect(stderr).toContain(`${file}:4`);
  });
});
