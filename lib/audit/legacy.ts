/**
 * The one-line text format of old clusters (`--audit-log-format=legacy`), two lines per request:
 *
 * ```text
 * 2017-03-21T03:57:09.106841886-04:00 AUDIT: id="c939d2a7" ip="127.0.0.1" method="GET" user="admin" groups="\"system:masters\"" as="<self>" asgroups="<lookup>" namespace="default" uri="/api/v1/namespaces/default/pods"
 * 2017-03-21T03:57:09.108403639-04:00 AUDIT: id="c939d2a7" response="200"
 * ```
 *
 * {@link LegacyPairer} joins them by id into one record. The format has no decision annotation:
 * the decision is inferred from the response code (403 forbid, 401 none, anything else allow).
 */
import { readGoQuoted, readGoQuotedPairs } from './go-quote';
import { parseRequestUri } from './request-uri';
import { AuditDecision, AuditRecord, LogLocation } from './types';

/** The marker every legacy line carries after its timestamp. */
export const LEGACY_MARKER = ' AUDIT: ';

/** A parsed legacy request line. */
export interface LegacyRequestLine {
  /** `request`. */
  readonly type: 'request';
  /** The request id. */
  readonly id: string;
  /** The record without response code and decision, stage `RequestReceived`. */
  readonly record: AuditRecord;
}

/** A parsed legacy response line. */
export interface LegacyResponseLine {
  /** `response`. */
  readonly type: 'response';
  /** The request id. */
  readonly id: string;
  /** The HTTP status code. */
  readonly code: number;
}

/** Either legacy line. */
export type LegacyLine = LegacyRequestLine | LegacyResponseLine;

function groupList(value: string | undefined): string[] {
  if (value === undefined || value === '' || value === '<none>') return [];
  const groups: string[] = [];
  let i = 0;
  while (i < value.length) {
    const read = readGoQuoted(value, i);
    if (!read) return value.split(',');
    groups.push(read.value);
    i = read.end;
    if (value[i] === ',') i++;
  }
  return groups;
}

/**
 * Parses one legacy line.
 * @returns the line, or a sentence saying what is wrong with it
 */
export function parseLegacyLine(line: string, source: LogLocation): LegacyLine | string {
  const at = line.indexOf(LEGACY_MARKER);
  if (at < 0) return 'not a legacy audit line (no " AUDIT: ")';
  const time = line.slice(0, at).trim();
  const pairs = readGoQuotedPairs(line.slice(at + LEGACY_MARKER.length));
  if (!pairs) return 'a legacy audit line whose key="value" pairs are broken';
  const id = pairs.get('id');
  if (!id) return 'a legacy audit line without id="..."';
  const response = pairs.get('response');
  if (response !== undefined) {
    const code = Number(response);
    if (!/^[0-9]{3}$/.test(response)) return `a legacy response line with response=${JSON.stringify(response)}, not an HTTP status code`;
    return { type: 'response', id, code };
  }
  const method = pairs.get('method');
  const uri = pairs.get('uri');
  const user = pairs.get('user');
  if (!method || uri === undefined || user === undefined) return 'a legacy request line without method, user and uri';
  const info = parseRequestUri(method, uri);
  const as = pairs.get('as');
  const namespaceValue = pairs.get('namespace');
  const namespace = info.isResourceRequest ? info.namespace || (namespaceValue && namespaceValue !== '<none>' ? namespaceValue : '') : '';
  const record: AuditRecord = {
    auditID: id,
    stage: 'RequestReceived',
    time,
    user,
    groups: groupList(pairs.get('groups')),
    ...(as && as !== '<self>' ? { impersonatedUser: as } : {}),
    verb: info.verb,
    namespace,
    group: info.group,
    version: info.version,
    resource: info.resource,
    subresource: info.subresource,
    name: info.name,
    ...(info.isResourceRequest ? {} : { path: info.path }),
    requestURI: uri,
    reason: '',
    userAgent: '',
    source,
  };
  return { type: 'request', id, record };
}

/** The decision a legacy response code implies: 403 forbid, 401 none (authentication failed), else allow. */
export function inferDecision(code: number): AuditDecision | undefined {
  if (code === 403) return 'forbid';
  if (code === 401) return undefined;
  return 'allow';
}

/**
 * Joins legacy request and response lines by id. Memory is bounded by `maxPending` requests
 * waiting for their response; the oldest is given up (emitted as `RequestReceived`) beyond it.
 */
export class LegacyPairer {
  private readonly pending = new Map<string, AuditRecord>();

  /** @param maxPending the most requests kept waiting for a response (default 100000). */
  constructor(private readonly maxPending = 100_000) {}

  /**
   * Adds a request line. Returns a record given up to stay within `maxPending`, if any.
   */
  public request(line: LegacyRequestLine): AuditRecord | undefined {
    this.pending.set(line.id, line.record);
    if (this.pending.size <= this.maxPending) return undefined;
    const [oldestId, oldest] = this.pending.entries().next().value as [string, AuditRecord];
    this.pending.delete(oldestId);
    return oldest;
  }

  /**
   * Adds a response line.
   * @returns the completed record (stage `ResponseComplete`), or `undefined` when its request was not seen
   */
  public response(line: LegacyResponseLine): AuditRecord | undefined {
    const request = this.pending.get(line.id);
    if (!request) return undefined;
    this.pending.delete(line.id);
    const decision = inferDecision(line.code);
    return { ...request, stage: 'ResponseComplete', code: line.code, ...(decision ? { decision, decisionInferred: true } : {}) };
  }

  /** The requests that never got a response (stage `RequestReceived`), in arrival order; empties the pairer. */
  public drain(): AuditRecord[] {
    const rest = [...this.pending.values()];
    this.pending.clear();
    return rest;
  }
}
