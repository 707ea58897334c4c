/**
 * A set of RBAC objects ready to evaluate: indexes roles, cluster roles and bindings; resolves
 * aggregated ClusterRoles from the loaded cluster roles' labels, replacing their hand-written rules as
 * the clusterrole-aggregation controller does (a role whose selectors match nothing keeps its own); resolves each binding's roleRef once (upstream
 * `GetRoleReferenceRules`, with the same error texts); and reports problems such as a binding whose
 * role is missing.
 */
import { bootstrapObjects } from './bootstrap';
import { InvalidObjectError } from './errors';
import { bindingLabel, describeBinding } from './format';
import { DEFAULT_KUBE_VERSION, resolveKubeVersion } from './kube-versions';
import { CustomResourceNames, customResourcesIn } from './resources';
import { ResourceScopes } from './scope';
import { checkEnabledApis } from './served-apis';
import type { LoadedObject, LoadResult, SourceLocation } from './load';
import { labelSelectorMatches } from './selectors';
import { serviceAccountUsername } from './subjects';
import { unknownFieldPhrases, unservedVersionWarning, validateRbacObject } from './validate';
import {
  Binding, ClusterRole, KubeObject, PolicyRule, Role, RoleRef, ServiceAccount, Subject, UserInfo,
} from './types';

/**
 * What to do with a field an RBAC object's API type does not have, as kube-apiserver's field
 * validation (`kubectl apply --validate=...`) does: `strict` refuses the object, `warn` keeps it
 * and warns, `ignore` drops the field silently.
 */
export type FieldValidation = 'strict' | 'warn' | 'ignore';

/** Options for building an {@link RbacPolicy}. */
export interface PolicyOptions {
  /**
   * Include Kubernetes' bootstrap policy (see `bootstrap.ts`), which every real cluster has.
   * Objects you load with the same kind and name replace the bootstrap ones.
   * @default true
   */
  readonly bootstrap?: boolean;
  /**
   * The namespace given to namespaced objects that have none (as `kubectl apply` would use the
   * context's namespace). Each such object is reported in {@link RbacPolicy.problems}.
   * @default "default"
   */
  readonly defaultNamespace?: string;
  /**
   * The Kubernetes release to answer for, e.g. `1.34` (`v1.34` and `1.34.2` are accepted): its
   * bootstrap policy and which of its built-in resources are cluster-scoped.
   * @default DEFAULT_KUBE_VERSION
   */
  readonly kubeVersion?: string;
  /**
   * Check each loaded Role, ClusterRole, RoleBinding and ClusterRoleBinding as kubectl and
   * kube-apiserver would before storing it (apiVersion set, field types, required fields, roleRef,
   * subjects; unknown fields as {@link PolicyOptions.fieldValidation} says) and refuse the whole input,
   * with an {@link InvalidObjectError} naming every invalid object's file:line, when one fails, as
   * `kubectl apply` refuses it. Turn it off only for objects a server already accepted (a dump read
   * back from a cluster) to evaluate them as they are: malformed objects are then evaluated as given.
   * @default true
   */
  readonly validate?: boolean;
  /**
   * Fields an RBAC object's API type does not have (`extra: true` at the top, `bogus: 1` in a rule,
   * `verb:` for `verbs:`), when {@link PolicyOptions.validate} is on: `strict` refuses the object
   * with an {@link InvalidObjectError} naming the field, as `kubectl apply` does by default
   * (`--validate=strict`); `warn` evaluates it and reports each object with them in
   * {@link RbacPolicy.problems} as `unknown-field` (`--validate=warn`); `ignore` evaluates it
   * silently (`--validate=false`). The evaluator never reads an unknown field, as the server drops
   * it.
   * @default "strict"
   */
  readonly fieldValidation?: FieldValidation;
  /**
   * API versions the cluster serves besides a default server's (`GROUP/VERSION` as in the
   * server's `--runtime-config`, e.g. `certificates.k8s.io/v1beta1`, or `api/all`): their
   * resources count as served (name resolution, the "no such resource type" warning).
   * @default [] (what a server started with default flags serves)
   */
  readonly enabledApis?: readonly string[];
  /**
   * What to do with input the API server would not store (objects {@link PolicyOptions.validate}
   * refuses, and documents that could not be parsed, `LoadResult.errors`): `refuse` throws one
   * {@link InvalidObjectError} naming every one of them, for CI; `skip` does what
   * `kubectl apply -f DIR` does: evaluates the rest and lists each rejected one in
   * {@link RbacPolicy.rejected}.
   * @default "refuse"
   */
  readonly invalidObjects?: 'refuse' | 'skip';
}

