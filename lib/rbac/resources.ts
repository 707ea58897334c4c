/**
 * kubectl resolves a bare resource name (`deployments`, `deploy`) to its API group through the
 * server's discovery documents. Offline there is no server, so this table of the built-in
 * Kubernetes resources (with kubectl's singular and short names for them) stands in, extended with
 * the CustomResourceDefinitions found in the manifests. Write `RESOURCE.GROUP` for anything else
 * (`widgets.example.com`).
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

/** Singular names that are not the plural without its final `s` (kubectl's `singularName`). */
const IRREGULAR_SINGULARS: Readonly<Record<string, string>> = {
  endpoints: 'endpoints', ingresses: 'ingress', ingressclasses: 'ingressclass', storageclasses: 'storageclass',
  priorityclasses: 'priorityclass', poddisruptionbudgets: 'poddisruptionbudget', networkpolicies: 'networkpolicy',
  componentstatuses: 'componentstatus', selfsubjectaccessreviews: 'selfsubjectaccessreview',
};

/** The singular name kubectl accepts for a built-in plural resource, e.g. `pod` for `pods`. */
function singularOf(plural: string): string {
  return IRREGULAR_SINGULARS[plural] ?? (plural.endsWith('s') ? plural.slice(0, -1) : plural);
}

const BY_SINGULAR: ReadonlyMap<string, string> = new Map([...BY_NAME.keys()].map((plural) => [singularOf(plural), plural]));

/** A custom resource, as a CustomResourceDefinition in the manifests declares it. */
export interface CustomResourceNames extends KnownResource {
  /** `spec.names.singular`, when given. */
  readonly singular?: string;
  /** `spec.names.shortNames`. */
  readonly shortNames: readonly string[];
  /** Whether its objects live in a namespace: `spec.scope` is not `Cluster`. */
  readonly namespaced: boolean;
}

/**
 * Resolves a bare resource name the way kubectl's discovery-backed REST mapper does: the plural,
 * the singular or a short name of a built-in resource, or of a custom resource declared by one of
 * `customResources`; `undefined` when nothing matches.
 * @param name a bare name without a group, e.g. `pod`, `po`, `pods`, `widget`
 * @param customResources the CustomResourceDefinitions known from the manifests
 * @default customResources []
 */
export function lookupResource(name: string, customResources: readonly CustomResourceNames[] = []): KnownResource | undefined {
  const lower = name.toLowerCase();
  const builtIn = knownResource(lower) ?? BY_NAME.get(BY_SINGULAR.get(lower) ?? '');
  if (builtIn) return builtIn;
  const custom = customResources.find((c) => c.resource === lower || c.singular === lower || c.shortNames.includes(lower));
  return custom ? { resource: custom.resource, group: custom.group } : undefined;
}

/** The CustomResourceDefinitions among manifest objects, as names kubectl would resolve. */
export function customResourcesIn(objects: readonly unknown[]): CustomResourceNames[] {
  const found: CustomResourceNames[] = [];
  for (const o of objects) {
    const crd = o as { kind?: unknown; spec?: { group?: unknown; scope?: unknown; names?: { plural?: unknown; singular?: unknown; shortNames?: unknown } } };
    if (crd?.kind !== 'CustomResourceDefinition' || typeof crd.spec?.group !== 'string' || typeof crd.spec.names?.plural !== 'string') continue;
    const shortNames = Array.isArray(crd.spec.names.shortNames) ? crd.spec.names.shortNames.filter((n): n is string => typeof n === 'string') : [];
    found.push({
      resource: crd.spec.names.plural, group: crd.spec.group, shortNames, namespaced: crd.spec.scope !== 'Cluster',
      ...(typeof crd.spec.names.singular === 'string' ? { singular: crd.spec.names.singular } : {}),
    });
  }
  return found;
}
