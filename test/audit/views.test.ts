import * as path from 'path';
import { AuditRecord, jsonRow, logInputs, readAuditRecords, renderJsonLine, renderSummary, renderTable, runAudit, summarize } from '../../lib/audit';
import { jsonLines, memoryInput, auditEvent } from './events';

const WALKTHROUGH = path.join(__dirname, 'fixtures', 'walkthrough.jsonl');

async function walkthrough(): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const r of readAuditRecords(logInputs([WALKTHROUGH], () => process.stdin))) out.push(r);
  return out;
}

describe('views', () => {
  it('the table has one aligned row per request with time, user, verb, resource/name, namespace, code, decision, reason', async () => {
    const records = (await walkthrough()).slice(0, 2);
    expect(renderTable(records)).toBe(
      'TIME                         USER                                        VERB  RESOURCE/NAME              NAMESPACE  CODE  DECISION  REASON\n' +
      '2024-05-01T10:00:01.000100Z  system:serviceaccount:dev:secret-access-sa  get   secrets/api-access-secret  dev        200   allow     RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"\n' +
      '2024-05-01T10:00:02.000200Z  system:serviceaccount:dev:no-access-sa      get   secrets/api-access-secret  dev        403   forbid\n',
    );
  });

  it('the table and the summary show a failed authentication (no user) as -', async () => {
    const failed = auditEvent({ user: {}, annotations: null, responseStatus: { metadata: {}, code: 401 } });
    const records: AuditRecord[] = [];
    for await (const r of readAuditRecords([memoryInput('a.log', jsonLines([failed]))])) records.push(r);
    expect(renderTable(records).split('\n')[1].split(/\s{2,}/).slice(1, 7)).toEqual(['-', 'get', 'secrets/api-access-secret', 'dev', '401', '-']);
    expect(renderSummary(summarize(records)).split('\n')[1]).toMatch(/^- +secrets +get +dev +0 +0 +1$/);
  });

    it('the table says so when nothing matched', () => {
    expect(renderTable([])).toBe('No matching audit events.\n');
  });

  it('the summary groups by user and resource with allowed and forbidden counts', async () => {
    expect(renderSummary(summarize(await walkthrough()))).toBe(
      'USER                                        RESOURCE    VERBS  NAMESPACES   ALLOWED  FORBIDDEN  TOTAL\n' +
      'system:kube-controller-manager              configmaps  list   kube-system  1        0          1\n' +
      'system:serviceaccount:dev:no-access-sa      secrets     get    dev          0        1          1\n' +
      'system:serviceaccount:dev:secret-access-sa  secrets     get    default,dev  2        1          3\n',
    );
  });

  it('the summary takes a column format: no header row, a width to fit, or (as before) only a cell text function', async () => {
    const rows = summarize(await walkthrough());
    const lines = renderSummary(rows).split('\n');
    expect(renderSummary(rows, { headers: false }).split('\n')).toEqual(lines.slice(1));
    const fitted = renderSummary(rows, { width: 80 }).split('\n');
    expect(Math.max(...fitted.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(fitted[1]).toMatch(/^system:kube-controll…  configmaps  list/);
    expect(renderSummary(rows, (t) => t.toUpperCase()).split('\n')[1]).toMatch(/^SYSTEM:KUBE-CONTROLLER-MANAGER +CONFIGMAPS/);
  });

  it('JSON lines carry time, user, verb, namespace, resource, subresource, name, code and decision', async () => {
    const [first] = await walkthrough();
    expect(JSON.parse(renderJsonLine(first))).toEqual({
      time: '2024-05-01T10:00:01.000100Z', user: 'system:serviceaccount:dev:secret-access-sa', impersonatedUser: '', verb: 'get',
      namespace: 'dev', apiGroup: '', resource: 'secrets', subresource: '', name: 'api-access-secret', path: '', code: 200, decision: 'allow', decisionInferred: false,
      reason: 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
      stage: 'ResponseComplete', auditID: 'a1b2c3d4-0000-4000-8000-000000000001', source: `${WALKTHROUGH}:1`, format: 'audit.k8s.io/v1', envelope: '',
    });
  });

  it('a JSON line is one line', async () => {
    const [first] = await walkthrough();
    expect(renderJsonLine(first).split('\n')).toHaveLength(2);
    expect(jsonRow(first).code).toBe(200);
  });
});

describe('runAudit', () => {
  const options = { logs: ['x'], filter: {}, view: 'json' as const };

  it('streams JSON lines to the sink as batches are read', async () => {
    const written: string[] = [];
    const result = await runAudit(options, { logs: [memoryInput('a.log', jsonLines([auditEvent(), auditEvent()]))], write: (t) => written.push(t) });
    expect(written.join('').trim().split('\n')).toHaveLength(2);
    expect(result).toMatchObject({ stdout: '', stats: { records: 2, matched: 2, skipped: 0 } });
    expect(result.error).toBeUndefined();
  });

  it('lists skipped lines as warnings with file:line and reads on', async () => {
    const result = await runAudit(options, { logs: [memoryInput('a.log', jsonLines([auditEvent(), 'oops']))] });
    expect(result.warnings).toEqual([expect.stringMatching(/^skipped: a\.log:2: not an audit log line in any format this reader knows \(.*\): oops$/)]);
    expect(result.error).toBeUndefined();
  });

  it('stops at a malformed line in strict mode, naming it', async () => {
    const result = await runAudit({ ...options, strict: true }, { logs: [memoryInput('a.log', jsonLines(['oops']))] });
    expect(result.error).toMatch(/^a\.log:1: /);
    expect(result.warnings).toEqual([]);
  });

  it('caps the warnings and counts the rest', async () => {
    const result = await runAudit(options, { logs: [memoryInput('a.log', jsonLines(Array.from({ length: 25 }, () => 'oops')))] });
    expect(result.warnings).toHaveLength(21);
    expect(result.warnings[20]).toBe('... and 5 more skipped line(s)');
  });
});
