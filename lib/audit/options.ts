/**
 * What one audit run does: the logs, the filter and the view. The command line's flags are the
 * CLI's business (`lib/cli/commands/audit-options.ts`); this is the typed result.
 */
import { AuditFilter } from './filter';

/** The report views. */
export type AuditView = 'table' | 'summary' | 'json' | 'advice-yaml' | 'advice-typescript';

/** What one `audit` run does. */
export interface AuditOptions {
  /** The logs to read, in order; `-` is stdin. */
  readonly logs: readonly string[];
  /** Which records to keep. */
  readonly filter: AuditFilter;
  /** The view. */
  readonly view: AuditView;
  /**
   * Stop at the first malformed line.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * The longest log line read, in bytes; a longer one is skipped with a `file:line` warning (an
   * error with `strict`).
   * @default 16 MiB (`DEFAULT_MAX_LINE_BYTES`)
   */
  readonly maxLineBytes?: number;
  /**
   * The user advised (the one `--user`), for the advice views.
   * @default - none (the report views)
   */
  readonly adviseUser?: string;
  /**
   * List unused bootstrap grants in the diff.
   * @default false
   */
  readonly includeBootstrap?: boolean;
}
