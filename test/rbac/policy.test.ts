import { authorize, parseManifests, PolicyRule, RbacPolicy } from '../../lib/rbac';

const build = (yaml: string, bootstrap = false, validate = true) => RbacPolicy.fromLoadResult(parseManifests(yaml, 'p.yaml'), { bootstrap, validate });

describe('ClusterRole aggregation', () => {
  const policy = build(`
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {example.com/aggregate-to-monitoring: "true"}
  - matchExpressions: [{key: tier, operator: In, values: [gold]}]
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}   # hand-written: replaced by the aggregate
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: b-metrics, labels: {example.com/aggregate-to-monitoring: "true"}}
rules: [{apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: a-gold, labels: {tier: gold}}
rules:
- {apiGroups: [""], resources: [services], verbs: [list]}
- {apiGroups: [metrics.k8s.io], resources: [pods], verbs: [get]}
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: unlabelled}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: outer}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {nest: "yes"}}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: inner, labels: {nest: "yes"}}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {example.com/aggregate-to-monitoring: "true"}}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: empty-agg}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {selects: nothing}}]}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`);

  it('replaces hand-written rules by the union of matching roles, per selector, by name, without duplicates', () => {
    expect(policy.clusterRole('monitoring')?.rules).toEqual<PolicyRule[]>([
      { apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get'] },
      { apiGroups: [''], resources: ['services'], verbs: ['list'] },
    ]);
  });

  it('no longer grants the hand-written wildcard', () => {
    const p = RbacPolicy.fromObjects([
      ...(policy.clusterRoles()),
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'm' }, roleRef: { kind: 'ClusterRole', name: 'monitoring' }, subjects: [{ kind: 'User', name: 'u' }] },
    ], { bootstrap: false });
    expect(authorize(p, { name: 'u', groups: [] }, { verb: 'delete', resource: 'secrets', name: 's', namespace: 'x' }).allowed).toBe(false);
    expect(authorize(p, { name: 'u', groups: [] }, { verb: 'get', group: 'metrics.k8s.io', resource: 'pods', name: 'p', namespace: 'x' }).allowed).toBe(true);
  });

  it('resolves nested aggregation to a fixed point', () => {
    expect(policy.clusterRole('inner')?.rules).toEqual([{ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get'] }]);
    expect(policy.clusterRole('outer')?.rules).toEqual([{ apiGroups: ['metrics.k8s.io'], resources: ['pods'], verbs: ['get'] }]);
  });

  it('an aggregationRule that selects nothing leaves the role\'s own rules (the controller applies an empty list it never owned)', () => {
    expect(policy.clusterRole('empty-agg')?.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
  });

  it('refuses, as the server does, an aggregationRule without selectors or with an In/NotIn requirement without values', () => {
    const role = (rule: string) => `kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: r}\naggregationRule: ${rule}\n`;
    expect(() => build(role('{clusterRoleSelectors: []}'))).toThrow(/aggregationRule.clusterRoleSelectors must hold at least one selector/);
    expect(() => build(role('{}'))).toThrow(/aggregationRule.clusterRoleSelectors must hold at least one selector/);
    expect(() => build(role('{clusterRoleSelectors: [{matchExpressions: [{key: a, operator: In}]}]}'))).toThrow(/matchExpressions\[0\].values must be non-empty when operator is In/);
    expect(() => build(role('{clusterRoleSelectors: [{matchExpressions: [{key: a, operator: NotIn, values: []}]}]}'))).toThrow(/values must be non-empty when operator is NotIn/);
    expect(() => build(role('{clusterRoleSelectors: [{matchExpressions: [{key: a, operator: Exists, values: [x]}]}]}'))).toThrow(/values must be empty when operator is Exists/);
    expect(() => build(role('{clusterRoleSelectors: [{matchLabels: {"bad key!": x}}]}'))).toThrow(/is not a valid label key/);
    expect(build(role('null')).clusterRole('r')).toBeDefined();
  });

  it('reports an invalid selector and leaves the rules as written (validation off; with it on, the role is refused)', () => {
    const yaml = `
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: bad}
aggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: a, operator: Equal, values: [b]}]}]}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: other}
`;
    expect(() => build(yaml)).toThrow(/operator "Equal" is not a valid selector operator/);
    const p = build(yaml, false, false);
    expect(p.clusterRole('bad')?.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(p.problems.map((x) => x.kind)).toEqual(['invalid-aggregation']);
    expect(p.problems[0].message).toMatch(/^ClusterRole "bad" \(p\.yaml:2\) has an invalid aggregationRule .*"Equal" is not a valid operator/);
  });

  it('aggregates user roles into the bootstrap view role', () => {
    const p = build(`
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: crd-viewer, labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}}
rules: [{apiGroups: [example.com], resources: [widgets], verbs: [get, list, watch]}]
`, true);
    const rules = p.clusterRole('view')?.rules ?? [];
    expect(rules[0]).toEqual({ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] });
    expect(p.clusterRole('edit')?.rules).toContainEqual(rules[0]);
    expect(p.clusterRole('admin')?.rules).toContainEqual(rules[0]);
  });
});

describe('problems', () => {
  // Objects the server would reject are refused by default (validate.test.ts); here they are evaluated, to check the problems the evaluator reports for them.
  const p = build(`
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: to-missing-role, namespace: dev}
roleRef: {kind: Role, name: nope, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: User, name: u}]
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: to-missing-cr}
roleRef: {kind: ClusterRole, name: gone, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: ServiceAccount, name: sa}]
---
kind: RoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: no-ns}
roleRef: {kind: ClusterRole, name: gone, apiGroup: rbac.authorization.k8s.io}
subjects: [{kind: Robot, name: r2}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: twice}
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: twice}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
kind: ClusterRole
apiVersion: rbac.authorization.k8s.io/v1
metadata: {}
---
kind: ClusterRoleBinding
apiVersion: rbac.authorization.k8s.io/v1
metadata: {name: no-roleref}
`, false, false);

  it.each<[string, string, RegExp]>([
    ['a RoleBinding to a missing Role', 'missing-role',
      /^RoleBinding "to-missing-role\/dev" \(p\.yaml:2\) grants nothing: role\.rbac\.authorization\.k8s\.io "nope" not found; create Role "nope" in namespace "dev" \(a Role elsewhere does not count\)/],
    ['a ClusterRoleBinding to a missing ClusterRole', 'missing-role',
      /^ClusterRoleBinding "to-missing-cr" \(p\.yaml:8\) grants nothing: clusterrole\.rbac\.authorization\.k8s\.io "gone" not found; create ClusterRole "gone"/],
    ['a ClusterRoleBinding ServiceAccount subject without namespace', 'subject-matches-nobody',
      /^ClusterRoleBinding "to-missing-cr" \(p\.yaml:8\) has ServiceAccount subject "sa" without a namespace, which matches nobody/],
    ['a namespaced object without namespace', 'missing-namespace', /^RoleBinding "no-ns" \(p\.yaml:14\) has no metadata\.namespace; assuming "default"/],
    ['an unknown subject kind', 'subject-matches-nobody', /has a subject of kind "Robot", which matches nobody/],
    ['a duplicate object', 'duplicate', /^ClusterRole "twice" is defined more than once \(p\.yaml:20\) \(p\.yaml:24\); the last one wins/],
    ['an object without a name', 'invalid-object', /^A ClusterRole \(p\.yaml:29\) has no metadata\.name/],
    ['a binding without roleRef', 'invalid-object', /^ClusterRoleBinding "no-roleref" \(p\.yaml:33\) has no roleRef/],
  ])('reports %s', (_name, kind, message) => {
    expect(p.problems.filter((x) => x.kind === kind).map((x) => x.message)).toContainEqual(expect.stringMatching(message));
  });

  it('keeps the last of duplicate objects', () => {
    expect(p.clusterRole('twice')?.rules).toHaveLength(1);
  });

  it('lets loaded objects replace bootstrap ones without a duplicate warning', () => {
    const q = build('kind: ClusterRole\napiVersion: rbac.authorization.k8s.io/v1\nmetadata: {name: system:discovery}\nrules: []\n', true);
    expect(q.clusterRole('system:discovery')?.rules).toEqual([]);
    expect(q.problems).toEqual([]);
  });

  it('collects namespaces and service accounts', () => {
    const q = build(`
kind: Namespace
apiVersion: v1
metadata: {name: zeta}
---
kind: ServiceAccount
apiVersion: v1
metadata: {name: s, namespace: alpha}
`);
    expect(q.namespaces()).toEqual(['alpha', 'zeta']);
    expect(q.serviceAccounts().map((s) => s.metadata.name)).toEqual(['s']);
  });
});
