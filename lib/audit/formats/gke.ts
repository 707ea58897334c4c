/**
 * GKE's audit log entries as Cloud Logging exports them (`gcloud logging read --format=json`, sinks
 * to Cloud Storage, Pub/Sub or BigQuery JSON): a `LogEntry` whose `protoPayload` is a Cloud Audit
 * Log `AuditLog` with `serviceName: k8s.io`. The request is in `methodName`
 * (`io.k8s.core.v1.pods.list`, verb last) and `resourceName` (`core/v1/namespaces/default/pods`,
 * `core` for the core group); the authorizer's decision and reason are in the entry's `labels`
 * (`authorization.k8s.io/decision`) or in `authorizationInfo[].granted`.
 */
import { decisionFields, loggedDecision } from '../decision';
import { parseRequestUri, requestTarget } from '../request-uri';
import { AuditDecision, AuditRecord, DECISION_ANNOTATION, LogLocation, REASON_ANNOTATION } from '../types';

/** The Cloud Audit Log service name of the Kubernetes API server's entries. */
export const GKE_SERVICE_NAME = 'k8s.io';

/** `google.rpc.Code` to the HTTP status kube-apiserver answered with, for entries without `response.code`. */
const RPC_TO_HTTP: Readonly<Record<number, number>> = { 0: 200, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 12: 501, 13: 500, 14: 503, 16: 401 };

type Json = Readonly<Record<string, unknown>>;

function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** True when `entry` is a Cloud Logging entry with a `protoPayload` (any service). */
export function isCloudLoggingEntry(entry: Json): boolean {
  return obj(entry.protoPayload) !== undefined;
}

function responseCode(payload: Json): number | undefined {
  const response = obj(payload.response);
  if (response && typeof response.code === 'number') return response.code;
  const status = obj(payload.status);
  const rpc = status === undefined ? 0 : typeof status.code === 'number' ? status.code : 0;
  return RPC_TO_HTTP[rpc];
}

/** `granted` of every `authorizationInfo` entry: all true allow, any other forbid (proto JSON omits `false`). */
function grantedDecision(payload: Json): AuditDecision | undefined {
  const info = payload.authorizationInfo;
  if (!Array.isArray(info) || info.length === 0) return undefined;
  return info.every((i) => obj(i)?.granted === true || obj(i)?.granted === 'true') ? 'allow' : 'forbid';
}

/** The request URI kube-apiserver served for a `resourceName` such as `apps/v1/namespaces/dev/deployments/web`. */
function uriOf(resourceName: string): string {
  if (resourceName === '' || resourceName.startsWith('/')) return resourceName || '/';
  const [group, version, ...rest] = resourceName.split('/');
  const tail = rest.length > 0 ? `/${rest.join('/')}` : '';
  return group === 'core' ? `/api/${version}${tail}` : `/apis/${group}/${version}${tail}`;
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/**
 * The record of one GKE audit entry.
 * @returns the record, or a sentence saying why the entry is not a Kubernetes API audit entry
 */
export function recordFromGkeEntry(entry: Json, source: LogLocation): AuditRecord | string {
  const payload = obj(entry.protoPayload)!;
  if (payload.serviceName !== GKE_SERVICE_NAME) {
    return `a Cloud Logging entry of service ${JSON.stringify(payload.serviceName ?? null)}, not the Kubernetes API server's (serviceName "k8s.io"); select them with protoPayload.serviceName="k8s.io"`;
  }
  const method = str(payload.methodName);
  const verb = method.slice(method.lastIndexOf('.') + 1);
  if (verb === '') return 'a GKE audit entry without methodName';
  const resourceName = str(payload.resourceName);
  const info = parseRequestUri('GET', uriOf(resourceName));
  const labels = obj(entry.labels) ?? {};
  const code = responseCode(payload);
  const operation = obj(entry.operation);
  const logged = loggedDecision(labels[DECISION_ANNOTATION]) ?? grantedDecision(payload);
  return {
    auditID: str(operation?.id) || str(entry.insertId),
    // Long-running requests (watch) get a first and a last entry; the last one completes the request.
    stage: operation && !isTrue(operation.last) ? 'ResponseStarted' : 'ResponseComplete',
    time: str(entry.timestamp) || str(entry.receiveTimestamp),
    user: str(obj(payload.authenticationInfo)?.principalEmail),
    groups: [],
    verb,
    ...requestTarget(info),
    requestURI: resourceName,
    ...(code !== undefined ? { code } : {}),
    ...decisionFields(logged, code),
    reason: str(labels[REASON_ANNOTATION]),
    userAgent: str(obj(payload.requestMetadata)?.callerSuppliedUserAgent),
    source,
    format: 'gke',
  };
}
