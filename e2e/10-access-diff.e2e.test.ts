/**
 * The access diff (`api-reader diff`, lib/rbac/diff) against the real API server: a base set of
 * `i25-*` roles and bindings is applied on top of what the cluster holds, the server's
 * SubjectAccessReview answers are recorded over a question space (every i25 subject x verbs x
 * resources x names x namespaces, plus URLs); then the head (a binding renamed, a binding removed,
 * a rule changed, a role aggregated in, a wildcard in a namespace, a new subject) is applied and
 * the answers are recorded again. The diff, computed offline from the cluster's dump plus the base
 * and head files, must predict exactly which answers changed and in which direction: nothing more,
 * nothing less.
 *
 * Everything the test creates is named `i25-*` (namespaces `i25-a`, `i25-b`; cluster objects
 * labelled `app.kubernetes.io/part-of=i25-access-diff`) and deleted again afterwards.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AccessRequest, authorize, classifyRequest, diffAccess, LoadResult, mergeLoadResults, parseManifests, RbacPolicy, UserInfo,
} from '../lib/rbac';
import { diffSubjects } from '../lib/rbac/diff/grants';
import { closeAgents, kubectl, kubectlOk } from './support/kube';
import { asSent, describeRequest } from './support/queries';
import { sleep } from './support/run';
import { SarAnswer, subjectAccessReviews } from './support/sar';
import { REPO_ROOT } from './support/state';

const CONCURRENCY = Number(process.env.E2E_SAR_CONCURRENCY ?? 16);
const OUTPUT = path.join(REPO_ROOT, 'e2e', '.output', 'access-diff');
const PART_OF = 'i25-access-diff';
const RB = 'rbac.authorization.k8s.io';
const NAMESPACES = ['i25-a', 'i25-b'];

function log(message: string): void {
  process.stderr.write(`[access-diff] ${message}\n`);
}

type Obj = Record<string, unknown>;
const meta = (name: string, namespace?: string, labels: Record<string, string> = {}) =>
  ({ name, ...(namespace ? { namespace } : {}), labels: { 'app.kubernetes.io/part-of': PART_OF, ...labels } });
const clusterRole = (name: string, rules: unknown[], labels?: Record<string, string>): Obj => ({ apiVersion: `${RB}/v1`, kind: 'ClusterRole', metadata: meta(name, undefined, labels), rules });
const aggregated = (name: string): Obj => ({
  apiVersion: `${RB}/v1`, kind: 'ClusterRole', metadata: meta(name),
  aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'i25.example.com/aggregate': 'true' } }] }, rules: [],
});
const role = (name: string, namespace: string, rules: unknown[]): Obj => ({ apiVersion: `${RB}/v1`, kind: 'Role', metadata: meta(name, namespace), rules });
const ref = (kind: string, name: string) => ({ apiGroup: RB, kind, name });
const roleBinding = (name: string, namespace: string, roleRef: Obj, subjects: unknown[]): Obj =>
  ({ apiVersion: `${RB}/v1`, kind: 'RoleBinding', metadata: meta(name, namespace), roleRef, subjects });
const clusterBinding = (name: string, roleName: string, subjects: unknown[]): Obj =>
  ({ apiVersion: `${RB}/v1`, kind: 'ClusterRoleBinding', metadata: meta(name), roleRef: ref('ClusterRole', roleName), subjects });
const sa = (name: string, namespace = 'i25-a') => ({ kind: 'ServiceAccount', name, namespace });
const user = (name: string) => ({ kind: 'User', name, apiGroup: RB });
const group = (name: string) => ({ kind: 'Group', name, apiGroup: RB });
const namespaces = NAMESPACES.map((n): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: meta(n) }));

const shared = [
  ...namespaces,
  clusterRole('i25-pods-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]),
  aggregated('i25-agg'),
  clusterRole('i25-agg-part1', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['x'], verbs: ['get'] }], { 'i25.example.com/aggregate': 'true' }),
  clusterBinding('i25-crb-agg', 'i25-agg', [group('i25-devs')]),
  clusterBinding('i25-crb-urls', 'i25-urls', [user('i25-alice')]),
];

const BASE: Obj[] = [
  ...shared,
  clusterRole('i25-urls', [{ verbs: ['get'], nonResourceURLs: ['/i25/*'] }]),
  clusterRole('i25-wild', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]),
  roleBinding('i25-rb-pods', 'i25-a', ref('ClusterRole', 'i25-pods-reader'), [sa('i25-app'), user('i25-alice')]),
  roleBinding('i25-rb-wild', 'i25-b', ref('ClusterRole', 'i25-wild'), [sa('i25-app')]),
  role('i25-exec', 'i25-a', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] }]),
  roleBinding('i25-rb-exec', 'i25-a', ref('Role', 'i25-exec'), [sa('i25-ops')]),
];

const HEAD: Obj[] = [
  ...shared,
  // A rule changed: /i25 exactly instead of everything under /i25/.
  clusterRole('i25-urls', [{ verbs: ['get', 'post'], nonResourceURLs: ['/i25', '/healthz/*'] }]),
  // A wildcard widened: every core resource too (but a RoleBinding never reaches nodes).
  clusterRole('i25-wild', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }, { apiGroups: [''], resources: ['*'], verbs: ['get'] }]),
  // Renamed, same access.
  roleBinding('i25-rb-pods-renamed', 'i25-a', ref('ClusterRole', 'i25-pods-reader'), [sa('i25-app'), user('i25-alice')]),
  roleBinding('i25-rb-wild', 'i25-b', ref('ClusterRole', 'i25-wild'), [sa('i25-app')]),
  // Aggregated in: the group gains it through i25-agg.
  clusterRole('i25-agg-part2', [
    { apiGroups: [''], resources: ['namespaces'], resourceNames: ['i25-a'], verbs: ['delete'] },
    { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['escalate'] },
  ], { 'i25.example.com/aggregate': 'true' }),
  // A new subject; i25-ops loses its exec (binding and role removed).
  roleBinding('i25-rb-bob', 'i25-a', ref('ClusterRole', 'i25-wild'), [user('i25-bob')]),
];

const VERBS = ['get', 'list', 'create', 'delete', 'escalate', 'frobnicate'];
const TARGETS: ReadonlyArray<{ group?: string; resource: string; subresource?: string }> = [
  { resource: 'pods' }, { resource: 'pods', subresource: 'exec' }, { resource: 'secrets' }, { resource: 'configmaps' },
  { group: 'apps', resource: 'deployments' }, { resource: 'nodes' }, { resource: 'namespaces' }, { group: 'example.com', resource: 'widgets' },
];
const NAMES = [undefined, 'x', 'i25-a'];
const REQUEST_NAMESPACES = ['i25-a', 'i25-b', 'i25-c', ''];
const URLS = ['/i25', '/i25/x', '/healthz', '/healthz/etcd', '/metrics'];

interface Question { readonly key: string; readonly user: UserInfo; readonly request: AccessRequest }

/**
 * Every question, each as the real API request carries it (`asSent`: no namespace on a
 * cluster-scoped resource, the name as the namespace of `namespaces/NAME`), deduplicated.
 */
