/**
 * Issue 23, judged by the server: which request the evaluator answers (items 1, 2), which APIs a
 * default server serves (item 3), what it refuses to store (item 4), and how it reads `--as` (item 6).
 *
 * Each row puts our answer next to the server's: a SubjectAccessReview with the attributes we
 * evaluate, the real request where there is one (`kubectl get nodes`, a server-side dry-run create of a
 * RoleBinding, which runs the RBAC storage's bind and escalation checks), and `kubectl auth can-i`
 * itself, whose answer must be the one our "kubectl auth can-i would answer ..." line predicts.
 * Objects live in namespaces `i23-a`, `i23-b` and are labelled `e2e.i23=1`; all are deleted afterwards.
 */
import {
  authorize, buildRequest, impersonatedUser, loadPaths, mergeLoadResults, parseManifests, RbacPolicy, requestNamespace,
  servedApiResourcesFor, validateRbacObject,
} from '../lib/rbac';
import { authorizeAttributes } from '../lib/rbac/evaluate';
import { kubectlCanIAttributes } from '../lib/rbac/request';
import { closeAgents, kubectl, kubectlOk } from './support/kube';
import { distFiles, exampleFiles, fixtureFiles } from './support/manifests';
import { describeRun, waitFor } from './support/run';
import { subjectAccessReviews } from './support/sar';

const A = 'i23-a';
const B = 'i23-b';
const LABEL = 'e2e.i23=1';

/** A Role (or ClusterRole, without `namespace`) and its binding to one user, labelled for clean-up. */
function grant(name: string, namespace: string | undefined, rules: string, userName: string, roleRef = namespace ? 'Role' : 'ClusterRole', bindingNamespace = namespace): string {
  const meta = (ns: string | undefined) => `metadata: {name: ${name}, ${ns ? `namespace: ${ns}, ` : ''}labels: {e2e.i23: "1"}}`;
  const role = rules ? `apiVersion: rbac.authorization.k8s.io/v1\nkind: ${roleRef}\n${meta(namespace)}\nrules: ${rules}\n---\n` : '';
  return `${role}apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n${meta(bindingNamespace)}\n`
    + `roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleRef}, name: ${rules ? name : 'admin'}}\n`
    + `subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: ${userName}}]\n`;
}

const MANIFEST = [
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${A}, labels: {e2e.i23: "1"}}\n`,
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${B}, labels: {e2e.i23: "1"}}\n`,
  grant('i23-binder', A, '[{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [view]}, '
    + '{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]', 'i23-erin'),
  grant('i23-creator', B, '[{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}]', 'i23-erin'),
  grant('i23-reader', A, '[{apiGroups: [apps], resources: [deployments], verbs: [get]}, {apiGroups: [""], resources: [secrets], verbs: [get]}, '
    + '{apiGroups: [i23.example.com], resources: [widgets], verbs: [get]}]', 'i23-dora'),
  grant('i23-node-reader', undefined, '[{apiGroups: [""], resources: [nodes], verbs: [list]}]', 'i23-dora', 'ClusterRole', A),
  grant('i23-admin', undefined, '', 'i23-val', 'ClusterRole', B),
].join('---\n');

const policy = RbacPolicy.fromLoadResult(mergeLoadResults([loadPaths([...distFiles(), ...exampleFiles(), ...fixtureFiles()]), parseManifests(MANIFEST, 'i23.yaml')]));
const user = (name: string) => impersonatedUser(name);

function log(message: string): void {
  process.stderr.write(`[kubectl-fidelity] ${message}\n`);
}

/** `kubectl auth can-i ARGS --as AS`: true for "yes" (exit 0), false for "no" (exit 1). */
function kubectlCanI(args: string[], as: string): boolean {
  const r = kubectl(['auth', 'can-i', ...args, '--as', as]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`kubectl auth can-i failed:\n${describeRun(r)}`);
  return r.stdout.trim() === 'yes';
}

/** Ours for `can-i VERB TARGET -n NS`, the server's SubjectAccessReview of the same attributes, kubectl's answer and our prediction of it. */
async function row(verb: string, target: string, namespace: string, as: string) {
  const request = buildRequest(verb, target, { namespace });
  const ours = authorize(policy, user(as), request).allowed;
  const sent = 'path' in request ? request : { ...request, namespace: requestNamespace(request, policy) };
  const [sar] = await subjectAccessReviews([{ user: user(as), request: sent }]);
  const predicted = authorizeAttributes(policy, user(as), kubectlCanIAttributes(request, target)).allowed;
  const kubectlSays = kubectlCanI([verb, target, ...(namespace ? ['-n', namespace] : ['-A'])], as);
  log(`${as}: ${verb} ${target} -n ${namespace || '(all)'}: ours ${ours}, server ${sar.allowed}; kubectl auth can-i ${kubectlSays}, predicted ${predicted}`);
  return { ours, server: sar.allowed, kubectl: kubectlSays, predicted };
}

