/**
 * Files that are JSON documents rather than JSON lines: a pretty-printed `EventList` (or several,
 * one after another), `gcloud logging read --format=json`'s array of entries, an `aws logs
 * filter-log-events` answer. The text is fed line by line and cut into top-level values without
 * parsing it (strings and nesting are tracked), so each value can be parsed on its own; the
 * elements of a top-level array come out one by one, so a long array costs one element of memory.
 * A value longer than the limit is skipped with a problem, scanning on to its end.
 */

/**
 * The most characters one JSON value may have: an EventList the webhook batches (400 events by
 * default) fits many times over; anything larger is refused rather than held in memory.
 */
export const MAX_DOCUMENT_CHARS = 64 * 1024 * 1024;

/** A complete top-level value, or why one was skipped. */
export type DocumentPiece =
  | { readonly kind: 'value'; readonly text: string; readonly line: number }
  | { readonly kind: 'problem'; readonly message: string; readonly line: number };

/**
 * True when a file whose first non-blank line is `line` is read as JSON documents: the line opens
 * an array, or opens an object it does not close (`{` alone, or `{"kind": "EventList",`).
 */
export function startsJsonDocument(line: string): boolean {
  const t = line.trim();
  if (t.startsWith('[')) return true;
  if (!t.startsWith('{')) return false;
  return t === '{' || /[{[,:]$/.test(t);
}

/** Cuts fed lines into top-level JSON values. */
export class JsonDocumentSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside a top-level array, whose elements are the values. */
  private inTopArray = false;
  private parts: string[] = [];
  private size = 0;
  private startLine = 0;
  private oversize = false;

  /** @param maxChars the most characters one value may have (default {@link MAX_DOCUMENT_CHARS}) */
  constructor(private readonly maxChars = MAX_DOCUMENT_CHARS) {}

  /** Feeds one line (without its terminator) numbered `lineNumber`; returns what it completes. */
  public feed(line: string, lineNumber: number): DocumentPiece[] {
    const out: DocumentPiece[] = [];
    let segment = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.depth === 0) {
        if (c === 32 || c === 9 || c === 13) continue;
        if (this.inTopArray && c === 44 /* , */) continue;
        if (this.inTopArray && c === 93 /* ] */) {
          this.inTopArray = false;
          continue;
        }
        if (c === 91 /* [ */ && !this.inTopArray) {
          this.inTopArray = true;
          continue;
        }
        if (c !== 123 /* { */ && c !== 91 /* [ */) {
          out.push({ kind: 'problem', message: `text outside any JSON object: ${JSON.stringify(line.slice(i, i + 40))} (the rest of the line is skipped)`, line: lineNumber });
          return out;
        }
        this.startLine = lineNumber;
        this.parts = [];
        this.size = 0;
        this.oversize = false;
        this.depth = 1;
        segment = i;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 92 /* \ */) this.escaped = true;
        else if (c === 34 /* " */) this.inString = false;
        continue;
      }
      if (c === 34) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 /* } */ || c === 93 /* ] */) {
        this.depth--;
        if (this.depth === 0) {
          this.append(line.slice(segment, i + 1));
          segment = -1;
          out.push(this.finish());
        }
      }
    }
    if (this.depth > 0 && segment >= 0) this.append(`${line.slice(segment)}\n`);
    return out;
  }

  /** The end of the input: a problem when a value is still open. */
  public end(): DocumentPiece[] {
    if (this.depth === 0) return [];
    this.depth = 0;
    this.parts = [];
    return [{ kind: 'problem', message: 'the input ends inside a JSON document that starts here (truncated file?)', line: this.startLine }];
  }

  private append(text: string): void {
    if (this.oversize) return;
    this.size += text.length;
    if (this.size > this.maxChars) {
      this.oversize = true;
      this.parts = [];
      return;
    }
    this.parts.push(text);
  }

  private finish(): DocumentPiece {
    const parts = this.parts;
    this.parts = [];
    if (this.oversize) {
      const mib = Math.round(this.maxChars / (1024 * 1024));
      return {
        kind: 'problem', line: this.startLine,
        message: `a JSON document of more than ${mib} MiB, skipped (write it as JSON lines instead, e.g. jq -c '.items[]')`,
      };
    }
    return { kind: 'value', text: parts.join(''), line: this.startLine };
  }
}
