/**
 * Plain-text tables as kubectl prints them: columns aligned with spaces (widths from the unpainted
 * text, so colours never misalign them), no trailing spaces. Every cell goes through the terminal
 * escaping rule, so a name holding a newline or an escape sequence stays inside its cell. The
 * style's table layout drops the heading row (`--no-headers`) and fits the table to the terminal's
 * width, cutting the widest columns' cells with `…` (see `fit.ts`).
 */
import { fitWidths, truncate } from '../../rbac/views/fit';
import { Style } from './style';
import { terminalText } from './terminal-text';

/** A table cell: plain text, or text with a paint function applied after alignment. */
export type Cell = string | { readonly text: string; readonly paint: (text: string) => string };

const GAP = '   ';

function textOf(cell: Cell): string {
  return terminalText(typeof cell === 'string' ? cell : cell.text);
}

/**
 * Renders a table with a heading row (unless `style.table.headers` is off), each line ending in a newline.
 * @param headings the column headings (painted with `style.heading`)
 * @param rows the rows; each as long as `headings`
 */
export function renderTable(headings: readonly string[], rows: readonly (readonly Cell[])[], style: Style): string {
  const natural = headings.map((h, i) => Math.max(h.length, ...rows.map((r) => textOf(r[i] ?? '').length)));
  const { width: maxWidth, headers } = style.table;
  const widths = maxWidth === undefined ? natural : fitWidths(natural, headings.map((h) => h.length), GAP.length, maxWidth);
  const line = (cells: readonly Cell[], paintAll?: (t: string) => string) => cells
    .map((cell, i) => {
      const text = truncate(textOf(cell), widths[i]);
      const painted = typeof cell === 'string' ? (paintAll ? paintAll(text) : text) : cell.paint(text);
      return i === cells.length - 1 ? painted : painted + ' '.repeat(widths[i] - text.length);
    })
    .join(GAP)
    .trimEnd();
  const lines = [...(headers ? [line(headings, style.heading)] : []), ...rows.map((r) => line(r))];
  return lines.map((l) => `${l}\n`).join('');
}
