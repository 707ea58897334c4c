/**
 * The naming convention of the walkthrough, shared by the constructs (which create identities)
 * and the audit advice (which suggests them): a ServiceAccount `NAME-sa` gets a ClusterRole
 * `NAME-cr` bound by a RoleBinding `NAME-rb` (`NAME-crb` cluster-wide), or a Role `NAME-role`.
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
