/**
 * What one log line is, decided from the line alone (pure, no state): audit records, half of a
 * legacy request/response pair, nothing (a blank line), or a malformed line with a sentence saying
 * why. The sequential reader and the parallel workers share it, so both read every line alike.
 * JSON values are read by `formats/json-value.ts` (events, EventLists, cloud exports); a file of
 * pretty-printed JSON documents is cut into values by `formats/document.ts` before it gets here.
 */
import { s3ExportJson } from './formats/eks';
import { JsonReading, KNOWN_FORMATS, readJsonValue } from './formats/json-value';
import { LEGACY_MARKER, LegacyLine, parseLegacyLine } from './legacy';
import { AuditRecord, LogLocation } from './types';

/** The reading of one line. */
export type LineReading =
  /** One audit record (the common case: a JSON event, a staged legacy line). */
  | { readonly kind: 'record'; readonly record: AuditRecord }
  /** What a JSON value holding several events (or bad parts) gave, in order. */
  | { readonly kind: 'items'; readonly items: readonly JsonReading[] }
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

function openingHint(line: string): string {
  const t = line.trim();
  return t === '{' || t === '[' ? '; a file is read as pretty-printed JSON documents only when its first line opens one' : '';
}

/**
 * Reads one JSON value's text found at `location` (a JSON line, or a document cut out of a file).
 * @param text the value's text
 */
export function readJsonText(text: string, location: LogLocation): LineReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    return { kind: 'malformed', message: `not valid JSON (${(e as Error).message})${openingHint(text)}: ${shorten(text)}` };
  }
  const items = readJsonValue(parsed, location);
  if (items.length === 1) {
    const only = items[0];
    return 'record' in only ? { kind: 'record', record: only.record } : { kind: 'malformed', message: only.problem };
  }
  return { kind: 'items', items };
}

/** Reads one line (without its line terminator) found at `location`. */
export function readLine(line: string, location: LogLocation): LineReading {
  if (line.charCodeAt(0) === 123 /* { */) return readJsonText(line, location);
  if (line.trim() === '') return BLANK;
  if (line.includes(LEGACY_MARKER)) {
    const legacy = parseLegacyLine(line, location);
    if (typeof legacy === 'string') return { kind: 'malformed', message: legacy };
    return legacy.type === 'event' ? { kind: 'record', record: legacy.record } : { kind: 'legacy', line: legacy };
  }
  const exported = s3ExportJson(line);
  if (exported !== undefined) return withEnvelope(readJsonText(exported, location));
  if (line.trimStart().startsWith('{')) return readJsonText(line.trim(), location);
  return { kind: 'malformed', message: `not an audit log line in any format this reader knows (${KNOWN_FORMATS})${openingHint(line)}: ${shorten(line)}` };
}

/** Marks the events of an EKS S3 export line as EKS's. */
function withEnvelope(reading: LineReading): LineReading {
  const mark = (record: AuditRecord): AuditRecord => (record.envelope ? record : { ...record, envelope: 'eks' });
  if (reading.kind === 'record') return { kind: 'record', record: mark(reading.record) };
  if (reading.kind === 'items') return { kind: 'items', items: reading.items.map((i) => ('record' in i ? { record: mark(i.record) } : i)) };
  return reading;
}
