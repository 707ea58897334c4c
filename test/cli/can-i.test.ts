import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertBuilt, CliRun, fixture, MAIN, NO_ACCESS_SA, ROOT, runBuilt, runInProcess, SECRET_SA } from './cli';

const SECRET = ['get', 'secrets/api-access-secret'];
const ALLOWED_REASON = 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"';
const DISCOVERY_REASON = 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"';

describe('api-reader can-i on the walkthrough', () => {
  it('says yes (exit 0) for secret-access-sa reading its secret in dev', () => {
    expect(runBuilt(['can-i', ...SECRET, '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/'])).toEqual({ stdout: 'yes\n', stderr: '', status: 0 });
  });

  it('says no (exit 1) for no-access-sa', () => {
    expect(runBuilt(['can-i', ...SECRET, '-n', 'dev', '--as', NO_ACCESS_SA, '-f', 'dist/'])).toEqual({ stdout: 'no\n', stderr: '', status: 1 });
  });

  it('says no (exit 1) in namespace default: the RoleBinding grants only in dev', () => {
    expect(runBuilt(['can-i', ...SECRET, '-n', 'default', '--as', SECRET_SA, '-f', 'dist/'])).toEqual({ stdout: 'no\n', stderr: '', status: 1 });
  });

  it('--explain prints the upstream reason and the count of ignored kinds', () => {
    const r = runBuilt(['can-i', ...SECRET, '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/', '--explain']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'yes',
      ALLOWED_REASON,
      'ignored 5 objects of other kinds: ConfigMap (1), NetworkPolicy (1), Pod (2), Policy (1)',
      '',
    ]);
  });

  it('lets everyone GET /api through the bootstrap policy', () => {
    const r = runBuilt(['can-i', 'get', '/api', '--as', NO_ACCESS_SA, '-f', 'dist/', '--explain']);
    expect([r.status, r.stdout.split('\n')[1]]).toEqual([0, DISCOVERY_REASON]);
  });

  it('denies GET /api with --no-bootstrap', () => {
    expect(runBuilt(['can-i', 'get', '/api', '--as', NO_ACCESS_SA, '-f', 'dist/', '--no-bootstrap'])).toEqual({ stdout: 'no\n', stderr: '', status: 1 });
  });

  it('reads manifests from stdin with -f -', async () => {
    const stdin = fs.readFileSync(path.join(ROOT, 'dist/api-reader.k8s.yaml'), 'utf8');
    expect((await runInProcess(['can-i', ...SECRET, '-n', 'dev', '--as', SECRET_SA, '-f', '-'], { stdin })).status).toBe(0);
  });
});

describe('api-reader can-i vocabulary', () => {
  const team = ['-f', fixture('team')];
  const deployer = 'system:serviceaccount:team:deployer';

  it.each([
    ['RESOURCE.GROUP', ['create', 'deployments.apps', '-n', 'team', '--as', deployer], 0],
    ['a built-in name resolved to its group', ['create', 'deployments', '-n', 'team', '--as', deployer], 0],
    ['a short name', ['create', 'deploy', '-n', 'team', '--as', deployer], 0],
    ['the wrong group', ['create', 'deployments.extensions', '-n', 'team', '--as', deployer], 1],
    ['a verb the role lacks', ['delete', 'deployments.apps', '-n', 'team', '--as', deployer], 1],
    ['-n defaulting to default', ['create', 'deployments.apps', '--as', deployer], 1],
    ['-A (cluster-wide: RoleBindings do not count)', ['create', 'deployments.apps', '-A', '--as', deployer], 1],
    ['--subresource', ['get', 'pods/web', '--subresource', 'log', '-n', 'team', '--as', 'alice'], 0],
    ['a subresource the role lacks', ['get', 'pods/web', '--subresource', 'exec', '-n', 'team', '--as', 'alice'], 1],
    ['--as-group', ['list', 'pods', '-n', 'team', '--as', 'bob', '--as-group', 'auditors'], 0],
    ['a user outside the group', ['list', 'pods', '-n', 'team', '--as', 'bob'], 1],
    ['--as-group system:masters', ['delete', 'nodes', '--as', 'bob', '--as-group', 'system:masters'], 0],
  ])('%s', async (_name, args, status) => {
    expect((await runInProcess(['can-i', ...args, ...team])).status).toBe(status);
  });

  it('without -f asks the bootstrap policy only', async () => {
    expect((await runInProcess(['can-i', 'get', '/healthz', '--as', 'alice'])).status).toBe(0);
    expect((await runInProcess(['can-i', 'get', 'secrets', '--as', 'alice'])).status).toBe(1);
  });

  it('--explain for a denial prints the reason with the missing role, then the no-rules line, then the problem', async () => {
    const r = await runInProcess(['can-i', 'get', 'secrets', '-A', '--as', 'bob', '--as-group', 'auditors', ...team, '--explain']);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      'no',
      'RBAC: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found',
      'RBAC: no rules authorize user "bob" with groups ["auditors" "system:authenticated"] to "get" resource "secrets" cluster-wide',
      `problem: ClusterRoleBinding "ghost" (${fixture('team')}/rbac.yaml:58) grants nothing: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found; create ClusterRole "does-not-exist", or point roleRef at an existing role.`,
      '',
    ]);
  });

  it('--output json carries the decision, the grant and the user', async () => {
    const r = await runInProcess(['can-i', ...SECRET, '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/', '-o', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      allowed: true,
      reason: ALLOWED_REASON,
      user: { name: SECRET_SA, groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] },
      request: { verb: 'get', group: '', resource: 'secrets', name: 'api-access-secret', namespace: 'dev' },
      grant: { binding: 'RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"' },
      ignored: { ConfigMap: 1, NetworkPolicy: 1, Pod: 2, Policy: 1 },
    });
  });
});

