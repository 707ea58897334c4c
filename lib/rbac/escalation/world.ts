/**
 * Everything a hop can reach, indexed once per analysis: the namespaces, the ServiceAccounts of
 * each namespace (loaded ones, `default`, and those bindings, pods and token Secrets name), the users and
 * groups the bindings name, the pods of each namespace and node, the roles worth binding.
 */
import { ruleAllows, rulesAllow } from '../matchers';
import { RbacPolicy } from '../policy';
import { isValidNamespaceName, isValidServiceAccountName, SYSTEM_MASTERS } from '../subjects';
import { AccessRequest, PolicyRule } from '../types';
import { CapabilityIndex } from './capability';
import { PodRecord, TokenSecretRecord, WorkloadInventory } from './inventory';

/** The request only `*` on `*` in `*` allows: cluster-admin equivalence. */
export const EVERYTHING: AccessRequest = { verb: '*', group: '*', resource: '*' };

/** A role a hop could bind, and whether it is cluster-admin equivalent. */
export interface BindableRole {
  /** `ClusterRole` or `Role`. */
  readonly kind: 'ClusterRole' | 'Role';
  /** Its name. */
  readonly name: string;
  /** A Role's namespace; `""` for a ClusterRole. */
  readonly namespace: string;
  /** Its rules. */
  readonly rules: readonly PolicyRule[];
  /** True for `*` on `*` (cluster-admin). */
  readonly everything: boolean;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The indexed world one analysis searches. */
export class World {
  /** Every namespace known, sorted. */
  public readonly namespaces: readonly string[];
  /** Users named by the bindings, sorted. */
  public readonly users: readonly string[];
  /** Users named by the bindings or by the resourceNames of a rule on `impersonate users`, sorted. */
  public readonly impersonableUsers: readonly string[];
  /** Groups named by the bindings, and `system:masters`, sorted. */
  public readonly groups: readonly string[];
  /** Pods whose node is not set in the manifest, in input order. */
  public readonly unscheduledPods: readonly PodRecord[];
  /** Node names, sorted. */
  public readonly nodes: readonly string[];
  private readonly serviceAccounts = new Map<string, string[]>();
  private readonly podsByNamespace = new Map<string, PodRecord[]>();
  private readonly podsByNode = new Map<string, PodRecord[]>();
  private readonly secretsByNamespace = new Map<string, TokenSecretRecord[]>();
  private readonly bindable = new Map<string, BindableRole[]>();
  private readonly bindableRolesByNamespace = new Map<string, BindableRole[]>();
  private bindableInNamespaces: BindableRole[] = [];

  constructor(public readonly policy: RbacPolicy, public readonly index: CapabilityIndex, public readonly inventory: WorkloadInventory) {
    const namespaces = new Set<string>(policy.namespaces());
    const sas = new Map<string, Set<string>>();
    const addSa = (ns: string, name: string) => {
      namespaces.add(ns);
      let set = sas.get(ns);
      if (!set) sas.set(ns, (set = new Set(['default'])));
      set.add(name);
    };
    for (const sa of policy.serviceAccounts()) addSa(sa.metadata.namespace ?? 'default', sa.metadata.name);
    // A ServiceAccount a binding names (the bootstrap policy's controllers in kube-system included)
    // is an identity worth reaching even when the input does not hold its object.
    for (const b of [...policy.clusterRoleBindings(), ...policy.roleBindings()]) {
      for (const s of b.subjects) {
        const ns = s.namespace || b.namespace;
        if (s.kind === 'ServiceAccount' && ns && isValidNamespaceName(ns) && isValidServiceAccountName(s.name)) addSa(ns, s.name);
      }
    }
    const unscheduled: PodRecord[] = [];
    for (const pod of inventory.pods) {
      addSa(pod.namespace, pod.serviceAccount);
      push(this.podsByNamespace, pod.namespace, pod);
      if (pod.nodeName) push(this.podsByNode, pod.nodeName, pod);
      else unscheduled.push(pod);
    }
    for (const secret of inventory.tokenSecrets) {
      addSa(secret.namespace, secret.serviceAccount);
      push(this.secretsByNamespace, secret.namespace, secret);
    }
    for (const ns of inventory.podSecurity.keys()) namespaces.add(ns);
    this.namespaces = [...namespaces].sort();
    for (const ns of this.namespaces) this.serviceAccounts.set(ns, [...(sas.get(ns) ?? ['default'])].sort());
    this.unscheduledPods = unscheduled;
    this.nodes = inventory.nodes;
    const users = new Set<string>();
    const groups = new Set<string>([SYSTEM_MASTERS]);
    for (const b of [...policy.clusterRoleBindings(), ...policy.roleBindings()]) {
      for (const s of b.subjects) {
        if (s.kind === 'User') users.add(s.name);
        else if (s.kind === 'Group') groups.add(s.name);
      }
    }
    this.users = [...users].sort();
    const impersonable = new Set(users);
    for (const role of [...policy.clusterRoles(), ...policy.roles()]) {
      for (const rule of role.rules ?? []) {
        if (rule.resourceNames && ruleAllows({ verb: 'impersonate', group: '', resource: 'users', name: rule.resourceNames[0] }, rule)) {
          for (const name of rule.resourceNames) impersonable.add(name);
        }
      }
    }
    this.impersonableUsers = [...impersonable].sort();
    this.groups = [...groups].sort();
    this.indexBindable();
  }

