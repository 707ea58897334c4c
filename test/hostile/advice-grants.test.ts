/**
 * Issue 24, items 1 to 4, and issue 27 item 4: advice must never grant more than the log shows the
 * authorizer allowed, to anyone. Each test builds the log an attacker (or an unlucky cluster)
 * would produce, runs the advice as users do, and applies its output the way `kubectl apply` would
 * (an object replaces the one of the same kind, namespace and name) before asking the evaluator.
 */
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { AuditOptions, runAudit } from '../../lib/audit';
import { disproveOutput } from '../../lib/audit/advice-proof';
import { authorize, loadPaths, RbacPolicy } from '../../lib/rbac';
import { AccessRequest, UserInfo } from '../../lib/rbac/types';
import { auditEvent, jsonLines, memoryInput, saUser } from '../audit/events';

const ROOT = path.resolve(__dirname, '../..');

type K8sObject = { kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

/** The objects of a multi-document YAML text. */
function objects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml).map((d) => d.toJSON() as K8sObject | null).filter((o): o is K8sObject => o !== null);
}

function key(o: K8sObject): string {
  return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

/** `base` with `advised` applied over it, as kubectl apply does: the last object of a name wins. */
function applied(base: readonly K8sObject[], advised: readonly K8sObject[]): RbacPolicy {
  const byKey = new Map<string, K8sObject>();
  for (const o of [...base, ...advised]) byKey.set(key(o), o);
  return RbacPolicy.fromObjects([...byKey.values()], { bootstrap: true });
}

/** Runs `--advise` (YAML) over `events`; returns stdout, warnings and error. */
async function advise(events: ReadonlyArray<Record<string, unknown> | string>, advice: AuditOptions['advise'] = {}, policy?: RbacPolicy) {
  return runAudit({ logs: [], filter: {}, view: 'advice-yaml', advise: advice }, {
    logs: [memoryInput('audit.log', jsonLines(events), 1 << 16)],
    ...(policy ? { policy } : {}),
  });
}

function sa(namespace: string, name: string): UserInfo {
  return { name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'] };
}

/** An allowed request of a service account (decision logged). */
function allowed(namespace: string, name: string, objectRef: Record<string, unknown> | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return auditEvent({ user: saUser(namespace, name), objectRef, annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' }, ...extra });
}

const secretGet = (ns: string, name: string): AccessRequest => ({ verb: 'get', group: '', resource: 'secrets', name, namespace: ns });

describe('item 3: a request the authorizer never allowed does not become a grant', () => {
  /** No decision annotation (a log of an API server without it, or a cloud's), answered with `code`. */
  const undecided = (code: number, uri: string, objectRef: Record<string, unknown>) => auditEvent({
    user: saUser('dev', 'probe-sa'), annotations: null, requestURI: uri, objectRef,
    responseStatus: { metadata: {}, status: 'Failure', code },
  });
  const rejectedBeforeAuthorization = [
    // 400: Impersonate-Group without Impersonate-User, refused before authorization runs.
    undecided(400, '/api/v1/namespaces/prod/secrets', { resource: 'secrets', namespace: 'prod', apiVersion: 'v1' }),
    // 429: API Priority and Fairness, also before authorization.
    undecided(429, '/api/v1/secrets', { resource: 'secrets', apiVersion: 'v1' }),
  ];

  it('advises nothing from a 400 or a 429, and says why on stderr', async () => {
    const r = await advise(rejectedBeforeAuthorization);
    expect(r.error).toBeUndefined();
    expect(objects(r.stdout)).toEqual([]);
    expect(r.warnings).toContainEqual(expect.stringMatching(/^2 request\(s\) of unknown decision .* were left out of the advice; --include-unknown-decisions advises them as allowed\.$/));
  });

  it('grants them only with --include-unknown-decisions, and says so', async () => {
    const r = await advise(rejectedBeforeAuthorization, { includeUnknownDecisions: true });
    const grants = objects(r.stdout).filter((o) => o.kind.endsWith('Role'));
    expect(grants.map(key)).toEqual(['Role/prod/probe-role', 'ClusterRole//probe-cluster-cr']);
    expect(r.warnings).toContainEqual(expect.stringMatching(/^2 request\(s\) of unknown decision .* were advised as allowed, as --include-unknown-decisions asks/));
  });

  it('still infers allow from a 2xx and forbid from a 403', async () => {
    const ok = undecided(200, '/api/v1/namespaces/dev/configmaps/c', { resource: 'configmaps', namespace: 'dev', name: 'c', apiVersion: 'v1' });
    const r = await advise([ok]);
    expect(objects(r.stdout).map(key)).toEqual(['ClusterRole//probe-cr', 'RoleBinding/dev/probe-rb']);
    expect(r.warnings).toEqual([]);
    const denied = undecided(403, '/api/v1/namespaces/dev/secrets/s', { resource: 'secrets', namespace: 'dev', name: 's', apiVersion: 'v1' });
    const table = await runAudit({ logs: [], filter: {}, view: 'table' }, { logs: [memoryInput('a.log', jsonLines([ok, denied, ...rejectedBeforeAuthorization]))] });
    expect(table.stdout.split('\n').slice(1, 5).map((l) => l.split(/\s{2,}/).slice(5, 7).join(' '))).toEqual(['200 allow?', '403 forbid?', '400 -', '429 -']);
  });
});

describe('item 4: a read of one generated Secret name is not widened to every Secret', () => {
  const reads = (names: readonly string[]) => names.map((n) => allowed('dev', 'app-sa', { resource: 'secrets', namespace: 'dev', name: n, apiVersion: 'v1' }, { requestURI: `/api/v1/namespaces/dev/secrets/${n}` }));

  it('keeps the name, generated or not, and however many (the old advice: get on every Secret of dev)', async () => {
    const many = Array.from({ length: 12 }, (_v, i) => `db-${i}`);
    const r = await advise(reads(['app-token-x7k2p', ...many]));
    const role = objects(r.stdout).find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], resourceNames: ['app-token-x7k2p', ...many].sort(), verbs: ['get'] }]);
    const policy = applied([], objects(r.stdout));
    expect(authorize(policy, sa('dev', 'app-sa'), secretGet('dev', 'app-token-x7k2p')).allowed).toBe(true);
    expect(authorize(policy, sa('dev', 'app-sa'), secretGet('dev', 'other')).allowed).toBe(false);
  });

  it('widens only with --widen-sensitive-names, printed as a RISK with the reason', async () => {
    const r = await advise(reads(['app-token-x7k2p']), { widenSensitiveNames: true });
    const role = objects(r.stdout).find((o) => o.kind === 'ClusterRole')!;
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
    expect(r.stdout).toContain('# RISK: rule 1 of ClusterRole "app-cr" carries "names-widened"; narrow it if you can.');
    expect(r.stdout).toMatch(/# NOTE: rule 1 of ClusterRole "app-cr": no resourceNames for get secrets: "app-token-x7k2p" are generated names "app-token-\*", .*--widen-sensitive-names dropped them/);
  });

  it('still collapses generated names of other resources (pods of a rollout)', async () => {
    const r = await advise([allowed('dev', 'app-sa', { resource: 'pods', namespace: 'dev', name: 'web-7c5ddbdf54-x2k9p', apiVersion: 'v1' })]);
    expect(objects(r.stdout).find((o) => o.kind === 'ClusterRole')!.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  });
});

describe('item 1: names are unique across subjects, and the whole output is proven as applied', () => {
  // ops:x-sa: a get in ops and a cluster-wide list, so base "x" gives x-cr, x-rb and x-cluster-cr, x-crb;
  // zzz:x-cluster-sa: one Secret in zzz, so base "x-cluster" gives x-cluster-cr, x-cluster-rb.
  const log = [
    allowed('ops', 'x-sa', { resource: 'configmaps', namespace: 'ops', name: 'c', apiVersion: 'v1' }),
    allowed('ops', 'x-sa', { resource: 'configmaps', apiVersion: 'v1' }, { verb: 'list', requestURI: '/api/v1/configmaps' }),
    allowed('zzz', 'x-cluster-sa', { resource: 'secrets', namespace: 'zzz', name: 'db-password', apiVersion: 'v1' }, { requestURI: '/api/v1/namespaces/zzz/secrets/db-password' }),
  ];

  it('no two objects of the output share kind, namespace and name (was: ClusterRole x-cluster-cr twice)', async () => {
    const r = await advise(log);
    expect(r.error).toBeUndefined();
    const keys = objects(r.stdout).map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('ClusterRole//x-cluster-cr');
    expect(keys).toContain('ClusterRole//zzz-x-cluster-cr');
  });

  it('applied as a whole, each subject keeps its access and gains nothing of the other', async () => {
    const policy = applied([], objects((await advise(log)).stdout));
    const ops = sa('ops', 'x-sa');
    expect(authorize(policy, ops, { verb: 'get', group: '', resource: 'configmaps', name: 'c', namespace: 'ops' }).allowed).toBe(true);
    expect(authorize(policy, ops, { verb: 'list', group: '', resource: 'configmaps', namespace: 'any' }).allowed).toBe(true);
    expect(authorize(policy, ops, secretGet('zzz', 'db-password')).allowed).toBe(false);
    expect(authorize(policy, ops, secretGet('ops', 'db-password')).allowed).toBe(false);
    expect(authorize(policy, sa('zzz', 'x-cluster-sa'), secretGet('zzz', 'db-password')).allowed).toBe(true);
    expect(authorize(policy, sa('zzz', 'x-cluster-sa'), secretGet('other', 'db-password')).allowed).toBe(false);
  });

  it('the proof refuses an output whose objects collide, naming both subjects', () => {
    const subject = (ns: string, name: string) => ({ kind: 'ServiceAccount' as const, name, namespace: ns, username: `system:serviceaccount:${ns}:${name}` });
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'same' }, rules: [] };
    const problems = disproveOutput(RbacPolicy.fromObjects([], { bootstrap: false }), [
      { subject: subject('a', 'a-sa'), user: sa('a', 'a-sa'), objects: [role], allowed: [] },
      { subject: subject('b', 'b-sa'), user: sa('b', 'b-sa'), objects: [role], allowed: [] },
    ]);
    expect(problems).toEqual(['ClusterRole//same is advised for both "system:serviceaccount:a:a-sa" and "system:serviceaccount:b:b-sa"']);
  });
});