describe('api-reader can-i --list', () => {
  it('prints the Resources / Non-Resource URLs / Resource Names / Verbs table, as kubectl does', async () => {
    const r = await runInProcess(['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(r.status).toBe(0);
    expect(lines[0].split(/\s{2,}/)).toEqual(['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
    expect(lines).toContainEqual(expect.stringMatching(/^secrets\s+\[\]\s+\[api-access-secret\]\s+\[get\]$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\s+\[\/api\]\s+\[\]\s+\[get\]$/));
  });

  it('merges the verbs of one resource and lists subresources as resource/sub', async () => {
    const r = await runInProcess(['can-i', '--list', '-n', 'team', '--as', 'alice', '-f', fixture('team'), '--no-bootstrap']);
    expect(r.stdout).toBe([
      'Resources   Non-Resource URLs   Resource Names   Verbs',
      'pods        []                  []               [get list watch]',
      'pods/log    []                  []               [get list watch]',
      '',
    ].join('\n'));
  });

  it('--output json gives the rows', async () => {
    const r = await runInProcess(['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/', '--no-bootstrap', '-o', 'json']);
    expect(JSON.parse(r.stdout).rules).toEqual([{ resources: ['secrets'], nonResourceURLs: [], resourceNames: ['api-access-secret'], verbs: ['get'] }]);
  });

  it('--output json writes resources as a list, as nonResourceURLs (empty for a URL rule)', async () => {
    const r = await runInProcess(['can-i', '--list', '-n', 'dev', '--as', SECRET_SA, '-f', 'dist/', '-o', 'json']);
    const rules = JSON.parse(r.stdout).rules as { resources: unknown; nonResourceURLs: string[] }[];
    expect(rules.every((rule) => Array.isArray(rule.resources) && Array.isArray(rule.nonResourceURLs))).toBe(true);
    expect(rules).toContainEqual({ resources: [], nonResourceURLs: ['/api'], resourceNames: [], verbs: ['get'] });
    expect(rules).toContainEqual({ resources: ['selfsubjectaccessreviews.authorization.k8s.io'], nonResourceURLs: [], resourceNames: [], verbs: ['create'] });
  });
});

describe('colours', () => {
  const args = ['can-i', 'get', '/api', '--as', 'alice'];
  it('are used on a terminal', async () => {
    expect((await runInProcess(args, { tty: true })).stdout).toBe('\x1b[32myes\x1b[0m\n');
  });
  it('are never used with NO_COLOR', async () => {
    expect((await runInProcess(args, { tty: true, env: { NO_COLOR: '1' } })).stdout).toBe('yes\n');
  });
  it('are not used when stdout is not a terminal', async () => {
    expect((await runInProcess(args, { tty: false })).stdout).toBe('yes\n');
  });
  it('are never used in JSON', async () => {
    expect((await runInProcess([...args, '-o', 'json'], { tty: true })).stdout).not.toContain('\x1b[');
  });
});

describe('api-reader can-i -f - (a live cluster dump on stdin)', () => {
  // `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o json | api-reader ... -f -`:
  // one `kind: List`, larger than a pipe's buffer (stdin was once made non-blocking, and reading it failed with EAGAIN).
  const items = [
    ...Array.from({ length: 1500 }, (_, i) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `filler-${i}`, labels: { 'app.kubernetes.io/part-of': 'a-long-label-value-to-make-the-dump-big' } }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] })),
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'secret-access-sa', namespace: 'dev' }] },
  ];
  const dump = JSON.stringify({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, null, 4);

  /**
   * The built CLI at the end of a shell pipe whose writer pauses after the first KB until the CLI
   * has read it and waits for more (test/support/paused-pipe.sh), as a `kubectl get` that
   * streams its output would.
   */
  function slowPipe(args: readonly string[], input: string): CliRun {
    assertBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-stdin-'));
    try {
      const file = path.join(dir, 'dump.json');
      fs.writeFileSync(file, input);
      const writer = path.join(__dirname, '..', 'support', 'paused-pipe.sh');
      const r = spawnSync('sh', [writer, file, path.join(dir, 'reader.pid'), process.execPath, MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
      if (r.error) throw r.error;
      return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('reads a JSON `kind: List` larger than a pipe buffer from a slow pipe, without the bootstrap policy', () => {
    expect(dump.length).toBeGreaterThan(256 * 1024);
    expect(slowPipe(['can-i', ...SECRET, '-n', 'dev', '--as', SECRET_SA, '-f', '-', '--no-bootstrap'], dump)).toEqual({ stdout: 'yes\n', stderr: '', status: 0 });
    // Without the bootstrap policy, discovery is not granted by anything.
    expect(runBuilt(['can-i', 'get', '/api', '--as', SECRET_SA, '-f', '-', '--no-bootstrap'], dump)).toEqual({ stdout: 'no\n', stderr: '', status: 1 });
  });
});
