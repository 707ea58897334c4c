/**
 * `api-reader audit` on the real audit log this suite produced: the walkthrough's requests (made
 * by 02-walkthrough earlier in the same control-plane session) as the tool reports them, and the
 * least-privilege advice for secret-access-sa compared with the grant dist/ ships.
 *
 * The tool runs as users run it: the built binary (`node build/lib/cli/main.js audit ...`), on a
 * snapshot of the log cut at its last complete line (the API server keeps appending to the live
 * file), plain, gzip and through stdin.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { parseAllDocuments } from 'yaml';
import { distObjects, privateTempDir, removeDir } from './support/cluster-steps';
import { distDir, K8sObject } from './support/manifests';
import { AUDIT_FLUSH_DEADLINE_MS, describeRun, run, RunResult, sleep } from './support/run';
import { clusterState, REPO_ROOT, STATE_ENV } from './support/state';

const NS = 'dev';
const SECRET = 'api-access-secret';
const SECRET_SA = `system:serviceaccount:${NS}:secret-access-sa`;
const NO_ACCESS_SA = `system:serviceaccount:${NS}:no-access-sa`;
const MAIN = path.join(REPO_ROOT, 'build', 'lib', 'cli', 'main.js');
const state = clusterState();

/** Fails with what to do when build/ is missing or older than the CLI and audit sources. */
function assertBuilt(): void {
  const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return Math.max(t, newest(full));
    return e.name.endsWith('.ts') ? Math.max(t, fs.statSync(full).mtimeMs) : t;
  }, 0);
  const source = Math.max(...['lib/cli', 'lib/audit', 'lib/rbac'].map((d) => newest(path.join(REPO_ROOT, d))));
  if (!fs.existsSync(MAIN) || fs.statSync(MAIN).mtimeMs < source - 1000) {
    throw new Error('build/lib/cli/main.js is missing or older than lib/: run `npm run build` before the e2e suite.');
  }
}

/** Runs the built `api-reader` and parses nothing: the test reads stdout, stderr and the exit code. */
function apiReader(args: readonly string[], input?: string): RunResult {
  return run(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, input, timeoutMs: 60_000 });
}

