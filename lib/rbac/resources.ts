/**
 * kubectl resolves a bare resource name (`deployments`, `deployment`, `deploy`) to its API group
 * through the server's discovery documents. Offline there is no server, so a release's generated
 * discovery data ({@link apiResourcesFor}: plural, singular and short names of every built-in
 * resource) stands in, extended with the CustomResourceDefinitions found in the manifests. Write
 * `RESOURCE.GROUP` for anything else (`widgets.example.com`).
 */
import { ApiResource } from './kube-data-types';
import { apiResourcesFor, DEFAULT_KUBE_VERSION } from './kube-versions';
import { servedApiResourcesFor } from './served-apis';

/** A built-in resource: its plural name and API group (`""` is the core group). */
export interface KnownResource {
  /** The plural resource name, e.g. `deployments`. */
  readonly resource: string;
  /** The API group, e.g. `apps`; `""` for the core group. */
  readonly group: string;
}

/** Plural, singular and short name to resource, per release and enabled APIs; the first resource to claim a name keeps it (the data is sorted by group, so the core group wins, as in kubectl). */
const byName = new Map<string, ReadonlyMap<string, KnownResource>>();

function namesFor(version: string, enabledApis: readonly string[]): ReadonlyMap<string, KnownResource> {
  const key = `${version} ${enabledApis.join(' ')}`;
  let names = byName.get(key);
  if (!names) {
    const built = new Map<string, KnownResource>();
    const resources = servedApiResourcesFor(version, enabledApis);
    // Plurals first, then singulars, then short names: a plural is never shadowed by another resource's short name.
    for (const pick of [(r: typeof resources[number]) => [r.resource], (r: typeof resources[number]) => [r.singular], (r: typeof resources[number]) => r.shortNames]) {
      for (const r of resources) {
        for (const name of pick(r)) if (name && !built.has(name)) built.set(name, { resource: r.resource, group: r.group });
      }
    }
    names = built;
    byName.set(key, names);
  }
  return names;
}

/**
 * The built-in resource a bare name means, as kubectl's discovery would resolve it (`deploy`,
 * `deployment` and `deployments` give `deployments` in `apps`); `undefined` for a name that is not
 * built in or not served (see `servedApiResourcesFor`).
 * @param name a plural, singular or short name, lowercase
 * @param version the Kubernetes release whose resources to use (see `resolveKubeVersion`)
 * @param enabledApis API versions served besides the defaults (`GROUP/VERSION`)
 * @default version DEFAULT_KUBE_VERSION
 * @default enabledApis []
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function knownResource(name: string, version: string = DEFAULT_KUBE_VERSION, enabledApis: readonly string[] = []): KnownResource | undefined {
  return namesFor(version, enabledApis).get(name);
}

/** A custom resource, as a CustomResourceDefinition in the manifests declares it. */
export interface CustomResourceNames extends KnownResource {
  /** `spec.names.singular`, when given. */
  readonly singular?: string;
  /** `spec.names.shortNames`. */
  readonly shortNames: readonly string[];
  /** Whether its objects live in a namespace: `spec.scope` is not `Cluster`. */
  readonly namespaced: boolean;
  /**
   * `spec.versions[].name` of the versions served (`served` not `false`).
   * @default - any version
   */
  readonly versions?: readonly string[];
}

/**
 * Resolves a bare resource name the way kubectl's discovery-backed REST mapper does: the plural,
 * the singular or a short name of a built-in resource of `version`, or of a custom resource
 * declared by one of `customResources`; `undefined` when nothing matches.
 * @param name a bare name without a group, e.g. `pod`, `po`, `pods`, `widget`
 * @param customResources the CustomResourceDefinitions known from the manifests
 * @param version the Kubernetes release whose built-in resources to use
 * @param enabledApis API versions served besides the defaults (`GROUP/VERSION`)
 * @default customResources []
 * @default version DEFAULT_KUBE_VERSION
 * @default enabledApis []
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function lookupResource(
  name: string, customResources: readonly CustomResourceNames[] = [], version: string = DEFAULT_KUBE_VERSION, enabledApis: readonly string[] = [],
): KnownResource | undefined {
  const lower = name.toLowerCase();
  const builtIn = knownResource(lower, version, enabledApis);
  if (builtIn) return builtIn;
  const custom = customResources.find((c) => c.resource === lower || c.singular === lower || c.shortNames.includes(lower));
  return custom ? { resource: custom.resource, group: custom.group } : undefined;
}
/** The CustomResourceDefinitions among manifest objects, as names kubectl would resolve. */
export function customResourcesIn(objects: readonly unknown[]): CustomResourceNames[] {
  const found: CustomResourceNames[] = [];
  for (const o of objects) {
    const crd = o as { kind?: unknown; spec?: { group?: unknown; scope?: unknown; versions?: unknown; names?: { plural?: unknown; singular?: unknown; shortNames?: unknown } } };
    if (crd?.kind !== 'CustomResourceDefinition' || typeof crd.spec?.group !== 'string' || typeof crd.spec.names?.plural !== 'string') continue;
    const shortNames = Array.isArray(crd.spec.names.shortNames) ? crd.spec.names.shortNames.filter((n): n is string => typeof n === 'string') : [];
    found.push({
      resource: crd.spec.names.plural, group: crd.spec.group, shortNames, namespaced: crd.spec.scope !== 'Cluster',
      ...(typeof crd.spec.names.singular === 'string' ? { singular: crd.spec.names.singular } : {}),
      ...(Array.isArray(crd.spec.versions) ? { versions: servedCrdVersions(crd.spec.versions) } : {}),
    });
  }
  return found;
}

