/**
 * Entry point 2 of the spec: `kubectl apply -f dist/` in one command, idempotent, and pods that
 * really pass Pod Security `restricted` enforcement on a real API server.
 */
import { randomBytes } from 'crypto';
import { applyDist, deleteNamespaces, distObjects, freshNamespace } from './support/cluster-steps';
import { closeAgents, kubectl } from './support/kube';
import { applyable, K8sObject, kubectlRef } from './support/manifests';
import { describeRun } from './support/run';

const objects = applyable(distObjects());
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const retarget = (o: K8sObject, namespace: string): K8sObject => ({ ...structuredClone(o), metadata: { ...structuredClone(o.metadata), namespace } });
const list = (items: K8sObject[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

afterAll(() => closeAgents());

describe('kubectl apply -f dist/', () => {
  it('applies every object of dist/ in one command', () => {
    const r = applyDist();
    expect({ exit: r.code, output: describeRun(r) }).toMatchObject({ exit: 0 });
    const missing = objects.map(kubectlRef).filter((ref) => !new RegExp(`^${ref.replace(/\./g, '\\.')} (created|configured|unchanged)$`, 'm').test(r.stdout));
    expect({ missing, output: r.stdout }).toEqual({ missing: [], output: r.stdout });
  });

  it('a second apply reports every object unchanged', () => {
    const r = applyDist();
    expect({ exit: r.code, output: describeRun(r) }).toMatchObject({ exit: 0 });
    const lines = r.stdout.trim().split('\n');
    expect(lines.filter((l) => !/ unchanged$/.test(l))).toEqual([]);
    expect(lines.sort()).toEqual(objects.map((o) => `${kubectlRef(o)} unchanged`).sort());
  });
});

describe('Pod Security: the pods pass `restricted` enforcement (server-side dry run)', () => {
  const suffix = randomBytes(3).toString('hex');
  const enforced = `e2e-psa-${suffix}`;
  const warnOnly = `e2e-psa-warn-${suffix}`;
  const namespace = byKind('Namespace')[0];
  const psaLabels = Object.fromEntries(Object.entries(namespace?.metadata.labels ?? {}).filter(([k]) => k.startsWith('pod-security.kubernetes.io/')));
  const pods = byKind('Pod');

  beforeAll(async () => {
    expect(psaLabels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    // A fresh namespace with dist's own PSA labels (enforce + warn + audit restricted), and one that
    // only warns (so a bad pod is admitted with a warning instead of rejected).
    await freshNamespace(enforced, psaLabels);
    await freshNamespace(warnOnly, { 'pod-security.kubernetes.io/warn': 'restricted', 'pod-security.kubernetes.io/warn-version': psaLabels['pod-security.kubernetes.io/warn-version'] ?? 'latest' });
    // The ServiceAccount admission plugin rejects pods whose SA does not exist: create ours there too.
    for (const ns of [enforced, warnOnly]) {
      const r = kubectl(['create', '-f', '-'], { input: list(byKind('ServiceAccount').map((sa) => retarget(sa, ns))) });
      expect({ exit: r.code, output: describeRun(r) }).toMatchObject({ exit: 0 });
    }
  });

  afterAll(() => deleteNamespaces(enforced, warnOnly));

  it('admits both pods with no Pod Security warning', () => {
    expect(pods.map((p) => p.metadata.name).sort()).toEqual(['no-access-pod', 'secret-access-pod']);
    const r = kubectl(['apply', '--dry-run=server', '-f', '-'], { input: list(pods.map((p) => retarget(p, enforced))) });
    expect({ exit: r.code, output: describeRun(r) }).toMatchObject({ exit: 0 });
    for (const p of pods) expect(r.stdout).toContain(`pod/${p.metadata.name} created (server dry run)`);
    expect(r.stderr).not.toMatch(/Warning:|PodSecurity/);
  });

  // The assertions above can fail: the same check rejects (enforce) or warns about (warn) a pod
  // that is not `restricted`.
  const badPod = (ns: string): K8sObject => {
    const p = retarget(pods[0], ns);
    p.metadata.name = 'e2e-not-restricted';
    const spec = p.spec as { securityContext: Record<string, unknown>; containers: Array<{ securityContext: Record<string, unknown> }> };
    delete spec.securityContext.runAsNonRoot;
    delete spec.securityContext.seccompProfile;
    spec.containers[0].securityContext = { allowPrivilegeEscalation: true, runAsUser: 0 };
    return p;
  };

  it('rejects a deliberately non-restricted pod where enforced', () => {
    const r = kubectl(['apply', '--dry-run=server', '-f', '-'], { input: JSON.stringify(badPod(enforced)) });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/forbidden: violates PodSecurity "restricted:v[0-9.]+": .*allowPrivilegeEscalation != false/);
  });

  it('warns about the same pod where only `warn` is set', () => {
    const r = kubectl(['apply', '--dry-run=server', '-f', '-'], { input: JSON.stringify(badPod(warnOnly)) });
    expect({ exit: r.code, output: describeRun(r) }).toMatchObject({ exit: 0 });
    expect(r.stderr).toMatch(/Warning: would violate PodSecurity "restricted:v[0-9.]+"/);
  });
});
