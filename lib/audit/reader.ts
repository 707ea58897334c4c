/**
 * Reading audit records from any number of inputs, in order, with constant memory: JSON lines
 * (`audit.k8s.io` events of any version, EventLists, cloud exports) and legacy text lines (even
 * mixed), each line checked on its own; or, when a file's first line opens a JSON document,
 * pretty-printed documents one after another. Bad lines become {@link LogProblem}s with file:line,
 * reported through `onProblem` and skipped, or thrown as {@link AuditLogError} with `strict`.
 */
import { AuditLogError } from './errors';
import { JsonDocumentSplitter, startsJsonDocument } from './formats/document';
import { LegacyLine, LegacyPairer } from './legacy';
import { LineReading, readJsonText, readLine } from './line';
import { DEFAULT_MAX_LINE_BYTES, lineBatches, overlongMessage } from './lines';
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
   * The longest line read, in bytes; a longer one is skipped unread and reported as malformed
   * (so `strict` stops there). Bounds memory and keeps time linear on hostile input.
   * @default 16 MiB (`DEFAULT_MAX_LINE_BYTES`)
   */
  readonly maxLineBytes?: number;
  /**
   * Told about every skipped line.
   * @default - problems are dropped
   */
  readonly onProblem?: (problem: LogProblem) => void;
}

/** Reads lines in order: records out, legacy halves paired, problems reported. */
export class LineReader {
  /**
   * @param pairer pairs legacy request and response lines (across inputs)
   * @param report told about every problem (and may throw, in strict mode)
   */
  constructor(private readonly pairer: LegacyPairer, private readonly report: (p: LogProblem) => void) {}

  /** Reads one line found at `location`, appending what it completes to `out`. */
  public read(line: string, location: LogLocation, out: AuditRecord[]): void {
    this.take(readLine(line, location), location, out);
  }

  /** Takes the reading of a line found at `location`, appending what it completes to `out`. */
  public take(reading: LineReading, location: LogLocation, out: AuditRecord[]): void {
    switch (reading.kind) {
      case 'record':
        out.push(reading.record);
        return;
      case 'items':
        for (const item of reading.items) {
          if ('record' in item) out.push(item.record);
          else this.problem('malformed', item.location, item.problem);
        }
        return;
      case 'blank':
        return;
      case 'malformed':
        this.problem('malformed', location, reading.message);
        return;
      case 'legacy':
        this.legacy(reading.line, location, out);
    }
  }

  /** Reports a problem at `location`. */
  public problem(kind: LogProblem['kind'], location: LogLocation, message: string): void {
    this.report({ kind, location, message });
  }

  private legacy(legacy: LegacyLine, location: LogLocation, out: AuditRecord[]): void {
    if (legacy.type === 'event') {
      out.push(legacy.record);
      return;
    }
    if (legacy.type === 'request') {
      const given = this.pairer.request(legacy);
      if (given) out.push(given);
      return;
    }
    const record = this.pairer.response(legacy);
    if (record) out.push(record);
    else this.report({ kind: 'unpaired', location, message: `legacy response line for id "${legacy.id}" without its request line` });
  }
}

/**
 * One input's lines through a {@link LineReader}: the first non-blank line decides whether the
 * input is read line by line or as JSON documents (see `formats/document.ts`).
 */
export class InputReader {
  private splitter: JsonDocumentSplitter | undefined;
  private isDecided = false;

  /**
   * @param reader the run's line reader
   * @param file the input's name, for locations
   */
  constructor(private readonly reader: LineReader, private readonly file: string) {}

  /** True once a non-blank line has decided the input's mode. */
  public get decided(): boolean {
    return this.isDecided;
  }

  /**
   * Decides the input's mode from its first non-blank line (blank lines leave it undecided).
   * @returns true when the input is read as JSON documents
   */
  public decide(line: string): boolean {
    if (!this.isDecided && line.trim() !== '') {
      this.isDecided = true;
      if (startsJsonDocument(line)) this.splitter = new JsonDocumentSplitter();
    }
    return this.splitter !== undefined;
  }

