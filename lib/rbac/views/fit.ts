/**
 * Fitting a text table (the CLI's tables, the audit table and summary) to the terminal: the widest
 * columns are narrowed until the line fits, and a cell longer than its column is cut with a visible
 * `…`. The CLI asks for it only on a terminal: piped output is never cut (as kubectl, whose tables
 * are never truncated), so scripts always read whole values.
 */

/** The marker at the end of a cut cell. */
export const TRUNCATION_MARK = '…';

/** No column is narrowed below this (or its heading, if longer). */
export const MIN_COLUMN_WIDTH = 8;

/**
 * Column widths that fit `maxWidth` with `gap` characters between columns: the widest column is
 * narrowed first (then the next widest, and so on), never below its heading or
 * {@link MIN_COLUMN_WIDTH}; when even that does not fit, the narrowest widths reachable are returned.
 * @param widths each column's natural width (its widest cell)
 * @param headings each column's heading width (a floor)
 */
export function fitWidths(widths: readonly number[], headings: readonly number[], gap: number, maxWidth: number): number[] {
  const floors = widths.map((w, i) => Math.min(w, Math.max(headings[i], MIN_COLUMN_WIDTH)));
  // No column is wider than the whole line: an enormous cell costs no more than a long one.
  const fitted = widths.map((w, i) => Math.max(floors[i], Math.min(w, maxWidth)));
  let excess = fitted.reduce((a, b) => a + b, 0) + gap * Math.max(0, fitted.length - 1) - maxWidth;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < fitted.length; i++) {
      if (fitted[i] > floors[i] && (widest < 0 || fitted[i] > fitted[widest])) widest = i;
    }
    if (widest < 0) break;
    fitted[widest]--;
    excess--;
  }
  return fitted;
}

/** `text` cut to `width` characters, its last one the {@link TRUNCATION_MARK}, when longer. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}${TRUNCATION_MARK}`;
}
