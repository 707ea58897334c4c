/**
 * The risk catalogue: the one list of RBAC grants dangerous enough that a person should accept
 * them by name (synth-time guardrails), a reviewer should see them flagged (audit advice, the
 * access diff), or that open a path to more access (escalations). Each entry has a severity, one
 * sentence why, and where the concern is documented (Kubernetes' RBAC good practices, the
 * peers' rule names). Matching goes through the evaluator's own matchers, so wildcards are
 * caught exactly as the API server would match them.
 */
import { ruleAllows } from './matchers';
import { AccessRequest, PolicyRule, RBAC_GROUP } from './types';

/** Every risk the catalogue knows, by id. */
export type PrivilegeRisk =
  | 'wildcard-verbs'
  | 'wildcard-resources'
  | 'escalate'
  | 'bind'
  | 'impersonate'
  | 'secrets-cluster-wide'
  | 'secrets-read'
  | 'serviceaccount-token-create'
  | 'serviceaccount-token-secret-create'
  | 'pods-exec'
  | 'pods-ephemeral-containers'
  | 'workload-create'
  | 'nodes-proxy'
  | 'admission-webhooks'
  | 'csr-approve'
  | 'persistent-volume-create'
  | 'namespace-modify';

/** How bad a risk is, lowest first (the order of {@link RISK_SEVERITIES}). */
export type RiskSeverity = 'low' | 'medium' | 'high' | 'critical';

/** The severities, lowest first: compare two with their index. */
export const RISK_SEVERITIES: readonly RiskSeverity[] = ['low', 'medium', 'high', 'critical'];

/** One entry of the risk catalogue. */
export interface RiskDefinition {
  /** The risk's stable id (used in acknowledgements, SARIF rule ids and JSON output). */
  readonly id: PrivilegeRisk;
  /** How bad it is. */
  readonly severity: RiskSeverity;
  /** One sentence: what a holder of this grant can do with it. */
  readonly why: string;
  /** Where the concern is documented: Kubernetes' RBAC good practices, the peers' rule names. */
  readonly sources: readonly string[];
  /** True when a construct's rule carrying it fails synth unless acknowledged by name. */
  readonly acknowledgeAtSynth: boolean;
  /** True when it applies only to a grant that holds cluster-wide (a ClusterRoleBinding). */
  readonly clusterWideOnly: boolean;
  /**
   * For a risk that is also an escalation hop (`api-reader escalations`): what a holder reaches
   * through it, as a phrase.
   * @default - not a hop: it widens access without reaching another identity
   */
  readonly reaches?: string;
}

const GOOD_PRACTICES = "Kubernetes' RBAC good practices";
const WORKLOAD_CONTROLLERS: ReadonlyArray<[string, string]> = [
  ['apps', 'deployments'], ['apps', 'replicasets'], ['apps', 'statefulsets'], ['apps', 'daemonsets'],
  ['batch', 'jobs'], ['batch', 'cronjobs'], ['', 'replicationcontrollers'],
];

interface CatalogueEntry extends RiskDefinition {
  /** True when the rule grants it (requests carry the rule's first resourceName, so named rules count). */
  readonly grantedBy: (rule: PolicyRule) => boolean;
}

/** A matcher: the rule allows one of these requests (resource requests use namespace `x` where namespaced). */
function allowsAny(requests: readonly AccessRequest[]): (rule: PolicyRule) => boolean {
  return (rule) => requests.some((request) => ruleAllows(withRuleName(request, rule), rule));
}

function resourceRequests(verbs: readonly string[], group: string, resources: readonly string[], namespaced = true): AccessRequest[] {
  const out: AccessRequest[] = [];
  for (const combined of resources) {
    const [resource, subresource] = combined.split('/');
    for (const verb of verbs) {
      out.push({ verb, group, resource, subresource, name: 'x', namespace: namespaced ? 'x' : undefined });
    }
  }
  return out;
}

