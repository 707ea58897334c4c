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

const GAP = 2;

function line(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => {
    const text = truncate(c, widths[i]);
    return i === cells.length - 1 ? text : text.padEnd(widths[i]);
  }).join(' '.repeat(GAP)).trimEnd();
}

/** The widths to write with: `natural`, or fitted to `format.width`. */
function layoutWidths(headers: readonly string[], natural: readonly number[], format: ColumnFormat): readonly number[] {
  return format.width === undefined ? natural : fitWidths(natural, headers.map((h) => h.length), GAP, format.width);
}

function widen(widths: number[], cells: readonly string[]): void {
  for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], (cells[i] ?? '').length);
}

/**
 * Renders rows under headers with every column padded to its widest cell; the last column is not
 * padded. Ends with a newline.
 * @param format cell text, header row, width
 * @default format - cells as they are, with the header row, no width limit
 */
export function renderColumns(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, format: ColumnFormat = {}): string {
  const cells = rows.map((row) => row.map(format.cellText ?? asIs));
  const natural = headers.map((h) => h.length);
  for (const row of cells) widen(natural, row);
  const widths = layoutWidths(headers, natural, format);
  return [...(format.headers === false ? [] : [line(headers, widths)]), ...cells.map((row) => line(row, widths))].map((l) => `${l}\n`).join('');
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
    const cells = row.map(this.cellText);
    this.count++;
    if (this.widen(cells) && this.format.width !== undefined) this.widths = layoutWidths(this.headers, this.natural, this.format);
    if (this.held === undefined) return `${line(cells, this.widths)}\n`;
    this.held.push(cells);
    return this.held.length >= this.block ? this.flush() : '';
  }

  /** The rows still held (all of them for a short table, with the headers); `""` after the first block. */
  public end(): string {
    return this.held === undefined ? '' : this.flush();
  }

  /** Widens the natural widths for `cells`; true when one grew. */
  private widen(cells: readonly string[]): boolean {
    let grew = false;
    for (let i = 0; i < this.natural.length; i++) {
      const w = (cells[i] ?? '').length;
      if (w > this.natural[i]) {
        this.natural[i] = w;
        grew = true;
      }
    }
    if (grew && this.format.width === undefined) this.widths = this.natural;
    return grew;
  }

  private flush(): string {
    const held = this.held ?? [];
    this.held = undefined;
    const lines = [...(this.format.headers === false ? [] : [line(this.headers, this.widths)]), ...held.map((row) => line(row, this.widths))];
    return lines.map((l) => `${l}\n`).join('');
  }
}
