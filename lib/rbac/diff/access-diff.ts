/**
 * The access diff: for every subject, the requests the head policy allows and the base policy
 * denies (gained) and the reverse (lost), exactly (see `classes.ts` and `cells.ts`), merged into
 * rows, each gained row with its risks from the one catalogue and the binding and rule that grant
 * it, at their `file:line`.
 */
import { InvalidRequestError } from '../errors';
import type { LoadedObject, LoadResult, SourceLocation } from '../load';
import { RbacPolicy, ResolvedBinding, subjectKey } from '../policy';
import { PrivilegeRisk, RiskDefinition, ruleRisks, RISK_SEVERITIES, RiskSeverity } from '../risks';
import { apiResourcesFor } from '../kube-versions';
import { AccessRequest, KubeObject, PolicyRule, Subject } from '../types';
import { ChangeKind, SubjectCells, ruleKey } from './cells';
import { allBindings, collectSubjects, DiffSubject, SideGrant, SideIndex, userKeys } from './grants';
import { ChangeRow, changeRows, ValueSet } from './rows';

/** One side of a diff: a policy, and optionally what it was loaded from (for the roles' file:line). */
export interface DiffSide {
  /** The policy. */
  readonly policy: RbacPolicy;
  /**
   * What the policy was built from, to locate the role each granting rule is written in.
   * @default - roles are not located (bindings still are, from the policy)
   */
  readonly load?: LoadResult;
}

/** Where a changed access comes from, on the side that allows it. */
export interface AccessGrant {
  /** Upstream's description, e.g. `RoleBinding "rb/dev" of ClusterRole "cr" to ServiceAccount "sa/dev"`. */
  readonly binding: string;
  /**
   * Where the binding is written.
   * @default - none (a bootstrap binding, or objects given without a source)
   */
  readonly bindingAt?: SourceLocation;
  /** The role the rule is written in, e.g. `ClusterRole "cr"` (for an aggregated role, the role that contributed the rule). */
  readonly role: string;
  /**
   * Where the role is written.
   * @default - none (a bootstrap role, or objects given without a source)
   */
  readonly roleAt?: SourceLocation;
  /** The rule. */
  readonly rule: PolicyRule;
  /**
   * Where the change is made: the binding when it is new or changed against the other side, else the role.
   * @default - none when neither has a source
   */
  readonly at?: SourceLocation;
}

/** A risk of a gained access, from the catalogue. */
export interface AccessRisk {
  /** The catalogue id, e.g. `secrets-read`. */
  readonly id: PrivilegeRisk;
  /** Its severity. */
  readonly severity: RiskSeverity;
  /** One sentence why. */
  readonly why: string;
}

/** One merged row of gained or lost access. */
export interface AccessChange {
  /** Gained or lost. */
  readonly change: ChangeKind;
  /** `resource` or `url`. */
  readonly kind: 'resource' | 'url';
  /** The verbs. */
  readonly verbs: ValueSet;
  /**
   * Resources as `RESOURCE[.GROUP]` (`*` for any not named elsewhere in this subject's diff).
   * @default - none (a URL row)
   */
  readonly resources?: ValueSet;
  /**
   * Subresources (`""` is the resource itself).
   * @default - none (a URL row)
   */
  readonly subresources?: ValueSet;
  /**
   * Object names (`""` is a request without a name: list, watch, create, deletecollection).
   * @default - none (a URL row)
   */
  readonly names?: ValueSet;
  /**
   * Namespaces of the request (`""` is a request without one: cluster-scoped objects, all-namespaces lists).
   * `{ any: true, values: [] }` is cluster-wide.
   * @default - none (a URL row)
   */
  readonly namespaces?: ValueSet;
  /**
   * Non-resource URLs: exact paths, `PREFIX*` for the paths under a prefix, `*` for any other.
   * @default - none (a resource row)
   */
  readonly urls?: ValueSet;
  /** The risks of a gained row, most severe first (none for a lost row). */
  readonly risks: readonly AccessRisk[];
  /**
   * The most severe risk's severity.
   * @default - none (no risk)
   */
  readonly severity?: RiskSeverity;
  /** The bindings and rules that allow it on the side that allows it (head for gained, base for lost). */
  readonly grantedBy: readonly AccessGrant[];
}

