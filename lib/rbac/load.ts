/**
 * Reading manifests: YAML (multi-document) and JSON text, `List` kinds with `items`, single files and
 * directories (recursively, `.yaml`/`.yml`/`.json`, skipping dot-entries and `node_modules`). Keeps the RBAC kinds and ServiceAccounts/Namespaces,
 * counts everything else, and remembers where each object came from (file:line).
 *
 * The only module here that touches the file system; everything else is pure.
 */
import * as fs from 'fs';
import * as path from 'path';
import { load as fastYamlLoad } from 'js-yaml';
import { ManifestLoadError } from './errors';
import { isJsonObject } from './private/json-object';
import { KubeObject, RBAC_GROUP } from './types';
import { workloadRecord } from './workloads';
import { ListItems, listItems, splitYamlDocuments, YamlChunk } from './yaml-chunks';
import { loadListInBatches } from './yaml-list-batches';

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
  /**
   * With {@link LoadOptions.workloads}: the Pods, workload controllers, Nodes and
   * ServiceAccount-token Secrets read, reduced to the fields the escalation analysis reads (a
   * Secret never keeps its data), in file order.
   * @default - none (not asked for)
   */
  readonly workloads?: readonly LoadedObject[];
  /**
   * With {@link LoadOptions.keepGoing}: one error (with `file:line`) per document or file that could
   * not be parsed, which was skipped; building a policy from the result refuses it, or lists them
   * (`PolicyOptions.invalidObjects`).
   * @default - none
   */
  readonly errors?: readonly ManifestLoadError[];
  /**
   * Things read but worth a look, each `file:line: ...`: a mapping with a duplicated key, which
   * kubectl and the API server read with the last value winning.
   * @default - none
   */
  readonly warnings?: readonly string[];
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

/** The default of {@link LoadOptions.maxBytes}: 256 MiB. */
export const DEFAULT_MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** How files are read. */
export interface LoadOptions {
  /**
   * The largest manifest file read, in bytes; a larger one is refused with a {@link ManifestLoadError}
   * (before it is read), as is anything that is not a regular file (a device such as `/dev/zero`, a FIFO).
   * @default DEFAULT_MAX_MANIFEST_BYTES (256 MiB)
   */
  readonly maxBytes?: number;
  /**
   * Also keep the objects `escalations` reads (Pods, Deployments and the other workload
   * controllers, Nodes, Secrets of type `kubernetes.io/service-account-token`), reduced to the
   * fields it needs, in {@link LoadResult.workloads} (they are then not counted as ignored).
   * @default false
   */
  readonly workloads?: boolean;
  /**
   * Read on past a document or file that cannot be parsed (or is over {@link LoadOptions.maxBytes}), as
   * `kubectl apply -f DIR` does, and return its error in {@link LoadResult.errors} instead of
   * throwing it. A path that does not exist still throws.
   * @default false
   */
  readonly keepGoing?: boolean;
}

/** File extensions read from directories. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/**
 * Whether a directory walk skips the entry `name`: dot-files and dot-directories (`.git`,
 * `.cdk8s.out`) and `node_modules` (package files such as `tsconfig.json` that are not
 * manifests), so that `-f .` in an app reads its manifests only. A path named explicitly is read.
 */
