import { diffGrants, ObservedAccess } from '../../lib/audit';
import { RbacPolicy } from '../../lib/rbac';

const SA = 'system:serviceaccount:dev:writer';
const policy = RbacPolicy.fromObjects([
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm', namespace: 'dev' }, rules: [{ apiGroups: [''], resources: ['configmaps', 'configmaps/status'], resourceNames: ['settings'], verbs: ['create', 'get'] }] },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'cm', namespace: 'dev' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'ServiceAccount', name: 'writer' }],
  },
], { bootstrap: false });
const access = (verb: string, extra: Partial<ObservedAccess> = {}): ObservedAccess => ({
  verb, group: '', resource: 'configmaps', subresource: '', name: 'settings', namespace: 'dev', decision: 'allow',
  count: 1, firstTime: '2025-01-01T00:00:00Z', lastTime: '2025-01-01T00:00:00Z', ...extra,
});

describe('diffGrants and resourceNames', () => {
  it('never counts a create as covered by a rule limited by resourceNames: the server authorizes it without a name', () => {
    const diff = diffGrants(policy, SA, [access('create'), access('get')]);
    expect(diff.usedButNotGranted.map((c) => c.access.verb)).toEqual(['create']);
  });

  it('keeps the name of a create on a subresource, which the URL carries', () => {
    const diff = diffGrants(policy, SA, [access('create', { subresource: 'status' })]);
    expect(diff.usedButNotGranted).toEqual([]);
  });
});
