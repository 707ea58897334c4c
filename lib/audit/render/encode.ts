/**
 * The one rule for text that reaches generated YAML or TypeScript: values are data, never code.
 * Strings from an audit log or a manifest go into YAML only through the YAML library (quoted as it
 * needs) and into TypeScript only as {@link tsString} literals. Comments are written by us; when a
 * comment mentions a value, {@link commentText} makes it one inert line: every character outside
 * printable ASCII (line breaks, U+2028/U+2029, U+0085, bidi controls, ...) becomes a `\u{...}`
 * escape and `*\/` cannot close a block comment.
 */

/** Characters that may stay as they are in a comment: printable ASCII. */
const UNSAFE_IN_COMMENT = /[^\x20-\x7e]/gu;

/** `text` as inert comment text: printable ASCII only (others escaped as `\u{hex}`), no `*\/`. */
export function commentText(text: string): string {
  return text
    .replace(UNSAFE_IN_COMMENT, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`)
    .replace(/\*\//g, '*\\/');
}

/** Lines of text as comment lines with `prefix` (e.g. `# ` or `// `), each line made inert. */
export function commentLines(text: string, prefix: string): string {
  if (text === '') return '';
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  return lines.map((l) => `${prefix}${commentText(l)}`.trimEnd() + '\n').join('');
}

/**
 * `value` as a single-quoted TypeScript string literal: JSON's escaping (backslashes, control
 * characters) with `'` escaped instead of `"`, plus U+2028 and U+2029, which JSON leaves raw and
 * older parsers take as line breaks.
 */
export function tsString(value: string): string {
  const body = JSON.stringify(value).slice(1, -1)
    .replace(/\\.|'/gs, (m) => (m === '\\"' ? '"' : m === "'" ? "\\'" : m))
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `'${body}'`;
}
