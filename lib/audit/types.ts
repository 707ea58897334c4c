/**
 * The shapes the audit reader works with: the `audit.k8s.io/v1` `Event` as kube-apiserver writes it
 * (only the fields read here), and the flat {@link AuditRecord} every filter and view uses.
 */

/** The authorization decision of a request: `authorization.k8s.io/decision`. */
export type AuditDecision = 'allow' | 'forbid';

/** The audit stages of kube-apiserver (`audit.k8s.io/v1` `Stage`). */
export type AuditStage = 'RequestReceived' | 'ResponseStarted' | 'ResponseComplete' | 'Panic';

/** Every stage, in the order a request passes them. */
export const AUDIT_STAGES: readonly AuditStage[] = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'];

/** The annotation holding the authorizer's decision. */
export const DECISION_ANNOTATION = 'authorization.k8s.io/decision';

/** The annotation holding the authorizer's reason. */
export const REASON_ANNOTATION = 'authorization.k8s.io/reason';

/** The fields of an `audit.k8s.io/v1` (or v1beta1, v1alpha1) `Event` that the reader uses; every one may be missing in a damaged log. */
export interface AuditEventV1 {
  /** `Event`. */
  readonly kind?: string;
  /** `audit.k8s.io/v1`, `audit.k8s.io/v1beta1` or `audit.k8s.io/v1alpha1`. */
  readonly apiVersion?: string;
  /** `None`, `Metadata`, `Request` or `RequestResponse`. */
  readonly level?: string;
  /** The request's unique id; every stage of one request shares it. */
  readonly auditID?: string;
  /** The stage this event was written at. */
  readonly stage?: string;
  /** The request URI as sent, e.g. `/api/v1/namespaces/dev/secrets/x?timeout=30s`. */
  readonly requestURI?: string;
  /** The Kubernetes verb (`get`, `list`, `watch`, `create`, ...). */
  readonly verb?: string;
  /** The authenticated user. */
  readonly user?: { readonly username?: string; readonly groups?: readonly string[] };
  /** The impersonated user, when the request used impersonation. */
  readonly impersonatedUser?: { readonly username?: string; readonly groups?: readonly string[] };
  /** Client IPs. */
  readonly sourceIPs?: readonly string[];
  /** The client's user agent. */
  readonly userAgent?: string;
  /** The object the request was about (absent for non-resource requests). */
  readonly objectRef?: {
    readonly resource?: string;
    readonly namespace?: string;
    readonly name?: string;
    readonly apiGroup?: string;
    /** The version; `group/version` in v1alpha1 and early v1beta1, which have no `apiGroup`. */
    readonly apiVersion?: string;
    readonly subresource?: string;
  };
  /** The response status (absent at `RequestReceived`). */
  readonly responseStatus?: { readonly code?: number; readonly reason?: string; readonly message?: string };
  /** When the API server received the request (RFC 3339, microseconds). */
  readonly requestReceivedTimestamp?: string;
  /** When the request reached this stage. */
  readonly stageTimestamp?: string;
  /** When the event was written: the only time of v1alpha1 and early v1beta1 events. */
  readonly timestamp?: string;
  /** Annotations, including the authorization decision and reason. */
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The format an event was written in: the `audit.k8s.io` version of a JSON event (`Event` without
 * an `apiVersion`, as some webhook receivers store them, is `audit.k8s.io`), the legacy text format
 * (`legacy`: 1.4-1.6 request and response lines; `legacy-staged`: one line per stage, 1.7-1.11),
 * or GKE's Cloud Audit Log entry (`gke`).
 */
export type AuditFormat =
  | 'audit.k8s.io/v1' | 'audit.k8s.io/v1beta1' | 'audit.k8s.io/v1alpha1' | 'audit.k8s.io'
  | 'legacy' | 'legacy-staged' | 'gke';

/**
 * What an event came wrapped in: an `EventList` (the webhook backend's payload), an AKS diagnostic
 * record (`properties.log`), or an EKS CloudWatch Logs event (`message`).
 */
export type AuditEnvelope = 'EventList' | 'aks' | 'eks';

/** Where a record or problem was read: file (or `<stdin>`) and 1-based line. */
export interface LogLocation {
  /** The file name as given, or `<stdin>`. */
  readonly file: string;
  /** The 1-based line number (of the decompressed text for gzip files); a JSON document's first line. */
  readonly line: number;
  /**
   * Where in the JSON value on that line the event is, e.g. `items[3]` or `records[0]`.
   * @default - the whole value is the event
   */
  readonly item?: string;
}

/** One request, flattened: what every filter and view reads. */
export interface AuditRecord {
  /** The request's audit id. */
  readonly auditID: string;
  /** The stage (legacy records: `ResponseComplete` once paired with their response line). */
  readonly stage: string;
  /** When the request was received (RFC 3339 as logged). */
  readonly time: string;
  /** The authenticated user name; `""` when authentication failed (the event's `user` is `{}`). */
  readonly user: string;
  /** The authenticated user's groups. */
  readonly groups: readonly string[];
  /**
   * The impersonated user, whose rights the authorizer checked.
   * @default - none (no impersonation)
   */
  readonly impersonatedUser?: string;
  /** The Kubernetes verb, e.g. `get`; non-resource requests use the lower-case HTTP method. */
  readonly verb: string;
  /** The namespace; `""` for cluster-scoped, all-namespaces and non-resource requests. */
  readonly namespace: string;
  /** The API group; `""` is the core group. */
  readonly group: string;
  /** The API version, e.g. `v1`; `""` when unknown. */
  readonly version: string;
  /** The resource (plural); `""` for non-resource requests. */
  readonly resource: string;
  /** The subresource, e.g. `log`; `""` for none. */
  readonly subresource: string;
  /** The object name; `""` when the request named none. */
  readonly name: string;
  /**
   * The URL path of a non-resource request, e.g. `/healthz`.
   * @default - none (a resource request)
   */
  readonly path?: string;
  /** The request URI as logged. */
  readonly requestURI: string;
  /**
   * The HTTP response code.
   * @default - none (no response yet)
   */
  readonly code?: number;
  /**
   * The authorization decision.
   * @default - none (the event carries no decision, e.g. a failed authentication)
   */
  readonly decision?: AuditDecision;
  /**
   * True when the decision was inferred from the response code because the event carries none
   * (legacy logs, clusters before 1.11, policies that drop annotations).
   * @default false
   */
  readonly decisionInferred?: boolean;
  /** The authorizer's reason; `""` when none. */
  readonly reason: string;
  /** The client's user agent; `""` when none. */
  readonly userAgent: string;
  /** Where the record was read. */
  readonly source: LogLocation;
  /** The format the event was written in. */
  readonly format: AuditFormat;
  /**
   * What the event came wrapped in.
   * @default - nothing (a bare event or legacy line)
   */
  readonly envelope?: AuditEnvelope;
}

/** What went wrong with one line. */
export interface LogProblem {
  /** `malformed`: not an audit event (fatal with `strict`); `unpaired`: a legacy response line without its request. */
  readonly kind: 'malformed' | 'unpaired' | 'unreadable';
  /** Where. */
  readonly location: LogLocation;
  /** A sentence saying what was wrong. */
  readonly message: string;
}

/** `file:line`, with the item inside the line's JSON value when there is one (`file:line items[3]`). */
export function formatLocation(location: LogLocation): string {
  return location.item === undefined ? `${location.file}:${location.line}` : `${location.file}:${location.line} ${location.item}`;
}

/** The user whose rights a request was checked against: the impersonated user if any, else the authenticated one. */
export function effectiveUser(record: AuditRecord): string {
  return record.impersonatedUser ?? record.user;
}

/** `resource/subresource`, or `resource` without a subresource; the non-resource path for non-resource requests. */
export function resourceLabel(record: Pick<AuditRecord, 'resource' | 'subresource' | 'group' | 'path'>): string {
  if (record.path !== undefined) return record.path;
  const base = record.group ? `${record.resource}.${record.group}` : record.resource;
  return record.subresource ? `${base}/${record.subresource}` : base;
}
