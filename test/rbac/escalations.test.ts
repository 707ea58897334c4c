import {
  EscalationNode, EscalationPath, findEscalations, nodeKey, parseManifests, PolicyRule, PrivilegeRisk, RbacPolicy, RISK_CATALOGUE,
} from '../../lib/rbac';

/** A cluster with one valuable identity: ServiceAccount t/boss is cluster-admin, runs Pod "web" on node-1, and has a token Secret. */
const WORLD = `
apiVersion: v1
kind: Namespace
metadata:
  name: t
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: boss, namespace: t }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: boss-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: boss, namespace: t }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: root-admin }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ apiGroup: rbac.authorization.k8s.io, kind: User, name: root-user }]
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: t }
spec:
  serviceAccountName: boss
  nodeName: node-1
  containers: [{ name: c, image: busybox }]
---
apiVersion: v1
kind: Secret
metadata:
  name: boss-token
  namespace: t
  annotations: { kubernetes.io/service-account.name: boss }
type: kubernetes.io/service-account-token
data: { token: c2VjcmV0LXZhbHVl }
`;

const MALLORY: EscalationNode = { kind: 'User', name: 'mallory' };

/** Mallory's role, bound in namespace t (RoleBinding) or cluster-wide (ClusterRoleBinding). */
function grantYaml(rules: readonly PolicyRule[], clusterWide: boolean, name = 'mallory'): string {
  const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `${name}-role` }, rules };
  const binding = clusterWide
    ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `${name}-crb` } }
    : { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${name}-rb`, namespace: 't' } };
  return [JSON.stringify(role), JSON.stringify({ ...binding, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `${name}-role` }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name }] })].join('\n---\n');
}

function analyse(yaml: string, subject: EscalationNode = MALLORY, maxPathsPerSubject?: number) {
  const load = parseManifests(yaml, 'in.yaml', undefined, { workloads: true });
  return findEscalations(RbacPolicy.fromLoadResult(load), load, { subjects: [subject], maxPathsPerSubject }).subjects[0];
}

function pathTo(paths: readonly EscalationPath[], target: EscalationNode): EscalationPath | undefined {
  return paths.find((p) => nodeKey(p.target) === nodeKey(target));
}

const BOSS: EscalationNode = { kind: 'ServiceAccount', namespace: 't', name: 'boss' };
const ADMIN: EscalationNode = { kind: 'ClusterAdmin' };
const ANY_NODE: EscalationNode = { kind: 'Node', name: '*' };
const core = (verbs: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups: [''], resources, ...(resourceNames ? { resourceNames } : {}) });
const rbac = (verbs: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups: ['rbac.authorization.k8s.io'], resources, ...(resourceNames ? { resourceNames } : {}) });
const certs = (verbs: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups: ['certificates.k8s.io'], resources, ...(resourceNames ? { resourceNames } : {}) });

interface HopCase {
  readonly kind: PrivilegeRisk;
  readonly rules: readonly PolicyRule[];
  readonly clusterWide: boolean;
  readonly target: EscalationNode;
  readonly extra?: string;
}

/** One case per way of making each hop kind; the last rule of each is the one the hop cannot do without. */
const HOPS: ReadonlyArray<[string, HopCase]> = [
  ['create pods -> any ServiceAccount of the namespace', { kind: 'workload-create', rules: [core(['create'], ['pods'])], clusterWide: false, target: BOSS }],
  ['create deployments -> any ServiceAccount of the namespace', { kind: 'workload-create', rules: [{ verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }], clusterWide: false, target: BOSS }],
  ['create pods in a namespace without Pod Security -> a node', {
    kind: 'workload-create', rules: [core(['create'], ['pods'])], clusterWide: false, target: ANY_NODE,
    extra: 'apiVersion: v1\nkind: Namespace\nmetadata: { name: t }',
  }],
  ['create serviceaccounts/token', { kind: 'serviceaccount-token-create', rules: [core(['create'], ['serviceaccounts/token'], ['boss'])], clusterWide: false, target: BOSS }],
  ['create a token Secret and read it back', { kind: 'serviceaccount-token-secret-create', rules: [core(['list'], ['secrets']), core(['create'], ['secrets'])], clusterWide: false, target: BOSS }],
  ['read a token Secret of the input', { kind: 'secrets-read', rules: [core(['get'], ['secrets'], ['boss-token'])], clusterWide: false, target: BOSS }],
  ['impersonate a ServiceAccount', { kind: 'impersonate', rules: [core(['impersonate'], ['serviceaccounts'], ['boss'])], clusterWide: false, target: BOSS }],
  ['impersonate a user', { kind: 'impersonate', rules: [core(['impersonate'], ['users'], ['root-user'])], clusterWide: true, target: { kind: 'User', name: 'root-user' } }],
  ['impersonate system:masters (with a user)', { kind: 'impersonate', rules: [core(['impersonate'], ['users'], ['nobody']), core(['impersonate'], ['groups'], ['system:masters'])], clusterWide: true, target: ADMIN }],
  ['bind cluster-admin cluster-wide', { kind: 'bind', rules: [rbac(['create'], ['clusterrolebindings']), rbac(['bind'], ['clusterroles'], ['cluster-admin'])], clusterWide: true, target: ADMIN }],
  ['escalate the role it is bound to', { kind: 'escalate', rules: [rbac(['update'], ['clusterroles'], ['mallory-role']), rbac(['escalate'], ['clusterroles'], ['mallory-role'])], clusterWide: true, target: ADMIN }],
  ['exec into a pod of the input', { kind: 'pods-exec', rules: [core(['create'], ['pods/exec'])], clusterWide: false, target: BOSS }],
  ['attach to a pod of the input', { kind: 'pods-exec', rules: [core(['get'], ['pods/attach'], ['web'])], clusterWide: false, target: BOSS }],
  ['update a pod of the input', { kind: 'pods-exec', rules: [core(['patch'], ['pods'], ['web'])], clusterWide: false, target: BOSS }],
  ['add an ephemeral container', { kind: 'pods-ephemeral-containers', rules: [core(['patch'], ['pods/ephemeralcontainers'])], clusterWide: false, target: BOSS }],
  ['get nodes/proxy on the pod\'s node', { kind: 'nodes-proxy', rules: [core(['get'], ['nodes/proxy'], ['node-1'])], clusterWide: true, target: BOSS }],
  ['create and approve a client certificate for a user who holds cluster-admin', {
    kind: 'csr-approve', clusterWide: true, target: { kind: 'User', name: 'root-user' },
    rules: [certs(['create'], ['certificatesigningrequests']), certs(['update'], ['certificatesigningrequests/approval']), certs(['approve'], ['signers'], ['kubernetes.io/kube-apiserver-client'])],
  }],
  ['create a mutating webhook', { kind: 'admission-webhooks', rules: [{ verbs: ['create'], apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'] }], clusterWide: true, target: BOSS }],
  ['create a hostPath PersistentVolume', { kind: 'persistent-volume-create', rules: [core(['create'], ['pods', 'persistentvolumeclaims']), core(['create'], ['persistentvolumes'])], clusterWide: true, target: ANY_NODE }],
  ['turn off a namespace\'s Pod Security', { kind: 'namespace-modify', rules: [core(['create'], ['pods']), core(['patch'], ['namespaces'], ['t'])], clusterWide: false, target: ANY_NODE }],
];

describe('escalations: each hop kind of the catalogue', () => {
  test.each(HOPS)('%s: found, naming the hop kind, its rule and its binding (file:line)', (_name, c) => {
    const result = analyse([WORLD, grantYaml(c.rules, c.clusterWide), c.extra ?? ''].join('\n---\n'));
    const path = pathTo(result.paths, c.target);
    expect(path?.hops.map((h) => h.kind)).toEqual([c.kind]);
    const hop = path!.hops[0];
    expect(hop.severity).toBe(RISK_CATALOGUE.find((d) => d.id === c.kind)!.severity);
    expect(hop.grants.length).toBeGreaterThan(0);
    for (const grant of hop.grants) {
      expect(grant.binding).toEqual(expect.objectContaining({ kind: c.clusterWide ? 'ClusterRoleBinding' : 'RoleBinding', source: { file: 'in.yaml', line: expect.any(Number) } }));
      expect(grant.role).toEqual(expect.objectContaining({ kind: 'ClusterRole', name: 'mallory-role' }));
    }
  });

  test.each(HOPS)('%s: gone once the one permission it needs is removed', (_name, c) => {
    const result = analyse([WORLD, grantYaml(c.rules.slice(0, -1), c.clusterWide), c.extra ?? ''].join('\n---\n'));
    expect(result.paths.filter((p) => nodeKey(p.target) === nodeKey(c.target) && p.hops.some((h) => h.kind === c.kind))).toEqual([]);
  });

  test('every hop kind the finder knows is a risk catalogue entry with reaches, and the table covers each', () => {
    const hopKinds = RISK_CATALOGUE.filter((d) => d.reaches !== undefined).map((d) => d.id).sort();
    expect([...new Set(HOPS.map(([, c]) => c.kind))].sort()).toEqual(hopKinds);
  });

  test('creating a token Secret without reading Secrets back reaches nobody (the token is written after the create answer)', () => {
    expect(analyse([WORLD, grantYaml([core(['create'], ['secrets'])], false)].join('\n---\n')).paths).toEqual([]);
  });

  test('an approved client certificate never reaches system:masters (the API server refuses that subject for the client signer)', () => {
    const rules = [certs(['create'], ['certificatesigningrequests']), certs(['update'], ['certificatesigningrequests/approval']), certs(['approve'], ['signers'], ['kubernetes.io/*'])];
    const result = analyse([WORLD, grantYaml(rules, true)].join('\n---\n'));
    const targets = result.paths.filter((p) => p.hops[0].kind === 'csr-approve').map((p) => nodeKey(p.target));
    expect(targets).toContain(nodeKey({ kind: 'User', name: 'root-user' }));
    expect(targets).toContain(nodeKey({ kind: 'Group', name: 'system:authenticated' }));
    expect(targets).not.toContain(nodeKey({ kind: 'Group', name: 'system:masters' }));
    expect(targets).not.toContain(nodeKey(ADMIN));
    expect(pathTo(result.paths, { kind: 'User', name: 'root-user' })?.clusterAdmin).toBe(true);
  });

  test('impersonating a uid or userextras alone reaches nobody (they only refine an impersonated user)', () => {
    const rules = [core(['impersonate'], ['uids']), { verbs: ['impersonate'], apiGroups: ['authentication.k8s.io'], resources: ['userextras/scopes'] }];
    expect(analyse([WORLD, grantYaml(rules, true)].join('\n---\n')).paths).toEqual([]);
  });

  test('impersonating system:masters without any user to impersonate reaches nothing (the API server needs --as)', () => {
    expect(analyse([WORLD, grantYaml([core(['impersonate'], ['groups'], ['system:masters'])], true)].join('\n---\n')).paths).toEqual([]);
  });

  test('a reached ServiceAccount holding cluster-admin is marked so', () => {
    const result = analyse([WORLD, grantYaml([core(['create'], ['serviceaccounts/token'])], false)].join('\n---\n'));
    expect(pathTo(result.paths, BOSS)?.clusterAdmin).toBe(true);
    expect(pathTo(result.paths, { kind: 'ServiceAccount', namespace: 't', name: 'default' })?.clusterAdmin).toBe(false);
  });

  test('a subject that holds cluster-admin already has no paths and says so', () => {
    const result = analyse(WORLD, { kind: 'User', name: 'root-user' });
    expect(result).toEqual({ subject: { kind: 'User', name: 'root-user' }, holdsClusterAdmin: true, paths: [], truncated: false });
  });
});

describe('escalations: composition, order, cycles, cap', () => {
  test('a ServiceAccount reached by one hop brings its own permissions to the next (token for mid, then exec as mid)', () => {
    const yaml = [WORLD, grantYaml([core(['create'], ['serviceaccounts/token'], ['mid'])], false),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: mid, namespace: t }',
      grantYaml([core(['create'], ['pods/exec'])], false, 'system:serviceaccount:t:mid').replace(/mallory|system:serviceaccount:t:mid-/g, 'mid-'),
    ].join('\n---\n');
    // The second role is bound to the ServiceAccount mid.
    const fixed = yaml.replace('"subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"system:serviceaccount:t:mid"}]', '"subjects":[{"kind":"ServiceAccount","name":"mid","namespace":"t"}]');
    const path = pathTo(analyse(fixed).paths, BOSS);
    expect(path?.hops.map((h) => [h.kind, nodeKey(h.from), nodeKey(h.to)])).toEqual([
      ['serviceaccount-token-create', nodeKey(MALLORY), nodeKey({ kind: 'ServiceAccount', namespace: 't', name: 'mid' })],
      ['pods-exec', nodeKey({ kind: 'ServiceAccount', namespace: 't', name: 'mid' }), nodeKey(BOSS)],
    ]);
    expect(path?.hops[1].object).toEqual({ kind: 'Pod', name: 'web', namespace: 't', source: { file: 'in.yaml', line: expect.any(Number) } });
  });

  test('a role bound by a bind hop brings its rules: bind admin in t, then create pods there as boss', () => {
    const rules = [rbac(['create'], ['rolebindings']), rbac(['bind'], ['clusterroles'], ['admin'])];
    const path = pathTo(analyse([WORLD, grantYaml(rules, false)].join('\n---\n')).paths, BOSS);
    expect(path?.hops.map((h) => h.kind)).toEqual(['bind', 'workload-create']);
    expect(path?.hops[0].to).toEqual({ kind: 'Grant', roleKind: 'ClusterRole', roleName: 'admin', namespace: 't' });
    expect(path?.hops[1].grants[0].binding).toBeUndefined();
    expect(path?.hops[1].grants[0].role.name).toBe('admin');
  });

  test("creating pods cluster-wide reaches the bootstrap's controller ServiceAccounts in kube-system, and one of them reaches cluster-admin", () => {
    const result = analyse([WORLD, grantYaml([core(['create'], ['pods'])], true)].join('\n---\n'));
    const path = pathTo(result.paths, ADMIN);
    expect(path?.hops.map((h) => [h.kind, nodeKey(h.to)])).toEqual([
      ['workload-create', nodeKey({ kind: 'ServiceAccount', namespace: 'kube-system', name: 'clusterrole-aggregation-controller' })],
      ['escalate', nodeKey(ADMIN)],
    ]);
    expect(path?.hops[1].grants[0].binding).toEqual({ kind: 'ClusterRoleBinding', name: 'system:controller:clusterrole-aggregation-controller' });
  });

  test('paths come shortest first, each target once', () => {
    const yaml = [WORLD, grantYaml([core(['create'], ['serviceaccounts/token'], ['mid'])], false),
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: mid, namespace: t }',
      '{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"mid-rb","namespace":"t"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"edit"},"subjects":[{"kind":"ServiceAccount","name":"mid","namespace":"t"}]}',
    ].join('\n---\n');
    const lengths = analyse(yaml).paths.map((p) => p.hops.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(lengths[0]).toBe(1);
    const keys = analyse(yaml).paths.map((p) => nodeKey(p.target));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('a cycle between identities terminates: a impersonates b, b impersonates a', () => {
    const sa = (n: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${n}, namespace: t }`;
    const rb = (who: string, whom: string) => [
      JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `as-${whom}`, namespace: 't' }, rules: [core(['impersonate'], ['serviceaccounts'], [whom])] }),
      JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `${who}-as-${whom}`, namespace: 't' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `as-${whom}` }, subjects: [{ kind: 'ServiceAccount', name: who, namespace: 't' }] }),
    ].join('\n---\n');
    const result = analyse([WORLD, sa('a'), sa('b'), rb('a', 'b'), rb('b', 'a')].join('\n---\n'), { kind: 'ServiceAccount', namespace: 't', name: 'a' });
    expect(result.paths.map((p) => nodeKey(p.target))).toEqual([nodeKey({ kind: 'ServiceAccount', namespace: 't', name: 'b' })]);
  });

  test('the cap on paths per subject applies and says so', () => {
    const sas = Array.from({ length: 10 }, (_, i) => `apiVersion: v1\nkind: ServiceAccount\nmetadata: { name: sa-${i}, namespace: t }`);
    const result = analyse([WORLD, ...sas, grantYaml([core(['create'], ['pods'])], false)].join('\n---\n'), MALLORY, 3);
    expect([result.paths.length, result.truncated]).toEqual([3, true]);
    const all = analyse([WORLD, ...sas, grantYaml([core(['create'], ['pods'])], false)].join('\n---\n'), MALLORY, 100);
    expect([all.paths.length, all.truncated]).toEqual([12, false]);
  });

  test('a Secret kept for the analysis never keeps its data', () => {
    const load = parseManifests(WORLD, 'in.yaml', undefined, { workloads: true });
    expect(JSON.stringify(load.workloads)).not.toContain('c2VjcmV0LXZhbHVl');
    expect(load.workloads!.map((w) => w.object.kind)).toEqual(['Pod', 'Secret']);
  });

  test('by default the subjects are those of the input\'s bindings, then its ServiceAccounts', () => {
    const load = parseManifests([WORLD, grantYaml([core(['create'], ['pods'])], false)].join('\n---\n'), 'in.yaml', undefined, { workloads: true });
    const report = findEscalations(RbacPolicy.fromLoadResult(load), load);
    expect(report.subjects.map((s) => nodeKey(s.subject))).toEqual(([BOSS, { kind: 'User', name: 'root-user' }, MALLORY] as EscalationNode[]).map(nodeKey));
  });
});
