/**
 * kubectl's warning for a namespace given with a cluster-scoped resource (`can-i list nodes -n dev`),
 * plus what the evaluator does about it: answer for the request the API server would see, which
 * carries no namespace (or, for `namespaces/NAME`, the name).
 */
import { AccessRequest, apiResourcesFor, isKnownVerb, isNonResourceRequest, RbacPolicy, requestNamespace } from '../rbac';
import { isBindingCheck } from '../rbac/scope';
import { groupVersion, servedApiResourcesFor } from '../rbac/served-apis';

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
    const unserved = apiResourcesFor(policy.kubeVersion).find((r) => r.group === (request.group ?? '') && r.resource === request.resource);
    if (unserved) {
      const versions = unserved.versions.map((v) => groupVersion(unserved.group, v)).join(', ');
      return [`the server doesn't have a resource type '${request.resource}'${inGroup}: Kubernetes ${policy.kubeVersion} has it only at ${versions}, which a server started with default flags does not serve; the answer is for that name as written. If your server enables it, say so with --enable-api ${groupVersion(unserved.group, unserved.versions[0])}.`];
    }
    return [`the server doesn't have a resource type '${request.resource}'${inGroup} (Kubernetes ${policy.kubeVersion}, or a CustomResourceDefinition in the manifests); the answer is for that name as written, check its spelling.`];
  }
  const asked = request.namespace ?? '';
  if (asked === '' || !policy.isClusterScoped(request.group ?? '', request.resource) || isBindingCheck(request)) return [];
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
  return servedApiResourcesFor(policy.kubeVersion, policy.enabledApis).some((r) => r.group === group && r.resource === resource)
    || policy.customResources().some((c) => c.group === group && c.resource === resource);
}
