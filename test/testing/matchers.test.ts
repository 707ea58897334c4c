import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPaths, RbacPolicy } from '../../lib/rbac';
import { apiReaderMatchers, checkAccess } from '../../lib/testing';
import { assertBuilt, ROOT } from '../cli/cli';

expect.extend(apiReaderMatchers);

const DIST = path.join(__dirname, '../../dist');
const SECRET_SA = 'system:serviceaccount:dev:secret-access-sa';
const NO_ACCESS_SA = 'system:serviceaccount:dev:no-access-sa';

describe('toAllow / toDeny', () => {
  it('read a directory path', () => {
    expect(DIST).toAllow(SECRET_SA, 'get', 'secrets/api-access-secret', 'dev');
    expect(DIST).toDeny(NO_ACCESS_SA, 'get', 'secrets/api-access-secret', 'dev');
    expect(DIST).toDeny(SECRET_SA, 'get', 'secrets/api-access-secret', 'default');
  });

  it('read an array of manifest objects', () => {
    const objects = loadPaths([DIST]).objects.map((o) => o.object);
    expect(objects).toAllow(SECRET_SA, 'get', 'secrets/api-access-secret', 'dev');
    expect(objects).toDeny(SECRET_SA, 'list', 'secrets', 'dev');
  });

  it('read an RbacPolicy, with or without the bootstrap policy', () => {
    const withBootstrap = RbacPolicy.fromLoadResult(loadPaths([DIST]));
    const without = RbacPolicy.fromLoadResult(loadPaths([DIST]), { bootstrap: false });
    expect(withBootstrap).toAllow(NO_ACCESS_SA, 'get', '/api');
    expect(without).toDeny(NO_ACCESS_SA, 'get', '/api');
  });

  it('take RESOURCE.GROUP and work with .not', () => {
    const objects = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'deployer' }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'deployer', namespace: 'team' }, roleRef: { kind: 'ClusterRole', name: 'deployer' }, subjects: [{ kind: 'User', name: 'alice' }] },
    ];
    expect(objects).toAllow('alice', 'create', 'deployments.apps', 'team');
    expect(objects).not.toAllow('alice', 'create', 'deployments.apps', { clusterWide: true });
    expect(objects).not.toDeny('alice', 'create', 'deployments', 'team');
  });

  it('fail with the upstream reason when a grant is unexpected', () => {
    expect(() => expect(DIST).toDeny(SECRET_SA, 'get', 'secrets/api-access-secret', 'dev')).toThrow(
      'expected RBAC to deny "system:serviceaccount:dev:secret-access-sa" "get" resource "secrets" named "api-access-secret" in namespace "dev", '
      + 'but RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
    );
  });

  it('fail with the denial when access is missing', () => {
    const result = checkAccess(DIST, true, NO_ACCESS_SA, 'get', 'secrets/api-access-secret', 'dev');
    expect(result.pass).toBe(false);
    expect(result.message()).toBe(
      'expected RBAC to allow "system:serviceaccount:dev:no-access-sa" "get" resource "secrets" named "api-access-secret" in namespace "dev", '
      + 'but it was denied: RBAC: no rules authorize user "system:serviceaccount:dev:no-access-sa" with groups '
      + '["system:serviceaccounts" "system:serviceaccounts:dev" "system:authenticated"] to "get" resource "secrets" named "api-access-secret" in namespace "dev"',
    );
  });

  describe('the scope is explicit (issue 22: toDeny once asked cluster-wide, can-i in "default")', () => {
    const ciDeployer = 'system:serviceaccount:team-a:ci-deployer';
    const objects = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'ci-deployer', namespace: 'team-a' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'deployer' }, rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['create'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'deployer', namespace: 'team-a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'deployer' }, subjects: [{ kind: 'ServiceAccount', name: 'ci-deployer', namespace: 'team-a' }] },
    ];

    it('a namespaced resource without a namespace or clusterWide throws, saying how to give one', () => {
      expect(() => expect(objects).toDeny(ciDeployer, 'create', 'deployments')).toThrow(
        /"create" "deployments" is a namespaced resource, so say where the request is made: a namespace \(e\.g\. toDeny\(user, "create", "deployments", 'dev'\)\) or \{ clusterWide: true \}/,
      );
      expect(() => expect(objects).toAllow(ciDeployer, 'create', 'deployments', '')).toThrow(/is a namespaced resource, so say where/);
      expect(() => expect(objects).toAllow(ciDeployer, 'create', 'deployments', { subresource: 'scale' })).toThrow(/is a namespaced resource, so say where/);
    });

    it('clusterWide asks across all namespaces; a namespace asks there; both at once throws', () => {
      expect(objects).toDeny(ciDeployer, 'create', 'deployments', { clusterWide: true });
      expect(objects).toAllow(ciDeployer, 'create', 'deployments', 'team-a');
      expect(objects).toAllow(ciDeployer, 'create', 'deployments', { namespace: 'team-a' });
      expect(() => expect(objects).toDeny(ciDeployer, 'create', 'deployments', { namespace: 'team-a', clusterWide: true })).toThrow(/gives both namespace "team-a" and clusterWide: true/);
    });

    it('a cluster-scoped resource or a URL needs no scope', () => {
      expect(objects).toDeny(ciDeployer, 'list', 'nodes');
      expect(objects).toAllow(ciDeployer, 'get', '/api');
    });

    it('a user name that nothing names throws, with the ServiceAccount it looks like', () => {
      expect(() => expect(objects).toDeny('team-a:ci-deployer', 'create', 'deployments', 'team-a')).toThrow(
        /no binding and no ServiceAccount in the manifests names the user "team-a:ci-deployer", so the expectation tests nothing; did you mean system:serviceaccount:team-a:ci-deployer\?/,
      );
      expect(() => expect(objects).toDeny('system:serviceaccount:team-b:ci-deployer', 'create', 'deployments', 'team-b')).toThrow(/names the user "system:serviceaccount:team-b:ci-deployer", so the expectation tests nothing\. To ask about a user nobody names, pass a UserInfo/);
      expect(() => expect(objects).toDeny('mallory', 'create', 'deployments', 'team-a')).toThrow(/names the user "mallory"/);
    });

    it('a UserInfo is taken as given, for a user nobody names', () => {
      expect(objects).toDeny({ name: 'mallory', groups: ['system:authenticated'] }, 'create', 'deployments', 'team-a');
    });
  });

  it('reject what is not manifests', () => {
    expect(() => expect(42).toAllow('alice', 'get', 'pods')).toThrow(/manifests must be a path/);
  });

  it('throws, never answers, for objects the API server would reject', () => {
    const invalid = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: '*' }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'crb' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' }, subjects: [{ kind: 'User', name: 'alice' }] },
    ];
    const rejected = /ClusterRole "cr" would be rejected by the API server: rules\[0\]\.verbs must be a list of strings/;
    expect(() => expect(invalid).toAllow('alice', 'get', 'secrets', 'dev')).toThrow(rejected);
    expect(() => expect(invalid).toDeny('alice', 'get', 'secrets', 'dev')).toThrow(rejected);
  });

  it('check a subresource given in the scope, as kubectl --subresource does (seed 003: pods/log)', () => {
    const logExporter = path.join(__dirname, '../../examples/log-exporter/dist');
    const exporter = 'system:serviceaccount:log-exporter:log-exporter-sa';
    expect(logExporter).toAllow(exporter, 'get', 'pods', { namespace: 'dev', subresource: 'log' });
    expect(logExporter).toDeny(exporter, 'get', 'pods', { namespace: 'dev', subresource: 'exec' });
    // A role with only `pods` does not grant pods/log: the subresource is really checked.
    const podsOnly = [
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'pods' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'pods' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'pods' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] },
    ];
    expect(podsOnly).toAllow('alice', 'get', 'pods/log', 'dev'); // the pod named "log", as kubectl reads it
    expect(podsOnly).toDeny('alice', 'get', 'pods', { namespace: 'dev', subresource: 'log' });
  });

  it('resolve singular and short names as kubectl does', () => {
    expect(DIST).toAllow(SECRET_SA, 'get', 'secret/api-access-secret', 'dev');
    expect(DIST).toDeny(NO_ACCESS_SA, 'get', 'secret/api-access-secret', 'dev');
    expect(DIST).toDeny(SECRET_SA, 'list', 'po', 'dev');
  });

  it.each([
    ['an unknown verb', 'lsit', 'secrets', /"lsit" is not a verb the API server authorizes/],
    ['an unknown resource', 'get', 'secretz', /"secretz" is not a resource kubectl knows/],
  ])('throw on %s instead of letting toDeny pass', (_what, verb, resource, message) => {
    expect(() => expect(DIST).toDeny(SECRET_SA, verb, resource, 'dev')).toThrow(message);
    expect(() => expect(DIST).not.toAllow(SECRET_SA, verb, resource, 'dev')).toThrow(message);
  });

  it('resolve custom resources declared by a CustomResourceDefinition in the manifests', () => {
    const objects = [
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' }, spec: { group: 'example.com', names: { plural: 'widgets', singular: 'widget', shortNames: ['wd'], kind: 'Widget' }, scope: 'Namespaced' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'w' }, rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'w', namespace: 'team' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'w' }, subjects: [{ kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' }] },
    ];
    expect(objects).toAllow('alice', 'get', 'wd', 'team');
    expect(objects).toAllow('alice', 'get', 'widget', 'team');
    expect(objects).toDeny('alice', 'get', 'widgets', 'other');
  });

  it.each<[string, () => unknown]>([
    ['an empty directory', () => fs.mkdtempSync(path.join(os.tmpdir(), 'matchers-empty-'))],
    ['a directory without RBAC objects', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'matchers-cm-'));
      fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
      return dir;
    }],
    ['an empty array', () => []],
  ])('fail on %s instead of letting toDeny pass', (_what, input) => {
    expect(() => expect(input()).toDeny(SECRET_SA, 'get', 'secrets', 'dev')).toThrow(/holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding/);
  });

  it('are plain functions: the built entry point loads no Jest module', () => {
    assertBuilt();
    const script = "require('./build/lib/testing'); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules[\\\\/](jest|expect|@jest)/.test(k))))";
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
