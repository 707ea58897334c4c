/**
 * The Kubernetes releases the evaluator knows: for each supported minor, the bootstrap RBAC policy
 * its kube-apiserver creates at start and its built-in API resources, generated from the
 * `k8s.io/kubernetes` module of that release by `scripts/generate-kube-data` (never hand-copied).
 * Pure data lookups; the data itself lives in `private/kube-data/`, one module per release, each
 * loaded when first asked for.
 */
import { RbacInputError } from './errors';
import { ApiResource, BootstrapPolicy, KubeVersionData } from './kube-data-types';
import { KUBE_DATA_LOADERS, KUBE_DATA_VERSIONS } from './private/kube-data/releases';

/** The Kubernetes minor releases there is data for, oldest first (`scripts/generate-kube-data/versions.js`). */
export const SUPPORTED_KUBE_VERSIONS = KUBE_DATA_VERSIONS;

/** A supported Kubernetes minor release, e.g. `1.35`. */
export type KubeVersion = (typeof SUPPORTED_KUBE_VERSIONS)[number];

/** The release used when none is asked for: 1.35, the minor of the e2e suite's kube-apiserver (v1.35.4). */
export const DEFAULT_KUBE_VERSION: KubeVersion = '1.35';

/** A Kubernetes version was asked for that there is no data for, or that is not a version at all. */
export class UnsupportedKubeVersionError extends RbacInputError {
  /** The version as given. */
  public readonly version: string;

  /** @param version the version as given */
  constructor(version: string) {
    super(`Kubernetes version "${version}" is not supported; use one of ${SUPPORTED_KUBE_VERSIONS.join(', ')} (a patch such as 1.35.4 or a leading "v" is accepted).`);
    this.version = version;
  }
}

/**
 * The supported minor release a version string names: `1.35`, `v1.35` and `1.35.4` all give `1.35`
 * (the data of a minor is taken from one patch release; see {@link kubeDataFor}).
 * @param version a version such as `1.35`, `v1.35` or `v1.35.4`
 * @throws UnsupportedKubeVersionError when it is malformed or not in {@link SUPPORTED_KUBE_VERSIONS}
 */
export function resolveKubeVersion(version: string): KubeVersion {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(version.trim());
  const minor = m ? `${Number(m[1])}.${Number(m[2])}` : '';
  if (!(SUPPORTED_KUBE_VERSIONS as readonly string[]).includes(minor)) throw new UnsupportedKubeVersionError(version);
  return minor as KubeVersion;
}

const loaded = new Map<KubeVersion, KubeVersionData>();

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Everything generated for a release, with where it came from (module version and checksum, and
 * each upstream file with its sha256). Shared and deeply frozen: copy before changing anything.
 * @param version a version such as `1.35` (see {@link resolveKubeVersion})
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function kubeDataFor(version: string): KubeVersionData {
  const minor = resolveKubeVersion(version);
  let data = loaded.get(minor);
  if (!data) {
    data = deepFreeze(KUBE_DATA_LOADERS[minor]());
    loaded.set(minor, data);
  }
  return data;
}

/**
 * The bootstrap RBAC policy a release's kube-apiserver creates at start: every ClusterRole and
 * ClusterRoleBinding (the controllers' `system:controller:*` ones included) and the Roles and
 * RoleBindings of `kube-system` and `kube-public`, with their namespaces. Shared and deeply frozen.
 * @param version a version such as `1.35` (see {@link resolveKubeVersion})
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function bootstrapPolicyFor(version: string): BootstrapPolicy {
  return kubeDataFor(version).bootstrap;
}

/**
 * A release's built-in API resources (group, versions, plural, singular, kind, scope, short names,
 * verbs, subresources), sorted by group, then resource, from a real server's discovery documents.
 * Shared and deeply frozen.
 * @param version a version such as `1.35` (see {@link resolveKubeVersion})
 * @throws UnsupportedKubeVersionError for a version there is no data for
 */
export function apiResourcesFor(version: string): readonly ApiResource[] {
  return kubeDataFor(version).apiResources;
}
