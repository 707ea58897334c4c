import { runInProcess } from './cli';

const SECRET = ['get', 'secrets/api-access-secret', '-n', 'dev', '--as', 'alice', '--no-bootstrap', '-f', '-'];

const binding = (subjects = '[{kind: User, name: alice}]') => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cr}
subjects: ${subjects}
`;
const role = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
rules: ${rules}
`;

describe('api-reader refuses objects the API server would reject (exit 2, file:line)', () => {
  it.each<[string, string, string]>([
    ['verbs: "*"', role('[{apiGroups: [""], resources: [secrets], verbs: "*"}]') + binding(),
      '<stdin>:1: ClusterRole "cr" would be rejected by the API server: rules[0].verbs must be a list of strings, not a string ("*"); write verbs: ["*"].'],
    ['resourceNames as a string', role('[{apiGroups: [""], resources: [secrets], verbs: [get], resourceNames: "xapi-access-secretx"}]') + binding(),
      '<stdin>:1: ClusterRole "cr" would be rejected by the API server: rules[0].resourceNames must be a list of strings, not a string ("xapi-access-secretx"); write resourceNames: ["xapi-access-secretx"].'],
    ['rules: {}', role('{}') + binding(),
      '<stdin>:1: ClusterRole "cr" would be rejected by the API server: rules must be a list of rules, not an object; write rules: [{apiGroups: [...], resources: [...], verbs: [...]}].'],
    ['subjects: [null]', role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]') + binding('[null]'),
      '<stdin>:6: ClusterRoleBinding "crb" would be rejected by the API server: subjects[0] must be an object with kind and name, not null.'],
    ['an unknown subject kind', role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]') + binding('[{kind: Robot, name: alice}]'),
      '<stdin>:6: ClusterRoleBinding "crb" would be rejected by the API server: subjects[0].kind must be one of ServiceAccount, User, Group, not "Robot".'],
  ])('%s', async (_name, stdin, message) => {
    const r = await runInProcess(['can-i', ...SECRET], { stdin });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', `api-reader: error: ${message}\n`]);
  });

  it('prints one error line per invalid object', async () => {
    const r = await runInProcess(['who-can', 'get', 'secrets', '-n', 'dev', '--no-bootstrap', '-f', '-'], { stdin: role('{}') + binding('[null]') });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean).map((l) => l.slice(0, 'api-reader: error: <stdin>:1'.length))).toEqual([
      'api-reader: error: <stdin>:1', 'api-reader: error: <stdin>:6',
    ]);
  });

  it('warns for rbac.authorization.k8s.io/v1beta1 with file:line and answers', async () => {
    const stdin = role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]').replace('/v1\n', '/v1beta1\n') + binding();
    const r = await runInProcess(['can-i', ...SECRET], { stdin });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'yes\n',
      'api-reader: warning: ClusterRole "cr" (<stdin>:1) uses rbac.authorization.k8s.io/v1beta1, which the API server no longer serves (removed in Kubernetes 1.22); change apiVersion to rbac.authorization.k8s.io/v1.\n']);
  });
});
