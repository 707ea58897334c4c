import { authorize, InvalidObjectError, parseManifests, RbacPolicy, unservedVersionWarning, validateRbacObject } from '../../lib/rbac';

/** A ClusterRole named `cr` with one rule, bound to the User alice by a ClusterRoleBinding: the role starts on line 1, the binding on line 7. */
const grant = (rule: string, binding = 'subjects: [{kind: User, name: alice}]') => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
rules:
- ${rule}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
${binding}
`;

const build = (yaml: string) => RbacPolicy.fromLoadResult(parseManifests(yaml, 'p.yaml'), { bootstrap: false });

describe('objects the API server would reject are refused, with file:line', () => {
  it.each<[string, string, RegExp]>([
    ['verbs as a string', grant('{apiGroups: [""], resources: [secrets], verbs: "*"}'),
      /^p\.yaml:1: ClusterRole "cr" would be rejected by the API server: rules\[0\]\.verbs must be a list of strings, not a string \("\*"\); write verbs: \["\*"\]\.$/],
    ['resourceNames as a string', grant('{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: "xapi-access-secretx"}'),
      /^p\.yaml:1: ClusterRole "cr" .*rules\[0\]\.resourceNames must be a list of strings, not a string \("xapi-access-secretx"\); write resourceNames: \["xapi-access-secretx"\]/],
    ['a verb that is not a string', grant('{apiGroups: [""], resources: [secrets], verbs: [get, 3]}'), /^p\.yaml:1: .*rules\[0\]\.verbs\[1\] must be a string, not a number \(3\)/],
    ['a rule that is not an object', grant('get'), /^p\.yaml:1: .*rules\[0\] must be an object .*not a string \("get"\)/],
    ['a rule without verbs', grant('{apiGroups: [""], resources: [secrets]}'), /^p\.yaml:1: .*rules\[0\]\.verbs must contain at least one value/],
    ['a resource rule without apiGroups', grant('{resources: [secrets], verbs: [get]}'), /rules\[0\]\.apiGroups must contain at least one api group/],
    ['a rule mixing resources and URLs', grant('{apiGroups: [""], resources: [secrets], verbs: [get], nonResourceURLs: [/x]}'), /cannot apply to both regular resources and non-resource URLs/],
    ['subjects: [null]', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [null]'),
      /^p\.yaml:7: ClusterRoleBinding "crb" would be rejected by the API server: subjects\[0\] must be an object with kind and name, not null\.$/],
    ['subjects as an object', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: {kind: User, name: alice}'), /^p\.yaml:7: .*subjects must be a list of subjects, not an object/],
    ['an unknown subject kind', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: Robot, name: r}]'),
      /^p\.yaml:7: .*subjects\[0\]\.kind must be one of ServiceAccount, User, Group, not "Robot"/],
    ['a subject without a name', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: Group}]'), /subjects\[0\]\.name is required/],
    ['a ServiceAccount without namespace in a ClusterRoleBinding', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: ServiceAccount, name: sa}]'),
      /subjects\[0\]\.namespace is required for a ServiceAccount in a ClusterRoleBinding/],
    ['a ServiceAccount with an apiGroup', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: ServiceAccount, name: sa, namespace: dev, apiGroup: rbac.authorization.k8s.io}]'),
      /subjects\[0\]\.apiGroup must be "" for a ServiceAccount/],
    ['an invalid ServiceAccount name', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: ServiceAccount, name: My_SA, namespace: dev}]'),
      /subjects\[0\]\.name "My_SA" is not a valid ServiceAccount name/],
    ['a User with another apiGroup', grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: User, name: alice, apiGroup: v1}]'),
      /subjects\[0\]\.apiGroup must be "rbac\.authorization\.k8s\.io" for a User, not "v1"/],
  ])('%s', (_name, yaml, message) => {
    expect(() => build(yaml)).toThrow(InvalidObjectError);
    expect(() => build(yaml)).toThrow(message);
  });

  it.each<[string, string, RegExp]>([
    ['rules: {}', 'kind: Role\nmetadata: {name: r, namespace: dev}\nrules: {}', /^p\.yaml:1: Role "r" would be rejected by the API server: rules must be a list of rules, not an object/],
    ['a namespaced rule on URLs', 'kind: Role\nmetadata: {name: r, namespace: dev}\nrules: [{verbs: [get], nonResourceURLs: [/x]}]', /namespaced rules cannot apply to non-resource URLs/],
    ['no name', 'kind: ClusterRole\nmetadata: {}', /^p\.yaml:1: A ClusterRole without a name .*metadata\.name is required/],
    ['a name with a slash', 'kind: ClusterRole\nmetadata: {name: a/b}', /metadata\.name "a\/b" may not contain "\/"/],
    ['no roleRef', 'kind: RoleBinding\nmetadata: {name: b, namespace: dev}', /^p\.yaml:1: RoleBinding "b" .*roleRef is required/],
    ['a roleRef of another group', 'kind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: example.com, kind: Role, name: r}', /roleRef\.apiGroup must be "rbac\.authorization\.k8s\.io", not "example\.com"/],
    ['a ClusterRoleBinding to a Role', 'kind: ClusterRoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}', /roleRef\.kind must be ClusterRole, not "Role"/],
    ['a roleRef of another kind', 'kind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {kind: Other, name: r}', /roleRef\.kind must be Role or ClusterRole, not "Other"/],
    ['a roleRef without a name', 'kind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {kind: Role}', /roleRef\.name is required/],
    ['aggregationRule selectors as an object', 'kind: ClusterRole\nmetadata: {name: a}\naggregationRule: {clusterRoleSelectors: {matchLabels: {x: "y"}}}', /aggregationRule\.clusterRoleSelectors must be a list/],
  ])('%s', (_name, yaml, message) => {
    expect(() => build(`apiVersion: rbac.authorization.k8s.io/v1\n${yaml}\n`)).toThrow(message);
  });

  it('names every invalid object, not only the first', () => {
    const yaml = `${grant('{apiGroups: [""], resources: [secrets], verbs: "*"}', 'subjects: [null]')}---\nkind: Role\nmetadata: {name: r, namespace: dev}\nrules: {}\n`;
    let error: unknown;
    try {
      build(yaml);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidObjectError);
    expect((error as InvalidObjectError).problems.map((p) => p.split(':').slice(0, 2).join(':'))).toEqual(['p.yaml:1', 'p.yaml:7', 'p.yaml:13']);
    expect((error as InvalidObjectError).message).toMatch(/^3 objects would be rejected by the API server:\np\.yaml:1: /);
  });

  it('refuses objects given directly too, without a location', () => {
    expect(() => RbacPolicy.fromObjects([{ kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ verbs: '*', apiGroups: ['*'], resources: ['*'] }] }]))
      .toThrow(/^ClusterRole "cr" would be rejected by the API server: rules\[0\]\.verbs must be a list of strings/);
  });

  it('accepts what v1 defaults: no roleRef.apiGroup, no User/Group apiGroup, a RoleBinding ServiceAccount without namespace', () => {
    const p = build(`kind: RoleBinding
