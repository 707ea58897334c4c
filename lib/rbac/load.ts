/**
 * Reading manifests: YAML (multi-document) and JSON text, `List` kinds with `items`, single files and
 * directories (recursively, `.yaml`/`.yml`/`.json`). Keeps the RBAC kinds and ServiceAccounts/Namespaces,
 * counts everything else, and remembers where each object came from (file:line).
 *
 * The only module here that touches the file system; everything else is pure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMap, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { ManifestLoadError } from './errors';
import { KubeObject, RBAC_GROUP } from './types';

/** Where an object was read from. */
export interface SourceLocation {
  /** The file, or a pseudo-name such as `<stdin>`. */
  readonly file: string;
  /** The 1-based line the object starts on. */
  readonly line: number;
}

/** An object the evaluator uses, with its source. */
export interface LoadedObject {
  /** The parsed object. */
  readonly object: KubeObject;
  /** Where it was read from. */
  readonly source: SourceLocation;
}

/** The result of reading manifests. */
export interface LoadResult {
  /** The objects the evaluator uses (Role, ClusterRole, RoleBinding, ClusterRoleBinding, ServiceAccount, Namespace), in file order. */
  readonly objects: readonly LoadedObject[];
  /** Objects of other kinds, ignored: a count per kind (e.g. `{ Pod: 2, ConfigMap: 1 }`). */
  readonly ignored: Readonly<Record<string, number>>;
  /** The files read, in order. */
  readonly files: readonly string[];
}

/** The kinds the evaluator reads, with the API group each must belong to (`""` is the core group). */
export const RELEVANT_KINDS: Readonly<Record<string, string>> = {
  Role: RBAC_GROUP,
  ClusterRole: RBAC_GROUP,
  RoleBinding: RBAC_GROUP,
  ClusterRoleBinding: RBAC_GROUP,
  ServiceAccount: '',
  Namespace: '',
  CustomResourceDefinition: 'apiextensions.k8s.io',
};

/** File extensions read from directories. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Collector {
  readonly objects: LoadedObject[] = [];
  readonly ignored: Record<string, number> = {};
  readonly files: string[] = [];

  ignore(key: string): void {
    this.ignored[key] = (this.ignored[key] ?? 0) + 1;
  }

  /** Adds one parsed value; flattens lists. `lineOf(i)` gives the line of list item i. */
  add(value: unknown, file: string, line: number, lineOf: (i: number) => number = () => line): void {
    if (value === null || value === undefined) return;
    if (!isPlainObject(value)) {
      this.ignore('(not an object)');
      return;
    }
    const kind = value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      value.items.forEach((item, i) => {
        const withKind = itemKind && isPlainObject(item) && item.kind === undefined
          ? { apiVersion: value.apiVersion, ...item, kind: itemKind }
          : item;
        this.add(withKind, file, lineOf(i));
      });
      return;
    }
    if (typeof kind !== 'string' || kind === '') {
      this.ignore('(no kind)');
      return;
    }
    const wantGroup = RELEVANT_KINDS[kind];
    if (wantGroup === undefined) {
      this.ignore(kind);
      return;
    }
    const group = groupOf(value.apiVersion);
    if (group !== undefined && group !== wantGroup) {
      this.ignore(`${String(value.apiVersion)}/${kind}`);
      return;
    }
    this.objects.push({ object: value as KubeObject, source: { file, line } });
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Node 20 does not give the position of a JSON error, only V8's context (up to 10 characters either
 * side, `...` marking a cut). Recover the position from that context; else ask YAML (a JSON superset).
 */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } | undefined {
  if (/^Unexpected end of JSON input/.test(message)) return lineAndColumn(text, text.length);
  const m = /^Unexpected (?:token|non-whitespace character).*?, (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(message);
  if (m) {
    const context = m[2];
    const at = text.indexOf(context);
    if (at >= 0) {
      if (m[1]) return lineAndColumn(text, at + 10);
      const token = /^Unexpected token '(.)'/.exec(message)?.[1];
      if (token !== undefined && context.includes(token)) return lineAndColumn(text, at + context.indexOf(token));
    }
  }
  const lineCounter = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter, prettyErrors: false })) {
    const err = doc.errors[0];
    if (err) {
      const pos = lineCounter.linePos(err.pos[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

function parseJsonInto(collector: Collector, text: string, source: string): void {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    const where = pos ? lineAndColumn(text, Number(pos[1])) : jsonErrorPosition(text, message);
    const detail = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+/, '')
      .replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
    throw new ManifestLoadError(source, `invalid JSON: ${detail}; fix the syntax or check the file is a Kubernetes manifest.`, where?.line, where?.column);
  }
  if (Array.isArray(value)) {
    value.forEach((v) => collector.add(v, source, 1));
  } else {
    collector.add(value, source, 1);
  }
}

function parseYamlInto(collector: Collector, text: string, source: string): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  // An empty stream (only comments or whitespace) comes back as an empty EmptyStream array.
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = lineCounter.linePos(err.pos[0]);
      const firstLine = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ManifestLoadError(source, `invalid YAML: ${firstLine}; fix the syntax (is it a template that needs rendering first?).`, pos.line, pos.col);
    }
    const contents = doc.contents;
    const start = contents?.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line;
    let lineOf: (i: number) => number = () => line;
    if (isMap(contents)) {
      const items = contents.get('items', true);
      if (isSeq(items)) {
        lineOf = (i: number) => {
          const node = items.items[i] as { range?: [number, number, number] } | undefined;
          return node?.range ? lineCounter.linePos(node.range[0]).line : line;
        };
      }
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
      // An alias bomb ("billion laughs") ends here instead of filling the memory.
      throw new ManifestLoadError(source, `cannot expand the YAML: ${(e as Error).message}; remove the aliases (*name) that multiply the document.`, line);
    }
    collector.add(value, source, line, lineOf);
  }
}

