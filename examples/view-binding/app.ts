// Seed 002: bind the built-in `view` ClusterRole to a namespace's `default` ServiceAccount with
// a RoleBinding, so pods in that namespace may read (not write) its objects, Secrets excluded.
import { App, Chart } from 'cdk8s';
import { AccessBinding, AccessRole, RestrictedNamespace } from 'cdk8s-api-reader';

/** Builds the example into `app`. */
export function build(app: App): Chart {
  const chart = new Chart(app, 'view-binding');
  const namespace = new RestrictedNamespace(chart, 'Namespace', { name: 'view-demo' });
  new AccessBinding(chart, 'DefaultCanView', {
    name: 'default-view',
    namespace: namespace.name,
    role: AccessRole.fromClusterRoleName('view'),
    subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: namespace.name }],
  });
  return chart;
}