  /** Reads line `lineNumber` of the input, appending what it completes to `out`. */
  public read(line: string, lineNumber: number, out: AuditRecord[]): void {
    this.decide(line);
    if (!this.splitter) {
      this.reader.read(line, { file: this.file, line: lineNumber }, out);
      return;
    }
    for (const piece of this.splitter.feed(line, lineNumber)) {
      const location = { file: this.file, line: piece.line };
      if (piece.kind === 'problem') this.reader.problem('malformed', location, piece.message);
      else this.reader.take(readJsonText(piece.text, location), location, out);
    }
  }

  /**
   * A line too long to read (see `lines.ts`), reported as malformed. Inside a JSON document the
   * document cannot be followed past it: it is dropped, and reading starts afresh after the line.
   */
  public overlong(lineNumber: number, message: string): void {
    this.isDecided = true;
    if (this.splitter) this.splitter = new JsonDocumentSplitter();
    this.reader.problem('malformed', { file: this.file, line: lineNumber }, message);
  }

  /** The end of the input: reports a JSON document left open. */
  public end(): void {
    for (const piece of this.splitter?.end() ?? []) {
      if (piece.kind === 'problem') this.reader.problem('malformed', { file: this.file, line: piece.line }, piece.message);
    }
  }
}

/** The problem reporter of {@link ReadOptions}: throws {@link AuditLogError} in strict mode, except for unpaired legacy lines. */
export function problemReporter(options: ReadOptions): (p: LogProblem) => void {
  const onProblem = options.onProblem ?? (() => undefined);
  return (p) => {
    if (options.strict && p.kind !== 'unpaired') throw new AuditLogError(p);
    onProblem(p);
  };
}

/** The message for an input that stopped being readable (a truncated gzip file, a read error). */
export function unreadableMessage(error: unknown): string {
  return `reading stopped: ${(error as Error).message} (a missing file, or a truncated or corrupt gzip file?); the rest of this input is skipped`;
}

/**
 * The records of `inputs`, read one after another, in batches (one per chunk read). Legacy request
 * lines are held until their response line arrives (possibly in a later input); requests never
 * answered come last, with stage `RequestReceived`.
 * @throws AuditLogError with `strict`, at the first malformed or unreadable line
 */
export async function* readAuditBatches(inputs: Iterable<LogInput>, options: ReadOptions = {}): AsyncGenerator<AuditRecord[]> {
  const pairer = new LegacyPairer();
  const reader = new LineReader(pairer, problemReporter(options));
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  for (const input of inputs) {
    const lines = new InputReader(reader, input.name);
    let lineNumber = 0;
    let out: AuditRecord[] = [];
    try {
      for await (const batch of lineBatches(input.open(), max)) {
        for (const line of batch) {
          lineNumber++;
          if (typeof line === 'string') lines.read(line, lineNumber, out);
          else lines.overlong(lineNumber, overlongMessage(line, max));
        }
        if (out.length > 0) yield out;
        out = [];
      }
      lines.end();
    } catch (e) {
      if (!(e instanceof AuditLogError)) {
        reader.problem('unreadable', { file: input.name, line: lineNumber + 1 }, unreadableMessage(e));
        continue;
      }
      // Strict mode stops here: what the lines before the bad one completed is still the caller's.
      if (out.length > 0) yield out;
      throw e;
    }
  }
  const unanswered = pairer.drain();
  if (unanswered.length > 0) yield unanswered;
}

/** The records of `inputs` one by one (a convenience over {@link readAuditBatches}). */
export async function* readAuditRecords(inputs: Iterable<LogInput>, options: ReadOptions = {}): AsyncGenerator<AuditRecord> {
  for await (const batch of readAuditBatches(inputs, options)) yield* batch;
}
