// Seed 003: a cluster-wide log exporter. Its ClusterRole reads pods, pod logs and namespaces;
// a ClusterRoleBinding grants it in every namespace. The binding's subject names the
// ServiceAccount's namespace (a missing or wrong one fails synth).
import { App, Chart } from 'cdk8s';
import { ReaderIdentity, RestrictedNamespace } from 'cdk8s-api-reader';

/** Builds the example into `app`. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'log-exporter');
  const namespace = new RestrictedNamespace(chart, 'Namespace', { name: 'log-exporter' });
  const exporter = new ReaderIdentity(chart, 'Exporter', { namespace, serviceAccountName: 'log-exporter-sa', clusterWide: true });
  exporter.grant({ verbs: ['get', 'list'], resources: ['pods', 'pods/log', 'namespaces'] });
  return chart;
}
