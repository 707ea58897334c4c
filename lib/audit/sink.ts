/**
 * Where the records of an `audit` run go: the filter, then the chosen view (JSON lines and table
 * rows as text to write at once, or the summary or observed accesses, bounded by the number of
 * distinct users and resources, kept until the end), with the counts.
 * Records must be offered in log order; both the sequential and the parallel reader feed one.
 */
import { compileFilter, isUserPrefix } from './filter';
import { ObservedSubjects } from './observed-subjects';
import { AuditOptions } from './options';
import { columnFormat, ColumnFormatLike } from './render/columns';
import { renderJsonLine } from './render/json-lines';
import { recordRenderer } from './render/record-stream';
import { TableStream } from './render/table';
import { AuditSummary, SummaryRow } from './summary';
import { AuditRecord } from './types';

/** Filters records and accumulates the view of one run. */
export class AuditSink {
  /** The filter. */
  public readonly keep: (record: AuditRecord) => boolean;
  /** The summary view's counts. */
  public readonly summary: AuditSummary | undefined;
  /** The table view, written as records come (only its first rows are held, to measure the columns). */
  public readonly table: TableStream | undefined;
  /** The advice views' accesses, per subject. */
  public readonly observed: ObservedSubjects | undefined;
  /** Records read. */
  public records = 0;
  /** Records kept by the filter. */
  public matched = 0;
  /** Writes one kept record for the views written record by record (JSON lines, YAML documents). */
  private readonly render: (record: AuditRecord) => string;

  /**
   * @param options the run's options (filter, view, advised user)
   * @param format how the table's columns are written (cell text, header row, width), or only the cell text function
   * @default format - cells as they are, with the header row, no width limit
   */
  constructor(options: AuditOptions, format?: ColumnFormatLike) {
    this.keep = compileFilter(options.filter);
    this.summary = options.view === 'summary' ? new AuditSummary() : undefined;
    this.table = options.view === 'table' || options.view === 'wide' ? new TableStream(columnFormat(format), options.view === 'wide') : undefined;
    this.render = recordRenderer(options.view) ?? renderJsonLine;
    this.observed = options.advise !== undefined
      ? new ObservedSubjects({
        includeSystemIdentities: options.advise.includeSystemIdentities,
        includeUnknownDecisions: options.advise.includeUnknownDecisions,
        named: options.filter.users?.filter((u) => !isUserPrefix(u)),
      })
      : undefined;
  }

  /**
   * Takes one record read from the log.
   * @returns the text to write now for it (a JSON line, table rows), maybe `""`
   */
  public offer(record: AuditRecord): string {
    this.records++;
    if (!this.keep(record)) return '';
    this.matched++;
    return this.keepRecord(record);
  }

  /**
   * Takes a record the filter already kept (counted by the caller).
   * @returns the text to write now for it (a JSON line, table rows), maybe `""`
   */
  public keepRecord(record: AuditRecord): string {
    if (this.table) return this.table.add(record);
    if (this.summary) this.summary.add(record);
    else if (this.observed) this.observed.add(record);
    else return this.render(record);
    return '';
  }

  /** Adds what another thread read and counted: its record counts and, for the summary view, its rows. */
  public absorb(records: number, matched: number, summary: readonly SummaryRow[] | undefined): void {
    this.records += records;
    this.matched += matched;
    if (summary && this.summary) this.summary.merge(summary);
  }
}
