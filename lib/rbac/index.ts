/**
 * `cdk8s-api-reader/rbac`: the offline RBAC evaluator, kube-apiserver's RBAC semantics over plain
 * manifest objects. Pure (no cdk8s, no constructs); only `load.ts` touches the file system.
 * Every name below is exported on purpose; the rest of `lib/rbac` is internal.
 *
 * @example
 * const policy = RbacPolicy.fromLoadResult(loadPaths(['dist/']));
 * const d = authorize(policy, serviceAccountUser('dev', 'secret-access-sa'),
 *   { verb: 'get', resource: 'secrets', name: 'api-access-secret', namespace: 'dev' });
 * // d.allowed === true
 * // d.reason === 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"'
 */

// The manifest and request model
export { RBAC_GROUP, isNonResourceRequest } from './types';
export type {
  AccessRequest, AggregationRule, AnyRole, Binding, ClusterRole, ClusterRoleBinding, Decision, GrantedRule, GrantSource,
  KubeObject, LabelSelector, LabelSelectorRequirement, NonResourceAttributes, ObjectMeta, PolicyRule, ResourceAttributes,
  Role, RoleBinding, RoleRef, ServiceAccount, Subject, UserInfo,
} from './types';
export { InvalidObjectError, InvalidRequestError, InvalidSubjectError, ManifestLoadError, RbacInputError } from './errors';
export { InvalidSelectorError } from './selectors';

// Loading manifests and building a policy
export { DEFAULT_MAX_MANIFEST_BYTES, loadDirectory, loadFile, loadPaths, mergeLoadResults, parseManifests } from './load';
export type { LoadedObject, LoadOptions, LoadResult, SourceLocation } from './load';
export { BOOTSTRAP_POLICY_VERSION, bootstrapClusterRoleBindings, bootstrapClusterRoles, bootstrapObjects } from './bootstrap';
export { RbacPolicy } from './policy';
export { unknownFieldPhrases, unservedVersionWarning, validateRbacObject } from './validate';
export type { FieldValidation, PolicyOptions, PolicyProblem, PolicyProblemKind, ResolvedBinding } from './policy';

// Kubernetes releases: each supported minor's bootstrap policy and built-in resources, generated from upstream
export {
  apiResourcesFor, bootstrapPolicyFor, DEFAULT_KUBE_VERSION, kubeDataFor, resolveKubeVersion, SUPPORTED_KUBE_VERSIONS,
  UnsupportedKubeVersionError,
} from './kube-versions';
export type { KubeVersion } from './kube-versions';
export { ALL_APIS, servedApiResourcesFor, servedByDefault, UnknownApiVersionError } from './served-apis';
export type { ApiResource, ApiSubresource, BootstrapPolicy, KubeDataSource, KubeModule, KubeVersionData } from './kube-data-types';

// Who is asking, and what
export {
  ALL_AUTHENTICATED, ALL_SERVICE_ACCOUNTS, ALL_UNAUTHENTICATED, ANONYMOUS_USER, impersonatedUser, malformedServiceAccountWarning, SERVICE_ACCOUNT_USERNAME_PREFIX,
  serviceAccountGroups, serviceAccountUser, serviceAccountUsername, splitServiceAccountUsername, SYSTEM_MASTERS,
} from './subjects';
export { buildRequest, parseResourceColumn, resolveGroupResource } from './request';
export type { GroupResource, RequestScope, ResourceColumn, VocabularyOptions } from './request';
export { customResourcesIn, lookupResource, resolveInGroup } from './resources';
export type { CustomResourceNames, KnownResource, ResolutionContext } from './resources';
export { isBindingCheck, requestNamespace, ResourceScopes } from './scope';
export type { ScopeLookup } from './scope';
export { isKnownVerb, NON_RESOURCE_VERBS, RESOURCE_VERBS } from './verbs';

// Evaluation
export { authorize, rulesFor, whoCan } from './evaluate';
export type { RulesForResult, WhoCanEntry, WhoCanNamedEntry, WhoCanResult } from './evaluate';
export { ruleAllows, rulesAllow } from './matchers';
export { describeOperation, describeSubject } from './format';

// The risk catalogue and the views
export { privilegeRisks, RISK_CATALOGUE, RISK_SEVERITIES, riskDefinition, ruleRisks } from './risks';
export type { Acknowledgement, PrivilegeRisk, RiskDefinition, RiskSeverity } from './risks';
export { buildMatrix } from './views/matrix';
export type { CellState, MatrixCell, MatrixRow, MatrixSubject, SubjectMatrix } from './views/matrix';
export { buildGraph } from './views/graph';
export type { GraphEdge, GraphNode, GraphNodeKind, RbacGraph } from './views/graph';
export { accessRows } from './views/access-list';

// Escalation paths: who can become whom, hop by hop (the hop kinds are the risk entries with `reaches`)
export { DEFAULT_MAX_PATHS_PER_SUBJECT, findEscalations, inputSubjects, nodeKey } from './escalation/search';
export type { EscalationOptions } from './escalation/search';
export type {
  ClusterAdminNode, EscalationHop, EscalationNode, EscalationPath, EscalationReport, GrantNode, HopGrant, HopObject, NodeNode,
  PolicyObjectRef, ServiceAccountNode, SubjectEscalations, UserOrGroupNode,
} from './escalation/types';
export { POD_SECURITY_ENFORCE_LABEL, SERVICE_ACCOUNT_NAME_ANNOTATION, SERVICE_ACCOUNT_TOKEN_TYPE } from './workloads';
export type { AccessRow } from './views/access-list';

// The access diff: who gains and who loses which access between two policies
export { classifyRequest, diffAccess, highestSeverity } from './diff/access-diff';
export type { AccessChange, AccessDiff, AccessGrant, AccessRisk, DiffSide, SubjectAccessDiff } from './diff/access-diff';
export type { ChangeKind } from './diff/cells';
export type { DiffSubject } from './diff/grants';
export type { ValueSet } from './diff/rows';
export { accessSummaryOf } from './views/access-summary';
