import { App, Chart, Testing } from 'cdk8s';
import { KubeConfigMap } from '../../imports/k8s';
import { recordsConstructMetadata, stockSynthChart } from '../../lib/synth/private/cdk8s-internals';

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

  it('recordConstructMetadata is still read from the app', () => {
    expect(recordsConstructMetadata(new App({ recordConstructMetadata: true, outdir: '/nonexistent' }))).toBe(true);
    expect(recordsConstructMetadata(new App({ outdir: '/nonexistent' }))).toBe(false);
  });
});
