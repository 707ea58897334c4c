/**
 * What one audit run does: the logs, the filter and the view. The command line's flags are the
 * CLI's business (`lib/cli/commands/audit-options.ts`); this is the typed result.
 */
import { AuditFilter } from './filter';

/** The report views. */
/** The views: `wide` is the table with the user agent, audit ID and `file:line` of each request. */
export type AuditView = 'table' | 'wide' | 'summary' | 'json' | 'yaml' | 'advice-yaml' | 'advice-typescript';

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
   * How to advise, for the advice views: every subject the filter keeps gets its own section.
   * @default - none (the report views)
   */
  readonly advise?: AdviseRunOptions;
  /**
   * List unused bootstrap grants in the diff.
   * @default false
   */
  readonly includeBootstrap?: boolean;
}

/** How advice is made. */
export interface AdviseRunOptions {
  /**
   * Also advise control plane and node identities (controller manager, scheduler, nodes, kube-system
   * service accounts); a user the filter names exactly is always advised.
   * @default false
   */
  readonly includeSystemIdentities?: boolean;
  /**
   * Advise requests whose decision is unknown as allowed: no logged decision, and a response that
   * does not prove the authorizer allowed them (anything but 2xx, 401 and 403, e.g. 404, or 400 and
   * 429 that the API server answers before authorization runs). Left out by default, with a warning.
   * @default false
   */
  readonly includeUnknownDecisions?: boolean;
  /**
   * Keep every object name in `resourceNames`, even names a controller generates.
   * @default false
   */
  readonly keepNames?: boolean;
  /**
   * The most names one rule lists before it names none.
   * @default 10
   */
  readonly maxNames?: number;
  /**
   * Let the names of Secrets (and whatever else the risk catalogue marks as sensitive) collapse like
   * other generated or too many names; each such rule is flagged as a `names-widened` risk. Without
   * it those rules keep every name read.
   * @default false
   */
  readonly widenSensitiveNames?: boolean;
  /**
   * With manifests: advise only what they do not grant yet, in new objects beside the existing ones.
   * @default false
   */
  readonly missingOnly?: boolean;
  /**
   * The Kubernetes release whose bootstrap policy counts as granted to everyone (without manifests).
   * @default - the evaluator's default release (`PolicyOptions.kubeVersion`)
   */
  readonly kubeVersion?: string;
}
