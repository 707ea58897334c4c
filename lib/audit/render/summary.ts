/** The summary view: one row per user and resource with allowed/forbidden counts. */
import { SummaryRow } from '../summary';
import { columnFormat, ColumnFormatLike, renderColumns } from './columns';

/** The summary's column headers. */
export const SUMMARY_HEADERS: readonly string[] = ['USER', 'RESOURCE', 'VERBS', 'NAMESPACES', 'ALLOWED', 'FORBIDDEN', 'TOTAL'];

/** A count, with how many of it were inferred from the response code (`5 (2 inferred)`). */
function count(total: number, inferred: number): string {
  return inferred > 0 ? `${total} (${inferred} inferred)` : String(total);
}

/**
 * The summary table, or a one-line note when there are no rows.
 * @param format cell text, header row, width (or only the cell text function)
 * @default format - cells as they are, with the header row, no width limit
 */
export function renderSummary(rows: readonly SummaryRow[], format?: ColumnFormatLike): string {
  if (rows.length === 0) return 'No matching audit events.\n';
  return renderColumns(
    SUMMARY_HEADERS,
    rows.map((r) => [
      r.user || '-',
      r.resource,
      r.verbs.join(','),
      r.namespaces.map((n) => n || '-').join(','),
      count(r.allowed, r.allowedInferred),
      count(r.forbidden, r.forbiddenInferred),
      String(r.total),
    ]),
    columnFormat(format),
  );
}
