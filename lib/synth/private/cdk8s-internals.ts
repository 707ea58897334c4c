/**
 * The only place that reaches into cdk8s-core beyond its public API. The linear synth needs three
 * things stock cdk8s keeps `@internal`:
 *
 * - the per-chart entry point `App._synthChart` (app-wide validation and resolution, then one
 *   chart's objects);
 * - whether the app records construct metadata;
 * - the order in which `chartToKube` (not exported) puts a chart's objects, `new
 *   DependencyGraph(chart.node).topology()` keeping the chart's own ApiObjects, and the order of
 *   `app.charts`, the same over the whole app keeping the charts.
 *
 * The accessors return `undefined` when cdk8s no longer has what they read, and the caller then
 * falls back to the stock `app.synth()`. {@link chartObjectsInStockOrder} and
 * {@link chartsInStockOrder} compute the same order as `DependencyGraph` without building it (the
 * graph keys a plain object by construct path; one per chart plus one over the whole app cost a
 * third of a 1,000-chart synth), and hand anything unusual (a cycle, a dependency on a construct
 * of another tree that shares a path) to `DependencyGraph` itself.
 *
 * The fast render of `ApiObject.toJson()` (`../fast-render.ts`) also reads what `toJson()` reads:
 * the object's private `props` and `patches` and its metadata's `_additionalAttributes`
 * ({@link apiObjectParts}), and it reproduces `ApiObject.toJson`, `ApiObjectMetadataDefinition.toJson`,
 * `resolve`, `sanitizeValue` and the three default resolvers. {@link stockRenderUnchanged} compares
 * the source of each with the fingerprint of the version that was reproduced, so a cdk8s that
 * renders differently gets the stock `toJson()` instead.
 *
 * `test/synth/cdk8s-internals.test.ts` fails when a cdk8s upgrade removes or reshapes any of them,
 * so the fallback never becomes the silent normal.
 */
import { createHash } from 'crypto';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, DependencyGraph, ImplicitTokenResolver, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { IConstruct } from 'constructs';

/** cdk8s-core's per-chart entry point: validates and resolves the whole app, then renders one chart. */
export type SynthChart = (chart: Chart) => unknown[];

/** `App._synthChart`, bound to `App`, or `undefined` when this cdk8s has none. */
export function stockSynthChart(): SynthChart | undefined {
  const synthChart = (App as unknown as { _synthChart?: SynthChart })._synthChart;
  return typeof synthChart === 'function' ? (chart) => synthChart.call(App, chart) : undefined;
}

