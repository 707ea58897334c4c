/**
 * Advice a platform team can apply as is (issue 15): every subject in one run, nothing the bootstrap
 * policy already grants to everyone, names that survive a rollout, and only what is missing, proven.
 */
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  adviceSubject, adviseAll, adviseRbac, AuditOptions, isSystemIdentity, logInputs, ObservedSubjects, readAuditRecords, runAudit,
} from '../../lib/audit';
import { unprovenAccesses } from '../../lib/audit/advice-proof';
import { uniqueBaseNames } from '../../lib/audit/advice-report';
import { nameFamily } from '../../lib/audit/name-families';
import { loadPaths, RbacPolicy } from '../../lib/rbac';
import { jsonLines, memoryInput, objectRef, observe, record, WALKTHROUGH_LOG } from './events';

const MULTI = path.join(__dirname, 'fixtures', 'multi-subject.jsonl');
const DIST = path.join(__dirname, '..', '..', 'dist');
const WEB = 'system:serviceaccount:dev:web-sa';
const SA = 'system:serviceaccount:dev:secret-access-sa';

function advice(options: Partial<AuditOptions> = {}, policy?: RbacPolicy, logs = [MULTI]) {
  return runAudit({ logs, filter: {}, view: 'advice-yaml', advise: {}, ...options }, {
    logs: logInputs(logs, () => process.stdin), ...(policy ? { policy } : {}),
  });
}

async function subjects(logs = [MULTI], named: string[] = []): Promise<ObservedSubjects> {
  const o = new ObservedSubjects({ named });
  for await (const r of readAuditRecords(logInputs(logs, () => process.stdin))) o.add(r);
  return o;
}

function objects(text: string): Array<{ kind: string; metadata: { name: string; namespace?: string }; rules?: unknown[]; subjects?: unknown[] }> {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o) => o !== null);
}

