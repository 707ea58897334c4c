/**
 * The body kube-apiserver's audit webhook backend sends: one `audit.k8s.io/v1` `EventList` per
 * batch. Pure: bytes in, records (or why the body is not an EventList) out.
 */
import { recordFromEvent } from '../event';
import { AuditRecord, LogProblem } from '../types';

/** The most characters of a value from the body that a message shows. */
const SHOWN_CHARS = 64;

/** A value from the body for a message: JSON, and at most {@link SHOWN_CHARS} characters of it. */
function shown(value: unknown): string {
  if (typeof value !== 'string') return value === undefined ? 'none' : typeof value;
  return value.length > SHOWN_CHARS ? `${JSON.stringify(value.slice(0, SHOWN_CHARS))}... (${value.length} characters)` : JSON.stringify(value);
}

/** What one webhook body held. */
export type EventListResult =
  /**
   * An EventList: its records, each event again as one JSON line (the `--audit-log-path` format;
   * same order as `records`), and the items that were not events.
   */
  | { readonly ok: true; readonly records: AuditRecord[]; readonly lines: string[]; readonly problems: LogProblem[] }
  /** Not an EventList: why, in a sentence. */
  | { readonly ok: false; readonly message: string };

/**
 * Reads one webhook body.
 * @param body the request body (UTF-8 JSON)
 * @param source the name records are located by, e.g. `webhook#12` (the item index is the "line")
 */
export function readEventList(body: string, source: string): EventListResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ok: false, message: 'the body is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, message: 'the body is not a JSON object' };
  const list = parsed as { kind?: unknown; apiVersion?: unknown; items?: unknown };
  if (list.kind !== 'EventList' || list.apiVersion !== 'audit.k8s.io/v1' || !Array.isArray(list.items)) {
    return { ok: false, message: `the body is not an audit.k8s.io/v1 EventList with items (kind ${shown(list.kind)}, apiVersion ${shown(list.apiVersion)})` };
  }
  const records: AuditRecord[] = [];
  const lines: string[] = [];
  const problems: LogProblem[] = [];
  list.items.forEach((raw, i) => {
    const location = { file: source, line: i + 1 };
    // The API server sends list items without their own kind and apiVersion (the list has them).
    const item = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { kind: 'Event', apiVersion: list.apiVersion, ...raw } : raw;
    const r = recordFromEvent(item, location);
    if (typeof r === 'string') {
      problems.push({ kind: 'malformed', location, message: r });
      return;
    }
    let line: string;
    try {
      line = JSON.stringify(item);
    } catch {
      // JSON.stringify recurses: an object nested deeper than the stack (one body of `[[[[...`)
      // throws RangeError. The item is refused; the rest of the batch is kept.
      problems.push({ kind: 'malformed', location, message: 'the event is nested too deeply to be written back as a JSON line; skipped' });
      return;
    }
    records.push(r);
    lines.push(`${line}\n`);
  });
  return { ok: true, records, lines, problems };
}
