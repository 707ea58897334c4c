/**
 * What one log line is, decided from the line alone (pure, no state): an audit record, half of a
 * legacy request/response pair, nothing (a blank line), or a malformed line with a sentence saying
 * why. The sequential reader and the parallel workers share it, so both read every line alike.
 */
import { recordFromEvent } from './event';
import { LEGACY_MARKER, LegacyLine, parseLegacyLine } from './legacy';
import { AuditRecord, LogLocation } from './types';

/** The reading of one line. */
export type LineReading =
  /** A JSON audit event. */
  | { readonly kind: 'record'; readonly record: AuditRecord }
  /** A legacy text line, to be paired with its other half. */
  | { readonly kind: 'legacy'; readonly line: LegacyLine }
  /** Neither: `message` says why. */
  | { readonly kind: 'malformed'; readonly message: string }
  /** A blank line. */
  | { readonly kind: 'blank' };

const BLANK: LineReading = { kind: 'blank' };
const MAX_SHOWN = 120;

function shorten(line: string): string {
  return line.length <= MAX_SHOWN ? line : `${line.slice(0, MAX_SHOWN)}...`;
}

/** Reads one line (without its line terminator) found at `location`. */
export function readLine(line: string, location: LogLocation): LineReading {
  if (line.charCodeAt(0) === 123 /* { */) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      return { kind: 'malformed', message: `not valid JSON (${(e as Error).message}): ${shorten(line)}` };
    }
    const record = recordFromEvent(parsed, location);
    return typeof record === 'string' ? { kind: 'malformed', message: record } : { kind: 'record', record };
  }
  if (line.trim() === '') return BLANK;
  if (line.includes(LEGACY_MARKER)) {
    const legacy = parseLegacyLine(line, location);
    return typeof legacy === 'string' ? { kind: 'malformed', message: legacy } : { kind: 'legacy', line: legacy };
  }
  return { kind: 'malformed', message: `neither a JSON audit event nor a legacy audit line: ${shorten(line)}` };
}
