/**
 * The escalation analysis' index of what runs where: Pods and workload controllers (who they run
 * as, on which node), ServiceAccount-token Secrets, Nodes, and each Namespace's Pod Security
 * `enforce` label, from a {@link LoadResult} read with `LoadOptions.workloads`.
 */
import type { LoadResult, SourceLocation } from '../load';
import { isValidNamespaceName, isValidServiceAccountName } from '../subjects';
import { KubeObject } from '../types';
import { POD_SECURITY_ENFORCE_LABEL, SERVICE_ACCOUNT_NAME_ANNOTATION } from '../workloads';

/** A Pod, or the pods a workload controller runs: who they run as and where. */
export interface PodRecord {
  /** `Pod`, or the controller's kind (`Deployment`, ...), whose pods get generated names. */
  readonly kind: string;
  /** The object's name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The ServiceAccount the pods run as (`default` when the spec names none). */
  readonly serviceAccount: string;
  /**
   * The node a Pod is bound to (`spec.nodeName`).
   * @default - not bound in the manifest: the scheduler picks a node
   */
  readonly nodeName?: string;
  /** Where it was read. */
  readonly source: SourceLocation;
}

/** A Secret of type `kubernetes.io/service-account-token`. */
export interface TokenSecretRecord {
  /** The Secret's name. */
  readonly name: string;
  /** The namespace. */
  readonly namespace: string;
  /** The ServiceAccount whose token it holds. */
  readonly serviceAccount: string;
  /** Where it was read. */
  readonly source: SourceLocation;
}

/** Everything besides RBAC that the escalation analysis reads, indexed. */
export interface WorkloadInventory {
  /** Pods and workload controllers, in input order. */
  readonly pods: readonly PodRecord[];
  /** ServiceAccount-token Secrets that name a ServiceAccount, in input order. */
  readonly tokenSecrets: readonly TokenSecretRecord[];
  /** The Nodes named by Node objects or by pods' `nodeName`, sorted. */
  readonly nodes: readonly string[];
  /** Each Namespace object's Pod Security `enforce` label (`undefined`: the namespace has none). */
  readonly podSecurity: ReadonlyMap<string, string | undefined>;
}

/**
 * Indexes what the loader kept (`LoadResult.workloads`) and the Namespaces it read. Records with
 * a name or namespace the API server would not accept are left out.
 */
export function workloadInventory(load: LoadResult): WorkloadInventory {
  const pods: PodRecord[] = [];
  const tokenSecrets: TokenSecretRecord[] = [];
  const nodes = new Set<string>();
  const podSecurity = new Map<string, string | undefined>();
  for (const { object } of load.objects) {
    if (object.kind !== 'Namespace' || typeof object.metadata?.name !== 'string') continue;
    const labels = object.metadata.labels;
    const enforce = labels && typeof labels === 'object' ? (labels as Record<string, unknown>)[POD_SECURITY_ENFORCE_LABEL] : undefined;
    podSecurity.set(object.metadata.name, typeof enforce === 'string' ? enforce : undefined);
  }
  for (const { object, source } of load.workloads ?? []) addRecord(object, source, pods, tokenSecrets, nodes);
  return { pods, tokenSecrets, nodes: [...nodes].sort(), podSecurity };
}

function addRecord(object: KubeObject, source: SourceLocation, pods: PodRecord[], secrets: TokenSecretRecord[], nodes: Set<string>): void {
  const name = object.metadata?.name;
  if (typeof name !== 'string') return;
  if (object.kind === 'Node') {
    nodes.add(name);
    return;
  }
  const namespace = object.metadata?.namespace ?? 'default';
  if (!isValidNamespaceName(namespace)) return;
  if (object.kind === 'Secret') {
    const serviceAccount = object.metadata?.annotations?.[SERVICE_ACCOUNT_NAME_ANNOTATION];
    if (serviceAccount && isValidServiceAccountName(serviceAccount)) secrets.push({ name, namespace, serviceAccount, source });
    return;
  }
  const serviceAccount = typeof object.serviceAccountName === 'string' ? object.serviceAccountName : 'default';
  if (!isValidServiceAccountName(serviceAccount)) return;
  const nodeName = typeof object.nodeName === 'string' ? object.nodeName : undefined;
  if (nodeName) nodes.add(nodeName);
  pods.push({ kind: String(object.kind), name, namespace, serviceAccount, ...(nodeName ? { nodeName } : {}), source });
}
