/** Named cells of the matrix: the object names that rules limited by resourceNames allow, merged over rules and sorted. */
import { buildMatrix, RbacPolicy } from '../../lib/rbac';

const role = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'dev' }, rules });
const bind = (name: string, roleName: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace: 'dev' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName }, subjects: [{ kind: 'User', name: 'alice' }],
});

function cells(objects: unknown[], validate = true) {
  const policy = RbacPolicy.fromObjects(objects, { bootstrap: false, validate });
  const [m] = buildMatrix(policy, [{ user: { name: 'alice', groups: [] }, namespace: 'dev' }],
    [{ group: '', resource: 'secrets', label: 'secrets' }, { group: '', resource: 'pods', label: 'pods' }], ['get', 'delete']);
  return m.rows.map((r) => [r.resource, r.cells.map((c) => (c.names ? `${c.state}:${c.names.join(',')}` : c.state))]);
}

describe('matrix: named cells', () => {
  it('merges the names of every rule that allows the request, sorted, once each', () => {
    expect(cells([
      role('a', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['z', 'b'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['delete'], resourceNames: ['d'] }]),
      role('b', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'delete'], resourceNames: ['b', 'a'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]),
      bind('ra', 'a'), bind('rb', 'b'),
    ])).toEqual([['secrets', ['named:a,b,z', 'named:a,b,d']], ['pods', ['allowed', 'denied']]]);
  });

  it('checks each name of a list that is not all strings (objects evaluated unvalidated)', () => {
    expect(cells([role('a', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: [null, 'x', 'y'] }]), bind('ra', 'a')], false))
      .toEqual([['secrets', ['named:x,y', 'denied']], ['pods', ['denied', 'denied']]]);
  });
});
