/**
 * Terminal colours, applied only when the caller decided to colour (stdout is a TTY and `NO_COLOR`
 * is unset, see `wantsColor`); otherwise every function returns its text unchanged.
 */

/** Paints text for the terminal (or not). */
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
}

const sgr = (code: number) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const plain = (text: string) => text;

/** A style that colours when `color` is true and leaves text alone otherwise. */
export function makeStyle(color: boolean): Style {
  return color
    ? { color, ok: sgr(32), bad: sgr(31), partial: sgr(33), heading: sgr(1) }
    : { color, ok: plain, bad: plain, partial: plain, heading: plain };
}
