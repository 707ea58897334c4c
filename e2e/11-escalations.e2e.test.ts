/**
 * Escalation paths, each hop kind performed for real (issue 26). For every hop kind of the
 * catalogue: a fresh ServiceAccount is given only the permission the hop needs (plus what kubectl
 * needs to find the object, e.g. `get pods` before an exec); `escalations` reports the path over
 * the very objects applied; the identity performs the hop with kubectl (and real pods where the
 * hop runs through one) and a SubjectAccessReview (or a SelfSubjectAccessReview with the gained
 * token) shows it now reaches the target; then a second identity with that one permission
 * removed is refused by the server and `escalations` no longer reports the path.
 *
 * The valuable identity is ServiceAccount i26-esc/i26-boss: the only one allowed to list the
 * namespace's Secrets (the target permission). Hop kinds the local node cannot complete say so in
 * their title (`server only`) and are proven as far as the server goes (the server accepts the
 * request that opens the hop, and refuses it without the permission).
 * Every object is named `i26-*` and removed afterwards.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as fs from 'fs';
import {
  EscalationNode, EscalationPath, EscalationReport, findEscalations, nodeKey, parseManifests, PolicyRule, PrivilegeRisk, RbacPolicy,
  ResourceAttributes, ServiceAccountNode, serviceAccountUser,
} from '../lib/rbac';
import { deleteNamespaces, freshNamespace, mintToken, privateTempDir, removeDir } from './support/cluster-steps';
import { kubectlWith, tokenKubeconfig, whoami } from './support/identity';
import { closeAgents, kubectl } from './support/kube';
import { poll, waitForPhase } from './support/pods';
import { describeRun, run, RunResult, waitFor } from './support/run';
import { subjectAccessReviews } from './support/sar';
import { clusterState, REPO_ROOT } from './support/state';

const NS = 'i26-esc';
const PSA_NS = 'i26-esc-psa';
const BOSS = 'i26-boss';
const BOSS_POD = 'i26-boss-pod';
const LEAD_GROUP = 'i26-lead';
const LABEL = { i26: 'escalations' };
const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TARGET: ResourceAttributes = { verb: 'list', resource: 'secrets', namespace: NS };
const BOSS_NODE: EscalationNode = { kind: 'ServiceAccount', namespace: NS, name: BOSS };
const ANY_NODE: EscalationNode = { kind: 'Node', name: '*' };
const RBAC = 'rbac.authorization.k8s.io/v1';

type Obj = Record<string, unknown>;

function images(): { busybox: string; reader: string; pull: string } {
  const node = clusterState().node;
  return node
    ? { busybox: node.busyboxImage, reader: node.readerImage, pull: 'Never' }
    : { busybox: process.env.E2E_BUSYBOX_IMAGE ?? 'busybox:1.36', reader: process.env.E2E_READER_IMAGE ?? 'curlimages/curl:8.10.1', pull: 'IfNotPresent' };
}

/** A shell command that lists the namespace's Secrets with the token mounted at SA_DIR and prints the HTTP code. */
function listSecretsWithMountedToken(): string {
  return `T=$(cat ${SA_DIR}/token); curl -sS -o /dev/null -w 'list-secrets:%{http_code}\\n' --cacert ${SA_DIR}/ca.crt -H "Authorization: Bearer $T" https://kubernetes.default.svc/api/v1/namespaces/${NS}/secrets; sleep 3600`;
}

const core = (verbs: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ apiGroups: [''], resources, verbs, ...(resourceNames ? { resourceNames } : {}) });
const group = (g: string, verbs: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ apiGroups: [g], resources, verbs, ...(resourceNames ? { resourceNames } : {}) });

/** The objects every scenario shares: the valuable ServiceAccount, its grant, its token Secret, its pod. */
function baseObjects(): Obj[] {
  const img = images();
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: LABEL } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: PSA_NS, labels: { ...LABEL, 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: BOSS, namespace: NS } },
    { apiVersion: RBAC, kind: 'Role', metadata: { name: 'i26-target', namespace: NS }, rules: [core(['list'], ['secrets'])] },
    { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'i26-boss-target', namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'i26-target' }, subjects: [{ kind: 'ServiceAccount', name: BOSS, namespace: NS }] },
    { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: 'i26-lead-target', namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'i26-target' }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: LEAD_GROUP }] },
    { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'i26-mint', labels: LABEL }, rules: [core(['create'], ['serviceaccounts/token'], [BOSS])] },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'i26-boss-token', namespace: NS, annotations: { 'kubernetes.io/service-account.name': BOSS } }, type: 'kubernetes.io/service-account-token' },
    {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: BOSS_POD, namespace: NS },
      spec: { serviceAccountName: BOSS, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: img.busybox, imagePullPolicy: img.pull, command: ['sleep', '3600'] }] },
    },
  ];
}

