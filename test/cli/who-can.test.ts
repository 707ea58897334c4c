import { fixture, runBuilt, runInProcess, SECRET_SA } from './cli';

const GC_SA = 'system:serviceaccount:kube-system:generic-garbage-collector';
const NS_SA = 'system:serviceaccount:kube-system:namespace-controller';

describe('api-reader who-can', () => {
  // The bootstrap subjects are those a real v1.35.4 kube-apiserver allows: system:masters, two
  // controllers' ServiceAccounts and the controller manager's user.
  it('lists secret-access-sa and the bootstrap subjects (system:masters, the controllers) for the walkthrough secret (built binary)', () => {
    const r = runBuilt(['who-can', 'get', 'secrets/api-access-secret', '-n', 'dev', '-f', 'dist/']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe([
      'SUBJECT                                                       KIND             BINDING                                                            ROLE',
      'system:masters                                                Group            (privileged group)                                                 (everything)',
      'system:masters                                                Group            ClusterRoleBinding "cluster-admin"                                 ClusterRole "cluster-admin"',
      `${GC_SA}   ServiceAccount   ClusterRoleBinding "system:controller:generic-garbage-collector"   ClusterRole "system:controller:generic-garbage-collector"`,
      `${NS_SA}        ServiceAccount   ClusterRoleBinding "system:controller:namespace-controller"        ClusterRole "system:controller:namespace-controller"`,
      'system:kube-controller-manager                                User             ClusterRoleBinding "system:kube-controller-manager"                ClusterRole "system:kube-controller-manager"',
      `${SECRET_SA}                    ServiceAccount   RoleBinding "secret-access-rb/dev"                                 ClusterRole "secret-access-cr"`,
      '',
    ].join('\n'));
  });

  it('--output json gives each subject with its binding and upstream reason', async () => {
    const r = await runInProcess(['who-can', 'get', 'secrets/api-access-secret', '-n', 'dev', '-f', 'dist/', '-o', 'json']);
    const json = JSON.parse(r.stdout);
    expect(json.subjects).toEqual([
      {
        subject: 'system:masters', kind: 'Group', binding: '(privileged group)', role: '(everything)', reason: 'allowed by the privileged-group authorizer, before RBAC',
      },
      {
        subject: 'system:masters', kind: 'Group', binding: 'ClusterRoleBinding "cluster-admin"', role: 'ClusterRole "cluster-admin"',
        reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
      },
      {
        subject: GC_SA, kind: 'ServiceAccount', binding: 'ClusterRoleBinding "system:controller:generic-garbage-collector"', role: 'ClusterRole "system:controller:generic-garbage-collector"',
        reason: 'RBAC: allowed by ClusterRoleBinding "system:controller:generic-garbage-collector" of ClusterRole "system:controller:generic-garbage-collector" to ServiceAccount "generic-garbage-collector/kube-system"',
      },
      {
        subject: NS_SA, kind: 'ServiceAccount', binding: 'ClusterRoleBinding "system:controller:namespace-controller"', role: 'ClusterRole "system:controller:namespace-controller"',
        reason: 'RBAC: allowed by ClusterRoleBinding "system:controller:namespace-controller" of ClusterRole "system:controller:namespace-controller" to ServiceAccount "namespace-controller/kube-system"',
      },
      {
        subject: 'system:kube-controller-manager', kind: 'User', binding: 'ClusterRoleBinding "system:kube-controller-manager"', role: 'ClusterRole "system:kube-controller-manager"',
        reason: 'RBAC: allowed by ClusterRoleBinding "system:kube-controller-manager" of ClusterRole "system:kube-controller-manager" to User "system:kube-controller-manager"',
      },
      {
        subject: SECRET_SA, kind: 'ServiceAccount', binding: 'RoleBinding "secret-access-rb/dev"', role: 'ClusterRole "secret-access-cr"',
        reason: 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
      },
    ]);
  });

  it('lists, in a second section, who may do it only on named objects (issue 22: secret-access-sa was missing)', async () => {
    const text = await runInProcess(['who-can', 'get', 'secrets', '-n', 'dev', '-f', 'dist/']);
    expect(text.status).toBe(0);
    const [main, named] = text.stdout.split('\n\n');
    expect(main).not.toContain(SECRET_SA);
    expect(named).toBe([
      'may "get" resource "secrets" in namespace dev only on named objects:',
      'SUBJECT                                      KIND             NAMES               BINDING                              ROLE',
      `${SECRET_SA}   ServiceAccount   api-access-secret   RoleBinding "secret-access-rb/dev"   ClusterRole "secret-access-cr"`,
      '',
    ].join('\n'));
    const json = JSON.parse((await runInProcess(['who-can', 'get', 'secrets', '-n', 'dev', '-f', 'dist/', '-o', 'json'])).stdout);
    expect(json.subjects.map((s: { subject: string }) => s.subject)).not.toContain(SECRET_SA);
    expect(json.namedOnly).toEqual([{
      subject: SECRET_SA, kind: 'ServiceAccount', names: ['api-access-secret'], binding: 'RoleBinding "secret-access-rb/dev"', role: 'ClusterRole "secret-access-cr"',
      reason: 'only on the named objects "api-access-secret": RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
    }]);
  });

  it('has no named-only section for a request that names the object, nor in another namespace', async () => {
    const named = JSON.parse((await runInProcess(['who-can', 'get', 'secrets/api-access-secret', '-n', 'dev', '-f', 'dist/', '-o', 'json'])).stdout);
    expect(named.namedOnly).toEqual([]);
    const elsewhere = await runInProcess(['who-can', 'get', 'secrets', '-n', 'default', '-f', 'dist/']);
    expect(elsewhere.stdout).not.toContain('only on named objects');
  });

  it('does not count a RoleBinding of another namespace', async () => {
    const r = await runInProcess(['who-can', 'get', 'secrets/api-access-secret', '-n', 'default', '-f', 'dist/', '-o', 'json']);
    expect(JSON.parse(r.stdout).subjects.map((s: { subject: string }) => s.subject)).toEqual(['system:masters', 'system:masters', GC_SA, NS_SA, 'system:kube-controller-manager']);
  });

  it('says so when no binding allows, naming system:masters, which the server allows everything with or without bindings', async () => {
    const r = await runInProcess(['who-can', 'list', 'secrets', '-n', 'dev', '-f', 'dist/', '--no-bootstrap']);
    expect(r).toEqual({
      stdout: 'no binding allows "list" resource "secrets" in namespace dev; only system:masters may, allowed everything before RBAC is asked\n', stderr: '', status: 0,
    });
  });

  it('lists system:masters first with --no-bootstrap too (upstream SubjectLocator), then the bound subjects', async () => {
    const r = await runInProcess(['who-can', 'get', 'secrets/api-access-secret', '-n', 'dev', '-f', 'dist/', '--no-bootstrap', '-o', 'json']);
    expect(JSON.parse(r.stdout).subjects.map((s: { subject: string; binding: string }) => `${s.subject} by ${s.binding}`)).toEqual([
      'system:masters by (privileged group)', `${SECRET_SA} by RoleBinding "secret-access-rb/dev"`,
    ]);
  });

  it('lists users and groups of a Role binding, and warns about a binding to a missing role', async () => {
    const r = await runInProcess(['who-can', 'watch', 'pods', '-n', 'team', '-f', fixture('team'), '--no-bootstrap']);
    expect(r.stdout.split('\n').map((l) => l.split(/\s{2,}/)[0])).toEqual(['SUBJECT', 'system:masters', 'alice', 'auditors', '']);
    expect(r.stderr).toBe(`api-reader: warning: ClusterRoleBinding "ghost" (${fixture('team')}/rbac.yaml:58) grants nothing: clusterrole.rbac.authorization.k8s.io "does-not-exist" not found; create ClusterRole "does-not-exist", or point roleRef at an existing role.\n`);
  });

  it('answers non-resource URLs, listing a subject once per granting binding', async () => {
    const r = await runInProcess(['who-can', 'get', '/healthz', '-f', 'dist/', '-o', 'json']);
    expect(JSON.parse(r.stdout).subjects.map((s: { subject: string; binding: string }) => `${s.subject} by ${s.binding}`)).toEqual([
      'system:masters by (privileged group)',
      'system:masters by ClusterRoleBinding "cluster-admin"',
      'system:authenticated by ClusterRoleBinding "system:discovery"',
      'system:monitoring by ClusterRoleBinding "system:monitoring"',
      'system:authenticated by ClusterRoleBinding "system:public-info-viewer"',
      'system:unauthenticated by ClusterRoleBinding "system:public-info-viewer"',
    ]);
  });
});
