/**
 * The naming convention of the walkthrough, shared by the constructs (which create identities)
 * and the audit advice (which suggests them): a ServiceAccount `NAME-sa` gets a ClusterRole
 * `NAME-cr` bound by a RoleBinding `NAME-rb` (`NAME-crb` cluster-wide), or a Role `NAME-role`.
 * The constructs' default names of cluster-scoped objects also carry the namespace
 * ({@link identityClusterObjectName}).
 */

/** The suffix of each object an identity's grant creates. */
export const IDENTITY_NAME_SUFFIXES = {
  clusterRole: '-cr',
  role: '-role',
  roleBinding: '-rb',
  clusterRoleBinding: '-crb',
} as const;

/**
 * The base the identity's object names are built from: the ServiceAccount name without its
 * `-sa` suffix (`secret-access-sa` -> `secret-access`), else the name as is.
 * @param serviceAccountName the ServiceAccount's name
 */
export function identityBaseName(serviceAccountName: string): string {
  return serviceAccountName.endsWith('-sa') ? serviceAccountName.slice(0, -3) : serviceAccountName;
}

/**
 * The name of an identity's object of `kind`, e.g. `identityObjectName('secret-access-sa', 'clusterRole')`
 * is `secret-access-cr`.
 * @param serviceAccountName the ServiceAccount's name
 * @param kind which object
 */
export function identityObjectName(serviceAccountName: string, kind: keyof typeof IDENTITY_NAME_SUFFIXES): string {
  return `${identityBaseName(serviceAccountName)}${IDENTITY_NAME_SUFFIXES[kind]}`;
}

/**
 * The default name of an identity's cluster-scoped object (its ClusterRole or ClusterRoleBinding).
 * A cluster-scoped name is one for the whole cluster, so two identities of one ServiceAccount
 * name in two namespaces must not share it (`kubectl apply` would keep only the last, and one of
 * them would lose its rules): the name is `NAMESPACE.NAME-cr`, e.g. `db-reader-sa` in `team-a` gets
 * `team-a.db-reader-cr`. A ServiceAccount named after its namespace already says which namespace it
 * is, and keeps the short name (`log-exporter-sa` in `log-exporter` gets `log-exporter-cr`).
 *
 * No two namespaces yield one name: a namespace (a DNS-1123 label) has no dot, so a name with a dot
 * names its namespace before the first dot, and a name without one comes from the namespace it
 * spells. The result is a DNS-1123 subdomain.
 * @param namespace the ServiceAccount's namespace
 * @param serviceAccountName the ServiceAccount's name
 * @param kind which object
 */
export function identityClusterObjectName(namespace: string, serviceAccountName: string, kind: 'clusterRole' | 'clusterRoleBinding'): string {
  const name = identityObjectName(serviceAccountName, kind);
  return identityBaseName(serviceAccountName) === namespace ? name : `${namespace}.${name}`;
}
