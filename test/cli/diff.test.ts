import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runInProcess } from './cli';

const RB = 'rbac.authorization.k8s.io';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i25-diff-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, objects: unknown[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, objects.map((o) => JSON.stringify(o)).join('\n---\n'));
  return file;
}
const role = (name: string, rules: unknown[]) => ({ apiVersion: `${RB}/v1`, kind: 'ClusterRole', metadata: { name }, rules });
const binding = (name: string, roleName: string, subjects: unknown[]) =>
  ({ apiVersion: `${RB}/v1`, kind: 'RoleBinding', metadata: { name, namespace: 'dev' }, roleRef: { apiGroup: RB, kind: 'ClusterRole', name: roleName }, subjects });
const pods = role('pods-reader', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
const secrets = role('secrets-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]);
const exec = role('exec', [{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }]);
const app = { kind: 'ServiceAccount', name: 'app', namespace: 'dev' };

const base = write('base.yaml', [pods, secrets, exec, binding('rb', 'pods-reader', [app])]);
const headMedium = write('medium.yaml', [pods, secrets, exec, binding('rb', 'pods-reader', [app]), binding('rb2', 'secrets-reader', [app])]);
const headHigh = write('high.yaml', [pods, secrets, exec, binding('rb', 'exec', [app])]);

describe('api-reader diff: reports', () => {
  it('text: the subject, the gained and lost access, the risk and the binding at file:line', async () => {
    const r = await runInProcess(['diff', base, headHigh]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe([
      'ServiceAccount dev/app',
      '  + create pods/exec in namespace dev  [high: pods-exec]',
      `      by RoleBinding "rb/dev" of ClusterRole "exec" to ServiceAccount "app/dev" (${headHigh}:7; rule in ClusterRole "exec" at ${headHigh}:5)`,
      '  - get pods in namespace dev',
      `      was by RoleBinding "rb/dev" of ClusterRole "pods-reader" to ServiceAccount "app/dev" (${base}:7; rule in ClusterRole "pods-reader" at ${base}:1)`,
      '',
      '1 of 4 subjects gain access, 1 lose access.',
      '',
    ].join('\n'));
  });

  it('says so when nothing changes', async () => {
    const r = await runInProcess(['diff', base, base]);
    expect([r.status, r.stdout]).toEqual([0, 'No change in effective access (4 subjects compared).\n']);
  });

  it('json: the whole diff, with value sets and locations', async () => {
    const r = await runInProcess(['diff', base, headMedium, '-o', 'json']);
    const diff = JSON.parse(r.stdout);
    expect(diff.subjects[0].subject.key).toBe('ServiceAccount:dev/app');
    expect(diff.subjects[0].gained[0]).toMatchObject({
      verbs: { any: false, values: ['get'] }, resources: { any: false, values: ['secrets'] }, severity: 'medium',
      grantedBy: [{ bindingAt: { file: headMedium, line: 9 } }],
    });
  });

  it('reads one side from stdin', async () => {
    const r = await runInProcess(['diff', '-', headMedium], { stdin: fs.readFileSync(base, 'utf8') });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  + get secrets in namespace dev  [medium: secrets-read]');
  });

  it.each([
    ['none', headHigh, 0], ['any', headMedium, 1], ['medium', headMedium, 1], ['high', headMedium, 0], ['high', headHigh, 1], ['critical', headHigh, 0],
    ['any', base, 0],
  ])('--fail-on %s exits as the most severe gain says (%#)', async (level, head, status) => {
    expect((await runInProcess(['diff', base, head, '--fail-on', level])).status).toBe(status);
  });

  it('a lost access never fails the run', async () => {
    const r = await runInProcess(['diff', headMedium, base, '--fail-on', 'any']);
    expect([r.status, r.stdout]).toEqual([0, expect.stringContaining('  - get secrets in namespace dev')]);
  });
});

describe('api-reader diff: names from the manifests are data in every format', () => {
  const hostile = 'x\u001b[31m<img src=x onerror=alert(1)>@octocat|`**';
  const head = write('hostile.yaml', [pods, binding('rb', 'pods-reader', [{ kind: 'User', name: hostile, apiGroup: RB }])]);
  const empty = write('empty.yaml', [pods]);

  it('text: control characters shown as escapes', async () => {
    const r = await runInProcess(['diff', empty, head]);
    expect(r.stdout).toContain('User x\\x1b[31m<img');
    expect(r.stdout).not.toContain('\u001b');
  });

  it('markdown: no tag, no mention, no table cell, no code span from a name', async () => {
    const r = await runInProcess(['diff', empty, head, '-o', 'markdown']);
    expect(r.stdout).toContain('User x&#92;x1b&#91;31m&#60;img src=x onerror=alert&#40;1&#41;&#62;&#64;octocat&#124;&#96;&#42;&#42;');
    expect(r.stdout).not.toMatch(/<img|@octocat|\|`/);
  });

  it('sarif: the exact name, JSON-escaped', async () => {
    const r = await runInProcess(['diff', empty, head, '-o', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    expect(sarif.runs[0].results[0].message.text).toContain(`User ${hostile} gains get pods in namespace dev`);
  });
});

describe('api-reader diff: bad input', () => {
  it.each([
    [[], /diff needs BASE and HEAD .* got 0 arguments/],
    [['a', 'b', 'c'], /got 3 arguments/],
    [['-', '-'], /only one of BASE and HEAD can be -/],
    [['a', 'b', '-o', 'yaml'], /--output must be one of text, json, markdown, sarif, not "yaml"/],
    [['a', 'b', '--fail-on', 'severe'], /--fail-on must be one of none, any, low, medium, high, critical, not "severe"/],
    [['a', 'b', '-f', 'c'], /not -f/],
    [['--base-ref', 'HEAD'], /--base-ref REF needs the PATH/],
  ])('usage %j exits 2', async (args, message) => {
    const r = await runInProcess(['diff', ...args]);
    expect([r.status, r.stderr]).toEqual([2, expect.stringMatching(message)]);
  });

  it('a missing path is an error naming it', async () => {
    const r = await runInProcess(['diff', base, path.join(dir, 'nope')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nope');
  });

  it('an object the server would refuse is refused with file:line on its side', async () => {
    const bad = write('bad.yaml', [{ apiVersion: `${RB}/v1`, kind: 'RoleBinding', metadata: { name: 'x', namespace: 'dev' }, roleRef: { apiGroup: RB, kind: 'ClusterRole', name: 'pods-reader' }, subjects: [{ kind: 'User' }] }]);
    const r = await runInProcess(['diff', bad, base]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:1: RoleBinding "x" would be rejected by the API server`);
  });

  it('a git ref that does not exist is a clear error', async () => {
    const r = await runInProcess(['diff', '--base-ref', 'no-such-branch-i25', 'dist/']);
    expect([r.status, r.stderr]).toEqual([2, expect.stringContaining('git ref "no-such-branch-i25" does not exist in this repository')]);
  });

  it('a path that is in neither the ref nor the working tree is an error; an unchanged path is no change', async () => {
    expect((await runInProcess(['diff', '--base-ref', 'HEAD', 'no/such/dir'])).stderr).toContain('"no/such/dir" exists neither in HEAD nor in the working tree');
    const r = await runInProcess(['diff', '--base-ref', 'HEAD', 'dist/']);
    expect([r.status, r.stdout]).toEqual([0, expect.stringContaining('No change in effective access')]);
  });
});
