/**
 * AKS's diagnostic logs as Azure Monitor writes them to a storage account or an event hub: one
 * record per event, `{ "category": "kube-audit", "properties": { "log": "<the v1 Event as an
 * escaped JSON string>", ... } }`, either one record per line or batched as `{ "records": [...] }`.
 * Categories `kube-audit` (every request) and `kube-audit-admin` (no get and list) hold audit events.
 */

/** The diagnostic categories that hold API-server audit events. */
export const AKS_AUDIT_CATEGORIES: readonly string[] = ['kube-audit', 'kube-audit-admin'];

type Json = Readonly<Record<string, unknown>>;

/** True when `value` is an Azure diagnostic record with a `properties.log` string. */
export function isAksRecord(value: Json): boolean {
  const properties = value.properties;
  return typeof properties === 'object' && properties !== null && typeof (properties as Json).log === 'string';
}

/**
 * The event text of an AKS record (check {@link isAksRecord} first).
 * @returns `{ text }`, the escaped event to parse, or a sentence saying why the record holds no audit event
 */
export function aksEventText(record: Json): { readonly text: string } | string {
  const category = record.category ?? record.Category;
  if (category !== undefined && !AKS_AUDIT_CATEGORIES.includes(category as string)) {
    return `an AKS diagnostic record of category ${JSON.stringify(category)}, not ${AKS_AUDIT_CATEGORIES.join(' or ')} (only those hold audit events)`;
  }
  return { text: (record.properties as Json).log as string };
}
