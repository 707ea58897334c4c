/**
 * Least-privilege advice, like audit2rbac: from the requests a subject was allowed, the roles and
 * bindings that allow exactly those, laid out as this project's `ReaderIdentity` lays out grants:
 *
 * - requests in the service account's own namespace: one ClusterRole `<base>-cr` bound by a
 *   RoleBinding `<base>-rb` in that namespace. The RoleBinding confines the ClusterRole to the
 *   namespace, and it is what `ReaderIdentity` ships, so the advice can be compared with (and
 *   replace) today's grant line by line;
 * - requests in another namespace: a Role `<base>-role` and RoleBinding `<base>-rb` there (what
 *   `grant(rule, { namespace: ns, crossNamespace: true })` creates), so those rules never reach the home namespace;
 * - cluster-scoped and non-resource requests: a ClusterRole bound by a ClusterRoleBinding (the only
 *   binding that grants them); `<base>-cr`/`<base>-crb` when nothing else is needed, else `<base>-cluster-cr`/`<base>-crb`.
 *
 * A rule names objects (`resourceNames`) when every request of that verb on that resource named
 * one; `create` and `deletecollection` never do (RBAC checks them without a name). Names a
 * controller generates (see `name-families.ts`), or more than {@link DEFAULT_MAX_NAMES} of them,
 * give a rule without names and a note saying why, so the grant survives the next rollout.
 * Requests a covering policy already allows (the bootstrap policy's grants to everyone) get no rule.
 */
import { authorize } from '../rbac/evaluate';
import { IDENTITY_NAME_SUFFIXES, identityBaseName } from '../rbac/naming';
import { RbacPolicy } from '../rbac/policy';
import { NAMES_WIDENED_RISK, namesAreSensitive, privilegeRisks, PrivilegeRisk } from '../rbac/risks';
import { PolicyRule, RBAC_GROUP, UserInfo } from '../rbac/types';
import { splitServiceAccountUsername } from '../rbac/subjects';
import { nameFamily } from './name-families';
import { accessRequest, ObservedAccess } from './observed';

/** Verbs RBAC checks with the object's name when the request names one. */
export const NAMEABLE_VERBS: readonly string[] = ['get', 'list', 'watch', 'update', 'patch', 'delete'];

/** Who the advice is for. */
export interface AdviceSubject {
  /** `ServiceAccount` for `system:serviceaccount:NS:NAME` users, else `User`. */
  readonly kind: 'ServiceAccount' | 'User';
  /** The service account or user name. */
  readonly name: string;
  /**
   * The service account's namespace.
   * @default - none (a User)
   */
  readonly namespace?: string;
  /** The full user name. */
  readonly username: string;
}

/** A risk advice flags on a rule: one the guardrails know, or the widening of a sensitive resource's names. */
export type AdviceRisk = PrivilegeRisk | typeof NAMES_WIDENED_RISK;

/** A suggested Role or ClusterRole. */
export interface SuggestedRole {
  /** `Role` or `ClusterRole`. */
  readonly kind: 'Role' | 'ClusterRole';
  /** Its name. */
  readonly name: string;
  /**
   * The Role's namespace.
   * @default - none (a ClusterRole)
   */
  readonly namespace?: string;
  /** The rules, sorted. */
  readonly rules: readonly PolicyRule[];
  /**
   * The risks of each rule (same order): as the synth-time guardrails name them, plus
   * `names-widened` where the advice dropped the names of a sensitive resource (see `namesAreSensitive`).
   */
  readonly risks: ReadonlyArray<readonly AdviceRisk[]>;
  /** Notes on each rule (same order), e.g. why it names no objects. */
  readonly notes: ReadonlyArray<readonly string[]>;
}

/** A suggested RoleBinding or ClusterRoleBinding. */
export interface SuggestedBinding {
  /** `RoleBinding` or `ClusterRoleBinding`. */
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  /** Its name. */
  readonly name: string;
  /**
   * The RoleBinding's namespace.
   * @default - none (a ClusterRoleBinding)
   */
  readonly namespace?: string;
  /** The role it binds. */
  readonly roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string };
}

/** Where a set of rules applies. */
export type AdviceScope =
  /** The subject's own namespace (service accounts only). */
  | { readonly kind: 'home'; readonly namespace: string }
  /** Another namespace. */
  | { readonly kind: 'namespace'; readonly namespace: string }
  /** Cluster-scoped and non-resource requests. */
  | { readonly kind: 'cluster' };

/** One role and its binding, with the scope it serves and why it has that shape. */
export interface AdviceGrant {
  /** Where the rules apply. */
  readonly scope: AdviceScope;
  /** The role. */
  readonly role: SuggestedRole;
  /** Its binding to the subject. */
  readonly binding: SuggestedBinding;
  /** One sentence: why this kind of role and binding. */
  readonly why: string;
}

