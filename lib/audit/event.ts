/** Turning one parsed `audit.k8s.io/v1` `Event` into an {@link AuditRecord}. */
import { parseRequestUri } from './request-uri';
import { AuditDecision, AuditEventV1, AuditRecord, DECISION_ANNOTATION, LogLocation, REASON_ANNOTATION } from './types';

/** The `apiVersion`s read as v1 events (v1beta1 has the same fields the reader uses). */
export const AUDIT_API_VERSIONS: readonly string[] = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1'];

const EMPTY: readonly string[] = [];

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function decisionOf(value: unknown): AuditDecision | undefined {
  return value === 'allow' || value === 'forbid' ? value : undefined;
}

/**
 * The record for one parsed event.
 * @param event what `JSON.parse` returned for the line
 * @param source where the line was read
 * @returns the record, or a sentence saying why the value is not an audit event
 */
export function recordFromEvent(event: unknown, source: LogLocation): AuditRecord | string {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not a JSON object';
  const e = event as AuditEventV1;
  if (e.kind !== 'Event' || !AUDIT_API_VERSIONS.includes(e.apiVersion as string)) {
    return `not an audit.k8s.io/v1 Event (kind ${JSON.stringify(e.kind)}, apiVersion ${JSON.stringify(e.apiVersion)})`;
  }
  const user = e.user;
  // kube-apiserver always writes `user`; it is `{}` when authentication failed (a 401: no user, no decision).
  if (typeof user !== 'object' || user === null || Array.isArray(user)) return 'the Event has no user';
  if (user.username !== undefined && typeof user.username !== 'string') return 'the Event\'s user.username is not a string';
  if (typeof e.verb !== 'string' || e.verb === '') return 'the Event has no verb';
  if (typeof e.stage !== 'string' || e.stage === '') return 'the Event has no stage';
  const requestURI = str(e.requestURI);
  const ref = e.objectRef;
  let namespace = '';
  let group = '';
  let version = '';
  let resource = '';
  let subresource = '';
  let name = '';
  let path: string | undefined;
  if (typeof ref === 'object' && ref !== null) {
    namespace = str(ref.namespace);
    group = str(ref.apiGroup);
    version = str(ref.apiVersion);
    resource = str(ref.resource);
    subresource = str(ref.subresource);
    name = str(ref.name);
  } else {
    const info = parseRequestUri('GET', requestURI);
    if (info.isResourceRequest) {
      ({ namespace, group, version, resource, subresource, name } = info);
    } else {
      path = info.path;
    }
  }
  const annotations = e.annotations ?? {};
  const code = e.responseStatus?.code;
  const impersonated = e.impersonatedUser?.username;
  const record: AuditRecord = {
    auditID: str(e.auditID),
    stage: e.stage,
    time: str(e.requestReceivedTimestamp) || str(e.stageTimestamp),
    user: user.username ?? '',
    groups: Array.isArray(user.groups) ? user.groups : EMPTY,
    ...(typeof impersonated === 'string' ? { impersonatedUser: impersonated } : {}),
    verb: e.verb,
    namespace,
    group,
    version,
    resource,
    subresource,
    name,
    ...(path !== undefined ? { path } : {}),
    requestURI,
    ...(typeof code === 'number' ? { code } : {}),
    ...(decisionOf(annotations[DECISION_ANNOTATION]) ? { decision: decisionOf(annotations[DECISION_ANNOTATION]) } : {}),
    reason: str(annotations[REASON_ANNOTATION]),
    userAgent: str(e.userAgent),
    source,
  };
  return record;
}
