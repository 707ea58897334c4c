/**
 * `api-reader --version` / `api-reader version`: the package's version (read from its own
 * package.json, so it is the version installed, never a copy that drifts) and the Kubernetes
 * releases it answers for.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_KUBE_VERSION, SUPPORTED_KUBE_VERSIONS } from '../rbac/kube-versions';

const PACKAGE_NAME = 'cdk8s-api-reader';

/** The version of the nearest `cdk8s-api-reader` package.json above this module (built or not), or `"unknown"`. */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') return pkg.version;
      } catch {
        // not ours or unreadable: keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}

/** What `version -o json|yaml` prints. */
export interface VersionInfo {
  /** The package version, e.g. `0.1.0`. */
  readonly version: string;
  /** The Kubernetes release answered for without `--kube-version`. */
  readonly defaultKubeVersion: string;
  /** Every release `--kube-version` accepts. */
  readonly kubeVersions: readonly string[];
}

/** The version facts. */
export function versionInfo(): VersionInfo {
  return { version: packageVersion(), defaultKubeVersion: DEFAULT_KUBE_VERSION, kubeVersions: [...SUPPORTED_KUBE_VERSIONS] };
}

/** The text of `api-reader --version`: `api-reader 0.1.0` and the Kubernetes releases, two lines. */
export function versionText(program: string): string {
  const v = versionInfo();
  return `${program} ${v.version}\nKubernetes releases: ${v.kubeVersions.join(', ')} (default ${v.defaultKubeVersion})\n`;
}
