/**
 * The one escaping rule for every piece of text the CLI prints for people (tables, who-can,
 * matrix, graphs, explanations, errors and warnings): names from manifests and audit logs are
 * data, so a character that could move the cursor, ring the bell, start an escape sequence, break
 * a line (a fake table row) or reverse the text direction (bidi overrides) is shown as a visible
 * escape (`\x1b`, `\n`, `\u202e`) instead of being sent to the terminal. JSON output is never
 * passed through here: it stays exact.
 */

/**
 * C0 controls (tab and newline included: inside a cell or a message they would fake columns and
 * rows), DEL, C1 controls, the Unicode line and paragraph separators, the bidi embeddings,
 * overrides, isolates and marks, and the byte-order mark.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` safe to print on a terminal as one line: every unsafe character is replaced by its
 * visible escape; everything else (including non-Latin names and emoji) is left as it is.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/**
 * Multi-line text safe to print: each line escaped with {@link terminalText}, the line breaks
 * the CLI itself put between them kept. Use it for text the CLI assembled from lines, never for
 * a single value (a value's own newlines must be escaped).
 * @param lines the lines, without their newlines
 * @returns the lines, each followed by a newline
 */
export function terminalLines(lines: readonly string[]): string {
  return lines.map((l) => `${terminalText(l)}\n`).join('');
}
