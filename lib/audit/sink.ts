/**
 * Where the records of an `audit` run go: the filter, then the chosen view (JSON lines as text to
 * write at once, or the table, summary or observed accesses kept until the end), with the counts.
 * Records must be offered in log order; both the sequential and the parallel reader feed one.
 */
import { compileFilter } from './filter';
import { ObservedAccesses } from './observed';
import { AuditOptions } from './options';
import { renderJsonLine } from './render/json-lines';
import { AuditSummary, SummaryRow } from './summary';
import { AuditRecord } from './types';

/** Filters records and accumulates the view of one run. */
export class AuditSink {
  /** The filter. */
  public readonly keep: (record: AuditRecord) => boolean;
  /** The summary view's counts. */
  public readonly summary: AuditSummary | undefined;
  /** The table view's rows, in order. */
  public readonly table: AuditRecord[] | undefined;
  /** The advice views' accesses. */
  public readonly observed: ObservedAccesses | undefined;
  /** Records read. */
  public records = 0;
  /** Records kept by the filter. */
  public matched = 0;

  /** @param options the run's options (filter, view, advised user) */
  constructor(options: AuditOptions) {
    this.keep = compileFilter(options.filter);
    this.summary = options.view === 'summary' ? new AuditSummary() : undefined;
    this.table = options.view === 'table' ? [] : undefined;
    this.observed = options.adviseUser !== undefined ? new ObservedAccesses(options.adviseUser) : undefined;
  }

  /**
   * Takes one record read from the log.
   * @returns its JSON line for the json view when kept, else `""`
   */
  public offer(record: AuditRecord): string {
    this.records++;
    if (!this.keep(record)) return '';
    this.matched++;
    return this.keepRecord(record);
  }

  /**
   * Takes a record the filter already kept (counted by the caller).
   * @returns its JSON line for the json view, else `""`
   */
  public keepRecord(record: AuditRecord): string {
    if (this.summary) this.summary.add(record);
    else if (this.table) this.table.push(record);
    else if (this.observed) this.observed.add(record);
    else return renderJsonLine(record);
    return '';
  }

  /** Adds what another thread read and counted: its record counts and, for the summary view, its rows. */
  public absorb(records: number, matched: number, summary: readonly SummaryRow[] | undefined): void {
    this.records += records;
    this.matched += matched;
    if (summary && this.summary) this.summary.merge(summary);
  }
}
