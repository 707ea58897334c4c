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
    ['an unknown top-level field (kubectl apply --validate=strict, the default)', role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]') + binding() + 'extra: true\n',
      '<stdin>:6: ClusterRoleBinding "crb" would be rejected by the API server: unknown field "extra"; remove it, or check its spelling and indentation.'],
    ['an unknown field of a rule', role('[{apiGroups: [""], resources: [secrets], verbs: [get], bogus: 1}]') + binding(),
      '<stdin>:1: ClusterRole "cr" would be rejected by the API server: unknown field "rules[0].bogus"; remove it, or check its spelling and indentation.'],
    ['no apiVersion', role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]') + binding().replace(/^apiVersion: .*\n/m, ''),
      '<stdin>:6: ClusterRoleBinding "crb" would be rejected by the API server: apiVersion is required (kubectl refuses the object: "apiVersion not set"); add apiVersion: rbac.authorization.k8s.io/v1.'],
    ['an RBAC version that does not exist', role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]').replace('/v1\n', '/v2\n') + binding(),
      '<stdin>:1: ClusterRole "cr" would be rejected by the API server: apiVersion "rbac.authorization.k8s.io/v2" does not exist: no matches for kind "ClusterRole" in version '
      + '"rbac.authorization.k8s.io/v2" (kubectl: "resource mapping not found"); the server serves rbac.authorization.k8s.io/v1, so write apiVersion: rbac.authorization.k8s.io/v1.'],
    ['an unknown field whose name is not printable', role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]') + binding() + '"\\e[2Jx": 1\n',
      '<stdin>:6: ClusterRoleBinding "crb" would be rejected by the API server: unknown field "\\u001b[2Jx"; remove it, or check its spelling and indentation.'],
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

  it('refuses rbac.authorization.k8s.io/v1beta1 with file:line, as a 1.22+ server does (exit 2)', async () => {
    const stdin = role('[{apiGroups: [""], resources: [secrets], verbs: [get]}]').replace('/v1\n', '/v1beta1\n') + binding();
    const r = await runInProcess(['can-i', ...SECRET], { stdin });
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '',
      'api-reader: error: <stdin>:1: ClusterRole "cr" would be rejected by the API server: apiVersion "rbac.authorization.k8s.io/v1beta1" is not served since Kubernetes 1.22: '
      + 'no matches for kind "ClusterRole" in version "rbac.authorization.k8s.io/v1beta1" (kubectl: "resource mapping not found"), so the cluster cannot hold it; '
      + 'write apiVersion: rbac.authorization.k8s.io/v1 (the fields are the same).\n']);
  });
});

describe('api-reader --validate: fields RBAC objects do not have, as kubectl apply --validate', () => {
  const stdin = role('[{apiGroups: [""], resources: [secrets], verbs: [get], bogus: 1}]') + binding();

  it.each(['strict', 'true'])('--validate %s refuses them (the default)', async (mode) => {
    const r = await runInProcess(['can-i', ...SECRET, '--validate', mode], { stdin });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^api-reader: error: <stdin>:1: .*unknown field "rules\[0\]\.bogus"/);
  });

  it('--validate warn answers, with a warning naming file:line and the field', async () => {
    const r = await runInProcess(['can-i', ...SECRET, '--validate=warn'], { stdin });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, 'yes\n',
      'api-reader: warning: ClusterRole "cr" (<stdin>:1) has fields the API server drops without storing them: unknown field "rules[0].bogus"; remove it, or check its spelling and indentation.\n']);
  });

  it.each(['ignore', 'false'])('--validate %s answers silently', async (mode) => {
    expect(await runInProcess(['can-i', ...SECRET, '--validate', mode], { stdin })).toEqual(expect.objectContaining({ status: 0, stdout: 'yes\n', stderr: '' }));
  });

  it('still refuses what the server refuses whatever the field validation', async () => {
    const r = await runInProcess(['can-i', ...SECRET, '--validate', 'ignore'], { stdin: role('{}') + binding() });
    expect(r.status).toBe(2);
  });

  it('refuses another mode as a usage error', async () => {
    const r = await runInProcess(['can-i', ...SECRET, '--validate', 'lenient'], { stdin });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^api-reader: error: --validate must be strict, warn or ignore \(or true, false\), not "lenient"\./);
  });
});
