/** The `--output json` view: one JSON object per request, one per line. */
import { AuditRecord, formatLocation } from '../types';

/** One request as printed by `--output json`. Empty strings stand for "none" so every key is always present. */
export interface AuditJsonRow {
  /** When the request was received (RFC 3339). */
  readonly time: string;
  /** The authenticated user. */
  readonly user: string;
  /** The impersonated user, or `""`. */
  readonly impersonatedUser: string;
  /** The verb. */
  readonly verb: string;
  /** The namespace, or `""`. */
  readonly namespace: string;
  /** The API group, `""` core. */
  readonly apiGroup: string;
  /** The resource, or `""` for non-resource requests. */
  readonly resource: string;
  /** The subresource, or `""`. */
  readonly subresource: string;
  /** The object name, or `""`. */
  readonly name: string;
  /** The non-resource path, or `""`. */
  readonly path: string;
  /** The HTTP status code, or `null` when there was no response. */
  readonly code: number | null;
  /** `allow`, `forbid`, or `""` when unknown. */
  readonly decision: string;
  /** True when `decision` was inferred from the response code (the event carries no decision). */
  readonly decisionInferred: boolean;
  /** The authorizer's reason, or `""`. */
  readonly reason: string;
  /** The stage. */
  readonly stage: string;
  /** The audit id. */
  readonly auditID: string;
  /** `file:line` the event was read from, with the item inside a JSON document when there is one (`file:3 items[0]`). */
  readonly source: string;
  /** The format the event was written in, e.g. `audit.k8s.io/v1`, `legacy-staged`, `gke`. */
  readonly format: string;
  /** What the event came wrapped in: `EventList`, `aks`, `eks`, or `""`. */
  readonly envelope: string;
}

/** The JSON row of a record (fixed key order, so output is byte-stable). */
export function jsonRow(record: AuditRecord): AuditJsonRow {
  return {
    time: record.time,
    user: record.user,
    impersonatedUser: record.impersonatedUser ?? '',
    verb: record.verb,
    namespace: record.namespace,
    apiGroup: record.group,
    resource: record.path !== undefined ? '' : record.resource,
    subresource: record.subresource,
    name: record.name,
    path: record.path ?? '',
    code: record.code ?? null,
    decision: record.decision ?? '',
    decisionInferred: record.decisionInferred === true,
    reason: record.reason,
    stage: record.stage,
    auditID: record.auditID,
    source: formatLocation(record.source),
    format: record.format,
    envelope: record.envelope ?? '',
  };
}

/** One line of `--output json`, with its newline. */
export function renderJsonLine(record: AuditRecord): string {
  return `${JSON.stringify(jsonRow(record))}\n`;
}