/** What kind of problem a {@link PolicyProblem} is. */
export type PolicyProblemKind =
  | 'missing-role'
  | 'unsupported-role-kind'
  | 'invalid-object'
  | 'duplicate'
  | 'missing-namespace'
  | 'subject-matches-nobody'
  | 'invalid-aggregation'
  | 'unserved-api-version'
  | 'unknown-field';

/**
 * Something in the input that the evaluator worked around, or a warning (`unserved-api-version`:
 * an RBAC version the server no longer serves; `unknown-field`: fields the server drops, with
 * `fieldValidation: "warn"`); none of them stops evaluation.
 */
export interface PolicyProblem {
  /** The kind of problem. */
  readonly kind: PolicyProblemKind;
  /** A whole sentence: what, where, and how to fix it. */
  readonly message: string;
  /**
   * Where the object was read from.
   * @default - unknown (objects given directly, or bootstrap)
   */
  readonly source?: SourceLocation;
}

/** A binding with its roleRef resolved (once, when the policy is built). */
export interface ResolvedBinding {
  /** `ClusterRoleBinding` or `RoleBinding`. */
  readonly kind: 'ClusterRoleBinding' | 'RoleBinding';
  /** The binding's name. */
  readonly name: string;
  /** The binding's namespace; `""` for a ClusterRoleBinding. */
  readonly namespace: string;
  /** The referenced role. */
  readonly roleRef: RoleRef;
  /** The binding's subjects. */
  readonly subjects: readonly Subject[];
  /** The referenced role's rules, or `undefined` when it could not be resolved (see `error`). */
  readonly rules?: readonly PolicyRule[];
  /** Upstream's error text when the role could not be resolved, e.g. `clusterrole.rbac.authorization.k8s.io "x" not found`. */
  readonly error?: string;
  /**
   * Where the binding was read from.
   * @default - unknown
   */
  readonly source?: SourceLocation;
  /** The binding object as given. */
  readonly object: Binding;
}

/** An object to build from, with where it was read (a {@link LoadedObject} as it is). */
interface Input {
  readonly object: KubeObject;
  readonly source?: SourceLocation;
}

interface Entry extends Input {
  readonly bootstrap: boolean;
}

type Index = Map<string, number[]>;

const MAX_AGGREGATION_ROUNDS = 100;

/** A rule's identity by content (its five lists), as aggregation de-duplicates rules. */
export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([rule.verbs ?? [], rule.apiGroups ?? [], rule.resources ?? [], rule.resourceNames ?? [], rule.nonResourceURLs ?? []]);
}

function sameRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): boolean {
  return a.length === b.length && a.every((r, i) => ruleKey(r) === ruleKey(b[i]));
}

function where(source: SourceLocation | undefined): string {
  return source ? ` (${source.file}:${source.line})` : '';
}

function objectLabel(o: KubeObject): string {
  const name = o.metadata?.name;
  return typeof name === 'string' && name !== '' ? `${String(o.kind)} "${name}"` : `A ${String(o.kind)} without a name`;
}

