/**
 * Reading audit records from any number of inputs, in order, with constant memory: JSON-lines
 * `audit.k8s.io/v1` events and legacy text lines (even mixed), each line checked on its own. Bad
 * lines become {@link LogProblem}s with file:line, reported through `onProblem` and skipped, or
 * thrown as {@link AuditLogError} with `strict`.
 */
import { AuditLogError } from './errors';
import { recordFromEvent } from './event';
import { LEGACY_MARKER, LegacyPairer, parseLegacyLine } from './legacy';
import { lineBatches } from './lines';
import { AuditRecord, LogLocation, LogProblem } from './types';

/** One input: a name for messages and its bytes. */
export interface LogInput {
  /** The file name as the user gave it, or `<stdin>`. */
  readonly name: string;
  /** The bytes (plain or gzip). Opened lazily: called when the input's turn comes. */
  readonly open: () => AsyncIterable<unknown>;
}

/** Options for {@link readAuditBatches}. */
export interface ReadOptions {
  /**
   * Stop at the first malformed or unreadable line by throwing {@link AuditLogError}.
   * @default false - report it through `onProblem` and go on
   */
  readonly strict?: boolean;
  /**
   * Told about every skipped line.
   * @default - problems are dropped
   */
  readonly onProblem?: (problem: LogProblem) => void;
}

const MAX_SHOWN = 120;

function shorten(line: string): string {
  return line.length <= MAX_SHOWN ? line : `${line.slice(0, MAX_SHOWN)}...`;
}

/** Reads one line: a record, `undefined` for nothing to emit (blank line, legacy half), or a problem message. */
class LineReader {
  constructor(private readonly pairer: LegacyPairer, private readonly report: (p: LogProblem) => void) {}

  public read(line: string, location: LogLocation, out: AuditRecord[]): void {
    const first = line.charCodeAt(0);
    if (first === 123 /* { */) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (e) {
        this.problem('malformed', location, `not valid JSON (${(e as Error).message}): ${shorten(line)}`);
        return;
      }
      const record = recordFromEvent(parsed, location);
      if (typeof record === 'string') this.problem('malformed', location, record);
      else out.push(record);
      return;
    }
    if (line.trim() === '') return;
    if (line.includes(LEGACY_MARKER)) {
      const legacy = parseLegacyLine(line, location);
      if (typeof legacy === 'string') {
        this.problem('malformed', location, legacy);
      } else if (legacy.type === 'request') {
        const given = this.pairer.request(legacy);
        if (given) out.push(given);
      } else {
        const record = this.pairer.response(legacy);
        if (record) out.push(record);
        else this.report({ kind: 'unpaired', location, message: `legacy response line for id "${legacy.id}" without its request line (skipped)` });
      }
      return;
    }
    this.problem('malformed', location, `neither a JSON audit event nor a legacy audit line: ${shorten(line)}`);
  }

  public problem(kind: LogProblem['kind'], location: LogLocation, message: string): void {
    this.report({ kind, location, message });
  }
}

/**
 * The records of `inputs`, read one after another, in batches (one per chunk read). Legacy request
 * lines are held until their response line arrives (possibly in a later input); requests never
 * answered come last, with stage `RequestReceived`.
 * @throws AuditLogError with `strict`, at the first malformed or unreadable line
 */
export async function* readAuditBatches(inputs: Iterable<LogInput>, options: ReadOptions = {}): AsyncGenerator<AuditRecord[]> {
  const onProblem = options.onProblem ?? (() => undefined);
  const report = (p: LogProblem) => {
    if (options.strict && p.kind !== 'unpaired') throw new AuditLogError(p);
    onProblem(p);
  };
  const pairer = new LegacyPairer();
  const reader = new LineReader(pairer, report);
  for (const input of inputs) {
    let lineNumber = 0;
    try {
      for await (const lines of lineBatches(input.open())) {
        const out: AuditRecord[] = [];
        for (const line of lines) {
          lineNumber++;
          reader.read(line, { file: input.name, line: lineNumber }, out);
        }
        if (out.length > 0) yield out;
      }
    } catch (e) {
      if (e instanceof AuditLogError) throw e;
      reader.problem('unreadable', { file: input.name, line: lineNumber + 1 },
        `reading stopped: ${(e as Error).message} (a missing file, or a truncated or corrupt gzip file?); the rest of this input is skipped`);
    }
  }
  const unanswered = pairer.drain();
  if (unanswered.length > 0) yield unanswered;
}

/** The records of `inputs` one by one (a convenience over {@link readAuditBatches}). */
export async function* readAuditRecords(inputs: Iterable<LogInput>, options: ReadOptions = {}): AsyncGenerator<AuditRecord> {
  for await (const batch of readAuditBatches(inputs, options)) yield* batch;
}
