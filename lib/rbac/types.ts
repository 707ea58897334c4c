/**
 * Plain manifest types for the RBAC evaluator: the shapes of `rbac.authorization.k8s.io/v1`
 * objects as they appear in YAML/JSON, the user a request is made by, the request, and the decision.
 *
 * These are structural types over plain objects (no classes), so anything parsed from YAML fits.
 */

/** The API group of the RBAC kinds. */
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The subset of `metadata` the evaluator reads. */
export interface ObjectMeta {
  /** The object's name. */
  readonly name: string;
  /**
   * The object's namespace (namespaced kinds only).
   * @default - none; the loader does not guess one
   */
  readonly namespace?: string;
  /**
   * Labels (used by ClusterRole aggregation).
   * @default - no labels
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Annotations (carried along, not interpreted).
   * @default - no annotations
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One RBAC rule (`PolicyRule`). Missing lists mean "empty", which matches nothing (except `resourceNames`). */
export interface PolicyRule {
  /** Verbs, or `*` for all. */
  readonly verbs: readonly string[];
  /**
   * API groups (`""` is the core group), or `*` for all.
   * @default - in `ReaderIdentity.grant` and `AccessRole.addRule`: the API group that serves each of
   *   `resources` in Kubernetes 1.35 (`deployments` -> `apps`, `pods/log` -> `""`), their union for
   *   several; synth fails for a resource that release does not serve, one served by several groups
   *   (`events`: `""` and `events.k8s.io`) and a wildcard, which must name their groups. In a
   *   manifest read by the evaluator: none, which matches no resource (the API server refuses such a rule).
   */
  readonly apiGroups?: readonly string[];
  /**
   * Resources: `pods`, `pods/log`, `*`, or `* /subresource` (without the space).
   * @default []
   */
  readonly resources?: readonly string[];
  /**
   * Names the rule is limited to. Empty means every name; otherwise a request must name one of them.
   * @default [] (every name)
   */
  readonly resourceNames?: readonly string[];
  /**
   * Non-resource URLs: exact, `*`, or a prefix ending in `*`.
   * @default []
   */
  readonly nonResourceURLs?: readonly string[];
}

/** One `matchExpressions` entry of a label selector. */
export interface LabelSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /**
   * Values for `In`/`NotIn`; must be empty for `Exists`/`DoesNotExist`.
   * @default []
   */
  readonly values?: readonly string[];
}