const CATALOGUE: readonly CatalogueEntry[] = [
  {
    id: 'wildcard-verbs', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    why: 'A `*` verb grants every verb, including ones added later (escalate, bind, impersonate, approve).',
    sources: [`${GOOD_PRACTICES}: Least privilege`, 'krane: wildcard rules'],
    grantedBy: (rule) => rule.verbs.includes('*'),
  },
  {
    id: 'wildcard-resources', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    why: 'A `*` resource or group grants every resource, including every type installed later.',
    sources: [`${GOOD_PRACTICES}: Least privilege`, 'krane: wildcard rules'],
    grantedBy: (rule) =>
      (rule.resources ?? []).some((r) => r === '*' || r.startsWith('*/')) || (rule.resources !== undefined && (rule.apiGroups ?? []).includes('*')),
  },
  {
    id: 'escalate', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'cluster-admin through a role bound to it by a ClusterRoleBinding that it may rewrite; every permission of the namespace through a RoleBinding',
    why: 'escalate on roles lets the holder write any rule into a role it is bound to, so it can grant itself anything.',
    sources: [`${GOOD_PRACTICES}: Escalate verb`, 'rbac-police: escalate_roles'],
    grantedBy: allowsAny(resourceRequests(['escalate'], RBAC_GROUP, ['roles', 'clusterroles'])),
  },
  {
    id: 'bind', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'the permissions of every role it may bind to itself, cluster-admin included',
    why: 'bind on roles lets the holder bind itself (or anyone) to a role it does not hold, up to cluster-admin.',
    sources: [`${GOOD_PRACTICES}: Bind verb`, 'rbac-police: bind_roles'],
    grantedBy: allowsAny(resourceRequests(['bind'], RBAC_GROUP, ['roles', 'clusterroles'])),
  },
  {
    id: 'impersonate', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'the users, groups (system:masters included) and ServiceAccounts it may impersonate',
    why: 'impersonate lets the holder act as other users, groups or ServiceAccounts, system:masters included.',
    sources: [`${GOOD_PRACTICES}: Impersonate verb`, 'rbac-police: impersonate'],
    grantedBy: allowsAny([
      ...resourceRequests(['impersonate'], '', ['users', 'groups', 'uids'], false),
      ...resourceRequests(['impersonate'], '', ['serviceaccounts']),
      ...resourceRequests(['impersonate'], 'authentication.k8s.io', ['userextras/scopes'], false),
    ]),
  },
  {
    id: 'secrets-cluster-wide', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: true,
    why: 'Reading Secrets in every namespace returns every credential the cluster stores, ServiceAccount tokens included.',
    sources: [`${GOOD_PRACTICES}: Listing secrets`, 'rbac-police: retrieve_secrets'],
    grantedBy: (rule) => rule.resources !== undefined && allowsAny(resourceRequests(['get', 'list', 'watch'], '', ['secrets']))(rule),
  },
  {
    id: 'secrets-read', severity: 'medium', acknowledgeAtSynth: false, clusterWideOnly: false,
    reaches: 'the ServiceAccount of every ServiceAccount-token Secret it may read',
    why: 'Reading Secrets returns their values; a list returns every Secret of the namespace, tokens included.',
    sources: [`${GOOD_PRACTICES}: Listing secrets`, 'rbac-police: retrieve_secrets, list_secrets'],
    grantedBy: allowsAny(resourceRequests(['get', 'list', 'watch'], '', ['secrets'])),
  },
  {
    id: 'serviceaccount-token-create', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'every ServiceAccount it may mint a token for',
    why: 'create serviceaccounts/token mints a token for a ServiceAccount, so the holder acts as it.',
    sources: [`${GOOD_PRACTICES}: Token request`, 'rbac-police: token_request'],
    grantedBy: allowsAny(resourceRequests(['create'], '', ['serviceaccounts/token'])),
  },
  {
    id: 'serviceaccount-token-secret-create', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'any ServiceAccount of the namespace (the control plane writes its token into the Secret)',
    why: 'Creating a Secret of type kubernetes.io/service-account-token makes the control plane fill it with a token of any ServiceAccount of the namespace.',
    sources: [`${GOOD_PRACTICES}: Listing secrets`, 'rbac-police: issue_token_secrets'],
    grantedBy: allowsAny(resourceRequests(['create'], '', ['secrets'])),
  },
  {
    id: 'pods-exec', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'the ServiceAccounts of the pods running in the namespace',
    why: "exec or attach runs commands in a pod's containers (as does updating its image), with its ServiceAccount token and its mounts.",
    sources: [`${GOOD_PRACTICES}: Workload creation`, 'rbac-police: pods_exec'],
    grantedBy: allowsAny([...resourceRequests(['create', 'get'], '', ['pods/exec', 'pods/attach']), ...resourceRequests(['update', 'patch'], '', ['pods'])]),
  },
  {
    id: 'pods-ephemeral-containers', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'the ServiceAccounts of the pods running in the namespace',
    why: "Adding an ephemeral container to a running pod runs the holder's code with that pod's ServiceAccount.",
    sources: [`${GOOD_PRACTICES}: Workload creation`, 'rbac-police: pods_ephemeral_ctrs'],
    grantedBy: allowsAny(resourceRequests(['update', 'patch'], '', ['pods/ephemeralcontainers'])),
  },
  {
    id: 'workload-create', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: "any ServiceAccount of the namespace (its token is mounted); a node, where the namespace's Pod Security admits pods that mount the node's file system",
    why: 'Creating pods or workload controllers in a namespace lets the holder run as any ServiceAccount of that namespace.',
    sources: [`${GOOD_PRACTICES}: Workload creation`, 'rbac-police: assign_sa, modify_pods'],
    grantedBy: allowsAny([
      ...resourceRequests(['create'], '', ['pods']),
      ...WORKLOAD_CONTROLLERS.flatMap(([group, resource]) => resourceRequests(['create', 'update', 'patch'], group, [resource])),
    ]),
  },
  {
    id: 'nodes-proxy', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'the ServiceAccounts of every pod on the nodes it may proxy to',
    why: "nodes/proxy reaches the kubelet's API, which runs commands in every pod of the node.",
    sources: [`${GOOD_PRACTICES}: Access to proxy subresource of Nodes`, 'rbac-police: nodes_proxy'],
    grantedBy: allowsAny(resourceRequests(['get', 'create'], '', ['nodes/proxy'], false)),
  },
  {
    id: 'admission-webhooks', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'any ServiceAccount of any namespace (a mutating webhook rewrites the next pod admitted)',
    why: 'Writing admission webhook configurations lets the holder read and rewrite every object sent to the API server.',
    sources: [`${GOOD_PRACTICES}: Control admission webhooks`, 'rbac-police: control_webhooks'],
    grantedBy: allowsAny(
      resourceRequests(['create', 'update', 'patch'], 'admissionregistration.k8s.io', ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], false),
    ),
  },
  {
    id: 'csr-approve', severity: 'critical', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'any user or group but system:masters, which the CertificateSubjectRestriction admission plugin refuses (a client certificate it approves)',
    why: 'Approving certificate signing requests issues client certificates for any user or group (system:masters only through a signer other than kubernetes.io/kube-apiserver-client).',
    sources: [`${GOOD_PRACTICES}: CSRs and certificate issuing`, 'rbac-police: approve_csrs'],
    grantedBy: allowsAny([
      ...resourceRequests(['update', 'patch'], 'certificates.k8s.io', ['certificatesigningrequests/approval'], false),
      ...resourceRequests(['approve'], 'certificates.k8s.io', ['signers'], false),
    ]),
  },
  {
    id: 'persistent-volume-create', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'a node (a hostPath volume claimed by a pod it creates)',
    why: "Creating PersistentVolumes can mount a node's host path into a pod, and with it the node's files.",
    sources: [`${GOOD_PRACTICES}: Persistent volume creation`],
    grantedBy: allowsAny(resourceRequests(['create'], '', ['persistentvolumes'], false)),
  },
  {
    id: 'namespace-modify', severity: 'high', acknowledgeAtSynth: true, clusterWideOnly: false,
    reaches: 'a node (a pod that mounts its file system, once the namespace no longer enforces Pod Security)',
    why: "Changing a namespace's labels can switch off its Pod Security enforcement, so privileged pods run there.",
    sources: [`${GOOD_PRACTICES}: Namespace modification`],
    grantedBy: allowsAny(resourceRequests(['update', 'patch'], '', ['namespaces'], false)),
  },
];

