import { Chart, Testing } from 'cdk8s';
import { IdentityPod, ReaderIdentity, RestrictedNamespace, SERVICE_ACCOUNT_DIR } from '../lib';
import { findObject, synthChart } from './support/manifests';
import { restrictedProfileViolations } from './support/pod-security';

function logExporterChart(): Chart {
  const chart = new Chart(Testing.app(), 'c');
  const namespace = new RestrictedNamespace(chart, 'ns', { name: 'log-exporter' });
  const exporter = new ReaderIdentity(chart, 'exporter', { namespace, serviceAccountName: 'log-exporter-sa', clusterWide: true });
  exporter.grant({ verbs: ['get', 'list'], resources: ['pods', 'pods/log', 'namespaces'] });
  new IdentityPod(chart, 'pod', {
    name: 'log-exporter',
    identity: exporter,
    image: 'registry.example/log-exporter:1.0@sha256:0000000000000000000000000000000000000000000000000000000000000000',
    args: ['--all-namespaces'],
    env: { LOG_LEVEL: 'info' },
  });
  return chart;
}

describe('IdentityPod: a hardened pod that runs as one identity (e.g. the log exporter)', () => {
  test('passes every field of the "restricted" Pod Security profile', () => {
    const pod = findObject(synthChart(logExporterChart()), 'Pod', 'log-exporter');
    expect(restrictedProfileViolations(pod.spec)).toEqual([]);
  });

  test('runs as the identity with its own projected, bound token and no automounted one', () => {
    const pod = findObject(synthChart(logExporterChart()), 'Pod', 'log-exporter');
    expect(pod.metadata.namespace).toBe('log-exporter');
    expect(pod.spec.serviceAccountName).toBe('log-exporter-sa');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.volumes[0].projected.sources[0].serviceAccountToken).toEqual({ path: 'token', expirationSeconds: 3600 });
    expect(pod.spec.containers[0].volumeMounts).toEqual([{ name: 'api-access', mountPath: SERVICE_ACCOUNT_DIR, readOnly: true }]);
    expect(pod.spec.containers[0]).toMatchObject({ name: 'main', args: ['--all-namespaces'], env: [{ name: 'LOG_LEVEL', value: 'info' }] });
  });

  test('rejects an empty image and a token lifetime below the API server minimum, naming the construct', () => {
    const chart = new Chart(Testing.app(), 'c');
    const namespace = new RestrictedNamespace(chart, 'ns', { name: 'team' });
    const identity = new ReaderIdentity(chart, 'id', { namespace, serviceAccountName: 'worker-sa' });
    new IdentityPod(chart, 'pod', { name: 'worker', identity, image: ' ', tokenExpirationSeconds: 60 });
    expect(() => synthChart(chart)).toThrow(/\[c\/pod\] The image is empty/);
    expect(() => synthChart(chart)).toThrow(/\[c\/pod\] tokenExpirationSeconds 60 is outside 600\.\.86400/);
  });
});
