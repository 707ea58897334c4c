/**
 * The logic of the `toAllow`/`toDeny` Jest matchers, free of Jest: turn the received manifests into
 * an {@link RbacPolicy}, ask {@link authorize}, and word the result with upstream's reason.
 */
import {
  AccessRequest, authorize, describeOperation, impersonatedUser, isNonResourceRequest, loadPaths, RbacPolicy, UserInfo,
} from '../rbac';
import { buildRequest } from '../rbac/request';

/** What `expect(...)` may hold: a path (file or directory), an array of manifest objects, or a policy. */
export type ManifestsInput = string | readonly unknown[] | RbacPolicy;

/** A user for the matchers: an `--as` style name (`system:serviceaccount:dev:app`, `alice`) or a {@link UserInfo}. */
export type MatcherUser = string | UserInfo;

/** What a Jest matcher returns. */
export interface MatcherResult {
  /** Whether the expectation holds (before `.not`). */
  readonly pass: boolean;
  /** The failure message, shown when the expectation (with or without `.not`) fails. */
  readonly message: () => string;
}

function isPolicy(value: unknown): value is RbacPolicy {
  return value instanceof RbacPolicy
    || (typeof value === 'object' && value !== null && typeof (value as RbacPolicy).candidateBindings === 'function');
}

/**
 * The policy for `received` (bootstrap policy included for paths and arrays; build an
 * {@link RbacPolicy} yourself to leave it out).
 * @throws TypeError when `received` is none of the accepted inputs; ManifestLoadError for bad files
 */
export function policyOf(received: unknown): RbacPolicy {
  if (isPolicy(received)) return received;
  if (typeof received === 'string') return RbacPolicy.fromLoadResult(loadPaths([received]));
  if (Array.isArray(received)) return RbacPolicy.fromObjects(received);
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
 * @param verb e.g. `get`
 * @param resource `RESOURCE[.GROUP][/NAME]` as for kubectl (`secrets/api-access-secret`, `deployments.apps`), or a URL path (`/api`)
 * @param namespace the namespace; omitted or `""` means cluster-wide (only ClusterRoleBindings apply)
 */
export function checkAccess(received: unknown, want: boolean, user: MatcherUser, verb: string, resource: string, namespace = ''): MatcherResult {
  const policy = policyOf(received);
  const u = userOf(user);
  const request = buildRequest(verb, resource, { namespace });
  const decision = authorize(policy, u, request);
  const pass = decision.allowed === want;
  const expectation = `${pass ? 'not ' : ''}to ${want ? 'allow' : 'deny'}`;
  const what = `${JSON.stringify(u.name)} ${describeOperation(request)} ${scopeOf(request)}`;
  const why = decision.allowed
    ? decision.reason
    : `it was denied: ${decision.reason ? `${decision.reason}; ` : ''}${decision.explanation}`;
  return { pass, message: () => `expected RBAC ${expectation} ${what}, but ${why}` };
}
