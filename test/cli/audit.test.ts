/**
 * `api-reader audit` as users run it: the built binary on the fixtures in test/audit/fixtures,
 * plain, gzip and stdin, the strict mode, advice against dist/, errors, and streaming.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { parseAllDocuments } from 'yaml';
import { assertBuilt, CliRun, MAIN, ROOT, runBuiltAsync, runInProcess } from './cli';

const FIXTURE = 'test/audit/fixtures/walkthrough.jsonl';
const MULTI = 'test/audit/fixtures/multi-subject.jsonl';
const LEGACY = 'test/audit/fixtures/legacy.log';
const SA = 'system:serviceaccount:dev:secret-access-sa';
const fixtureText = fs.readFileSync(path.join(ROOT, FIXTURE), 'utf8');
const fixtureLines = fixtureText.trimEnd().split('\n');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-audit-cli-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function temp(name: string, data: string | Buffer): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, data);
  return file;
}

function jsonRows(r: CliRun): Array<Record<string, unknown>> {
  return r.stdout.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectOneErrorLine(r: CliRun, pattern: RegExp): void {
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr.split('\n')[0]).toMatch(/^api-reader: error: /);
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

type K8s = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

/** The objects of multi-document YAML (comments and empty documents dropped). */
function objects(yamlText: string): K8s[] {
  return parseAllDocuments(yamlText).map((d) => d.toJS() as K8s | null).filter((o): o is K8s => o !== null);
}

/** The fields that make a grant (labels and annotations are not part of it). */
function grant(o: K8s | undefined): Record<string, unknown> | undefined {
  if (!o) return undefined;
  const { apiVersion, kind, metadata, rules, roleRef, subjects } = o as Record<string, unknown> & K8s;
  return { apiVersion, kind, name: metadata.name, namespace: metadata.namespace, rules, roleRef, subjects };
}

