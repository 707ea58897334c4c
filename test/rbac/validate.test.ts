import { authorize, InvalidObjectError, KubeObject, parseManifests, RbacPolicy, unknownFieldPhrases, unservedVersionWarning, validateRbacObject } from '../../lib/rbac';

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
    expect(() => RbacPolicy.fromObjects([{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ verbs: '*', apiGroups: ['*'], resources: ['*'] }] }]))
      .toThrow(/^ClusterRole "cr" would be rejected by the API server: rules\[0\]\.verbs must be a list of strings/);
  });

  it('accepts what v1 defaults: no roleRef.apiGroup, no User/Group apiGroup, a RoleBinding ServiceAccount without namespace', () => {
    const p = build(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
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
  it.each(['v1beta1', 'v1alpha1'])('refuses %s with file:line, as a 1.22+ server does ("no matches for kind")', (version) => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/${version}
kind: ClusterRole
metadata: {name: cr}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`;
    expect(() => build(yaml)).toThrow(`p.yaml:1: ClusterRole "cr" would be rejected by the API server: apiVersion "rbac.authorization.k8s.io/${version}" is not served since Kubernetes 1.22: `
      + `no matches for kind "ClusterRole" in version "rbac.authorization.k8s.io/${version}" (kubectl: "resource mapping not found"), so the cluster cannot hold it; `
      + 'write apiVersion: rbac.authorization.k8s.io/v1 (the fields are the same).');
  });

  it.each(['v1beta1', 'v1alpha1'])('with validation off (a dump a server accepted), warns for %s with file:line and evaluates', (version) => {
    const p = RbacPolicy.fromLoadResult(parseManifests(`apiVersion: rbac.authorization.k8s.io/${version}
kind: ClusterRole
metadata: {name: cr}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
`, 'p.yaml'), { bootstrap: false, validate: false });
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

describe('unknown fields are the object\'s own', () => {
  it('does not count a field the object inherits (as Object.keys does not)', () => {
    const role = Object.assign(Object.create({ extra: 1 }) as object, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [] });
    expect(unknownFieldPhrases(role)).toEqual([]);
    expect(unknownFieldPhrases({ ...role, extra: 1 })).toEqual(['unknown field "extra"; remove it, or check its spelling and indentation']);
  });
});

describe('RBAC versions that never existed are refused, as the server has no mapping for them', () => {
  it.each<[string, string, number]>([
    ['v2', 'ClusterRole', 1],
    ['v1beta2', 'ClusterRoleBinding', 7],
    ['V1', 'ClusterRole', 1],
    ['', 'ClusterRoleBinding', 7],
  ])('rbac.authorization.k8s.io/%s on a %s', (version, kind, line) => {
    const yaml = grant('{apiGroups: [""], resources: [secrets], verbs: [get]}')
      .split('---\n').map((doc) => (doc.includes(`kind: ${kind}\n`) ? doc.replace('rbac.authorization.k8s.io/v1\n', `rbac.authorization.k8s.io/${version}\n`) : doc)).join('---\n');
    const apiVersion = `rbac.authorization.k8s.io/${version}`;
    const name = kind === 'ClusterRole' ? 'cr' : 'crb';
    expect(() => build(yaml)).toThrow(InvalidObjectError);
    expect(() => build(yaml)).toThrow(`p.yaml:${line}: ${kind} "${name}" would be rejected by the API server: apiVersion "${apiVersion}" does not exist: `
      + `no matches for kind "${kind}" in version "${apiVersion}" (kubectl: "resource mapping not found"); the server serves rbac.authorization.k8s.io/v1, `
      + 'so write apiVersion: rbac.authorization.k8s.io/v1.');
  });

  it('keeps v1 and the versions the server stopped serving apart from those that never existed', () => {
    const object = (apiVersion: string) => ({ apiVersion, kind: 'Role', metadata: { name: 'r', namespace: 'dev' } });
    expect(validateRbacObject(object('rbac.authorization.k8s.io/v1'))).toEqual([]);
    expect(validateRbacObject(object('rbac.authorization.k8s.io/v1beta1'))).toEqual([expect.stringMatching(/^apiVersion "rbac\.authorization\.k8s\.io\/v1beta1" is not served since Kubernetes 1\.22: /)]);
    expect(validateRbacObject(object('rbac.authorization.k8s.io/v1alpha1'))).toEqual([expect.stringMatching(/^apiVersion "rbac\.authorization\.k8s\.io\/v1alpha1" is not served since Kubernetes 1\.22: /)]);
    expect(validateRbacObject(object('rbac.authorization.k8s.io/v3'))).toEqual([expect.stringMatching(/^apiVersion "rbac\.authorization\.k8s\.io\/v3" does not exist: /)]);
  });

  it('evaluates such an object as given when validation is off (objects a server already accepted)', () => {
    const yaml = grant('{apiGroups: [""], resources: [secrets], verbs: [get]}').replace(/\/v1\n/g, '/v2\n');
    const p = RbacPolicy.fromLoadResult(parseManifests(yaml, 'p.yaml'), { bootstrap: false, validate: false });
    expect(authorize(p, { name: 'alice', groups: [] }, { verb: 'get', resource: 'secrets', namespace: 'dev' }).allowed).toBe(true);
  });
});

describe('unknown fields, refused as kubectl apply --validate=strict (the default) refuses them', () => {
  const rule = '{apiGroups: [""], resources: [secrets], verbs: [get]}';
  it.each<[string, string, RegExp]>([
    ['a top-level field of a binding', grant(rule, 'subjects: [{kind: User, name: alice}]\nextra: true'),
      /^p\.yaml:7: ClusterRoleBinding "crb" would be rejected by the API server: unknown field "extra"; remove it, or check its spelling and indentation\.$/],
    ['a field of a rule', grant('{apiGroups: [""], resources: [secrets], verbs: [get], bogus: 1}'),
      /^p\.yaml:1: ClusterRole "cr" would be rejected by the API server: unknown field "rules\[0\]\.bogus"; remove it/],
    ['a misspelt rule field, with the known one', grant('{apiGroups: [""], resources: [secrets], verbs: [get], resourceName: [a]}'),
      /unknown field "rules\[0\]\.resourceName"; did you mean "resourceNames"\? Rename it\.$/],
    ['a field of roleRef', grant(rule, 'subjects: [{kind: User, name: alice}]').replace('name: cr}\nsubjects', 'name: cr, namespace: dev}\nsubjects'),
      /^p\.yaml:7: .*unknown field "roleRef\.namespace"/],
    ['a field of a subject', grant(rule, 'subjects: [{kind: User, name: alice, uid: "1"}]'), /^p\.yaml:7: .*unknown field "subjects\[0\]\.uid"/],
    ['a field of metadata', grant(rule).replace('{name: cr}', '{name: cr, label: {a: b}}'), /^p\.yaml:1: .*unknown field "metadata\.label"; did you mean "labels"\?/],
    ['a field of an ownerReference', grant(rule).replace('{name: cr}', '{name: cr, ownerReferences: [{apiVersion: v1, kind: X, name: x, uid: "1", owner: true}]}'),
      /unknown field "metadata\.ownerReferences\[0\]\.owner"/],
    ['a field of a managedFields entry', grant(rule).replace('{name: cr}', '{name: cr, managedFields: [{manager: m, fields: {}}]}'),
      /unknown field "metadata\.managedFields\[0\]\.fields"/],
    ['a differently cased field', grant(rule, 'subjects: [{kind: User, name: alice}]').replace('roleRef:', 'RoleRef:'),
      /unknown field "RoleRef"; did you mean "roleRef"\?.*roleRef is required/],
  ])('%s', (_name, yaml, message) => {
    expect(() => build(yaml)).toThrow(InvalidObjectError);
    expect(() => build(yaml)).toThrow(message);
  });

  it.each<[string, string, RegExp]>([
    ['aggregationRule', 'kind: ClusterRole\nmetadata: {name: a}\naggregationRule: {clusterRoleSelectors: [], selector: {}}', /unknown field "aggregationRule\.selector"/],
    ['a label selector', 'kind: ClusterRole\nmetadata: {name: a}\naggregationRule: {clusterRoleSelectors: [{matchLabel: {x: "y"}}]}',
      /unknown field "aggregationRule\.clusterRoleSelectors\[0\]\.matchLabel"; did you mean "matchLabels"\?/],
    ['a label selector requirement', 'kind: ClusterRole\nmetadata: {name: a}\naggregationRule: {clusterRoleSelectors: [{matchExpressions: [{key: x, operator: In, values: [y], value: y}]}]}',
      /unknown field "aggregationRule\.clusterRoleSelectors\[0\]\.matchExpressions\[0\]\.value"; did you mean "values"\?/],
    ['aggregationRule on a Role', 'kind: Role\nmetadata: {name: r, namespace: dev}\nrules: []\naggregationRule: {}', /^p\.yaml:1: Role "r" .*unknown field "aggregationRule"/],
    ['rules on a binding', 'kind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {kind: Role, name: r}\nrules: []', /^p\.yaml:1: RoleBinding "b" .*unknown field "rules"/],
    ['status', 'kind: ClusterRole\nmetadata: {name: a}\nstatus: {}', /unknown field "status"/],
  ])('%s', (_name, yaml, message) => {
    expect(() => build(`apiVersion: rbac.authorization.k8s.io/v1\n${yaml}\n`)).toThrow(message);
  });

  it('names every unknown field of an object', () => {
    expect(unknownFieldPhrases({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'a', x: 1 }, rules: [{ verbs: ['get'], y: 2 }], z: 3 } as KubeObject))
      .toEqual([
        'unknown field "metadata.x"; remove it, or check its spelling and indentation',
        'unknown field "rules[0].y"; remove it, or check its spelling and indentation',
        'unknown field "z"; remove it, or check its spelling and indentation',
      ]);
  });

  it('accepts every field of ObjectMeta a live dump (kubectl get -o yaml) holds', () => {
    const p = build(`apiVersion: v1
kind: List
metadata: {resourceVersion: ""}
items:
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRole
  metadata:
    name: cr
    generateName: cr-
    selfLink: /apis/rbac.authorization.k8s.io/v1/clusterroles/cr
    uid: 0c5d6f7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f
    resourceVersion: "4242"
    generation: 1
    creationTimestamp: "2025-01-01T00:00:00Z"
    deletionTimestamp: "2025-01-02T00:00:00Z"
    deletionGracePeriodSeconds: 0
    labels: {app: x}
    annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
    ownerReferences: [{apiVersion: v1, kind: Namespace, name: dev, uid: "1", controller: true, blockOwnerDeletion: true}]
    finalizers: [example.com/keep]
    managedFields:
    - apiVersion: rbac.authorization.k8s.io/v1
      fieldsType: FieldsV1
      fieldsV1: {"f:metadata": {"f:labels": {".": {}, "f:app": {}}}, "f:rules": {}}
      manager: kubectl-client-side-apply
      operation: Update
      subresource: ""
      time: "2025-01-01T00:00:00Z"
  rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
- apiVersion: rbac.authorization.k8s.io/v1
  kind: ClusterRoleBinding
  metadata: {name: crb, uid: "2", resourceVersion: "1"}
  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
  subjects: [{kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}]
`);
    expect(p.problems).toEqual([]);
    expect(authorize(p, { name: 'alice', groups: [] }, { verb: 'get', resource: 'secrets', namespace: 'dev' }).allowed).toBe(true);
  });

  it('knows v1alpha1 subjects\' apiVersion field (its Subject has no apiGroup): such objects are refused for their version only', () => {
    const yaml = grant('{apiGroups: [""], resources: [secrets], verbs: [get]}', 'subjects: [{kind: User, name: alice, apiVersion: rbac.authorization.k8s.io/v1alpha1}]')
      .replace(/rbac\.authorization\.k8s\.io\/v1\n/g, 'rbac.authorization.k8s.io/v1alpha1\n');
    expect(() => build(yaml)).toThrow(/is not served since Kubernetes 1\.22/);
    expect(() => build(yaml)).not.toThrow(/unknown field/);
  });

  it('with fieldValidation "warn", evaluates the object and warns, naming each field (kubectl apply --validate=warn)', () => {
    const p = RbacPolicy.fromLoadResult(parseManifests(grant('{apiGroups: [""], resources: [secrets], verbs: [get], bogus: 1}', 'subjects: [{kind: User, name: alice}]\nextra: true'), 'p.yaml'),
      { bootstrap: false, fieldValidation: 'warn' });
    expect(p.problems).toEqual([
      {
        kind: 'unknown-field', source: { file: 'p.yaml', line: 1 },
        message: 'ClusterRole "cr" (p.yaml:1) has fields the API server drops without storing them: unknown field "rules[0].bogus"; remove it, or check its spelling and indentation.',
      },
      {
        kind: 'unknown-field', source: { file: 'p.yaml', line: 7 },
        message: 'ClusterRoleBinding "crb" (p.yaml:7) has fields the API server drops without storing them: unknown field "extra"; remove it, or check its spelling and indentation.',
      },
    ]);
    expect(authorize(p, { name: 'alice', groups: [] }, { verb: 'get', resource: 'secrets', namespace: 'dev' }).allowed).toBe(true);
  });

  it.each<[string, object]>([['fieldValidation "ignore"', { fieldValidation: 'ignore' }], ['validate: false', { validate: false }]])(
    'with %s, drops them silently (kubectl apply --validate=false)', (_name, options) => {
      const p = RbacPolicy.fromLoadResult(parseManifests(grant('{apiGroups: [""], resources: [secrets], verbs: [get], bogus: 1}', 'subjects: [{kind: User, name: alice}]\nextra: true'), 'p.yaml'),
        { bootstrap: false, ...options });
      expect(p.problems).toEqual([]);
      expect(authorize(p, { name: 'alice', groups: [] }, { verb: 'get', resource: 'secrets', namespace: 'dev' }).allowed).toBe(true);
    });

  it('still refuses what the server refuses whatever the field validation', () => {
    expect(() => RbacPolicy.fromLoadResult(parseManifests(grant('{apiGroups: [""], resources: [secrets], verbs: "*", bogus: 1}'), 'p.yaml'), { bootstrap: false, fieldValidation: 'ignore' }))
      .toThrow(/^p\.yaml:1: ClusterRole "cr" would be rejected by the API server: rules\[0\]\.verbs must be a list of strings, not a string \("\*"\); write verbs: \["\*"\]\.$/);
  });

  it('does not check fields of other kinds', () => {
    expect(unknownFieldPhrases({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} })).toEqual([]);
    expect(build('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: dev}\nautomountServiceAccountToken: false\n').problems).toEqual([]);
  });
});

describe('an RBAC object without apiVersion is refused, as kubectl refuses it ("apiVersion not set")', () => {
  it.each(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'])('%s', (kind) => {
    const yaml = grant('{apiGroups: [""], resources: [secrets], verbs: [get]}').replace(/^apiVersion: rbac\.authorization\.k8s\.io\/v1\nkind: ClusterRoleBinding\n/m, 'kind: ClusterRoleBinding\n');
    const only = kind === 'ClusterRoleBinding' ? yaml
      : `kind: ${kind}\nmetadata: {name: x, namespace: dev}\n${kind.endsWith('Binding') ? 'roleRef: {kind: ClusterRole, name: view}' : 'rules: []'}\n`;
    const line = kind === 'ClusterRoleBinding' ? 7 : 1;
    expect(() => build(only)).toThrow(new RegExp(`^p\\.yaml:${line}: ${kind} "\\w+" would be rejected by the API server: apiVersion is required \\(kubectl refuses the object: "apiVersion not set"\\); add apiVersion: rbac\\.authorization\\.k8s\\.io/v1\\.$`));
  });

  it('refuses an apiVersion that is not a string', () => {
    expect(() => build('apiVersion: 1\nkind: ClusterRole\nmetadata: {name: x}\n')).toThrow(/apiVersion must be a string, not a number \(1\)/);
  });

  it('keeps ignoring other kinds, and objects without kind, as before', () => {
    const load = parseManifests('kind: ConfigMap\nmetadata: {name: c}\n---\nmetadata: {name: nokind}\n---\nkind: ServiceAccount\nmetadata: {name: sa, namespace: dev}\n', 'p.yaml');
    expect(load.ignored).toEqual({ 'ConfigMap': 1, '(no kind)': 1 });
    expect(() => RbacPolicy.fromLoadResult(load, { bootstrap: false })).not.toThrow();
  });

  it('takes a List item\'s apiVersion from a typed list (kubectl get clusterroles -o yaml of old kubectl)', () => {
    const p = build('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleList\nitems:\n- metadata: {name: cr}\n  rules: []\n');
    expect(p.clusterRole('cr')).toBeDefined();
  });
});

describe('unknown fields set to null', () => {
  it('are accepted, as kubectl apply drops them before sending the object', () => {
    const p = build(grant('{apiGroups: [""], resources: [secrets], verbs: [get], bogus: null}', 'subjects: [{kind: User, name: alice}]\nextra: null'));
    expect(p.problems).toEqual([]);
  });
});

describe('the known field an unknown one suggests', () => {
  const rb = (subject: string, ref = 'roleRef: {kind: Role, name: r}') => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\n${ref}\nsubjects: [${subject}]\n`;
  it.each<[string, string, string]>([
    ['no suggestion for a short name two edits away', rb('{kind: User, name: u, uid: "1"}'), 'unknown field "subjects[0].uid"; remove it, or check its spelling and indentation'],
    ['one edit, case aside', rb('{kind: User, name: u, NameSpace: dev}'), 'unknown field "subjects[0].NameSpace"; did you mean "namespace"? Rename it'],
    ['two edits in a long name', grant('{apiGroups: [""], resources: [secrets], verbs: [get], resourceNmaes: [a]}'), 'unknown field "rules[0].resourceNmaes"; did you mean "resourceNames"? Rename it'],
  ])('%s', (_name, yaml, phrase) => {
    expect(() => build(yaml)).toThrow(phrase);
  });
});
