import { ApiObject, App, Chart, DependencyGraph, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { KubeConfigMap } from '../../imports/k8s';
import {
  apiObjectParts, chartObjectsInStockOrder, chartsInStockOrder, recordsConstructMetadata, STOCK_RENDER_FINGERPRINTS, stockRenderFingerprints,
  stockRenderUnchanged, stockSynthChart,
} from '../../lib/synth/private/cdk8s-internals';
import { l1ConverterOf } from '../../lib/synth/private/l1-converters';
import { prng } from '../support/prng';

// The linear synth falls back to stock `app.synth()` when these internals are gone; this test makes
// such a cdk8s upgrade visible instead of silently slow.
describe('the cdk8s-core internals the linear synth relies on', () => {
  it('App._synthChart still exists and renders one chart after app-wide resolution', () => {
    const synthChart = stockSynthChart();
    expect(synthChart).toBeDefined();
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new KubeConfigMap(chart, 'cm', { metadata: { name: 'x' }, data: { k: 'v' } });
    expect(synthChart!(chart)).toEqual(chart.toJson());
  });

  it('ApiObject.toJson, metadata toJson, resolve, sanitizeValue and the default resolvers are the versions the fast render reproduces', () => {
    // A failure here means cdk8s changed how it renders: the fast render (lib/synth/fast-render.ts)
    // is then not used. Compare the new sources with what walk() does, adapt it, then update the
    // fingerprints in lib/synth/private/cdk8s-internals.ts.
    expect(stockRenderFingerprints()).toEqual(STOCK_RENDER_FINGERPRINTS);
    expect(stockRenderUnchanged()).toBe(true);
  });

  it('an ApiObject still keeps its props, patches and metadata attributes where the fast render reads them', () => {
    const chart = new Chart(Testing.app(), 'c');
    const cm = new KubeConfigMap(chart, 'cm', { metadata: { name: 'x', generateName: 'g' }, data: { k: 'v' } });
    const parts = apiObjectParts(cm);
    expect(parts).toBeDefined();
    expect(parts!.props).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { k: 'v' } });
    expect(parts!.patches).toEqual([]);
    expect(parts!.metadata).toMatchObject({ name: 'x', generateName: 'g', labels: {}, annotations: {} });
  });

  it('the generated L1 classes still render as { ...GVK, ...toJson_<Class>Props(super.toJson()) }', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(l1ConverterOf(new KubeConfigMap(chart, 'cm', {}))).toBeDefined();
  });

  it('recordConstructMetadata is still read from the app', () => {
    expect(recordsConstructMetadata(new App({ recordConstructMetadata: true, outdir: '/nonexistent' }))).toBe(true);
    expect(recordsConstructMetadata(new App({ outdir: '/nonexistent' }))).toBe(false);
  });
});


/** What stock `chartToKube` takes: the dependency graph's topology, the chart's own ApiObjects. */
function stockOrder(chart: Chart): string[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x))
    .filter((x) => Chart.of(x) === chart)
    .map((x) => x.node.path);
}

/** Random charts: nested constructs and charts, integer-like ids, dependencies inside, across and out of charts. */
function randomApp(seed: number): Chart[] {
  return randomAppWithRoot(seed).charts;
}

function randomAppWithRoot(seed: number): { app: App; charts: Chart[] } {
  const next = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
  const app = Testing.app();
  const charts: Chart[] = [];
  const constructs: Construct[] = [];
  const chartCount = 1 + Math.floor(next() * 3);
  for (let c = 0; c < chartCount; c++) {
    const chart = new Chart(app, next() < 0.3 ? String(c) : `chart-${c}`);
    charts.push(chart);
    const scopes: Construct[] = [chart];
    const size = Math.floor(next() * 14);
    for (let i = 0; i < size; i++) {
      const scope = pick(scopes);
      const id = next() < 0.2 ? String(i) : `c${i}`;
      const roll = next();
      if (roll < 0.5) {
        constructs.push(new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap' }));
      } else if (roll < 0.9) {
        const group = new Construct(scope, id);
        scopes.push(group);
        constructs.push(group);
      } else {
        const nested = new Chart(scope, id);
        scopes.push(nested);
        charts.push(nested);
      }
    }
  }
  // Dependencies only from later to earlier constructs, so the graph has no cycle.
  constructs.forEach((source, i) => {
    while (i > 0 && next() < 0.35) source.node.addDependency(constructs[Math.floor(next() * i)]);
  });
  // Top-level charts may depend on earlier ones, and top-level constructs sit beside them.
  charts.forEach((chart, i) => {
    if (i > 0 && chart.node.scope === app && next() < 0.3) chart.addDependency(charts[Math.floor(next() * i)]);
  });
  if (next() < 0.3) new Construct(app, String(20 + Math.floor(next() * 20)));
  return { app, charts };
}

describe('the stock order of a chart\'s objects, without building its DependencyGraph', () => {
  test('equals DependencyGraph.topology() on 400 random apps (seeded)', () => {
    let reordered = 0;
    for (let seed = 1; seed <= 400; seed++) {
      for (const chart of randomApp(seed)) {
        const preorder = chart.node.findAll().filter((x) => ApiObject.isApiObject(x) && Chart.of(x) === chart).map((x) => x.node.path);
        if (stockOrder(chart).join() !== preorder.join()) reordered++;
        expect({ seed, chart: chart.node.path, order: chartObjectsInStockOrder(chart).map((x) => x.node.path) }).toEqual({
          seed,
          chart: chart.node.path,
          order: stockOrder(chart),
        });
      }
    }
    expect(reordered).toBeGreaterThan(100); // the dependencies really do change the order
  });

  test('the app\'s charts: equals app.charts on 400 random apps (seeded)', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { app } = randomAppWithRoot(seed);
      expect({ seed, charts: chartsInStockOrder(app).map((c) => c.node.path) }).toEqual({ seed, charts: app.charts.map((c) => c.node.path) });
    }
  });

  test('after app-wide resolution, as the linear synth calls it, on an app with dependent charts', () => {
    const charts = randomApp(7);
    stockSynthChart()!(charts[0]); // resolution turns cross-chart construct dependencies into ApiObject ones
    for (const chart of charts) expect(chartObjectsInStockOrder(chart).map((x) => x.node.path)).toEqual(stockOrder(chart));
    const app = charts[0].node.root as App;
    expect(chartsInStockOrder(app)).toEqual(app.charts);
  });

  test('a dependency cycle fails with stock cdk8s\'s error', () => {
    const chart = new Chart(Testing.app(), 'c');
    const a = new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap' });
    const b = new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap' });
    a.addDependency(b);
    b.addDependency(a);
    expect(() => chartObjectsInStockOrder(chart)).toThrow(/^Dependency cycle detected: c\/[ab] => c\/[ab]/);
  });
});
