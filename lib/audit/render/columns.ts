/** Aligned text columns, as kubectl prints tables: upper-case headers, two spaces between columns. */

/**
 * Renders rows under headers with every column padded to its widest cell; the last column is not
 * padded. Ends with a newline.
 */
export function renderColumns(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => rows.reduce((w, row) => Math.max(w, (row[i] ?? '').length), h.length));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}