/** A fresh identity: a ServiceAccount with a kubeconfig holding only its token. */
interface Attacker {
  readonly name: string;
  readonly kubeconfig: string;
  readonly node: EscalationNode;
  as(args: readonly string[], input?: string): RunResult;
}

/** What performing a hop gave: a token of another identity (checked with whoami), or a check of its own. */
interface Gain {
  readonly token?: string;
  readonly note?: string;
}

interface Scenario {
  readonly kind: PrivilegeRisk;
  /**
   * Names the identities when a hop kind has several scenarios.
   * @default the hop kind
   */
  readonly id?: string;
  readonly title: string;
  /** Where the namespaced rules are bound (RoleBinding). */
  readonly namespace?: string;
  /** Rules kept in both variants: what kubectl needs besides the hop (namespaced, cluster-wide). */
  readonly keep?: { namespaced?: PolicyRule[]; cluster?: PolicyRule[] };
  /** The one permission the hop needs: removed in the second variant. */
  readonly hop: { rule: PolicyRule; clusterWide: boolean };
  /** Extra objects for an attacker (e.g. the Role it may rewrite). */
  readonly objects?: (a: string) => Obj[];
  /** Where `escalations` must say the path ends. */
  readonly target: EscalationNode;
  /** A request the hop's permission allows, to wait for RBAC to settle. */
  readonly settle: ResourceAttributes;
  /** Performs the hop; returns the gain, or throws with the server's answer. */
  readonly perform: (a: Attacker) => Promise<Gain>;
  /** How the gain is proven (besides a token's whoami): resolves when the identity reaches the target. */
  readonly reached?: (a: Attacker, gain: Gain) => Promise<void>;
  /** Set when the local node cannot complete the hop: why, and how far the server proves it. */
  readonly serverOnly?: string;
}

let work: string;

function ok(r: RunResult, what: string, secret = false): RunResult {
  if (r.code !== 0) throw new Error(`${what} failed:\n${secret ? `exit ${r.code}\n--- stderr ---\n${r.stderr.trim()}` : describeRun(r)}`);
  return r;
}

function apply(objects: readonly Obj[]): void {
  ok(kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }), 'kubectl apply');
}

/** Waits until the server's RBAC informers allow the request (they see new bindings a few ms after they are written). */
async function waitAllowed(user: ReturnType<typeof serviceAccountUser>, request: ResourceAttributes): Promise<void> {
  await waitFor(`the server to allow ${user.name} ${JSON.stringify(request)}`, async () => ((await subjectAccessReviews([{ user, request }]))[0].allowed ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
}

function tokenFromSecret(a: Attacker, secret: string): string | undefined {
  const r = a.as(['get', 'secret', secret, '-n', NS, '-o', 'jsonpath={.data.token}']);
  if (r.code !== 0) throw new Error(`reading Secret ${secret} as ${a.name} failed (exit ${r.code}): ${r.stderr.trim()}`);
  const token = Buffer.from(r.stdout.trim(), 'base64').toString('utf8');
  return token.includes('.') ? token : undefined;
}

/** The objects that make one attacker: its ServiceAccount, roles and bindings. */
function attackerObjects(s: Scenario, name: string, withHop: boolean): Obj[] {
  const ns = s.namespace ?? NS;
  const namespaced = [...(s.keep?.namespaced ?? []), ...(withHop && !s.hop.clusterWide ? [s.hop.rule] : [])];
  const cluster = [...(s.keep?.cluster ?? []), ...(withHop && s.hop.clusterWide ? [s.hop.rule] : [])];
  const subject = [{ kind: 'ServiceAccount', name, namespace: NS }];
  const ref = (role: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role });
  const out: Obj[] = [{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: NS } }];
  if (namespaced.length > 0) {
    out.push({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `${name}-ns`, labels: LABEL }, rules: namespaced });
    out.push({ apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `${name}-ns`, namespace: ns }, roleRef: ref(`${name}-ns`), subjects: subject });
  }
  if (cluster.length > 0) {
    out.push({ apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: `${name}-cluster`, labels: LABEL }, rules: cluster });
    out.push({ apiVersion: RBAC, kind: 'ClusterRoleBinding', metadata: { name: `${name}-cluster`, labels: LABEL }, roleRef: ref(`${name}-cluster`), subjects: subject });
  }
  return [...out, ...(s.objects?.(name) ?? [])];
}

