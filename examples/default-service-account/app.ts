// Seed 001: a pod that runs as its namespace's `default` ServiceAccount. RBAC gives that account
// nothing, so reading a Secret is 403, yet API discovery (/api, /apis) works for any
// authenticated user through the bootstrap `system:discovery` role.
import { App, Chart } from 'cdk8s';
import { ReaderNetworkPolicy, ReaderPod, ReaderScript, RestrictedNamespace } from 'cdk8s-api-reader';

/** Builds the example into `app`. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'default-service-account');
  const namespace = new RestrictedNamespace(chart, 'Namespace', { name: 'sa-demo' });
  const script = new ReaderScript(chart, 'Script', { namespace });
  new ReaderPod(chart, 'Pod', {
    name: 'default-sa-pod',
    identity: { name: 'default', namespace: namespace.name },
    script,
    secret: { name: 'api-access-secret', namespace: namespace.name },
  });
  new ReaderNetworkPolicy(chart, 'NetworkPolicy', { namespace });
  return chart;
}
