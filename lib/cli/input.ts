/**
 * Reading the manifests named by `-f` (files, directories read recursively without `node_modules` and dot-directories, `-` for stdin) into an
 * {@link RbacPolicy}, with the warnings a user should see: input without any RBAC objects, and the
 * policy's problems (a binding to a missing role, ...).
 */
import {
  DEFAULT_MAX_MANIFEST_BYTES, FieldValidation, LoadResult, loadPaths, ManifestLoadError, mergeLoadResults, parseManifests, PolicyOptions, RbacPolicy,
} from '../rbac';

/** The kinds whose absence makes an input suspicious. */
const RBAC_KINDS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** The name stdin is reported under. */
export const STDIN_NAME = '<stdin>';

/** What was read, and the policy built from it. */
export interface LoadedInput {
  /** What the loader read (objects with file:line, ignored kinds, files). */
  readonly load: LoadResult;
  /** The policy: the input plus, unless `--no-bootstrap`, Kubernetes' bootstrap policy. */
  readonly policy: RbacPolicy;
  /** Warnings about the input as a whole (e.g. no RBAC objects found); policy problems are in `policy.problems`. */
  readonly warnings: readonly string[];
}

/**
 * Reads `paths` in order (`-` reads stdin once) and builds the policy.
 * @param paths files, directories and `-`; none means "the bootstrap policy only"
 * @param bootstrap whether to include Kubernetes' bootstrap policy
 * @param readStdin returns all of stdin, or at least the first `limit + 1` bytes of it
 * @param kubeVersion the Kubernetes release to answer for (see `PolicyOptions.kubeVersion`)
 * @param maxBytes the largest file (or stdin) read, in bytes
 * @param fieldValidation what to do with fields RBAC types do not have (see `PolicyOptions.fieldValidation`)
 * @param policyOptions more policy options: `enabledApis`, `invalidObjects`
 * @param workloads also keep Pods, workload controllers, Nodes and token Secrets (see `LoadOptions.workloads`)
 * @throws ManifestLoadError for a missing path, or stdin over `maxBytes`; InvalidObjectError naming
 *   every document that could not be parsed (or file that could not be read) and every object the
 *   API server would reject, each with file:line, unless `policyOptions.invalidObjects` is `skip`
 */
export function loadInput(
  paths: readonly string[], bootstrap: boolean, readStdin: (limit: number) => string, kubeVersion?: string,
  maxBytes: number = DEFAULT_MAX_MANIFEST_BYTES, fieldValidation: FieldValidation = 'strict',
  policyOptions: Pick<PolicyOptions, 'enabledApis' | 'invalidObjects'> = {}, workloads = false,
): LoadedInput {
  const parts: LoadResult[] = [];
  let stdin: string | undefined;
  for (const p of paths) {
    if (p === '-') {
      stdin ??= readStdin(maxBytes);
      if (Buffer.byteLength(stdin) > maxBytes) {
        throw new ManifestLoadError(STDIN_NAME, `is over the limit of ${maxBytes} bytes; save it to files of at most that size, or raise the limit (--max-manifest-bytes).`);
      }
      parts.push(parseManifests(stdin, STDIN_NAME, undefined, { keepGoing: true, workloads }));
    } else {
      // Every unparseable document is reported at once (or skipped with --skip-invalid), never only the first.
      parts.push(loadPaths([p], { maxBytes, keepGoing: true, workloads }));
    }
  }
  const load = mergeLoadResults(parts);
  const policy = RbacPolicy.fromLoadResult(load, { bootstrap, fieldValidation, ...policyOptions, ...(kubeVersion ? { kubeVersion } : {}) });
  const warnings = [...(load.warnings ?? [])];
  if (paths.length > 0 && !load.objects.some((o) => RBAC_KINDS.includes(String(o.object.kind)))) warnings.push(noRbacWarning(paths, load, bootstrap));
  return { load, policy, warnings };
}

function noRbacWarning(paths: readonly string[], load: LoadResult, bootstrap: boolean): string {
  const where = paths.join(', ');
  const what = load.files.length === 0 ? 'no .yaml, .yml or .json files' : 'no RBAC objects (Role, ClusterRole, RoleBinding, ClusterRoleBinding)';
  const then = bootstrap ? 'only the bootstrap policy applies' : 'nothing is allowed';
  return `${what} found in ${where}; ${then}. Point -f at your synthesized manifests (e.g. dist/).`;
}

/**
 * A one-line summary of the objects ignored for their kind, e.g.
 * `ignored 3 objects of other kinds: ConfigMap (1), NetworkPolicy (1), Pod (1)`; `""` when none were.
 */
export function ignoredSummary(ignored: Readonly<Record<string, number>>): string {
  const kinds = Object.keys(ignored).sort();
  if (kinds.length === 0) return '';
  const total = kinds.reduce((n, k) => n + ignored[k], 0);
  return `ignored ${total} object${total === 1 ? '' : 's'} of other kinds: ${kinds.map((k) => `${k} (${ignored[k]})`).join(', ')}`;
}

/** The policy's problems (a binding to a missing role, a duplicate, ...) as warning lines. */
export function problemWarnings(input: LoadedInput): string[] {
  return input.policy.problems.map((p) => p.message);
}

/**
 * The policy's warnings every command prints, even those that hide other problems, as kubectl
 * prints the server's warnings: RBAC versions the server no longer serves, and fields it drops
 * (`--validate warn`).
 */
export function serverWarnings(input: LoadedInput): string[] {
  return input.policy.problems.filter((p) => p.kind === 'unserved-api-version' || p.kind === 'unknown-field').map((p) => p.message);
}