const MAIN = path.join(REPO_ROOT, 'build', 'lib', 'cli', 'main.js');

/**
 * The paths `api-reader escalations` (the built binary, as users run it) reports for one
 * ServiceAccount over the objects applied, written to a manifest file; the library agrees.
 */
function offlinePaths(objects: readonly Obj[], attacker: ServiceAccountNode): { file: string; paths: readonly EscalationPath[] } {
  const file = path.join(work, `${attacker.name}.yaml`);
  const text = objects.map((o) => JSON.stringify(o)).join('\n---\n');
  fs.writeFileSync(file, text);
  if (!fs.existsSync(MAIN) || fs.statSync(MAIN).mtimeMs < fs.statSync(path.join(REPO_ROOT, 'lib', 'rbac', 'escalation', 'search.ts')).mtimeMs) {
    throw new Error('build/lib/cli/main.js is missing or older than lib/: run `npm run build` before the e2e suite.');
  }
  const r = run(process.execPath, [MAIN, 'escalations', '-f', file, '--subject', `system:serviceaccount:${attacker.namespace}:${attacker.name}`, '--max-paths', '1000', '-o', 'json']);
  if (r.code !== 0) throw new Error(`api-reader escalations failed:\n${describeRun(r)}`);
  const paths = (JSON.parse(r.stdout) as EscalationReport).subjects[0].paths;
  const load = parseManifests(text, file, undefined, { workloads: true });
  expect(findEscalations(RbacPolicy.fromLoadResult(load), load, { subjects: [attacker], maxPathsPerSubject: 1000 }).subjects[0].paths).toEqual(paths);
  return { file, paths };
}

function makeAttacker(name: string): Attacker {
  const token = mintToken(NS, name, { durationSeconds: 3600 });
  const kubeconfig = tokenKubeconfig(work, name, token);
  return { name, kubeconfig, node: { kind: 'ServiceAccount', namespace: NS, name }, as: (args, input) => kubectlWith(kubeconfig, args, input) };
}

function tokenVolume(): string {
  const r = ok(kubectl(['get', 'pod', BOSS_POD, '-n', NS, '-o', 'jsonpath={.spec.volumes[*].name}']), 'reading the boss pod');
  const name = r.stdout.split(' ').find((v) => v.startsWith('kube-api-access-'));
  if (!name) throw new Error(`pod ${BOSS_POD} has no kube-api-access volume: ${r.stdout}`);
  return name;
}

async function logLine(pod: string, container: string | undefined, marker: RegExp): Promise<string> {
  return poll(`${pod} to log ${marker}`, () => {
    const r = kubectl(['logs', '-n', NS, pod, ...(container ? ['-c', container] : [])]);
    return r.code === 0 && marker.test(r.stdout) ? r.stdout : undefined;
  }, 120_000, () => describeRun(kubectl(['describe', 'pod', pod, '-n', NS])));
}

