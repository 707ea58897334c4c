/** The table view: one row per request. */
import { AuditRecord, formatLocation, resourceLabel } from '../types';
import { ColumnFormat, ColumnStream, renderColumns } from './columns';

/** The table's column headers. */
export const TABLE_HEADERS: readonly string[] = ['TIME', 'USER', 'VERB', 'RESOURCE/NAME', 'NAMESPACE', 'CODE', 'DECISION', 'REASON'];

/** The wide table's extra column headers, after {@link TABLE_HEADERS}. */
export const WIDE_HEADERS: readonly string[] = ['USER-AGENT', 'AUDIT-ID', 'SOURCE'];

/** The wide table's extra cells: `-` for an empty user agent or audit ID. */
export function wideCells(record: AuditRecord): string[] {
  return [record.userAgent || '-', record.auditID || '-', formatLocation(record.source)];
}

/** The note printed instead of an empty table. */
export const NO_MATCHING_EVENTS = 'No matching audit events.\n';

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
  if (records.length === 0) return NO_MATCHING_EVENTS;
  const table = renderColumns(TABLE_HEADERS, records.map(tableRow));
  return records.some((r) => r.decisionInferred) ? `${table}${INFERRED_LEGEND}\n` : table;
}

/** The line under a table with inferred decisions. */
export const INFERRED_LEGEND = 'allow? / forbid?: inferred from the response code; the event carries no authorization.k8s.io/decision annotation.';

/**
 * The table written as records arrive, in bounded memory (see {@link ColumnStream}): the same text
 * as {@link renderTable} for up to 1000 records (`COLUMN_STREAM_BLOCK`).
 */
export class TableStream {
  private readonly columns: ColumnStream;
  private inferred = false;

  /**
   * @param format cell text, header row, width
   * @param wide add the {@link WIDE_HEADERS} columns
   * @default format - cells as they are, with the header row, no width limit
   * @default wide false
   */
  constructor(format: ColumnFormat = {}, private readonly wide = false) {
    this.columns = new ColumnStream(wide ? [...TABLE_HEADERS, ...WIDE_HEADERS] : TABLE_HEADERS, format);
  }

  /** Takes one record; returns text to write now (maybe `""`). */
  public add(record: AuditRecord): string {
    if (record.decisionInferred) this.inferred = true;
    return this.columns.add(this.wide ? [...tableRow(record), ...wideCells(record)] : tableRow(record));
  }

  /** The rest of the table (with the legend when a decision was inferred), or the note when no record came. */
  public end(): string {
    if (this.columns.rows === 0) return NO_MATCHING_EVENTS;
    return this.inferred ? `${this.columns.end()}${INFERRED_LEGEND}\n` : this.columns.end();
  }
}