/** The sentence for an object the server would reject, starting with its file:line when known. */
function rejection(entry: Input, errors: readonly string[]): string {
  const at = entry.source ? `${entry.source.file}:${entry.source.line}: ` : '';
  return `${at}${objectLabel(entry.object)} would be rejected by the API server: ${errors.join('. ')}.`;
}

/** The key a binding subject matches users by in the subject indexes (`u:NAME`, `g:GROUP`), or undefined when it matches nobody. */
export function subjectKey(subject: Subject, bindingNamespace: string): string | undefined {
  switch (subject.kind) {
    case 'User':
      return `u:${subject.name}`;
    case 'Group':
      return `g:${subject.name}`;
    case 'ServiceAccount': {
      const ns = subject.namespace ? subject.namespace : bindingNamespace;
      return ns ? `u:${serviceAccountUsername(ns, subject.name)}` : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a subject can match anyone: a User, a Group, or a ServiceAccount with a namespace to be in. */
function matchesSomebody(s: Subject, kind: 'RoleBinding' | 'ClusterRoleBinding'): boolean {
  if (s.kind === 'ServiceAccount') return Boolean(s.namespace) || kind === 'RoleBinding';
  return s.kind === 'User' || s.kind === 'Group';
}

function addToIndex(index: Index, key: string, position: number): void {
  const list = index.get(key);
  if (!list) index.set(key, [position]);
  else if (list[list.length - 1] !== position) list.push(position);
}

function buildIndex(bindings: readonly ResolvedBinding[]): Index {
  const index: Index = new Map();
  bindings.forEach((b, i) => {
    for (const s of b.subjects) {
      const key = subjectKey(s, b.namespace);
      if (key) addToIndex(index, key, i);
    }
  });
  return index;
}

function candidates(bindings: readonly ResolvedBinding[], index: Index, user: UserInfo): ResolvedBinding[] {
  const positions: number[] = [];
  const add = (key: string) => {
    const list = index.get(key);
    if (list) positions.push(...list);
  };
  add(`u:${user.name}`);
  for (const g of user.groups) add(`g:${g}`);
  if (positions.length === 0) return [];
  positions.sort((a, b) => a - b);
  const out: ResolvedBinding[] = [];
  let last = -1;
  for (const p of positions) {
    if (p !== last) out.push(bindings[p]);
    last = p;
  }
  return out;
}

/**
 * An immutable, indexed set of RBAC objects. Build one with {@link RbacPolicy.fromObjects} or
 * {@link RbacPolicy.fromLoadResult}, then ask `authorize`, `whoCan` and `rulesFor` (in `evaluate.ts`).
 */
export class RbacPolicy {
  /**
   * Builds a policy from plain objects (parsed YAML/JSON). Objects of other kinds are ignored.
   * @param objects any parsed objects; RBAC kinds and ServiceAccounts/Namespaces are used
   * @param options bootstrap, default namespace, version, validation
   * @throws InvalidObjectError when an RBAC object is one the API server would reject (see {@link PolicyOptions.validate})
   */
  public static fromObjects(objects: Iterable<unknown>, options: PolicyOptions = {}): RbacPolicy {
    const entries: Input[] = [];
    for (const o of objects) {
      if (typeof o === 'object' && o !== null && !Array.isArray(o)) entries.push({ object: o as KubeObject });
    }
    return new RbacPolicy(entries, options);
  }

  /**
   * Builds a policy from a {@link LoadResult}, keeping each object's file:line for problem messages.
   * @param result what `loadPaths`/`parseManifests` returned
   * @param options bootstrap, default namespace, version, validation
   * @throws InvalidObjectError when an RBAC object is one the API server would reject, or a document
   *   could not be parsed (`result.errors`), naming each one's file:line (unless `invalidObjects: "skip"`)
   */
  public static fromLoadResult(result: LoadResult, options: PolicyOptions = {}): RbacPolicy {
    return new RbacPolicy(result.objects, options, (result.errors ?? []).map((e) => e.message));
  }

  /** Problems found while building: missing roles, duplicates, subjects that match nobody, and so on. */
  public readonly problems: readonly PolicyProblem[];
  /** Whether the bootstrap policy is included. */
  public readonly includesBootstrap: boolean;
  /** The Kubernetes minor release answered for, e.g. `1.35`. */
  public readonly kubeVersion: string;
  /**
   * With `invalidObjects: "skip"`, one sentence (with `file:line`) per document that could not be
   * parsed and per object the API server would reject, which the policy leaves out; else empty.
   */
  public readonly rejected: readonly string[];
  /** The API versions served besides the defaults ({@link PolicyOptions.enabledApis}). */
  public readonly enabledApis: readonly string[];

  private readonly clusterRoleMap = new Map<string, ClusterRole>();
  private readonly roleMap = new Map<string, Role>();
  private readonly crbs: ResolvedBinding[] = [];
  private crbIndex?: Index;
  private readonly rbsByNamespace = new Map<string, { bindings: ResolvedBinding[]; index?: Index }>();
  private readonly serviceAccountList: ServiceAccount[] = [];
  private readonly customResourceList: CustomResourceNames[] = [];
  private readonly namespaceSet = new Set<string>();
  private readonly scopes: ResourceScopes;
  private readonly candidateCache = new WeakMap<UserInfo, { cluster: ResolvedBinding[]; byNamespace: Map<string, ResolvedBinding[]> }>();

  private constructor(input: readonly (Input | LoadedObject)[], options: PolicyOptions, unparsed: readonly string[] = []) {
    const problems: PolicyProblem[] = [];
    this.includesBootstrap = options.bootstrap ?? true;
    this.kubeVersion = resolveKubeVersion(options.kubeVersion ?? DEFAULT_KUBE_VERSION);
    this.enabledApis = checkEnabledApis(this.kubeVersion, options.enabledApis ?? []);
    const bootstrap = this.includesBootstrap ? bootstrapObjects(this.kubeVersion).map((o) => ({ object: o as unknown as KubeObject })) : [];

    const byKey = new Map<string, KeyedEntry>();
    deduplicate(bootstrap, true, byKey, options, problems);
    const rejected = [...unparsed, ...deduplicate(input, false, byKey, options, problems)];
    if (rejected.length > 0 && (options.invalidObjects ?? 'refuse') === 'refuse') throw new InvalidObjectError(rejected);
    this.rejected = rejected;
    const bindingEntries = this.indexObjects(byKey);
    this.aggregate(problems, byKey);
    for (const e of bindingEntries) this.addBinding(this.resolveBinding(e, problems));
    this.scopes = new ResourceScopes(this.kubeVersion, this.customResourceList);
    // The subject indexes are built when first asked for (a single question needs one namespace's).
    this.problems = problems;
  }

  /** Phase 2: index roles, service accounts, namespaces and custom resources; returns the bindings, in input order. */
  private indexObjects(byKey: Map<string, KeyedEntry>): KeyedEntry[] {
    const bindingEntries: KeyedEntry[] = [];
    for (const e of byKey.values()) {
      switch (e.object.kind) {
        case 'ClusterRole':
          this.clusterRoleMap.set(e.name, e.object as unknown as ClusterRole);
          break;
        case 'Role':
          this.roleMap.set(`${e.namespace}/${e.name}`, withNs(e.object, e.namespace) as unknown as Role);
          if (!e.bootstrap) this.namespaceSet.add(e.namespace);
          break;
        case 'ServiceAccount':
          this.serviceAccountList.push(withNs(e.object, e.namespace) as unknown as ServiceAccount);
          this.namespaceSet.add(e.namespace);
          break;
        case 'Namespace':
          this.namespaceSet.add(e.name);
          break;
        case 'CustomResourceDefinition':
          this.customResourceList.push(...customResourcesIn([e.object]));
          break;
        case 'RoleBinding':
          if (!e.bootstrap) this.namespaceSet.add(e.namespace);
          bindingEntries.push(e);
          break;
        case 'ClusterRoleBinding':
          bindingEntries.push(e);
          break;
        default:
          break;
      }
    }
    return bindingEntries;
  }

  /** Phase 4: resolve one binding's role and note bindings that grant nothing or match nobody. */
  private resolveBinding(e: KeyedEntry, problems: PolicyProblem[]): ResolvedBinding {
    const kind = e.object.kind as 'RoleBinding' | 'ClusterRoleBinding';
    const namespace = kind === 'RoleBinding' ? e.namespace : '';
    const roleRef = e.object.roleRef as RoleRef;
    const subjects = (Array.isArray(e.object.subjects) ? e.object.subjects : []) as Subject[];
    const resolved = this.getRoleReferenceRules(roleRef, namespace);
    const object = (kind === 'RoleBinding' ? withNs(e.object, namespace) : e.object) as unknown as Binding;
    const rb: ResolvedBinding = resolved.error === undefined
      ? { kind, name: e.name, namespace, roleRef, subjects, rules: resolved.rules, source: e.source, object }
      : { kind, name: e.name, namespace, roleRef, subjects, error: resolved.error, source: e.source, object };
    if (resolved.error === undefined && subjects.every((s) => matchesSomebody(s, kind))) return rb;
    const label = bindingLabel(kind, e.name, namespace);
    if (resolved.error !== undefined) {
      const missing = resolved.error.endsWith('not found');
      const fix = missing
        ? roleRef.kind === 'Role'
          ? `create Role "${roleRef.name}" in namespace "${namespace}" (a Role elsewhere does not count), or point roleRef at an existing role`
          : `create ClusterRole "${roleRef.name}", or point roleRef at an existing role`
        : 'use roleRef.kind Role or ClusterRole';
      problems.push({
        kind: missing ? 'missing-role' : 'unsupported-role-kind',
        message: `${label}${where(e.source)} grants nothing: ${resolved.error}; ${fix}.`,
        source: e.source,
      });
    }
    subjects.forEach((s) => {
      if (matchesSomebody(s, kind)) return;
      if (s.kind === 'ServiceAccount') {
        problems.push({
          kind: 'subject-matches-nobody',
          message: `${label}${where(e.source)} has ServiceAccount subject "${s.name}" without a namespace, which matches nobody in a ClusterRoleBinding; set subjects[].namespace.`,
          source: e.source,
        });
      } else {
        problems.push({
          kind: 'subject-matches-nobody',
          message: `${label}${where(e.source)} has a subject of kind "${s.kind}", which matches nobody; use User, Group or ServiceAccount.`,
          source: e.source,
        });
      }
    });
    return rb;
  }

  /** Files a resolved binding under the cluster or its namespace. */
  private addBinding(rb: ResolvedBinding): void {
    if (rb.kind === 'ClusterRoleBinding') {
      this.crbs.push(rb);
    } else {
      let ns = this.rbsByNamespace.get(rb.namespace);
      if (!ns) {
        ns = { bindings: [] };
        this.rbsByNamespace.set(rb.namespace, ns);
      }
      ns.bindings.push(rb);
    }
  }

  /**
   * The rules a roleRef grants, or upstream's error text (`GetRoleReferenceRules`): a `Role` is looked
   * up only in `bindingNamespace`; a `ClusterRole` by name; any other kind is unsupported.
   * @param bindingNamespace the RoleBinding's namespace, or `""` for a ClusterRoleBinding
   */
  public getRoleReferenceRules(roleRef: RoleRef, bindingNamespace: string): { rules?: readonly PolicyRule[]; error?: string } {
    switch (roleRef.kind) {
      case 'Role': {
        const role = this.roleMap.get(`${bindingNamespace}/${roleRef.name}`);
        return role ? { rules: role.rules ?? [] } : { error: `role.rbac.authorization.k8s.io "${roleRef.name}" not found` };
      }
      case 'ClusterRole': {
        const role = this.clusterRoleMap.get(roleRef.name);
        return role ? { rules: role.rules ?? [] } : { error: `clusterrole.rbac.authorization.k8s.io "${roleRef.name}" not found` };
      }
      default:
        return { error: `unsupported role reference kind: ${JSON.stringify(roleRef.kind)}` };
    }
  }

  /** Every ClusterRole, with aggregated rules filled in, in name order. */
  public clusterRoles(): ClusterRole[] {
    return [...this.clusterRoleMap.values()].sort((a, b) => cmp(a.metadata.name, b.metadata.name));
  }

  /** The ClusterRole called `name` (aggregated rules filled in), if any. */
  public clusterRole(name: string): ClusterRole | undefined {
    return this.clusterRoleMap.get(name);
  }

  /** Every Role, by namespace then name. */
  public roles(): Role[] {
    return [...this.roleMap.values()].sort((a, b) => cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name, b.metadata.name));
  }

  /** The Role `name` in `namespace`, if any. */
  public role(namespace: string, name: string): Role | undefined {
    return this.roleMap.get(`${namespace}/${name}`);
  }

  /** Every ClusterRoleBinding, resolved, in walk order. */
  public clusterRoleBindings(): readonly ResolvedBinding[] {
    return this.crbs;
  }

  /** The RoleBindings of `namespace` (or of every namespace when omitted), resolved, in walk order. */
  public roleBindings(namespace?: string): readonly ResolvedBinding[] {
    if (namespace !== undefined) return this.rbsByNamespace.get(namespace)?.bindings ?? [];
    return [...this.rbsByNamespace.keys()].sort(cmp).flatMap((ns) => this.rbsByNamespace.get(ns)!.bindings);
  }

  /**
   * The bindings the upstream walk visits for `namespace` that could apply to `user` (by user name,
   * groups, or service account user name), in walk order: ClusterRoleBindings, then the RoleBindings
   * of `namespace` when it is not empty. An index lookup; callers still check which subject applies.
   * Cached per `user` object, so treat a UserInfo as immutable once asked about.
   */
  public candidateBindings(user: UserInfo, namespace: string): readonly ResolvedBinding[] {
    // Cached per user object (a matrix asks about the same user many times); users are treated as immutable.
    let perUser = this.candidateCache.get(user);
    if (!perUser) {
      this.crbIndex ??= buildIndex(this.crbs);
      perUser = { cluster: candidates(this.crbs, this.crbIndex, user), byNamespace: new Map() };
      this.candidateCache.set(user, perUser);
    }
    if (!namespace) return perUser.cluster;
    let out = perUser.byNamespace.get(namespace);
    if (!out) {
      const ns = this.rbsByNamespace.get(namespace);
      if (ns) ns.index ??= buildIndex(ns.bindings);
      out = ns ? [...perUser.cluster, ...candidates(ns.bindings, ns.index!, user)] : perUser.cluster;
      perUser.byNamespace.set(namespace, out);
    }
    return out;
  }

  /** Every ServiceAccount loaded, in input order. */
  public serviceAccounts(): readonly ServiceAccount[] {
    return this.serviceAccountList;
  }

  /** The custom resources the manifests' CustomResourceDefinitions declare, for kubectl-style name resolution. */
  public customResources(): readonly CustomResourceNames[] {
    return this.customResourceList;
  }

  /**
   * Whether `resource` in `group` is cluster-scoped (like `nodes`), by the built-in resources of
   * {@link kubeVersion} and the CustomResourceDefinitions loaded (`spec.scope: Cluster`); unknown
   * resources count as namespaced.
   */
  public isClusterScoped(group: string, resource: string): boolean {
    return this.scopes.isClusterScoped(group, resource);
  }

  /**
   * Every namespace seen in the input (Namespace objects and the namespaces of Roles, RoleBindings,
   * ServiceAccounts), sorted. The bootstrap policy's own Roles and RoleBindings (in `kube-system`
   * and `kube-public`) do not count; objects you load there do.
   */
  public namespaces(): string[] {
    return [...this.namespaceSet].sort(cmp);
  }

  /** Upstream's description of a grant, e.g. `ClusterRoleBinding "x" of ClusterRole "y" to Group "z"`. */
  public static describe(binding: ResolvedBinding, subject: Subject): string {
    return describeBinding(binding.kind, binding.name, binding.namespace, binding.roleRef, subject);
  }

  private aggregate(problems: PolicyProblem[], byKey: Map<string, KeyedEntry>): void {
    const names = [...this.clusterRoleMap.keys()].sort(cmp);
    const aggregated = names.map((n) => this.clusterRoleMap.get(n)!).filter((r) => r.aggregationRule);
    if (aggregated.length === 0) return;
    // Labels never change while aggregating (only rules do), so which roles each selector picks is
    // worked out once; each round then reads those roles' current rules.
    const selected = new Map<string, string[]>();
    for (const original of aggregated) {
      const name = original.metadata.name;
      try {
        selected.set(name, selectedRoles(original, names, (n) => this.clusterRoleMap.get(n)!));
      } catch (e) {
        const source = byKey.get(`ClusterRole//${name}`)?.source;
        problems.push({
          kind: 'invalid-aggregation',
          message: `ClusterRole "${name}"${where(source)} has an invalid aggregationRule (${(e as Error).message}); its rules were left as written.`,
          source,
        });
      }
    }
    for (let round = 0; round < MAX_AGGREGATION_ROUNDS; round++) {
      let changed = false;
      for (const [name, picked] of selected) {
        const current = this.clusterRoleMap.get(name)!;
        const next: PolicyRule[] = [];
        const seen = new Set<string>();
        for (const candidate of picked) {
          for (const rule of this.clusterRoleMap.get(candidate)!.rules ?? []) {
            const key = ruleKey(rule);
            if (!seen.has(key)) {
              seen.add(key);
              next.push(rule);
            }
          }
        }
        // Nothing selected: the controller applies an empty rule list, which (server-side apply) leaves
        // rules it never owned alone, so a role's own rules stay until a selector first matches.
        if (next.length === 0) continue;
        if (!sameRules(next, current.rules ?? [])) {
          this.clusterRoleMap.set(name, { ...current, rules: next });
          changed = true;
        }
      }
      if (!changed) return;
    }
  }
}

/**
 * The cluster roles an aggregated role's selectors pick, selector by selector, each in name order
 * (a role is picked once per selector that matches it; never the role itself).
 * @throws InvalidSelectorError for a selector that cannot be evaluated
 */
function selectedRoles(role: ClusterRole, names: readonly string[], get: (name: string) => ClusterRole): string[] {
  const out: string[] = [];
  for (const selector of role.aggregationRule?.clusterRoleSelectors ?? []) {
    for (const candidate of names) {
      if (candidate !== role.metadata.name && labelSelectorMatches(selector, get(candidate).metadata.labels)) out.push(candidate);
    }
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The object with `metadata.namespace` set to `namespace` (as stored by the server). */
function withNs(o: KubeObject, namespace: string): KubeObject {
  return o.metadata?.namespace === namespace ? o : { ...o, metadata: { ...o.metadata, namespace } };
}

/** An object with the namespace and name it is stored under. */
type KeyedEntry = Entry & { namespace: string; name: string };

/**
 * Phase 1 of building a policy: validate every object as the API server would (the bundled
 * bootstrap policy excepted), then de-duplicate into `byKey` (a later object replaces an earlier
 * one, as `kubectl apply` would), noting objects that cannot take part.
 * @param bootstrap whether `entries` are the bundled bootstrap policy
 * @returns one sentence per object the server would reject (left out of `byKey`)
 */
function deduplicate(entries: readonly Input[], bootstrap: boolean, byKey: Map<string, KeyedEntry>, options: PolicyOptions, problems: PolicyProblem[]): string[] {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const validate = options.validate ?? true;
  const fieldValidation = options.fieldValidation ?? 'strict';
  const rejected: string[] = [];
  for (const entry of entries) {
    const o = entry.object;
    if (!bootstrap) {
      const unknown = validate && fieldValidation !== 'ignore' ? unknownFieldPhrases(o) : [];
      const invalid = validate ? validateRbacObject(o) : [];
      const errors = fieldValidation === 'strict' && unknown.length > 0 ? [...unknown, ...invalid] : invalid;
      if (errors.length > 0) {
        rejected.push(rejection(entry, errors));
        continue;
      }
      const unserved = unservedVersionWarning(o);
      if (unserved) problems.push({ kind: 'unserved-api-version', message: `${objectLabel(o)}${where(entry.source)} ${unserved}.`, source: entry.source });
      if (fieldValidation === 'warn' && unknown.length > 0) {
        problems.push({ kind: 'unknown-field', message: `${objectLabel(o)}${where(entry.source)} has fields the API server drops without storing them: ${unknown.join('. ')}.`, source: entry.source });
      }
    }
    const keyed = keyedEntry(entry, bootstrap, defaultNamespace, problems);
    if (!keyed) continue;
    const { namespace, name } = keyed;
    const kind = String(o.kind);
    const key = `${kind}/${namespace}/${name}`;
    const previous = byKey.get(key);
    if (previous !== undefined) {
      if (!previous.bootstrap) {
        const namespaced = kind === 'Role' || kind === 'RoleBinding' || kind === 'ServiceAccount';
        problems.push({
          kind: 'duplicate',
          message: `${kind} "${namespaced ? `${name}/${namespace}` : name}" is defined more than once${where(previous.source)}${where(entry.source)}; the last one wins, as with kubectl apply.`,
          source: entry.source,
        });
      }
      byKey.delete(key);
    }
    byKey.set(key, keyed);
  }
  return rejected;
}

/**
 * The namespace and name an object is stored under (a namespaced object without a namespace goes
 * to `defaultNamespace`, as `kubectl apply` would put it), or `undefined` with a problem for an
 * object that cannot take part (no name; a binding without roleRef kind and name).
 */
function keyedEntry(entry: Input, bootstrap: boolean, defaultNamespace: string, problems: PolicyProblem[]): KeyedEntry | undefined {
  const o = entry.object;
  const kind = String(o.kind);
  const name = o.metadata?.name;
  if (typeof name !== 'string' || name === '') {
    problems.push({ kind: 'invalid-object', message: `A ${kind}${where(entry.source)} has no metadata.name and was ignored; give it a name.`, source: entry.source });
    return undefined;
  }
  let namespace = '';
  if (kind === 'Role' || kind === 'RoleBinding' || kind === 'ServiceAccount') {
    namespace = o.metadata?.namespace ?? '';
    if (!namespace) {
      namespace = defaultNamespace;
      problems.push({
        kind: 'missing-namespace',
        message: `${kind} "${name}"${where(entry.source)} has no metadata.namespace; assuming "${defaultNamespace}" as kubectl apply would. Set the namespace explicitly.`,
        source: entry.source,
      });
    }
  } else if (kind === 'Namespace') {
    namespace = name;
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    const ref = o.roleRef as Partial<RoleRef> | undefined;
    if (!ref || typeof ref.name !== 'string' || ref.name === '' || typeof ref.kind !== 'string') {
      problems.push({ kind: 'invalid-object', message: `${kind} "${name}"${where(entry.source)} has no roleRef kind and name and was ignored; add roleRef.kind and roleRef.name.`, source: entry.source });
      return undefined;
    }
  }
  return { object: o, source: entry.source, bootstrap, namespace, name };
}
