import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Names, YamlOutputType } from 'cdk8s';
import { apiObjectRenderer } from './fast-render';
import { chartObjectsInStockOrder, chartsInStockOrder, recordsConstructMetadata, stockSynthChart } from './private/cdk8s-internals';
import { markSynthPhase } from './private/phases';
import { stringifyDocuments } from './yaml-writer';
import { validateUniqueObjectNames } from '../unique-names';

/**
 * Writes the same files as `app.synth()` in time linear in the number of charts.
 *
 * Stock `App.synth()` renders each chart through `Chart.toJson()`, which re-runs app-wide
 * dependency resolution and validation for every chart: quadratic in the number of charts.
 * Here the stock per-chart path runs once (so every validation still runs and every
 * dependency is still resolved, with the stock error messages), then each chart's objects are
 * taken in the same dependency order, rendered by `apiObjectRenderer` (the same JSON as
 * `toJson()`) and written with the byte-identical fast YAML writer.
 * Anything this does not cover (other output layouts, construct metadata, a cdk8s without the
 * per-chart entry point) goes through `app.synth()` unchanged.
 *
 * Like every synth of this library, it refuses two objects that land on one API object
 * (see `validateUniqueObjectNames`).
 *
 * The phases are marked with User Timing marks (`performance.mark`, see `SYNTH_PHASES`), which
 * is what the benchmark's breakdown reads.
 *
 * @param app the app to synthesize into `app.outdir`
 */
export function synthAppLinear(app: App): void {
  synthAppLinearFiles(app);
}

/**
 * {@link synthAppLinear}, returning the text of each chart file it wrote (path -> text), or
 * `undefined` when it handed the app to `app.synth()`.
 *
 * @param app the app to synthesize into `app.outdir`
 */
export function synthAppLinearFiles(app: App): ReadonlyMap<string, string> | undefined {
  // Two objects with one name fail synth, whatever constructs the app is made of.
  validateUniqueObjectNames(app);
  const synthChart = stockSynthChart();
  const recordsMetadata = recordsConstructMetadata(app);
  // Any chart will do to run the app-wide validate + resolve: a top-level child, found without sorting the app.
  const first = app.node.children.find(Chart.isChart) ?? chartsInStockOrder(app)[0];
  if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART || recordsMetadata || synthChart === undefined || first === undefined) {
    app.synth();
    return undefined;
  }
  markSynthPhase('start');
  const firstObjects = synthChart(first);
  markSynthPhase('resolved');
  // Resolution may add chart dependencies, which decide the order: take it afterwards.
  const ordered = chartsInStockOrder(app);
  const indexed = ordered.some((chart) => chart.node.dependencies.some((dep) => Chart.isChart(dep) && dep !== chart));
  const render = apiObjectRenderer(app);
  const files = ordered.map((chart, index) => {
    const objects = chart === first ? firstObjects : chartObjectsInStockOrder(chart).map(render);
    const name = `${indexed ? `${String(index).padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
    return { file: path.join(app.outdir, `${name}${app.outputFileExtension}`), text: stringifyDocuments(objects) };
  });
  markSynthPhase('serialized');
  fs.mkdirSync(app.outdir, { recursive: true });
  for (const { file, text } of files) fs.writeFileSync(file, text, 'utf8');
  markSynthPhase('written');
  return new Map(files.map(({ file, text }) => [file, text]));
}