const SCENARIOS: readonly Scenario[] = [
  {
    kind: 'serviceaccount-token-create', title: 'kubectl create token for the ServiceAccount',
    hop: { rule: core(['create'], ['serviceaccounts/token'], [BOSS]), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: BOSS, namespace: NS },
    perform: async (a) => ({ token: ok(a.as(['create', 'token', BOSS, '-n', NS]), `kubectl create token ${BOSS} as ${a.name}`, true).stdout.trim() }),
  },
  {
    kind: 'impersonate', title: 'kubectl --as the ServiceAccount',
    hop: { rule: core(['impersonate'], ['serviceaccounts'], [BOSS]), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'impersonate', resource: 'serviceaccounts', name: BOSS, namespace: NS },
    perform: async (a) => {
      // The target permission itself, as the impersonated ServiceAccount (names only, no values).
      ok(a.as(['get', 'secrets', '-n', NS, '-o', 'name', `--as=system:serviceaccount:${NS}:${BOSS}`]), 'kubectl get secrets --as');
      return { note: 'listed' };
    },
    reached: async (a) => {
      const as = `--as=system:serviceaccount:${NS}:${BOSS}`;
      expect(a.as(['auth', 'whoami', as, '-o', 'jsonpath={.status.userInfo.username}']).stdout.trim()).toBe(`system:serviceaccount:${NS}:${BOSS}`);
      expect(a.as(['auth', 'can-i', 'list', 'secrets', '-n', NS, as]).stdout.trim()).toBe('yes');
    },
  },
  {
    kind: 'impersonate', id: 'masters', title: 'kubectl --as a user --as-group system:masters: cluster-admin',
    keep: { cluster: [core(['impersonate'], ['users'], ['i26-anyone'])] },
    hop: { rule: core(['impersonate'], ['groups'], ['system:masters']), clusterWide: true }, target: { kind: 'ClusterAdmin' },
    settle: { verb: 'impersonate', resource: 'groups', name: 'system:masters' },
    perform: async (a) => {
      // kubectl itself refuses --as-group without --as ("without impersonating a user"), as the server does.
      const alone = a.as(['auth', 'can-i', '*', '*', '--as-group=system:masters']);
      expect([alone.code, alone.stderr]).toEqual([1, expect.stringContaining('without impersonating a user')]);
      const r = ok(a.as(['auth', 'can-i', '*', '*', '--as=i26-anyone', '--as-group=system:masters']), 'kubectl auth can-i --as --as-group system:masters');
      return { note: r.stdout.trim() };
    },
    reached: async (a, gain) => {
      expect(gain.note).toBe('yes');
      expect(a.as(['get', 'secrets', '-n', NS, '-o', 'name', '--as=i26-anyone', '--as-group=system:masters']).code).toBe(0);
    },
  },
  {
    kind: 'bind', title: 'create a RoleBinding to a ClusterRole it does not hold (then mint the token it grants)',
    keep: { namespaced: [group('rbac.authorization.k8s.io', ['create'], ['rolebindings'])] },
    hop: { rule: group('rbac.authorization.k8s.io', ['bind'], ['clusterroles'], ['i26-mint']), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'bind', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'i26-mint', namespace: NS },
    perform: async (a) => {
      const rb = { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `${a.name}-bound`, namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'i26-mint' }, subjects: [{ kind: 'ServiceAccount', name: a.name, namespace: NS }] };
      ok(a.as(['create', '-f', '-'], JSON.stringify(rb)), `creating RoleBinding ${a.name}-bound as ${a.name}`);
      await waitAllowed(serviceAccountUser(NS, a.name), { verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: BOSS, namespace: NS });
      return { token: ok(a.as(['create', 'token', BOSS, '-n', NS]), 'kubectl create token after bind', true).stdout.trim() };
    },
  },
  {
    kind: 'escalate', title: 'rewrite the Role it is bound to with a rule it does not hold',
    keep: { namespaced: [group('rbac.authorization.k8s.io', ['get', 'update', 'patch'], ['roles'])] },
    hop: { rule: group('rbac.authorization.k8s.io', ['escalate'], ['roles']), clusterWide: false }, target: BOSS_NODE,
    objects: (a) => [
      { apiVersion: RBAC, kind: 'Role', metadata: { name: `${a}-self`, namespace: NS }, rules: [core(['get'], ['configmaps'])] },
      { apiVersion: RBAC, kind: 'RoleBinding', metadata: { name: `${a}-self`, namespace: NS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${a}-self` }, subjects: [{ kind: 'ServiceAccount', name: a, namespace: NS }] },
    ],
    settle: { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'roles', name: 'x', namespace: NS },
    perform: async (a) => {
      const role = { apiVersion: RBAC, kind: 'Role', metadata: { name: `${a.name}-self`, namespace: NS }, rules: [core(['get'], ['configmaps']), core(['create'], ['serviceaccounts/token'], [BOSS])] };
      ok(a.as(['replace', '-f', '-'], JSON.stringify(role)), `rewriting Role ${a.name}-self as ${a.name}`);
      await waitAllowed(serviceAccountUser(NS, a.name), { verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: BOSS, namespace: NS });
      return { token: ok(a.as(['create', 'token', BOSS, '-n', NS]), 'kubectl create token after escalate', true).stdout.trim() };
    },
  },
  {
    kind: 'workload-create', title: 'start a pod that runs as the ServiceAccount and uses its mounted token',
    hop: { rule: core(['create'], ['pods']), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'create', resource: 'pods', namespace: NS },
    perform: async (a) => {
      const img = images();
      const pod = {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `${a.name}-pod`, namespace: NS },
        spec: { serviceAccountName: BOSS, terminationGracePeriodSeconds: 1, containers: [{ name: 'main', image: img.reader, imagePullPolicy: img.pull, command: ['sh', '-c', listSecretsWithMountedToken()] }] },
      };
      ok(a.as(['create', '-f', '-'], JSON.stringify(pod)), `creating a pod as ${a.name}`);
      return { note: `${a.name}-pod` };
    },
    reached: async (_a, gain) => {
      // The pod's own request, made with the token it mounts: the server lists the Secrets (200).
      expect(await logLine(gain.note!, undefined, /list-secrets:\d+/)).toContain('list-secrets:200');
    },
  },
  {
    kind: 'secrets-read', title: "read the ServiceAccount's token Secret",
    hop: { rule: core(['get'], ['secrets'], ['i26-boss-token']), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'get', resource: 'secrets', name: 'i26-boss-token', namespace: NS },
    perform: async (a) => {
      const token = await poll('the token controller to fill i26-boss-token', () => tokenFromSecret(a, 'i26-boss-token'), 60_000);
      return { token };
    },
  },
  {
    kind: 'serviceaccount-token-secret-create', title: 'create a token Secret for the ServiceAccount and read it back',
    keep: { namespaced: [core(['get'], ['secrets'])] },
    hop: { rule: core(['create'], ['secrets']), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'create', resource: 'secrets', namespace: NS },
    perform: async (a) => {
      const secretName = `i26-minted-${a.name.slice(-1)}`;
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: secretName, namespace: NS, annotations: { 'kubernetes.io/service-account.name': BOSS } }, type: 'kubernetes.io/service-account-token' };
      ok(a.as(['create', '-f', '-'], JSON.stringify(secret)), `creating Secret ${secretName} as ${a.name}`);
      return { token: await poll(`the token controller to fill ${secretName}`, () => tokenFromSecret(a, secretName), 60_000) };
    },
  },
  {
    kind: 'pods-exec', title: "exec into the ServiceAccount's pod and read its token",
    keep: { namespaced: [core(['get'], ['pods'])] },
    hop: { rule: core(['create'], ['pods/exec']), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'create', resource: 'pods', subresource: 'exec', name: BOSS_POD, namespace: NS },
    perform: async (a) => ({ token: ok(a.as(['exec', '-n', NS, BOSS_POD, '--', 'cat', `${SA_DIR}/token`]), `kubectl exec as ${a.name}`, true).stdout.trim() }),
  },
  {
    kind: 'pods-ephemeral-containers', title: "add an ephemeral container to the ServiceAccount's pod that uses its token",
    keep: { namespaced: [core(['get'], ['pods', 'pods/ephemeralcontainers'])] },
    hop: { rule: core(['patch'], ['pods/ephemeralcontainers']), clusterWide: false }, target: BOSS_NODE,
    settle: { verb: 'patch', resource: 'pods', subresource: 'ephemeralcontainers', name: BOSS_POD, namespace: NS },
    perform: async (a) => {
      const img = images();
      const container = { name: `${a.name}-dbg`, image: img.reader, imagePullPolicy: img.pull, command: ['sh', '-c', listSecretsWithMountedToken()], volumeMounts: [{ name: tokenVolume(), mountPath: SA_DIR, readOnly: true }] };
      ok(a.as(['patch', 'pod', BOSS_POD, '-n', NS, '--subresource=ephemeralcontainers', '--type=strategic', '-p', JSON.stringify({ spec: { ephemeralContainers: [container] } })]), `adding an ephemeral container as ${a.name}`);
      return { note: container.name };
    },
    reached: async (_a, gain) => {
      expect(await logLine(BOSS_POD, gain.note, /list-secrets:\d+/)).toContain('list-secrets:200');
    },
  },
  {
    kind: 'nodes-proxy', title: "get nodes/proxy: the node's kubelet API lists the pod (exec through it: server only)",
    hop: { rule: core(['get'], ['nodes/proxy']), clusterWide: true }, target: BOSS_NODE,
    settle: { verb: 'get', resource: 'nodes', subresource: 'proxy', name: 'x' },
    perform: async (a) => {
      const node = ok(kubectl(['get', 'pod', BOSS_POD, '-n', NS, '-o', 'jsonpath={.spec.nodeName}']), 'reading the node').stdout.trim();
      const r = a.as(['get', '--raw', `/api/v1/nodes/${node}/proxy/pods`]);
      // Past authorization, the API server may still refuse to dial a loopback node address.
      if (r.code !== 0 && /address not allowed/.test(r.stderr)) return { note: 'authorized; the proxy refused the loopback address' };
      return { note: ok(r, `the kubelet's /pods through nodes/proxy as ${a.name}`).stdout };
    },
    reached: async (_a, gain) => {
      if (gain.note?.startsWith('authorized')) return;
      const pods = JSON.parse(gain.note!) as { items: Array<{ metadata: { name: string; namespace: string }; spec: { serviceAccountName?: string } }> };
      expect(pods.items.filter((p) => p.metadata.namespace === NS && p.metadata.name === BOSS_POD).map((p) => p.spec.serviceAccountName)).toEqual([BOSS]);
    },
    serverOnly: "the local node registers as localhost (127.0.0.1), an address the API server's node proxy refuses to dial (400 \"address not allowed\", after authorization), and the kubelet's exec needs a websocket upgrade kubectl does not offer through nodes/proxy; shown: with get nodes/proxy the request passes authorization (on a node with a routable address the kubelet lists its pods and their ServiceAccounts), without it the server answers 403",
  },
  {
    kind: 'csr-approve', title: 'create and approve a client certificate request for a group that can list the Secrets (signing: server only)',
    keep: { cluster: [group('certificates.k8s.io', ['create', 'get'], ['certificatesigningrequests']), group('certificates.k8s.io', ['update'], ['certificatesigningrequests/approval'])] },
    hop: { rule: group('certificates.k8s.io', ['approve'], ['signers'], ['kubernetes.io/kube-apiserver-client']), clusterWide: true }, target: { kind: 'Group', name: LEAD_GROUP },
    settle: { verb: 'approve', group: 'certificates.k8s.io', resource: 'signers', name: 'kubernetes.io/kube-apiserver-client' },
    perform: async (a) => {
      const key = path.join(work, `${a.name}.key`);
      execFileSync('openssl', ['genrsa', '-out', key, '2048'], { stdio: 'ignore' });
      const csrFor = (subject: string, name: string) => {
        const csr = execFileSync('openssl', ['req', '-new', '-key', key, '-subj', subject], { encoding: 'utf8' });
        return JSON.stringify({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name, labels: LABEL }, spec: { request: Buffer.from(csr).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'] } });
      };
      // system:masters is refused for this signer whatever the permissions (CertificateSubjectRestriction).
      const masters = a.as(['create', '-f', '-'], csrFor(`/CN=${a.name}-admin/O=system:masters`, `${a.name}-masters`));
      expect([masters.code, masters.stderr]).toEqual([1, expect.stringContaining('use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed')]);
      const name = `${a.name}-csr`;
      ok(a.as(['create', '-f', '-'], csrFor(`/CN=${a.name}-lead/O=${LEAD_GROUP}`, name)), `creating CSR ${name} as ${a.name}`);
      ok(a.as(['certificate', 'approve', name]), `approving CSR ${name} as ${a.name}`);
      return { note: name };
    },
    reached: async (_a, gain) => {
      const r = ok(kubectl(['get', 'csr', gain.note!, '-o', 'jsonpath={.status.conditions[*].type}']), 'reading the CSR');
      expect(r.stdout).toContain('Approved');
    },
    serverOnly: "the local kube-controller-manager runs no csrsigning controller, so the approved request is never signed; shown: the server approves the identity's request for a certificate in group i26-lead (which may list the Secrets), and refuses one for system:masters whatever the permissions",
  },
  {
    kind: 'admission-webhooks', title: 'register a mutating webhook (server-side dry run: server only)',
    hop: { rule: group('admissionregistration.k8s.io', ['create'], ['mutatingwebhookconfigurations']), clusterWide: true }, target: BOSS_NODE,
    settle: { verb: 'create', group: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations' },
    perform: async (a) => {
      const hook = {
        apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: `${a.name}-hook`, labels: LABEL },
        webhooks: [{ name: 'i26.example.invalid', admissionReviewVersions: ['v1'], sideEffects: 'None', failurePolicy: 'Ignore', clientConfig: { url: 'https://i26.example.invalid/mutate' }, rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }], namespaceSelector: { matchLabels: { 'i26-never': 'true' } } }],
      };
      ok(a.as(['create', '--dry-run=server', '-f', '-'], JSON.stringify(hook)), `creating a MutatingWebhookConfiguration (dry run) as ${a.name}`);
      return { note: 'accepted' };
    },
    reached: async (_a, gain) => expect(gain.note).toBe('accepted'),
    serverOnly: 'no webhook server runs here, so the configuration is created as a server-side dry run (the server accepts it, authorization included) and no pod is rewritten',
  },
  {
    kind: 'persistent-volume-create', title: 'create a hostPath PersistentVolume (server-side dry run: server only)',
    // A namespace that enforces Pod Security: there, only the PersistentVolume reaches the node.
    namespace: PSA_NS,
    keep: { namespaced: [core(['create'], ['pods', 'persistentvolumeclaims'])] },
    hop: { rule: core(['create'], ['persistentvolumes']), clusterWide: true }, target: ANY_NODE,
    settle: { verb: 'create', resource: 'persistentvolumes' },
    perform: async (a) => {
      const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: `${a.name}-pv`, labels: LABEL }, spec: { capacity: { storage: '1Mi' }, accessModes: ['ReadOnlyMany'], hostPath: { path: '/' }, storageClassName: 'i26-none' } };
      ok(a.as(['create', '--dry-run=server', '-f', '-'], JSON.stringify(pv)), `creating a hostPath PersistentVolume (dry run) as ${a.name}`);
      return { note: 'accepted' };
    },
    reached: async (_a, gain) => expect(gain.note).toBe('accepted'),
    serverOnly: 'the local kube-controller-manager runs no persistent-volume binder, so a claim would never bind; the server accepting the hostPath PersistentVolume is shown (dry run, nothing of the host is mounted)',
  },
  {
    kind: 'namespace-modify', title: "switch off the namespace's Pod Security, then a pod mounting the node's root is admitted (dry run)",
    namespace: PSA_NS,
    keep: { namespaced: [core(['create'], ['pods']), core(['get'], ['namespaces'], [PSA_NS])] },
    hop: { rule: core(['patch'], ['namespaces'], [PSA_NS]), clusterWide: false }, target: ANY_NODE,
    settle: { verb: 'patch', resource: 'namespaces', name: PSA_NS, namespace: PSA_NS },
    perform: async (a) => {
      const img = images();
      const privileged = JSON.stringify({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: `${a.name}-root`, namespace: PSA_NS },
        spec: { containers: [{ name: 'main', image: img.busybox, imagePullPolicy: img.pull, command: ['sleep', '1'], volumeMounts: [{ name: 'host', mountPath: '/host' }] }], volumes: [{ name: 'host', hostPath: { path: '/' } }] },
      });
      const before = a.as(['create', '--dry-run=server', '-f', '-'], privileged);
      expect([before.code, before.stderr]).toEqual([1, expect.stringMatching(/violates PodSecurity/)]);
      ok(a.as(['label', 'namespace', PSA_NS, 'pod-security.kubernetes.io/enforce=privileged', '--overwrite']), `relabelling ${PSA_NS} as ${a.name}`);
      return { note: privileged };
    },
    reached: async (a, gain) => {
      await poll('a pod mounting the node\'s root to be admitted', () => (a.as(['create', '--dry-run=server', '-f', '-'], gain.note).code === 0 ? true : undefined), 30_000,
        () => describeRun(a.as(['create', '--dry-run=server', '-f', '-'], gain.note)));
      ok(kubectl(['label', 'namespace', PSA_NS, 'pod-security.kubernetes.io/enforce=restricted', '--overwrite']), 'restoring the label');
    },
    serverOnly: "the pod mounting the node's root (hostPath /, which Pod Security restricted refuses and privileged admits) is admitted as a server-side dry run rather than started on the shared machine; this API server refuses privileged containers outright (--allow-privileged=false), so the pod asks for none",
  },
];

