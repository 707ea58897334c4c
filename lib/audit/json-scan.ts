/**
 * A validating JSON scanner that materialises only the fields a caller asks for.
 *
 * `JSON.parse` builds every nested object of an audit event (user extras, groups, annotations,
 * request and response bodies), although a report reads a dozen fields. This scanner checks the
 * whole line against the JSON grammar (RFC 8259, exactly what `JSON.parse` accepts) but builds only
 * the fields named by a {@link ScanShape}; everything else is validated and skipped. A line it
 * rejects is exactly a line `JSON.parse` rejects (the test suite checks this differentially), so
 * callers use `JSON.parse` only to word the error message.
 */

/**
 * Which fields to build: `true` builds the value whole (via `JSON.parse` of its text, so it is
 * exact); a nested shape builds an object with only those keys when the value is an object (any
 * other value is built whole).
 */
export interface ScanShape {
  readonly [key: string]: ScanShape | true;
}

/** Thrown (internally) when the text is not JSON; carries no message on purpose (it is cheap). */
class NotJson {}
const NOT_JSON = new NotJson();


/**
 * Scans `text` as one JSON value and builds only the parts in `shape`.
 * @returns the (partial) value, or `undefined` when `text` is not valid JSON (then `JSON.parse(text)` throws)
 */
export function scanJson(text: string, shape: ScanShape): unknown {
  const scanner = new Scanner(text);
  try {
    scanner.ws();
    const value = scanner.value(compile(shape));
    scanner.ws();
    if (scanner.i !== text.length) return undefined;
    return value;
  } catch (e) {
    if (e === NOT_JSON) return undefined;
    throw e;
  }
}

type Want = Map<string, Want> | true | undefined;
const compiled = new WeakMap<ScanShape, Map<string, Want>>();

function compile(shape: ScanShape): Map<string, Want> {
  let map = compiled.get(shape);
  if (!map) {
    map = new Map();
    for (const [key, sub] of Object.entries(shape)) map.set(key, sub === true ? true : compile(sub));
    compiled.set(shape, map);
  }
  return map;
}

class Scanner {
  public i = 0;
  constructor(private readonly s: string) {}

  public ws(): void {
    const s = this.s;
    let i = this.i;
    let c = s.charCodeAt(i);
    while (c === 32 || c === 9 || c === 10 || c === 13) c = s.charCodeAt(++i);
    this.i = i;
  }

  /** Parses (or skips, when `want` is undefined) one value starting at a non-space character. */
  public value(want: Want): unknown {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (want === true && (c === 123 || c === 91)) {
      const start = this.i;
      this.value(undefined);
      return JSON.parse(s.slice(start, this.i));
    }
    switch (c) {
      case 123 /* { */:
        return this.object(want === true ? undefined : want);
      case 91 /* [ */:
        if (want !== undefined) return this.value(true);
        this.array();
        return undefined;
      case 34 /* " */: {
        const start = this.i;
        const escaped = this.string();
        if (want === undefined) return undefined;
        return escaped ? JSON.parse(s.slice(start, this.i)) : s.slice(start + 1, this.i - 1);
      }
      case 116 /* t */:
        return this.literal('true', true);
      case 102 /* f */:
        return this.literal('false', false);
      case 110 /* n */:
        return this.literal('null', null);
      default: {
        const start = this.i;
        this.number();
        return want === undefined ? undefined : Number(s.slice(start, this.i));
      }
    }
  }

  private literal(word: string, value: unknown): unknown {
    if (!this.s.startsWith(word, this.i)) throw NOT_JSON;
    this.i += word.length;
    return value;
  }

  /** Skips a string starting at `"`; returns whether it held escapes. */
  private string(): boolean {
    const s = this.s;
    let escaped = false;
    this.i++;
    for (;;) {
      let i = this.i;
      let c = s.charCodeAt(i);
      while (c !== 34 && c !== 92 && c >= 32) c = s.charCodeAt(++i);
      if (c === 34) {
        this.i = i + 1;
        return escaped;
      }
      if (c !== 92) throw NOT_JSON; // a control character, or the end of the text
      escaped = true;
      const e = s.charCodeAt(i + 1);
      if (e === 117 /* u */) {
        for (let k = 2; k < 6; k++) {
          const h = s.charCodeAt(i + k);
          if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) throw NOT_JSON;
        }
        i += 6;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i += 2;
      } else {
        throw NOT_JSON;
      }
      this.i = i;
    }
  }

  /** Skips a number: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`. */
  private number(): void {
    const s = this.s;
    let i = this.i;
    if (s.charCodeAt(i) === 45) i++;
    let c = s.charCodeAt(i);
    if (c === 48) {
      c = s.charCodeAt(++i);
    } else if (c >= 49 && c <= 57) {
      do c = s.charCodeAt(++i); while (c >= 48 && c <= 57);
    } else {
      throw NOT_JSON;
    }
    if (c === 46) {
      c = s.charCodeAt(++i);
      if (!(c >= 48 && c <= 57)) throw NOT_JSON;
      do c = s.charCodeAt(++i); while (c >= 48 && c <= 57);
    }
    if (c === 101 || c === 69) {
      c = s.charCodeAt(++i);
      if (c === 43 || c === 45) c = s.charCodeAt(++i);
      if (!(c >= 48 && c <= 57)) throw NOT_JSON;
      do c = s.charCodeAt(++i); while (c >= 48 && c <= 57);
    }
    this.i = i;
  }

  private array(): void {
    const s = this.s;
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === 93) {
      this.i++;
      return;
    }
    for (;;) {
      this.value(undefined);
      this.ws();
      const c = s.charCodeAt(this.i++);
      if (c === 93) return;
      if (c !== 44) throw NOT_JSON;
      this.ws();
    }
  }

  private object(want: Map<string, Want> | undefined): Record<string, unknown> | undefined {
    const s = this.s;
    const out: Record<string, unknown> | undefined = want === undefined ? undefined : {};
    this.i++;
    this.ws();
    if (s.charCodeAt(this.i) === 125) {
      this.i++;
      return out;
    }
    for (;;) {
      if (s.charCodeAt(this.i) !== 34) throw NOT_JSON;
      const keyStart = this.i;
      const escaped = this.string();
      let sub: Want;
      let key = '';
      if (want !== undefined) {
        key = escaped ? JSON.parse(s.slice(keyStart, this.i)) : s.slice(keyStart + 1, this.i - 1);
        sub = want.get(key);
      }
      this.ws();
      if (s.charCodeAt(this.i++) !== 58 /* : */) throw NOT_JSON;
      this.ws();
      if (sub === undefined) {
        this.value(undefined);
      } else {
        out![key] = this.value(sub);
      }
      this.ws();
      const c = s.charCodeAt(this.i++);
      if (c === 125) return out;
      if (c !== 44) throw NOT_JSON;
      this.ws();
    }
  }
}