describe('every subject in one run', () => {
  it('advises each subject with requests, service accounts first, and leaves out control plane and node identities', async () => {
    const o = await subjects();
    expect(o.subjects().map((s) => s.username)).toEqual([
      'system:serviceaccount:ci:deployer-sa', 'system:serviceaccount:dev:no-access-sa', WEB, 'alice@example.com',
    ]);
    expect(o.systemIdentitiesLeftOut).toBe(3);
  });

  it.each([
    ['the controller manager', 'system:kube-controller-manager', []],
    ['a node by name', 'system:node:worker-1', ['system:nodes']],
    ['a node by group', 'kubelet', ['system:nodes']],
    ['a controller service account', 'system:serviceaccount:kube-system:replicaset-controller', []],
  ])('%s is a system identity', (_name, user, groups) => {
    expect(isSystemIdentity(user, groups)).toBe(true);
  });

  it('a system identity named by --user is advised', async () => {
    const o = await subjects([MULTI], ['system:kube-controller-manager']);
    expect(o.subjects().map((s) => s.username)).toContain('system:kube-controller-manager');
  });

  it('gives each subject its own section, and subjects sharing a name prefix distinct object names', async () => {
    expect(uniqueBaseNames([adviceSubject('system:serviceaccount:dev:web-sa'), adviceSubject('system:serviceaccount:prod:web-sa'), adviceSubject('web')]))
      .toEqual(['dev-web', 'prod-web', 'user-web']);
    const result = await advice();
    expect(result.stdout.match(/^# ==== .*$/gm)).toHaveLength(4);
    const names = objects(result.stdout).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('nothing already granted to everyone', () => {
  it('discovery and self-reviews are covered by the bootstrap roles, named, and get no rule', async () => {
    const all = adviseAll({ subjects: await subjects(), format: 'yaml' });
    const web = all.advices.find((a) => a.subject.username === WEB)!;
    expect(web.covered.map((c) => [c.access.path, c.by])).toEqual([
      ['/api', 'ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
      ['/apis', 'ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
      ['/healthz', 'ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
      ['/version', 'ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"'],
    ]);
    expect(web.grants.map((g) => g.scope.kind)).toEqual(['home']);
    const alice = all.advices.find((a) => a.subject.username === 'alice@example.com')!;
    expect(alice.covered.map((c) => c.by)).toContain('ClusterRoleBinding "system:basic-user" of ClusterRole "system:basic-user" to Group "system:authenticated"');
    expect(alice.grants.flatMap((g) => g.role.rules).some((r) => r.resources?.includes('selfsubjectaccessreviews'))).toBe(false);
  });

  it('with -f, grants to the subject\'s groups count as covered, grants to the subject itself do not', async () => {
    const policy = RbacPolicy.fromObjects([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'cm', namespace: 'dev' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'all-sa-cm', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:dev', apiGroup: 'rbac.authorization.k8s.io' }] },
    ]);
    const all = adviseAll({ subjects: await subjects(), format: 'yaml', policy });
    const web = all.advices.find((a) => a.subject.username === WEB)!;
    expect(web.covered.map((c) => c.by)).toContain('RoleBinding "all-sa-cm/dev" of Role "cm" to Group "system:serviceaccounts:dev"');
    expect(web.grants.flatMap((g) => g.role.rules).some((r) => r.resources?.includes('configmaps'))).toBe(false);
  });
});

describe('names that survive a rollout', () => {
  it.each([
    ['a StatefulSet ordinal', 'pods', 'web-dev-3', 'StatefulSet "web-dev" ordinals'],
    ['a Deployment pod', 'pods', 'web-7c5ddbdf54-x2k9p', 'pods of a Deployment "web" ReplicaSet'],
    ['a ReplicaSet', 'replicasets', 'web-7c5ddbdf54', '"web" revisions (hash suffix)'],
    ['a CronJob job', 'jobs', 'backup-28930560', 'CronJob "backup" runs'],
    ['a generateName suffix', 'jobs', 'migrate-x2k9p', 'generated names "migrate-*"'],
    ['a chosen secret name', 'secrets', 'api-access-secret', undefined],
    ['a numbered configmap', 'configmaps', 'settings-2', undefined],
  ])('%s', (_name, resource, name, family) => {
    expect(nameFamily(resource, name)).toBe(family);
  });

  const pods = (n: number) => Array.from({ length: n }, (_v, i) => record(objectRef('pods', 'dev', `web-dev-${i}`)));

  it('collapses a generated family to a rule without resourceNames, with a note naming it', () => {
    const a = adviseRbac(adviceSubject(SA), observe(SA, pods(7)).list('allow'));
    expect(a.grants[0].role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(a.grants[0].role.notes).toEqual([['no resourceNames for get pods: "web-dev-0" .. "web-dev-6" are StatefulSet "web-dev" ordinals, which change with every rollout; --keep-names lists them']]);
  });

  it('--keep-names keeps them', () => {
    const a = adviseRbac(adviceSubject(SA), observe(SA, pods(3)).list('allow'), { keepNames: true });
    expect(a.grants[0].role.rules[0].resourceNames).toEqual(['web-dev-0', 'web-dev-1', 'web-dev-2']);
  });

  it('more names than the threshold collapse too', () => {
    const cms = ['a', 'b', 'c'].map((n) => record(objectRef('configmaps', 'dev', `settings-${n}`)));
    expect(adviseRbac(adviceSubject(SA), observe(SA, cms).list('allow'), { maxNames: 3 }).grants[0].role.rules[0].resourceNames).toHaveLength(3);
    const collapsed = adviseRbac(adviceSubject(SA), observe(SA, cms).list('allow'), { maxNames: 2 }).grants[0].role;
    expect([collapsed.rules[0].resourceNames, collapsed.notes[0]]).toEqual([undefined, ['no resourceNames for get configmaps: 3 names (more than 2); --keep-names lists them']]);
  });

  it('create and unnamed list never carry names', () => {
    const a = adviseRbac(adviceSubject(SA), observe(SA, [
      record({ verb: 'create', ...objectRef('configmaps', 'dev', 'c') }), record({ verb: 'list', ...objectRef('configmaps', 'dev') }),
    ]).list('allow'));
    expect(a.grants[0].role.rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['create', 'list'] }]);
  });
});

describe('only what is missing', () => {
  const dist = () => RbacPolicy.fromLoadResult(loadPaths([DIST]));

  it('extends the existing grants: new objects beside them, named apart, and proven with the evaluator', async () => {
    const policy = RbacPolicy.fromObjects([
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'deployer-cr' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'deployer-rb', namespace: 'ci' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'deployer-cr' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer-sa', namespace: 'ci' }] },
    ]);
    const result = await advice({ filter: { users: ['system:serviceaccount:ci:deployer-sa'] }, advise: { missingOnly: true } }, policy);
    expect(result.error).toBeUndefined();
    const advised = objects(result.stdout);
    expect(advised.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual(['Role/dev/deployer-extra-role', 'RoleBinding/dev/deployer-extra-rb']);
    expect(result.stdout).toContain('#   create configmaps/release-notes -n ci: by RoleBinding "deployer-rb/ci" of ClusterRole "deployer-cr" to ServiceAccount "deployer-sa/ci"');
    const o = await subjects();
    const deployer = o.subjects().find((s) => s.username === 'system:serviceaccount:ci:deployer-sa')!;
    expect(unprovenAccesses(policy, advised, { name: deployer.username, groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'] }, deployer.list('allow'))).toEqual([]);
  });

  it('the proof catches advice that would not allow an observed request', async () => {
    const o = await subjects();
    const web = o.subjects().find((s) => s.username === WEB)!;
    const user = { name: WEB, groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] };
    expect(unprovenAccesses(dist(), [], user, web.list('allow')).map((a) => a.verb + ' ' + (a.path ?? `${a.resource}/${a.name}`))).toEqual([
      'get configmaps/app-config', 'list pods/', ...Array.from({ length: 7 }, (_v, i) => `get pods/web-dev-${i}`),
    ]);
  });

  it('for the walkthrough, dist/ grants everything secret-access-sa did: no object is printed', async () => {
    const result = await advice({ filter: { users: ['system:serviceaccount:dev:secret-access-sa'] }, advise: { missingOnly: true } }, dist(), [WALKTHROUGH_LOG]);
    expect(objects(result.stdout)).toEqual([]);
  });

  it('never removes anything: granted but unused stays a report', async () => {
    const policy = dist();
    const result = await advice({ filter: { users: [WEB] }, advise: { missingOnly: true } }, policy);
    expect(objects(result.stdout).map((o) => o.metadata.name)).toEqual(['web-extra-cr', 'web-extra-rb']);
    expect(objects(result.stdout).every((o) => !(o.kind === 'ClusterRole' && o.metadata.name === 'secret-access-cr'))).toBe(true);
  });

  it('runs on a log from memory too', async () => {
    const text = jsonLines([]);
    const result = await runAudit({ logs: ['m'], filter: {}, view: 'advice-yaml', advise: {} }, { logs: [memoryInput('m', text)] });
    expect(result.stdout).toBe('# Least-privilege advice for 0 subject(s) with requests in the audit log.\n');
  });
});
