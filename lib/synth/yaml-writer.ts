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
 * a number, timestamp, `.inf` or a `---` document marker), no spaces or flow/comment
 * indicators, no trailing colon.
 */
const SAFE_WORD = /^(?:[A-Za-z/]|-[A-Za-z]|--(?!-))[A-Za-z0-9._/:@=+~-]*$/;
const TRAILING_COLON = /:$/;
/** Digit-first strings it also writes unquoted: CIDRs and resource quantities. */
const SAFE_DIGIT_FIRST = /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|\d+(?:m|k|Ki|Mi|Gi|Ti|M|G|T))$/;
/** YAML 1.1 booleans and nulls (and their look-alikes) must be quoted: leave them to the library. */
const YAML11_KEYWORD = /^(?:y|yes|n|no|true|false|on|off|null|nan|inf)$/i;
/** Strings the library always double-quotes because they would read back as numbers or booleans. */
const QUOTED_AS_IS = /^(?:\d{1,15}|y|yes|n|no|true|false|on|off|null)$/i;

class Unsupported extends Error {}

function scalar(value: unknown): string {
  if (typeof value === 'string') {
    if (value === '') return '""';
    if ((SAFE_WORD.test(value) && !TRAILING_COLON.test(value) && !YAML11_KEYWORD.test(value)) || SAFE_DIGIT_FIRST.test(value)) return value;
    if (QUOTED_AS_IS.test(value)) return `"${value}"`;
    throw new Unsupported();
  }
  if (typeof value === 'number' && Number.isSafeInteger(value) && !Object.is(value, -0)) return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  throw new Unsupported();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function isEmptyCollection(value: unknown): string | undefined {
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (isPlainObject(value) && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function writeMap(map: Record<string, unknown>, indent: string, out: string[], firstLinePrefix?: string): void {
  let first = true;
  for (const key of Object.keys(map)) {
    const value = map[key];
    const pad = first && firstLinePrefix !== undefined ? firstLinePrefix : indent;
    first = false;
    const k = scalar(key);
    const empty = isEmptyCollection(value);
    if (empty !== undefined) {
      out.push(`${pad}${k}: ${empty}\n`);
    } else if (isPlainObject(value)) {
      out.push(`${pad}${k}:\n`);
      writeMap(value, `${indent}  `, out);
    } else if (Array.isArray(value)) {
      out.push(`${pad}${k}:\n`);
      writeSeq(value, `${indent}  `, out);
    } else if (typeof value === 'string' && value.includes('\n')) {
      out.push(`${pad}${k}: ${blockLiteral(value, `${indent}  `)}`);
    } else {
      out.push(`${pad}${k}: ${scalar(value)}\n`);
    }
  }
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

function writeSeq(items: readonly unknown[], indent: string, out: string[]): void {
  for (const item of items) {
    const empty = isEmptyCollection(item);
    if (empty !== undefined) {
      out.push(`${indent}- ${empty}\n`);
    } else if (isPlainObject(item)) {
      writeMap(item, `${indent}  `, out, `${indent}- `);
    } else if (Array.isArray(item)) {
      throw new Unsupported();
    } else {
      out.push(`${indent}- ${scalar(item)}\n`);
    }
  }
}

/**
 * One document written by the fast path, or `undefined` when it holds a shape the fast path
 * does not write (the caller then uses the library).
 *
 * @param doc a manifest object
 */
export function fastStringify(doc: unknown): string | undefined {
  if (!isPlainObject(doc) || Object.keys(doc).length === 0) return undefined;
  const out: string[] = [];
  try {
    writeMap(doc, '', out);
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return out.join('');
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
