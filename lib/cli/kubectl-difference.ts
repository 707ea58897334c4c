/**
 * The one line `can-i` adds when `kubectl auth can-i` would answer differently: kubectl sends the
 * namespace asked about even for a cluster-scoped resource, and an unserved `RESOURCE.GROUP`
 * unsplit, where the evaluator answers for the request the API would really carry.
 */
import { AccessRequest, Decision, isNonResourceRequest, RbacPolicy, requestNamespace, UserInfo } from '../rbac';
import { authorizeAttributes } from '../rbac/evaluate';

function describe(request: AccessRequest): string {
  if (isNonResourceRequest(request)) return `"${request.verb}" ${request.path}`;
  const group = request.group ? `.${request.group}` : '';
  const name = request.name ? `/${request.name}` : '';
  const ns = request.namespace ? ` in namespace "${request.namespace}"` : ' cluster-wide';
  return `"${request.verb}" ${request.resource}${group}${name}${ns}`;
}

/** Why kubectl's attributes are not the real request's. */
function why(policy: RbacPolicy, request: AccessRequest, kubectl: AccessRequest): string {
  if (!isNonResourceRequest(request) && !isNonResourceRequest(kubectl) && kubectl.resource !== request.resource) {
    return `the server serves no ${request.resource}${request.group ? ` in group ${request.group}` : ''}, and kubectl then sends "${kubectl.resource}" unsplit as a core-group resource`;
  }
  const sent = requestNamespace(request, policy);
  return sent === ''
    ? 'the resource is cluster-scoped, so the API request carries no namespace and no RoleBinding can grant it'
    : `the API request for namespaces/${sent} carries the namespace "${sent}"`;
}

/**
 * A line when `kubectl auth can-i` (asking with `kubectl` attributes) would get another answer than
 * `decision` (for the real request); none when both agree.
 */
export function kubectlDifference(policy: RbacPolicy, user: UserInfo, request: AccessRequest, kubectl: AccessRequest, decision: Decision): string[] {
  const sameAttributes = JSON.stringify(kubectl) === JSON.stringify({ ...request, ...(isNonResourceRequest(request) ? {} : { namespace: requestNamespace(request, policy) }) });
  if (sameAttributes) return [];
  const theirs = authorizeAttributes(policy, user, kubectl);
  if (theirs.allowed === decision.allowed) return [];
  return [`kubectl auth can-i would answer ${theirs.allowed ? 'yes' : 'no'}: it asks ${describe(kubectl)}, but ${why(policy, request, kubectl)}; this answer is for the real request.`];
}
