import { Chart, Testing } from 'cdk8s';
import {
  ApiReaderWalkthrough, IdentityPod, ImagePullPolicy, ReaderIdentity, ReaderPod, ReaderScript, RestrictedNamespace,
} from '../lib';
import { RbacPolicy, authorize, serviceAccountUser } from '../lib/rbac';
import { Manifest, findObject, objectsOfKind, synthChart } from './support/manifests';

function chartWithNamespace(name = 'team-a'): { chart: Chart; namespace: RestrictedNamespace } {
  const chart = new Chart(Testing.app(), 'c');
  return { chart, namespace: new RestrictedNamespace(chart, 'ns', { name }) };
}

const kinds = (objects: Manifest[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

function allowed(objects: Manifest[], sa: [string, string], verb: string, resource: string, namespace: string): boolean {
  return authorize(RbacPolicy.fromObjects(objects), serviceAccountUser(sa[0], sa[1]), { verb, resource, namespace }).allowed;
}

describe('ReaderIdentity without a role of its own', () => {
  test('an identity without grants is a plain ServiceAccount: no empty ClusterRole, no binding to it', () => {
    const { chart, namespace } = chartWithNamespace();
    new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'plain-sa' });
    expect(kinds(synthChart(chart))).toEqual(['Namespace/team-a', 'ServiceAccount/plain-sa']);
  });

  test('bindClusterRole binds the built-in view in the identity namespace only, with no role of its own', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'viewer-sa' });
    const binding = identity.bindClusterRole('view');
    expect(identity.bindClusterRole('view')).toBe(binding);
    expect(binding.describe()).toBe('RoleBinding "viewer-view-rb/team-a"');
    const objects = synthChart(chart);
    expect(kinds(objects)).toEqual(['Namespace/team-a', 'ServiceAccount/viewer-sa', 'RoleBinding/viewer-view-rb']);
    expect(findObject(objects, 'RoleBinding', 'viewer-view-rb')).toMatchObject({
      metadata: { namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'viewer-sa', namespace: 'team-a' }],
    });
    // The evaluator loads the bootstrap `view` role, as a cluster has it.
    expect(allowed(objects, ['team-a', 'viewer-sa'], 'list', 'pods', 'team-a')).toBe(true);
    expect(allowed(objects, ['team-a', 'viewer-sa'], 'list', 'pods', 'team-b')).toBe(false);
    expect(allowed(objects, ['team-a', 'viewer-sa'], 'get', 'secrets', 'team-a')).toBe(false);
  });

  test('bindClusterRole takes another namespace and a binding name, beside the identity own grants', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'deployer-sa' });
    identity.grant({ verbs: ['get'], resources: ['configmaps'] });
    identity.bindClusterRole('edit', { namespace: 'team-b', bindingName: 'deployer-edits-team-b' });
    const objects = synthChart(chart);
    expect(kinds(objects)).toEqual([
      'Namespace/team-a', 'ServiceAccount/deployer-sa', 'ClusterRole/team-a.deployer-cr', 'RoleBinding/deployer-rb', 'RoleBinding/deployer-edits-team-b',
    ]);
    expect(findObject(objects, 'RoleBinding', 'deployer-edits-team-b')).toMatchObject({ metadata: { namespace: 'team-b' }, roleRef: { kind: 'ClusterRole', name: 'edit' } });
  });

  test('a grant only in another namespace creates no empty role at home', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'auditor-sa' });
    identity.grantRead({ name: 'shared-db', namespace: 'shared' }, { crossNamespace: true });
    expect(kinds(synthChart(chart))).toEqual(['Namespace/team-a', 'ServiceAccount/auditor-sa', 'Role/auditor-role', 'RoleBinding/auditor-rb']);
    expect(objectsOfKind(synthChart(chart), 'Role')[0].metadata.namespace).toBe('shared');
  });

  test('a role read but never granted to fails synth unless keepEmptyRole says so', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'idle-sa' });
    expect(identity.role.name).toBe('team-a.idle-cr');
    expect(() => synthChart(chart)).toThrow(/\[c\/id\/Role\] The ClusterRole "team-a\.idle-cr" of system:serviceaccount:team-a:idle-sa holds no rule, so it and its binding grant nothing\. Grant something, or set keepEmptyRole: true/);

    const kept = chartWithNamespace();
    new ReaderIdentity(kept.chart, 'id', { namespace: kept.namespace, serviceAccountName: 'idle-sa', keepEmptyRole: true });
    expect(kinds(synthChart(kept.chart))).toEqual(['Namespace/team-a', 'ServiceAccount/idle-sa', 'ClusterRole/team-a.idle-cr', 'RoleBinding/idle-rb']);
  });

  test('the walkthrough keeps its no-access-cr and no-access-rb (SPEC), granting nothing', () => {
    const objects = synthChart(new ApiReaderWalkthrough(Testing.app(), 'w'));
    expect(findObject(objects, 'ClusterRole', 'no-access-cr').rules).toBeUndefined();
    expect(findObject(objects, 'RoleBinding', 'no-access-rb').roleRef.name).toBe('no-access-cr');
  });
});

