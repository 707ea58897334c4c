/**
 * Line bookkeeping for the fast YAML path of `load.ts`: a multi-document stream cut into its
 * documents at the `---` lines (a document marker at column 0 always starts a document, even
 * inside a block or quoted scalar), each with the line its content starts on, and the lines
 * where the entries of a top-level `items:` sequence (a `List`, as `kubectl get -o yaml` prints)
 * begin. Pure text scanning; the parsing itself is js-yaml's.
 */

/** One document of a YAML stream. */
export interface YamlChunk {
  /** The document's text, its `---` line included. */
  readonly text: string;
  /** The 1-based line of the stream that `text` starts on. */
  readonly startLine: number;
  /**
   * The 1-based line of the stream its content starts on (the first line that is not blank, a
   * comment or a bare `---`); `undefined` for an empty document.
   */
  readonly contentLine?: number;
}

/** Whether `text` at `pos` is the marker `marker` followed by a blank, a line end or the end. */
function markerAt(text: string, pos: number, marker: string): boolean {
  if (!text.startsWith(marker, pos)) return false;
  const next = text.charCodeAt(pos + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

/** Whether `ch` is a space, a tab or a carriage return. */
function isBlank(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 13;
}

/** The end of the line starting at `pos` (the index of its `\n`, or the text's length). */
function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl;
}

/** Whether the line `[pos, end)` is blank or only a comment. */
function isBlankOrComment(text: string, pos: number, end: number): boolean {
  for (let i = pos; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 35) return true; // '#'
    if (ch !== 32 && ch !== 9 && ch !== 13) return false;
  }
  return true;
}

function contentLineOf(text: string, from: number, to: number, firstLine: number): number | undefined {
  let line = firstLine;
  for (let pos = from; pos < to; line++) {
    const end = Math.min(lineEnd(text, pos), to);
    const rest = markerAt(text, pos, '---') ? pos + 3 : pos;
    if (!isBlankOrComment(text, rest, end)) return line;
    pos = end + 1;
  }
  return undefined;
}

/**
 * Cuts a YAML stream into its documents at the lines starting with `---`.
 * @returns the documents in order, or `undefined` when the stream has directives (`%YAML`) or
 *   document end markers (`...`), which the caller leaves to a full YAML parser
 */
export function splitYamlDocuments(text: string): YamlChunk[] | undefined {
  if (/^(%|\.\.\.(?:[ \t\r]|$))/m.test(text)) return undefined;
  const starts: number[] = [0];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  for (let m = marker.exec(text); m; m = marker.exec(text)) if (m.index > 0) starts.push(m.index);
  const chunks: YamlChunk[] = [];
  let line = 1;
  let counted = 0;
  for (let i = 0; i < starts.length; i++) {
    const from = starts[i];
    const to = i + 1 < starts.length ? starts[i + 1] : text.length;
    for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < from; nl = text.indexOf('\n', nl + 1)) line++;
    counted = from;
    const contentLine = contentLineOf(text, from, to, line);
    chunks.push({ text: text.slice(from, to), startLine: line, ...(contentLine === undefined ? {} : { contentLine }) });
  }
  return chunks;
}

/** The entries of a document's top-level block sequence `items:`, as {@link listItems} finds them. */
export interface ListItems {
  /** The 1-based line of the stream each entry starts on. */
  readonly lines: readonly number[];
  /** The offset in the chunk's text of the start of each entry's first line (its indentation included). */
  readonly offsets: readonly number[];
  /** The offset where the `items:` key's line ends: the entries follow it. */
  readonly keyEnd: number;
  /** The offset just after the last line of the sequence (entries, and comments or blanks among them). */
  readonly end: number;
}

/**
 * The entries of the document's top-level block sequence `items:` (the key at column 0, its
 * entries `- ` at one indentation), as `kubectl get -o yaml` prints a `List`.
 * @param chunk the document
 * @returns where each entry starts, or `undefined` when there is no such key or it is not followed
 *   by block sequence entries (a flow sequence, a quoted key, ...)
 */
export function listItems(chunk: YamlChunk): ListItems | undefined {
  const text = chunk.text;
  const key = /^items:[ \t]*(?:#.*)?\r?$/m.exec(text);
  if (!key) return undefined;
  let line = chunk.startLine;
  for (let nl = text.indexOf('\n'); nl >= 0 && nl < key.index; nl = text.indexOf('\n', nl + 1)) line++;
  const lines: number[] = [];
  const offsets: number[] = [];
  const keyEnd = Math.min(lineEnd(text, key.index) + 1, text.length);
  let indent = -1;
  let pos = keyEnd;
  for (; pos < text.length; ) {
    line++;
    const end = lineEnd(text, pos);
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    if (!isBlankOrComment(text, i, end)) {
      const dash = text.charCodeAt(i) === 45 && (i + 1 === end || isBlank(text.charCodeAt(i + 1)));
      if (indent < 0) {
        if (!dash) return undefined;
        indent = i - pos;
      }
      if (i - pos < indent || (i - pos === indent && !dash)) break;
      if (i - pos === indent) {
        lines.push(line);
        offsets.push(pos);
      }
    }
    pos = Math.min(end + 1, text.length);
  }
  return lines.length === 0 ? undefined : { lines, offsets, keyEnd, end: pos };
}
