/**
 * `findEscalations`: for each subject, the identities it can end up as, breadth first so each
 * target is reported once, by a shortest path. A reached ServiceAccount, user or group brings its
 * own permissions to the next hop (its hops are searched in turn); a role bound by a hop brings its
 * rules. A node's hops are worked out once per analysis and shared by every subject that reaches
 * it; each subject's search stops at the cap on paths, and cycles end because a node is visited
 * once per subject.
 */
import { authorize } from '../evaluate';
import type { LoadResult } from '../load';
import { RbacPolicy } from '../policy';
import { RISK_SEVERITIES, RiskSeverity } from '../risks';
import { ALL_AUTHENTICATED, serviceAccountUser } from '../subjects';
import { PolicyRule, UserInfo } from '../types';
import { Capability, CapabilityIndex } from './capability';
import { workloadInventory } from './inventory';
import { Move, movesOf } from './moves';
import { EscalationHop, EscalationNode, EscalationPath, EscalationReport, SubjectEscalations } from './types';
import { EVERYTHING, World } from './world';

/** The default of {@link EscalationOptions.maxPathsPerSubject}. */
export const DEFAULT_MAX_PATHS_PER_SUBJECT = 50;

/** Options for {@link findEscalations}. */
export interface EscalationOptions {
  /**
   * The subjects to search from.
   * @default - every User, Group and ServiceAccount the input's bindings name, then the input's other ServiceAccounts
   */
  readonly subjects?: readonly EscalationNode[];
  /**
   * The most paths reported per subject; {@link SubjectEscalations.truncated} says when it cut.
   * @default DEFAULT_MAX_PATHS_PER_SUBJECT
   */
  readonly maxPathsPerSubject?: number;
}

const EVERY_RULE: readonly PolicyRule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];

/** A stable key for a node. */
export function nodeKey(node: EscalationNode): string {
  switch (node.kind) {
    case 'ServiceAccount':
      return `ServiceAccount\u0000${node.namespace}\u0000${node.name}`;
    case 'Grant':
      return `Grant\u0000${node.roleKind}\u0000${node.namespace}\u0000${node.roleName}`;
    case 'ClusterAdmin':
      return 'ClusterAdmin';
    default:
      return `${node.kind}\u0000${node.name}`;
  }
}

/** The user the API server sees for a principal node (a group member: a nameless member of the group). */
function userOf(node: EscalationNode): UserInfo | undefined {
  switch (node.kind) {
    case 'User':
      return { name: node.name, groups: [ALL_AUTHENTICATED] };
    case 'Group':
      return { name: '', groups: node.name === ALL_AUTHENTICATED ? [ALL_AUTHENTICATED] : [node.name, ALL_AUTHENTICATED] };
    case 'ServiceAccount':
      return serviceAccountUser(node.namespace, node.name);
    default:
      return undefined;
  }
}

function maxSeverity(hops: readonly EscalationHop[]): RiskSeverity {
  return hops.reduce<RiskSeverity>((worst, h) => (RISK_SEVERITIES.indexOf(h.severity) > RISK_SEVERITIES.indexOf(worst) ? h.severity : worst), 'low');
}

/** One analysis: the world, and each node's hops, computed once. */
class Search {
  private readonly moves = new Map<string, readonly Move[]>();
  private readonly admins = new Map<string, boolean>();

  constructor(private readonly policy: RbacPolicy, private readonly index: CapabilityIndex, private readonly world: World) {}

  private capability(node: EscalationNode): Capability | undefined {
    const user = userOf(node);
    if (user) return this.index.principal(user);
    if (node.kind !== 'Grant') return undefined;
    if (node.roleKind === '*') return this.index.grant({ kind: '*', name: '*', namespace: node.namespace }, EVERY_RULE, node.namespace);
    const role = node.roleKind === 'Role' ? this.policy.role(node.namespace, node.roleName) : this.policy.clusterRole(node.roleName);
    const ref = this.index.ref(node.roleKind, node.roleName, node.roleKind === 'Role' ? node.namespace : '');
    return this.index.grant(ref, role?.rules ?? [], node.namespace);
  }

  private movesFrom(node: EscalationNode): readonly Move[] {
    const key = nodeKey(node);
    let moves = this.moves.get(key);
    if (!moves) {
      const cap = this.capability(node);
      moves = cap ? movesOf(cap, this.world) : [];
      this.moves.set(key, moves);
    }
    return moves;
  }

  /** Whether a principal holds cluster-admin equivalence. */
  public holdsEverything(node: EscalationNode): boolean {
    const user = userOf(node);
    return user !== undefined && authorize(this.policy, user, EVERYTHING).allowed;
  }

