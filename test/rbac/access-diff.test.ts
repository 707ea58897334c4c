import { authorize, classifyRequest, diffAccess, KubeObject, parseManifests, RbacPolicy, serviceAccountUser } from '../../lib/rbac';

const RB = 'rbac.authorization.k8s.io';
const clusterRole = (name: string, rules: unknown[], labels?: Record<string, string>): KubeObject =>
  ({ apiVersion: `${RB}/v1`, kind: 'ClusterRole', metadata: { name, ...(labels ? { labels } : {}) }, rules }) as KubeObject;
const roleBinding = (name: string, namespace: string, role: string, subjects: unknown[]): KubeObject =>
  ({ apiVersion: `${RB}/v1`, kind: 'RoleBinding', metadata: { name, namespace }, roleRef: { apiGroup: RB, kind: 'ClusterRole', name: role }, subjects }) as KubeObject;
const clusterBinding = (name: string, role: string, subjects: unknown[]): KubeObject =>
  ({ apiVersion: `${RB}/v1`, kind: 'ClusterRoleBinding', metadata: { name }, roleRef: { apiGroup: RB, kind: 'ClusterRole', name: role }, subjects }) as KubeObject;
const sa = (name: string, namespace = 'dev') => ({ kind: 'ServiceAccount', name, namespace });
const readSecrets = { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] };
const readPods = { apiGroups: [''], resources: ['pods'], verbs: ['get'] };

function diff(base: KubeObject[], head: KubeObject[]) {
  return diffAccess({ policy: RbacPolicy.fromObjects(base) }, { policy: RbacPolicy.fromObjects(head) });
}

describe('changes that change nobody\'s access report nothing', () => {
  const base = [clusterRole('reader', [readSecrets, readPods]), roleBinding('rb', 'dev', 'reader', [sa('app')])];

  it.each([
    ['objects reordered', [...base].reverse()],
    ['a binding renamed', [base[0], roleBinding('renamed', 'dev', 'reader', [sa('app')])]],
    ['a role split in two, bound twice', [
      clusterRole('secrets', [readSecrets]), clusterRole('pods', [readPods]),
      roleBinding('rb-1', 'dev', 'secrets', [sa('app')]), roleBinding('rb-2', 'dev', 'pods', [sa('app')]),
    ]],
    ['rules reordered and verbs split', [clusterRole('reader', [readPods, { ...readSecrets, verbs: ['list'] }, { ...readSecrets, verbs: ['get'] }]), base[1]]],
  ])('%s', (_, head) => {
    const d = diff(base, head);
    expect(d.subjects).toEqual([]);
    expect(d.subjectsCompared).toBeGreaterThan(0);
  });
});