describe('item 2: advice never redefines a role that others are bound to', () => {
  const manifests = path.join(ROOT, 'examples/log-exporter/dist');
  const load = () => RbacPolicy.fromLoadResult(loadPaths([manifests]));
  const baseObjects = () => objects(require('fs').readFileSync(path.join(manifests, 'log-exporter.k8s.yaml'), 'utf8'));
  const teamA = [
    allowed('team-a', 'log-exporter-sa', { resource: 'secrets', apiVersion: 'v1' }, { verb: 'list', requestURI: '/api/v1/secrets' }),
  ];

  it('uses a new name for team-a:log-exporter-sa, and log-exporter:log-exporter-sa gains nothing when applied', async () => {
    const r = await advise(teamA, {}, load());
    expect(r.error).toBeUndefined();
    const advised = objects(r.stdout);
    expect(advised.map(key)).not.toContain('ClusterRole//log-exporter-cr');
    const policy = applied(baseObjects(), advised);
    const other = sa('log-exporter', 'log-exporter-sa');
    expect(authorize(policy, other, { verb: 'list', group: '', resource: 'secrets', namespace: 'x' }).allowed).toBe(false);
    expect(authorize(policy, other, { verb: 'list', group: '', resource: 'pods', namespace: 'x' }).allowed).toBe(true);
    expect(authorize(policy, sa('team-a', 'log-exporter-sa'), { verb: 'list', group: '', resource: 'secrets', namespace: 'x' }).allowed).toBe(true);
  });

  it('still replaces a role only its own subject is bound to: the walkthrough advice is what dist/ ships', async () => {
    const dist = path.join(ROOT, 'dist');
    const r = await advise([allowed('dev', 'secret-access-sa', { resource: 'secrets', namespace: 'dev', name: 'api-access-secret', apiVersion: 'v1' })], {}, RbacPolicy.fromLoadResult(loadPaths([dist])));
    expect(objects(r.stdout).map(key)).toEqual(['ClusterRole//secret-access-cr', 'RoleBinding/dev/secret-access-rb']);
  });
});

describe('issue 27 item 4: a member of system:masters gets no grant, and one sentence why', () => {
  it('says once that the privileged-group authorizer allows everything, and proposes nothing', async () => {
    const admin = (uri: string, objectRef: Record<string, unknown> | null) => auditEvent({
      user: { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:masters', 'system:authenticated'] },
      requestURI: uri, objectRef, annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    });
    const r = await advise([admin('/api', null), admin('/api/v1/namespaces/dev/secrets/s', { resource: 'secrets', namespace: 'dev', name: 's', apiVersion: 'v1' })]);
    expect(r.error).toBeUndefined();
    expect(objects(r.stdout)).toEqual([]);
    expect(r.stdout.match(/privileged-group authorizer/g)).toHaveLength(1);
    expect(r.stdout).toContain('# No grant for kubernetes-admin: it is in the group "system:masters"');
    const ts = await runAudit({ logs: [], filter: {}, view: 'advice-typescript', advise: {} }, { logs: [memoryInput('a.log', jsonLines([admin('/api', null)]))] });
    expect(ts.stdout).toContain('// No grant for kubernetes-admin: it is in the group "system:masters"');
    expect(ts.stdout).not.toMatch(/new AccessRole|new ReaderIdentity/);
  });
});
