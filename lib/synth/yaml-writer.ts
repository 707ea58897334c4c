import { Yaml } from 'cdk8s';

/**
 * A YAML writer that produces the same bytes as cdk8s's `Yaml.stringify` (the `yaml` library
 * with YAML 1.1, `lineWidth: 0`) for the plain shapes manifests are made of, several times
 * faster. Any document holding something outside those shapes (floats, multi-line or
 * quoted-looking strings, nested sequences, ...) is handed to `Yaml.stringify` whole, so the
 * output never differs; a seeded differential fuzz test pins that.
 */

/**
 * Strings the library writes unquoted in YAML 1.1: a letter, `/` or `--`/`-x` first (so never
 * a number, timestamp, `.inf`, an alias `*x` or a `---` document marker), no spaces or
 * flow/comment indicators, no trailing colon. A `*` after the first character is plain text
 * (the audit policy's `/healthz*`).
 */
const SAFE_WORD = /^(?:[A-Za-z/]|-[A-Za-z]|--(?!-))[A-Za-z0-9._/:@=+~*-]*$/;
const TRAILING_COLON = /:$/;
/** Digit-first strings it also writes unquoted: CIDRs and resource quantities. */
const SAFE_DIGIT_FIRST = /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|\d+(?:m|k|Ki|Mi|Gi|Ti|M|G|T))$/;
/** YAML 1.1 booleans and nulls (and their look-alikes) must be quoted: leave them to the library. */
const YAML11_KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null|nan|inf)$/i;
/** Strings the library always double-quotes because they would read back as numbers or booleans. */
const QUOTED_AS_IS = /^(?:\d{1,15}|y|yes|n|no|true|false|on|off|null)$/i;

class Unsupported extends Error {}

/**
 * How each string seen so far is written (`null`: not by the fast path). Manifests repeat their keys
 * and most values, so the regular expressions run once per distinct string; the cache is emptied
 * when it grows large, so a long-lived process never holds more than a bounded number of strings.
 */
const stringScalars = new Map<string, string | null>();
const MAX_CACHED_STRINGS = 20_000;

function stringScalar(value: string): string | null {
  if (value === '') return '""';
  if ((SAFE_WORD.test(value) && !TRAILING_COLON.test(value) && !YAML11_KEYWORD.test(value)) || SAFE_DIGIT_FIRST.test(value)) return value;
  if (QUOTED_AS_IS.test(value)) return `"${value}"`;
  return null;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') {
    let written = stringScalars.get(value);
    if (written === undefined) {
      written = stringScalar(value);
      if (stringScalars.size >= MAX_CACHED_STRINGS) stringScalars.clear();
      stringScalars.set(value, written);
    }
    if (written === null) throw new Unsupported();
    return written;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  throw new Unsupported();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Whether a plain object has no own enumerable keys, without listing them. */
function hasNoKeys(value: Record<string, unknown>): boolean {
  for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return false;
  return true;
}

function isEmptyCollection(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : undefined;
  if (isPlainObject(value) && hasNoKeys(value)) return '{}';
  return undefined;
}

// The writers return the text (string concatenation: V8 joins the pieces once, when it is written).
function writeMap(map: Record<string, unknown>, indent: string, firstLinePrefix?: string): string {
  let out = '';
  let pad = firstLinePrefix ?? indent;
  const inner = `${indent}  `;
  for (const key of Object.keys(map)) {
    const value = map[key];
    const k = scalar(key);
    const empty = isEmptyCollection(value);
    if (empty !== undefined) {
      out += `${pad}${k}: ${empty}\n`;
    } else if (isPlainObject(value)) {
      out += `${pad}${k}:\n${writeMap(value, inner)}`;
    } else if (Array.isArray(value)) {
      out += `${pad}${k}:\n${writeSeq(value, inner)}`;
    } else if (typeof value === 'string' && value.includes('\n')) {
      out += `${pad}${k}: ${blockLiteral(value, inner)}`;
    } else {
      out += `${pad}${k}: ${scalar(value)}\n`;
    }
    pad = indent;
  }
  return out;
}

/** Printable ASCII lines, not starting with a space, ending in at most one newline. */
const SIMPLE_MULTILINE = /^[\x21-\x7e][\x20-\x7e\n]*$/;

/** A multi-line string as a `|` (one trailing newline) or `|-` (none) literal block. */
function blockLiteral(value: string, indent: string): string {
  if (!SIMPLE_MULTILINE.test(value) || value.endsWith('\n\n') || / \n|\n $| $/.test(value)) throw new Unsupported();
  const clip = value.endsWith('\n');
  const body = clip ? value.slice(0, -1) : value;
  return `|${clip ? '' : '-'}\n${indent}${body.replace(/\n+/g, `$&${indent}`)}\n`;
}

function writeSeq(items: readonly unknown[], indent: string): string {
  let out = '';
  const inner = `${indent}  `;
  for (const item of items) {
    const empty = isEmptyCollection(item);
    if (empty !== undefined) {
      out += `${indent}- ${empty}\n`;
    } else if (isPlainObject(item)) {
      out += writeMap(item, inner, `${indent}- `);
    } else if (Array.isArray(item)) {
      throw new Unsupported();
    } else {
      out += `${indent}- ${scalar(item)}\n`;
    }
  }
  return out;
}

/**
 * One document written by the fast path, or `undefined` when it holds a shape the fast path
 * does not write (the caller then uses the library).
 *
 * @param doc a manifest object
 */
export function fastStringify(doc: unknown): string | undefined {
  if (!isPlainObject(doc) || hasNoKeys(doc)) return undefined;
  try {
    return writeMap(doc, '');
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

/**
 * One document, byte-identical to `Yaml.stringify(doc)`.
 *
 * @param doc a manifest object
 */
export function stringifyDocument(doc: unknown): string {
  return fastStringify(doc) ?? Yaml.stringify(doc);
}

/**
 * Several documents, byte-identical to `Yaml.stringify(...docs)` (separated by `---`).
 *
 * @param docs manifest objects
 */
export function stringifyDocuments(docs: readonly unknown[]): string {
  return docs.map((doc) => (doc === undefined ? '\n' : stringifyDocument(doc))).join('---\n');
}