/** What changed for one subject. */
export interface SubjectAccessDiff {
  /** The subject. */
  readonly subject: DiffSubject;
  /** Whether any binding of the base side names the subject (false: it is new). */
  readonly inBase: boolean;
  /** Whether any binding of the head side names the subject (false: it is gone). */
  readonly inHead: boolean;
  /** Access gained, most severe first. */
  readonly gained: readonly AccessChange[];
  /** Access lost. */
  readonly lost: readonly AccessChange[];
}

/** The whole diff. */
export interface AccessDiff {
  /** The Kubernetes release both sides were built for. */
  readonly kubeVersion: string;
  /** How many subjects were compared. */
  readonly subjectsCompared: number;
  /** The subjects whose access changed, by key. */
  readonly subjects: readonly SubjectAccessDiff[];
}

const internals = new WeakMap<AccessDiff, ReadonlyMap<string, SubjectCells>>();

/** Where each role (by kind/namespace/name) and each role rule (by content) is written, for one side; indexed on first use. */
class RoleLocations {
  private byRole?: Map<string, SourceLocation>;
  private byRule?: Map<string, { role: string; at: SourceLocation }>;

  constructor(private readonly load: LoadResult | undefined) {}

  public role(kind: string, namespace: string, name: string): SourceLocation | undefined {
    if (!this.byRole) {
      this.byRole = new Map();
      for (const o of this.roles()) this.byRole.set(`${String(o.object.kind)}/${namespaceOf(o.object)}/${String(o.object.metadata?.name ?? '')}`, o.source);
    }
    return this.byRole.get(`${kind}/${namespace}/${name}`);
  }

  /** The first loaded ClusterRole that holds `rule` as written (for rules an aggregated role collected). */
  public ruleOwner(rule: PolicyRule): { role: string; at: SourceLocation } | undefined {
    if (!this.byRule) {
      this.byRule = new Map();
      for (const o of this.roles()) {
        if (o.object.kind !== 'ClusterRole') continue;
        for (const r of Array.isArray(o.object.rules) ? (o.object.rules as PolicyRule[]) : []) {
          const key = ruleKey(r);
          if (!this.byRule.has(key)) this.byRule.set(key, { role: `ClusterRole "${String(o.object.metadata?.name ?? '')}"`, at: o.source });
        }
      }
    }
    return this.byRule.get(ruleKey(rule));
  }

  private roles(): LoadedObject[] {
    return (this.load?.objects ?? []).filter((o) => o.object.kind === 'Role' || o.object.kind === 'ClusterRole');
  }
}

function namespaceOf(o: KubeObject): string {
  return o.kind === 'Role' ? String(o.metadata?.namespace ?? 'default') : '';
}

function bindingId(b: ResolvedBinding): string {
  return `${b.kind}/${b.namespace}/${b.name}`;
}

function bindingsById(policy: RbacPolicy): Map<string, ResolvedBinding> {
  return new Map(allBindings(policy).map((b) => [bindingId(b), b]));
}

function roleLabel(b: ResolvedBinding): string {
  return b.roleRef.kind === 'Role' ? `Role "${b.roleRef.name}/${b.namespace}"` : `${b.roleRef.kind} "${b.roleRef.name}"`;
}

function clusterScopedPairs(base: RbacPolicy, head: RbacPolicy): Array<readonly [string, string]> {
  const out = new Map<string, readonly [string, string]>();
  const add = (g: string, r: string) => out.set(`${g}/${r}`, [g, r]);
  for (const r of apiResourcesFor(base.kubeVersion)) if (!r.namespaced) add(r.group, r.resource);
  for (const p of [base, head]) for (const c of p.customResources()) add(c.group, c.resource);
  return [...out.values()].filter(([g, r]) => base.isClusterScoped(g, r) || head.isClusterScoped(g, r));
}

function severityRank(s: RiskSeverity | undefined): number {
  return s === undefined ? -1 : RISK_SEVERITIES.indexOf(s);
}

/** The rules a row stands for, for the risk catalogue (wildcards where the row holds any value). */
function rowRules(row: ChangeRow): PolicyRule[] {
  const verbs = row.verbs.any ? ['*'] : [...row.verbs.values];
  if (row.kind === 'url') return [{ verbs, nonResourceURLs: row.urls.any ? ['*'] : [...row.urls.values] }];
  const names = row.names.any ? [] : row.names.values.filter((n) => n !== '');
  const subs = row.subresources.any ? ['*'] : row.subresources.values;
  const targets: Array<[string, string]> = row.resources.any ? [['*', '*']] : row.resources.values.map((t) => splitTarget(t));
  return targets.flatMap(([group, resource]) => subs.map((sub) => ({
    verbs, apiGroups: [group], resources: [sub === '*' ? '*' : sub === '' ? resource : `${resource}/${sub}`], resourceNames: names,
  })));
}