function skippedInWalk(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

function groupOf(apiVersion: unknown): string | undefined {
  if (typeof apiVersion !== 'string') return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

class Collector {
  readonly objects: LoadedObject[] = [];
  readonly ignored: Record<string, number> = {};
  readonly files: string[] = [];
  readonly workloads: LoadedObject[] | undefined;
  readonly errors: ManifestLoadError[] = [];
  readonly warnings: string[] = [];

  /**
   * @param keepGoing collect parse errors instead of throwing them
   * @param keepWorkloads also keep what `escalations` reads (see {@link LoadOptions.workloads})
   */
  constructor(readonly keepGoing = false, keepWorkloads = false) {
    this.workloads = keepWorkloads ? [] : undefined;
  }

  /** Runs `parse`; in keep-going mode a ManifestLoadError it throws is kept and reading goes on. */
  attempt(parse: () => void): void {
    if (!this.keepGoing) return parse();
    try {
      parse();
    } catch (e) {
      if (!(e instanceof ManifestLoadError)) throw e;
      this.errors.push(e);
    }
  }

  ignore(key: string): void {
    this.ignored[key] = (this.ignored[key] ?? 0) + 1;
  }

  /** Adds one parsed value; flattens lists. `lineOf(i)` gives the line of list item i. */
  add(value: unknown, file: string, line: number, lineOf: (i: number) => number = () => line): void {
    if (value === null || value === undefined) return;
    if (!isJsonObject(value)) {
      this.ignore('(not an object)');
      return;
    }
    const kind = value.kind;
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
      const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
      value.items.forEach((item, i) => {
        const withKind = itemKind && isJsonObject(item) && item.kind === undefined
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
      const record = this.workloads ? workloadRecord(value) : undefined;
      if (record) this.workloads!.push({ object: record, source: { file, line } });
      else this.ignore(kind);
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

/**
 * The full YAML parser (`yaml`, with positions), loaded on first use: only text js-yaml rejects or
 * cannot place needs it, and loading it costs more than a small manifest's whole parse.
 */
function fullYaml(): typeof import('yaml') {
  return require('yaml') as typeof import('yaml');
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
  const { LineCounter, parseAllDocuments } = fullYaml();
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

/**
 * The full parser (`yaml`, with positions): for what the fast path does not take, and to find
 * where a document the fast path rejected is wrong. `lineOffset` is the line `text` starts after.
 */
function parseYamlWithPositions(collector: Collector, text: string, source: string, lineOffset = 0): void {
  const { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } = fullYaml();
  const lineCounter = new LineCounter();
  // kubectl and the API server read a duplicated key with the last value winning: never an error
  // here, but each one is remembered for a warning.
  const duplicates: number[] = [];
  const uniqueKeys = (a: unknown, b: unknown): boolean => {
    if (a === b || (isScalar(a) && isScalar(b) && a.value === b.value)) duplicates.push((b as { range?: [number] }).range?.[0] ?? 0);
    return false;
  };
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys });
  for (const offset of duplicates) collector.warnings.push(duplicateKeyWarning(source, lineCounter.linePos(offset).line + lineOffset));
  // An empty stream (only comments or whitespace) comes back as an empty EmptyStream array.
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const pos = lineCounter.linePos(err.pos[0]);
      const errLine = pos.line + lineOffset;
      const firstLine = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ManifestLoadError(source, `invalid YAML: ${firstLine}; fix the syntax (is it a template that needs rendering first?).`, errLine, pos.col);
    }
    const contents = doc.contents;
    const start = contents?.range?.[0] ?? 0;
    const line = lineCounter.linePos(start).line + lineOffset;
    let lineOf: (i: number) => number = () => line;
    if (isMap(contents)) {
      const items = contents.get('items', true);
      if (isSeq(items)) {
        lineOf = (i: number) => {
          const node = items.items[i] as { range?: [number, number, number] } | undefined;
          return node?.range ? lineCounter.linePos(node.range[0]).line + lineOffset : line;
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

/** The lines of a parsed document's `List` items, `() => line` when it is not a list, `undefined` when they cannot be found from the text. */
function itemLinesOf(value: unknown, items: ListItems | undefined, line: number): ((i: number) => number) | undefined {
  if (!isJsonObject(value) || !Array.isArray(value.items) || typeof value.kind !== 'string' || !value.kind.endsWith('List')) return () => line;
  if (value.items.length === 0) return () => line;
  const lines = items?.lines.length === value.items.length ? items.lines : undefined;
  return lines ? (i: number) => lines[i] : undefined;
}

/** js-yaml, refusing aliases (a document with any takes the full parser, which bounds their expansion). */
function fastLoad(text: string): unknown {
  return fastYamlLoad(text, { maxAliases: 0 });
}

/**
 * One document through js-yaml (a large `List` a batch of items at a time, see
 * `yaml-list-batches.ts`); a document js-yaml rejects, or whose list items cannot be placed, is
 * parsed again with positions, which gives the value or the error with its line.
 */
function parseYamlChunk(collector: Collector, chunk: YamlChunk, source: string): void {
  if (chunk.contentLine === undefined) return; // only comments, blanks or a bare `---`
  const items = listItems(chunk);
  const warningsBefore = collector.warnings.length;
  let value: unknown = items ? loadListInBatches(chunk, items, fastLoad) : undefined;
  if (value === undefined) {
    try {
      value = fastLoad(chunk.text);
    } catch (e) {
      value = duplicateKeyValue(collector, chunk, source, e);
      if (value === undefined) {
        parseYamlWithPositions(collector, chunk.text, source, chunk.startLine - 1);
        return;
      }
    }
  }
  const lineOf = itemLinesOf(value, items, chunk.contentLine);
  if (lineOf) {
    collector.add(value, source, chunk.contentLine, lineOf);
  } else {
    collector.warnings.length = warningsBefore; // the full parse warns for each duplicated key itself
    parseYamlWithPositions(collector, chunk.text, source, chunk.startLine - 1);
  }
}

/**
 * A document js-yaml refused only for a duplicated mapping key (`labels` with `app` twice, as 13
 * public Helm charts render): read again with the last value winning, as kubectl and the API
 * server read it, with a warning naming the line; `undefined` for any other error.
 */
function duplicateKeyValue(collector: Collector, chunk: YamlChunk, source: string, error: unknown): unknown {
  const e = error as { reason?: unknown; mark?: { line?: unknown } };
  if (e?.reason !== 'duplicated mapping key') return undefined;
  let value: unknown;
  try {
    value = fastYamlLoad(chunk.text, { maxAliases: 0, json: true });
  } catch {
    return undefined;
  }
  const line = typeof e.mark?.line === 'number' ? chunk.startLine + e.mark.line : chunk.contentLine ?? chunk.startLine;
  collector.warnings.push(duplicateKeyWarning(source, line));
  return value;
}

function duplicateKeyWarning(source: string, line: number): string {
  return `${source}:${line}: a mapping has a duplicated key; kubectl and the API server keep its last value, and so does this reading. Remove the duplicate.`;
}

function parseYamlInto(collector: Collector, text: string, source: string): void {
  const chunks = splitYamlDocuments(text);
  if (!chunks) collector.attempt(() => parseYamlWithPositions(collector, text, source));
  else for (const chunk of chunks) collector.attempt(() => parseYamlChunk(collector, chunk, source));
}

/**
 * Parses `text` into `c`: JSON when `format` says so; by default text starting with `{` or `[`
 * (`kubectl get -o json`) is tried as JSON first and, when it is not JSON after all (a YAML flow
 * mapping, say), read as YAML, which reports its own errors.
 */
function parseInto(c: Collector, text: string, source: string, format: 'yaml' | 'json' | undefined): void {
  if (format === 'json') return c.attempt(() => parseJsonInto(c, text, source));
  if (format === undefined && /^\s*[[{]/.test(text)) {
    const json = new Collector(false, c.workloads !== undefined);
    try {
      parseJsonInto(json, text, source);
    } catch {
      return parseYamlInto(c, text, source);
    }
    c.objects.push(...json.objects);
    c.workloads?.push(...json.workloads!);
    for (const [k, n] of Object.entries(json.ignored)) c.ignored[k] = (c.ignored[k] ?? 0) + n;
    return;
  }
  parseYamlInto(c, text, source);
}

function collectorFor(options: LoadOptions): Collector {
  return new Collector(options.keepGoing, options.workloads);
}

function toResult(c: Collector): LoadResult {
  return {
    objects: c.objects, ignored: c.ignored, files: c.files, ...(c.workloads ? { workloads: c.workloads } : {}),
    ...(c.errors.length > 0 ? { errors: c.errors } : {}), ...(c.warnings.length > 0 ? { warnings: c.warnings } : {}),
  };
}

/**
 * Parses manifest text: multi-document YAML, or JSON (an object, a `List`, or an array of objects).
 * @param text the manifest text
 * @param source a name for messages and {@link SourceLocation}s, e.g. a path or `<stdin>`
 * @param format `json` to parse as JSON; by default text starting with `{` or `[` is tried as JSON first
 * @param options `keepGoing` to read on past a document that cannot be parsed, returning its error in
 *   `errors`; `workloads` to keep what `escalations` reads (`maxBytes` does not apply to text)
 * @default options {}
 * @throws ManifestLoadError with `source:line:column` for unparseable text (unless `keepGoing`)
 */
export function parseManifests(text: string, source = '<text>', format?: 'yaml' | 'json', options: LoadOptions = {}): LoadResult {
  const c = collectorFor(options);
  c.files.push(source);
  parseInto(c, text, source, format);
  return toResult(c);
}

/** Refuses what is not a regular file, or is larger than the limit, before reading any of it. */
function checkReadable(file: string, stat: fs.Stats, maxBytes: number): void {
  if (stat.isDirectory()) {
    throw new ManifestLoadError(file, 'is a directory, not a manifest file; read it as a directory (loadDirectory, loadPaths or -f DIR).');
  }
  if (!stat.isFile()) {
    throw new ManifestLoadError(file, 'is not a regular file (a device, FIFO or socket); save the manifests to a file, or pipe them to -f - .');
  }
  if (stat.size > maxBytes) {
    throw new ManifestLoadError(file, `is ${stat.size} bytes, over the limit of ${maxBytes} bytes; split it, or raise the limit (--max-manifest-bytes, LoadOptions.maxBytes).`);
  }
}

function readFileInto(c: Collector, file: string, options: LoadOptions): void {
  const stat = statPath(file);
  if (!stat) throw new ManifestLoadError(file, 'no such file or directory; pass a manifest file or a directory of them.');
  c.attempt(() => readCheckedFileInto(c, file, stat, options));
}

function readCheckedFileInto(c: Collector, file: string, stat: fs.Stats, options: LoadOptions): void {
  checkReadable(file, stat, options.maxBytes ?? DEFAULT_MAX_MANIFEST_BYTES);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestLoadError(file, `cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  c.files.push(file);
  parseInto(c, text, file, path.extname(file).toLowerCase() === '.json' ? 'json' : undefined);
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

function walk(c: Collector, dir: string, seen: Set<string>, options: LoadOptions): void {
  const real = fs.realpathSync(dir);
  if (seen.has(real)) return;
  seen.add(real);
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (skippedInWalk(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const stat = statPath(full);
    if (!stat) continue;
    if (stat.isDirectory()) {
      walk(c, full, seen, options);
    } else if (stat.isFile() && MANIFEST_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
      readFileInto(c, full, options);
    }
  }
}

function loadPathInto(c: Collector, p: string, options: LoadOptions): void {
  const stat = statPath(p);
  if (!stat) {
    throw new ManifestLoadError(p, 'no such file or directory; pass a manifest file or a directory of them.');
  }
  if (stat.isDirectory()) walk(c, p, new Set(), options);
  else readFileInto(c, p, options);
}

/**
 * Reads one manifest file (any extension; `.json` is parsed as JSON, anything else as YAML unless it
 * starts with `{` or `[` and is JSON).
 * @param options limits (see {@link LoadOptions})
 * @default options {}
 * @throws ManifestLoadError when the file is missing, unreadable, not a regular file, over the size
 *   limit or unparseable (with file:line)
 */
export function loadFile(file: string, options: LoadOptions = {}): LoadResult {
  const c = collectorFor(options);
  readFileInto(c, file, options);
  return toResult(c);
}

/**
 * Reads every `.yaml`, `.yml` and `.json` file under `dir`, recursively, in sorted order
 * (dot-files, dot-directories and `node_modules` are skipped).
 * @param options limits for each file (see {@link LoadOptions})
 * @default options {}
 * @throws ManifestLoadError when a file is over the size limit or unparseable (with file:line)
 */
export function loadDirectory(dir: string, options: LoadOptions = {}): LoadResult {
  const c = collectorFor(options);
  loadPathInto(c, dir, options);
  return toResult(c);
}

/**
 * Reads files and directories, in the order given (what `-f PATH...` needs).
 * @param options limits for each file (see {@link LoadOptions})
 * @default options {}
 * @throws ManifestLoadError for a missing path, something that is not a regular file, a file over
 *   the size limit or an unparseable file (with file:line)
 */
export function loadPaths(paths: readonly string[], options: LoadOptions = {}): LoadResult {
  const c = collectorFor(options);
  for (const p of paths) loadPathInto(c, p, options);
  return toResult(c);
}

/** Concatenates load results (e.g. files and stdin), summing the ignored counts. */
export function mergeLoadResults(results: readonly LoadResult[]): LoadResult {
  const c = new Collector(false, results.some((r) => r.workloads !== undefined));
  for (const r of results) {
    c.objects.push(...r.objects);
    if (r.workloads) c.workloads!.push(...r.workloads);
    c.files.push(...r.files);
    c.errors.push(...(r.errors ?? []));
    c.warnings.push(...(r.warnings ?? []));
    for (const [k, n] of Object.entries(r.ignored)) c.ignored[k] = (c.ignored[k] ?? 0) + n;
  }
  return toResult(c);
}
