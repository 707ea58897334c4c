import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** A temporary output directory holding one "previous synth" file, and a way to snapshot it. */
export function previousOutput(): { dir: string; contents: () => Record<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-out-'));
  const dir = path.join(root, 'dist');
  fs.mkdirSync(path.join(dir, 'audit'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'previous.k8s.yaml'), 'kind: Previous\n');
  fs.writeFileSync(path.join(dir, 'audit', 'audit-policy.yaml'), 'kind: Policy\n');
  return { dir, contents: () => readTree(root) };
}

/** Every file under `dir` (relative path -> content), staging leftovers included. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** Runs `f` with `dir` as the working directory, and restores the previous one. */
export function inDirectory<T>(dir: string, f: () => T): T {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return f();
  } finally {
    process.chdir(cwd);
  }
}
