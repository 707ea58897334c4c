/**
 * The only place that reaches into cdk8s-core beyond its public API. The linear synth needs two
 * things stock cdk8s keeps `@internal`: the per-chart entry point `App._synthChart` (app-wide
 * validation and resolution, then one chart's objects) and whether the app records construct
 * metadata. Each accessor returns `undefined` when cdk8s no longer has it, and the caller then
 * falls back to the stock `app.synth()`. `test/synth/cdk8s-internals.test.ts` fails when a cdk8s
 * upgrade removes or reshapes them, so the fallback never becomes the silent normal.
 */
import { App, Chart } from 'cdk8s';

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