describe('gains and losses', () => {
  it('a new RoleBinding: the ServiceAccount gains exactly its rules in that namespace, with the risk and the binding at file:line', () => {
    const head = parseManifests([
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata: {name: reader}', 'rules:',
      '- {apiGroups: [""], resources: [secrets], verbs: [get, list]}', '---',
      'apiVersion: rbac.authorization.k8s.io/v1', 'kind: RoleBinding', 'metadata: {name: rb, namespace: dev}',
      'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}',
      'subjects: [{kind: ServiceAccount, name: app, namespace: dev}]',
    ].join('\n'), 'head.yaml');
    const d = diffAccess({ policy: RbacPolicy.fromObjects([]) }, { policy: RbacPolicy.fromLoadResult(head), load: head });
    expect(d.subjects.map((s) => [s.subject.key, s.inBase, s.inHead])).toEqual([['ServiceAccount:dev/app', false, true]]);
    const [gain] = d.subjects[0].gained;
    expect(gain).toMatchObject({
      verbs: { any: false, values: ['get', 'list'] }, resources: { any: false, values: ['secrets'] },
      namespaces: { any: false, values: ['dev'] }, names: { any: true, values: [] }, severity: 'medium',
      risks: [{ id: 'secrets-read', severity: 'medium' }],
    });
    expect(gain.grantedBy).toEqual([expect.objectContaining({
      binding: 'RoleBinding "rb/dev" of ClusterRole "reader" to ServiceAccount "app/dev"',
      bindingAt: { file: 'head.yaml', line: 7 }, roleAt: { file: 'head.yaml', line: 1 }, at: { file: 'head.yaml', line: 7 },
    })]);
    expect(d.subjects[0].lost).toEqual([]);
  });

  it('a rule added to a bound role is located at the role, as the binding did not change', () => {
    const base = [clusterRole('reader', [readPods]), roleBinding('rb', 'dev', 'reader', [sa('app')])];
    const load = parseManifests(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [clusterRole('reader', [readPods, readSecrets]), base[1]] }), 'head.json');
    const d = diffAccess({ policy: RbacPolicy.fromObjects(base) }, { policy: RbacPolicy.fromLoadResult(load), load });
    expect(d.subjects[0].gained[0].grantedBy[0].at).toEqual(d.subjects[0].gained[0].grantedBy[0].roleAt);
  });

  it('a removed ClusterRoleBinding: the access is lost cluster-wide, with the base-side binding', () => {
    const base = [clusterRole('reader', [readPods]), clusterBinding('crb', 'reader', [{ kind: 'User', name: 'alice', apiGroup: RB }])];
    const d = diff(base, [base[0]]);
    expect(d.subjects.map((s) => s.subject.key)).toEqual(['User:alice']);
    expect(d.subjects[0].gained).toEqual([]);
    expect(d.subjects[0].lost).toEqual([expect.objectContaining({ verbs: { any: false, values: ['get'] }, namespaces: { any: true, values: [] }, risks: [] })]);
    expect(d.subjects[0].inHead).toBe(false);
  });

  it('a grant to a group is gained by the group and by every subject in it', () => {
    const d = diff([], [clusterRole('reader', [readPods]), clusterBinding('crb', 'reader', [{ kind: 'Group', name: 'system:serviceaccounts', apiGroup: RB }]), roleBinding('rb', 'dev', 'view', [sa('app')])]);
    expect(d.subjects.map((s) => s.subject.key)).toEqual(['Group:system:serviceaccounts', 'ServiceAccount:dev/app']);
  });

  it('wildcards stay exact: cluster-admin in a namespace gains namespaced resources there, not nodes', () => {
    const d = diff([], [roleBinding('rb', 'dev', 'cluster-admin', [sa('app')])]);
    const key = 'ServiceAccount:dev/app';
    expect(classifyRequest(d, key, { verb: 'frobnicate', group: 'example.com', resource: 'gadgets', name: 'g', namespace: 'dev' })).toBe('gained');
    expect(classifyRequest(d, key, { verb: 'get', resource: 'nodes', namespace: 'dev' })).toBeUndefined();
    expect(classifyRequest(d, key, { verb: 'get', resource: 'pods', namespace: 'prod' })).toBeUndefined();
    // `namespaces/dev` carries dev as the request's namespace, whatever namespace was asked about.
    expect(classifyRequest(d, key, { verb: 'delete', resource: 'namespaces', name: 'dev', namespace: 'prod' })).toBe('gained');
    expect(classifyRequest(d, key, { verb: 'delete', resource: 'namespaces', name: 'prod', namespace: 'dev' })).toBeUndefined();
    const risks = d.subjects[0].gained.flatMap((g) => g.risks.map((r) => r.id));
    expect(risks).toEqual(expect.arrayContaining(['wildcard-verbs', 'wildcard-resources', 'secrets-read', 'workload-create']));
    expect(d.subjects[0].gained[0].severity).toBe('critical');
  });

  it('a ClusterRole that aggregates into view gives its rules to everyone bound to view', () => {
    const base = [roleBinding('rb', 'dev', 'view', [sa('app')])];
    const head = [...base, clusterRole('widgets-view', [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }], { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' })];
    const d = diff(base, head);
    const app = d.subjects.find((s) => s.subject.key === 'ServiceAccount:dev/app')!;
    expect(app.gained).toEqual([expect.objectContaining({ resources: { any: false, values: ['widgets.example.com'] }, namespaces: { any: false, values: ['dev'] } })]);
    expect(app.gained[0].grantedBy[0]).toMatchObject({ binding: 'RoleBinding "rb/dev" of ClusterRole "view" to ServiceAccount "app/dev"' });
  });

  it('system:masters is allowed everything on both sides, so it never changes', () => {
    const d = diff([], [clusterBinding('crb', 'cluster-admin', [{ kind: 'Group', name: 'system:masters', apiGroup: RB }])]);
    expect(d.subjects).toEqual([]);
  });

  it('classifies every request exactly as authorize does, for the subjects of a real change', () => {
    const base = [clusterRole('reader', [readPods, { verbs: ['get'], nonResourceURLs: ['/healthz/*'] }]), clusterBinding('crb', 'reader', [sa('app')])];
    const head = [clusterRole('reader', [readSecrets, { verbs: ['get'], nonResourceURLs: ['/metrics'] }]), clusterBinding('crb', 'reader', [sa('app')])];
    const d = diff(base, head);
    const user = serviceAccountUser('dev', 'app');
    const requests = [
      { verb: 'get', resource: 'secrets', namespace: 'x' }, { verb: 'get', resource: 'pods', name: 'p', namespace: '' },
      { verb: 'get', path: '/metrics' }, { verb: 'get', path: '/healthz/etcd' }, { verb: 'get', path: '/healthz' }, { verb: 'list', resource: 'secrets' },
    ];
    for (const r of requests) {
      const was = authorize(RbacPolicy.fromObjects(base), user, r).allowed;
      const is = authorize(RbacPolicy.fromObjects(head), user, r).allowed;
      expect([r, classifyRequest(d, 'ServiceAccount:dev/app', r)]).toEqual([r, is && !was ? 'gained' : was && !is ? 'lost' : undefined]);
    }
  });
});

describe('bad input', () => {
  it('refuses policies built for different Kubernetes releases', () => {
    expect(() => diffAccess({ policy: RbacPolicy.fromObjects([], { kubeVersion: '1.34' }) }, { policy: RbacPolicy.fromObjects([], { kubeVersion: '1.35' }) }))
      .toThrow(/base policy is for Kubernetes 1\.34 and the head for 1\.35; build both for one release \(--kube-version\)/);
  });
});

describe('bounds', () => {
  it('refuses, naming the subject and the binding, a change whose rules mention too many values to compare exactly', () => {
    const many = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    const huge = clusterRole('huge', [{ apiGroups: [''], resources: many('r', 200), verbs: many('v', 200), resourceNames: many('n', 100) }]);
    const wild = clusterRole('wild', [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
    const base = [huge, wild, clusterBinding('b1', 'huge', [sa('app')])];
    expect(() => diff(base, [...base, clusterBinding('b2', 'wild', [sa('app')])]))
      .toThrow(/The access of "system:serviceaccount:dev:app" cannot be compared exactly: .* over 2000000 classes of requests .* from binding "b2"/);
  });
});
