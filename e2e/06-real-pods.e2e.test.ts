/**
 * The walkthrough for real: dist's reader pods run on the cluster's node (the local cluster's
 * kubelet + containerd, or an existing cluster's nodes) and use their own projected token.
 * The pods under test are dist's pod documents with only the image reference and
 * imagePullPolicy replaced (local cluster: the locally built reader image); the first test
 * proves it and prints that diff. Artifacts: e2e/.output/pods/<namespace>_<pod>.log and
 * e2e/.output/pods/audit-pod-events.jsonl.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { build as dashboardToken } from '../examples/dashboard-token/app';
import { applyDist, freshNamespace, deleteNamespaces, mintToken, privateTempDir, removeDir, settleRbac, writePrivate } from './support/cluster-steps';
import { apiRequest, closeAgents, kubectl } from './support/kube';
import { distFiles } from './support/manifests';
import { changedLines, createPod, deletePod, exec, jwtClaims, logsWith, podsUnderTest, poll, PodUnderTest, waitForPhase } from './support/pods';
import { describeRun, sleep } from './support/run';
import { clusterState, REPO_ROOT } from './support/state';

const NS = 'dev';
const SECRET = 'api-access-secret';
const OUT = path.join(REPO_ROOT, 'e2e', '.output', 'pods');
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Fields of an audit event this file reads (user.extra names the pod a bound token belongs to). */
interface PodAuditEvent {
  stage: string;
  verb: string;
  requestURI: string;
  user?: { username?: string; extra?: Record<string, string[]> };
  objectRef?: { resource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
  annotations?: Record<string, string>;
  requestReceivedTimestamp?: string;
}

let pods: PodUnderTest[];
let secretValue: string;
let work: string;
let startedAt: string;
const tokens = new Map<string, string>(); // pod -> its projected token (never printed)
const logs = new Map<string, string>();

function pod(name: string): PodUnderTest {
  const p = pods.find((x) => x.name === name);
  if (!p) throw new Error(`dist has no pod ${name} (pods: ${pods.map((x) => x.name).join(', ')})`);
  return p;
}

function podAuditEvents(): PodAuditEvent[] {
  const file = clusterState().auditLog;
  if (!file || !fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.includes('authentication.kubernetes.io/pod-name'))
    .map((l) => { try { return JSON.parse(l) as PodAuditEvent; } catch { return undefined; } })
    .filter((e): e is PodAuditEvent => !!e && e.stage === 'ResponseComplete' && (e.requestReceivedTimestamp ?? '') >= startedAt);
}

const podName = (e: PodAuditEvent) => e.user?.extra?.['authentication.kubernetes.io/pod-name']?.[0];

beforeAll(async () => {
  startedAt = new Date(Date.now() - 1000).toISOString();
  pods = podsUnderTest();
  work = privateTempDir('real-pods');
  fs.rmSync(OUT, { recursive: true, force: true }); // this run's artifacts only
  fs.mkdirSync(OUT, { recursive: true });
  // A pod's imagePullPolicy cannot change in place, so pods under test left from an earlier run
  // would make `kubectl apply -f dist/` fail: start from dist's own pods.
  for (const p of pods) deletePod(p.namespace, p.name);
  const applied = applyDist();
  if (applied.code !== 0) throw new Error(`kubectl apply -f dist/ failed:\n${describeRun(applied)}`);
  await settleRbac(NS, 'secret-access-sa', { verb: 'get', resource: 'secrets', name: SECRET, namespace: NS });
  // A fresh random secret value (never printed), through a private file, not argv.
  secretValue = `e2e-pods-${randomBytes(24).toString('hex')}`;
  const valueFile = writePrivate(path.join(work, 'api-key'), secretValue);
  kubectl(['delete', 'secret', SECRET, '-n', NS, '--ignore-not-found']);
  const created = kubectl(['create', 'secret', 'generic', SECRET, '-n', NS, `--from-file=api-key=${valueFile}`]);
  fs.rmSync(valueFile);
  if (created.code !== 0) throw new Error(`cannot create the secret:\n${describeRun(created)}`);

  // dist's pods as `kubectl apply -f dist/` left them cannot pull their image here: replace them
  // with the pods under test (a pod's imagePullPolicy cannot be changed in place).
  for (const p of pods) {
    deletePod(p.namespace, p.name);
    createPod(p.testText);
  }
  for (const p of pods) {
    await waitForPhase(p.namespace, p.name, 'Running');
    const text = await logsWith(p.namespace, p.name, /^(ALLOWED|DENIED|ERROR)/m);
    logs.set(p.name, text);
    fs.writeFileSync(path.join(OUT, `${p.namespace}_${p.name}.log`), text);
    const t = exec(p.namespace, p.name, ['cat', `${SA_DIR}/token`]);
    if (t.code !== 0 || !t.stdout.includes('.')) throw new Error(`cannot read the token file in ${p.name} (exit ${t.code}): ${t.stderr}`);
    tokens.set(p.name, t.stdout.trim());
  }
}, 300_000);

afterAll(() => {
  removeDir(work);
  closeAgents();
});

describe('the pods under test', () => {
  it("are dist's pods with only the image reference and imagePullPolicy replaced", () => {
    const state = clusterState();
    const report: string[] = [];
    for (const p of pods) {
      const diff = changedLines(p.distText, p.testText);
      report.push(`--- dist ${p.namespace}/${p.name}`, `+++ under test`, ...diff);
      const changed = diff.filter((l) => /^[-+]/.test(l)).map((l) => l.replace(/^([-+])\s*(image|imagePullPolicy):.*/, '$1$2'));
      if (state.node) {
        expect(changed).toEqual(['-image', '+image', '-imagePullPolicy', '+imagePullPolicy']);
        expect(p.testText).toContain(`image: ${state.node.readerImage}`);
      } else {
        expect(diff).toEqual([]); // an existing cluster runs dist's pods unchanged
      }
    }
    // eslint-disable-next-line no-console
    console.log(`Pods under test vs dist (every other byte equal):\n${report.join('\n')}`);
    expect(pods.map((p) => p.name).sort()).toEqual(['no-access-pod', 'secret-access-pod']);
  });
});

describe('dist pods on a real node (kubectl logs)', () => {
  it('secret-access-pod: HTTP 200, ALLOWED', () => {
    expect(logs.get('secret-access-pod')?.trim().split('\n')).toEqual([
      `api-reader: GET https://kubernetes.default.svc/api/v1/namespaces/${NS}/secrets/${SECRET}`,
      'HTTP 200',
      `ALLOWED: read secret ${NS}/${SECRET} (values not shown)`,
    ]);
  });

  it('no-access-pod: HTTP 403, DENIED', () => {
    expect(logs.get('no-access-pod')?.trim().split('\n')).toEqual([
      `api-reader: GET https://kubernetes.default.svc/api/v1/namespaces/${NS}/secrets/${SECRET}`,
      'HTTP 403',
      `DENIED: secrets "${SECRET}" is forbidden: User "system:serviceaccount:${NS}:no-access-sa" cannot get resource "secrets" in API group "" in the namespace "${NS}"`,
    ]);
  });

  it('kubectl exec secret-access-pod -- read-secret.sh default: HTTP 403 (another namespace)', () => {
    const r = exec(NS, 'secret-access-pod', ['/bin/sh', '/opt/api-reader/read-secret.sh', 'default']);
    fs.writeFileSync(path.join(OUT, `${NS}_secret-access-pod.exec-default.log`), r.stdout);
    expect({ code: r.code, lines: r.stdout.trim().split('\n') }).toEqual({
      code: 1,
      lines: [
        `api-reader: GET https://kubernetes.default.svc/api/v1/namespaces/default/secrets/${SECRET}`,
        'HTTP 403',
        `DENIED: secrets "${SECRET}" is forbidden: User "system:serviceaccount:${NS}:secret-access-sa" cannot get resource "secrets" in API group "" in the namespace "default"`,
      ],
    });
  });
});

describe('inside secret-access-pod', () => {
  it("runs as the spec's UID/GID with no effective capabilities and a read-only root file system", () => {
    const r = exec(NS, 'secret-access-pod', ['/bin/sh', '-c',
      'echo "uid=$(id -u) gid=$(id -g)"; grep ^CapEff /proc/self/status; if touch /probe-write 2>/dev/null; then echo "root fs: writable"; else echo "root fs: write refused"; fi']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['uid=65532 gid=65532', 'CapEff:\t0000000000000000', 'root fs: write refused']);
  });

  it("the token's exp claim is iat + the spec's expirationSeconds, and it names the pod", () => {
    const expiration = Number(/expirationSeconds: (\d+)/.exec(pod('secret-access-pod').distText)?.[1]);
    const claims = jwtClaims(tokens.get('secret-access-pod') ?? '');
    const k8s = claims['kubernetes.io'] as { namespace?: string; pod?: { name?: string }; serviceaccount?: { name?: string } };
    expect({ lifetime: Number(claims.exp) - Number(claims.iat), ns: k8s.namespace, pod: k8s.pod?.name, sa: k8s.serviceaccount?.name })
      .toEqual({ lifetime: expiration, ns: NS, pod: 'secret-access-pod', sa: 'secret-access-sa' });
  });
});

describe("the audit log holds the pods' own requests", () => {
  const audited = clusterState().auditLog !== undefined;
  (audited ? it : it.skip)('user.extra names the pod; allow/200 for secret-access-pod, forbid/403 for no-access-pod and for another namespace', async () => {
    const want = [
      { pod: 'secret-access-pod', ns: NS, code: 200, decision: 'allow' },
      { pod: 'no-access-pod', ns: NS, code: 403, decision: 'forbid' },
      { pod: 'secret-access-pod', ns: 'default', code: 403, decision: 'forbid' },
    ];
    const events = await poll('the pods\' audit events', () => {
      const ev = podAuditEvents();
      return want.every((w) => ev.some((e) => podName(e) === w.pod && e.objectRef?.namespace === w.ns && e.objectRef?.name === SECRET)) ? ev : undefined;
    }, 30_000, () => JSON.stringify(podAuditEvents().map((e) => ({ pod: podName(e), uri: e.requestURI, code: e.responseStatus?.code })), null, 1));
    fs.writeFileSync(path.join(OUT, 'audit-pod-events.jsonl'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const seen = want.map((w) => {
      const e = events.find((x) => podName(x) === w.pod && x.objectRef?.namespace === w.ns && x.objectRef?.name === SECRET && x.verb === 'get');
      return { pod: podName(e ?? ({} as PodAuditEvent)), ns: e?.objectRef?.namespace, user: e?.user?.username, code: e?.responseStatus?.code, decision: e?.annotations?.['authorization.k8s.io/decision'] };
    });
    expect(seen).toEqual(want.map((w) => ({
      pod: w.pod, ns: w.ns, code: w.code, decision: w.decision,
      user: `system:serviceaccount:${NS}:${w.pod === 'no-access-pod' ? 'no-access-sa' : 'secret-access-sa'}`,
    })));
  });

  it('no log holds a token or the secret value (audit log, pod logs, node logs)', () => {
    const state = clusterState();
    const files = [
      ...(state.auditLog ? [state.auditLog] : []),
      ...fs.readdirSync(OUT).map((f) => path.join(OUT, f)),
      ...(state.node?.dir ? fs.readdirSync(path.join(state.node.dir, 'logs')).map((f) => path.join(state.node!.dir!, 'logs', f)) : []),
      ...(state.workdir ? fs.readdirSync(path.join(state.workdir, 'logs')).map((f) => path.join(state.workdir!, 'logs', f)) : []),
    ];
    const needles: Array<[string, string]> = [
      ['secret value', secretValue],
      ['secret value (base64)', Buffer.from(secretValue).toString('base64')],
      ...[...tokens].map(([p, t]): [string, string] => [`${p}'s token`, t]),
      ...[...tokens].map(([p, t]): [string, string] => [`${p}'s token signature`, t.split('.')[2] ?? t]),
    ];
    const leaks: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (const [label, needle] of needles) if (text.includes(needle)) leaks.push(`${f} contains the ${label}`);
    }
    expect({ files: files.length > 2, leaks }).toEqual({ files: true, leaks: [] });
  });
});

describe('Pod Security admission on the real server', () => {
  it("rejects in dev a pod that breaks `restricted` (dist's pod with runAsNonRoot: false)", () => {
    const bad = pod('secret-access-pod').testText
      .replace(/^ {2}name: secret-access-pod$/m, '  name: e2e-root-pod')
      .replace(/runAsNonRoot: true/g, 'runAsNonRoot: false');
    const r = kubectl(['create', '-f', '-'], { input: bad });
    expect({ code: r.code, stderr: r.stderr.trim() }).toEqual({
      code: 1,
      stderr: 'Error from server (Forbidden): error when creating "STDIN": pods "e2e-root-pod" is forbidden: violates PodSecurity "restricted:v1.27": runAsNonRoot != true (pod and container "reader" must not set securityContext.runAsNonRoot=false)',
    });
    expect(kubectl(['get', 'pod', 'e2e-root-pod', '-n', NS]).code).not.toBe(0);
  });
});

describe('seed scenarios that run pods', () => {
  it('seed 001: from a pod, the default ServiceAccount gets 403 listing pods and 200 on discovery', async () => {
    const ns = `e2e-seed001-pod-${randomBytes(3).toString('hex')}`;
    await freshNamespace(ns);
    try {
      const image = clusterState().node?.readerImage ?? (/^ +image: (.+)$/m.exec(pod('secret-access-pod').distText)?.[1] ?? '');
      const script = [
        `SA=${SA_DIR}`,
        'for p in /api/v1/namespaces/$(cat $SA/namespace)/pods /api /apis; do',
        '  printf "%s " "$p"; { printf "Authorization: Bearer "; cat $SA/token; echo; } |',
        '    curl -sS -o /dev/null -w "%{http_code}\\n" --cacert $SA/ca.crt -H @- "https://kubernetes.default.svc$p"',
        'done',
      ].join('\n');
      createPod(JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'default-sa-probe', namespace: ns },
        spec: { restartPolicy: 'Never', containers: [{ name: 'probe', image, imagePullPolicy: clusterState().node ? 'Never' : 'IfNotPresent', command: ['/bin/sh', '-c', script] }] },
      }));
      await waitForPhase(ns, 'default-sa-probe', 'Succeeded');
      const out = kubectl(['logs', '-n', ns, 'default-sa-probe']).stdout;
      fs.writeFileSync(path.join(OUT, `${ns}_default-sa-probe.log`), out);
      expect(out.trim().split('\n')).toEqual([`/api/v1/namespaces/${ns}/pods 403`, '/api 200', '/apis 200']);
    } finally {
      deleteNamespaces(ns);
    }
  });

