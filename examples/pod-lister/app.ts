// Seed 003 (first part): a namespaced Role that lists pods, bound to a custom ServiceAccount
// `demo-sa`. The Role grants in `default` only; every other namespace is 403.
import { App, Chart } from 'cdk8s';
import { ReaderIdentity, RestrictedNamespace } from 'cdk8s-api-reader';

/** Builds the example into `app`. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'pod-lister');
  const reader = new ReaderIdentity(chart, 'Demo', {
    namespace: RestrictedNamespace.fromNamespaceName('default'),
    serviceAccountName: 'demo-sa',
    namespacedRole: true,
  });
  reader.grant({ verbs: ['get', 'list', 'watch'], resources: ['pods'] });
  return chart;
}
