import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const REPO = path.resolve(__dirname, '..');

/** Patterns of values that must never be committed or shipped. */
const SECRET_PATTERNS: Array<[string, RegExp]> = [
  ['a private key', /-----BEGIN (?:RSA |EC |OPENSSH |)PRIVATE KEY-----/],
  ['a JWT (service account tokens are JWTs)', /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/],
  // A literal value alone on its line (YAML, env files); not code such as `password: someVariable,`
  // or an environment variable's NAME such as 'API_READER_PASSWORD'.
  ['a password value in YAML or env form', /^\s*(?:[Pp]assword|PASSWORD|API_READER_PASSWORD)\s*[:=]\s*["']?(?![A-Z][A-Z0-9_]*["']?,?\s*$)[^\s"'$<{*,;()]{4,}["']?\s*$/m],
  ['a cloud access key', /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['a generic bearer token literal', /Authorization:\s*Bearer\s+[A-Za-z0-9._-]{20,}/],
];

function scan(files: string[], read: (file: string) => string): string[] {
  const hits: string[] = [];
  for (const file of files) {
    const text = read(file);
    for (const [what, pattern] of SECRET_PATTERNS) {
      const match = pattern.exec(text);
      if (match) hits.push(`${file}: ${what} at offset ${match.index}`);
    }
  }
  return hits;
}

describe('secrets hygiene', () => {
  test('the scanner catches what it looks for', () => {
    // Built from pieces so that this file does not itself hold what the scan looks for.
    const samples: Record<string, string> = {
      key: ['-----BEGIN', 'PRIVATE KEY-----\nMIIE...'].join(' '),
      jwt: `token: ${['eyJhbGciOiJSUzI1NiIsImtpZCI6IiJ9', 'eyJpc3MiOiJrdWJlcm5ldGVzIn0', 'c2lnbmF0dXJlLXNpZ25hdHVyZQ'].join('.')}`,
      yaml: 'stringData:\n  password: hunter22\n',
    };
    expect(scan(Object.keys(samples), (f) => samples[f])).toHaveLength(3);
  });

  test('no tracked file (source, tests, snapshots, dist/, examples) holds a secret-looking value', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8' })
      .split('\0')
      .filter((f) => f !== '' && fs.existsSync(path.join(REPO, f)) && !f.endsWith('package-lock.json'))
      .filter((f) => !/\.(png|gz|ico)$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.includes('__snapshots__'))).toBe(true);
    expect(scan(files, (f) => fs.readFileSync(path.join(REPO, f), 'utf8'))).toEqual([]);
  });

  test('nothing the npm package ships holds a secret-looking value', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = pack.files.map((f: { path: string }) => f.path);
    expect(files).toContain('build/lib/index.js');
    expect(scan(files, (f) => fs.readFileSync(path.join(REPO, f), 'utf8'))).toEqual([]);
  });
});
