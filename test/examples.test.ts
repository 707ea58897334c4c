import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { EXAMPLES } from '../examples';
import { build as buildDashboard } from '../examples/dashboard-token/app';
import { synthToDirectory } from '../lib';
import { AccessRequest, RbacPolicy, authorize, serviceAccountUser } from '../lib/rbac';
import { Manifest, findObject, objectsOfKind, synthApp } from './support/manifests';
import { readTree } from './support/outdir';
import { restrictedProfileViolations } from './support/pod-security';

function synthExample(name: string): Manifest[] {
  const app = Testing.app();
  EXAMPLES[name](app);
  return synthApp(app);
}

/** Asks the offline evaluator (bootstrap policy loaded, as on a real cluster). */
function can(objects: Manifest[], sa: [string, string], request: AccessRequest): boolean {
  return authorize(RbacPolicy.fromObjects(objects), serviceAccountUser(sa[0], sa[1]), request).allowed;
}

describe('example apps', () => {
  test.each(Object.keys(EXAMPLES))('%s: committed output equals a fresh synth', (name) => {
    const outdir = path.join(Testing.app().outdir, name);
    synthToDirectory((app) => EXAMPLES[name](app), { outdir });
    expect(readTree(outdir)).toEqual(readTree(path.join(__dirname, '..', 'examples', name, 'dist')));
  });

  test.each(Object.keys(EXAMPLES))('%s: every pod passes the restricted profile and cluster-scoped objects have no namespace', (name) => {
    const objects = synthExample(name);
    for (const pod of objectsOfKind(objects, 'Pod')) expect(restrictedProfileViolations(pod.spec)).toEqual([]);
    for (const o of objects.filter((x) => ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(x.kind))) {
      expect(o.metadata.namespace).toBeUndefined();
    }
  });

  test('default-service-account: the default SA is denied the Secret yet may use API discovery', () => {
    const objects = synthExample('default-service-account');
    const sa: [string, string] = ['sa-demo', 'default'];
    expect(findObject(objects, 'Pod', 'default-sa-pod').spec.serviceAccountName).toBe('default');
    expect(can(objects, sa, { verb: 'get', resource: 'secrets', name: 'api-access-secret', namespace: 'sa-demo' })).toBe(false);
    expect(can(objects, sa, { verb: 'list', resource: 'pods', namespace: 'sa-demo' })).toBe(false);
    expect(can(objects, sa, { verb: 'get', path: '/api' })).toBe(true);
    expect(can(objects, sa, { verb: 'get', path: '/apis' })).toBe(true);
  });

  test('pod-lister: demo-sa lists pods in default through a namespaced Role, and nowhere else', () => {
    const objects = synthExample('pod-lister');
    const role = findObject(objects, 'Role', 'demo-role');
    expect(role.metadata.namespace).toBe('default');
    expect(findObject(objects, 'RoleBinding', 'demo-rb').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'demo-role' });
    const sa: [string, string] = ['default', 'demo-sa'];
    expect(can(objects, sa, { verb: 'list', resource: 'pods', namespace: 'default' })).toBe(true);
    expect(can(objects, sa, { verb: 'list', resource: 'pods', namespace: 'kube-system' })).toBe(false);
    expect(can(objects, sa, { verb: 'delete', resource: 'pods', name: 'x', namespace: 'default' })).toBe(false);
  });

  test('view-binding: the default SA may read pods in view-demo but not Secrets, and nothing elsewhere', () => {
    const objects = synthExample('view-binding');
    const sa: [string, string] = ['view-demo', 'default'];
    expect(can(objects, sa, { verb: 'list', resource: 'pods', namespace: 'view-demo' })).toBe(true);
    expect(can(objects, sa, { verb: 'get', resource: 'secrets', name: 'x', namespace: 'view-demo' })).toBe(false);
    expect(can(objects, sa, { verb: 'list', resource: 'pods', namespace: 'default' })).toBe(false);
    expect(can(objects, sa, { verb: 'delete', resource: 'pods', name: 'x', namespace: 'view-demo' })).toBe(false);
  });

  test('log-exporter: reads pods, logs and namespaces in every namespace through a ClusterRoleBinding', () => {
    const objects = synthExample('log-exporter');
    const binding = findObject(objects, 'ClusterRoleBinding', 'log-exporter-crb');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'log-exporter-sa', namespace: 'log-exporter' }]);
    const sa: [string, string] = ['log-exporter', 'log-exporter-sa'];
    for (const namespace of ['default', 'kube-system', 'log-exporter']) {
      expect(can(objects, sa, { verb: 'get', resource: 'pods', subresource: 'log', name: 'p', namespace })).toBe(true);
      expect(can(objects, sa, { verb: 'list', resource: 'pods', namespace })).toBe(true);
      expect(can(objects, sa, { verb: 'get', resource: 'secrets', name: 's', namespace })).toBe(false);
    }
    expect(can(objects, sa, { verb: 'list', resource: 'namespaces' })).toBe(true);
  });

  test('dashboard-token: automount off, a projected token with audience and 10-minute expiry, no legacy Secret by default', () => {
    const objects = synthExample('dashboard-token');
    expect(findObject(objects, 'ServiceAccount', 'dashboard-sa').automountServiceAccountToken).toBe(false);
    const pod = findObject(objects, 'Pod', 'dashboard');
    expect(pod.spec.volumes[0].projected.sources[0].serviceAccountToken).toEqual({
      path: 'token',
      expirationSeconds: 600,
      audience: 'https://kubernetes.default.svc.cluster.local',
    });
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
  });

  test('dashboard-token: the legacy token Secret only as an explicit opt-in, with a warning', () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const app = Testing.app();
      buildDashboard(app, { legacyToken: true });
      const secret = findObject(synthApp(app), 'Secret', 'dashboard-sa-token');
      expect(secret.type).toBe('kubernetes.io/service-account-token');
      expect(secret.metadata).toMatchObject({ namespace: 'dashboard', annotations: { 'kubernetes.io/service-account.name': 'dashboard-sa' } });
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/WARNING \[dashboard-token\/LegacyToken\]: .*long-lived token .*never expires/);
    } finally {
      stderr.mockRestore();
    }
  });

  test('the builders are reusable in any app', () => {
    const app = new App({ outdir: Testing.app().outdir });
    for (const build of Object.values(EXAMPLES)) build(app);
    expect(app.charts.map((c) => c.node.id).sort()).toEqual([...Object.keys(EXAMPLES).filter((n) => n !== 'tenants'), 'team-a', 'team-b', 'team-c'].sort());
  });
});
