/**
 * `EventList` documents: what the webhook backend POSTs (`audit.k8s.io/v1` `EventList`, a batch of
 * events) and what receivers often store as is, on one line or pretty-printed. Pure: it takes an
 * already parsed JSON document (its size is the caller's limit) and says which events it holds.
 */

/** One item of an `EventList`, with where it sits. */
export interface EventListItem {
  /** The item as parsed (not yet checked to be an event). */
  readonly event: unknown;
  /** Where in the document, e.g. `items[3]`. */
  readonly item: string;
  /** The list's `apiVersion`: items written by kube-apiserver carry no `kind` or `apiVersion` of their own. */
  readonly listApiVersion: string;
}

/** True when `value` is an object with `kind: EventList`. */
export function isEventList(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as { kind?: unknown }).kind === 'EventList';
}

/**
 * The items of a parsed `EventList` document, in order.
 * @param document what `JSON.parse` returned for the document
 * @returns the items, or a sentence saying why the document is not an `EventList` of audit events
 */
export function eventListItems(document: unknown): EventListItem[] | string {
  if (!isEventList(document)) return 'not an EventList (no kind: EventList)';
  const list = document as { apiVersion?: unknown; items?: unknown };
  if (typeof list.apiVersion !== 'string' || !list.apiVersion.startsWith('audit.k8s.io/')) {
    return `an EventList of apiVersion ${JSON.stringify(list.apiVersion ?? null)}, not audit.k8s.io (a list of cluster Events from kubectl get events is not an audit log)`;
  }
  if (list.items === null || list.items === undefined) return [];
  if (!Array.isArray(list.items)) return 'an EventList whose items is not an array';
  const apiVersion = list.apiVersion;
  return list.items.map((event, i) => ({ event, item: `items[${i}]`, listApiVersion: apiVersion }));
}
