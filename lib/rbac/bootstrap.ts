/**
 * Kubernetes' bootstrap RBAC policy as data: every ClusterRole, ClusterRoleBinding, Role and
 * RoleBinding a kube-apiserver creates at start (`system:discovery`, `cluster-admin`, `view`, the
 * controllers' `system:controller:*` roles, the Roles of `kube-system` and `kube-public`, ...), so
 * "discovery works for everyone" and "bind `view` to the default SA" are answered the way a real
 * cluster answers them.
 *
 * The objects are those of {@link DEFAULT_KUBE_VERSION}, generated from upstream's
 * `bootstrappolicy/testdata/*.yaml` by `scripts/generate-kube-data` (see `kube-versions.ts` for
 * the other releases and the sources with their sha256).
 *
 * Notes:
 * - `admin`, `edit` and `view` ship with an aggregationRule and no rules; the policy fills them in
 *   from the `aggregate-to-*` labels, as the clusterrole-aggregation controller does (`edit` carries
 *   `aggregate-to-admin` and `view` carries `aggregate-to-edit`, so admin ⊇ edit ⊇ view).
 * - Since v1.14 `system:discovery` and `system:basic-user` are bound to `system:authenticated` only;
 *   `system:public-info-viewer` is also bound to `system:unauthenticated`.
 * - `system:masters` is allowed everything by a separate authorizer before RBAC is asked (with an
 *   empty reason); `authorize` does the same, whether or not the bootstrap policy is included.
 */
import { bootstrapPolicyFor, DEFAULT_KUBE_VERSION, kubeDataFor } from './kube-versions';
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from './types';

/** The Kubernetes version the bootstrap data was taken from: the module version of {@link DEFAULT_KUBE_VERSION}, e.g. `v1.35.4`. */
export const BOOTSTRAP_POLICY_VERSION: string = kubeDataFor(DEFAULT_KUBE_VERSION).module.version;

/** Fresh deep copies of the bootstrap ClusterRoles (callers may mutate them). */
export function bootstrapClusterRoles(): ClusterRole[] {
  return structuredClone(bootstrapPolicyFor(DEFAULT_KUBE_VERSION).clusterRoles) as ClusterRole[];
}

/** Fresh deep copies of the bootstrap ClusterRoleBindings (callers may mutate them). */
export function bootstrapClusterRoleBindings(): ClusterRoleBinding[] {
  return structuredClone(bootstrapPolicyFor(DEFAULT_KUBE_VERSION).clusterRoleBindings) as ClusterRoleBinding[];
}

/**
 * Every bootstrap object of a release: ClusterRoles, ClusterRoleBindings, Roles, then RoleBindings, each sorted
 * by namespace and name. The objects are shared and deeply frozen (every `RbacPolicy` build
 * reads them, and copying ~130 objects each time would cost more than the rest of the build);
 * use {@link bootstrapClusterRoles} and friends for copies to change.
 * @param kubeVersion the release, e.g. `1.34` (see `resolveKubeVersion`)
 * @default kubeVersion DEFAULT_KUBE_VERSION
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function bootstrapObjects(kubeVersion: string = DEFAULT_KUBE_VERSION): Array<ClusterRole | ClusterRoleBinding | Role | RoleBinding> {
  const p = bootstrapPolicyFor(kubeVersion);
  return [...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings];
}
