import {
  AccessRequest, authorize, BOOTSTRAP_POLICY_VERSION, bootstrapClusterRoleBindings, impersonatedUser, PolicyRule, RbacPolicy,
  ResourceAttributes, serviceAccountUser, UserInfo,
} from '../../lib/rbac';

/** view, edit and admin are granted in namespace `ns` through RoleBindings, as users do; cluster-admin to `root` cluster-wide. */
const policy = RbacPolicy.fromObjects([
  ...['view', 'edit', 'admin'].map((role) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `${role}-rb`, namespace: 'ns' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', name: `${role}-user` }],
  })),
  {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'root-admin' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'User', name: 'root' }],
  },
]);

const user = (name: string): UserInfo => impersonatedUser(name);
const inNs = (r: Omit<ResourceAttributes, 'namespace'>): AccessRequest => ({ ...r, namespace: 'ns' });

/** One case per bootstrap rule: [name, user, request, role whose rule must grant it]. */
const CASES: Array<[string, UserInfo, AccessRequest, string]> = [
  // system:aggregate-to-view (through view)
  ['view: get pods', user('view-user'), inNs({ verb: 'get', resource: 'pods', name: 'p' }), 'system:aggregate-to-view'],
  ['view: list events', user('view-user'), inNs({ verb: 'list', resource: 'events' }), 'system:aggregate-to-view'],
  ['view: watch events.events.k8s.io (since v1.35)', user('view-user'), inNs({ verb: 'watch', group: 'events.k8s.io', resource: 'events' }), 'system:aggregate-to-view'],
  ['view: get pods/log', user('view-user'), inNs({ verb: 'get', resource: 'pods', subresource: 'log', name: 'p' }), 'system:aggregate-to-view'],
  // namespaces is cluster-scoped: only namespaces/NAME carries a namespace (NAME), so only it can be granted in `ns`
  ['view: watch namespaces/ns', user('view-user'), inNs({ verb: 'watch', resource: 'namespaces', name: 'ns' }), 'system:aggregate-to-view'],
  ['view: list endpointslices.discovery.k8s.io', user('view-user'), inNs({ verb: 'list', group: 'discovery.k8s.io', resource: 'endpointslices' }), 'system:aggregate-to-view'],
  ['view: get deployments.apps/scale', user('view-user'), inNs({ verb: 'get', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'd' }), 'system:aggregate-to-view'],
  ['view: list horizontalpodautoscalers.autoscaling', user('view-user'), inNs({ verb: 'list', group: 'autoscaling', resource: 'horizontalpodautoscalers' }), 'system:aggregate-to-view'],
  ['view: get cronjobs.batch', user('view-user'), inNs({ verb: 'get', group: 'batch', resource: 'cronjobs', name: 'c' }), 'system:aggregate-to-view'],
  ['view: list ingresses.extensions', user('view-user'), inNs({ verb: 'list', group: 'extensions', resource: 'ingresses' }), 'system:aggregate-to-view'],
  ['view: get poddisruptionbudgets.policy', user('view-user'), inNs({ verb: 'get', group: 'policy', resource: 'poddisruptionbudgets', name: 'p' }), 'system:aggregate-to-view'],
  ['view: watch networkpolicies.networking.k8s.io', user('view-user'), inNs({ verb: 'watch', group: 'networking.k8s.io', resource: 'networkpolicies' }), 'system:aggregate-to-view'],
  ['view: get resourceclaims.resource.k8s.io', user('view-user'), inNs({ verb: 'get', group: 'resource.k8s.io', resource: 'resourceclaims', name: 'r' }), 'system:aggregate-to-view'],
  // system:aggregate-to-edit (through edit)
  ['edit: get secrets', user('edit-user'), inNs({ verb: 'get', resource: 'secrets', name: 's' }), 'system:aggregate-to-edit'],
  ['edit: impersonate serviceaccounts', user('edit-user'), inNs({ verb: 'impersonate', resource: 'serviceaccounts', name: 'sa' }), 'system:aggregate-to-edit'],
  ['edit: create pods/exec', user('edit-user'), inNs({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'p' }), 'system:aggregate-to-edit'],
  ['edit: create pods/eviction', user('edit-user'), inNs({ verb: 'create', resource: 'pods', subresource: 'eviction', name: 'p' }), 'system:aggregate-to-edit'],
  ['edit: create configmaps', user('edit-user'), inNs({ verb: 'create', resource: 'configmaps' }), 'system:aggregate-to-edit'],
  ['edit: delete events.events.k8s.io (since v1.35)', user('edit-user'), inNs({ verb: 'delete', group: 'events.k8s.io', resource: 'events', name: 'e' }), 'system:aggregate-to-edit'],
  ['edit: create serviceaccounts/token', user('edit-user'), inNs({ verb: 'create', resource: 'serviceaccounts', subresource: 'token', name: 'sa' }), 'system:aggregate-to-edit'],
  ['edit: patch deployments.apps', user('edit-user'), inNs({ verb: 'patch', group: 'apps', resource: 'deployments', name: 'd' }), 'system:aggregate-to-edit'],
  ['edit: update horizontalpodautoscalers.autoscaling', user('edit-user'), inNs({ verb: 'update', group: 'autoscaling', resource: 'horizontalpodautoscalers', name: 'h' }), 'system:aggregate-to-edit'],
  ['edit: delete jobs.batch', user('edit-user'), inNs({ verb: 'delete', group: 'batch', resource: 'jobs', name: 'j' }), 'system:aggregate-to-edit'],
  ['edit: create networkpolicies.extensions', user('edit-user'), inNs({ verb: 'create', group: 'extensions', resource: 'networkpolicies' }), 'system:aggregate-to-edit'],
  ['edit: deletecollection poddisruptionbudgets.policy', user('edit-user'), inNs({ verb: 'deletecollection', group: 'policy', resource: 'poddisruptionbudgets' }), 'system:aggregate-to-edit'],
  ['edit: create ingresses.networking.k8s.io', user('edit-user'), inNs({ verb: 'create', group: 'networking.k8s.io', resource: 'ingresses' }), 'system:aggregate-to-edit'],
  ['edit: list leases.coordination.k8s.io', user('edit-user'), inNs({ verb: 'list', group: 'coordination.k8s.io', resource: 'leases' }), 'system:aggregate-to-edit'],
  ['edit: create resourceclaimtemplates.resource.k8s.io', user('edit-user'), inNs({ verb: 'create', group: 'resource.k8s.io', resource: 'resourceclaimtemplates' }), 'system:aggregate-to-edit'],
  // system:aggregate-to-admin (through admin)
  ['admin: create localsubjectaccessreviews', user('admin-user'), inNs({ verb: 'create', group: 'authorization.k8s.io', resource: 'localsubjectaccessreviews' }), 'system:aggregate-to-admin'],
  ['admin: create rolebindings', user('admin-user'), inNs({ verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' }), 'system:aggregate-to-admin'],
  // cluster-admin (through system:masters)
  ['cluster-admin: delete any resource', user('root'), { verb: 'delete', group: 'x.io', resource: 'things', name: 't' }, 'cluster-admin'],
  ['cluster-admin: any non-resource URL', user('root'), { verb: 'post', path: '/anything' }, 'cluster-admin'],
  // system:discovery, system:basic-user, system:public-info-viewer, system:service-account-issuer-discovery
  ['discovery: get /apis/apps/v1 for any authenticated user', user('someone'), { verb: 'get', path: '/apis/apps/v1' }, 'system:discovery'],
  ['basic-user: create selfsubjectaccessreviews', user('someone'), { verb: 'create', group: 'authorization.k8s.io', resource: 'selfsubjectaccessreviews' }, 'system:basic-user'],
  ['basic-user: create selfsubjectreviews', user('someone'), { verb: 'create', group: 'authentication.k8s.io', resource: 'selfsubjectreviews' }, 'system:basic-user'],
  ['public-info-viewer: anonymous get /healthz', impersonatedUser('system:anonymous'), { verb: 'get', path: '/healthz' }, 'system:public-info-viewer'],
  ['service-account-issuer-discovery: a service account gets /openid/v1/jwks', serviceAccountUser('ns', 'sa'), { verb: 'get', path: '/openid/v1/jwks' }, 'system:service-account-issuer-discovery'],
];

const key = (r: PolicyRule) => JSON.stringify(r);

describe(`bootstrap policy (${BOOTSTRAP_POLICY_VERSION})`, () => {
  it.each(CASES)('%s', (_name, who, request, role) => {
    const d = authorize(policy, who, request);
    expect(d.allowed).toBe(true);
    const rules = (policy.clusterRole(role)?.rules ?? []).map(key);
    expect(rules).toContain(key(d.grant!.rule));
  });

  it('has a case for every rule of the user-facing bootstrap roles (aggregated roles through their pieces)', () => {
    const granted = new Set(CASES.map(([, who, request]) => key(authorize(policy, who, request).grant!.rule)));
    const roles = ['system:aggregate-to-view', 'system:aggregate-to-edit', 'system:aggregate-to-admin', 'cluster-admin', 'system:discovery',
      'system:basic-user', 'system:public-info-viewer', 'system:service-account-issuer-discovery'];
    const missing = roles.flatMap((r) => (policy.clusterRole(r)?.rules ?? []).filter((rule) => !granted.has(key(rule))).map((rule) => `${r}: ${key(rule)}`));
    expect(missing).toEqual([]);
  });

  it.each<[string, string, number]>([
    ['view is the union of system:aggregate-to-view', 'view', 12],
    ['edit adds system:aggregate-to-edit to view', 'edit', 27],
    ['admin adds system:aggregate-to-admin to edit', 'admin', 29],
  ])('aggregation: %s', (_name, role, count) => {
    expect(policy.clusterRole(role)?.rules).toHaveLength(count);
  });

  it.each<[string, UserInfo, AccessRequest]>([
    ['view cannot read secrets', user('view-user'), inNs({ verb: 'get', resource: 'secrets', name: 's' })],
    ['view cannot exec into pods', user('view-user'), inNs({ verb: 'create', resource: 'pods', subresource: 'exec', name: 'p' })],
    ['edit cannot create rolebindings', user('edit-user'), inNs({ verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'rolebindings' })],
    ['admin cannot escalate', user('admin-user'), inNs({ verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'roles', name: 'r' })],
    ['admin via RoleBinding grants nothing in another namespace', user('admin-user'), { verb: 'get', resource: 'pods', name: 'p', namespace: 'other' }],
    ['anonymous cannot discover APIs (discovery is for authenticated users)', impersonatedUser('system:anonymous'), { verb: 'get', path: '/api' }],
    ['discovery does not cover /metrics', user('someone'), { verb: 'get', path: '/metrics' }],
  ])('denies: %s', (_name, who, request) => {
    expect(authorize(policy, who, request).allowed).toBe(false);
  });

  it('binds groups only in these bindings: discovery and basic-user to system:authenticated, public-info-viewer also to system:unauthenticated, cluster-admin to system:masters', () => {
    const toGroups = bootstrapClusterRoleBindings().filter((b) => (b.subjects ?? []).some((s) => s.kind === 'Group'));
    expect(Object.fromEntries(toGroups.map((b) => [b.metadata.name, (b.subjects ?? []).map((s) => `${s.kind}:${s.name}`)]))).toEqual({
      'cluster-admin': ['Group:system:masters'],
      'system:basic-user': ['Group:system:authenticated'],
      'system:discovery': ['Group:system:authenticated'],
      'system:monitoring': ['Group:system:monitoring'],
      'system:public-info-viewer': ['Group:system:authenticated', 'Group:system:unauthenticated'],
      'system:service-account-issuer-discovery': ['Group:system:serviceaccounts'],
    });
  });

  it('binds each controller role to its controller\'s ServiceAccount in kube-system', () => {
    const controllers = bootstrapClusterRoleBindings().filter((b) => b.metadata.name.startsWith('system:controller:'));
    expect(controllers).toHaveLength(37);
    for (const b of controllers) {
      const name = b.metadata.name.slice('system:controller:'.length);
      expect([b.roleRef.name, b.subjects]).toEqual([b.metadata.name, [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }]]);
    }
  });

  it('leaves system:masters to the privileged-group authorizer before RBAC (an empty reason, as the server gives)', () => {
    expect(authorize(policy, impersonatedUser('someone', ['system:masters']), { verb: 'delete', resource: 'nodes', name: 'n' }))
      .toMatchObject({ allowed: true, reason: '' });
  });

  it('is left out with bootstrap: false', () => {
    const bare = RbacPolicy.fromObjects([], { bootstrap: false });
    expect(bare.clusterRoles()).toEqual([]);
    expect(authorize(bare, user('someone'), { verb: 'get', path: '/api' }).allowed).toBe(false);
  });
});