  /** The ServiceAccounts of a namespace (always `default`), sorted. */
  public serviceAccountsIn(namespace: string): readonly string[] {
    return this.serviceAccounts.get(namespace) ?? ['default'];
  }

  /** The pods and workload controllers of a namespace, in input order. */
  public podsIn(namespace: string): readonly PodRecord[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /** The pods bound to a node in the manifests, in input order. */
  public podsOn(node: string): readonly PodRecord[] {
    return this.podsByNode.get(node) ?? [];
  }

  /** The ServiceAccount-token Secrets of a namespace, in input order. */
  public tokenSecretsIn(namespace: string): readonly TokenSecretRecord[] {
    return this.secretsByNamespace.get(namespace) ?? [];
  }

  /** Pod Security: whether the namespace is in the input and admits pods that mount the node's files (no `enforce` label, or `privileged`). */
  public admitsHostPathPods(namespace: string): boolean {
    if (!this.inventory.podSecurity.has(namespace)) return false;
    const level = this.inventory.podSecurity.get(namespace);
    return level === undefined || level === 'privileged';
  }

  /**
   * The roles worth binding from `namespace` (`""`: ClusterRoles for a ClusterRoleBinding): the
   * cluster-admin equivalent ones and those whose rules open further hops; ClusterRoles first, by name.
   */
  public bindableRoles(namespace: string): readonly BindableRole[] {
    let roles = this.bindable.get(namespace);
    if (!roles) {
      roles = [...this.bindableInNamespaces, ...(this.bindableRolesByNamespace.get(namespace) ?? [])];
      this.bindable.set(namespace, roles);
    }
    return roles;
  }

  private indexBindable(): void {
    const worth = (rules: readonly PolicyRule[], wide: boolean) => rules.some((r) => this.index.hopRisks(r, wide).length > 0);
    const cluster = this.policy.clusterRoles().map((r) => ({ kind: 'ClusterRole' as const, name: r.metadata.name, namespace: '', rules: r.rules ?? [], everything: rulesAllow(EVERYTHING, r.rules ?? []) }));
    this.bindable.set('', cluster.filter((r) => r.everything || worth(r.rules, true)));
    this.bindableInNamespaces = cluster.filter((r) => r.everything || worth(r.rules, false));
    const roles = this.bindableRolesByNamespace;
    for (const role of this.policy.roles()) {
      const rules = role.rules ?? [];
      const everything = rulesAllow(EVERYTHING, rules);
      if (everything || worth(rules, false)) push(roles, role.metadata.namespace ?? '', { kind: 'Role' as const, name: role.metadata.name, namespace: role.metadata.namespace ?? '', rules, everything });
    }
  }
}
