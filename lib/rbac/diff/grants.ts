/**
 * Who the access diff is about, and what each of them is granted on one side: the subjects named
 * by the manifests' bindings (either side) and their ServiceAccount objects, each as the user the
 * API server would see; and, per side, every (scope, rule) a subject's bindings grant, in the
 * order the RBAC authorizer walks them (ClusterRoleBindings, then RoleBindings).
 */
import { bootstrapObjects } from '../bootstrap';
import { appliesTo } from '../matchers';
import type { RbacPolicy, ResolvedBinding } from '../policy';
import {
  ALL_AUTHENTICATED, ALL_SERVICE_ACCOUNTS, ALL_UNAUTHENTICATED, impersonatedUser, serviceAccountGroups, serviceAccountUser,
  serviceAccountUsername, splitServiceAccountUsername,
} from '../subjects';
import { PolicyRule, Subject, UserInfo } from '../types';

/** A subject of the diff: a User, a Group or a ServiceAccount. */
export interface DiffSubject {
  /** `User`, `Group` or `ServiceAccount`. */
  readonly kind: 'User' | 'Group' | 'ServiceAccount';
  /** The user, group or ServiceAccount name. */
  readonly name: string;
  /**
   * The ServiceAccount's namespace.
   * @default - none (users and groups)
   */
  readonly namespace?: string;
  /** A stable key: `User:alice`, `Group:devs`, `ServiceAccount:dev/app`. */
  readonly key: string;
  /**
   * The user the answers are for: a ServiceAccount's token user; a User as `--as NAME` (with
   * `system:authenticated`); a Group as a member of it and of `system:authenticated` only, with an
   * empty user name.
   */
  readonly user: UserInfo;
}

/** One rule a subject holds on one side, with where it holds and the binding that grants it. */
export interface SideGrant {
  /** `""` for a ClusterRoleBinding (everywhere), else the RoleBinding's namespace. */
  readonly scope: string;
  /** The rule. */
  readonly rule: PolicyRule;
  /** The binding. */
  readonly binding: ResolvedBinding;
  /** The binding subject that matched. */
  readonly subject: Subject;
}

/** The groups every policy knows, considered even when no manifest names them. */
const WELL_KNOWN_GROUPS: readonly string[] = [ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ALL_SERVICE_ACCOUNTS];

function userSubject(name: string): DiffSubject {
  const sa = splitServiceAccountUsername(name);
  if (sa) return serviceAccountSubject(sa.namespace, sa.name);
  let user: UserInfo;
  try {
    user = impersonatedUser(name);
  } catch {
    user = { name, groups: [ALL_AUTHENTICATED] };
  }
  return { kind: 'User', name, key: `User:${name}`, user };
}

function serviceAccountSubject(namespace: string, name: string): DiffSubject {
  let user: UserInfo;
  try {
    user = serviceAccountUser(namespace, name);
  } catch {
    user = { name: serviceAccountUsername(namespace, name), groups: [...serviceAccountGroups(namespace), ALL_AUTHENTICATED] };
  }
  return { kind: 'ServiceAccount', name, namespace, key: `ServiceAccount:${namespace}/${name}`, user };
}

function groupSubject(name: string): DiffSubject {
  const groups = name === ALL_UNAUTHENTICATED || name === ALL_AUTHENTICATED ? [name] : [name, ALL_AUTHENTICATED];
  return { kind: 'Group', name, key: `Group:${name}`, user: { name: '', groups } };
}

/** The diff subject a binding subject names, or undefined when it matches nobody. */
export function subjectOf(s: Subject, bindingNamespace: string): DiffSubject | undefined {
  if (typeof s.name !== 'string') return undefined;
  switch (s.kind) {
    case 'User':
      return userSubject(s.name);
    case 'Group':
      return groupSubject(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace ? s.namespace : bindingNamespace;
      return ns ? serviceAccountSubject(ns, s.name) : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a binding is one of Kubernetes' bootstrap objects, unchanged. */
function bootstrapSet(policy: RbacPolicy): ReadonlySet<unknown> {
  return policy.includesBootstrap ? new Set<unknown>(bootstrapObjects(policy.kubeVersion)) : new Set();
}

/** Every binding of a policy, in walk order: ClusterRoleBindings, then RoleBindings by namespace. */
export function allBindings(policy: RbacPolicy): ResolvedBinding[] {
  return [...policy.clusterRoleBindings(), ...policy.roleBindings()];
}

/**
 * The subjects of the diff, sorted by key: every User, Group and ServiceAccount named by a
 * binding of either policy other than the unchanged bootstrap ones, every ServiceAccount object,
 * and the groups `system:authenticated`, `system:unauthenticated` and `system:serviceaccounts`.
 */
export function diffSubjects(policies: readonly RbacPolicy[]): DiffSubject[] {
  const byKey = new Map<string, DiffSubject>();
  const add = (s: DiffSubject | undefined) => {
    if (s && !byKey.has(s.key)) byKey.set(s.key, s);
  };
  for (const g of WELL_KNOWN_GROUPS) add(groupSubject(g));
  for (const policy of policies) {
    const bootstrap = bootstrapSet(policy);
    for (const b of allBindings(policy)) {
      if (bootstrap.has(b.object)) continue;
      for (const s of b.subjects) add(subjectOf(s, b.namespace));
    }
    for (const sa of policy.serviceAccounts()) {
      const ns = sa.metadata.namespace;
      if (ns && typeof sa.metadata.name === 'string') add(serviceAccountSubject(ns, sa.metadata.name));
    }
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One side's bindings indexed by the user names and groups their subjects match. */
export class SideIndex {
  private readonly bindings: ResolvedBinding[];
  private readonly byKey = new Map<string, number[]>();

  constructor(public readonly policy: RbacPolicy) {
    this.bindings = allBindings(policy);
    this.bindings.forEach((b, i) => {
      for (const s of b.subjects) {
        const key = indexKey(s, b.namespace);
        if (key === undefined) continue;
        const list = this.byKey.get(key);
        if (!list) this.byKey.set(key, [i]);
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
  }

  /** Every rule `user` holds, in walk order (ClusterRoleBindings first). */
  public grantsFor(user: UserInfo): SideGrant[] {
    const positions = new Set<number>();
    for (const key of [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)]) for (const p of this.byKey.get(key) ?? []) positions.add(p);
    const out: SideGrant[] = [];
    for (const p of [...positions].sort((a, b) => a - b)) {
      const binding = this.bindings[p];
      const index = appliesTo(user, binding.subjects, binding.namespace);
      if (index < 0 || binding.rules === undefined) continue;
      for (const rule of binding.rules) out.push({ scope: binding.namespace, rule, binding, subject: binding.subjects[index] });
    }
    return out;
  }
}

function indexKey(s: Subject, bindingNamespace: string): string | undefined {
  switch (s.kind) {
    case 'User':
      return `u:${s.name}`;
    case 'Group':
      return `g:${s.name}`;
    case 'ServiceAccount': {
      const ns = s.namespace ? s.namespace : bindingNamespace;
      return ns ? `u:${serviceAccountUsername(ns, s.name)}` : undefined;
    }
    default:
      return undefined;
  }
}
