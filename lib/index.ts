/**
 * The public API of `cdk8s-api-reader`: the constructs, their props and references, the grant
 * handle, and the atomic synth entry points. Every name is exported on purpose; anything not
 * listed here is internal and may change without notice. The evaluator and the audit reader
 * have their own entry points: `cdk8s-api-reader/rbac`, `cdk8s-api-reader/audit`, and the Jest
 * matchers `cdk8s-api-reader/testing`.
 */

// Namespaces and pod security
export { RestrictedNamespace } from './restricted-namespace';
export type { INamespaceRef, PodSecurityLevel, RestrictedNamespaceProps } from './restricted-namespace';
export {
  DEFAULT_NON_ROOT_ID, MIN_NON_ROOT_ID, restrictedContainerSecurityContext, restrictedPodSecurityContext,
} from './restricted-security';
/** The Kubernetes 1.27 types those functions return (declarations only: nothing to install beside this package). */
export type {
  Capabilities, PodSecurityContext, SeccompProfile, SecurityContext, SeLinuxOptions, Sysctl, WindowsSecurityContextOptions,
} from '../imports/k8s';

// Credentials
export { CredentialsSecret } from './credentials-secret';
export type { CredentialsSecretProps, ISecretRef } from './credentials-secret';
export { CredentialsSource, DEFAULT_CREDENTIAL_ENV } from './credentials-source';
export type { EnvironmentVariables, ResolvedCredentials } from './credentials-source';
export { CredentialsChart } from './credentials-chart';
export type { CredentialsChartProps } from './credentials-chart';
export { CREDENTIALS_ENV, credentialsFromEnvironment } from './credentials-from-environment';

// Identities, roles, bindings and grants
export type { PolicyRule } from './rbac/types';
export type { Acknowledgement, PrivilegeRisk } from './rbac/risks';
export { AccessRole } from './access-role';
export type { AccessRoleProps, IRoleRef } from './access-role';
export { AccessBinding } from './access-binding';
export type { AccessBindingProps, SubjectSpec } from './access-binding';
export { ReaderIdentity } from './reader-identity';
export type { BindClusterRoleOptions, GrantOptions, IServiceAccountRef, ReaderIdentityProps } from './reader-identity';
export { Grant } from './grant';
export type { GrantAddedOptions, GrantRefusedOptions, IGrantee } from './grant';
export { LegacyServiceAccountTokenSecret } from './legacy-token-secret';
export type { LegacyServiceAccountTokenSecretProps } from './legacy-token-secret';

// Reader workloads
export { READER_SCRIPT } from './reader-script-source';
export { READER_SCRIPT_FILE, ReaderScript } from './reader-script';
export type { IReaderScriptRef, ReaderScriptProps } from './reader-script';
export {
  IdentityPod, MAX_TOKEN_EXPIRATION_SECONDS, MIN_TOKEN_EXPIRATION_SECONDS, SERVICE_ACCOUNT_DIR,
} from './identity-pod';
export type { ConfigMapMount, IdentityPodProps, ImagePullPolicy, ReaderResources } from './identity-pod';
export { DEFAULT_READER_IMAGE, READER_POD_LABELS, ReaderPod } from './reader-pod';
export type { ReaderPodProps } from './reader-pod';
export { ReaderNetworkPolicy } from './reader-network-policy';
export type { ReaderNetworkPolicyProps } from './reader-network-policy';

// Audit policy, the walkthrough, app-wide checks
export { AuditPolicy } from './audit-policy';
export type { AuditLevel, AuditPolicyProps, AuditRule } from './audit-policy';
export { ApiReaderWalkthrough } from './walkthrough-chart';
export type { ApiReaderWalkthroughProps } from './walkthrough-chart';
export { validateUniqueObjectNames } from './unique-names';

// Synth: atomic output directories, the linear multi-tenant synth, the tenants file
export { synthToDirectory } from './synth/directory-synth';
export { runMain } from './synth/run-main';
export type { SynthToDirectoryOptions } from './synth/directory-synth';
export { synthAppLinear } from './synth/linear-synth';
export { addTenants, loadTenantsFile, RESERVED_NAMESPACES, TenantsFileError } from './synth/tenants';
export type { LoadTenantsOptions, TenantConfig, TenantsFile } from './synth/tenants';
