/**
 * One `audit` run from options to output: read, filter, then the chosen view. No process globals:
 * inputs, the manifests' policy and the output sink are passed in, so the CLI stays a thin shell
 * and tests run it on in-memory streams. With `workers`, lines are read on worker threads
 * (`parallel/`) with exactly the same output, warnings and error.
 */
import { RbacPolicy } from '../rbac/policy';
import { adviceReport } from './advice-report';
import { AuditLogError, formatProblem } from './errors';
import { AuditOptions } from './options';
import { BatchPool } from './parallel/pool';
import { readInParallel } from './parallel/read';
import { LogInput, readAuditBatches, ReadOptions } from './reader';
import { CellText, ColumnFormat } from './render/columns';
import { renderSummary, summaryBlocks } from './render/summary';
import { AuditSink } from './sink';
import { LogProblem } from './types';

/** What a run needs besides its options. */
export interface AuditRunInput {
  /** The logs, in order (see `logInputs`). */
  readonly logs: readonly LogInput[];
  /**
   * The manifests' RBAC policy, for the grant diff of `--advise`.
   * @default - no diff
   */
  readonly policy?: RbacPolicy;
  /**
   * Receives output as it is produced (JSON lines and table rows stream through it one batch at a
   * time); when it returns a promise, reading waits for it (backpressure: a slow reader of the
   * output keeps memory flat). When absent the output is collected into {@link AuditRunResult.stdout}.
   * @default - collect
   */
  readonly write?: (text: string) => unknown;
  /**
   * Applied to every cell of the table and summary views, e.g. a terminal's escaping of control
   * characters (the JSON and advice views are never changed).
   * @default - cells as they are
   */
  readonly cellText?: CellText;
  /**
   * Whether the table and summary views print their header row (`--no-headers` turns it off).
   * @default true
   */
  readonly headers?: boolean;
  /**
   * The width to fit the table and summary views to (a terminal's columns): the widest columns' cells are cut with `…`.
   * @default - no limit
   */
  readonly width?: number;
  /**
   * The module the generated TypeScript imports the constructs from.
   * @default 'cdk8s-api-reader'
   */
  readonly importFrom?: string;
  /**
   * Worker threads to read lines on (JSON parsing is most of the work); 0 reads on this thread.
   * Worth it for large logs only: starting a thread takes tens of milliseconds.
   * @default 0
   */
  readonly workers?: number;
}

/** How a run ended. */
export interface AuditRunResult {
  /** The output, when no `write` sink was given (else `""`). */
  readonly stdout: string;
  /** Warnings, one line each: skipped lines with file:line (the first {@link MAX_WARNINGS}, then a count). */
  readonly warnings: readonly string[];
  /**
   * Why the run stopped early: the malformed line that ended a strict run, with file:line.
   * @default - the run read every log to the end
   */
  readonly error?: string;
  /** Records read and kept, and lines skipped. */
  readonly stats: { readonly records: number; readonly matched: number; readonly skipped: number };
}

/** Writes the rest of the table or summary view `sink` holds, if it is one of those. */
/** The column format `input` asks for. */
function columnFormat(input: Pick<AuditRunInput, 'cellText' | 'headers' | 'width'>): ColumnFormat {
  return { cellText: input.cellText, headers: input.headers, width: input.width };
}

async function writeReports(sink: AuditSink, write: (text: string) => unknown, format: ColumnFormat): Promise<void> {
  if (sink.summary) for (const block of summaryBlocks(sink.summary.rows(), format)) await write(block);
  if (sink.table) await write(sink.table.end());
}

/** The note above advice built partly on inferred decisions, or `""`. */
function inferredNote(inferred: number): string {
  if (inferred === 0) return '';
  return `${inferred} of the requests advised on carry no authorization.k8s.io/decision annotation: allow/forbid was inferred from the response code (2xx allow, 403 forbid).`;
}

/** The most skipped-line warnings listed one by one. */
export const MAX_WARNINGS = 20;

/**
 * Runs `audit` with `options` over `input`.
 * Never throws for bad log lines: a strict run stops at the first one and names it in `error`.
 */