  it("seed 003: the log exporter reads another namespace's pod log through pods/log (served by the kubelet)", async () => {
    const applied = kubectl(['apply', '-f', path.join(REPO_ROOT, 'examples', 'log-exporter', 'dist')]);
    expect(applied.code).toBe(0);
    const token = mintToken('log-exporter', 'log-exporter-sa');
    // RBAC reaches the authorizer through informers a moment after the apply: retry 403s briefly.
    let r = await apiRequest('GET', `/api/v1/namespaces/${NS}/pods/secret-access-pod/log`, { as: { token } });
    for (let i = 0; i < 30 && r.status === 403; i++) {
      await sleep(500);
      r = await apiRequest('GET', `/api/v1/namespaces/${NS}/pods/secret-access-pod/log`, { as: { token } });
    }
    expect({ status: r.status, lines: r.body.trim().split('\n') }).toEqual({ status: 200, lines: logs.get('secret-access-pod')?.trim().split('\n') });
  });

  it('seed 004: the token controller fills the legacy token Secret when opted in', async () => {
    const app = Testing.app();
    const docs = Testing.synth(dashboardToken(app, { legacyToken: true })) as Array<{ kind: string; type?: string; metadata: { name: string; namespace?: string } }>;
    const secret = docs.find((d) => d.kind === 'Secret' && d.type === 'kubernetes.io/service-account-token');
    expect(secret).toBeDefined();
    const setup = docs.filter((d) => ['Namespace', 'ServiceAccount', 'Secret'].includes(d.kind));
    const applied = kubectl(['apply', '-f', '-'], { input: setup.map((d) => JSON.stringify(d)).join('\n') });
    expect(applied.code).toBe(0);
    const ns = secret!.metadata.namespace!;
    const token = await poll('the token controller to fill the Secret', () => {
      const t = kubectl(['get', 'secret', secret!.metadata.name, '-n', ns, '-o', 'jsonpath={.data.token}']).stdout;
      return t ? Buffer.from(t, 'base64').toString('utf8') : undefined;
    }, 30_000);
    const review = await apiRequest('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { as: { token }, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    expect({ status: review.status, user: (JSON.parse(review.body) as { status?: { userInfo?: { username?: string } } }).status?.userInfo?.username })
      .toEqual({ status: 201, user: `system:serviceaccount:${ns}:dashboard-sa` });
    kubectl(['delete', 'secret', secret!.metadata.name, '-n', ns, '--ignore-not-found']);
  });
});

describe('files', () => {
  it('writes e2e/.output/pods/<namespace>_<pod>.log for each reader pod', () => {
    for (const p of pods) expect(fs.readFileSync(path.join(OUT, `${p.namespace}_${p.name}.log`), 'utf8')).toBe(logs.get(p.name));
    expect(distFiles().length).toBeGreaterThan(0);
  });
});