metadata: {name: b, namespace: dev}
roleRef: {kind: ClusterRole, name: view}
subjects: [{kind: User, name: alice}, {kind: Group, name: devs}, {kind: ServiceAccount, name: sa}]
`);
    expect(p.roleBindings('dev')).toHaveLength(1);
    expect(p.problems.map((x) => x.kind)).toEqual(['missing-role']); // no ClusterRole "view" without the bootstrap policy
  });

  it('evaluates objects as given with validate: false', () => {
    const objects = parseManifests(grant('{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: [a, b]}'), 'p.yaml');
    const p = RbacPolicy.fromLoadResult(objects, { bootstrap: false, validate: false });
    expect(authorize(p, { name: 'alice', groups: [] }, { verb: 'get', resource: 'secrets', name: 'a', namespace: 'dev' }).allowed).toBe(true);
  });

  it('does not check the bootstrap policy or other kinds', () => {
    expect(validateRbacObject({ kind: 'ConfigMap', data: 'x' })).toEqual([]);
    expect(() => RbacPolicy.fromObjects([])).not.toThrow();
  });
});

describe('RBAC versions the server no longer serves', () => {
  it.each(['v1beta1', 'v1alpha1'])('warns for %s with file:line, and still evaluates', (version) => {
    const p = build(`apiVersion: rbac.authorization.k8s.io/${version}
kind: ClusterRole
metadata: {name: cr}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`);
    expect(p.problems).toEqual([{
      kind: 'unserved-api-version',
      message: `ClusterRole "cr" (p.yaml:1) uses rbac.authorization.k8s.io/${version}, which the API server no longer serves (removed in Kubernetes 1.22); change apiVersion to rbac.authorization.k8s.io/v1.`,
      source: { file: 'p.yaml', line: 1 },
    }]);
    expect(p.clusterRole('cr')).toBeDefined();
  });

  it('does not warn for v1', () => {
    expect(unservedVersionWarning({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' })).toBeUndefined();
  });
});
