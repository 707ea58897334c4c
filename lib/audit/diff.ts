/**
 * Observed use against what the manifests grant today (the offline RBAC evaluator): rules granted
 * but never exercised, requests denied but attempted, and requests allowed in the log that the
 * manifests would not allow (granted by something the manifests do not hold).
 */
import { bootstrapClusterRoleBindings } from '../rbac/bootstrap';
import { compactRuleString } from '../rbac/format';
import { appliesTo, ruleAllows } from '../rbac/matchers';
import { RbacPolicy } from '../rbac/policy';
import { authorize, rulesFor } from '../rbac/evaluate';
import { ALL_AUTHENTICATED, serviceAccountUser, splitServiceAccountUsername } from '../rbac/subjects';
import { AccessRequest, PolicyRule, UserInfo } from '../rbac/types';
import { accessRequest, ObservedAccess } from './observed';

/**
 * The request as the server authorized it: a create is authorized before the object exists, with no
 * name (the audit event's objectRef.name comes from the body), so a rule limited by resourceNames
 * never allows it. A create on a subresource (`pods/eviction`, `serviceaccounts/token`) names its
 * object in the URL and keeps the name.
 */
function authorizedRequest(access: ObservedAccess): AccessRequest {
  const request = accessRequest(access);
  if (access.verb !== 'create' || access.subresource || !('name' in request)) return request;
  const { name: _name, ...unnamed } = request;
  return unnamed;
}

/** A rule granted today that no observed request used. */
export interface UnusedGrant {
  /** Where it applies: the RoleBinding's namespace, or `""` for a ClusterRoleBinding. */
  readonly namespace: string;
  /** The rule. */
  readonly rule: PolicyRule;
  /** The rule in upstream's compact form, e.g. `{APIGroups:[""], Resources:["secrets"], Verbs:["list"]}`. */
  readonly ruleText: string;
  /** Upstream's description of the grant, e.g. `RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"`. */
  readonly grantedBy: string;
}

/** A request observed with the manifests' answer to it today. */
export interface CheckedAccess {
  /** The request as observed (count and times included). */
  readonly access: ObservedAccess;
  /** Whether the manifests allow it today. */
  readonly allowedToday: boolean;
  /** The evaluator's reason (allowed) or explanation (denied). */
  readonly today: string;
}

/** The three lists. */
export interface GrantDiff {
  /** The user the manifests were asked about (groups included). */
  readonly user: UserInfo;
  /** Granted but never used. */
  readonly grantedButUnused: readonly UnusedGrant[];
  /** Denied (forbid) in the log, with what the manifests say today. */
  readonly deniedButAttempted: readonly CheckedAccess[];
  /** Allowed in the log but not by the manifests: the grant came from elsewhere. */
  readonly usedButNotGranted: readonly CheckedAccess[];
}

/** Options for {@link diffGrants}. */
export interface DiffOptions {
  /**
   * Also list unused rules of Kubernetes' bootstrap bindings (`system:discovery`, `system:basic-user`, ...),
   * which every authenticated user has.
   * @default false
   */
  readonly includeBootstrap?: boolean;
  /**
   * The user's groups when it is not a service account.
   * @default - the groups seen in the log, else `system:authenticated`
   */
  readonly groups?: readonly string[];
}

/** The user the API server would see for `username`: service account groups, or `groups` plus `system:authenticated`. */
export function diffUser(username: string, groups?: readonly string[]): UserInfo {
  const sa = splitServiceAccountUsername(username);
  if (sa) return serviceAccountUser(sa.namespace, sa.name);
  const all = [...(groups ?? [])];
  if (!all.includes(ALL_AUTHENTICATED)) all.push(ALL_AUTHENTICATED);
  return { name: username, groups: all };
}

/**
 * Compares `observed` (allowed and forbidden requests of one user) with what `policy` grants.
 * @param username the full user name
 * @param observed the user's distinct requests, allowed and forbidden
 */
export function diffGrants(policy: RbacPolicy, username: string, observed: readonly ObservedAccess[], options: DiffOptions = {}): GrantDiff {
  const user = diffUser(username, options.groups);
  const allowed = observed.filter((a) => a.decision === 'allow');
  const bootstrapNames = new Set(options.includeBootstrap ? [] : bootstrapClusterRoleBindings().map((b) => b.metadata.name));

  const unused: UnusedGrant[] = [];
  const seen = new Set<string>();
  const consider = (namespace: string, rule: PolicyRule, grantedBy: string, candidates: readonly ObservedAccess[]) => {
    const key = `${namespace}\u0000${grantedBy}\u0000${JSON.stringify(rule)}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (candidates.some((a) => ruleAllows(authorizedRequest(a), rule))) return;
    unused.push({ namespace, rule, ruleText: compactRuleString(rule), grantedBy });
  };
  for (const g of rulesFor(policy, user, '').rules) {
    if (bootstrapNames.has(g.source.bindingName)) continue;
    consider('', g.rule, g.source.description, allowed);
  }
  const namespaces = new Set<string>();
  for (const b of policy.roleBindings()) if (appliesTo(user, b.subjects, b.namespace) >= 0) namespaces.add(b.namespace);
  for (const ns of [...namespaces].sort()) {
    const inNamespace = allowed.filter((a) => a.namespace === ns && a.path === undefined);
    for (const g of rulesFor(policy, user, ns).rules) {
      if (g.source.bindingKind !== 'RoleBinding') continue;
      consider(ns, g.rule, g.source.description, inNamespace);
    }
  }

  const check = (a: ObservedAccess): CheckedAccess => {
    const d = authorize(policy, user, authorizedRequest(a));
    return { access: a, allowedToday: d.allowed, today: d.allowed ? d.reason : d.explanation };
  };
  return {
    user,
    grantedButUnused: unused,
    deniedButAttempted: observed.filter((a) => a.decision === 'forbid').map(check),
    usedButNotGranted: allowed.map(check).filter((c) => !c.allowedToday),
  };
}