/** The advice for one subject. */
export interface Advice {
  /** Who it is for. */
  readonly subject: AdviceSubject;
  /** The prefix of every object name, e.g. `secret-access` for `secret-access-sa`. */
  readonly baseName: string;
  /** The grants, home namespace first, then other namespaces by name, then cluster-wide. */
  readonly grants: readonly AdviceGrant[];
  /** How many distinct allowed requests the advice covers. */
  readonly requests: number;
  /** Allowed requests that need no new rule: the covering policy allows them already. */
  readonly covered: readonly CoveredAccess[];
  /**
   * The privileged group the subject is in (`system:masters`): kube-apiserver allows every request
   * of its members before RBAC is asked, so no grant is proposed.
   * @default - none
   */
  readonly privilegedGroup?: string;
}

/** An allowed request that the covering policy already allows. */
export interface CoveredAccess {
  /** The request. */
  readonly access: ObservedAccess;
  /** The grant that allows it, e.g. `ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"`. */
  readonly by: string;
}

/** Where requests count as already granted: a policy and the user to ask it about. */
export interface AdviceCoverage {
  /** The policy, e.g. the bootstrap policy alone, or the manifests. */
  readonly policy: RbacPolicy;
  /** Who to ask about: usually the subject's groups under a name no binding names. */
  readonly user: UserInfo;
}

/** The most names a rule lists before it names none. */
export const DEFAULT_MAX_NAMES = 10;

/** Options for {@link leastRules}. */
export interface RuleOptions {
  /**
   * Keep every name, even generated ones and however many.
   * @default false
   */
  readonly keepNames?: boolean;
  /**
   * The most names one rule lists; more give a rule without `resourceNames`.
   * @default DEFAULT_MAX_NAMES
   */
  readonly maxNames?: number;
  /**
   * Let the names of sensitive resources (Secrets: see `namesAreSensitive`) collapse too, as
   * generated or too many names do elsewhere; each such rule is flagged `names-widened`. Without
   * it, a rule on them keeps every name it saw.
   * @default false
   */
  readonly widenSensitiveNames?: boolean;
}

/** Options for {@link adviseRbac}. */
export interface AdviseOptions extends RuleOptions {
  /**
   * The prefix of every object name.
   * @default - adviceBaseName(subject)
   */
  readonly baseName?: string;
  /**
   * Put between the base name and each suffix, e.g. `-extra` for grants added beside existing ones.
   * @default ""
   */
  readonly nameInfix?: string;
  /**
   * Requests this policy allows this user get no rule and are listed as covered.
   * @default - none: every allowed request gets a rule
   */
  readonly coverage?: AdviceCoverage;
}

/** Rules and a note per rule. */
export interface LeastRules {
  /** The rules, sorted. */
  readonly rules: PolicyRule[];
  /** Notes on each rule (same order). */
  readonly notes: string[][];
  /**
   * Whether each rule (same order) lost the names of a sensitive resource.
   * @default - none did
   */
  readonly widened?: boolean[];
}

/** The subject of a user name: a ServiceAccount for `system:serviceaccount:NS:NAME`, else a User. */
export function adviceSubject(username: string): AdviceSubject {
  const sa = splitServiceAccountUsername(username);
  return sa ? { kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace, username } : { kind: 'User', name: username, username };
}

/** The object-name prefix for a subject: the service account name without `-sa`, or the user name's letters and digits joined by dashes (at most 63 characters). */
export function adviceBaseName(subject: AdviceSubject): string {
  if (subject.kind === 'ServiceAccount') return identityBaseName(subject.name);
  // Letters and digits only, joined by single dashes: a valid name part whatever the user name holds.
  const safe = subject.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return safe || 'user';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(cmp);
}

