/**
 * The one-line text format of old clusters (`--audit-log-format=legacy`), in two generations.
 * Kubernetes 1.4-1.6 wrote two lines per request, joined by id into one record by {@link LegacyPairer}:
 *
 * ```text
 * 2017-03-21T03:57:09.106841886-04:00 AUDIT: id="c939d2a7" ip="127.0.0.1" method="GET" user="admin" groups="\"system:masters\"" as="<self>" asgroups="<lookup>" namespace="default" uri="/api/v1/namespaces/default/pods"
 * 2017-03-21T03:57:09.108403639-04:00 AUDIT: id="c939d2a7" response="200"
 * ```
 *
 * 1.7-1.11 (k8s.io/apiserver's `EventString`) write one whole line per stage, with the Kubernetes
 * verb as `method`, `response="<deferred>"` before there is one, and from 1.9 `user-agent`:
 *
 * ```text
 * 2017-09-05T06:08:19.8Z AUDIT: id="c28a" stage="ResponseComplete" ip="1.2.3.4" method="list" user="kubecfg" groups="\"system:masters\"" as="<self>" asgroups="<lookup>" namespace="default" uri="/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles" response="200"
 * ```
 *
 * Neither carries a decision: it is inferred from the response code and marked as inferred.
 */
import { decisionFields } from './decision';
import { readGoQuoted, readGoQuotedPairs } from './go-quote';
import { parseRequestUri, requestTarget } from './request-uri';
import { AuditRecord, LogLocation } from './types';

/** The marker every legacy line carries after its timestamp. */
export const LEGACY_MARKER = ' AUDIT: ';

/** A parsed legacy request line (1.4-1.6). */
export interface LegacyRequestLine {
  /** `request`. */
  readonly type: 'request';
  /** The request id. */
  readonly id: string;
  /** The record without response code and decision, stage `RequestReceived`. */
  readonly record: AuditRecord;
}

/** A parsed legacy response line (1.4-1.6). */
export interface LegacyResponseLine {
  /** `response`. */
  readonly type: 'response';
  /** The request id. */
  readonly id: string;
  /** The HTTP status code. */
  readonly code: number;
}

/** A whole event on one line, with its stage (1.7-1.11). */
export interface LegacyEventLine {
  /** `event`. */
  readonly type: 'event';
  /** The record. */
  readonly record: AuditRecord;
}

/** Any legacy line. */
export type LegacyLine = LegacyRequestLine | LegacyResponseLine | LegacyEventLine;

/** What `EventString` writes when there is no value. */
const NONE = '<none>';

function groupList(value: string | undefined): string[] {
  if (value === undefined || value === '' || value === NONE) return [];
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

function statusCode(response: string): number | string {
  if (!/^[0-9]{3}$/.test(response)) return `a legacy line with response=${JSON.stringify(response)}, not an HTTP status code`;
  return Number(response);
}

/** The record of a request line of either generation; `verb` is the staged line's own, else derived from the HTTP method. */
function requestRecord(pairs: Map<string, string>, id: string, time: string, source: LogLocation, staged: boolean): AuditRecord | string {
  const method = pairs.get('method');
  const uri = pairs.get('uri');
  const user = pairs.get('user');
  if (!method || uri === undefined || user === undefined) return 'a legacy request line without method, user and uri';
  const info = parseRequestUri(staged ? 'GET' : method, uri);
  const as = pairs.get('as');
  const namespaceValue = pairs.get('namespace');
  const namespace = info.isResourceRequest ? info.namespace || (namespaceValue && namespaceValue !== NONE ? namespaceValue : '') : '';
  return {
    auditID: id,
    stage: 'RequestReceived',
    time,
    user: staged && user === NONE ? '' : user,
    groups: groupList(pairs.get('groups')),
    ...(as && as !== '<self>' ? { impersonatedUser: as } : {}),
    verb: staged ? method : info.verb,
    ...requestTarget(info),
    namespace,
    requestURI: uri,
    reason: '',
    userAgent: pairs.get('user-agent') ?? '',
    source,
    format: staged ? 'legacy-staged' : 'legacy',
  };
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
  const stage = pairs.get('stage');
  if (stage !== undefined) {
    const record = requestRecord(pairs, id, time, source, true);
    if (typeof record === 'string') return record;
    if (response === undefined || response === '<deferred>') return { type: 'event', record: { ...record, stage } };
    const code = statusCode(response);
    if (typeof code === 'string') return code;
    return { type: 'event', record: { ...record, stage, code, ...decisionFields(undefined, code) } };
  }
  if (response !== undefined) {
    const code = statusCode(response);
    return typeof code === 'string' ? code : { type: 'response', id, code };
  }
  const record = requestRecord(pairs, id, time, source, false);
  return typeof record === 'string' ? record : { type: 'request', id, record };
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
    return { ...request, stage: 'ResponseComplete', code: line.code, ...decisionFields(undefined, line.code) };
  }

  /** The requests that never got a response (stage `RequestReceived`), in arrival order; empties the pairer. */
  public drain(): AuditRecord[] {
    const rest = [...this.pending.values()];
    this.pending.clear();
    return rest;
  }
}
