import { fixture, runBuilt, runInProcess } from './cli';

const FIXTURE = fixture('escalations.yaml');

describe('api-reader escalations', () => {
  it('prints each path hop by hop, shortest first, with the rule and binding (file:line) of each hop (built binary)', () => {
    const r = runBuilt(['escalations', '-f', FIXTURE, '--subject', 'mallory']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe([
      'User mallory: 2 paths',
      '  -> ServiceAccount t/mid [critical, 1 hop]',
      '     1. [serviceaccount-token-create, critical] User mallory -> ServiceAccount t/mid: mint a token for it (kubectl create token mid -n t)',
      `        allowed by "create" resource "serviceaccounts/token" named "mid" in namespace "t": rule "create serviceaccounts/token [mid]" of RoleBinding t/mallory-token (${FIXTURE}:37) of Role t/token-for-mid (${FIXTURE}:31)`,
      '  -> ServiceAccount t/boss (holds cluster-admin) [critical, 2 hops]',
      '     1. [serviceaccount-token-create, critical] User mallory -> ServiceAccount t/mid: mint a token for it (kubectl create token mid -n t)',
      `        allowed by "create" resource "serviceaccounts/token" named "mid" in namespace "t": rule "create serviceaccounts/token [mid]" of RoleBinding t/mallory-token (${FIXTURE}:37) of Role t/token-for-mid (${FIXTURE}:31)`,
      '     2. [pods-exec, high] ServiceAccount t/mid -> ServiceAccount t/boss: exec into Pod "web", which runs as it',
      `        through Pod t/web (${FIXTURE}:24)`,
      `        allowed by "create" resource "pods/exec" named "web" in namespace "t": rule "create pods/exec" of RoleBinding t/mid-exec (${FIXTURE}:49) of Role t/exec (${FIXTURE}:43)`,
      '',
    ].join('\n'));
  });

  it('the walkthrough (dist/) opens no escalation path', async () => {
    const r = await runInProcess(['escalations', '-f', 'dist/', '-o', 'json']);
    const json = JSON.parse(r.stdout) as { subjects: Array<{ paths: unknown[]; holdsClusterAdmin: boolean }> };
    expect(json.subjects.length).toBeGreaterThan(0);
    expect(json.subjects.filter((x) => x.paths.length > 0 || x.holdsClusterAdmin)).toEqual([]);
  });

  it('without --subject searches every subject of the input and counts those without paths', async () => {
    const r = await runInProcess(['escalations', '-f', FIXTURE]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith(' '))).toEqual([
      'ServiceAccount t/boss: holds cluster-admin already', 'User mallory: 2 paths', 'ServiceAccount t/mid: 1 path', '',
    ]);
  });

  it('--subject takes a user, group:NAME or a ServiceAccount user name', async () => {
    const r = await runInProcess(['escalations', '-f', FIXTURE, '--subject', 'group:system:authenticated', '--subject', 'mallory', '--subject', 'system:serviceaccount:t:boss', '-o', 'json']);
    expect(JSON.parse(r.stdout).subjects.map((x: { subject: unknown }) => x.subject)).toEqual([
      { kind: 'Group', name: 'system:authenticated' }, { kind: 'User', name: 'mallory' }, { kind: 'ServiceAccount', namespace: 't', name: 'boss' },
    ]);
  });

  it('states the cap on paths per subject when it applies', async () => {
    const r = await runInProcess(['escalations', '-f', FIXTURE, '--subject', 'mallory', '--max-paths', '1']);
    expect(r.stdout.split('\n')[0]).toBe('User mallory: 1 path (capped at 1: more targets are reachable; raise --max-paths)');
    const json = JSON.parse((await runInProcess(['escalations', '-f', FIXTURE, '--subject', 'mallory', '--max-paths', '1', '-o', 'json'])).stdout);
    expect([json.maxPathsPerSubject, json.subjects[0].truncated, json.subjects[0].paths.length]).toEqual([1, true, 1]);
  });

  it('-o json gives the paths with each grant\'s binding and its file:line', async () => {
    const r = await runInProcess(['escalations', '-f', FIXTURE, '--subject', 'system:serviceaccount:t:mid', '-o', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.subjects[0].paths[0].hops[0]).toEqual(expect.objectContaining({
      kind: 'pods-exec', severity: 'high', from: { kind: 'ServiceAccount', namespace: 't', name: 'mid' }, to: { kind: 'ServiceAccount', namespace: 't', name: 'boss' },
      grants: [expect.objectContaining({ binding: { kind: 'RoleBinding', name: 'mid-exec', namespace: 't', source: { file: FIXTURE, line: 49 } } })],
    }));
  });

  it('-o sarif gives one rule per hop kind and one result per path, located at the first grant\'s binding', async () => {
    const r = await runInProcess(['escalations', '-f', FIXTURE, '--subject', 'mallory', '-o', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining(['workload-create', 'impersonate', 'bind', 'escalate', 'nodes-proxy', 'csr-approve']));
    expect(run.results.map((x: { ruleId: string; level: string }) => [x.ruleId, x.level])).toEqual([['serviceaccount-token-create', 'error'], ['serviceaccount-token-create', 'error']]);
    expect(run.results[1].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: FIXTURE }, region: { startLine: 37 } });
    expect(run.results[1].relatedLocations[0].physicalLocation).toEqual({ artifactLocation: { uri: FIXTURE }, region: { startLine: 49 } });
  });

  it('names from manifests are data: escaped on the terminal, exact in JSON and SARIF', async () => {
    const evil = 'eve\u001b[2J\nUser root: holds cluster-admin already';
    const yaml = JSON.stringify({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'evil' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: evil }],
    }) + '\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: n1 }\n';
    const text = await runInProcess(['escalations', '-f', '-'], { stdin: yaml });
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout.split('\n').filter((l) => l.startsWith('User root'))).toEqual([]);
    expect(text.stdout).toContain('User eve\\x1b[2J\\nUser root: holds cluster-admin already: ');
    for (const format of ['json', 'sarif']) {
      const out = await runInProcess(['escalations', '-f', '-', '-o', format], { stdin: yaml });
      expect(out.stdout).toContain(JSON.stringify(evil).slice(1, -1));
    }
  });

  it.each([
    [['--output', 'yaml'], /--output must be text, json or sarif, not "yaml"/],
    [['--max-paths', '0'], /--max-paths must be a whole number of at least 1, not "0"/],
    [['--max-paths', 'ten'], /--max-paths must be a whole number/],
    [['--subject', 'system:serviceaccount:bad'], /is not system:serviceaccount:NAMESPACE:NAME/],
    [['extra'], /escalations takes no arguments/],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await runInProcess(['escalations', '-f', FIXTURE, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
