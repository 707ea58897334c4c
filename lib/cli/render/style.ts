/**
 * How output is laid out for where it goes: terminal colours, applied only when the caller decided
 * to colour (see `wantsColor`; otherwise every paint function returns its text unchanged), and the
 * table layout (`--no-headers`, the terminal's width).
 */

/** How tables are laid out. */
export interface TableLayout {
  /** Whether to print the heading row (`--no-headers` turns it off). */
  readonly headers: boolean;
  /**
   * The width to fit tables to (the terminal's columns); cells of the widest columns are cut with `…`.
   * @default - no limit (output that is not a terminal is never cut)
   */
  readonly width?: number;
}

/** Paints text for the terminal (or not), and lays out tables. */
export interface Style {
  /** Whether colours are on. */
  readonly color: boolean;
  /** An allowed answer (green). */
  readonly ok: (text: string) => string;
  /** A denied answer (red). */
  readonly bad: (text: string) => string;
  /** A partial answer, e.g. only some names (yellow). */
  readonly partial: (text: string) => string;
  /** A table heading (bold). */
  readonly heading: (text: string) => string;
  /** The table layout. */
  readonly table: TableLayout;
}

const sgr = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

/** Headings on, no width limit. */
export const DEFAULT_TABLE_LAYOUT: TableLayout = { headers: true };

/**
 * A style that colours when `color` is true and leaves text alone otherwise.
 * @default table {@link DEFAULT_TABLE_LAYOUT}
 */
export function makeStyle(color: boolean, table: TableLayout = DEFAULT_TABLE_LAYOUT): Style {
  return color
    ? { color, ok: sgr(32), bad: sgr(31), partial: sgr(33), heading: sgr(1), table }
    : { color, ok: plain, bad: plain, partial: plain, heading: plain, table };
}