function questions(subjects: ReadonlyArray<{ key: string; user: UserInfo }>, policy: RbacPolicy): Question[] {
  const out: Question[] = [];
  const seen = new Set<string>();
  for (const s of subjects) {
    for (const verb of VERBS) {
      for (const t of TARGETS) {
        for (const name of NAMES) {
          for (const namespace of REQUEST_NAMESPACES) {
            const request = asSent(policy, { verb, ...t, ...(name ? { name } : {}), namespace });
            const id = `${s.key} ${JSON.stringify(request)}`;
            if (!seen.has(id)) out.push({ key: s.key, user: s.user, request });
            seen.add(id);
          }
        }
      }
    }
    for (const p of URLS) for (const verb of ['get', 'post']) out.push({ key: s.key, user: s.user, request: { verb, path: p } });
  }
  return out;
}

function listOf(items: readonly Obj[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 1);
}

function removeAll(): void {
  kubectl(['delete', 'clusterrolebindings,clusterroles', '-l', `app.kubernetes.io/part-of=${PART_OF}`, '--ignore-not-found', '--wait=true']);
  kubectl(['delete', 'namespace', ...NAMESPACES, '--ignore-not-found', '--wait=false']);
}

/**
 * Applies `objects` (deleting the i25 objects of `previous` that are gone) and waits, at most a
 * minute, until the server's informers have caught up: every answer equals the evaluator's for
 * `policy` (the evaluator is proven equal to the server by 04, 09 and 09b); returns the server's answers.
 */
async function applyAndRecord(objects: readonly Obj[], previous: readonly Obj[], policy: RbacPolicy, qs: readonly Question[], label: string): Promise<SarAnswer[]> {
  const names = new Set(objects.map((o) => `${String(o.kind)}/${JSON.stringify(o.metadata)}`));
  for (const gone of previous.filter((o) => !names.has(`${String(o.kind)}/${JSON.stringify(o.metadata)}`))) {
    const m = gone.metadata as { name: string; namespace?: string };
    kubectlOk(['delete', String(gone.kind).toLowerCase(), m.name, ...(m.namespace ? ['-n', m.namespace] : []), '--ignore-not-found']);
  }
  kubectlOk(['apply', '-f', '-'], { input: listOf(objects) });
  const expected = qs.map((q) => authorize(policy, q.user, q.request).allowed);
  const deadline = Date.now() + 60_000;
  let answers = await subjectAccessReviews(qs, CONCURRENCY);
  let pending = answers.filter((a, i) => a.allowed !== expected[i]).length;
  while (pending > 0 && Date.now() < deadline) {
    await sleep(500);
    answers = await subjectAccessReviews(qs, CONCURRENCY);
    pending = answers.filter((a, i) => a.allowed !== expected[i]).length;
  }
  log(`${label}: ${qs.length} questions, server allowed ${answers.filter((a) => a.allowed).length}; ${pending} answers still differ from the evaluator after waiting`);
  return answers;
}

