/**
 * The RBAC graph of the input: subjects -> bindings -> roles -> permissions. Only bindings read from
 * the input are drawn (not the bootstrap policy's), but their roles may be bootstrap roles (`view`).
 * Node ids and order are deterministic: the same input gives byte-identical output.
 */
import { RbacPolicy, ResolvedBinding } from '../policy';
import { PolicyRule } from '../types';
import { objectLabel, ruleLabel, subjectLabel } from './rule-text';

/** What a node stands for. */
export type GraphNodeKind = 'subject' | 'binding' | 'role' | 'permission';

/** A node. */
export interface GraphNode {
  /** A stable id: `s1`, `b1`, `r1`, `p1`, ... in output order. */
  readonly id: string;
  /** What it stands for. */
  readonly kind: GraphNodeKind;
  /** The text shown, e.g. `ServiceAccount dev/secret-access-sa`. */
  readonly label: string;
  /** True for a role a binding references that does not exist (it grants nothing). */
  readonly missing: boolean;
}

/** An edge: subject -> binding, binding -> role, role -> permission. */
export interface GraphEdge {
  /** The source node id. */
  readonly from: string;
  /** The target node id. */
  readonly to: string;
}

/** The whole graph. */
export interface RbacGraph {
  /** Nodes: subjects, bindings, roles, permissions, each group in a stable order. */
  readonly nodes: readonly GraphNode[];
  /** Edges, sorted by source then target position. */
  readonly edges: readonly GraphEdge[];
}

/** The text of a role with no rules. */
export const NO_RULES = '(no rules)';

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface RoleInfo {
  readonly label: string;
  readonly rules?: readonly PolicyRule[];
}

function roleOf(binding: ResolvedBinding): RoleInfo {
  const ns = binding.roleRef.kind === 'Role' ? binding.namespace : '';
  const label = objectLabel(binding.roleRef.kind, binding.roleRef.name, ns);
  return binding.rules === undefined ? { label: `${label} (not found)` } : { label, rules: binding.rules };
}

/** The graph of the bindings read from the input (those with a source location). */
export function buildGraph(policy: RbacPolicy): RbacGraph {
  const bindings = [...policy.clusterRoleBindings(), ...policy.roleBindings()]
    .filter((b) => b.source !== undefined)
    .sort((a, b) => cmp(a.kind, b.kind) || cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  const subjectLabels = new Set<string>();
  const roles = new Map<string, RoleInfo>();
  for (const b of bindings) {
    for (const s of b.subjects) subjectLabels.add(subjectLabel(s, b.namespace));
    const role = roleOf(b);
    roles.set(role.label, role);
  }
  const nodes: GraphNode[] = [];
  const ids = new Map<string, string>();
  const counts: Record<GraphNodeKind, number> = { subject: 0, binding: 0, role: 0, permission: 0 };
  const add = (kind: GraphNodeKind, prefix: string, key: string, label: string, missing = false) => {
    const id = `${prefix}${++counts[kind]}`;
    nodes.push({ id, kind, label, missing });
    ids.set(key, id);
  };
  [...subjectLabels].sort(cmp).forEach((label) => add('subject', 's', `s:${label}`, label));
  bindings.forEach((b) => add('binding', 'b', `b:${b.kind}/${b.namespace}/${b.name}`, objectLabel(b.kind, b.name, b.namespace)));
  const sortedRoles = [...roles.values()].sort((a, b) => cmp(a.label, b.label));
  sortedRoles.forEach((r) => add('role', 'r', `r:${r.label}`, r.label, r.rules === undefined));
  const edges: GraphEdge[] = [];
  for (const r of sortedRoles) {
    if (r.rules === undefined) continue;
    const labels = r.rules.length > 0 ? r.rules.map(ruleLabel) : [NO_RULES];
    labels.forEach((label, i) => {
      add('permission', 'p', `p:${r.label}#${i}`, label);
      edges.push({ from: ids.get(`r:${r.label}`)!, to: ids.get(`p:${r.label}#${i}`)! });
    });
  }
  for (const b of bindings) {
    const bid = ids.get(`b:${b.kind}/${b.namespace}/${b.name}`)!;
    for (const s of b.subjects) edges.push({ from: ids.get(`s:${subjectLabel(s, b.namespace)}`)!, to: bid });
    edges.push({ from: bid, to: ids.get(`r:${roleOf(b).label}`)! });
  }
  const position = new Map(nodes.map((n, i) => [n.id, i]));
  const unique = [...new Map(edges.map((e) => [`${e.from}>${e.to}`, e])).values()];
  unique.sort((a, b) => position.get(a.from)! - position.get(b.from)! || position.get(a.to)! - position.get(b.to)!);
  return { nodes, edges: unique };
}
