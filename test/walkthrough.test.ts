import { Testing } from 'cdk8s';
import { ApiReaderWalkthrough, DEFAULT_READER_IMAGE } from '../lib';
import { Manifest, findObject, objectsOfKind, synthChart } from './support/manifests';

function walkthrough(): { chart: ApiReaderWalkthrough; objects: Manifest[] } {
  const chart = new ApiReaderWalkthrough(Testing.app(), 'api-reader');
  return { chart, objects: synthChart(chart) };
}

describe('the walkthrough chart (the SPEC contract)', () => {
  const { chart, objects } = walkthrough();

  test('emitted YAML is pinned by a snapshot', () => {
    expect(objects).toMatchSnapshot();
  });

  test('the Namespace comes first so one `kubectl apply -f dist/` succeeds', () => {
    expect(objects[0].kind).toBe('Namespace');
    expect(objects[0].metadata.name).toBe('dev');
  });

  test('the namespace enforces, audits and warns Pod Security "restricted" at a pinned version', () => {
    const labels = findObject(objects, 'Namespace', 'dev').metadata.labels!;
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(labels[`pod-security.kubernetes.io/${mode}-version`]).toMatch(/^v1\.\d+$/);
    }
  });

  test('the Secret is only referenced by name: no Secret object and no value in the manifests', () => {
    expect(objectsOfKind(objects, 'Secret')).toEqual([]);
    expect(chart.secret).toEqual({ name: 'api-access-secret', namespace: 'dev' });
  });

  test.each(['secret-access-sa', 'no-access-sa'])('ServiceAccount %s lives in dev with automounted tokens off', (name) => {
    const sa = findObject(objects, 'ServiceAccount', name);
    expect(sa.metadata.namespace).toBe('dev');
    expect(sa.automountServiceAccountToken).toBe(false);
  });

  test('secret-access-cr grants only `get` on the one Secret, by name', () => {
    const role = findObject(objects, 'ClusterRole', 'secret-access-cr');
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret'], verbs: ['get'] }]);
  });

  test('no-access-cr grants nothing at all', () => {
    expect(findObject(objects, 'ClusterRole', 'no-access-cr').rules ?? []).toEqual([]);
  });

  test('cluster-scoped objects carry no namespace', () => {
    const clusterScoped = objects.filter((o) => ['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind));
    expect(clusterScoped.length).toBeGreaterThan(0);
    for (const o of clusterScoped) expect(o.metadata.namespace).toBeUndefined();
  });

  test.each([
    ['secret-access-rb', 'secret-access-cr', 'secret-access-sa'],
    ['no-access-rb', 'no-access-cr', 'no-access-sa'],
  ])('RoleBinding %s binds ClusterRole %s to %s inside dev only', (binding, role, sa) => {
    const rb = findObject(objects, 'RoleBinding', binding);
    expect(rb.apiVersion).toBe('rbac.authorization.k8s.io/v1');
    expect(rb.metadata.namespace).toBe('dev');
    expect(rb.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role });
    expect(rb.subjects).toEqual([{ kind: 'ServiceAccount', name: sa, namespace: 'dev' }]);
  });

  test('there is no ClusterRoleBinding and nothing uses rbac v1beta1', () => {
    expect(objectsOfKind(objects, 'ClusterRoleBinding')).toEqual([]);
    expect(objects.filter((o) => o.apiVersion.includes('beta'))).toEqual([]);
  });

  test('the grant handle says what was granted and where', () => {
    expect(chart.secretGrant.success).toBe(true);
    expect(chart.secretGrant.principal).toBe('system:serviceaccount:dev:secret-access-sa');
    expect(chart.secretGrant.namespace).toBe('dev');
    expect(chart.secretGrant.toString()).toBe(
      'get secrets/api-access-secret in dev via RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr"',
    );
  });

  test('the reader script ConfigMap holds a POSIX sh script', () => {
    const cm = findObject(objects, 'ConfigMap', 'api-reader-script');
    expect(cm.metadata.namespace).toBe('dev');
    expect(cm.data['read-secret.sh']).toMatch(/^#!\/bin\/sh\n/);
    expect(cm.data['read-secret.sh']).not.toMatch(/\s(-k|--insecure)\b/);
  });

  test.each([
    ['secret-access-pod', 'secret-access-sa'],
    ['no-access-pod', 'no-access-sa'],
  ])('pod %s runs the script as %s with a projected, bound, short-lived token', (podName, sa) => {
    const pod = findObject(objects, 'Pod', podName);
    expect(pod.metadata.namespace).toBe('dev');
    expect(pod.spec.serviceAccountName).toBe(sa);
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    const [container] = pod.spec.containers;
    expect(container.image).toBe(DEFAULT_READER_IMAGE);
    expect(container.image).toMatch(/:\d+\.\d+\.\d+@sha256:[0-9a-f]{64}$/);
    expect(container.command).toEqual(['/bin/sh', '/opt/api-reader/read-secret.sh']);
    expect(container.args).toEqual(['--keep-alive']);
    const sources = pod.spec.volumes.find((v: any) => v.name === 'api-access').projected.sources;
    const token = sources.find((s: any) => s.serviceAccountToken).serviceAccountToken;
    expect(token.expirationSeconds).toBeLessThanOrEqual(3600);
    expect(token.audience).toBeUndefined();
    expect(sources).toContainEqual({ configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } });
    expect(sources).toContainEqual({ downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } });
  });

  test('the NetworkPolicy selects the reader pods, denies all ingress and allows only DNS and the API server out', () => {
    const policy = findObject(objects, 'NetworkPolicy', 'api-reader');
    const pods = objectsOfKind(objects, 'Pod');
    for (const pod of pods) {
      for (const [key, value] of Object.entries(policy.spec.podSelector.matchLabels)) {
        expect(pod.metadata.labels![key]).toBe(value);
      }
    }
    expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.spec.ingress ?? []).toEqual([]);
    const ports = policy.spec.egress.map((rule: any) => rule.ports.map((p: any) => `${p.protocol}/${p.port}`));
    expect(ports).toEqual([['UDP/53', 'TCP/53'], ['TCP/443', 'TCP/6443']]);
  });

  test('object names are stable: no hash suffixes', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/dev',
      'ServiceAccount/secret-access-sa',
      'ClusterRole/secret-access-cr',
      'RoleBinding/secret-access-rb',
      'ServiceAccount/no-access-sa',
      'ClusterRole/no-access-cr',
      'RoleBinding/no-access-rb',
      'ConfigMap/api-reader-script',
      'Pod/secret-access-pod',
      'Pod/no-access-pod',
      'NetworkPolicy/api-reader',
    ]);
  });

  test('no empty lists: the API server drops them, so a re-apply would always report "configured"', () => {
    const emptyLists: string[] = [];
    const walk = (value: unknown, where: string): void => {
      if (Array.isArray(value)) {
        if (value.length === 0) emptyLists.push(where);
        value.forEach((item, i) => walk(item, `${where}[${i}]`));
      } else if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
      }
    };
    objects.forEach((o) => walk(o, `${o.kind}/${o.metadata.name}`));
    expect(emptyLists).toEqual([]);
  });

  test('two synths produce identical objects', () => {
    expect(walkthrough().objects).toEqual(objects);
  });
});