/** The catalogue's entries, in a stable order (the order of {@link PrivilegeRisk}). */
export const RISK_CATALOGUE: readonly RiskDefinition[] = CATALOGUE.map(({ grantedBy: _, ...definition }) => Object.freeze(definition));

const BY_ID = new Map<string, RiskDefinition>(RISK_CATALOGUE.map((d) => [d.id, d]));

/**
 * The catalogue entry of a risk.
 *
 * @param id the risk's id
 * @returns the entry, or undefined for an id the catalogue does not hold
 */
export function riskDefinition(id: string): RiskDefinition | undefined {
  return BY_ID.get(id);
}

/** An acknowledgement of one {@link PrivilegeRisk} for one rule, with the reason. */
export interface Acknowledgement {
  /** The risk accepted. */
  readonly risk: PrivilegeRisk;
  /** Why it is needed and safe here, as a sentence (reviewers read it). */
  readonly reason: string;
}

/**
 * Every catalogue entry a rule carries, most severe first (catalogue order within a severity).
 *
 * @param rule the rule as rendered
 * @param clusterWide true when the role is bound by a ClusterRoleBinding (or the grant otherwise holds in every namespace)
 */
export function ruleRisks(rule: PolicyRule, clusterWide: boolean): RiskDefinition[] {
  const found = CATALOGUE.filter((entry) => (clusterWide || !entry.clusterWideOnly) && entry.grantedBy(rule));
  return found
    .map((entry) => BY_ID.get(entry.id)!)
    .sort((a, b) => RISK_SEVERITIES.indexOf(b.severity) - RISK_SEVERITIES.indexOf(a.severity));
}

