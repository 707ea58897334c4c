import { Chart, Testing } from 'cdk8s';
import { ApiReaderWalkthrough, ReaderIdentity, ReaderPod, ReaderScript, RestrictedNamespace } from '../lib';
import { findObject, objectsOfKind, synthChart } from './support/manifests';
import { restrictedProfileViolations } from './support/pod-security';

describe('reader pods pass the "restricted" Pod Security profile', () => {
  test('every container of the walkthrough passes every restricted field', () => {
    const pods = objectsOfKind(synthChart(new ApiReaderWalkthrough(Testing.app(), 'w')), 'Pod');
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(restrictedProfileViolations(pod.spec)).toEqual([]);
    }
  });

  test('the checker itself catches a root, privileged container', () => {
    expect(restrictedProfileViolations({ containers: [{ name: 'bad', securityContext: { privileged: true } }] })).toEqual(
      expect.arrayContaining(['container bad: runAsNonRoot is not true', 'container bad: privileged', 'container bad: root filesystem is writable']),
    );
  });

  test('ids default to 65532, and small, equal requests and limits are set for cpu, memory and ephemeral storage', () => {
    const pod = findObject(synthChart(new ApiReaderWalkthrough(Testing.app(), 'w')), 'Pod', 'secret-access-pod');
    const [container] = pod.spec.containers;
    expect(pod.spec.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, runAsNonRoot: true });
    expect(container.resources).toEqual({
      requests: { cpu: '50m', memory: '32Mi', 'ephemeral-storage': '16Mi' },
      limits: { cpu: '50m', memory: '32Mi', 'ephemeral-storage': '16Mi' },
    });
  });

  test('a token audience is emitted only when set', () => {
    const chart = new Chart(Testing.app(), 'c');
    const ns = new RestrictedNamespace(chart, 'ns', { name: 'team-a' });
    const identity = new ReaderIdentity(chart, 'id', { namespace: ns, serviceAccountName: 'dashboard-sa' });
    const script = new ReaderScript(chart, 'script', { namespace: ns });
    new ReaderPod(chart, 'pod', { name: 'dashboard', identity, script, secret: { name: 's', namespace: 'team-a' }, tokenAudience: 'vault', tokenExpirationSeconds: 600 });
    const pod = findObject(synthChart(chart), 'Pod', 'dashboard');
    const token = pod.spec.volumes[0].projected.sources[0].serviceAccountToken;
    expect(token).toEqual({ path: 'token', expirationSeconds: 600, audience: 'vault' });
  });

  test('a Secret in another namespace is passed to the script as its namespace argument', () => {
    const chart = new Chart(Testing.app(), 'c');
    const ns = new RestrictedNamespace(chart, 'ns', { name: 'team-a' });
    const identity = new ReaderIdentity(chart, 'id', { namespace: ns, serviceAccountName: 'reader-sa' });
    const script = new ReaderScript(chart, 'script', { namespace: ns });
    new ReaderPod(chart, 'pod', { name: 'reader', identity, script, secret: { name: 's', namespace: 'shared' } });
    expect(findObject(synthChart(chart), 'Pod', 'reader').spec.containers[0].args).toEqual(['--keep-alive', 'shared']);
  });
});
