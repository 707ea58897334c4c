/**
 * kubectl's warning for a namespace given with a cluster-scoped resource (`can-i list nodes -n dev`),
 * plus what the evaluator does about it: answer for the request the API server would see, which
 * carries no namespace (or, for `namespaces/NAME`, the name).
 */
import { AccessRequest, isNonResourceRequest, RbacPolicy, requestNamespace } from '../rbac';

/** The warnings for `request` (none, or one line). */
export function scopeWarnings(policy: RbacPolicy, request: AccessRequest): string[] {
  if (isNonResourceRequest(request)) return [];
  const asked = request.namespace ?? '';
  if (asked === '' || !policy.isClusterScoped(request.group ?? '', request.resource)) return [];
  const inGroup = request.group ? ` in group '${request.group}'` : '';
  const sent = requestNamespace(request, policy);
  const effect = sent === ''
    ? `the namespace "${asked}" is dropped, as the API request carries none, so no RoleBinding can grant it`
    : `the request's namespace is its name "${sent}", as in the URL /api/v1/namespaces/${sent}`;
  return [`resource '${request.resource}' is not namespace scoped${inGroup}; ${effect}.`];
}
