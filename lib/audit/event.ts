/**
 * Turning one parsed `audit.k8s.io` `Event` (v1, v1beta1 or v1alpha1) into an {@link AuditRecord}.
 * The three versions share every field the reader uses, except that v1alpha1 (and v1beta1 before
 * 1.9) write the object's group and version together in `objectRef.apiVersion` (`apps/v1`), and
 * early ones carry only `timestamp`.
 */
import { decisionFields, loggedDecision } from './decision';
import { parseRequestUri, RequestTarget, requestTarget } from './request-uri';
import { AuditEnvelope, AuditEventV1, AuditFormat, AuditRecord, DECISION_ANNOTATION, LogLocation, REASON_ANNOTATION } from './types';

/** The `apiVersion`s read as events, newest first. */
export const AUDIT_API_VERSIONS: readonly string[] = ['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1'];

/** Where an event was found, beyond its own fields. */
export interface EventContext {
  /**
   * The `apiVersion` of the `EventList` the event is an item of (items may omit their own).
   * @default - none
   */
  readonly listApiVersion?: string;
  /**
   * What the event came wrapped in.
   * @default - nothing
   */
  readonly envelope?: AuditEnvelope;
}

const EMPTY: readonly string[] = [];
const NO_CONTEXT: EventContext = {};

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** `kind "Pod", apiVersion "v1"`, naming a missing field as missing rather than `undefined`. */
export function describeKind(value: { readonly kind?: unknown; readonly apiVersion?: unknown }): string {
  const show = (v: unknown) => (v === undefined ? 'none' : JSON.stringify(v));
  return `kind ${show(value.kind)}, apiVersion ${show(value.apiVersion)}`;
}

/** True when `value` says it is an audit event (`kind: Event`, an `audit.k8s.io` version or none). */
export function looksLikeEvent(value: Readonly<Record<string, unknown>>): boolean {
  return value.kind === 'Event' && (value.apiVersion === undefined || (typeof value.apiVersion === 'string' && value.apiVersion.startsWith('audit.k8s.io/')));
}

function eventFormat(e: AuditEventV1, context: EventContext): AuditFormat | string {
  const apiVersion = e.apiVersion ?? context.listApiVersion;
  const inList = context.listApiVersion !== undefined;
  if (e.kind !== 'Event' && !(inList && e.kind === undefined)) return `not an audit event (${describeKind(e)})`;
  if (apiVersion === undefined) return 'audit.k8s.io';
  if (!AUDIT_API_VERSIONS.includes(apiVersion)) {
    return `an Event of apiVersion ${JSON.stringify(apiVersion)}, which this reader does not know (it reads ${AUDIT_API_VERSIONS.join(', ')})`;
  }
  return apiVersion as AuditFormat;
}

/** The group and version of an `objectRef`: `apiGroup` and `apiVersion`, or both from a `group/version` `apiVersion`. */
function groupAndVersion(ref: NonNullable<AuditEventV1['objectRef']>): { group: string; version: string } {
  const apiVersion = str(ref.apiVersion);
  if (typeof ref.apiGroup === 'string') return { group: ref.apiGroup, version: apiVersion };
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The record for one parsed event.
 * @param event what `JSON.parse` returned for the event
 * @param source where the event was read
 * @param context the list or envelope it was found in
 * @returns the record, or a sentence saying why the value is not an audit event
 */
export function recordFromEvent(event: unknown, source: LogLocation, context: EventContext = NO_CONTEXT): AuditRecord | string {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'not a JSON object';
  const e = event as AuditEventV1;
  const format = eventFormat(e, context);
  if (!format.startsWith('audit.k8s.io')) return format;
  const user = e.user;
  // kube-apiserver always writes `user`; it is `{}` when authentication failed (a 401: no user, no decision).
  if (typeof user !== 'object' || user === null || Array.isArray(user)) return 'the Event has no user';
  if (user.username !== undefined && typeof user.username !== 'string') return 'the Event\'s user.username is not a string';
  if (typeof e.verb !== 'string' || e.verb === '') return 'the Event has no verb';
  if (typeof e.stage !== 'string' || e.stage === '') return 'the Event has no stage';
  const requestURI = str(e.requestURI);
  const ref = e.objectRef;
  const target: RequestTarget = typeof ref === 'object' && ref !== null
    ? { namespace: str(ref.namespace), ...groupAndVersion(ref), resource: str(ref.resource), subresource: str(ref.subresource), name: str(ref.name) }
    : requestTarget(parseRequestUri('GET', requestURI));
  const annotations = typeof e.annotations === 'object' && e.annotations !== null ? e.annotations : {};
  const code = e.responseStatus?.code;
  const impersonated = e.impersonatedUser?.username;
  const record: AuditRecord = {
    auditID: str(e.auditID),
    stage: e.stage,
    time: str(e.requestReceivedTimestamp) || str(e.stageTimestamp) || str(e.timestamp),
    user: user.username ?? '',
    groups: Array.isArray(user.groups) ? user.groups : EMPTY,
    ...(typeof impersonated === 'string' ? { impersonatedUser: impersonated } : {}),
    verb: e.verb,
    ...target,
    requestURI,
    ...(typeof code === 'number' ? { code } : {}),
    ...decisionFields(loggedDecision(annotations[DECISION_ANNOTATION]), typeof code === 'number' ? code : undefined),
    reason: str(annotations[REASON_ANNOTATION]),
    userAgent: str(e.userAgent),
    source,
    format: format as AuditFormat,
    ...(context.envelope ? { envelope: context.envelope } : {}),
  };
  return record;
}