describe('api-reader audit (built binary)', () => {
  it('prints the table: time, user, verb, resource/name, namespace, code, decision, reason', async () => {
    const r = await runBuiltAsync(['audit', FIXTURE]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['TIME', 'USER', 'VERB', 'RESOURCE/NAME', 'NAMESPACE', 'CODE', 'DECISION', 'REASON']);
    expect(lines).toHaveLength(1 + fixtureLines.length);
    expect(lines[2].split(/\s{2,}/)).toEqual(['2024-05-01T10:00:02.000200Z', 'system:serviceaccount:dev:no-access-sa', 'get', 'secrets/api-access-secret', 'dev', '403', 'forbid']);
  });

  it('answers "who read this secret" with the README one-liner', async () => {
    const r = await runBuiltAsync(['audit', FIXTURE, '--resource', 'secrets', '--name', 'api-access-secret', '--decision', 'allow', '-o', 'json']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(jsonRows(r).map((row) => [row.time, row.user, row.verb, row.namespace, row.resource, row.subresource, row.name, row.code, row.decision])).toEqual([
      ['2024-05-01T10:00:01.000100Z', SA, 'get', 'dev', 'secrets', '', 'api-access-secret', 200, 'allow'],
      ['2024-05-01T10:05:01.000500Z', SA, 'get', 'dev', 'secrets', '', 'api-access-secret', 200, 'allow'],
    ]);
    expect(jsonRows(r).map((row) => row.source)).toEqual([`${FIXTURE}:1`, `${FIXTURE}:5`]);
  });

  it('summarises per user and resource', async () => {
    const r = await runBuiltAsync(['audit', FIXTURE, '-o', 'summary', '--user', 'system:serviceaccount:dev:secret-access-sa,system:serviceaccount:dev:no-access-sa']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(
      'USER                                        RESOURCE  VERBS  NAMESPACES   ALLOWED  FORBIDDEN  TOTAL\n' +
      'system:serviceaccount:dev:no-access-sa      secrets   get    dev          0        1          1\n' +
      'system:serviceaccount:dev:secret-access-sa  secrets   get    default,dev  2        1          3\n',
    );
  });

  it('reads gzip-rotated files (by content, whatever the name) and several logs in order', async () => {
    const gz = temp('audit-2024-05-01T10-00-00.log.gz', zlib.gzipSync(fixtureLines.slice(0, 3).join('\n') + '\n'));
    const renamed = temp('rotated.1', zlib.gzipSync(fixtureText));
    const current = temp('audit.log', fixtureLines.slice(3).join('\n') + '\n');
    const [plain, joined, single] = await Promise.all([
      runBuiltAsync(['audit', FIXTURE, '-o', 'json']),
      runBuiltAsync(['audit', gz, current, '-o', 'json']),
      runBuiltAsync(['audit', renamed, '-o', 'summary']),
    ]);
    expect([joined.status, joined.stderr, single.status, single.stderr]).toEqual([0, '', 0, '']);
    const strip = (rows: Array<Record<string, unknown>>) => rows.map(({ source: _source, ...rest }) => rest);
    expect(strip(jsonRows(joined))).toEqual(strip(jsonRows(plain)));
    expect(jsonRows(joined).map((row) => row.source)).toEqual([`${gz}:1`, `${gz}:2`, `${gz}:3`, `${current}:1`, `${current}:2`]);
    expect(single.stdout).toBe((await runBuiltAsync(['audit', FIXTURE, '-o', 'summary'])).stdout);
  });

  it('reads stdin when no LOG is given, or -', async () => {
    const [none, dash, file] = await Promise.all([
      runBuiltAsync(['audit', '--user', 'system:serviceaccount:dev:secret-access-sa'], fixtureText),
      runBuiltAsync(['audit', '-', '--user', 'system:serviceaccount:dev:secret-access-sa'], fixtureText),
      runBuiltAsync(['audit', FIXTURE, '--user', 'system:serviceaccount:dev:secret-access-sa']),
    ]);
    expect([none.status, none.stderr, dash.status, dash.stderr]).toEqual([0, '', 0, '']);
    expect(none.stdout).toBe(file.stdout);
    expect(dash.stdout).toBe(file.stdout);
    expect(none.stdout.trimEnd().split('\n')).toHaveLength(4);
  });

  it('reads gzip from stdin', () => {
    assertBuilt();
    const r = spawnSync(process.execPath, [MAIN, 'audit', '-o', 'summary'], { cwd: ROOT, input: zlib.gzipSync(fixtureText) });
    expect([r.status, r.stderr.toString()]).toEqual([0, '']);
    expect(r.stdout.toString()).toContain('system:serviceaccount:dev:secret-access-sa  secrets     get    default,dev  2        1          3\n');
  });

  it('reads the legacy text format, marking decisions inferred from the code with ?', async () => {
    const r = await runBuiltAsync(['audit', LEGACY]);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/secrets\/api-access-secret\s+dev\s+200\s+allow\?/);
    expect(r.stdout).toMatch(/secrets\/api-access-secret\s+default\s+403\s+forbid\?/);
  });

  it('skips a malformed line with a warning naming file:line, and stops there with --strict (exit 2, one line)', async () => {
    const bad = temp('bad.log', [fixtureLines[0], fixtureLines[1], '{"kind":"Event", truncated', fixtureLines[4]].join('\n') + '\n');
    const [lenient, strict] = await Promise.all([
      runBuiltAsync(['audit', bad, '-o', 'json']),
      runBuiltAsync(['audit', bad, '-o', 'json', '--strict']),
    ]);
    expect(lenient.status).toBe(0);
    expect(jsonRows(lenient).map((row) => row.source)).toEqual([`${bad}:1`, `${bad}:2`, `${bad}:4`]);
    expect(lenient.stderr).toMatch(new RegExp(`^api-reader: warning: skipped: ${bad.replace(/[.]/g, '\\.')}:3: not valid JSON`));
    expect(lenient.stderr.trimEnd().split('\n')).toHaveLength(1);
    expectOneErrorLine(strict, new RegExp(`^api-reader: error: ${bad.replace(/[.]/g, '\\.')}:3: not valid JSON .*--strict.*\n$`));
    expect(strict.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--advise -f dist/ suggests exactly the grant dist/ ships for secret-access-sa, and diffs it', async () => {
    const r = await runBuiltAsync(['audit', FIXTURE, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa', '-f', 'dist/']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    const suggested = objects(r.stdout);
    const shipped = objects(fs.readFileSync(path.join(ROOT, 'dist/api-reader.k8s.yaml'), 'utf8'));
    const find = (list: K8s[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);
    expect(suggested.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRole/secret-access-cr', 'RoleBinding/secret-access-rb']);
    expect(grant(suggested[0])).toEqual(grant(find(shipped, 'ClusterRole', 'secret-access-cr')));
    expect(grant(suggested[1])).toEqual(grant(find(shipped, 'RoleBinding', 'secret-access-rb')));
    expect(r.stdout).toContain(`# Granted but never used (${SA}):\n#   (none)\n`);
    expect(r.stdout).toMatch(/# Denied but attempted:\n# {3}- get secrets\/api-access-secret -n default: once at 2024-05-01T10:00:03.000300Z; today: denied/);
  });

  it('--advise -o typescript writes cdk8s code with ReaderIdentity.grantRead', async () => {
    const r = await runBuiltAsync(['audit', FIXTURE, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa', '-o', 'typescript']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain("import { ReaderIdentity, RestrictedNamespace } from 'cdk8s-api-reader';");
    expect(r.stdout).toContain("identity.grantRead({ name: 'api-access-secret', namespace: 'dev' });");
  });

  it('--advise with no --user advises every subject, one section each, leaving out control plane identities', async () => {
    const r = await runBuiltAsync(['audit', MULTI, '--advise']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout.match(/^# ==== \d of 4: .*$/gm)).toEqual([
      '# ==== 1 of 4: system:serviceaccount:ci:deployer-sa ====',
      '# ==== 2 of 4: system:serviceaccount:dev:no-access-sa ====',
      '# ==== 3 of 4: system:serviceaccount:dev:web-sa ====',
      '# ==== 4 of 4: alice@example.com ====',
    ]);
    expect(r.stdout).toContain('# 3 control plane or node identities were left out');
    const all = await runBuiltAsync(['audit', MULTI, '--advise', '--include-system-identities']);
    expect(all.stdout).toMatch(/^# ==== 7 of 7: system:node:worker-1 ====$/m);
  });

  it('--advise --missing-only -f dist/ prints nothing for the walkthrough: dist/ grants all it did', async () => {
    const r = await runBuiltAsync(['audit', FIXTURE, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa', '--missing-only', '-f', 'dist/']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(objects(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('# No new grant for system:serviceaccount:dev:secret-access-sa: everything it was allowed to do is granted already.');
  });

  it.each([
    ['a log that does not exist', ['audit', 'no/such.log'], /^api-reader: error: no\/such\.log: no such file; pass an audit log/],
    ['a directory as the log', ['audit', 'test/audit/fixtures'], /^api-reader: error: test\/audit\/fixtures is a directory; pass the log files in it/],
    ['-f used for the log', ['audit', '-f', FIXTURE], /^api-reader: error: -f names manifests for --advise's grant diff; give audit logs as arguments instead/],
    ['a bad --decision', ['audit', FIXTURE, '--decision', 'maybe'], /^api-reader: error: --decision "maybe" is not allow or forbid\.\nUsage: api-reader audit /],
    ['--missing-only without -f', ['audit', FIXTURE, '--advise', '--missing-only'], /^api-reader: error: --missing-only needs the manifests that grant today: add -f PATH/],
    ['an advice format without --advise', ['audit', FIXTURE, '-o', 'typescript'], /^api-reader: error: --output "typescript" is not a view: use table, wide, summary, json or yaml \(typescript goes with --advise\)/],
    ['a bad --since', ['audit', FIXTURE, '--since', 'yesterday'], /^api-reader: error: --since "yesterday" is neither an RFC 3339 time nor a duration/],
    ['a bad --resource', ['audit', FIXTURE, '--resource', 'pods/'], /^api-reader: error: --resource "pods\/" is not RESOURCE/],
    ['stdin twice', ['audit', '-', '-'], /^api-reader: error: - \(stdin\) can be read only once/],
    ['a bad --workers', ['audit', FIXTURE, '--workers', 'many'], /^api-reader: error: --workers must be a whole number from 0 to 64, not "many"\./],
    ['stdin as log and manifests', ['audit', '-', '--advise', '--user', 'alice', '-f', '-'], /^api-reader: error: stdin cannot be both the log and the manifests/],
    ['manifests that do not exist', ['audit', FIXTURE, '--advise', '--user', 'alice', '-f', 'no/such/dir'], /^api-reader: error: no\/such\/dir: no such file or directory/],
  ])('%s: one error line, exit 2, nothing on stdout', async (_name, args, pattern) => {
    const r = await runBuiltAsync(args);
    expectOneErrorLine(r, pattern);
    expect(r.stdout).toBe('');
  });

  it('--workers N parses on threads with the same output, warnings and exit code as --workers 0', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i === 1234 ? 'not json' : fixtureLines[i % fixtureLines.length]));
    const log = temp('threads.log', `${lines.join('\n')}\n`);
    const gz = temp('threads.log.gz', zlib.gzipSync(`${lines.join('\n')}\n`));
    for (const args of [[log, '-o', 'json'], [gz, '-o', 'summary'], [log, gz, '--strict', '-o', 'json'], [log, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa', '-f', 'dist/']]) {
      const [sequential, threaded] = await Promise.all([runBuiltAsync(['audit', ...args, '--workers', '0']), runBuiltAsync(['audit', ...args, '--workers', '2'])]);
      expect(threaded).toEqual(sequential);
      expect(sequential.stderr).toMatch(/threads\.log(\.gz)?:1235: /);
    }
  });

  it('streams JSON lines: the first rows are out before stdin ends', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [MAIN, 'audit', '-o', 'json'], { cwd: ROOT });
    let stdout = '';
    const firstOutput = new Promise<string>((resolve) => child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      resolve(stdout);
    }));
    const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
    child.stdin.write(`${fixtureLines[0]}\n${fixtureLines[1]}\n`);
    const early = await firstOutput; // stdin is still open here
    expect(JSON.parse(early.split('\n')[0])).toMatchObject({ user: SA, decision: 'allow', source: '<stdin>:1' });
    child.stdin.end(`${fixtureLines[4]}\n`);
    expect(await exited).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(3);
  });

  it('ends quietly when its reader goes away (| head)', () => {
    const big = temp('big.log', `${fixtureLines[0]}\n`.repeat(5000));
    const r = spawnSync('bash', ['-c', 'set -o pipefail; "$0" "$1" audit "$2" -o json 2>"$3" | head -n 1 >/dev/null; echo "${PIPESTATUS[0]}"', process.execPath, MAIN, big, path.join(tmp, 'err')], { encoding: 'utf8' });
    expect(fs.readFileSync(path.join(tmp, 'err'), 'utf8')).toBe('');
    expect(r.stdout.trim()).toBe('0');
  });
});

describe('api-reader audit (in process)', () => {
  it('--help shows the usage and the "who read this secret" example', async () => {
    const r = await runInProcess(['audit', '--help']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^Usage: api-reader audit \[LOG\.\.\.\] /);
    expect(r.stdout).toContain('  api-reader audit /var/log/kube-audit.log --resource secrets --name api-access-secret --decision allow\n');
    expect(r.stdout).toContain('-o, --output FORMAT');
  });

  it('takes --since as a duration back from the clock it is given', async () => {
    const r = await runInProcess(['audit', FIXTURE, '--since', '5m', '-o', 'json'], { now: Date.parse('2024-05-01T10:06:00Z') });
    expect(r.status).toBe(0);
    expect(jsonRows(r).map((row) => row.time)).toEqual(['2024-05-01T10:05:01.000500Z']);
  });

  it('reads the stdin it is given', async () => {
    const r = await runInProcess(['audit', '-o', 'json', '--decision', 'forbid'], { stdin: fixtureText });
    expect(jsonRows(r).map((row) => row.source)).toEqual(['<stdin>:2', '<stdin>:3']);
  });

  it('refuses to wait for a terminal when no LOG is given', async () => {
    const r = await runInProcess(['audit'], { stdinTty: true });
    expectOneErrorLine(r, /^api-reader: error: no LOG given and stdin is a terminal/);
  });

  it('says so when nothing matches', async () => {
    const r = await runInProcess(['audit', FIXTURE, '--verb', 'delete']);
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'No matching audit events.\n', '']);
  });
});
