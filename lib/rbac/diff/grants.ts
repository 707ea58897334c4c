/**
 * Who the access diff is about, and what each of them is granted on one side: the subjects named
 * by the manifests' bindings (either side) and their ServiceAccount objects, each as the user the
 * API server would see; and, per side, every (scope, rule) a subject's bindings grant, in the
 * order the RBAC authorizer walks them (ClusterRoleBindings, then RoleBindings).
 */
import { bootstrapObjects } from '../bootstrap';
import { appliesTo } from '../matchers';
import { subjectKey } from '../policy';
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

/** The subjects of a diff, and which side's bindings (or ServiceAccount objects) name each. */
export interface DiffSubjects {
  /** Every subject, sorted by key. */
  readonly subjects: readonly DiffSubject[];
  /** The keys the base side names. */
  readonly inBase: ReadonlySet<string>;
  /** The keys the head side names. */
  readonly inHead: ReadonlySet<string>;
}

/**
 * The subjects of the diff, sorted by key: every User, Group and ServiceAccount named by a
 * binding of either policy other than the unchanged bootstrap ones, every ServiceAccount object,
 * and the groups `system:authenticated`, `system:unauthenticated` and `system:serviceaccounts`.
 */
export function diffSubjects(policies: readonly RbacPolicy[]): DiffSubject[] {
  return collectSubjects(policies[0], policies[1] ?? policies[0]).subjects as DiffSubject[];
}

/** {@link diffSubjects} of a base and a head, with which side names each subject. */
export function collectSubjects(base: RbacPolicy, head: RbacPolicy): DiffSubjects {
  const byKey = new Map<string, DiffSubject>();
  const sides = [new Set<string>(), new Set<string>()];
  const raw = new Map<string, string | undefined>();
  const note = (side: Set<string>, rawKey: string, s: Subject, bindingNamespace: string) => {
    let key = raw.get(rawKey);
    if (key === undefined && !raw.has(rawKey)) {
      const subject = subjectOf(s, bindingNamespace);
      key = subject?.key;
      raw.set(rawKey, key);
      if (subject && !byKey.has(subject.key)) byKey.set(subject.key, subject);
    }
    if (key !== undefined) side.add(key);
  };
  [base, head].forEach((policy, i) => {
    const side = sides[i];
    for (const g of WELL_KNOWN_GROUPS) note(side, `Group\u0000${g}\u0000`, { kind: 'Group', name: g }, '');
    const bootstrap = bootstrapSet(policy);
    for (const b of allBindings(policy)) {
      if (bootstrap.has(b.object)) continue;
      for (const s of b.subjects) note(side, `${s.kind}\u0000${s.name}\u0000${s.kind === 'ServiceAccount' ? s.namespace || b.namespace : ''}`, s, b.namespace);
    }
    for (const sa of policy.serviceAccounts()) {
      const ns = sa.metadata.namespace;
      const name = sa.metadata.name;
      if (ns && typeof name === 'string') note(side, `ServiceAccount\u0000${name}\u0000${ns}`, { kind: 'ServiceAccount', name, namespace: ns }, ns);
    }
  });
  const subjects = [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { subjects, inBase: sides[0], inHead: sides[1] };
}

/** The index keys a user is matched by: `u:NAME` and `g:GROUP` for each group. */
export function userKeys(user: UserInfo): string[] {
  return [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
}

/** One side's bindings indexed by the user names and groups their subjects match. */
export class SideIndex {
  private readonly bindings: ResolvedBinding[];
  private readonly byKey = new Map<string, number[]>();

  constructor(public readonly policy: RbacPolicy) {
    this.bindings = allBindings(policy);
    this.bindings.forEach((b, i) => {
      for (const s of b.subjects) {
        const key = subjectKey(s, b.namespace);
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
    for (const key of userKeys(user)) for (const p of this.byKey.get(key) ?? []) positions.add(p);
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
