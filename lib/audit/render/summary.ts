/** The summary view: one row per user and resource with allowed/forbidden counts. */
import { MAX_SUMMARY_VALUES, SummaryRow } from '../summary';
import { columnBlocks, columnFormat, ColumnFormatLike } from './columns';

/** The summary's column headers. */
export const SUMMARY_HEADERS: readonly string[] = ['USER', 'RESOURCE', 'VERBS', 'NAMESPACES', 'ALLOWED', 'FORBIDDEN', 'TOTAL'];

/** A count, with how many of it were inferred from the response code (`5 (2 inferred)`). */
function count(total: number, inferred: number): string {
  return inferred > 0 ? `${total} (${inferred} inferred)` : String(total);
}

/** Values joined by commas, after a note when the row saw more than it kept (first, so a cut cell keeps it). */
function values(list: readonly string[], more: boolean, what: string): string {
  const joined = list.join(',');
  return more ? `(first ${list.length} of more than ${MAX_SUMMARY_VALUES} ${what}) ${joined}` : joined;
}

/**
 * The summary table, or a one-line note when there are no rows.
 * @param format cell text, header row, width (or only the cell text function)
 * @default format - cells as they are, with the header row, no width limit
 */
export function renderSummary(rows: readonly SummaryRow[], format?: ColumnFormatLike): string {
  return [...summaryBlocks(rows, format)].join('');
}

/**
 * {@link renderSummary}'s text in pieces of at most 1,000 lines, for a writer: however many rows a
 * log makes, the summary never has to fit in one string.
 * @param format cell text, header row, width (or only the cell text function)
 * @default format - cells as they are, with the header row, no width limit
 */
export function summaryBlocks(rows: readonly SummaryRow[], format?: ColumnFormatLike): Iterable<string> {
  if (rows.length === 0) return ['No matching audit events.\n'];
  return columnBlocks(
    SUMMARY_HEADERS,
    rows.map((r) => [
      r.user || '-',
      r.resource,
      values(r.verbs, r.moreVerbs, 'verbs'),
      values(r.namespaces.map((n) => n || '-'), r.moreNamespaces, 'namespaces'),
      count(r.allowed, r.allowedInferred),
      count(r.forbidden, r.forbiddenInferred),
      String(r.total),
    ]),
    columnFormat(format),
  );
}
