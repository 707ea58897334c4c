import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInProcess } from './cli';

// Issue 23: which request is answered, kubectl's spellings and arguments, and input with invalid objects.

const BINDER = `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: binder, namespace: h3-a}
rules: [{apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind], resourceNames: [view]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: binder, namespace: h3-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: binder}
subjects: [{kind: User, name: erin}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: apps-reader, namespace: dev}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get]}
- {apiGroups: [""], resources: [secrets], verbs: [get]}
- {apiGroups: [example.com], resources: [widgets], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: apps-reader, namespace: dev}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: apps-reader}
subjects: [{kind: User, name: dora}]
`;

const ask = (args: string[]) => runInProcess(['can-i', ...args, '--no-bootstrap', '-f', '-'], { stdin: BINDER });

describe('bind on a ClusterRole is checked in the binding\'s namespace (the RBAC storage\'s BindingAuthorized)', () => {
  it('can-i bind clusterroles/view -n h3-a counts a RoleBinding in h3-a, without the "not namespace scoped" warning', async () => {
    expect(await ask(['bind', 'clusterroles.rbac.authorization.k8s.io/view', '-n', 'h3-a', '--as', 'erin'])).toEqual({ stdout: 'yes\n', stderr: '', status: 0 });
    expect((await ask(['bind', 'clusterroles/view', '-n', 'other', '--as', 'erin'])).status).toBe(1);
    expect((await ask(['bind', 'clusterroles/view', '-A', '--as', 'erin'])).status).toBe(1);
    // escalate is asked with the request's own namespace, none for a ClusterRole.
    expect((await ask(['escalate', 'clusterroles/view', '-n', 'h3-a', '--as', 'erin'])).status).toBe(1);
  });

  it('who-can lists the subjects of that RoleBinding', async () => {
    const r = await runInProcess(['who-can', 'bind', 'clusterroles/view', '-n', 'h3-a', '--no-bootstrap', '-f', '-', '-o', 'json'], { stdin: BINDER });
    expect(JSON.parse(r.stdout).subjects.map((s: { subject: string }) => s.subject)).toEqual(['system:masters', 'erin']);
  });
});

describe('kubectl\'s resource spellings', () => {
  it.each([
    ['short name and group', 'deploy.apps'],
    ['singular and group', 'deployment.apps'],
    ['resource.version.group', 'deployments.v1.apps'],
    ['short name.version.group', 'deploy.v1.apps'],
    ['upper case, as kubectl lowercases', 'Deployments.Apps'],
  ])('%s: %s', async (_name, resource) => {
    expect(await ask(['get', resource, '-n', 'dev', '--as', 'dora'])).toEqual({ stdout: 'yes\n', stderr: '', status: 0 });
  });

  it('secrets.v1. is the core group', async () => {
    expect(await ask(['get', 'secrets.v1.', '-n', 'dev', '--as', 'dora'])).toEqual({ stdout: 'yes\n', stderr: '', status: 0 });
  });

  it('a version the resource is not served at falls back to RESOURCE.GROUP as written', async () => {
    const r = await ask(['get', 'deployments.v1beta1.apps', '-n', 'dev', '--as', 'dora']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the server doesn't have a resource type 'deployments' in group 'v1beta1.apps'");
  });
});

describe('which request is answered, and when kubectl auth can-i would answer differently', () => {
  it('an unserved RESOURCE.GROUP is answered split (group example.com), and says kubectl would send it unsplit', async () => {
    const r = await ask(['get', 'widgets.example.com', '-n', 'dev', '--as', 'dora']);
    expect(r.stdout).toBe('yes\n');
    expect(r.stderr).toContain('kubectl auth can-i would answer no: it asks "get" widgets.example.com in namespace "dev", but the server serves no widgets in group example.com, '
      + 'and kubectl then sends "widgets.example.com" unsplit as a core-group resource; this answer is for the real request.');
  });

  it('namespaces/NAME asked with -n OTHER: the real request\'s namespace is NAME', async () => {
    const binding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: v, namespace: other}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}\nsubjects: [{kind: User, name: val}]\n';
    const r = await runInProcess(['can-i', 'get', 'namespaces/target', '-n', 'other', '--as', 'val', '-f', '-'], { stdin: binding });
    expect(r.stdout).toBe('no\n');
    expect(r.stderr).toContain('kubectl auth can-i would answer yes: it asks "get" namespaces/target in namespace "other", but the API request for namespaces/target carries the namespace "target"');
  });

  it('no line when kubectl would answer the same', async () => {
    expect((await ask(['list', 'nodes', '-n', 'dev', '--as', 'dora'])).stderr).not.toContain('kubectl auth can-i would answer');
  });
});

