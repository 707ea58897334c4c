/** Aligned text columns, as kubectl prints tables: upper-case headers, two spaces between columns. */

/** Text for one cell as it will be printed (e.g. a terminal's escaping of control characters). */
export type CellText = (text: string) => string;

const asIs: CellText = (text) => text;

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

function line(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
}

function widen(widths: number[], cells: readonly string[]): void {
  for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i], Math.min((cells[i] ?? '').length, MAX_COLUMN_WIDTH));
}

/**
 * Renders rows under headers with every column padded to its widest cell (at most
 * {@link MAX_COLUMN_WIDTH}); the last column is not padded; cells are cut to {@link MAX_CELL_CHARS}.
 * Ends with a newline.
 * @param cellText applied to every cell first
 * @default cellText - the text as it is
 */
export function renderColumns(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, cellText: CellText = asIs): string {
  return [...columnBlocks(headers, rows, cellText)].join('');
}

/**
 * {@link renderColumns}'s text in pieces of at most {@link COLUMN_STREAM_BLOCK} lines, for a writer:
 * a table of many rows never has to fit in one string.
 * @param cellText applied to every cell first
 * @default cellText - the text as it is
 */
export function* columnBlocks(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, cellText: CellText = asIs): Generator<string> {
  const cells = rows.map((row) => row.map((c) => capCell(cellText(c))));
  const widths = headers.map((h) => h.length);
  for (const row of cells) widen(widths, row);
  let block = `${line(headers, widths)}\n`;
  for (let i = 0; i < cells.length; i++) {
    block += `${line(cells[i], widths)}\n`;
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
  private readonly widths: number[];
  private held: string[][] | undefined = [];
  private count = 0;

  /**
   * @param headers the column headers
   * @param cellText applied to every cell first
   * @param block rows held to measure the columns
   * @default cellText - the text as it is
   * @default block {@link COLUMN_STREAM_BLOCK}
   */
  constructor(private readonly headers: readonly string[], private readonly cellText: CellText = asIs, private readonly block = COLUMN_STREAM_BLOCK) {
    this.widths = headers.map((h) => h.length);
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
    widen(this.widths, cells);
    if (this.held === undefined) return `${line(cells, this.widths)}\n`;
    this.held.push(cells);
    return this.held.length >= this.block ? this.flush() : '';
  }

  /** The rows still held (all of them for a short table, with the headers); `""` after the first block. */
  public end(): string {
    return this.held === undefined ? '' : this.flush();
  }

  private flush(): string {
    const held = this.held ?? [];
    this.held = undefined;
    return [line(this.headers, this.widths), ...held.map((row) => line(row, this.widths))].join('\n') + '\n';
  }
}
