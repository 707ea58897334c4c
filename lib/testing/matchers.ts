/**
 * The logic of the `toAllow`/`toDeny` Jest matchers, free of Jest: turn the received manifests into
 * an {@link RbacPolicy}, ask {@link authorize}, and word the result with upstream's reason.
 * Requests are checked strictly, so a typo cannot make `toDeny` pass: an unknown verb or resource,
 * or manifests without a single RBAC object, throw instead of answering.
 */
import { InvalidRequestError, InvalidSubjectError, ManifestLoadError } from '../rbac/errors';
import { authorize } from '../rbac/evaluate';
import { describeOperation } from '../rbac/format';
import { loadPaths } from '../rbac/load';
import { RbacPolicy } from '../rbac/policy';
import { buildRequest } from '../rbac/request';
import { isUserNamed, serviceAccountSuggestion } from '../rbac/subject-names';
import { impersonatedUser } from '../rbac/subjects';
import { AccessRequest, isNonResourceRequest, UserInfo } from '../rbac/types';

/** What `expect(...)` may hold: a path (file or directory), an array of manifest objects, or a policy. */
export type ManifestsInput = string | readonly unknown[] | RbacPolicy;

/** A user for the matchers: an `--as` style name (`system:serviceaccount:dev:app`, `alice`) or a {@link UserInfo}. */
export type MatcherUser = string | UserInfo;

/**
 * Where a request is made. A request for a namespaced resource must say where: a `namespace`, or
 * `clusterWide: true` (a request across all namespaces, as kubectl's `-A`: only ClusterRoleBindings
 * apply); a matcher without either throws rather than guessing (kubectl asks in `default`).
 */
export interface MatcherScope {
  /**
   * The namespace.
   * @default - none: give `clusterWide: true` instead, or leave both out for a cluster-scoped resource or a URL
   */
  readonly namespace?: string;
  /**
   * Ask cluster-wide (all namespaces, kubectl's `-A`): only ClusterRoleBindings apply.
   * @default false
   */
  readonly clusterWide?: boolean;
  /**
   * The subresource, e.g. `log` for `pods/log` (kubectl's `--subresource`); `RESOURCE/NAME` in the
   * resource argument names an object, as in `kubectl auth can-i`.
   * @default - none
   */
  readonly subresource?: string;
}

/** What a Jest matcher returns. */
export interface MatcherResult {
  /** Whether the expectation holds (before `.not`). */
  readonly pass: boolean;
  /** The failure message, shown when the expectation (with or without `.not`) fails. */
  readonly message: () => string;
}

const RBAC_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

function isPolicy(value: unknown): value is RbacPolicy {
  return value instanceof RbacPolicy
    || (typeof value === 'object' && value !== null && typeof (value as RbacPolicy).candidateBindings === 'function');
}

function countRbacObjects(objects: readonly unknown[]): number {
  return objects.filter((o) => RBAC_KINDS.has(String((o as { kind?: unknown } | null)?.kind))).length;
}

/**
 * The policy for `received` (bootstrap policy included for paths and arrays; build an
 * {@link RbacPolicy} yourself to leave it out).
 * @throws TypeError when `received` is none of the accepted inputs; ManifestLoadError for bad files
 *   and for manifests without any Role, ClusterRole, RoleBinding or ClusterRoleBinding (an empty
 *   directory or a typo in the path would otherwise make every `toDeny` pass)
 */
export function policyOf(received: unknown): RbacPolicy {
  if (isPolicy(received)) return received;
  if (typeof received === 'string') {
    const loaded = loadPaths([received]);
    if (countRbacObjects(loaded.objects.map((o) => o.object)) === 0) {
      throw new ManifestLoadError(received, 'holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding, so nothing could be checked; point expect() at the synthesized manifests (e.g. dist/).');
    }
    return RbacPolicy.fromLoadResult(loaded);
  }
  if (Array.isArray(received)) {
    if (countRbacObjects(received) === 0) {
      throw new ManifestLoadError('<array>', 'holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding, so nothing could be checked; pass the manifest objects (e.g. chart.toJson()).');
    }
    return RbacPolicy.fromObjects(received);
  }
  throw new TypeError('expect(manifests): manifests must be a path (file or directory), an array of manifest objects, or an RbacPolicy.');
}

/**
 * The user of a matcher. A name (kubectl's `--as` syntax) that no binding and no ServiceAccount of
 * the manifests names throws: such a `toDeny` could only pass. A {@link UserInfo} is taken as
 * given (for questions about a user nobody names, e.g. what every authenticated user may do).
 */
