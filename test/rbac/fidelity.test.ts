/**
 * Answers that depend on what the server does around RBAC: resource scope, the privileged group
 * authorizer, and the clusterrole-aggregation controller's edge cases (issue 12).
 */
import { authorize, impersonatedUser, RbacPolicy, requestNamespace, whoCan } from '../../lib/rbac';

const rbac = 'rbac.authorization.k8s.io/v1';
const nodeReader = { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'node-reader' }, rules: [{ apiGroups: [''], resources: ['nodes', 'namespaces'], verbs: ['get', 'list'] }] };
const widgetReader = { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'widget-reader' }, rules: [{ apiGroups: ['example.com'], resources: ['widgets', 'gadgets'], verbs: ['list'] }] };
const rb = (name: string, role: string, namespace = 'default') => ({
  apiVersion: rbac, kind: 'RoleBinding', metadata: { name, namespace },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: 'erin' }],
});
const crd = (plural: string, scope: string) => ({
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.example.com` },
  spec: { group: 'example.com', scope, names: { plural, kind: plural } },
});
const erin = impersonatedUser('erin');

describe('cluster-scoped resources', () => {
  const policy = RbacPolicy.fromObjects([
    nodeReader, widgetReader, rb('node-reader', 'node-reader'), rb('widget-reader', 'widget-reader'),
    crd('widgets', 'Cluster'), crd('gadgets', 'Namespaced'),
  ], { bootstrap: false });

  it('are never granted through a RoleBinding: the request carries no namespace', () => {
    const request = { verb: 'list', resource: 'nodes', namespace: 'default' };
    expect(authorize(policy, erin, request).allowed).toBe(false);
    expect(whoCan(policy, request).entries).toEqual([]);
  });

  it('take their scope from CustomResourceDefinitions in the manifests (spec.scope)', () => {
    expect(authorize(policy, erin, { verb: 'list', group: 'example.com', resource: 'widgets', namespace: 'default' }).allowed).toBe(false);
    expect(authorize(policy, erin, { verb: 'list', group: 'example.com', resource: 'gadgets', namespace: 'default' }).allowed).toBe(true);
    expect(policy.isClusterScoped('example.com', 'widgets')).toBe(true);
  });

  it('namespaces/NAME carries the name as its namespace, as the URL /api/v1/namespaces/NAME does', () => {
    expect(requestNamespace({ verb: 'get', resource: 'namespaces', name: 'default', namespace: 'dev' }, policy)).toBe('default');
    expect(authorize(policy, erin, { verb: 'get', resource: 'namespaces', name: 'default', namespace: 'default' }).allowed).toBe(true);
    expect(authorize(policy, erin, { verb: 'list', resource: 'namespaces', namespace: 'default' }).allowed).toBe(false);
  });

  it('namespaced resources keep their namespace, and a resource nobody declared counts as namespaced', () => {
    expect(requestNamespace({ verb: 'get', resource: 'pods', namespace: 'dev' }, policy)).toBe('dev');
    expect(requestNamespace({ verb: 'get', group: 'unknown.io', resource: 'things', namespace: 'dev' }, policy)).toBe('dev');
  });
});

describe('system:masters', () => {
  it('is allowed by the privileged-group authorizer before RBAC, with an empty reason, even without the bootstrap policy', () => {
    const d = authorize(RbacPolicy.fromObjects([], { bootstrap: false }), impersonatedUser('root', ['system:masters']), { verb: 'delete', resource: 'nodes' });
    expect(d).toMatchObject({ allowed: true, reason: '', errors: [] });
    expect(d.grant).toBeUndefined();
  });
});

describe('aggregation', () => {
  const aggregating = (rules: unknown[]) => ({
    apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'monitoring' },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] }, rules,
  });
  const own = { apiGroups: [''], resources: ['pods'], verbs: ['list'] };

  it('keeps a role\'s own rules while its selectors match nothing (the controller applies no rules)', () => {
    const policy = RbacPolicy.fromObjects([aggregating([own])], { bootstrap: false });
    expect(policy.clusterRole('monitoring')?.rules).toEqual([own]);
  });

  it('replaces them with the selected roles\' rules once a selector matches', () => {
    const selected = { apiGroups: [''], resources: ['services'], verbs: ['get'] };
    const policy = RbacPolicy.fromObjects([
      aggregating([own]),
      { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'svc', labels: { 'example.com/aggregate-to-monitoring': 'true' } }, rules: [selected] },
    ], { bootstrap: false });
    expect(policy.clusterRole('monitoring')?.rules).toEqual([selected]);
  });
});
