/**
 * Every audit event a parsed JSON value holds, whatever the format: a bare `audit.k8s.io` Event
 * (v1, v1beta1, v1alpha1), an `EventList`, a GKE Cloud Logging entry, an AKS diagnostic record or a
 * batch of them, an EKS CloudWatch log event or an export listing them, or an array of any of
 * these. Pure; the caller has already bounded the value's size.
 */
import { describeKind, EventContext, looksLikeEvent, recordFromEvent } from '../event';
import { AuditEnvelope, AuditRecord, LogLocation } from '../types';
import { aksEventText, isAksRecord } from './aks';
import { CLOUDWATCH_EVENT_LISTS, cloudWatchEventText, isCloudWatchEvent } from './eks';
import { eventListItems, isEventList } from './event-list';
import { isCloudLoggingEntry, recordFromGkeEntry } from './gke';

/** One event read from a value, or why one part of it is not an event. */
export type JsonReading =
  | { readonly record: AuditRecord }
  | { readonly problem: string; readonly location: LogLocation };

/** The formats named when a value is none of them. */
export const KNOWN_FORMATS = 'audit.k8s.io Event or EventList JSON, a GKE Cloud Logging entry, an AKS diagnostic record, an EKS CloudWatch log event, or legacy text';

/** Containers nest at most this deep (an array of `{records: [...]}` batches, say); deeper is not a log. */
const MAX_DEPTH = 3;

type Json = Readonly<Record<string, unknown>>;

function at(location: LogLocation, item: string): LogLocation {
  return { ...location, item: location.item === undefined ? item : `${location.item}.${item}` };
}

function event(value: unknown, location: LogLocation, context: EventContext, out: JsonReading[]): void {
  const record = recordFromEvent(value, location, context);
  out.push(typeof record === 'string' ? { problem: record, location } : { record });
}

/** An event given as JSON text inside an envelope (AKS `properties.log`, a CloudWatch `message`). */
function embedded(text: string, location: LogLocation, envelope: AuditEnvelope, out: JsonReading[]): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    out.push({ problem: `the ${envelope === 'aks' ? 'AKS record\'s properties.log' : 'CloudWatch event\'s message'} is not valid JSON (${(e as Error).message})`, location });
    return;
  }
  event(parsed, location, { envelope }, out);
}

function list(items: readonly unknown[], key: string, location: LogLocation, depth: number, out: JsonReading[]): void {
  items.forEach((v, i) => read(v, at(location, `${key}[${i}]`), depth + 1, out));
}

function read(value: unknown, location: LogLocation, depth: number, out: JsonReading[]): void {
  if (depth > MAX_DEPTH) {
    out.push({ problem: `JSON nested deeper than ${MAX_DEPTH} containers, not an audit log`, location });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => read(v, at(location, `[${i}]`), depth + 1, out));
    return;
  }
  if (typeof value !== 'object' || value === null) {
    out.push({ problem: `a JSON ${value === null ? 'null' : typeof value}, not an audit event (expected ${KNOWN_FORMATS})`, location });
    return;
  }
  const v = value as Json;
  if (looksLikeEvent(v)) return event(v, location, {}, out);
  if (isEventList(v)) {
    const items = eventListItems(v);
    if (typeof items === 'string') out.push({ problem: items, location });
    else for (const i of items) event(i.event, at(location, i.item), { listApiVersion: i.listApiVersion, envelope: 'EventList' }, out);
    return;
  }
  if (isCloudLoggingEntry(v)) {
    const record = recordFromGkeEntry(v, location);
    out.push(typeof record === 'string' ? { problem: record, location } : { record });
    return;
  }
  if (isAksRecord(v)) {
    const text = aksEventText(v);
    if (typeof text === 'string') out.push({ problem: text, location });
    else embedded(text.text, location, 'aks', out);
    return;
  }
  if (isCloudWatchEvent(v)) {
    const text = cloudWatchEventText(v);
    if (typeof text === 'string') out.push({ problem: text, location });
    else embedded(text.text, location, 'eks', out);
    return;
  }
  for (const key of ['records', ...CLOUDWATCH_EVENT_LISTS]) {
    if (Array.isArray(v[key])) return list(v[key] as unknown[], key, location, depth, out);
  }
  if (v.messageType === 'CONTROL_MESSAGE') return; // a CloudWatch subscription's health check: no events
  out.push({ problem: `not an audit event in any format this reader knows (${describeKind(v)}; expected ${KNOWN_FORMATS})`, location });
}

/**
 * The events of one parsed JSON value, in order, and a problem for every part that is not one.
 * @param value what `JSON.parse` returned
 * @param location where the value starts
 */
export function readJsonValue(value: unknown, location: LogLocation): JsonReading[] {
  const out: JsonReading[] = [];
  read(value, location, 0, out);
  return out;
}
