import {
  AccessRequest, authorize, parseManifests, RbacPolicy, rulesFor, serviceAccountUser, UserInfo, whoCan, InvalidRequestError,
} from '../../lib/rbac';

/** Short-string fixtures: the policy under test, without the bootstrap policy unless a test says so. */
const MANIFESTS = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules:
- {apiGroups: [""], resources: [pods, pods/log], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-editor, namespace: dev}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-editor, namespace: prod}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: ["*"]}
---
# RoleBinding -> ClusterRole: pod-reader only in dev
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects:
- {kind: User, name: alice}
- {kind: ServiceAccount, name: app}
---
# RoleBinding -> Role of its own namespace
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: edit-cm, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-editor}
subjects: [{kind: Group, name: devs}]
---
# RoleBinding -> Role that exists only in another namespace
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: edit-cm, namespace: staging}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cm-editor}
subjects: [{kind: Group, name: devs}]
---
# ClusterRoleBinding: nodes for ops, everywhere
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-reader}
rules:
- {apiGroups: [""], resources: [nodes], verbs: [get, list]}
- {nonResourceURLs: [/metrics, /debug/*], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-nodes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
subjects:
- {kind: ServiceAccount, name: app}
- {kind: Group, name: ops}
---
# ClusterRoleBinding to a missing ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: dangling}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ghost}
subjects: [{kind: Group, name: ops}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops-pods}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-reader}
subjects: [{kind: Group, name: ops}]
`;

// validate: false: the fixture holds a ClusterRoleBinding the server would reject (a ServiceAccount
// subject without a namespace), to check the authorizer's own handling of it (it matches nobody).
const policy = RbacPolicy.fromLoadResult(parseManifests(MANIFESTS, 'policy.yaml'), { bootstrap: false, validate: false });
const alice: UserInfo = { name: 'alice', groups: ['system:authenticated'] };
const dev: UserInfo = { name: 'dan', groups: ['devs', 'system:authenticated'] };
const ops: UserInfo = { name: 'olga', groups: ['ops', 'system:authenticated'] };
const app = serviceAccountUser('dev', 'app');
const appProd = serviceAccountUser('prod', 'app');

describe('authorize: scoping and reasons', () => {
  it.each<[string, UserInfo, AccessRequest, boolean, string]>([
    ['RoleBinding to a ClusterRole grants in its namespace', alice, { verb: 'list', resource: 'pods', namespace: 'dev' }, true,
      'RBAC: allowed by RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to User "alice"'],
    ['RoleBinding to a ClusterRole grants nothing in another namespace', alice, { verb: 'list', resource: 'pods', namespace: 'prod' }, false, ''],
    ['RoleBinding grants nothing cluster-wide', alice, { verb: 'list', resource: 'pods' }, false, ''],
    ['RoleBinding grants the subresource the role lists', alice, { verb: 'get', resource: 'pods', subresource: 'log', name: 'p', namespace: 'dev' }, true,
      'RBAC: allowed by RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to User "alice"'],
    ['RoleBinding SA subject without namespace means the binding\'s namespace', app, { verb: 'get', resource: 'pods', name: 'p', namespace: 'dev' }, true,
      'RBAC: allowed by RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to ServiceAccount "app/dev"'],
    ['the same SA name in another namespace is another subject', appProd, { verb: 'get', resource: 'pods', name: 'p', namespace: 'dev' }, false, ''],
    ['RoleBinding to a Role of its own namespace', dev, { verb: 'update', resource: 'configmaps', name: 'c', namespace: 'dev' }, true,
      'RBAC: allowed by RoleBinding "edit-cm/dev" of Role "cm-editor" to Group "devs"'],
    ['the Role grants only its own rules', dev, { verb: 'delete', resource: 'configmaps', name: 'c', namespace: 'dev' }, false, ''],
    ['a same-named Role in another namespace grants nothing', dev, { verb: 'update', resource: 'configmaps', name: 'c', namespace: 'staging' }, false,
      'RBAC: role.rbac.authorization.k8s.io "cm-editor" not found'],
    ['ClusterRoleBinding grants in every namespace', ops, { verb: 'watch', resource: 'pods', namespace: 'anything' }, true,
      'RBAC: allowed by ClusterRoleBinding "ops-pods" of ClusterRole "pod-reader" to Group "ops"'],
    ['ClusterRoleBinding grants cluster-wide', ops, { verb: 'list', resource: 'nodes' }, true,
      'RBAC: allowed by ClusterRoleBinding "ops-nodes" of ClusterRole "node-reader" to Group "ops"'],
    ['ClusterRoleBinding SA subject without namespace matches nobody', app, { verb: 'list', resource: 'nodes' }, false, ''],
    ['non-resource URL via ClusterRoleBinding', ops, { verb: 'get', path: '/metrics' }, true,
      'RBAC: allowed by ClusterRoleBinding "ops-nodes" of ClusterRole "node-reader" to Group "ops"'],
    ['non-resource URL prefix', ops, { verb: 'get', path: '/debug/pprof' }, true,
      'RBAC: allowed by ClusterRoleBinding "ops-nodes" of ClusterRole "node-reader" to Group "ops"'],
    ['denied non-resource URL carries the missing-role error of an applicable binding', ops, { verb: 'get', path: '/debug' }, false,
      'RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found'],
    ['a missing role does not stop a later binding from allowing', ops, { verb: 'get', resource: 'pods', name: 'p', namespace: 'x' }, true,
      'RBAC: allowed by ClusterRoleBinding "ops-pods" of ClusterRole "pod-reader" to Group "ops"'],
    ['a missing role of a binding that does not apply is not reported', alice, { verb: 'delete', resource: 'pods', name: 'p', namespace: 'dev' }, false, ''],
    ['nobody bound', { name: 'eve', groups: [] }, { verb: 'get', path: '/metrics' }, false, ''],
  ])('%s', (_name, user, request, allowed, reason) => {
    const d = authorize(policy, user, request);
    expect(d.allowed).toBe(allowed);
    expect(d.reason).toBe(reason);
  });

  it('walks ClusterRoleBindings before RoleBindings', () => {
    const p = RbacPolicy.fromObjects(parseManifests(`
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: rb, namespace: dev}
roleRef: {kind: ClusterRole, name: all, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: User, name: u}]
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: crb}
roleRef: {kind: ClusterRole, name: all, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: User, name: u}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: all}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
`).objects.map((o) => o.object), { bootstrap: false });
    expect(authorize(p, { name: 'u', groups: [] }, { verb: 'get', resource: 'pods', namespace: 'dev' }).reason)
      .toBe('RBAC: allowed by ClusterRoleBinding "crb" of ClusterRole "all" to User "u"');
  });

  it('names the first subject of the binding that applies', () => {
    const p = RbacPolicy.fromObjects([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'r' },
        subjects: [{ kind: 'Group', name: 'g' }, { kind: 'User', name: 'u' }] },
    ], { bootstrap: false });
    expect(authorize(p, { name: 'u', groups: ['g'] }, { verb: 'get', path: '/x' }).reason)
      .toBe('RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to Group "g"');
  });

  it('aggregates several errors the upstream way', () => {
    const p = RbacPolicy.fromObjects([
      { kind: 'ClusterRoleBinding', metadata: { name: 'a' }, roleRef: { kind: 'ClusterRole', name: 'x' }, subjects: [{ kind: 'User', name: 'u' }] },
      { kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Other', name: 'y' }, subjects: [{ kind: 'User', name: 'u' }] },
      { kind: 'RoleBinding', metadata: { name: 'c', namespace: 'n' }, roleRef: { kind: 'Role', name: 'z' }, subjects: [{ kind: 'User', name: 'u' }] },
    ], { bootstrap: false, validate: false }); // roleRef kind "Other" is refused on create; here: what the authorizer says of it
    const d = authorize(p, { name: 'u', groups: [] }, { verb: 'get', resource: 'pods', namespace: 'n' });
    expect(d.allowed).toBe(false);
    expect(d.reason).toBe('RBAC: [clusterrole.rbac.authorization.k8s.io "x" not found, unsupported role reference kind: "Other", role.rbac.authorization.k8s.io "z" not found]');
    expect(d.errors).toHaveLength(3);
  });

  it('explains a denial in upstream\'s log wording', () => {
    expect(authorize(policy, app, { verb: 'list', resource: 'secrets', namespace: 'dev' }).explanation).toBe(
      'RBAC: no rules authorize user "system:serviceaccount:dev:app" with groups ["system:serviceaccounts" "system:serviceaccounts:dev" "system:authenticated"] ' +
      'to "list" resource "secrets" in namespace "dev"');
  });

  it('returns the granting rule and source', () => {
    const d = authorize(policy, dev, { verb: 'update', resource: 'configmaps', name: 'c', namespace: 'dev' });
    expect(d.grant?.rule).toEqual({ apiGroups: [''], resources: ['configmaps'], verbs: ['update'] });
    expect(d.grant?.source).toMatchObject({ bindingKind: 'RoleBinding', bindingName: 'edit-cm', bindingNamespace: 'dev', roleRef: { kind: 'Role', name: 'cm-editor' } });
  });

  it.each<[string, AccessRequest, RegExp]>([
    ['an empty verb', { verb: '', resource: 'pods' }, /needs a verb/],
    ['an empty resource', { verb: 'get', resource: '' }, /needs a resource/],
    ['an empty path', { verb: 'get', path: '' }, /needs a path/],
  ])('rejects a request with %s', (_name, request, message) => {
    expect(() => authorize(policy, alice, request)).toThrow(InvalidRequestError);
    expect(() => authorize(policy, alice, request)).toThrow(message);
  });
});

describe('whoCan', () => {
  it('lists every subject allowed, with the granting binding, ClusterRoleBindings first', () => {
    const r = whoCan(policy, { verb: 'get', resource: 'pods', name: 'p', namespace: 'dev' });
    expect(r.entries.map((e) => e.grant.source.description)).toEqual([
      'ClusterRoleBinding "ops-pods" of ClusterRole "pod-reader" to Group "ops"',
      'RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to User "alice"',
      'RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to ServiceAccount "app/dev"',
    ]);
    expect(r.entries[2].subject).toEqual({ kind: 'ServiceAccount', name: 'app', namespace: 'dev' });
    expect(r.entries[2].username).toBe('system:serviceaccount:dev:app');
    expect(r.errors).toEqual(['ClusterRoleBinding "dangling": clusterrole.rbac.authorization.k8s.io "ghost" not found']);
  });

  it('skips a ClusterRoleBinding ServiceAccount subject without namespace', () => {
    const r = whoCan(policy, { verb: 'list', resource: 'nodes' });
    expect(r.entries.map((e) => `${e.subject.kind}:${e.subject.name}`)).toEqual(['Group:ops']);
  });

  it('agrees with authorize for every subject it lists', () => {
    const request: AccessRequest = { verb: 'update', resource: 'configmaps', name: 'c', namespace: 'dev' };
    const r = whoCan(policy, request);
    expect(r.entries.map((e) => e.subject)).toEqual([{ kind: 'Group', name: 'devs' }]);
    expect(authorize(policy, dev, request).allowed).toBe(true);
  });

  it('lists RoleBindings of the request namespace only', () => {
    expect(whoCan(policy, { verb: 'list', resource: 'pods', namespace: 'prod' }).entries.map((e) => e.grant.source.bindingName)).toEqual(['ops-pods']);
  });
});

describe('rulesFor', () => {
  it('lists cluster-wide and namespace rules with sources, in walk order', () => {
    const r = rulesFor(policy, app, 'dev');
    expect(r.rules.map((g) => g.source.description)).toEqual([
      'RoleBinding "read-pods/dev" of ClusterRole "pod-reader" to ServiceAccount "app/dev"',
    ]);
  });

  it('reports errors of applicable bindings', () => {
    const r = rulesFor(policy, ops);
    expect(r.rules.map((g) => g.source.bindingName)).toEqual(['ops-nodes', 'ops-nodes', 'ops-pods']);
    expect(r.errors).toEqual(['clusterrole.rbac.authorization.k8s.io "ghost" not found']);
  });
});