/** Whether `app` records construct metadata (`recordConstructMetadata`), which the linear synth does not reproduce. */
export function recordsConstructMetadata(app: App): boolean {
  return (app as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata === true;
}

/**
 * A chart's own API objects in the order stock cdk8s writes them (`chartToKube`): its dependency
 * graph's topology, objects of nested charts left out. Call it after the app's dependencies were
 * resolved (the first `App._synthChart` does that), as stock synth does.
 *
 * @param chart the chart
 */
export function chartObjectsInStockOrder(chart: Chart): ApiObject[] {
  const owned = (c: IConstruct): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart;
  return (topologyInStockOrder(chart) ?? stockTopology(chart)).filter(owned);
}

/**
 * The app's charts in the order stock `app.charts` gives them (the app's dependency graph's
 * topology), without building that graph over every construct of the app.
 *
 * @param app the app
 */
export function chartsInStockOrder(app: App): Chart[] {
  return (topologyInStockOrder(app) ?? stockTopology(app)).filter((c): c is Chart => Chart.isChart(c));
}

/**
 * `new DependencyGraph(scope.node).topology()` computed from `findAll()` and
 * `node.dependencies`, or `undefined` for what only the graph itself may answer (a cycle, where
 * it throws its error; a dependency on another tree's construct with the path of one inside, which
 * it matches by path).
 *
 * The graph has one vertex per construct of the subtree, kept in an object keyed by path: in
 * `findAll()` order, except that array-index keys (a top-level construct with an id like `7`)
 * come first, ascending. It has an edge from each construct to each of its dependencies inside
 * the subtree, and takes the vertices without inbound edges as roots.
 */
function topologyInStockOrder(scope: IConstruct): IConstruct[] | undefined {
  const all = scope.node.findAll();
  const index = new Map<IConstruct, number>(all.map((c, i) => [c, i]));
  let outbound: number[][] | undefined;
  let paths: Set<string> | undefined;
  for (let i = 0; i < all.length; i++) {
    for (const dep of all[i].node.dependencies) {
      const j = index.get(dep);
      if (j === undefined) {
        paths ??= new Set(all.map((c) => c.node.path));
        if (paths.has(dep.node.path)) return undefined;
        continue;
      }
      outbound ??= all.map(() => []);
      if (!outbound[i].includes(j)) outbound[i].push(j);
    }
  }
  const vertices = vertexOrder(all);
  if (outbound === undefined) return vertices.map((i) => all[i]);
  return topology(vertices, outbound)?.map((i) => all[i]);
}

/** Indices of `all` in the order of the graph's vertex object (`Object.values` puts array-index keys first). */
function vertexOrder(all: readonly IConstruct[]): number[] {
  // Only a path without a separator can be an array index: a root's children (the root's own path is '').
  const indexKeys: { i: number; key: number }[] = [];
  all.forEach((c, i) => {
    const scope = c.node.scope;
    if (scope !== undefined && scope.node.scope === undefined && /^(?:0|[1-9]\d*)$/.test(c.node.id) && Number(c.node.id) < 2 ** 32 - 1) {
      indexKeys.push({ i, key: Number(c.node.id) });
    }
  });
  if (indexKeys.length === 0) return all.map((_, i) => i);
  const first = new Set(indexKeys.sort((a, b) => a.key - b.key).map(({ i }) => i));
  return [...first, ...all.map((_, i) => i).filter((i) => !first.has(i))];
}

/**
 * The post-order walk of `DependencyVertex.topology()` from the roots (vertices nothing depends
 * on, in vertex order), each vertex taken once, or `undefined` when the graph has a cycle (stock
 * cdk8s then throws its own error).
 */
function topology(vertices: readonly number[], outbound: readonly number[][]): number[] | undefined {
  const hasInbound = new Array<boolean>(outbound.length).fill(false);
  for (const targets of outbound) for (const t of targets) hasInbound[t] = true;
  const state = new Uint8Array(outbound.length); // 0 unseen, 1 on the stack, 2 done
  const order: number[] = [];
  const visit = (v: number): boolean => {
    if (state[v] === 2) return true;
    if (state[v] === 1) return false;
    state[v] = 1;
    for (const t of outbound[v]) if (!visit(t)) return false;
    state[v] = 2;
    order.push(v);
    return true;
  };
  for (const v of vertices) {
    if (!hasInbound[v] && !visit(v)) return undefined;
  }
  // A vertex no root reaches lies on a cycle.
  return order.length === outbound.length ? order : undefined;
}

/** The stock computation, which also throws stock cdk8s's error for a dependency cycle. */
function stockTopology(scope: IConstruct): IConstruct[] {
  return new DependencyGraph(scope.node).topology();
}

/** What `ApiObject.toJson()` reads from an object: its props, JSON patches and metadata input. */
export interface ApiObjectParts {
  /** The constructor's props (`apiVersion`, `kind`, `metadata`, `spec`, ...), private in cdk8s. */
  readonly props: Record<string, unknown>;
  /** The JSON patches added with `addJsonPatch`, private in cdk8s. */
  readonly patches: readonly unknown[];
  /** The object `ApiObjectMetadataDefinition.toJson()` resolves before sanitizing it. */
  readonly metadata: Record<string, unknown>;
}

/**
 * The input of `obj.toJson()`, or `undefined` when the object does not hold it where cdk8s 2.70
 * keeps it (the caller then uses `obj.toJson()`).
 *
 * @param obj the API object
 */
export function apiObjectParts(obj: ApiObject): ApiObjectParts | undefined {
  const { props, patches } = obj as unknown as { props?: unknown; patches?: unknown };
  const md = obj.metadata as unknown as Record<string, unknown> & { _additionalAttributes?: unknown };
  const extra = md._additionalAttributes;
  if (!isRecord(props) || !Array.isArray(patches) || !isRecord(extra) || Object.prototype.hasOwnProperty.call(extra, '__proto__')) return undefined;
  // `{ ...extra, name, ... }` as metadata.toJson() builds it, by assignment: `extra` had a key
  // deleted, and spreading such an object is slow. Symbol keys, which the spread would copy,
  // are never rendered.
  const metadata: Record<string, unknown> = {};
  for (const key of Object.keys(extra)) metadata[key] = extra[key];
  metadata.name = md.name;
  metadata.namespace = md.namespace;
  metadata.annotations = md.annotations;
  metadata.finalizers = md.finalizers;
  metadata.ownerReferences = md.ownerReferences;
  metadata.labels = md.labels;
  return { props, patches, metadata };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Whether `app` resolves with cdk8s's default resolvers only (`Lazy`, implicit tokens, number/string
 * unions, in that order, none of them replaced), which the fast render inlines.
 *
 * @param app the app
 */
export function hasDefaultResolversOnly(app: App): boolean {
  const resolvers = app.resolvers as readonly object[];
  const expected = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];
  return resolvers.length === expected.length
    && resolvers.every((r, i) => Object.getPrototypeOf(r) === expected[i].prototype && !Object.prototype.hasOwnProperty.call(r, 'resolve'));
}

