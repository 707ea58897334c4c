/** The table view: one row per request. */
import { AuditRecord, resourceLabel } from '../types';
import { renderColumns } from './columns';

/** The table's column headers. */
export const TABLE_HEADERS: readonly string[] = ['TIME', 'USER', 'VERB', 'RESOURCE/NAME', 'NAMESPACE', 'CODE', 'DECISION', 'REASON'];

/** The cells of one record: `-` for an empty user (failed authentication), namespace, code or decision; an inferred decision gets `?`. */
export function tableRow(record: AuditRecord): string[] {
  const target = resourceLabel(record);
  return [
    record.time,
    record.impersonatedUser !== undefined ? `${record.user} (as ${record.impersonatedUser})` : record.user || '-',
    record.verb,
    record.name ? `${target}/${record.name}` : target,
    record.namespace || '-',
    record.code !== undefined ? String(record.code) : '-',
    record.decision ? `${record.decision}${record.decisionInferred ? '?' : ''}` : '-',
    record.reason,
  ];
}

/** The table of `records`, in the order given, or a one-line note when there are none. */
export function renderTable(records: readonly AuditRecord[]): string {
  if (records.length === 0) return 'No matching audit events.\n';
  return renderColumns(TABLE_HEADERS, records.map(tableRow));
}