  /** Whether a principal holds cluster-admin equivalence, computed once per node. */
  private admin(node: EscalationNode): boolean {
    const key = nodeKey(node);
    let held = this.admins.get(key);
    if (held === undefined) this.admins.set(key, (held = node.kind === 'ClusterAdmin' || this.holdsEverything(node)));
    return held;
  }

  public pathsOf(subject: EscalationNode, cap: number): SubjectEscalations {
    if (this.admin(subject)) return { subject, holdsClusterAdmin: true, paths: [], truncated: false };
    const visited = new Set<string>([nodeKey(subject)]);
    const paths: EscalationPath[] = [];
    let frontier: Array<{ node: EscalationNode; hops: readonly EscalationHop[] }> = [{ node: subject, hops: [] }];
    while (frontier.length > 0) {
      const next: typeof frontier = [];
      for (const { node, hops } of frontier) {
        for (const move of this.movesFrom(node)) {
          const key = nodeKey(move.to);
          if (visited.has(key)) continue;
          visited.add(key);
          const path = [...hops, { ...move, from: node }];
          const admin = this.admin(move.to);
          if (move.to.kind !== 'Grant') {
            if (paths.length === cap) return { subject, holdsClusterAdmin: false, paths, truncated: true };
            paths.push({ target: move.to, hops: path, severity: maxSeverity(path), clusterAdmin: admin });
          }
          // A node holding everything already reaches everything: its own hops add nothing.
          if (!admin && move.to.kind !== 'Node') next.push({ node: move.to, hops: path });
        }
      }
      frontier = next;
    }
    return { subject, holdsClusterAdmin: false, paths, truncated: false };
  }
}

/** The subjects of the input's own bindings (not the bootstrap policy's), then its other ServiceAccounts, each once. */
export function inputSubjects(load: LoadResult): EscalationNode[] {
  const out = new Map<string, EscalationNode>();
  const add = (node: EscalationNode) => {
    const key = nodeKey(node);
    if (!out.has(key)) out.set(key, node);
  };
  for (const { object } of load.objects) {
    if (object.kind !== 'RoleBinding' && object.kind !== 'ClusterRoleBinding') continue;
    const namespace = object.kind === 'RoleBinding' ? object.metadata?.namespace ?? 'default' : '';
    for (const s of Array.isArray(object.subjects) ? object.subjects : []) {
      const subject = s as { kind?: unknown; name?: unknown; namespace?: unknown };
      if (typeof subject.name !== 'string' || subject.name === '') continue;
      if (subject.kind === 'User' || subject.kind === 'Group') add({ kind: subject.kind, name: subject.name });
      else if (subject.kind === 'ServiceAccount') {
        const ns = typeof subject.namespace === 'string' && subject.namespace !== '' ? subject.namespace : namespace;
        if (ns && validServiceAccount(ns, subject.name)) add({ kind: 'ServiceAccount', namespace: ns, name: subject.name });
      }
    }
  }
  for (const { object } of load.objects) {
    const name = object.metadata?.name;
    if (object.kind === 'ServiceAccount' && typeof name === 'string') {
      const ns = object.metadata?.namespace ?? 'default';
      if (validServiceAccount(ns, name)) add({ kind: 'ServiceAccount', namespace: ns, name });
    }
  }
  return [...out.values()];
}

function validServiceAccount(namespace: string, name: string): boolean {
  try {
    serviceAccountUser(namespace, name);
    return true;
  } catch {
    return false;
  }
}

/**
 * Every escalation path of each subject: the identities (ServiceAccounts, users, groups, a node)
 * and cluster-admin equivalence it can reach beyond what it holds, each hop naming the rule and
 * binding that enable it.
 *
 * @param policy the policy built from `load`
 * @param load what was read, with `LoadOptions.workloads` so pods and token Secrets count
 * @param options the subjects and the cap on paths per subject
 * @default options {}
 * @throws InvalidSubjectError when a ServiceAccount subject given has an invalid namespace or name
 */
export function findEscalations(policy: RbacPolicy, load: LoadResult, options: EscalationOptions = {}): EscalationReport {
  const cap = Math.max(1, Math.floor(options.maxPathsPerSubject ?? DEFAULT_MAX_PATHS_PER_SUBJECT));
  const index = new CapabilityIndex(policy, load);
  const search = new Search(policy, index, new World(policy, index, workloadInventory(load)));
  const subjects = options.subjects ?? inputSubjects(load);
  return { maxPathsPerSubject: cap, subjects: subjects.map((s) => search.pathsOf(s, cap)) };
}
