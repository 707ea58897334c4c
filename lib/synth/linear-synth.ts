import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, YamlOutputType } from 'cdk8s';
import { recordsConstructMetadata, stockSynthChart } from './private/cdk8s-internals';
import { stringifyDocuments } from './yaml-writer';

/**
 * Writes the same files as `app.synth()` in time linear in the number of charts.
 *
 * Stock `App.synth()` renders each chart through `Chart.toJson()`, which re-runs app-wide
 * dependency resolution and validation for every chart: quadratic in the number of charts.
 * Here the stock per-chart path runs once (so every validation still runs and every
 * dependency is still resolved, with the stock error messages), then each chart's objects are
 * taken in the same dependency order and written with the byte-identical fast YAML writer.
 * Anything this does not cover (other output layouts, construct metadata, a cdk8s without the
 * per-chart entry point) goes through `app.synth()` unchanged.
 *
 * @param app the app to synthesize into `app.outdir`
 */
export function synthAppLinear(app: App): void {
  const synthChart = stockSynthChart();
  const recordsMetadata = recordsConstructMetadata(app);
  // Any chart will do to run the app-wide validate + resolve; a top-level child avoids sorting the
  // whole app (`app.charts`) twice, which costs a quarter second at 1,000 charts.
  const first = app.node.children.find(Chart.isChart) ?? app.charts[0];
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART || recordsMetadata || synthChart === undefined || first === undefined) {
    app.synth();
    return;
  }
  fs.mkdirSync(app.outdir, { recursive: true });
  const firstObjects = synthChart(first);
  // Resolution may add chart dependencies, which decide the order: take it afterwards.
  const ordered = app.charts;
  const indexed = ordered.some((chart) => chart.node.dependencies.some((dep) => Chart.isChart(dep) && dep !== chart));
  ordered.forEach((chart, index) => {
    const objects = chart === first ? firstObjects : chartObjects(chart).map((o) => o.toJson());
    const name = `${indexed ? `${String(index).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
    fs.writeFileSync(path.join(app.outdir, `${name}${app.outputFileExtension}`), stringifyDocuments(objects), 'utf8');
  });
}

/** A chart's own API objects in dependency order (the stock `chartToKube`). */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node)
    .topology()
    .filter((x): x is ApiObject => ApiObject.isApiObject(x))
    .filter((x) => Chart.of(x) === chart);
}
