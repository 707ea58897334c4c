import * as path from 'path';
import { AccessRequest, authorize, loadPaths, RbacPolicy, serviceAccountUser, UserInfo, whoCan } from '../../lib/rbac';

const fixture = (...dirs: string[]) => RbacPolicy.fromLoadResult(loadPaths(dirs.map((d) => path.join(__dirname, 'fixtures', d))));

const DISCOVERY = 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"';
const SECRET_RB = 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"';
const LOG_CRB = 'RBAC: allowed by ClusterRoleBinding "log-exporter-rb" of ClusterRole "log-exporter-cr" to ServiceAccount "log-exporter-sa/default"';

type Case = [string, UserInfo, AccessRequest, boolean, string];

describe('seed 001: the default ServiceAccount', () => {
  const policy = fixture('default-sa');
  const sa = serviceAccountUser('default', 'default');
  it.each<Case>([
    ['is denied listing pods', sa, { verb: 'list', resource: 'pods', namespace: 'default' }, false, ''],
    ['is denied reading secrets', sa, { verb: 'get', resource: 'secrets', name: 'default-token', namespace: 'default' }, false, ''],
    ['may GET /api', sa, { verb: 'get', path: '/api' }, true, DISCOVERY],
    ['may GET /apis', sa, { verb: 'get', path: '/apis' }, true, DISCOVERY],
    ['may GET /api/v1 (the /api/* rule)', sa, { verb: 'get', path: '/api/v1' }, true, DISCOVERY],
    ['may not POST /api', sa, { verb: 'post', path: '/api' }, false, ''],
  ])('%s', (_name, user, request, allowed, reason) => {
    const d = authorize(policy, user, request);
    expect([d.allowed, d.reason]).toEqual([allowed, reason]);
  });
});

describe('seed 001: demo-sa with a Role listing pods in default', () => {
  const policy = fixture('demo-sa');
  const sa = serviceAccountUser('default', 'demo-sa');
  const reason = 'RBAC: allowed by RoleBinding "list-pods_demo-sa/default" of Role "list-pods" to ServiceAccount "demo-sa/default"';
  it.each<Case>([
    ['lists pods in default', sa, { verb: 'list', resource: 'pods', namespace: 'default' }, true, reason],
    ['cannot list pods in kube-system', sa, { verb: 'list', resource: 'pods', namespace: 'kube-system' }, false, ''],
    ['cannot list pods cluster-wide', sa, { verb: 'list', resource: 'pods' }, false, ''],
    ['cannot get a pod (only list)', sa, { verb: 'get', resource: 'pods', name: 'p', namespace: 'default' }, false, ''],
    ['cannot read pod logs', sa, { verb: 'get', resource: 'pods', subresource: 'log', name: 'p', namespace: 'default' }, false, ''],
    ['another SA of default cannot list pods', serviceAccountUser('default', 'default'), { verb: 'list', resource: 'pods', namespace: 'default' }, false, ''],
  ])('%s', (_name, user, request, allowed, r) => {
    const d = authorize(policy, user, request);
    expect([d.allowed, d.reason]).toEqual([allowed, r]);
  });
});

describe('seed 002: view bound to the default SA of team-a', () => {
  const policy = fixture('view-default-sa');
  const sa = serviceAccountUser('team-a', 'default');
  const reason = 'RBAC: allowed by RoleBinding "default-view/team-a" of ClusterRole "view" to ServiceAccount "default/team-a"';
  it.each<Case>([
    ['lists services in team-a', sa, { verb: 'list', resource: 'services', namespace: 'team-a' }, true, reason],
    ['lists pods in team-a', sa, { verb: 'list', resource: 'pods', namespace: 'team-a' }, true, reason],
    ['watches deployments.apps in team-a', sa, { verb: 'watch', group: 'apps', resource: 'deployments', namespace: 'team-a' }, true, reason],
    ['cannot read secrets (view excludes them)', sa, { verb: 'get', resource: 'secrets', name: 's', namespace: 'team-a' }, false, ''],
    ['cannot create pods', sa, { verb: 'create', resource: 'pods', namespace: 'team-a' }, false, ''],
    ['cannot list services in default', sa, { verb: 'list', resource: 'services', namespace: 'default' }, false, ''],
    ['the default SA of another namespace gets nothing', serviceAccountUser('team-b', 'default'), { verb: 'list', resource: 'services', namespace: 'team-a' }, false, ''],
  ])('%s', (_name, user, request, allowed, r) => {
    const d = authorize(policy, user, request);
    expect([d.allowed, d.reason]).toEqual([allowed, r]);
  });
});