beforeAll(async () => {
  work = privateTempDir('i26-escalations');
  await freshNamespace(NS, LABEL);
  await freshNamespace(PSA_NS, { ...LABEL, 'pod-security.kubernetes.io/enforce': 'restricted' });
  apply(baseObjects().filter((o) => o.kind !== 'Namespace'));
  await waitForPhase(NS, BOSS_POD, 'Running');
}, 300_000);

afterAll(() => {
  deleteNamespaces(NS, PSA_NS);
  kubectl(['delete', 'clusterrole,clusterrolebinding,csr', '-l', 'i26=escalations', '--ignore-not-found', '--wait=false']);
  kubectl(['delete', 'clusterrole', 'i26-mint', '--ignore-not-found', '--wait=false']);
  removeDir(work);
  closeAgents();
});

describe.each(SCENARIOS.map((s) => [s.kind, s.title, s] as const))('hop %s: %s', (kind, _title, s) => {
  const id = (s.id ?? kind).replace(/[^a-z]/g, '').slice(0, 20);
  const withName = `i26-${id}-w`;
  const withoutName = `i26-${id}-x`;
  let allObjects: Obj[];

  beforeAll(async () => {
    const mine = [...attackerObjects(s, withName, true), ...attackerObjects(s, withoutName, false)];
    apply(mine);
    allObjects = [...baseObjects(), ...mine];
    await waitAllowed(serviceAccountUser(NS, withName), s.settle);
  }, 120_000);

  it('escalations reports the path, with a hop of this kind naming the rule and binding (file:line) that allow it', () => {
    const { file, paths } = offlinePaths(allObjects, { kind: 'ServiceAccount', namespace: NS, name: withName });
    const found = paths.find((p) => nodeKey(p.target) === nodeKey(s.target) && p.hops.some((h) => h.kind === kind));
    expect(found?.hops.map((h) => h.kind)).toContain(kind);
    const hop = found!.hops.find((h) => h.kind === kind)!;
    expect(hop.grants.some((g) => g.binding?.name.startsWith(withName) && g.binding.source?.file === file && g.binding.source.line > 0)).toBe(true);
  });

  it(`the identity performs the hop on the server and then reaches the target${s.serverOnly ? ` (server only: ${s.serverOnly})` : ''}`, async () => {
    const attacker = makeAttacker(withName);
    // Before: the identity itself may not list the Secrets (the target permission).
    expect((await subjectAccessReviews([{ user: serviceAccountUser(NS, withName), request: TARGET }]))[0].allowed).toBe(false);
    const gain = await s.perform(attacker);
    if (gain.token !== undefined) {
      const kubeconfig = tokenKubeconfig(work, `${withName}-gained`, gain.token);
      expect(whoami(kubeconfig)).toBe(`system:serviceaccount:${NS}:${BOSS}`);
      // A SelfSubjectAccessReview with the gained token: the target permission is reached.
      expect(kubectlWith(kubeconfig, ['auth', 'can-i', 'list', 'secrets', '-n', NS]).stdout.trim()).toBe('yes');
    }
    if (s.reached) await s.reached(attacker, gain);
  });

  it('without that one permission the server refuses the hop and escalations no longer reports it', async () => {
    const attacker = makeAttacker(withoutName);
    await expect(s.perform(attacker)).rejects.toThrow(/forbidden|Forbidden|cannot|not permitted|attempting to grant RBAC permissions not currently held|violates PodSecurity/);
    const { paths } = offlinePaths(allObjects, { kind: 'ServiceAccount', namespace: NS, name: withoutName });
    expect(paths.filter((p) => nodeKey(p.target) === nodeKey(s.target) && p.hops.some((h) => h.kind === kind)).map((p) => p.hops.map((h) => h.kind))).toEqual([]);
  });
});

test('the scenarios cover every hop kind of the catalogue', () => {
  const kinds = new Set(SCENARIOS.map((s) => s.kind));
  expect([...kinds].sort()).toEqual(['admission-webhooks', 'bind', 'csr-approve', 'escalate', 'impersonate', 'namespace-modify', 'nodes-proxy', 'persistent-volume-create',
    'pods-ephemeral-containers', 'pods-exec', 'secrets-read', 'serviceaccount-token-create', 'serviceaccount-token-secret-create', 'workload-create']);
});
