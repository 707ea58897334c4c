/**
 * dist's NetworkPolicy `api-reader`, enforced by a real engine (the local cluster runs
 * kube-router's NetworkPolicy controller; an existing cluster, its own). From secret-access-pod:
 * the API server and cluster DNS answer; TCP to a test server pod in another namespace is
 * blocked; after deleting the NetworkPolicy the same connection succeeds (so the test can fail),
 * and the policy is applied again afterwards.
 * E2E_NETWORK_POLICY=skip skips it on a cluster known to enforce no NetworkPolicy (reported as skipped).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import { deleteNamespaces, freshNamespace } from './support/cluster-steps';
import { kubectl } from './support/kube';
import { distFiles } from './support/manifests';
import { createPod, exec, poll, waitForPhase } from './support/pods';
import { describeRun } from './support/run';
import { clusterState } from './support/state';

const NS = 'dev';
const READER = 'secret-access-pod';
const target = `e2e-netpol-target-${randomBytes(3).toString('hex')}`;
let serverIp: string;

/** TCP from the reader pod to the test server: curl's exit code and the body (0 + body = connected). */
function connect(): { code: number; body: string } {
  const r = exec(NS, READER, ['curl', '-sS', '--max-time', '3', `http://${serverIp}:8080/`]);
  return { code: r.code, body: r.stdout.trim() };
}

const enabled = process.env.E2E_NETWORK_POLICY !== 'skip';
(enabled ? describe : describe.skip)("dist's NetworkPolicy on secret-access-pod (real engine)", () => {
  beforeAll(async () => {
    // The reader pod is the one 06-real-pods started; it must be running.
    await waitForPhase(NS, READER, 'Running', 30_000);
    await freshNamespace(target);
    const image = clusterState().node?.busyboxImage ?? 'busybox:1.36';
    createPod(JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tcp-server', namespace: target, labels: { app: 'tcp-server' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'httpd', image, imagePullPolicy: clusterState().node ? 'Never' : 'IfNotPresent',
          command: ['/bin/sh', '-c', 'mkdir -p /tmp/www && echo reached-tcp-server > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'],
        }],
      },
    }));
    serverIp = await waitForPhase(target, 'tcp-server', 'Running');
  }, 180_000);

  afterAll(() => {
    // Leave dist's policy applied, whatever happened (only that document: the pods under test
    // differ from dist's in imagePullPolicy, which `kubectl apply` cannot change in place).
    const policy = distFiles().flatMap((f) => fs.readFileSync(f, 'utf8').split(/^---$/m)).find((d) => /^kind: NetworkPolicy$/m.test(d) && /^ {2}name: api-reader$/m.test(d));
    if (policy) kubectl(['apply', '-f', '-'], { input: policy });
    deleteNamespaces(target);
  });

  it('the API server answers (HTTP 200 through the kubernetes Service address)', () => {
    const r = exec(NS, READER, ['/bin/sh', '/opt/api-reader/read-secret.sh']);
    expect(r.stdout.split('\n')[1]).toBe('HTTP 200');
  });

  it('cluster DNS answers: kubernetes.default.svc resolves to the kubernetes Service address', () => {
    const svcIp = kubectl(['get', 'service', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}']).stdout;
    const r = exec(NS, READER, ['curl', '-sS', '--max-time', '5', '-o', '/dev/null', '-w', '%{remote_ip}', '-k', 'https://kubernetes.default.svc/healthz']);
    expect({ code: r.code, remoteIp: r.stdout }).toEqual({ code: 0, remoteIp: svcIp });
  });

  it('TCP to a server pod in another namespace is blocked while the policy exists', () => {
    expect(kubectl(['get', 'networkpolicy', 'api-reader', '-n', NS]).code).toBe(0);
    const c = connect();
    expect({ connected: c.code === 0, body: c.body }).toEqual({ connected: false, body: '' });
  });

  it('after deleting the NetworkPolicy the same connection succeeds', async () => {
    const del = kubectl(['delete', 'networkpolicy', 'api-reader', '-n', NS]);
    expect(del.code).toBe(0);
    const c = await poll('the connection to succeed once the policy is gone', () => {
      const x = connect();
      return x.code === 0 ? x : undefined;
    }, 60_000, () => describeRun(exec(NS, READER, ['curl', '-sS', '--max-time', '3', `http://${serverIp}:8080/`])));
    expect(c.body).toBe('reached-tcp-server');
  });
});
