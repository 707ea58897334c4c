/**
 * Finding 2 of issue 13: names from manifests and audit logs holding control and bidi characters
 * reach the terminal only as visible escapes, in every text view and in warnings and errors, while
 * JSON output keeps them exactly.
 */
import { runAudit } from '../../lib/audit';
import { terminalLines, terminalText } from '../../lib/cli/render/terminal-text';
import { runInProcess } from '../cli/cli';
import { auditEvent, jsonLines, memoryInput } from '../audit/events';

/** Every character class the rule must keep off the terminal. */
const HOSTILE = 'evil\u001b[2J\u0007\r\nfake-row\t\u202eenil\u2066\u2028x\u009b31m\u007f';
/** Any such character in output (newlines between lines are checked separately). */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

const hostileManifests = JSON.stringify({
  apiVersion: 'v1', kind: 'List', items: [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'app', namespace: 'dev' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `role-${HOSTILE}` }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${HOSTILE}`, namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `role-${HOSTILE}` }, subjects: [{ kind: 'User', name: `user-${HOSTILE}` }, { kind: 'ServiceAccount', name: 'app', namespace: 'dev' }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'dangling', namespace: 'dev' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `missing-${HOSTILE}` }, subjects: [{ kind: 'User', name: 'x' }] },
  ],
});

function expectSafe(text: string): void {
  expect(text).not.toMatch(UNSAFE);
  expect(text).not.toContain('fake-row\n');
}

describe('the terminal escaping rule', () => {
  it.each([
    ['ESC', '\u001b[31m', '\\x1b[31m'],
    ['BEL', '\u0007', '\\x07'],
    ['CR and LF', 'a\r\nb', 'a\\r\\nb'],
    ['tab', 'a\tb', 'a\\tb'],
    ['DEL and C1 CSI', '\u007f\u009b', '\\x7f\\x9b'],
    ['bidi override and isolate', '\u202eabc\u2066', '\\u202eabc\\u2066'],
    ['line separator', '\u2028', '\\u2028'],
  ])('shows %s as a visible escape', (_name, raw, shown) => {
    expect(terminalText(raw)).toBe(shown);
  });

  it('leaves ordinary names, non-Latin text and the matrix marks alone', () => {
    expect(terminalText('system:serviceaccount:dev:app ✔ ◐ ✖ namespace-ü 名前')).toBe('system:serviceaccount:dev:app ✔ ◐ ✖ namespace-ü 名前');
  });

  it('keeps the line breaks between lines it is given, and escapes those inside a line', () => {
    expect(terminalLines(['a\nb', 'c'])).toBe('a\\nb\nc\n');
  });
});

describe('CLI text output with hostile names', () => {
  it('who-can keeps every subject in its own row and escapes control and bidi characters', async () => {
    const r = await runInProcess(['who-can', 'get', 'secrets', '-n', 'dev', '-f', '-', '--no-bootstrap'], { stdin: hostileManifests });
    expectSafe(r.stdout);
    expectSafe(r.stderr);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(4); // heading + system:masters (privileged group) + two subjects
    expect(r.stdout).toContain(terminalText(`user-${HOSTILE}`));
    expect(r.stderr).toContain(terminalText(`missing-${HOSTILE}`));
  });

  it('can-i --explain and --list escape the reason and the table', async () => {
    const explain = await runInProcess(['can-i', 'get', 'secrets', '-n', 'dev', '--as', 'system:serviceaccount:dev:app', '--explain', '-f', '-'], { stdin: hostileManifests });
    expect(explain.status).toBe(0);
    expectSafe(explain.stdout);
    expect(explain.stdout).toContain('RBAC: allowed by RoleBinding "rb-evil');
    const list = await runInProcess(['can-i', '--list', '-n', 'dev', '--as', `user-${HOSTILE}`, '-f', '-', '--no-bootstrap'], { stdin: hostileManifests });
    expectSafe(list.stdout);
  });

  it('matrix, graph (mermaid and dot) and errors escape them too', async () => {
    const matrix = await runInProcess(['matrix', '-f', '-', '--subjects', `user-${HOSTILE}`, '-n', 'dev'], { stdin: hostileManifests });
    expectSafe(matrix.stdout);
    for (const format of ['mermaid', 'dot']) {
      const graph = await runInProcess(['graph', '-f', '-', '-o', format], { stdin: hostileManifests });
      expectSafe(graph.stdout);
    }
    const error = await runInProcess(['can-i', 'get', 'secrets', '--as', 'x', '-n', 'dev\u202e\u0007']);
    expect(error.status).toBe(2);
    expectSafe(error.stderr);
  });

  it('JSON output keeps the names exactly', async () => {
    const r = await runInProcess(['who-can', 'get', 'secrets', '-n', 'dev', '-f', '-', '--no-bootstrap', '-o', 'json'], { stdin: hostileManifests });
    const subjects = (JSON.parse(r.stdout) as { subjects: Array<{ subject: string }> }).subjects.map((s) => s.subject);
    expect(subjects).toContain(`user-${HOSTILE}`);
  });

  it('the audit table and summary escape names from the log; its JSON lines keep them', async () => {
    const log = jsonLines([auditEvent({ user: { username: `user-${HOSTILE}` }, objectRef: { resource: 'secrets', namespace: `ns-${HOSTILE}`, name: 'n', apiVersion: 'v1' } })]);
    for (const view of ['table', 'summary'] as const) {
      const r = await runAudit({ logs: [], filter: {}, view }, { logs: [memoryInput('a.log', log)], cellText: terminalText });
      expectSafe(r.stdout);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(2);
    }
    const cli = await runInProcess(['audit', '-'], { stdin: log });
    expectSafe(cli.stdout);
    const json = await runInProcess(['audit', '-', '-o', 'json'], { stdin: log });
    expect(JSON.parse(json.stdout).user).toBe(`user-${HOSTILE}`);
  });
});
