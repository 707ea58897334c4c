/**
 * Aligned text columns, as kubectl prints tables: upper-case headers, two spaces between columns;
 * optionally without the header row (`--no-headers`) and fitted to a width (the widest columns'
 * cells cut with `…`).
 */
import { fitWidths, truncate } from '../../rbac/views/fit';

/** Text for one cell as it will be printed (e.g. a terminal's escaping of control characters). */
export type CellText = (text: string) => string;

/** How columns are written. */
export interface ColumnFormat {
  /**
   * Applied to every cell first.
   * @default - the text as it is
   */
  readonly cellText?: CellText;
  /**
   * Whether to write the header row.
   * @default true
   */
  readonly headers?: boolean;
  /**
   * The width to fit lines to (a terminal's columns): the widest columns are narrowed and their cells cut with `…`.
   * @default - no limit
   */
  readonly width?: number;
}

const asIs: CellText = (text) => text;

/** A {@link ColumnFormat}, or (as before it existed) only the cell text function. */
export type ColumnFormatLike = ColumnFormat | CellText;

/** `format` as a {@link ColumnFormat}: a bare function is the cell text. */
export function columnFormat(format: ColumnFormatLike | undefined): ColumnFormat {
  return typeof format === 'function' ? { cellText: format } : format ?? {};
}

/**
 * The widest a column is padded to. A longer cell overflows its own row and leaves the others
 * alone: one forged object name must not pad every row of the table.
 */
export const MAX_COLUMN_WIDTH = 80;

/**
 * The most characters a cell shows; a longer one is cut, saying how many characters were left out
 * (`-o json` has them all). Keeps every line, and the first rows held to measure the columns, far
 * below the longest string JavaScript can build, whatever a log holds.
 */
export const MAX_CELL_CHARS = 1024;

/** `text` cut to {@link MAX_CELL_CHARS} (never inside a surrogate pair), with a note of what was cut. */
export function capCell(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  let end = MAX_CELL_CHARS;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  let left = 0;
  for (const _c of text.slice(end)) left++; // characters, not UTF-16 units
  return `${text.slice(0, end)}...(${left} more characters)`;
}

const GAP = 2;

/** One line; cells are cut with `…` to their column only when `fit` (a width was asked for). */
function line(cells: readonly string[], widths: readonly number[], fit: boolean): string {
  return cells.map((c, i) => {
    const text = fit ? truncate(c, widths[i]) : c;
    return i === cells.length - 1 ? text : text.padEnd(widths[i]);
  }).join(' '.repeat(GAP)).trimEnd();
}

/** The widths to write with: `natural`, or fitted to `format.width`. */
function layoutWidths(headers: readonly string[], natural: readonly number[], format: ColumnFormat): readonly number[] {
  return format.width === undefined ? natural : fitWidths(natural, headers.map((h) => h.length), GAP, format.width);
}

/** A column is padded to at most {@link MAX_COLUMN_WIDTH}: a longer cell overflows its own row only. */
function widen(widths: number[], cells: readonly string[]): boolean {
  let grew = false;
  for (let i = 0; i < widths.length; i++) {
    const w = Math.min((cells[i] ?? '').length, MAX_COLUMN_WIDTH);
    if (w > widths[i]) {
      widths[i] = w;
      grew = true;
    }
  }
  return grew;
}

/**
 * Renders rows under headers with every column padded to its widest cell (at most
 * {@link MAX_COLUMN_WIDTH}); the last column is not padded; cells are cut to {@link MAX_CELL_CHARS}.
 * Ends with a newline.
 * @param format cell text, header row, width
 * @default format - cells as they are, with the header row, no width limit
 */
export function renderColumns(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, format: ColumnFormat = {}): string {
  return [...columnBlocks(headers, rows, format)].join('');
}

/**
 * {@link renderColumns}'s text in pieces of at most {@link COLUMN_STREAM_BLOCK} lines, for a writer:
 * a table of many rows never has to fit in one string.
 * @param format cell text, header row, width
 * @default format - cells as they are, with the header row, no width limit
 */
export function* columnBlocks(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, format: ColumnFormat = {}): Generator<string> {
  const cellText = format.cellText ?? asIs;
  const cells = rows.map((row) => row.map((c) => capCell(cellText(c))));
  const natural = headers.map((h) => h.length);
  for (const row of cells) widen(natural, row);
  const widths = layoutWidths(headers, natural, format);
  const fit = format.width !== undefined;
  let block = format.headers === false ? '' : `${line(headers, widths, fit)}\n`;
  for (let i = 0; i < cells.length; i++) {
    block += `${line(cells[i], widths, fit)}\n`;
    if ((i + 2) % COLUMN_STREAM_BLOCK === 0) {
      yield block;
      block = '';
    }
  }
  if (block !== '') yield block;
}

/** Rows held before the first line of a {@link ColumnStream} is written. */
export const COLUMN_STREAM_BLOCK = 1000;

/**
 * The same columns as {@link renderColumns}, written as rows arrive with bounded memory: the first
 * `block` rows are held to measure the columns (so a table of up to `block` rows is exactly
 * {@link renderColumns}'s), then every row is written at once; a later, wider cell widens its
 * column from that row on.
 */
export class ColumnStream {
  private readonly natural: number[];
  private widths: readonly number[];
  private readonly cellText: CellText;
  private held: string[][] | undefined = [];
  private count = 0;

  /**
   * @param headers the column headers
   * @param format cell text, header row, width
   * @param block rows held to measure the columns
   * @default format - cells as they are, with the header row, no width limit
   * @default block {@link COLUMN_STREAM_BLOCK}
   */
  constructor(private readonly headers: readonly string[], private readonly format: ColumnFormat = {}, private readonly block = COLUMN_STREAM_BLOCK) {
    this.natural = headers.map((h) => h.length);
    this.widths = this.natural;
    this.cellText = format.cellText ?? asIs;
  }

  /** Rows taken so far. */
  public get rows(): number {
    return this.count;
  }

  /**
   * Takes one row.
   * @returns text to write now (`""` while the first rows are held)
   */
  public add(row: readonly string[]): string {
    const cells = row.map((c) => capCell(this.cellText(c)));
    this.count++;
    if (this.widen(cells) && this.format.width !== undefined) this.widths = layoutWidths(this.headers, this.natural, this.format);
    if (this.held === undefined) return `${line(cells, this.widths, this.format.width !== undefined)}\n`;
    this.held.push(cells);
    return this.held.length >= this.block ? this.flush() : '';
  }

  /** The rows still held (all of them for a short table, with the headers); `""` after the first block. */
  public end(): string {
    return this.held === undefined ? '' : this.flush();
  }

  /** Widens the natural widths for `cells`; true when one grew. */
  private widen(cells: readonly string[]): boolean {
    const grew = widen(this.natural, cells);
    if (grew && this.format.width === undefined) this.widths = this.natural;
    return grew;
  }

  private flush(): string {
    const held = this.held ?? [];
    this.held = undefined;
    const fit = this.format.width !== undefined;
    const lines = [...(this.format.headers === false ? [] : [line(this.headers, this.widths, fit)]), ...held.map((row) => line(row, this.widths, fit))];
    return lines.map((l) => `${l}\n`).join('');
  }
}