/** The least rules allowing exactly `accesses` (all in one scope), merged where that adds nothing. */
export function leastRules(accesses: readonly ObservedAccess[], options: RuleOptions = {}): LeastRules {
  // 1. Per (group, resource, verb): the names, unless some request named nothing or the verb cannot be named.
  const perVerb = new Map<string, { group: string; resource: string; verb: string; names: Set<string>; unnamed: boolean }>();
  const paths = new Map<string, Set<string>>();
  for (const a of accesses) {
    if (a.path !== undefined) {
      const verbs = paths.get(a.path) ?? new Set<string>();
      verbs.add(a.verb);
      paths.set(a.path, verbs);
      continue;
    }
    const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const key = `${a.group}\u0000${resource}\u0000${a.verb}`;
    let entry = perVerb.get(key);
    if (!entry) {
      entry = { group: a.group, resource, verb: a.verb, names: new Set(), unnamed: false };
      perVerb.set(key, entry);
    }
    if (a.name && NAMEABLE_VERBS.includes(a.verb)) entry.names.add(a.name);
    else entry.unnamed = true;
  }
  // 2. Names that will not survive a rollout: drop them, and say why.
  const collapsed: Array<{ group: string; resource: string; verb: string; note: string; sensitive: boolean }> = [];
  if (!options.keepNames) {
    const max = options.maxNames ?? DEFAULT_MAX_NAMES;
    for (const e of perVerb.values()) {
      if (e.unnamed || e.names.size === 0) continue;
      // A rule without names on a sensitive resource reaches every object of it: keep what was read.
      const sensitive = namesAreSensitive(e.group, e.resource);
      if (sensitive && !options.widenSensitiveNames) continue;
      const names = sorted(e.names);
      const parent = e.resource.split('/')[0];
      const family = names.map((n) => nameFamily(parent, n)).find((f) => f !== undefined);
      if (family === undefined && names.length <= max) continue;
      const shown = names.length > 2 ? `"${names[0]}" .. "${names[names.length - 1]}"` : names.map((n) => `"${n}"`).join(', ');
      const why = family !== undefined
        ? `${shown} are ${family}, which change with every rollout`
        : `${names.length} names (more than ${max})`;
      collapsed.push({
        group: e.group, resource: e.resource, verb: e.verb, sensitive,
        note: sensitive
          ? `no resourceNames for ${e.verb} ${e.resource}: ${why}; --widen-sensitive-names dropped them, so this rule reaches every one of them in its scope`
          : `no resourceNames for ${e.verb} ${e.resource}: ${why}; --keep-names lists them`,
      });
      e.unnamed = true;
    }
  }
  // 3. Merge verbs with the same (group, resource, names); 4. then resources with the same (group, verbs, names).
  const byResource = new Map<string, { group: string; resource: string; names: string[]; verbs: Set<string> }>();
  for (const e of perVerb.values()) {
    const names = e.unnamed ? [] : sorted(e.names);
    const key = `${e.group}\u0000${e.resource}\u0000${names.join(',')}`;
    const entry = byResource.get(key) ?? { group: e.group, resource: e.resource, names, verbs: new Set<string>() };
    entry.verbs.add(e.verb);
    byResource.set(key, entry);
  }
  const byVerbs = new Map<string, { group: string; names: string[]; verbs: string[]; resources: Set<string> }>();
  for (const e of byResource.values()) {
    const verbs = sorted(e.verbs);
    const key = `${e.group}\u0000${verbs.join(',')}\u0000${e.names.join(',')}`;
    const entry = byVerbs.get(key) ?? { group: e.group, names: e.names, verbs, resources: new Set<string>() };
    entry.resources.add(e.resource);
    byVerbs.set(key, entry);
  }
  const rules: PolicyRule[] = [...byVerbs.values()].map((e) => ({
    apiGroups: [e.group],
    resources: sorted(e.resources),
    ...(e.names.length > 0 ? { resourceNames: e.names } : {}),
    verbs: e.verbs,
  }));
  const byPathVerbs = new Map<string, { verbs: string[]; paths: string[] }>();
  for (const [path, verbs] of paths) {
    const v = sorted(verbs);
    const entry = byPathVerbs.get(v.join(',')) ?? { verbs: v, paths: [] };
    entry.paths.push(path);
    byPathVerbs.set(v.join(','), entry);
  }
  for (const e of byPathVerbs.values()) rules.push({ nonResourceURLs: sorted(e.paths), verbs: e.verbs });
  rules.sort((a, b) => cmp(ruleSortKey(a), ruleSortKey(b)));
  const of = (r: PolicyRule) => collapsed
    .filter((c) => !r.resourceNames && r.apiGroups?.includes(c.group) && r.resources?.includes(c.resource) && r.verbs.includes(c.verb));
  const notes = rules.map((r) => of(r).map((c) => c.note));
  const widened = rules.map((r) => of(r).some((c) => c.sensitive));
  return { rules, notes, ...(widened.includes(true) ? { widened } : {}) };
}

function ruleSortKey(rule: PolicyRule): string {
  return JSON.stringify([rule.nonResourceURLs ?? [], rule.apiGroups ?? [], rule.resources ?? [], rule.resourceNames ?? [], rule.verbs]);
}

function role(kind: 'Role' | 'ClusterRole', name: string, namespace: string | undefined, least: LeastRules, clusterWide: boolean): SuggestedRole {
  return {
    kind,
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    rules: least.rules,
    risks: least.rules.map((r, i): AdviceRisk[] => [...privilegeRisks(r, clusterWide), ...(least.widened?.[i] ? [NAMES_WIDENED_RISK] : [])]),
    notes: least.notes,
  };
}

