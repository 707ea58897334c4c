/**
 * Compares the bundled bootstrap policy of a release (`bootstrapPolicyFor`) with the RBAC objects a
 * real kube-apiserver holds with the label `kubernetes.io/bootstrapping=rbac-defaults`: the same set
 * of (kind, namespace, name), and for each the same labels, annotations, rules, aggregationRule,
 * roleRef and subjects. Server-set metadata (uid, resourceVersion, creationTimestamp,
 * managedFields, ...) is ignored. Aggregated ClusterRoles (admin, edit, view, ...) are compared
 * after aggregation: the server's rules (filled in by the clusterrole-aggregation controller) with
 * the rules our policy aggregates, as a set (the controller's rule order is its own).
 */
import { bootstrapPolicyFor, ClusterRole, RbacPolicy } from '../../lib/rbac';

export interface BootstrapDifference {
  /** `ClusterRole system:foo`, `Role kube-system/extension-apiserver-authentication-reader`. */
  readonly object: string;
  /** What differs, in full. */
  readonly detail: string;
}

export interface BootstrapComparison {
  readonly counts: Record<string, { server: number; ours: number }>;
  readonly aggregated: string[];
  readonly differences: BootstrapDifference[];
}

/** An RBAC object as the server lists it. */
export type Obj = Record<string, unknown> & {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
};

const keyOf = (o: Obj): string => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Drops undefined and empty arrays/objects (the server omits them) so `rules: [{resourceNames: []}]` equals a rule without. */
function clean(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(clean);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = clean((v as Record<string, unknown>)[k]);
      if (x === undefined || (Array.isArray(x) && x.length === 0) || (typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 0)) continue;
      out[k] = x;
    }
    return out;
  }
  return v;
}

const json = (v: unknown): string => JSON.stringify(clean(v) ?? null);
const ruleSet = (rules: unknown): string[] => [...new Set(((rules as unknown[] | undefined) ?? []).map(json))].sort();

/** The fields compared: what RBAC and the bootstrap reconciler care about, no server-set metadata. */
function essence(o: Obj): Record<string, unknown> {
  return clean({
    labels: o.metadata.labels,
    annotations: o.metadata.annotations,
    rules: o.rules,
    aggregationRule: o.aggregationRule,
    roleRef: o.roleRef,
    subjects: o.subjects,
  }) as Record<string, unknown>;
}

/**
 * @param serverObjects the server's objects labelled `kubernetes.io/bootstrapping=rbac-defaults`
 * @param otherServerClusterRoles the server's other ClusterRoles: they may carry `aggregate-to-*`
 *   labels (e.g. the manifests' own), so the expected aggregation includes them, as the server's does
 */
export function compareBootstrap(version: string, serverObjects: readonly Obj[], otherServerClusterRoles: readonly Obj[]): BootstrapComparison {
  const p = bootstrapPolicyFor(version);
  const ours = [...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings] as unknown as Obj[];
  // Our aggregation: the bootstrap policy plus the server's non-bootstrap ClusterRoles, without aggregationRule
  // on those (their own aggregation is not under test here).
  const extra = otherServerClusterRoles.map((r) => ({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.metadata.name, labels: r.metadata.labels ?? {} }, rules: r.rules ?? [] }));
  const aggregatedPolicy = RbacPolicy.fromObjects(extra, { bootstrap: true, kubeVersion: version });

  const server = new Map(serverObjects.map((o) => [keyOf(o), o]));
  const mine = new Map(ours.map((o) => [keyOf(o), o]));
  const counts: Record<string, { server: number; ours: number }> = {};
  for (const kind of ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']) {
    counts[kind] = { server: serverObjects.filter((o) => o.kind === kind).length, ours: ours.filter((o) => o.kind === kind).length };
  }
  const differences: BootstrapDifference[] = [];
  const aggregated: string[] = [];
  for (const [key, o] of [...mine].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const s = server.get(key);
    if (!s) {
      differences.push({ object: key, detail: `in the bundled bootstrap, not on the server:\n${JSON.stringify(clean(o), null, 1)}` });
      continue;
    }
    const a = essence(s);
    const b = essence(o);
    if (o.kind === 'ClusterRole' && o.aggregationRule) {
      aggregated.push(o.metadata.name);
      const want = ruleSet((aggregatedPolicy.clusterRole(o.metadata.name) as ClusterRole | undefined)?.rules);
      const got = ruleSet(s.rules);
      const missing = got.filter((r) => !want.includes(r));
      const surplus = want.filter((r) => !got.includes(r));
      if (missing.length + surplus.length > 0) {
        differences.push({ object: key, detail: `aggregated rules differ:\n  server only:\n${missing.map((r) => `    ${r}`).join('\n') || '    (none)'}\n  ours only:\n${surplus.map((r) => `    ${r}`).join('\n') || '    (none)'}` });
      }
      delete a.rules;
      delete b.rules;
    }
    for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = json(a[field]);
      const y = json(b[field]);
      if (x !== y) differences.push({ object: key, detail: `${field} differs:\n  server: ${x}\n  ours:   ${y}` });
    }
  }
  for (const [key, s] of server) {
    if (!mine.has(key)) differences.push({ object: key, detail: `on the server, not in the bundled bootstrap:\n${JSON.stringify(clean({ metadata: { labels: s.metadata.labels, annotations: s.metadata.annotations }, ...essence(s) }), null, 1)}` });
  }
  return { counts, aggregated, differences };
}
