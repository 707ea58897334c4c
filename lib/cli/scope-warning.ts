/**
 * kubectl's warning for a namespace given with a cluster-scoped resource (`can-i list nodes -n dev`),
 * plus what the evaluator does about it: answer for the request the API server would see, which
 * carries no namespace (or, for `namespaces/NAME`, the name).
 */
import { AccessRequest, apiResourcesFor, isKnownVerb, isNonResourceRequest, RbacPolicy, requestNamespace } from '../rbac';

/** The warnings for `request` (none, or one line each): an unknown verb, an unknown resource type, a namespace on a cluster-scoped resource. */
export function scopeWarnings(policy: RbacPolicy, request: AccessRequest): string[] {
  return [...verbWarnings(request), ...resourceWarnings(policy, request)];
}

/** kubectl's warning for a verb the API server never asks about (`can-i gte secrets`): the answer is a "no" for a typo. */
function verbWarnings(request: AccessRequest): string[] {
  const verb = request.verb;
  return verb === '*' || isKnownVerb(verb, isNonResourceRequest(request)) ? [] : [`verb '${verb}' is not a known verb`];
}

function resourceWarnings(policy: RbacPolicy, request: AccessRequest): string[] {
  if (isNonResourceRequest(request)) return [];
  if (!isKnownResource(policy, request.group ?? '', request.resource)) {
    const inGroup = request.group ? ` in group '${request.group}'` : '';
    return [`the server doesn't have a resource type '${request.resource}'${inGroup} (Kubernetes ${policy.kubeVersion}, or a CustomResourceDefinition in the manifests); the answer is for that name as written, check its spelling.`];
  }
  const asked = request.namespace ?? '';
  if (asked === '' || !policy.isClusterScoped(request.group ?? '', request.resource)) return [];
  const inGroup = request.group ? ` in group '${request.group}'` : '';
  const sent = requestNamespace(request, policy);
  const effect = sent === ''
    ? `the namespace "${asked}" is dropped, as the API request carries none, so no RoleBinding can grant it`
    : `the request's namespace is its name "${sent}", as in the URL /api/v1/namespaces/${sent}`;
  return [`resource '${request.resource}' is not namespace scoped${inGroup}; ${effect}.`];
}

/** Whether `resource` in `group` is a built-in resource of the policy's release or a custom one of its manifests (`*` always is). */
function isKnownResource(policy: RbacPolicy, group: string, resource: string): boolean {
  if (resource === '*') return true;
  return apiResourcesFor(policy.kubeVersion).some((r) => r.group === group && r.resource === resource)
    || policy.customResources().some((c) => c.group === group && c.resource === resource);
}
