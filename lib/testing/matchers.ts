/**
 * The logic of the `toAllow`/`toDeny` Jest matchers, free of Jest: turn the received manifests into
 * an {@link RbacPolicy}, ask {@link authorize}, and word the result with upstream's reason.
 * Requests are checked strictly, so a typo cannot make `toDeny` pass: an unknown verb or resource,
 * or manifests without a single RBAC object, throw instead of answering.
 */
import { ManifestLoadError } from '../rbac/errors';
import { authorize } from '../rbac/evaluate';
import { describeOperation } from '../rbac/format';
import { loadPaths } from '../rbac/load';
import { RbacPolicy } from '../rbac/policy';
import { buildRequest } from '../rbac/request';
import { impersonatedUser } from '../rbac/subjects';
import { AccessRequest, isNonResourceRequest, UserInfo } from '../rbac/types';

/** What `expect(...)` may hold: a path (file or directory), an array of manifest objects, or a policy. */
export type ManifestsInput = string | readonly unknown[] | RbacPolicy;

/** A user for the matchers: an `--as` style name (`system:serviceaccount:dev:app`, `alice`) or a {@link UserInfo}. */
export type MatcherUser = string | UserInfo;

/** Where a request is made, for requests that need more than a namespace. */
export interface MatcherScope {
  /**
   * The namespace.
   * @default "" (cluster-wide: only ClusterRoleBindings apply)
   */
  readonly namespace?: string;
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

function userOf(user: MatcherUser): UserInfo {
  return typeof user === 'string' ? impersonatedUser(user) : user;
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
 * @param where the namespace, or a {@link MatcherScope} with a subresource
 * @default where "" (cluster-wide)
 * @throws InvalidRequestError for an unknown verb or resource; ManifestLoadError as {@link policyOf}
 */
export function checkAccess(
  received: unknown, want: boolean, user: MatcherUser, verb: string, resource: string, where: string | MatcherScope = '',
): MatcherResult {
  const policy = policyOf(received);
  const u = userOf(user);
  const scope = typeof where === 'string' ? { namespace: where } : where;
  const request = buildRequest(verb, resource, { namespace: scope.namespace ?? '', ...(scope.subresource ? { subresource: scope.subresource } : {}) }, {
    strict: true,
    customResources: policy.customResources(),
    kubeVersion: policy.kubeVersion,
  });
  const decision = authorize(policy, u, request);
  const pass = decision.allowed === want;
  const expectation = `${pass ? 'not ' : ''}to ${want ? 'allow' : 'deny'}`;
  const what = `${JSON.stringify(u.name)} ${describeOperation(request)} ${scopeOf(request)}`;
  const why = decision.allowed
    ? decision.reason
    : `it was denied: ${decision.reason ? `${decision.reason}; ` : ''}${decision.explanation}`;
  return { pass, message: () => `expected RBAC ${expectation} ${what}, but ${why}` };
}
