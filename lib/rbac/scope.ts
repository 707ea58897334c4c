/**
 * Resource scope: which resources live in a namespace and which are cluster-scoped (`nodes`,
 * `clusterroles`, ...), from a release's discovery data and the CustomResourceDefinitions in the
 * manifests, and the namespace an API request for a resource actually carries.
 */
import { apiResourcesFor } from './kube-versions';
import type { CustomResourceNames } from './resources';
import { AccessRequest, isNonResourceRequest, RBAC_GROUP, ResourceAttributes } from './types';

/** Anything that knows which resources are cluster-scoped (a {@link ResourceScopes}, an `RbacPolicy`). */
export interface ScopeLookup {
  /** Whether `resource` in `group` is cluster-scoped. */
  isClusterScoped(group: string, resource: string): boolean;
}

/** Which resources are cluster-scoped, by `resource.group`. */
export class ResourceScopes implements ScopeLookup {
  private readonly clusterScoped = new Set<string>();
  private readonly namespaced = new Set<string>();

  /**
   * @param kubeVersion the release whose built-in resources count, e.g. `1.35`
   * @param customResources the custom resources the manifests declare (they may shadow nothing built in)
   */
  constructor(kubeVersion: string, customResources: readonly CustomResourceNames[]) {
    for (const r of apiResourcesFor(kubeVersion)) (r.namespaced ? this.namespaced : this.clusterScoped).add(`${r.resource}.${r.group}`);
    for (const c of customResources) (c.namespaced ? this.namespaced : this.clusterScoped).add(`${c.resource}.${c.group}`);
  }

  /**
   * Whether `resource` in `group` is known to be cluster-scoped; `false` for namespaced resources and
   * for resources nobody declared (they are taken as namespaced, as kubectl does when discovery fails).
   */
  public isClusterScoped(group: string, resource: string): boolean {
    return this.clusterScoped.has(`${resource}.${group}`);
  }
}

/**
 * The namespace the API request carries, which is what the RBAC authorizer sees: a request for a
 * cluster-scoped resource has none (`GET /api/v1/nodes`), so no RoleBinding can grant it, whatever
 * namespace was asked about; except `namespaces` itself, whose URL
 * `/api/v1/namespaces/NAME` (and its `status` and `finalize`) makes the request's
 * namespace the object's name (upstream `RequestInfoFactory`). Non-resource requests have none either.
 * One check is not a URL: `bind` on `clusterroles` is what the RBAC storage asks when a binding
 * references a ClusterRole, in the binding's namespace (upstream `BindingAuthorized`: creating a
 * RoleBinding in `dev` to ClusterRole `view` asks `bind clusterroles/view` in `dev`), so that
 * namespace is kept and a RoleBinding there granting `bind` counts.
 */
export function requestNamespace(request: AccessRequest, scopes: ScopeLookup): string {
  if (isNonResourceRequest(request)) return '';
  const namespace = request.namespace ?? '';
  if (namespace === '' || !scopes.isClusterScoped(request.group ?? '', request.resource)) return namespace;
  if (isBindingCheck(request)) return namespace;
  if ((request.group ?? '') === '' && request.resource === 'namespaces') return request.name ?? '';
  return '';
}

/** Whether `request` is the RBAC storage's `bind` check on a ClusterRole, which carries the binding's namespace. */
export function isBindingCheck(request: ResourceAttributes): boolean {
  return request.verb === 'bind' && request.group === RBAC_GROUP && request.resource === 'clusterroles' && !request.subresource;
}