function userOf(policy: RbacPolicy, user: MatcherUser): UserInfo {
  if (typeof user !== 'string') return user;
  const info = impersonatedUser(user);
  if (!isUserNamed(policy, info.name)) {
    const suggestion = serviceAccountSuggestion(policy, info.name);
    throw new InvalidSubjectError(
      `no binding and no ServiceAccount in the manifests names the user ${JSON.stringify(info.name)}, so the expectation tests nothing` +
      (suggestion ? `; did you mean ${suggestion}? (a ServiceAccount is written system:serviceaccount:NAMESPACE:NAME, as for kubectl --as)` : '') +
      `. To ask about a user nobody names, pass a UserInfo: { name: ${JSON.stringify(info.name)}, groups: ${JSON.stringify(info.groups)} }.`,
    );
  }
  return info;
}

/**
 * The namespace a matcher asks in: the one given, or `""` for `clusterWide`.
 * @throws InvalidRequestError when a namespaced resource has neither, or both are given
 */
function namespaceOf(policy: RbacPolicy, scope: MatcherScope, verb: string, resource: string): string {
  const namespace = scope.namespace ?? '';
  if (scope.clusterWide && namespace !== '') {
    throw new InvalidRequestError(`the scope of ${JSON.stringify(verb)} ${JSON.stringify(resource)} gives both namespace ${JSON.stringify(namespace)} and clusterWide: true; give one of them.`);
  }
  if (namespace !== '' || scope.clusterWide) return namespace;
  // Resolve without a namespace to learn the resource's scope (a URL or a cluster-scoped resource needs none).
  const probe = buildRequest(verb, resource, { namespace: '' }, { strict: true, customResources: policy.customResources(), kubeVersion: policy.kubeVersion });
  if (isNonResourceRequest(probe) || policy.isClusterScoped(probe.group ?? '', probe.resource)) return '';
  throw new InvalidRequestError(
    `${JSON.stringify(verb)} ${JSON.stringify(resource)} is a namespaced resource, so say where the request is made: ` +
    `a namespace (e.g. toDeny(user, ${JSON.stringify(verb)}, ${JSON.stringify(resource)}, 'dev')) or { clusterWide: true } ` +
    '(all namespaces, as kubectl -A; only ClusterRoleBindings apply). kubectl auth can-i would ask in "default".',
  );
}

function scopeOf(request: AccessRequest): string {
  if (isNonResourceRequest(request) || !request.namespace) return 'cluster-wide';
  return `in namespace ${JSON.stringify(request.namespace)}`;
}

/**
 * Evaluates one expectation.
 * @param received the manifests (see {@link ManifestsInput})
 * @param want `true` for `toAllow`, `false` for `toDeny`
 * @param user the user, as for `--as`
 * @param verb e.g. `get`; an unknown verb throws
 * @param resource `RESOURCE[.GROUP][/NAME]` as for kubectl (`secrets/api-access-secret`, `pod`, `deploy`,
 *   `deployments.apps`), or a URL path (`/api`); an unknown bare resource throws
 * @param where the namespace, or a {@link MatcherScope} (`{ clusterWide: true }`, a subresource)
 * @default where - none: allowed only for a cluster-scoped resource or a URL
 * @throws InvalidRequestError for an unknown verb or resource, or a namespaced resource without a
 *   namespace or `clusterWide`; InvalidSubjectError for a user name nothing in the manifests names;
 *   ManifestLoadError as {@link policyOf}
 */
export function checkAccess(
  received: unknown, want: boolean, user: MatcherUser, verb: string, resource: string, where?: string | MatcherScope,
): MatcherResult {
  const policy = policyOf(received);
  const scope: MatcherScope = typeof where === 'string' ? { namespace: where } : where ?? {};
  const namespace = namespaceOf(policy, scope, verb, resource);
  const request = buildRequest(verb, resource, { namespace, ...(scope.subresource ? { subresource: scope.subresource } : {}) }, {
    strict: true,
    customResources: policy.customResources(),
    kubeVersion: policy.kubeVersion,
  });
  const u = userOf(policy, user);
  const decision = authorize(policy, u, request);
  const pass = decision.allowed === want;
  const expectation = `${pass ? 'not ' : ''}to ${want ? 'allow' : 'deny'}`;
  const what = `${JSON.stringify(u.name)} ${describeOperation(request)} ${scopeOf(request)}`;
  const why = decision.allowed
    ? decision.reason
    : `it was denied: ${decision.reason ? `${decision.reason}; ` : ''}${decision.explanation}`;
  return { pass, message: () => `expected RBAC ${expectation} ${what}, but ${why}` };
}
