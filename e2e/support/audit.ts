/** Reading the API server's JSON-lines audit log (the `--audit-log-path` file). */
import * as fs from 'fs';

/** The fields of an `audit.k8s.io/v1` Event the tests read. */
export interface AuditEvent {
  readonly auditID: string;
  readonly stage: string;
  readonly level: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly user?: { username?: string; groups?: string[] };
  readonly responseStatus?: { code?: number; reason?: string };
  readonly annotations?: Record<string, string>;
  readonly requestReceivedTimestamp?: string;
  readonly requestObject?: unknown;
  readonly responseObject?: unknown;
}

/** Every event in the log (unparseable lines, e.g. a line being written, are skipped). */
export function readAuditLog(file: string): AuditEvent[] {
  if (!fs.existsSync(file)) return [];
  const out: AuditEvent[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as AuditEvent);
    } catch {
      // a partially written last line
    }
  }
  return out;
}

/** What a test expects to find in the log for one request. */
export interface ExpectedAuditEntry {
  readonly label: string;
  /** `user.username`; `undefined` for requests that failed authentication (no user). */
  readonly username?: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly code: number;
  /** `authorization.k8s.io/decision`; absent for requests that never reached authorization. */
  readonly decision?: 'allow' | 'forbid';
}

/** The compact view of an event that failure messages print. */
export function summarize(e: AuditEvent): Record<string, unknown> {
  return {
    stage: e.stage,
    level: e.level,
    username: e.user?.username,
    verb: e.verb,
    requestURI: e.requestURI,
    code: e.responseStatus?.code,
    decision: e.annotations?.['authorization.k8s.io/decision'],
    reason: e.annotations?.['authorization.k8s.io/reason'],
  };
}

/** The ResponseComplete event that matches every expected field, if any. */
export function findEntry(events: readonly AuditEvent[], want: ExpectedAuditEntry): AuditEvent | undefined {
  return events.find(
    (e) =>
      e.stage === 'ResponseComplete' &&
      e.user?.username === want.username &&
      e.verb === want.verb &&
      e.requestURI === want.requestURI &&
      e.responseStatus?.code === want.code &&
      e.annotations?.['authorization.k8s.io/decision'] === want.decision,
  );
}

/** Occurrences of `needle` in `haystack` (non-overlapping), and the 1-based line numbers (never the text). */
export function occurrences(haystack: string, needle: string): { count: number; lines: number[] } {
  if (!needle) throw new Error('empty needle');
  const lines: number[] = [];
  let count = 0;
  for (let i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length)) {
    count++;
    lines.push(haystack.slice(0, i).split('\n').length);
  }
  return { count, lines };
}
