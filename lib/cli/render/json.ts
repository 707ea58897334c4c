/** JSON output (`--output json`): two-space indentation, a final newline, never colours. */

/** Renders `value` as indented JSON followed by a newline. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
