/** Wrapping help text to the terminal's width, at spaces, with a hanging indent for continuation lines. */

/** The width help is wrapped to when stdout is not a terminal. */
export const DEFAULT_HELP_WIDTH = 80;

/** Help is never wrapped narrower than this (a very narrow terminal gets long lines instead of one word per line). */
const MIN_TEXT_WIDTH = 20;

/**
 * `first` followed by `text`, as lines of at most `width` characters broken at spaces in `text`;
 * continuation lines start with `indent` spaces. A word longer than a line stays whole, and every
 * line holds at least one word.
 * @param first what starts the first line (a flag's names, say); its length counts
 */
export function wrapLine(first: string, text: string, width: number, indent: number): string {
  const limit = Math.max(width, indent + MIN_TEXT_WIDTH);
  const lines: string[] = [];
  let current = first;
  let empty = true;
  for (const word of text.split(' ').filter((w) => w !== '')) {
    const joined = empty ? `${current}${word}` : `${current} ${word}`;
    if (empty || joined.length <= limit) {
      current = joined;
      empty = false;
      continue;
    }
    lines.push(current);
    current = `${' '.repeat(indent)}${word}`;
  }
  lines.push(current);
  return lines.join('\n');
}

/**
 * Help paragraphs wrapped to `width`: a paragraph (lines of prose up to a blank or indented line)
 * with a line longer than `width` is joined and wrapped again; paragraphs that fit, and lines that
 * start with a space (examples, lists, commands to copy), are left as written.
 */
export function wrapParagraphs(text: string, width: number): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.some((l) => l.length > width)) out.push(wrapLine('', paragraph.join(' '), width, 0));
    else out.push(...paragraph);
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(' ')) {
      flush();
      out.push(line);
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return out.join('\n');
}