describe('pod options', () => {
  test('imagePullPolicy defaults to Always and is an option of ReaderPod and IdentityPod', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'reader-sa' });
    const script = new ReaderScript(chart, 'script', { namespace });
    const secret = { name: 's', namespace: 'team-a' };
    new ReaderPod(chart, 'default', { name: 'default-pull', identity, script, secret });
    new ReaderPod(chart, 'cached', { name: 'cached-pull', identity, script, secret, imagePullPolicy: 'IfNotPresent' });
    new IdentityPod(chart, 'exporter', { name: 'exporter', identity, image: 'example/exporter@sha256:' + 'a'.repeat(64), imagePullPolicy: 'Never' });
    const objects = synthChart(chart);
    const policy = (name: string) => findObject(objects, 'Pod', name).spec.containers[0].imagePullPolicy;
    expect([policy('default-pull'), policy('cached-pull'), policy('exporter')]).toEqual(['Always', 'IfNotPresent', 'Never']);
    const walkthroughPods = objectsOfKind(synthChart(new ApiReaderWalkthrough(Testing.app(), 'w')), 'Pod');
    expect(walkthroughPods.map((p) => p.spec.containers[0].imagePullPolicy)).toEqual(['Always', 'Always']);
  });

  test('an imagePullPolicy Kubernetes does not know fails synth with the construct path', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'reader-sa' });
    new IdentityPod(chart, 'pod', { name: 'p', identity, image: 'x', imagePullPolicy: 'always' as ImagePullPolicy });
    expect(() => synthChart(chart)).toThrow(/\[c\/pod\] imagePullPolicy "always" is not one Kubernetes knows\. Use Always, IfNotPresent, Never\./);
  });

  test('a ReaderPod runs an existing script ConfigMap named by ReaderScript.fromConfigMapName', () => {
    const { chart, namespace } = chartWithNamespace();
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'reader-sa' });
    const script = ReaderScript.fromConfigMapName('shared-reader-script', 'team-a');
    new ReaderPod(chart, 'pod', { name: 'reader', identity, script, secret: { name: 's', namespace: 'team-a' } });
    const objects = synthChart(chart);
    expect(objectsOfKind(objects, 'ConfigMap')).toEqual([]);
    expect(findObject(objects, 'Pod', 'reader').spec.volumes[1]).toEqual({ name: 'reader-script', configMap: { name: 'shared-reader-script', defaultMode: 0o444 } });

    const other = chartWithNamespace();
    const reader = new ReaderIdentity(other.chart, 'id', { namespace: other.namespace, serviceAccountName: 'reader-sa' });
    new ReaderPod(other.chart, 'pod', { name: 'reader', identity: reader, script: ReaderScript.fromConfigMapName('s', 'elsewhere'), secret: { name: 's', namespace: 'team-a' } });
    expect(() => synthChart(other.chart)).toThrow(/\[c\/pod\] The reader script ConfigMap lives in "elsewhere" but the pod runs in "team-a"/);
  });
});
