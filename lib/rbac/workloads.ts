/**
 * What the escalation analysis reads besides RBAC: which ServiceAccount each Pod (or workload
 * controller's pod template) runs as and on which node, the ServiceAccount-token Secrets and the
 * Nodes. The loader keeps these objects only when asked (`LoadOptions.workloads`), reduced to
 * those fields by {@link workloadRecord}: a Secret's data is never kept.
 */
import { isJsonObject } from './private/json-object';
import { KubeObject } from './types';

/** The Secret type the token controller fills with a ServiceAccount's token. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = 'kubernetes.io/service-account-token';
/** The annotation naming the ServiceAccount of such a Secret. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
/** The Pod Security Admission label that decides which pods a namespace admits. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/** The workload kinds kept, with their API group; the path to the pod spec inside each. */
const POD_SPEC_PATHS: Readonly<Record<string, { group: string; path: readonly string[] }>> = {
  Pod: { group: '', path: ['spec'] },
  ReplicationController: { group: '', path: ['spec', 'template', 'spec'] },
  Deployment: { group: 'apps', path: ['spec', 'template', 'spec'] },
  ReplicaSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  StatefulSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  DaemonSet: { group: 'apps', path: ['spec', 'template', 'spec'] },
  Job: { group: 'batch', path: ['spec', 'template', 'spec'] },
  CronJob: { group: 'batch', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function dig(value: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let at: unknown = value;
  for (const key of path) {
    if (!isJsonObject(at)) return undefined;
    at = at[key];
  }
  return isJsonObject(at) ? at : undefined;
}

/**
 * The fields the escalation analysis reads of a Pod, workload controller, Node or
 * ServiceAccount-token Secret (name, namespace, the pod spec's `serviceAccountName` and
 * `nodeName`, the Secret's type and ServiceAccount annotation), or `undefined` for anything else
 * (other Secrets included). Only strings are kept; a Secret's `data` never is.
 */
export function workloadRecord(value: Record<string, unknown>): KubeObject | undefined {
  const kind = value.kind;
  if (typeof kind !== 'string') return undefined;
  const group = groupOf(value.apiVersion);
  const meta = isJsonObject(value.metadata) ? value.metadata : {};
  const metadata = { name: str(meta.name), namespace: str(meta.namespace) };
  if (kind === 'Node' && group === '') return { apiVersion: 'v1', kind, metadata };
  if (kind === 'Secret' && group === '') {
    if (value.type !== SERVICE_ACCOUNT_TOKEN_TYPE) return undefined;
    const annotations = isJsonObject(meta.annotations) ? meta.annotations : {};
    const serviceAccount = str(annotations[SERVICE_ACCOUNT_NAME_ANNOTATION]);
    return { apiVersion: 'v1', kind, type: SERVICE_ACCOUNT_TOKEN_TYPE, metadata: { ...metadata, annotations: serviceAccount ? { [SERVICE_ACCOUNT_NAME_ANNOTATION]: serviceAccount } : {} } };
  }
  const shape = POD_SPEC_PATHS[kind];
  if (!shape || group !== shape.group) return undefined;
  const spec = dig(value, shape.path) ?? {};
  // `serviceAccount` is the deprecated alias the API server still honours when serviceAccountName is empty.
  const serviceAccountName = str(spec.serviceAccountName) ?? str(spec.serviceAccount);
  return { apiVersion: String(value.apiVersion), kind, metadata, serviceAccountName, nodeName: str(spec.nodeName) };
}
