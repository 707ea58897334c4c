/**
 * Reading Go `%q` strings, as the legacy audit log writes its values (`user="alice"`,
 * `groups="\"system:masters\",\"system:authenticated\""`).
 */

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/**
 * Reads one Go-quoted string starting at `text[start] === '"'`.
 * @returns the value and the index after the closing quote, or `undefined` when the quoting is broken
 */
export function readGoQuoted(text: string, start: number): { value: string; end: number } | undefined {
  if (text[start] !== '"') return undefined;
  let out = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { value: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) return undefined;
    if (SIMPLE_ESCAPES[e] !== undefined) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(i + 2, i + 2 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return undefined;
      out += e === 'x' ? String.fromCharCode(parseInt(hex, 16)) : String.fromCodePoint(parseInt(hex, 16));
      i += 2 + width;
    } else if (/[0-7]/.test(e)) {
      const oct = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) return undefined;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 4;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Reads `key="value" key2="value2" ...` pairs (values Go-quoted) into a map.
 * @returns the pairs, or `undefined` when the text is not such a list
 */
export function readGoQuotedPairs(text: string): Map<string, string> | undefined {
  const pairs = new Map<string, string>();
  let i = 0;
  for (;;) {
    while (text[i] === ' ') i++;
    if (i >= text.length) return pairs;
    const eq = text.indexOf('=', i);
    if (eq < 0) return undefined;
    const key = text.slice(i, eq);
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(key)) return undefined;
    const read = readGoQuoted(text, eq + 1);
    if (!read) return undefined;
    pairs.set(key, read.value);
    i = read.end;
    if (i < text.length && text[i] !== ' ') return undefined;
  }
}