export async function runAudit(options: AuditOptions, input: AuditRunInput): Promise<AuditRunResult> {
  const owned = (input.workers ?? 0) > 0 ? new BatchPool(input.workers!) : undefined;
  try {
    return await runAuditOn(options, input, owned);
  } finally {
    await owned?.close();
  }
}

/**
 * {@link runAudit} on worker threads the caller owns (and closes), or on this thread without
 * `pool`. Internal: lets tests share one pool between many runs.
 */
export async function runAuditOn(options: AuditOptions, input: AuditRunInput, pool: BatchPool | undefined): Promise<AuditRunResult> {
  const chunks: string[] = [];
  const write = input.write ?? ((text: string): void => void chunks.push(text));
  const warnings: string[] = [];
  let skipped = 0;
  const onProblem = (p: LogProblem) => {
    skipped++;
    // The CLI prints these after "warning: ", so they say what happened to the line, not "warning" again.
    if (warnings.length < MAX_WARNINGS) warnings.push(`skipped: ${formatProblem(p)}`);
  };
  const sink = new AuditSink(options, columnFormat(input));
  const read: ReadOptions = { strict: options.strict, onProblem, ...(options.maxLineBytes !== undefined ? { maxLineBytes: options.maxLineBytes } : {}) };
  try {
    if (pool) {
      const settings = { filter: options.filter, view: options.view, strict: options.strict === true };
      await readInParallel(input.logs, read, settings, pool, sink, write);
    } else {
      for await (const batch of readAuditBatches(input.logs, read)) {
        let text = '';
        for (const record of batch) text += sink.offer(record);
        if (text !== '') await write(text);
      }
    }
  } catch (e) {
    if (!(e instanceof AuditLogError)) throw e;
    // What was read before the bad line is still shown (JSON lines were written already); advice
    // from part of a log would be wrong, so there is none.
    await writeReports(sink, write, columnFormat(input));
    const stats = { records: sink.records, matched: sink.matched, skipped: skipped + 1 };
    return { stdout: chunks.join(''), warnings, error: e.message, stats };
  }
  if (skipped > warnings.length) warnings.push(`... and ${skipped - warnings.length} more skipped line(s)`);
  await writeReports(sink, write, columnFormat(input));
  const stats = { records: sink.records, matched: sink.matched, skipped };
  if (sink.observed) {
    const kept = renderKept(sink, options, input);
    warnings.push(...kept.warnings);
    if (kept.error !== undefined) return { stdout: chunks.join(''), warnings, error: kept.error, stats };
    await write(kept.text);
  }
  return { stdout: chunks.join(''), warnings, stats };
}

/** What the views reported at the end (summary, advice) say, rendered. */
export interface KeptReport {
  /** The text. */
  readonly text: string;
  /** Warnings (records left out of the advice). */
  readonly warnings: readonly string[];
  /**
   * Set when an advice failed its proof (a bug): `text` is then empty.
   * @default - none
   */
  readonly error?: string;
}

/**
 * Renders what `sink` kept for the views that report at the end: the summary or the advice (the
 * table is streamed). Reads the sink's state without changing it, so a long-running reader (the
 * webhook) can report at any time.
 * @param input the manifests' policy, the module the TypeScript imports from, the cell escaping
 */
export function renderKept(sink: AuditSink, options: AuditOptions, input: Pick<AuditRunInput, 'policy' | 'importFrom' | 'cellText' | 'headers' | 'width'> = {}): KeptReport {
  const { summary, observed } = sink;
  if (summary) return { text: renderSummary(summary.rows(), columnFormat(input)), warnings: [] };
  if (!observed) return { text: '', warnings: [] };
  const report = adviceReport({
    subjects: observed,
    format: options.view === 'advice-typescript' ? 'typescript' : 'yaml',
    ...(input.policy ? { policy: input.policy } : {}),
    includeBootstrap: options.includeBootstrap,
    importFrom: input.importFrom,
    advise: options.advise,
  });
  if (report.error !== undefined) return report;
  const note = inferredNote(observed.subjects().reduce((n, s) => n + s.inferred, 0));
  const comment = options.view === 'advice-typescript' ? '//' : '#';
  return { ...report, text: note ? `${comment} ${note}\n${report.text}` : report.text };
}