describe('api-reader diff predicts exactly what a change does on the real server', () => {
  let qs: Question[] = [];
  let before: SarAnswer[] = [];
  let after: SarAnswer[] = [];
  let diff: ReturnType<typeof diffAccess>;

  beforeAll(async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    removeAll();
    // What the cluster holds besides our objects (dist/, the examples, other tests), as a live dump.
    const dumpText = kubectlOk(['get', 'clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts', '-A', '-o', 'json']).stdout;
    fs.writeFileSync(path.join(OUTPUT, 'base.json'), listOf(BASE));
    fs.writeFileSync(path.join(OUTPUT, 'head.json'), listOf(HEAD));
    const dump = parseManifests(dumpText, 'cluster-dump.json');
    const side = (file: string): { policy: RbacPolicy; load: LoadResult } => {
      const load = mergeLoadResults([dump, parseManifests(fs.readFileSync(path.join(OUTPUT, file), 'utf8'), file)]);
      return { policy: RbacPolicy.fromLoadResult(load, { bootstrap: false, validate: false }), load };
    };
    const base = side('base.json');
    const head = side('head.json');
    diff = diffAccess(base, head);
    const subjects = diffSubjects([base.policy, head.policy]).filter((s) => s.key.includes('i25-'));
    qs = questions(subjects, head.policy);
    log(`subjects: ${subjects.map((s) => s.key).join(', ')}`);
    before = await applyAndRecord(BASE, [], base.policy, qs, 'base');
    after = await applyAndRecord(HEAD, BASE, head.policy, qs, 'head');
  }, 600_000);

  afterAll(() => {
    removeAll();
    closeAgents();
  });

  it('asks enough questions of enough subjects, and the change moves answers both ways', () => {
    expect(new Set(qs.map((q) => q.key)).size).toBeGreaterThanOrEqual(5);
    const gained = qs.filter((_, i) => after[i].allowed && !before[i].allowed).length;
    const lost = qs.filter((_, i) => before[i].allowed && !after[i].allowed).length;
    log(`${qs.length} questions per side: the server's answers changed for ${gained} (gained) + ${lost} (lost)`);
    expect(gained).toBeGreaterThan(20);
    expect(lost).toBeGreaterThan(5);
  });

  it('classifies every question as the server\'s two answers do: gained, lost or unchanged', () => {
    const wrong: string[] = [];
    qs.forEach((q, i) => {
      const server = after[i].allowed && !before[i].allowed ? 'gained' : before[i].allowed && !after[i].allowed ? 'lost' : 'unchanged';
      const predicted = classifyRequest(diff, q.key, q.request) ?? 'unchanged';
      if (server !== predicted) wrong.push(`${q.key}: ${describeRequest(q.request)}: server ${server} (before ${before[i].allowed}, after ${after[i].allowed}), diff ${predicted}`);
    });
    fs.writeFileSync(path.join(OUTPUT, 'report.json'), JSON.stringify({ diff, wrong }, null, 1));
    if (wrong.length > 0) throw new Error(`${wrong.length} of ${qs.length} predictions are wrong:\n${wrong.slice(0, 40).join('\n')}`);
  });

  it('reports no change for the renamed binding, and names the new and the losing subjects', () => {
    const keys = diff.subjects.map((s) => s.subject.key);
    expect(keys).toEqual(expect.arrayContaining(['User:i25-bob', 'ServiceAccount:i25-a/i25-ops', 'Group:i25-devs', 'User:i25-alice', 'ServiceAccount:i25-a/i25-app']));
    const alice = diff.subjects.find((s) => s.subject.key === 'User:i25-alice')!;
    expect([...alice.gained, ...alice.lost].every((c) => c.kind === 'url')).toBe(true);
    const ops = diff.subjects.find((s) => s.subject.key === 'ServiceAccount:i25-a/i25-ops')!;
    expect(ops.gained).toEqual([]);
    expect(ops.lost[0].grantedBy[0].binding).toBe('RoleBinding "i25-rb-exec/i25-a" of Role "i25-exec" to ServiceAccount "i25-ops/i25-a"');
  });
});