beforeAll(async () => {
  // A previous run's namespaces may still be terminating: wait for them to go before creating them again.
  kubectl(['delete', 'namespace', A, B, '--ignore-not-found', '--wait=true', '--timeout=180s'], { timeoutMs: 200_000 });
  kubectlOk(['apply', '-f', '-'], { input: MANIFEST });
  // The RBAC informers catch up: wait until the server allows what the last objects grant.
  await waitFor('the i23 RoleBindings to reach the authorizer', async () => {
    const got = await subjectAccessReviews([
      { user: user('i23-val'), request: { verb: 'get', resource: 'namespaces', name: B, namespace: B } },
      { user: user('i23-dora'), request: { verb: 'get', group: 'i23.example.com', resource: 'widgets', namespace: A } },
      { user: user('i23-erin'), request: { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespace: B } },
    ]);
    return got.every((g) => g.allowed) ? true : undefined;
  });
});

afterAll(() => {
  kubectl(['delete', 'namespace', A, B, '--ignore-not-found', '--wait=false']);
  kubectl(['delete', 'clusterrole', '-l', LABEL, '--ignore-not-found']);
  closeAgents();
});

describe('item 1: the request the evaluator answers', () => {
  it('bind clusterroles/view is checked in the binding\'s namespace: a real RoleBinding create (server-side dry run) succeeds in i23-a, fails in i23-b', async () => {
    const create = (ns: string) => kubectl(['create', 'rolebinding', 'i23-probe', '--clusterrole', 'view', '--user', 'i23-nobody', '-n', ns, '--as', 'i23-erin', '--dry-run=server', '-o', 'name']);
    const inA = create(A);
    const inB = create(B);
    const a = await row('bind', 'clusterroles/view', A, 'i23-erin');
    const b = await row('bind', 'clusterroles/view', B, 'i23-erin');
    expect({ realCreateA: inA.code === 0, oursA: a.ours, sarA: a.server }).toEqual({ realCreateA: true, oursA: true, sarA: true });
    expect(inB.stderr).toMatch(/forbidden/i);
    expect({ realCreateB: inB.code === 0, oursB: b.ours, sarB: b.server }).toEqual({ realCreateB: false, oursB: false, sarB: false });
  });

  it('list nodes -n i23-a: the real request (kubectl get nodes) is forbidden, as we answer; kubectl auth can-i says yes, as our line predicts', async () => {
    const real = kubectl(['get', 'nodes', '--as', 'i23-dora', '-o', 'name']);
    const r = await row('list', 'nodes', A, 'i23-dora');
    expect(real.stderr).toMatch(/forbidden/i);
    expect({ ours: r.ours, sar: r.server, kubectl: r.kubectl, predicted: r.predicted }).toEqual({ ours: false, sar: false, kubectl: true, predicted: true });
  });

  it('get namespaces/i23-b -n i23-a: the real request (kubectl get namespace i23-b) is allowed, as we answer; kubectl auth can-i says no, as predicted', async () => {
    const real = kubectl(['get', 'namespace', B, '--as', 'i23-val', '-o', 'name']);
    const r = await row('get', `namespaces/${B}`, A, 'i23-val');
    expect(real.code).toBe(0);
    expect({ ours: r.ours, sar: r.server, kubectl: r.kubectl, predicted: r.predicted }).toEqual({ ours: true, sar: true, kubectl: false, predicted: false });
  });

  it('an unserved RESOURCE.GROUP (widgets.i23.example.com): we answer for group i23.example.com, as the server does; kubectl sends it unsplit and says no, as predicted', async () => {
    const r = await row('get', 'widgets.i23.example.com', A, 'i23-dora');
    expect({ ours: r.ours, sar: r.server, kubectl: r.kubectl, predicted: r.predicted }).toEqual({ ours: true, sar: true, kubectl: false, predicted: false });
  });
});

describe('item 2: kubectl\'s resource spellings', () => {
  it.each(['deploy.apps', 'deployment.apps', 'deployments.v1.apps', 'deploy.v1.apps', 'secrets.v1.', 'Deployments.Apps'])('%s: ours, the server and kubectl auth can-i all say yes', async (target) => {
    const r = await row('get', target, A, 'i23-dora');
    expect({ ours: r.ours, sar: r.server, kubectl: r.kubectl }).toEqual({ ours: true, sar: true, kubectl: true });
  });
});