describe('seed 003: log-exporter-sa cluster-wide', () => {
  const policy = fixture('log-exporter');
  const sa = serviceAccountUser('default', 'log-exporter-sa');
  it.each<Case>([
    ['lists pods in default', sa, { verb: 'list', resource: 'pods', namespace: 'default' }, true, LOG_CRB],
    ['reads coredns logs in kube-system', sa, { verb: 'get', resource: 'pods', subresource: 'log', name: 'coredns-d798c9dd-pdswq', namespace: 'kube-system' }, true, LOG_CRB],
    ['lists pods in all namespaces', sa, { verb: 'list', resource: 'pods' }, true, LOG_CRB],
    ['gets a namespace', sa, { verb: 'get', resource: 'namespaces', name: 'kube-system' }, true, LOG_CRB],
    ['cannot watch pods', sa, { verb: 'watch', resource: 'pods', namespace: 'default' }, false, ''],
    ['cannot exec into pods', sa, { verb: 'create', resource: 'pods', subresource: 'exec', name: 'p', namespace: 'default' }, false, ''],
    ['cannot read secrets', sa, { verb: 'get', resource: 'secrets', name: 's', namespace: 'default' }, false, ''],
    ['a same-named SA in another namespace gets nothing', serviceAccountUser('kube-system', 'log-exporter-sa'), { verb: 'list', resource: 'pods' }, false, ''],
  ])('%s', (_name, user, request, allowed, r) => {
    const d = authorize(policy, user, request);
    expect([d.allowed, d.reason]).toEqual([allowed, r]);
  });

  it('fails when the ClusterRoleBinding subject leaves out the namespace, and says why', () => {
    const objects = [
      ...fixture('log-exporter').clusterRoles().filter((r) => r.metadata.name === 'log-exporter-cr'),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'log-exporter-rb' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'log-exporter-cr' },
        subjects: [{ kind: 'ServiceAccount', name: 'log-exporter-sa' }] },
    ];
    // The API server refuses such a binding, and so does the policy by default...
    expect(() => RbacPolicy.fromObjects(objects)).toThrow(/ClusterRoleBinding "log-exporter-rb" would be rejected by the API server: subjects\[0\]\.namespace is required/);
    // ...and evaluated as given, it matches nobody.
    const p = RbacPolicy.fromObjects(objects, { validate: false });
    expect(authorize(p, sa, { verb: 'list', resource: 'pods', namespace: 'default' }).allowed).toBe(false);
    expect(p.problems.map((x) => x.kind)).toEqual(['subject-matches-nobody']);
  });
});

describe('seed 000: the walkthrough', () => {
  const policy = fixture('walkthrough');
  const secretSa = serviceAccountUser('dev', 'secret-access-sa');
  const noSa = serviceAccountUser('dev', 'no-access-sa');
  const getSecret = (namespace: string): AccessRequest => ({ verb: 'get', resource: 'secrets', name: 'api-access-secret', namespace });
  it.each<Case>([
    ['secret-access-sa gets the secret in dev', secretSa, getSecret('dev'), true, SECRET_RB],
    ['secret-access-sa cannot get it in default', secretSa, getSecret('default'), false, ''],
    ['secret-access-sa cannot list secrets in dev', secretSa, { verb: 'list', resource: 'secrets', namespace: 'dev' }, false, ''],
    ['secret-access-sa cannot get another secret in dev', secretSa, { ...getSecret('dev'), name: 'other' } as AccessRequest, false, ''],
    ['secret-access-sa cannot update the secret', secretSa, { ...getSecret('dev'), verb: 'update' }, false, ''],
    ['no-access-sa is denied the secret in dev', noSa, getSecret('dev'), false, ''],
    ['no-access-sa is denied in default too', noSa, getSecret('default'), false, ''],
    ['no-access-sa may still use discovery', noSa, { verb: 'get', path: '/apis' }, true, DISCOVERY],
  ])('%s', (_name, user, request, allowed, reason) => {
    const d = authorize(policy, user, request);
    expect([d.allowed, d.reason]).toEqual([allowed, reason]);
  });

  it('who can get the secret: secret-access-sa, and of the bootstrap policy cluster-admin\'s group and two controllers with the controller manager', () => {
    expect(whoCan(policy, getSecret('dev')).entries.map((e) => e.grant.source.description)).toEqual([
      'ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"',
      'ClusterRoleBinding "system:controller:generic-garbage-collector" of ClusterRole "system:controller:generic-garbage-collector" to ServiceAccount "generic-garbage-collector/kube-system"',
      'ClusterRoleBinding "system:controller:namespace-controller" of ClusterRole "system:controller:namespace-controller" to ServiceAccount "namespace-controller/kube-system"',
      'ClusterRoleBinding "system:kube-controller-manager" of ClusterRole "system:kube-controller-manager" to User "system:kube-controller-manager"',
      'RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
    ]);
  });

  it('loads cleanly: no problems, the Secret counted as ignored', () => {
    const loaded = loadPaths([path.join(__dirname, 'fixtures', 'walkthrough')]);
    expect(loaded.ignored).toEqual({ Secret: 1 });
    expect(policy.problems).toEqual([]);
    expect(policy.namespaces()).toEqual(['dev']);
  });
});