/** The rows of `-o json`. */
function rows(r: RunResult): Array<Record<string, unknown>> {
  if (r.code !== 0) throw new Error(`api-reader failed:\n${describeRun(r)}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The fields that make a grant (labels and annotations are not part of it). */
function grant(o: K8sObject | undefined): Record<string, unknown> | undefined {
  if (!o) return undefined;
  return { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace, rules: o.rules, roleRef: o.roleRef, subjects: o.subjects };
}

const auditDescribe = state.auditLog ? describe : describe.skip;

auditDescribe('api-reader audit on the real audit log (the walkthrough of 02)', () => {
  let work: string;
  let log: string;
  // Only this session's events: an existing cluster's log (E2E_AUDIT_LOG) may hold older runs.
  const since = new Date(fs.statSync(process.env[STATE_ENV]!).mtimeMs - 5_000).toISOString();
  const walkthrough = ['--since', since, '--resource', 'secrets', '--name', SECRET, '-o', 'json'];

  beforeAll(async () => {
    assertBuilt();
    work = privateTempDir('audit');
    log = path.join(work, 'audit.log');
    // 02 waited for its events; wait again in case this file runs alone after a slow flush.
    const deadline = Date.now() + AUDIT_FLUSH_DEADLINE_MS;
    for (;;) {
      const text = fs.readFileSync(state.auditLog!, 'utf8');
      fs.writeFileSync(log, text.slice(0, text.lastIndexOf('\n') + 1), { mode: 0o600 });
      if (rows(apiReader(['audit', log, ...walkthrough, '--user', 'system:serviceaccount:dev:secret-access-sa', '--decision', 'allow'])).length > 0 || Date.now() > deadline) break;
      await sleep(200);
    }
  });

  afterAll(() => removeDir(work));

  it('reads the whole log with --strict: every line is an event it understands', () => {
    const r = apiReader(['audit', log, '--strict', '-o', 'summary', '--stage', 'all']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^USER +RESOURCE +VERBS +NAMESPACES +ALLOWED +FORBIDDEN +TOTAL\n/);
  });

  it("tells the walkthrough's story: secret-access-sa allowed in dev; no-access-sa and secret-access-sa in default forbidden", () => {
    const seen = rows(apiReader(['audit', log, ...walkthrough, '--user', 'system:serviceaccount:dev:secret-access-sa,system:serviceaccount:dev:no-access-sa', '--verb', 'get']));
    const story = [...new Set(seen.map((r) => `${r.user} get ${r.namespace}: ${r.decision} ${r.code}`))].sort();
    expect(story).toEqual([
      `${NO_ACCESS_SA} get dev: forbid 403`,
      `${SECRET_SA} get default: forbid 403`,
      `${SECRET_SA} get dev: allow 200`,
    ]);
  });

  it('answers "who read this secret" (the README one-liner): of the service accounts, only secret-access-sa', () => {
    // The suite's own kubectl user reads it too (`kubectl delete --ignore-not-found` GETs first).
    const readers = rows(apiReader(['audit', log, ...walkthrough, '--namespace', NS, '--decision', 'allow', '--verb', 'get,list,watch']));
    expect([...new Set(readers.map((r) => String(r.user)).filter((u) => u.startsWith('system:serviceaccount:')))]).toEqual([SECRET_SA]);
  });

  it('shows the foreign-audience request as a failed authentication: no user, 401, no decision', () => {
    const failed = rows(apiReader(['audit', log, ...walkthrough, '--stage', 'all'])).filter((r) => r.code === 401);
    expect(failed.map((r) => [r.user, r.verb, r.namespace, r.decision, r.stage])).toEqual([['', 'get', NS, '', 'ResponseStarted']]);
  });

  it('reads the same log gzip-compressed and from stdin alike', () => {
    const gz = `${log}.1.gz`;
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(log)), { mode: 0o600 });
    const args = [...walkthrough.filter((a) => a !== 'json'), 'summary'];
    const plain = apiReader(['audit', log, ...args]);
    const zipped = apiReader(['audit', gz, ...args]);
    const piped = apiReader(['audit', ...args], fs.readFileSync(log, 'utf8'));
    expect([zipped.code, zipped.stderr, zipped.stdout]).toEqual([0, '', plain.stdout]);
    expect([piped.code, piped.stderr, piped.stdout]).toEqual([0, '', plain.stdout]);
    expect(plain.stdout).toContain(SECRET_SA);
  });

  it('--advise --user system:serviceaccount:dev:secret-access-sa -o yaml suggests exactly the ClusterRole and RoleBinding dist/ ships', () => {
    const r = apiReader(['audit', log, '--since', since, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa', '-o', 'yaml']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const suggested = parseAllDocuments(r.stdout).map((d) => d.toJS() as K8sObject | null).filter((o): o is K8sObject => o !== null);
    const shipped = distObjects();
    const find = (kind: string, name: string) => shipped.find((o) => o.kind === kind && o.metadata.name === name);
    expect(suggested.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ClusterRole/secret-access-cr', 'RoleBinding/secret-access-rb']);
    expect(suggested.map(grant)).toEqual([grant(find('ClusterRole', 'secret-access-cr')), grant(find('RoleBinding', 'secret-access-rb'))]);
  });

  it('-f dist/: nothing granted goes unused, and the denied attempts are listed', () => {
    const r = apiReader(['audit', log, '--since', since, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa', '-f', distDir()]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`# Granted but never used (${SECRET_SA}):\n#   (none)\n`);
    const denied = r.stdout.slice(r.stdout.indexOf('# Denied but attempted:'), r.stdout.indexOf('# Used but not granted'));
    expect(denied).toMatch(new RegExp(`- get secrets/${SECRET} -n default: .*; today: denied`));
    expect(denied).toMatch(/- list secrets -n dev: .*; today: denied/);
    expect(r.stdout).toContain('# Used but not granted by these manifests:\n#   (none)\n');
  });
});