/** A Kubernetes label selector. An empty selector matches every object. */
export interface LabelSelector {
  /**
   * Labels that must all be present with these values.
   * @default {}
   */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /**
   * Requirements that must all hold.
   * @default []
   */
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** `aggregationRule` of a ClusterRole. */
export interface AggregationRule {
  /**
   * Selectors; the ClusterRole's rules become the union of the rules of every ClusterRole matching any of them.
   * @default []
   */
  readonly clusterRoleSelectors?: readonly LabelSelector[];
}

/** A namespaced `Role`. */
export interface Role {
  /** `rbac.authorization.k8s.io/v1`. */
  readonly apiVersion?: string;
  /** `Role`. */
  readonly kind: 'Role';
  /** Name and namespace. */
  readonly metadata: ObjectMeta;
  /**
   * Rules granted.
   * @default []
   */
  readonly rules?: readonly PolicyRule[] | null;
}

/** A cluster-scoped `ClusterRole`. */
export interface ClusterRole {
  /** `rbac.authorization.k8s.io/v1`. */
  readonly apiVersion?: string;
  /** `ClusterRole`. */
  readonly kind: 'ClusterRole';
  /** Name and labels. */
  readonly metadata: ObjectMeta;
  /**
   * Rules granted (replaced by the aggregate when `aggregationRule` is set).
   * @default []
   */
  readonly rules?: readonly PolicyRule[] | null;
  /**
   * Aggregation rule, as used by `admin`, `edit` and `view`.
   * @default - not aggregated
   */
  readonly aggregationRule?: AggregationRule | null;
}

/** A binding subject. */
export interface Subject {
  /** `User`, `Group` or `ServiceAccount` (any other kind matches nobody). */
  readonly kind: string;
  /** The user, group or service account name. */
  readonly name: string;
  /**
   * The service account's namespace. When empty, a RoleBinding's own namespace is used; in a
   * ClusterRoleBinding a ServiceAccount subject without a namespace matches nobody.
   * @default - none
   */
  readonly namespace?: string;
  /**
   * `rbac.authorization.k8s.io` for User/Group, `""` for ServiceAccount (not interpreted).
   * @default - none
   */
  readonly apiGroup?: string;
}

/** A binding's `roleRef`. */
export interface RoleRef {
  /**
   * `rbac.authorization.k8s.io`.
   * @default - not interpreted
   */
  readonly apiGroup?: string;
  /** `Role` or `ClusterRole`. */
  readonly kind: string;
  /** The referenced role's name. */
  readonly name: string;
}

/** A namespaced `RoleBinding`: grants only in its own namespace. */
export interface RoleBinding {
  /** `rbac.authorization.k8s.io/v1`. */
  readonly apiVersion?: string;
  /** `RoleBinding`. */
  readonly kind: 'RoleBinding';
  /** Name and namespace. */
  readonly metadata: ObjectMeta;
  /**
   * Who is granted the role.
   * @default []
   */
  readonly subjects?: readonly Subject[] | null;
  /** The role granted: a Role of the same namespace, or a ClusterRole. */
  readonly roleRef: RoleRef;
}

/** A `ClusterRoleBinding`: grants everywhere. */
export interface ClusterRoleBinding {
  /** `rbac.authorization.k8s.io/v1`. */
  readonly apiVersion?: string;
  /** `ClusterRoleBinding`. */
  readonly kind: 'ClusterRoleBinding';
  /** Name. */
  readonly metadata: ObjectMeta;
  /**
   * Who is granted the role.
   * @default []
   */
  readonly subjects?: readonly Subject[] | null;
  /** The ClusterRole granted. */
  readonly roleRef: RoleRef;
}

/** A `ServiceAccount` (only its name and namespace are read). */
export interface ServiceAccount {
  /** `v1`. */
  readonly apiVersion?: string;
  /** `ServiceAccount`. */
  readonly kind: 'ServiceAccount';
  /** Name and namespace. */
  readonly metadata: ObjectMeta;
}

/** Either kind of binding. */
export type Binding = RoleBinding | ClusterRoleBinding;

/** Either kind of role. */
export type AnyRole = Role | ClusterRole;

/** The authenticated user a request is made by (`user.Info` upstream). */
export interface UserInfo {
  /** The user name, e.g. `alice` or `system:serviceaccount:dev:secret-access-sa`. */
  readonly name: string;
  /** The groups the user belongs to, e.g. `system:authenticated`. */
  readonly groups: readonly string[];
}

/** A request on an API resource (as in a SubjectAccessReview's `resourceAttributes`). */
export interface ResourceAttributes {
  /** The verb: `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`, or any custom verb. */
  readonly verb: string;
  /**
   * The API group; `""` is the core group.
   * @default ""
   */
  readonly group?: string;
  /** The resource (plural), e.g. `secrets`. */
  readonly resource: string;
  /**
   * The subresource, e.g. `log` for `pods/log`.
   * @default - none
   */
  readonly subresource?: string;
  /**
   * The object name. Requests without one (list, watch, create, deletecollection) never match a rule with `resourceNames`.
   * @default - none
   */
  readonly name?: string;
  /**
   * The namespace. Empty means a cluster-scoped or all-namespaces request: only ClusterRoleBindings apply.
   * @default ""
   */
  readonly namespace?: string;
}

/** A request on a non-resource URL such as `/api` or `/healthz` (as in `nonResourceAttributes`). */
export interface NonResourceAttributes {
  /** The verb, usually `get`. */
  readonly verb: string;
  /** The URL path, e.g. `/apis`. */
  readonly path: string;
}

/** Any access request. A request with a `path` is a non-resource request. */
export type AccessRequest = ResourceAttributes | NonResourceAttributes;

/** Where a rule came from: the binding, its role and the subject that matched. */
export interface GrantSource {
  /** `ClusterRoleBinding` or `RoleBinding`. */
  readonly bindingKind: 'ClusterRoleBinding' | 'RoleBinding';
  /** The binding's name. */
  readonly bindingName: string;
  /**
   * The binding's namespace (RoleBindings only).
   * @default - none (ClusterRoleBinding)
   */
  readonly bindingNamespace?: string;
  /** The binding's roleRef. */
  readonly roleRef: RoleRef;
  /** The binding subject that matched (the first that applies, as upstream). */
  readonly subject: Subject;
  /**
   * Upstream's description of the source, e.g.
   * `RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"`.
   */
  readonly description: string;
}

/** A rule together with the binding that grants it. */
export interface GrantedRule {
  /** The rule. */
  readonly rule: PolicyRule;
  /** The binding, role and subject it came from. */
  readonly source: GrantSource;
}

/** The answer to "may this user make this request?". */
export interface Decision {
  /** Whether RBAC allows the request. */
  readonly allowed: boolean;
  /**
   * The reason exactly as kube-apiserver's RBAC authorizer gives it (and as a SubjectAccessReview's
   * `status.reason` and the audit annotation `authorization.k8s.io/reason` carry it):
   * `RBAC: allowed by ...` when allowed; when denied, `""` if nothing went wrong, else
   * `RBAC: ` followed by the resolution errors (e.g. a missing role).
   */
  readonly reason: string;
  /** Errors met while resolving bindings (e.g. `clusterrole.rbac.authorization.k8s.io "x" not found`), in walk order. */
  readonly errors: readonly string[];
  /**
   * A sentence for people: the reason when allowed; when denied, upstream's log line
   * `RBAC: no rules authorize user "U" with groups [...] to "VERB" resource "R" ... in namespace "NS"`.
   */
  readonly explanation: string;
  /**
   * The rule and binding that allowed the request.
   * @default - none when denied
   */
  readonly grant?: GrantedRule;
}

/** Any Kubernetes object as parsed (only `apiVersion`, `kind` and `metadata` are assumed). */
export interface KubeObject {
  /** e.g. `rbac.authorization.k8s.io/v1`. */
  readonly apiVersion?: string;
  /** e.g. `ClusterRole`. */
  readonly kind?: string;
  /** The object's metadata. */
  readonly metadata?: Partial<ObjectMeta>;
  /** Any other field. */
  readonly [field: string]: unknown;
}

/** True when the request is a non-resource request (it has a `path`). */
export function isNonResourceRequest(request: AccessRequest): request is NonResourceAttributes {
  return typeof (request as NonResourceAttributes).path === 'string';
}