function parseInto(collector: Collector, text: string, source: string, json: boolean): void {
  if (json) parseJsonInto(collector, text, source);
  else parseYamlInto(collector, text, source);
}

function toResult(c: Collector): LoadResult {
  return { objects: c.objects, ignored: c.ignored, files: c.files };
}

/**
 * Parses manifest text: multi-document YAML, or JSON (an object, a `List`, or an array of objects).
 * @param text the manifest text
 * @param source a name for messages and {@link SourceLocation}s, e.g. a path or `<stdin>`
 * @param format `json` to parse as JSON; by default text starting with `{` or `[` is tried as JSON first
 * @throws ManifestLoadError with `source:line:column` for unparseable text
 */
export function parseManifests(text: string, source = '<text>', format?: 'yaml' | 'json'): LoadResult {
  const c = new Collector();
  c.files.push(source);
  if (format === undefined && /^\s*[[{]/.test(text)) {
    try {
      parseJsonInto(c, text, source);
      return toResult(c);
    } catch {
      // Not JSON after all (a YAML flow mapping, say): fall through to YAML, which reports its own errors.
      c.objects.length = 0;
      for (const k of Object.keys(c.ignored)) delete c.ignored[k];
    }
  }
  parseInto(c, text, source, format === 'json');
  return toResult(c);
}

function readFileInto(c: Collector, file: string): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestLoadError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  c.files.push(file);
  const json = path.extname(file).toLowerCase() === '.json';
  parseInto(c, text, file, json);
}

/** `fs.statSync`, with a symlink loop (ELOOP) or an unreadable path as a ManifestLoadError naming it. */
function statPath(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    const hint = code === 'ELOOP' ? 'a symbolic link that points to itself (or a loop of them); remove it or point it at a manifest' : 'check the path and its permissions';
    throw new ManifestLoadError(p, `cannot read the path (${code}): ${hint}.`);
  }
}

function walk(c: Collector, dir: string, seen: Set<string>): void {
  const real = fs.realpathSync(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    const stat = statPath(full);
    if (!stat) continue;
    if (stat.isDirectory()) {
      walk(c, full, seen);
    } else if (stat.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      readFileInto(c, full);
    }
  }
}

function loadPathInto(c: Collector, p: string): void {
  const stat = statPath(p);
  if (!stat) {
    throw new ManifestLoadError(p, 'no such file or directory; pass a manifest file or a directory of them.');
  }
  if (stat.isDirectory()) walk(c, p, new Set());
  else readFileInto(c, p);
}

/**
 * Reads one manifest file (any extension; `.json` is parsed as JSON, anything else as YAML).
 * @throws ManifestLoadError when the file is missing, unreadable or unparseable (with file:line)
 */
export function loadFile(file: string): LoadResult {
  const c = new Collector();
  readFileInto(c, file);
  return toResult(c);
}

/**
 * Reads every `.yaml`, `.yml` and `.json` file under `dir`, recursively, in sorted order
 * (hidden files and directories are skipped).
 * @throws ManifestLoadError when a file is unparseable (with file:line)
 */
export function loadDirectory(dir: string): LoadResult {
  const c = new Collector();
  loadPathInto(c, dir);
  return toResult(c);
}

/**
 * Reads files and directories, in the order given (what `-f PATH...` needs).
 * @throws ManifestLoadError for a missing path or an unparseable file (with file:line)
 */
export function loadPaths(paths: readonly string[]): LoadResult {
  const c = new Collector();
  for (const p of paths) loadPathInto(c, p);
  return toResult(c);
}

/** Concatenates load results (e.g. files and stdin), summing the ignored counts. */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  const c = new Collector();
  for (const r of results) {
    c.objects.push(...r.objects);
    c.files.push(...r.files);
    for (const [k, n] of Object.entries(r.ignored)) c.ignored[k] = (c.ignored[k] ?? 0) + n;
  }
  return toResult(c);
}