/** `pods` -> ["", "pods"]; `deployments.apps` -> ["apps", "deployments"]; `*.*` -> ["*", "*"]. */
function splitTarget(text: string): [string, string] {
  const dot = text.indexOf('.');
  return dot < 0 ? ['', text] : [text.slice(dot + 1), text.slice(0, dot)];
}

function risksOf(row: ChangeRow): AccessRisk[] {
  const clusterWide = row.kind === 'url' || row.namespaces.any;
  const found = new Map<string, RiskDefinition>();
  for (const rule of rowRules(row)) for (const r of ruleRisks(rule, clusterWide)) found.set(r.id, r);
  return [...found.values()]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity))
    .map((r) => ({ id: r.id, severity: r.severity, why: r.why }));
}

/**
 * The access each subject gains and loses from `base` to `head`: exactly the requests
 * `authorize(head, user, r).allowed && !authorize(base, user, r).allowed` (gained) and the
 * reverse (lost), for every subject of either side (see {@link DiffSubject}).
 * @throws InvalidRequestError when the two policies were built for different Kubernetes releases
 */
export function diffAccess(base: DiffSide, head: DiffSide): AccessDiff {
  if (base.policy.kubeVersion !== head.policy.kubeVersion) {
    throw new InvalidRequestError(
      `The base policy is for Kubernetes ${base.policy.kubeVersion} and the head for ${head.policy.kubeVersion}; build both for one release (--kube-version).`,
    );
  }
  const baseIndex = new SideIndex(base.policy);
  const headIndex = new SideIndex(head.policy);
  const clusterScoped = clusterScopedPairs(base.policy, head.policy);
  const locations = { base: new RoleLocations(base.load), head: new RoleLocations(head.load) };
  const bindings = { base: bindingsById(base.policy), head: bindingsById(head.policy) };
  const { subjects, inBase, inHead } = collectSubjects(base.policy, head.policy);
  const scopesDiffer = clusterScoped.some(([g, r]) => base.policy.isClusterScoped(g, r) !== head.policy.isClusterScoped(g, r));
  // Only a subject matched by a binding that differs between the sides can change (unless a scope moved).
  const touched = scopesDiffer ? undefined : touchedKeys(bindings.base, bindings.head);
  const cellsByKey = new Map<string, SubjectCells>();
  const out: SubjectAccessDiff[] = [];
  for (const subject of subjects) {
    if (touched && !userKeys(subject.user).some((k) => touched.has(k))) continue;
    const sides = {
      user: subject.user, base: baseIndex.grantsFor(subject.user), head: headIndex.grantsFor(subject.user),
      baseScopes: base.policy, headScopes: head.policy, clusterScoped,
    };
    if (!scopesDiffer && SubjectCells.unchanged(sides)) continue;
    const cells = new SubjectCells(sides);
    if (cells.changes.size === 0) continue;
    cellsByKey.set(subject.key, cells);
    const all = [...cells.changes.values()];
    const grant = (side: 'base' | 'head') => (g: SideGrant): AccessGrant => {
      const other = side === 'head' ? bindings.base : bindings.head;
      const b = g.binding;
      const bindingAt = b.source;
      const owner = b.roleRef.kind === 'Role'
        ? { role: roleLabel(b), at: locations[side].role('Role', b.namespace, b.roleRef.name) }
        : locations[side].role('ClusterRole', '', b.roleRef.name) !== undefined && !isAggregated(side === 'head' ? head.policy : base.policy, b.roleRef.name)
          ? { role: roleLabel(b), at: locations[side].role('ClusterRole', '', b.roleRef.name) }
          : locations[side].ruleOwner(g.rule) ?? { role: roleLabel(b), at: undefined };
      const roleAt = owner.at;
      const before = other.get(bindingId(b));
      const bindingChanged = before === undefined || !sameSubjectsAndRole(before, b);
      const at = bindingChanged ? bindingAt ?? roleAt : roleAt ?? bindingAt;
      return {
        binding: RbacPolicy.describe(b, g.subject), ...(bindingAt ? { bindingAt } : {}), role: owner.role, ...(roleAt ? { roleAt } : {}),
        rule: g.rule, ...(at ? { at } : {}),
      };
    };
    const rows = (kind: ChangeKind) => changeRows(cells, all.filter((c) => c.change === kind)).map((row): AccessChange => {
      const risks = kind === 'gained' ? risksOf(row) : [];
      const side = kind === 'gained' ? 'head' : 'base';
      const grantedBy = uniqueGrants(row.grants).map(grant(side));
      const { grants: _grants, ...target } = row;
      return { change: kind, ...target, risks, ...(risks.length > 0 ? { severity: risks[0].severity } : {}), grantedBy };
    });
    const gained = rows('gained').sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
    out.push({ subject, inBase: inBase.has(subject.key), inHead: inHead.has(subject.key), gained, lost: rows('lost') });
  }
  const diff: AccessDiff = { kubeVersion: head.policy.kubeVersion, subjectsCompared: subjects.length, subjects: out };
  internals.set(diff, cellsByKey);
  return diff;
}