/** Splits `allowed` into what `coverage` allows already (with the grant) and the rest. */
function splitCovered(allowed: readonly ObservedAccess[], coverage: AdviceCoverage | undefined): { covered: CoveredAccess[]; rest: ObservedAccess[] } {
  const covered: CoveredAccess[] = [];
  const rest: ObservedAccess[] = [];
  for (const a of allowed) {
    const d = coverage ? authorize(coverage.policy, coverage.user, accessRequest(a)) : undefined;
    if (d?.allowed && d.grant) covered.push({ access: a, by: d.grant.source.description });
    else rest.push(a);
  }
  return { covered, rest };
}

/**
 * The least-privilege grants covering `allowed`, the distinct requests `subject` was allowed
 * (see {@link ObservedAccesses}). Forbidden requests are not covered: they are reported by the grant diff.
 * @param subject who the grants are for
 * @param allowed the allowed requests
 */
export function adviseRbac(subject: AdviceSubject, allowed: readonly ObservedAccess[], options: AdviseOptions = {}): Advice {
  const base = `${options.baseName ?? adviceBaseName(subject)}${options.nameInfix ?? ''}`;
  const home = subject.kind === 'ServiceAccount' ? subject.namespace : undefined;
  const byNamespace = new Map<string, ObservedAccess[]>();
  const cluster: ObservedAccess[] = [];
  const { covered, rest } = splitCovered(allowed.filter((a) => a.decision === 'allow'), options.coverage);
  for (const a of rest) {
    if (a.path !== undefined || a.namespace === '') {
      cluster.push(a);
    } else {
      const list = byNamespace.get(a.namespace) ?? [];
      list.push(a);
      byNamespace.set(a.namespace, list);
    }
  }
  const grants: AdviceGrant[] = [];
  const namespaces = [...byNamespace.keys()].sort((a, b) => (a === home ? -1 : b === home ? 1 : cmp(a, b)));
  for (const ns of namespaces) {
    const rules = leastRules(byNamespace.get(ns)!, options);
    if (ns === home) {
      grants.push({
        scope: { kind: 'home', namespace: ns },
        role: role('ClusterRole', `${base}${IDENTITY_NAME_SUFFIXES.clusterRole}`, undefined, rules, false),
        binding: { kind: 'RoleBinding', name: `${base}${IDENTITY_NAME_SUFFIXES.roleBinding}`, namespace: ns, roleRef: { kind: 'ClusterRole', name: `${base}${IDENTITY_NAME_SUFFIXES.clusterRole}` } },
        why: `A ClusterRole bound by a RoleBinding in "${ns}": the binding confines the rules to the service account's own namespace, and it is the shape ReaderIdentity ships, so it compares line by line with today's grant.`,
      });
    } else {
      grants.push({
        scope: { kind: 'namespace', namespace: ns },
        role: role('Role', `${base}${IDENTITY_NAME_SUFFIXES.role}`, ns, rules, false),
        binding: { kind: 'RoleBinding', name: `${base}${IDENTITY_NAME_SUFFIXES.roleBinding}`, namespace: ns, roleRef: { kind: 'Role', name: `${base}${IDENTITY_NAME_SUFFIXES.role}` } },
        why: subject.kind === 'ServiceAccount'
          ? `A Role and RoleBinding in "${ns}", outside the service account's namespace: the rules exist only there (ReaderIdentity's crossNamespace grant), so they never widen the home grant.`
          : `A Role and RoleBinding in "${ns}": the rules exist only in that namespace.`,
      });
    }
  }
  if (cluster.length > 0) {
    const alone = grants.length === 0;
    const name = alone ? `${base}${IDENTITY_NAME_SUFFIXES.clusterRole}` : `${base}-cluster-cr`;
    grants.push({
      scope: { kind: 'cluster' },
      role: role('ClusterRole', name, undefined, leastRules(cluster, options), true),
      binding: { kind: 'ClusterRoleBinding', name: `${base}-crb`, roleRef: { kind: 'ClusterRole', name } },
      why: 'A ClusterRole bound by a ClusterRoleBinding: cluster-scoped resources, requests across all namespaces and non-resource URLs are granted by nothing else; keep these rules few.',
    });
  }
  return { subject, baseName: base, grants, requests: allowed.filter((a) => a.decision === 'allow').length, covered };
}

/** The subject as a binding lists it (`apiGroup` for users, as AccessBinding renders it). */
export function bindingSubject(subject: AdviceSubject): Record<string, string> {
  return subject.kind === 'ServiceAccount'
    ? { kind: 'ServiceAccount', name: subject.name, namespace: subject.namespace! }
    : { apiGroup: RBAC_GROUP, kind: 'User', name: subject.name };
}
