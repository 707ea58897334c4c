import { runInProcess } from './cli';

const NODE_READER = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-reader}
rules: [{apiGroups: [""], resources: [nodes], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: node-reader, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: node-reader}
subjects: [{kind: User, name: erin}]
`;

describe('a cluster-scoped resource asked about in a namespace', () => {
  it('can-i warns as kubectl does, drops the namespace and answers no for a RoleBinding grant', async () => {
    const r = await runInProcess(['can-i', 'list', 'nodes', '--as', 'erin', '-f', '-'], { stdin: NODE_READER });
    expect(r).toEqual({
      stdout: 'no\n',
      stderr: 'api-reader: warning: resource \'nodes\' is not namespace scoped; the namespace "default" is dropped, as the API request carries none, so no RoleBinding can grant it.\n'
        + 'api-reader: warning: kubectl auth can-i would answer yes: it asks "list" nodes in namespace "default", but the resource is cluster-scoped, so the API request carries no namespace and no RoleBinding can grant it; this answer is for the real request.\n',
      status: 1,
    });
  });

  it('who-can does not list a subject bound by a RoleBinding', async () => {
    const r = await runInProcess(['who-can', 'list', 'nodes', '-n', 'default', '--no-bootstrap', '-f', '-'], { stdin: NODE_READER });
    expect(r.stdout).not.toContain('erin');
    expect(r.stderr).toContain('is not namespace scoped');
  });
});

describe('--kube-version', () => {
  it('answers from that release\'s bootstrap policy: view grants events.events.k8s.io from 1.35 only', async () => {
    const binding = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: v, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: val}]\n';
    const ask = (version: string) => runInProcess(['can-i', 'list', 'events.events.k8s.io', '-n', 'dev', '--as', 'val', '--kube-version', version, '-f', '-'], { stdin: binding });
    expect((await ask('1.35')).status).toBe(0);
    expect((await ask('v1.34.2')).status).toBe(1);
  });

  it('refuses a release there is no data for, with exit 2', async () => {
    const r = await runInProcess(['can-i', 'get', 'pods', '--as', 'val', '--kube-version', '1.20']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--kube-version: Kubernetes version "1.20" is not supported');
  });
});
