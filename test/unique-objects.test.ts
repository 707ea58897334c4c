import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { KubeClusterRole, KubeConfigMap } from '../imports/k8s';
import { CredentialsSecret, ReaderIdentity, RestrictedNamespace, synthToDirectory, validateUniqueObjectNames } from '../lib';
import { authorize, RbacPolicy, serviceAccountUser } from '../lib/rbac';
import { findObject, objectsOfKind, synthApp } from './support/manifests';
import { previousOutput, readTree } from './support/outdir';

/** One team's chart: a namespace and a `db-reader-sa` that may read its namespace's `db` Secret (cluster-wide: list pods). */
function team(app: App, name: string, identity: { clusterRoleName?: string; clusterWide?: boolean } = {}): ReaderIdentity {
  const chart = new Chart(app, name);
  const namespace = new RestrictedNamespace(chart, 'ns', { name });
  const reader = new ReaderIdentity(chart, 'reader', { namespace, serviceAccountName: 'db-reader-sa', ...identity });
  if (identity.clusterWide) reader.grant({ verbs: ['list'], apiGroups: [''], resources: ['pods'] }).assertSuccess();
  else reader.grantRead(CredentialsSecret.fromExistingSecretName('db', name)).assertSuccess();
  return reader;
}

/** Runs `synthToDirectory` over a previous output; returns the error, and checks the output was kept. */
function refusedSynth(build: (app: App) => void): string {
  const out = previousOutput();
  const before = out.contents();
  let message = '(synth succeeded)';
  try {
    synthToDirectory(build, { outdir: out.dir });
  } catch (err) {
    message = (err as Error).message;
  }
  expect(out.contents()).toEqual(before);
  return message;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('default names of cluster-scoped objects carry the namespace', () => {
  test('one ServiceAccount name in two namespaces gets two ClusterRoles, each granting its own team', () => {
    const app = Testing.app();
    team(app, 'team-a');
    team(app, 'team-b');
    const objects = synthApp(app);
    expect(objectsOfKind(objects, 'ClusterRole').map((r) => r.metadata.name)).toEqual(['team-a.db-reader-cr', 'team-b.db-reader-cr']);
    expect(objectsOfKind(objects, 'RoleBinding').map((b) => [b.metadata.namespace, b.metadata.name, b.roleRef.name])).toEqual([
      ['team-a', 'db-reader-rb', 'team-a.db-reader-cr'], ['team-b', 'db-reader-rb', 'team-b.db-reader-cr'],
    ]);
    const policy = RbacPolicy.fromObjects(objects);
    for (const [self, other] of [['team-a', 'team-b'], ['team-b', 'team-a']]) {
      const user = serviceAccountUser(self, 'db-reader-sa');
      expect(authorize(policy, user, { verb: 'get', resource: 'secrets', name: 'db', namespace: self }).allowed).toBe(true);
      expect(authorize(policy, user, { verb: 'get', resource: 'secrets', name: 'db', namespace: other }).allowed).toBe(false);
    }
  });

  test('cluster-wide identities get two ClusterRoleBindings too', () => {
    const app = Testing.app();
    team(app, 'team-a', { clusterWide: true });
    team(app, 'team-b', { clusterWide: true });
    expect(objectsOfKind(synthApp(app), 'ClusterRoleBinding').map((b) => b.metadata.name)).toEqual(['team-a.db-reader-crb', 'team-b.db-reader-crb']);
  });

  test('a ServiceAccount named after its namespace keeps the short names (the examples\' log-exporter-cr)', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const namespace = new RestrictedNamespace(chart, 'ns', { name: 'log-exporter' });
    new ReaderIdentity(chart, 'exporter', { namespace, serviceAccountName: 'log-exporter-sa', clusterWide: true })
      .grant({ verbs: ['list'], apiGroups: [''], resources: ['pods'] });
    const objects = synthApp(app);
    expect(findObject(objects, 'ClusterRole', 'log-exporter-cr')).toBeDefined();
    expect(findObject(objects, 'ClusterRoleBinding', 'log-exporter-crb')).toBeDefined();
  });
});

describe('two objects that land on one API object fail synth, naming both construct paths', () => {
  test('two ClusterRoles of one name from two charts (synthToDirectory keeps the previous output)', () => {
    const message = refusedSynth((app) => {
      team(app, 'team-a', { clusterRoleName: 'db-reader-cr' });
      team(app, 'team-b', { clusterRoleName: 'db-reader-cr' });
    });
    expect(message).toMatch(new RegExp(escape('[team-b/reader/Role/Resource] ClusterRole "db-reader-cr" is defined twice (team-a/reader/Role/Resource and team-b/reader/Role/Resource): ')
      + '.*Give one of them another name'));
  });

  test('plain cdk8s objects, no construct of this library: synthToDirectory refuses them too', () => {
    const message = refusedSynth((app) => {
      new KubeConfigMap(new Chart(app, 'one'), 'settings', { metadata: { name: 'settings', namespace: 'dev' } });
      new KubeConfigMap(new Chart(app, 'two'), 'settings', { metadata: { name: 'settings', namespace: 'dev' } });
    });
    expect(message).toContain('[two/settings] ConfigMap "settings" in namespace "dev" is defined twice (one/settings and two/settings)');
  });

  test('app.synth() refuses them in an app holding a construct of this library', () => {
    const app = Testing.app();
    team(app, 'team-a');
    new KubeClusterRole(new Chart(app, 'extra'), 'role', { metadata: { name: 'team-a.db-reader-cr' } });
    expect(() => app.synth()).toThrow(/\[extra\/role\] ClusterRole "team-a\.db-reader-cr" is defined twice \(team-a\/reader\/Role\/Resource and extra\/role\)/);
  });

  test('validateUniqueObjectNames gives a plain app the check, with real construct paths', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'plain');
    new KubeClusterRole(chart, 'first', { metadata: { name: 'reader' } });
    new KubeClusterRole(chart, 'second', { metadata: { name: 'reader' } });
    validateUniqueObjectNames(app);
    expect(() => app.synth()).toThrow(/^ {2}\[plain\/second\] ClusterRole "reader" is defined twice \(plain\/first and plain\/second\)/m);
  });

  test.each([
    ['the same name in two namespaces', { name: 'a', namespace: 'dev' }, { name: 'a', namespace: 'prod' }],
    ['two names in one namespace', { name: 'a', namespace: 'dev' }, { name: 'b', namespace: 'dev' }],
  ])('%s is fine', (_case, first, second) => {
    const outdir = path.join(previousOutput().dir, '..', 'fine');
    synthToDirectory((app) => {
      const chart = new Chart(app, 'c');
      new KubeConfigMap(chart, 'first', { metadata: first });
      new KubeConfigMap(chart, 'second', { metadata: second });
    }, { outdir });
    expect(Object.keys(readTree(outdir))).toEqual(['c.k8s.yaml']);
  });
});
