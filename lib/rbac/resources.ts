/**
 * kubectl resolves a bare resource name (`deployments`, `deploy`) to its API group through the
 * server's discovery documents. Offline there is no server, so this table of the built-in
 * Kubernetes resources (and kubectl's short names for them) stands in. A name not in the table is
 * taken literally in the core group; write `RESOURCE.GROUP` for anything else (`widgets.example.com`).
 */

/** A built-in resource: its plural name and API group (`""` is the core group). */
export interface KnownResource {
  /** The plural resource name, e.g. `deployments`. */
  readonly resource: string;
  /** The API group, e.g. `apps`; `""` for the core group. */
  readonly group: string;
}

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  '': [
    'bindings', 'componentstatuses', 'configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes',
    'persistentvolumeclaims', 'persistentvolumes', 'pods', 'podtemplates', 'replicationcontrollers',
    'resourcequotas', 'secrets', 'serviceaccounts', 'services',
  ],
  'apps': ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  'batch': ['cronjobs', 'jobs'],
  'autoscaling': ['horizontalpodautoscalers'],
  'policy': ['poddisruptionbudgets'],
  'networking.k8s.io': ['ingressclasses', 'ingresses', 'networkpolicies'],
  'rbac.authorization.k8s.io': ['clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  'storage.k8s.io': ['csidrivers', 'csinodes', 'storageclasses', 'volumeattachments'],
  'apiextensions.k8s.io': ['customresourcedefinitions'],
  'admissionregistration.k8s.io': ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'],
  'coordination.k8s.io': ['leases'],
  'certificates.k8s.io': ['certificatesigningrequests'],
  'scheduling.k8s.io': ['priorityclasses'],
  'discovery.k8s.io': ['endpointslices'],
  'authentication.k8s.io': ['selfsubjectreviews', 'tokenreviews'],
  'authorization.k8s.io': ['localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews'],
};

/** kubectl's short names for built-in resources. */
export const SHORT_NAMES: Readonly<Record<string, string>> = {
  cm: 'configmaps', cs: 'componentstatuses', ep: 'endpoints', ev: 'events', limits: 'limitranges', ns: 'namespaces',
  no: 'nodes', pvc: 'persistentvolumeclaims', pv: 'persistentvolumes', po: 'pods', rc: 'replicationcontrollers',
  quota: 'resourcequotas', sa: 'serviceaccounts', svc: 'services', ds: 'daemonsets', deploy: 'deployments',
  rs: 'replicasets', sts: 'statefulsets', cj: 'cronjobs', hpa: 'horizontalpodautoscalers', pdb: 'poddisruptionbudgets',
  ing: 'ingresses', netpol: 'networkpolicies', sc: 'storageclasses', crd: 'customresourcedefinitions',
  crds: 'customresourcedefinitions', csr: 'certificatesigningrequests', pc: 'priorityclasses',
};

const BY_NAME: ReadonlyMap<string, KnownResource> = new Map(
  Object.entries(GROUPS).flatMap(([group, resources]) => resources.map((resource) => [resource, { resource, group }] as const)),
);

/**
 * The built-in resource a bare name means, as kubectl's discovery would resolve it (`deploy` and
 * `deployments` give `deployments` in `apps`); `undefined` for a name that is not built in.
 */
export function knownResource(name: string): KnownResource | undefined {
  return BY_NAME.get(SHORT_NAMES[name] ?? name);
}