function isAggregated(policy: RbacPolicy, name: string): boolean {
  return Boolean(policy.clusterRole(name)?.aggregationRule);
}

function uniqueGrants(grants: readonly SideGrant[]): SideGrant[] {
  const seen = new Set<string>();
  const out: SideGrant[] = [];
  for (const g of grants) {
    const key = `${g.binding.kind}/${g.binding.namespace}/${g.binding.name}\u0000${ruleKey(g.rule)}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(g);
    }
  }
  return out;
}

function sameSubject(a: Subject, b: Subject): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '');
}

/** Whether two versions of a binding have the same roleRef and subjects. */
function sameSubjectsAndRole(x: ResolvedBinding, y: ResolvedBinding): boolean {
  if (x.roleRef.kind !== y.roleRef.kind || x.roleRef.name !== y.roleRef.name) return false;
  return x.subjects.length === y.subjects.length && x.subjects.every((s, i) => sameSubject(s, y.subjects[i]));
}

/** Whether two versions of a binding grant the same rules to the same subjects (roleRef, subjects, the role's rules). */
function sameGrant(x: ResolvedBinding, y: ResolvedBinding): boolean {
  if (!sameSubjectsAndRole(x, y)) return false;
  const a = x.rules ?? [];
  const b = y.rules ?? [];
  return a.length === b.length && a.every((r, i) => r === b[i] || sameRule(r, b[i]));
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Whether two rules are written the same (the five lists, in order): the policy's `ruleKey` without building strings. */
function sameRule(a: PolicyRule, b: PolicyRule): boolean {
  return sameList(a.verbs, b.verbs) && sameList(a.apiGroups, b.apiGroups) && sameList(a.resources, b.resources)
    && sameList(a.resourceNames, b.resourceNames) && sameList(a.nonResourceURLs, b.nonResourceURLs);
}

/** The index keys (`u:NAME`, `g:GROUP`) of every subject of a binding that is added, removed or changed between the sides. */
function touchedKeys(a: ReadonlyMap<string, ResolvedBinding>, b: ReadonlyMap<string, ResolvedBinding>): Set<string> {
  const touched = new Set<string>();
  const touch = (binding: ResolvedBinding | undefined) => {
    for (const s of binding?.subjects ?? []) {
      const key = subjectKey(s, binding!.namespace);
      if (key !== undefined) touched.add(key);
    }
  };
  for (const [id, x] of a) {
    const y = b.get(id);
    if (y === undefined || (x !== y && !sameGrant(x, y))) {
      touch(x);
      touch(y);
    }
  }
  for (const [id, y] of b) if (!a.has(id)) touch(y);
  return touched;
}

/**
 * How `request` changed for the subject `subjectKey` (e.g. `ServiceAccount:dev/app`) in `diff`:
 * `gained`, `lost`, or `undefined` when it did not change. Answered from the diff's own cells,
 * never by asking the policies again.
 */
export function classifyRequest(diff: AccessDiff, subjectKey: string, request: AccessRequest): ChangeKind | undefined {
  return internals.get(diff)?.get(subjectKey)?.classify(request);
}

/** The most severe risk of any gained row in the diff, or undefined when none carries a risk. */
export function highestSeverity(diff: AccessDiff): RiskSeverity | undefined {
  let best: RiskSeverity | undefined;
  for (const s of diff.subjects) for (const g of s.gained) if (severityRank(g.severity) > severityRank(best)) best = g.severity;
  return best;
}
