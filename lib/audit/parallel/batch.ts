/**
 * The work one worker thread does on a chunk of whole lines (pure, so it is tested in process):
 * read every line, filter the records, and do what can be done out of order. JSON lines are
 * rendered there and the summary counted there; whatever must happen in log order on the main
 * thread (legacy lines to pair, problems to report, table and advice records) comes back as
 * ordered items.
 */
import { compileFilter } from '../filter';
import { LegacyLine } from '../legacy';
import { readLine } from '../line';
import { decodeLines } from '../lines';
import { AuditOptions, AuditView } from '../options';
import { recordRenderer } from '../render/record-stream';
import { AuditSummary, SummaryRow } from '../summary';
import { AuditRecord, LogLocation } from '../types';

/** How a run reads: sent with every chunk, so one pool serves any number of runs. */
export interface WorkerSettings {
  /** The run's filter. */
  readonly filter: AuditOptions['filter'];
  /** The run's view. */
  readonly view: AuditView;
  /** Stop a chunk at its first malformed line (the main thread then stops the run). */
  readonly strict: boolean;
}

/** One chunk of lines to read. */
export interface BatchTask {
  /** The input's name for locations. */
  readonly file: string;
  /** The 1-based number of the chunk's first line in its input. */
  readonly startLine: number;
  /** Whole lines of text (UTF-8). */
  readonly bytes: Uint8Array;
}

/** Something the main thread must handle in log order. */
export type BatchItem =
  /** JSON lines of kept records, to write. */
  | { readonly k: 'text'; readonly text: string }
  /** A kept record for the table or the advice. */
  | { readonly k: 'record'; readonly record: AuditRecord }
  /** A legacy line to pair. */
  | { readonly k: 'legacy'; readonly line: LegacyLine; readonly location: LogLocation }
  /** A malformed line to report. */
  | { readonly k: 'malformed'; readonly message: string; readonly location: LogLocation };

/** What a chunk gave. */
export interface BatchResult {
  /** The ordered items. */
  readonly items: BatchItem[];
  /** Records read (JSON events; legacy records are counted when paired). */
  readonly records: number;
  /** Records kept by the filter. */
  readonly matched: number;
  /** The summary view's counts of the kept records. */
  readonly summary?: SummaryRow[];
  /** True when, in strict mode, the chunk has a malformed line (its last item). */
  readonly fatal: boolean;
}

/** A chunk reader for one run's settings. */
export function batchReader(settings: WorkerSettings): (task: BatchTask) => BatchResult {
  const keep = compileFilter(settings.filter);
  const render = recordRenderer(settings.view);
  return (task) => {
    const summary = settings.view === 'summary' ? new AuditSummary() : undefined;
    const items: BatchItem[] = [];
    let text = '';
    let records = 0;
    let matched = 0;
    let fatal = false;
    const flush = () => {
      if (text !== '') items.push({ k: 'text', text });
      text = '';
    };
    const take = (record: AuditRecord) => {
      records++;
      if (!keep(record)) return;
      matched++;
      if (render) text += render(record);
      else if (summary) summary.add(record);
      else {
        flush();
        items.push({ k: 'record', record });
      }
    };
    // Reports a malformed line or item; true when the chunk must stop there (strict mode).
    const malformed = (message: string, location: LogLocation) => {
      flush();
      items.push({ k: 'malformed', message, location });
      fatal = settings.strict;
      return fatal;
    };
    const lines = decodeLines(task.bytes);
    for (let i = 0; i < lines.length && !fatal; i++) {
      const location = { file: task.file, line: task.startLine + i };
      const reading = readLine(lines[i], location);
      if (reading.kind === 'record') {
        take(reading.record);
      } else if (reading.kind === 'items') {
        for (const item of reading.items) {
          if ('record' in item) take(item.record);
          else if (malformed(item.problem, item.location)) break;
        }
      } else if (reading.kind === 'legacy') {
        flush();
        items.push({ k: 'legacy', line: reading.line, location });
      } else if (reading.kind === 'malformed') {
        malformed(reading.message, location);
      }
    }
    flush();
    return { items, records, matched, ...(summary ? { summary: summary.rows() } : {}), fatal };
  };
}