/**
 * Fingerprints (SHA-256 of the source text, whitespace collapsed) of the cdk8s functions the fast
 * render reproduces, as of cdk8s 2.70.106. When one differs, cdk8s renders in some other way and
 * the fast render is not used.
 */
export const STOCK_RENDER_FINGERPRINTS: Readonly<Record<string, string>> = {
  'ApiObject.toJson': 'b0124785d6525aa7d18eff0aa204d0d53a9639b3c049d6030cd45abf9fc5f55f',
  'ApiObjectMetadataDefinition.toJson': '13fb4cb94fe0974fa812f049f173eefa7dcb8acc70eb259e7e08c39c16e53c22',
  'resolve': 'd922ff5b293f106dcfdab630091c00339869754c37913e39435f179a1a9699ce',
  'sanitizeValue': '46b26b4875bda85a611907168d76a9f273b452ad271d1b94c7f35c344df4765b',
  'LazyResolver.resolve': 'e8da9801cd20c454919d394c53464fbe7ef431451e0a93309ec95751113d5d48',
  'ImplicitTokenResolver.resolve': '317521bb865f2e88aaf132457d6787c37b082386ac6662f7f7c20dce84c99ad4',
  'NumberStringUnionResolver.resolve': '068b0d1bad20ab9be102a32a97d688d58651a7d0e06ed5e02ff91e9c440cf256',
};

/** The current fingerprints of {@link STOCK_RENDER_FINGERPRINTS}' functions (an empty string for one that is gone). */
export function stockRenderFingerprints(): Record<string, string> {
  const sanitizeValue = loadSanitizeValue();
  const sources: Record<string, unknown> = {
    'ApiObject.toJson': ApiObject.prototype.toJson,
    'ApiObjectMetadataDefinition.toJson': ApiObjectMetadataDefinition.prototype.toJson,
    'resolve': resolve,
    'sanitizeValue': sanitizeValue,
    'LazyResolver.resolve': LazyResolver.prototype.resolve,
    'ImplicitTokenResolver.resolve': ImplicitTokenResolver.prototype.resolve,
    'NumberStringUnionResolver.resolve': NumberStringUnionResolver.prototype.resolve,
  };
  const out: Record<string, string> = {};
  for (const [name, fn] of Object.entries(sources)) {
    out[name] = typeof fn === 'function' ? createHash('sha256').update(String(fn).replace(/\s+/g, ' ')).digest('hex') : '';
  }
  return out;
}

/** `sanitizeValue` from cdk8s's private `_util` module, or `undefined` when it is not there. */
function loadSanitizeValue(): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('cdk8s/lib/_util') as { sanitizeValue?: unknown }).sanitizeValue;
  } catch {
    return undefined;
  }
}

let unchanged: boolean | undefined;

/** Whether every function the fast render reproduces is the version it reproduces (computed once per process). */
export function stockRenderUnchanged(): boolean {
  if (unchanged === undefined) {
    const now = stockRenderFingerprints();
    unchanged = Object.entries(STOCK_RENDER_FINGERPRINTS).every(([name, hash]) => now[name] === hash);
  }
  return unchanged;
}