describe('item 3: the APIs a default server serves', () => {
  it('discovery of the built-in API groups equals servedApiResourcesFor("1.35")', () => {
    const raw = (url: string) => JSON.parse(kubectlOk(['get', '--raw', url]).stdout);
    const crdGroups = new Set((raw('/apis/apiextensions.k8s.io/v1/customresourcedefinitions').items as Array<{ spec: { group: string } }>).map((c) => c.spec.group));
    const aggregated = new Set((raw('/apis/apiregistration.k8s.io/v1/apiservices').items as Array<{ spec: { group: string; service?: unknown } }>).filter((a) => a.spec.service).map((a) => a.spec.group));
    const live = new Set<string>();
    for (const r of raw('/api/v1').resources as Array<{ name: string }>) if (!r.name.includes('/')) live.add(`${r.name}.`);
    for (const g of raw('/apis').groups as Array<{ name: string; versions: Array<{ groupVersion: string }> }>) {
      if (crdGroups.has(g.name) || aggregated.has(g.name)) continue;
      for (const v of g.versions) for (const r of raw(`/apis/${v.groupVersion}`).resources as Array<{ name: string }>) if (!r.name.includes('/')) live.add(`${r.name}.${g.name}`);
    }
    const ours = new Set(servedApiResourcesFor('1.35').map((r) => `${r.resource}.${r.group}`));
    const missing = [...live].filter((x) => !ours.has(x)).sort();
    const extra = [...ours].filter((x) => !live.has(x)).sort();
    log(`discovery: ${live.size} built-in resources; ours ${ours.size}; missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
    expect({ missing, extra }).toEqual({ missing: [], extra: [] });
  });
});

describe('item 4: what the server refuses to store, and what it accepts', () => {
  const role = (name: string, extra: string, apiVersion = 'rbac.authorization.k8s.io/v1') => `apiVersion: ${apiVersion}\nkind: ClusterRole\nmetadata:\n  name: ${name}\n  labels: {e2e.i23: "1"}\n${extra}`;
  it.each<[string, string, boolean]>([
    ['aggregationRule.clusterRoleSelectors: []', role('i23-agg-empty', 'aggregationRule: {clusterRoleSelectors: []}\n'), false],
    ['a matchExpressions In without values', role('i23-agg-in', 'aggregationRule:\n  clusterRoleSelectors: [{matchExpressions: [{key: a, operator: In}]}]\n'), false],
    ['a matchExpressions NotIn without values', role('i23-agg-notin', 'aggregationRule:\n  clusterRoleSelectors: [{matchExpressions: [{key: a, operator: NotIn, values: []}]}]\n'), false],
    ['rbac.authorization.k8s.io/v1beta1', role('i23-beta', 'rules: []\n', 'rbac.authorization.k8s.io/v1beta1'), false],
    ['a valid aggregated role (control)', role('i23-agg-ok', 'aggregationRule:\n  clusterRoleSelectors: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]\n'), true],
  ])('%s: stored by the server = accepted by us', (_name, yaml, expected) => {
    const server = kubectl(['apply', '--dry-run=server', '-f', '-'], { input: yaml });
    const load = parseManifests(yaml, 'row.yaml');
    const ours = load.objects.every((o) => validateRbacObject(o.object).length === 0);
    log(`${_name}: server exit ${server.code} ${server.stderr.trim().split('\n')[0] ?? ''}; ours ${ours ? 'accepts' : 'refuses'}`);
    expect({ server: server.code === 0, ours }).toEqual({ server: expected, ours: expected });
  });

  it('a duplicated mapping key: the server stores the last value, and so do we', () => {
    const yaml = role('i23-dup', 'rules: []\n').replace('  labels: {e2e.i23: "1"}\n', '  labels:\n    e2e.i23: "1"\n    i23-dup: first\n    i23-dup: last\n');
    const server = kubectl(['apply', '--dry-run=server', '-o', 'json', '-f', '-'], { input: yaml });
    expect(server.code).toBe(0);
    const stored = JSON.parse(server.stdout) as { metadata: { labels: Record<string, string> } };
    const ours = parseManifests(yaml, 'dup.yaml');
    expect({ server: stored.metadata.labels['i23-dup'], ours: ours.objects[0].object.metadata?.labels?.['i23-dup'], warned: (ours.warnings ?? []).length })
      .toEqual({ server: 'last', ours: 'last', warned: 1 });
  });
});

describe('item 6: arguments kubectl accepts', () => {
  it.each(['system:serviceaccount:i23-a:Bad_Name', 'system:serviceaccount:i23-a:UPPER', 'system:serviceaccount:a:b:c'])('--as %s: the server\'s user info equals ours', (as) => {
    const r = kubectl(['auth', 'whoami', '--as', as, '-o', 'json']);
    expect(r.code).toBe(0);
    const info = (JSON.parse(r.stdout) as { status: { userInfo: { username: string; groups?: string[] } } }).status.userInfo;
    expect({ name: info.username, groups: info.groups ?? [] }).toEqual(impersonatedUser(as));
  });

  it('-n X -A: kubectl lets -A win, as we do', async () => {
    const kubectlSays = kubectlCanI(['get', 'deployments.apps', '-n', A, '-A'], 'i23-dora');
    const ours = authorize(policy, user('i23-dora'), buildRequest('get', 'deployments.apps', { namespace: '' })).allowed;
    expect({ kubectl: kubectlSays, ours }).toEqual({ kubectl: false, ours: false });
  });
});
