import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  adviceSubject, adviseRbac, AuditRecord, diffGrants, logInputs, renderAdviceYaml, runAudit,
} from '../../lib/audit';
import { adviceObjects, toManifestYaml } from '../../lib/audit/render/advice-yaml';
import { loadPaths, RbacPolicy } from '../../lib/rbac';
import { forbidden, objectRef, observe, record, saUser, walkthroughObserved, WALKTHROUGH_LOG } from './events';

const ROOT = path.join(__dirname, '..', '..');
const SA = 'system:serviceaccount:dev:secret-access-sa';
const DIST = path.join(ROOT, 'dist', 'api-reader.k8s.yaml');

function distObjects(): Array<Record<string, unknown>> {
  return parseAllDocuments(fs.readFileSync(DIST, 'utf8')).map((d) => d.toJSON());
}

describe('least-privilege rules', () => {
  const advise = (records: AuditRecord[]) => adviseRbac(adviceSubject(SA), observe(SA, records).list('allow'));

  it.each<[string, AuditRecord[], unknown[]]>([
    ['a get of one named object gets resourceNames', [record({})], [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret'], verbs: ['get'] }]],
    ['gets of two names list both', [record({}), record(objectRef('secrets', 'dev', 'other'))], [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret', 'other'], verbs: ['get'] }]],
    ['a list without a name drops resourceNames for list only', [record({}), record({ verb: 'list', ...objectRef('secrets', 'dev') })], [
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
    ]],
    ['create never names objects', [record({ verb: 'create', ...objectRef('configmaps', 'dev', 'c') })], [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }]],
    ['verbs on the same names merge', [record({}), record({ verb: 'update' })], [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret'], verbs: ['get', 'update'] }]],
    ['resources with the same verbs merge', [record({ verb: 'list', ...objectRef('pods', 'dev') }), record({ verb: 'list', ...objectRef('services', 'dev') })], [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['list'] }]],
    ['a subresource is its own resource', [record({ ...objectRef('pods', 'dev', 'p', { subresource: 'log' }) })], [{ apiGroups: [''], resources: ['pods/log'], resourceNames: ['p'], verbs: ['get'] }]],
    ['a group is kept', [record({ verb: 'patch', ...objectRef('deployments', 'dev', 'web', { apiGroup: 'apps' }) })], [{ apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web'], verbs: ['patch'] }]],
    ['forbidden requests are not covered', [record({}, forbidden)], []],
  ])('%s', (_name, records, rules) => {
    const advice = advise(records);
    expect(advice.grants.flatMap((g) => g.role.rules)).toEqual(rules);
  });

  it('requests in another namespace get a Role and RoleBinding there, and say why', () => {
    const advice = advise([record({}), record(objectRef('configmaps', 'staging', 'c'))]);
    expect(advice.grants.map((g) => [g.role.kind, g.role.name, g.role.namespace, g.binding.kind, g.binding.name, g.binding.namespace])).toEqual([
      ['ClusterRole', 'secret-access-cr', undefined, 'RoleBinding', 'secret-access-rb', 'dev'],
      ['Role', 'secret-access-role', 'staging', 'RoleBinding', 'secret-access-rb', 'staging'],
    ]);
    expect(advice.grants[1].why).toMatch(/never widen the home grant/);
  });

  it('cluster-scoped and non-resource requests get a ClusterRole and ClusterRoleBinding', () => {
    const advice = advise([
      record({ verb: 'list', objectRef: { resource: 'namespaces', apiVersion: 'v1' } }),
      record({ objectRef: null, requestURI: '/healthz' }),
    ]);
    expect(advice.grants).toHaveLength(1);
    expect(advice.grants[0]).toMatchObject({
      scope: { kind: 'cluster' },
      role: { kind: 'ClusterRole', name: 'secret-access-cr', rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }, { apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }] },
      binding: { kind: 'ClusterRoleBinding', name: 'secret-access-crb' },
    });
  });

  it('marks risky rules as the guardrails would', () => {
    const advice = advise([record({ verb: 'create', ...objectRef('pods', 'dev', 'p', { subresource: 'exec' }) })]);
    expect(advice.grants[0].role.risks).toEqual([['pods-exec']]);
    expect(renderAdviceYaml(advice)).toMatch(/# RISK: rule 1 of ClusterRole "secret-access-cr" carries "pods-exec"/);
  });

  it('advises a User with Roles and User subjects', () => {
    const alice = record({ user: { username: 'alice', groups: ['devs'] }, ...objectRef('configmaps', 'dev', 'c') });
    const advice = adviseRbac(adviceSubject('alice'), observe('alice', [alice]).list('allow'));
    expect(adviceObjects(advice)[1]).toMatchObject({ kind: 'RoleBinding', subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'alice' }] });
  });
});

describe('the walkthrough story', () => {
  it('secret-access-sa read the secret (allow); no-access-sa and the cross-namespace read were forbidden', async () => {
    const result = await runAudit({ logs: [WALKTHROUGH_LOG], filter: { resources: [{ resource: 'secrets' }], names: ['api-access-secret'] }, view: 'json' }, {
      logs: logInputs([WALKTHROUGH_LOG], () => process.stdin),
    });
    const rows = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.user.split(':').pop(), r.namespace, r.decision])).toEqual([
      ['secret-access-sa', 'dev', 'allow'],
      ['no-access-sa', 'dev', 'forbid'],
      ['secret-access-sa', 'default', 'forbid'],
      ['secret-access-sa', 'dev', 'allow'],
    ]);
  });

  it('the suggested grant for secret-access-sa is exactly the ClusterRole and RoleBinding dist/ ships', async () => {
    const advice = adviseRbac(adviceSubject(SA), (await walkthroughObserved()).list('allow'));
    const shipped = distObjects().filter((o) => ['secret-access-cr', 'secret-access-rb'].includes((o.metadata as { name: string }).name));
    expect(adviceObjects(advice)).toEqual(shipped);
  });

  it('the suggested YAML is byte-identical to the shipped documents', async () => {
    const advice = adviseRbac(adviceSubject(SA), (await walkthroughObserved()).list('allow'));
    const yaml = renderAdviceYaml(advice);
    const dist = fs.readFileSync(DIST, 'utf8');
    for (const object of adviceObjects(advice)) {
      expect(yaml).toContain(toManifestYaml(object));
      expect(dist).toContain(toManifestYaml(object));
    }
  });

  it('diffs against dist/: nothing granted goes unused, the cross-namespace read was denied and still is', async () => {
    const observed = await walkthroughObserved();
    const policy = RbacPolicy.fromLoadResult(loadPaths([DIST]));
    const diff = diffGrants(policy, SA, [...observed.list('allow'), ...observed.list('forbid')]);
    expect(diff.grantedButUnused).toEqual([]);
    expect(diff.deniedButAttempted.map((d) => [d.access.verb, d.access.resource, d.access.name, d.access.namespace, d.allowedToday])).toEqual([
      ['get', 'secrets', 'api-access-secret', 'default', false],
    ]);
    expect(diff.usedButNotGranted).toEqual([]);
  });
});

describe('the grant diff', () => {
  const policy = RbacPolicy.fromObjects([
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'wide' }, rules: [
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
    ] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'wide-rb', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'wide' }, subjects: [{ kind: 'ServiceAccount', name: 'secret-access-sa', namespace: 'dev' }] },
  ]);

  it('lists granted but never used rules with the binding that grants them', () => {
    const diff = diffGrants(policy, SA, observe(SA, [record({})]).list('allow'));
    expect(diff.grantedButUnused).toEqual([{
      namespace: 'dev', rule: { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }, ruleText: '{APIGroups:[""], Resources:["secrets"], Verbs:["list"]}',
      grantedBy: 'RoleBinding "wide-rb/dev" of ClusterRole "wide" to ServiceAccount "secret-access-sa/dev"',
    }]);
  });

  it('lists requests allowed in the log that the manifests do not grant', () => {
    const observed = observe(SA, [record({ verb: 'delete' })]).list('allow');
    expect(diffGrants(policy, SA, observed).usedButNotGranted.map((c) => c.access.verb)).toEqual(['delete']);
  });

  it('lists denied requests with the count and times', () => {
    const other = saUser('dev', 'secret-access-sa');
    const denied = observe(SA, [record({ user: other, ...objectRef('pods', 'dev') }, forbidden), record({ user: other, ...objectRef('pods', 'dev'), requestReceivedTimestamp: '2024-05-01T11:00:00Z' }, forbidden)]);
    expect(diffGrants(policy, SA, denied.list('forbid')).deniedButAttempted).toEqual([expect.objectContaining({
      access: expect.objectContaining({ resource: 'pods', count: 2, firstTime: '2024-05-01T10:00:00.000000Z', lastTime: '2024-05-01T11:00:00Z' }),
      allowedToday: false,
    })]);
  });
});