/**
 * The risks of a rule that need an explicit, named acknowledgement before synth accepts it
 * (the entries with `acknowledgeAtSynth`), in catalogue order.
 *
 * @param rule the rule as rendered
 * @param clusterWide true when the role is bound by a ClusterRoleBinding
 */
export function privilegeRisks(rule: PolicyRule, clusterWide: boolean): PrivilegeRisk[] {
  return CATALOGUE.filter((entry) => entry.acknowledgeAtSynth && (clusterWide || !entry.clusterWideOnly) && entry.grantedBy(rule)).map((e) => e.id);
}

/** Uses one of the rule's resourceNames, so a named rule still counts as granting it. */
function withRuleName(request: AccessRequest, rule: PolicyRule): AccessRequest {
  if ('path' in request) return request;
  const name = rule.resourceNames?.[0];
  return name === undefined ? request : { ...request, name };
}

/**
 * Resources whose rules should keep naming their objects: without `resourceNames` a rule reaches
 * every object of the kind in its scope, and for these that is a risk of its own (every credential
 * of the namespace, for Secrets). Audit advice never widens a rule on them from the names it saw to
 * all names unless asked, and then flags the widening as {@link NAMES_WIDENED_RISK}.
 *
 * The minimal marker until the catalogue grows (it is meant to be replaced by the catalogue's own
 * word on which resources are sensitive): Secrets, in the core group.
 */
const NAME_SENSITIVE_RESOURCES: ReadonlyArray<{ readonly group: string; readonly resource: string }> = [{ group: '', resource: 'secrets' }];

/**
 * True when a rule on `resource` (a subresource's parent) in `group` should keep its `resourceNames`
 * (see {@link NAME_SENSITIVE_RESOURCES}).
 * @param group the API group (`""` core)
 * @param resource the resource, e.g. `secrets` (a subresource counts as its parent)
 */
export function namesAreSensitive(group: string, resource: string): boolean {
  const parent = resource.split('/')[0];
  return NAME_SENSITIVE_RESOURCES.some((r) => r.group === group && r.resource === parent);
}

/** The risk advice flags on a rule whose names it dropped on a resource {@link namesAreSensitive} marks. */
export const NAMES_WIDENED_RISK = 'names-widened' as const;