/**
 * Resources that exist only for authorization, with no discovery entry: the impersonation filter's
 * `users`, `groups` (core group), `uids` and `userextras/KEY` (`authentication.k8s.io`), and the
 * CSR signers (`signers`, `certificates.k8s.io`) that `approve` and `sign` are checked on.
 */
const AUTHORIZATION_ONLY_RESOURCES: ReadonlyMap<string, string> = new Map([
  ['users', ''], ['groups', ''], ['uids', 'authentication.k8s.io'], ['userextras', 'authentication.k8s.io'], ['signers', 'certificates.k8s.io'],
]);

/**
 * The API groups that serve a resource as an RBAC rule names it: an exact plural (`deployments`),
 * optionally with a subresource the release has (`pods/log`), in `version`'s built-in resources,
 * plus the resources that exist only for authorization (`users`, `groups`, `uids`, `userextras/*`,
 * `signers`). Empty for a name the release does not serve (a singular or short name, a typo, a
 * custom resource, a wildcard); several groups when the release serves the name in several (`events`
 * in `""` and `events.k8s.io`).
 * @param resource `RESOURCE` or `RESOURCE/SUBRESOURCE`, as in a rule's `resources`
 * @param version the Kubernetes release whose built-in resources to use
 * @default version DEFAULT_KUBE_VERSION
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function apiGroupsServing(resource: string, version: string = DEFAULT_KUBE_VERSION): string[] {
  const slash = resource.indexOf('/');
  const base = slash < 0 ? resource : resource.slice(0, slash);
  const sub = slash < 0 ? undefined : resource.slice(slash + 1);
  const authorizationOnly = AUTHORIZATION_ONLY_RESOURCES.get(base);
  if (authorizationOnly !== undefined) return (sub === undefined) === (base !== 'userextras') ? [authorizationOnly] : [];
  return (byPlural(version).get(base) ?? [])
    .filter((r) => sub === undefined || r.subresources.some((s) => s.name === sub))
    .map((r) => r.group);
}

/** A release's built-in resources by plural name (a rule is checked several times per synth: one index per release). */
const pluralIndex = new Map<string, ReadonlyMap<string, readonly ApiResource[]>>();

function byPlural(version: string): ReadonlyMap<string, readonly ApiResource[]> {
  let index = pluralIndex.get(version);
  if (!index) {
    const built = new Map<string, ApiResource[]>();
    for (const r of apiResourcesFor(version)) built.set(r.resource, [...(built.get(r.resource) ?? []), r]);
    index = built;
    pluralIndex.set(version, index);
  }
  return index;
}

function servedCrdVersions(versions: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const v of versions) {
    const version = v as { name?: unknown; served?: unknown };
    if (typeof version?.name === 'string' && version.served !== false) out.push(version.name);
  }
  return out;
}

/** A resource kubectl can name: its plural, singular and short names, group and served versions. */
interface NamedResource {
  readonly resource: string;
  readonly group: string;
  readonly singular?: string;
  readonly shortNames: readonly string[];
  readonly versions?: readonly string[];
}

/** Where {@link resolveInGroup} looks: the release, the APIs enabled besides the defaults, and the custom resources. */
export interface ResolutionContext {
  /**
   * The Kubernetes release.
   * @default DEFAULT_KUBE_VERSION
   */
  readonly kubeVersion?: string;
  /**
   * API versions served besides the defaults (`GROUP/VERSION`).
   * @default []
   */
  readonly enabledApis?: readonly string[];
  /**
   * Custom resources declared in the manifests.
   * @default []
   */
  readonly customResources?: readonly CustomResourceNames[];
}

/**
 * The served resource `name` (a plural, singular or short name) means in `group`, as kubectl's
 * discovery REST mapper and shortcut expander resolve `NAME.GROUP` (`deploy.apps`,
 * `deployment.apps`) and, with `version`, `NAME.VERSION.GROUP` (`deployments.v1.apps`,
 * `secrets.v1.` for the core group). Plural and singular need the exact group; a short name also
 * matches a group that starts with `group` (kubectl: `hpa.autoscal`). `undefined` when nothing
 * served matches.
 * @param name the resource part, lowercase
 * @param group the group part (`""` is the core group)
 * @param version a version the resource must be served at
 * @param context the release, enabled APIs and custom resources
 * @default version - any served version
 * @default context {}
 */
export function resolveInGroup(name: string, group: string, version?: string, context: ResolutionContext = {}): KnownResource | undefined {
  const builtIn: readonly ApiResource[] = servedApiResourcesFor(context.kubeVersion ?? DEFAULT_KUBE_VERSION, context.enabledApis ?? []);
  const all: readonly NamedResource[] = [...builtIn, ...(context.customResources ?? [])];
  const candidates = version === undefined ? all : all.filter((r) => r.versions === undefined || r.versions.includes(version));
  const pick = (test: (r: NamedResource) => boolean): KnownResource | undefined => {
    const found = candidates.find(test);
    return found ? { resource: found.resource, group: found.group } : undefined;
  };
  return pick((r) => r.group === group && (r.resource === name || r.singular === name))
    ?? pick((r) => r.group === group && r.shortNames.includes(name))
    ?? (group === '' ? undefined : pick((r) => r.group.startsWith(group) && r.shortNames.includes(name)));
}