describe('arguments kubectl accepts', () => {
  it('-n X -A together: -A wins, as in kubectl', async () => {
    expect(await ask(['get', 'deployments.apps', '-n', 'dev', '-A', '--as', 'dora'])).toEqual({ stdout: 'no\n', stderr: '', status: 1 });
  });

  it.each([
    'system:serviceaccount:dev:Bad_Name', 'system:serviceaccount:dev:UPPER', 'system:serviceaccount:a:b:c',
  ])('--as %s is a plain user with system:authenticated only, with a warning (exit 0/1, not 2)', async (as) => {
    const r = await runInProcess(['can-i', 'get', '/api', '--as', as, '-o', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).user).toEqual({ name: as, groups: ['system:authenticated'] });
    expect(r.stderr).toContain('the API server takes it as a plain user (groups system:authenticated only)');
  });
});

describe('served APIs: a default server\'s, plus --enable-api', () => {
  it('a resource only an alpha or beta API serves does not resolve by its bare name, unless its API is enabled', async () => {
    const r = await runInProcess(['can-i', 'list', 'leasecandidates', '--as', 'root', '--as-group', 'system:masters', '-o', 'json']);
    expect(JSON.parse(r.stdout).request).toMatchObject({ resource: 'leasecandidates', group: '' });
    expect(r.stderr).toContain("the server doesn't have a resource type 'leasecandidates'");
    const enabled = await runInProcess(['can-i', 'list', 'leasecandidates', '--as', 'root', '--as-group', 'system:masters', '-o', 'json', '--enable-api', 'coordination.k8s.io/v1beta1']);
    expect(JSON.parse(enabled.stdout).request).toMatchObject({ resource: 'leasecandidates', group: 'coordination.k8s.io' });
    expect(enabled.stderr).toBe('');
  });

  it('names the version to enable for an unserved built-in RESOURCE.GROUP', async () => {
    const r = await runInProcess(['can-i', 'list', 'clustertrustbundles.certificates.k8s.io', '--as', 'alice']);
    expect(r.stderr).toContain('Kubernetes 1.35 has it only at certificates.k8s.io/v1beta1, certificates.k8s.io/v1alpha1, which a server started with default flags does not serve');
    expect(r.stderr).toContain('--enable-api certificates.k8s.io/v1beta1');
  });

  it('matrix columns resolve through the served APIs too', async () => {
    const stdin = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: lc}\nrules: [{apiGroups: [coordination.k8s.io], resources: [leasecandidates], verbs: [list]}]\n---\n'
      + 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: lc}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: lc}\nsubjects: [{kind: User, name: lee}]\n';
    const state = async (extra: string[]) => JSON.parse((await runInProcess(['matrix', '--subjects', 'lee', '--resources', 'leasecandidates', '--verbs', 'list', '-o', 'json', '--no-bootstrap', '-f', '-', ...extra], { stdin })).stdout)
      .subjects[0].rows[0].cells[0].state;
    expect(await state([])).toBe('denied');
    expect(await state(['--enable-api', 'coordination.k8s.io/v1beta1'])).toBe('allowed');
  });

  it('refuses an --enable-api the release does not have, with exit 2', async () => {
    const r = await runInProcess(['can-i', 'list', 'pods', '--as', 'alice', '--enable-api', 'apps/v9']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--enable-api: "apps/v9" is not an API version Kubernetes 1.35 has');
  });
});

describe('a directory with invalid objects and an unparseable file', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i23-invalid-'));
    fs.writeFileSync(path.join(dir, 'a-broken.yaml'), 'kind: Role\nmetadata: {name: [x\n');
    fs.writeFileSync(path.join(dir, 'b-good.yaml'), BINDER);
    fs.writeFileSync(path.join(dir, 'c-v1beta1.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1beta1\nkind: ClusterRole\nmetadata: {name: old}\nrules: []\n');
    fs.writeFileSync(path.join(dir, 'd-bad-selector.yaml'), 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: agg}\naggregationRule: {clusterRoleSelectors: []}\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses by default, naming every invalid document and object in one run (exit 2)', async () => {
    const r = await runInProcess(['can-i', 'get', 'deployments.apps', '-n', 'dev', '--as', 'dora', '-f', dir]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines.map((l) => /^api-reader: error: ([^:]+):(\d+)/.exec(l)?.slice(1).join(':').replace(`${dir}/`, ''))).toEqual([
      'a-broken.yaml:3', 'c-v1beta1.yaml:1', 'd-bad-selector.yaml:1',
    ]);
  });

  it('--skip-invalid answers for the rest, lists each rejected one, and exits 3', async () => {
    const r = await runInProcess(['can-i', 'get', 'deployments.apps', '-n', 'dev', '--as', 'dora', '-f', dir, '--skip-invalid']);
    expect(r.stdout).toBe('yes\n');
    expect(r.status).toBe(3);
    expect(r.stderr.match(/^api-reader: rejected: /gm)).toHaveLength(3);
    expect(r.stderr).toContain('3 objects or documents left out, as the API server would reject them; the answer above is for the rest.');
  });
});
