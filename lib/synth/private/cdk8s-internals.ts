/**
 * The only place that reaches into cdk8s-core beyond its public API. The linear synth needs three
 * things stock cdk8s keeps `@internal`:
 *
 * - the per-chart entry point `App._synthChart` (app-wide validation and resolution, then one
 *   chart's objects);
 * - whether the app records construct metadata;
 * - the order in which `chartToKube` (not exported) puts a chart's objects: `new
 *   DependencyGraph(chart.node).topology()`, keeping the chart's own ApiObjects.
 *
 * The accessors return `undefined` when cdk8s no longer has what they read, and the caller then
 * falls back to the stock `app.synth()`. {@link chartObjectsInStockOrder} computes the same order
 * as `DependencyGraph` without building it (the graph keys a plain object by construct path and
 * costs a third of a 1,000-chart synth), and hands anything unusual (a cycle, a dependency on a
 * construct of another tree that shares a path) to `DependencyGraph` itself.
 * `test/synth/cdk8s-internals.test.ts` fails when a cdk8s upgrade removes or reshapes any of them,
 * so the fallback never becomes the silent normal.
 */
import { ApiObject, App, Chart, DependencyGraph } from 'cdk8s';
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
  // `DependencyGraph` has one vertex per construct of the subtree, in `findAll()` order (its
  // vertex table is an object keyed by path, and only the chart's own path can be an integer-like
  // key, which sorts first where the chart already is), edges from each construct to the
  // dependencies inside the subtree, and the vertices without inbound edges as roots.
  const all = chart.node.findAll();
  const index = new Map<IConstruct, number>(all.map((c, i) => [c, i]));
  let outbound: number[][] | undefined;
  let paths: Set<string> | undefined;
  for (let i = 0; i < all.length; i++) {
    for (const dep of all[i].node.dependencies) {
      const j = index.get(dep);
      if (j === undefined) {
        // Outside the subtree, unless another tree's construct has the path of one inside (the graph matches by path).
        paths ??= new Set(all.map((c) => c.node.path));
        if (paths.has(dep.node.path)) return stockChartObjects(chart);
        continue;
      }
      outbound ??= all.map(() => []);
      if (!outbound[i].includes(j)) outbound[i].push(j);
    }
  }
  if (outbound === undefined) return all.filter(owned);
  const order = topology(outbound);
  return order === undefined ? stockChartObjects(chart) : order.map((i) => all[i]).filter(owned);
}

/**
 * The post-order walk of `DependencyVertex.topology()` from the roots (vertices nothing depends
 * on, in vertex order), each vertex taken once, or `undefined` when the graph has a cycle (stock
 * cdk8s then throws its own error).
 */
function topology(outbound: readonly number[][]): number[] | undefined {
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
  for (let v = 0; v < outbound.length; v++) {
    if (!hasInbound[v] && !visit(v)) return undefined;
  }
  // A vertex no root reaches lies on a cycle.
  return order.length === outbound.length ? order : undefined;
}

/** The stock computation, which also throws stock cdk8s's error for a dependency cycle. */
function stockChartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x))
    .filter((x) => Chart.of(x) === chart);
}
