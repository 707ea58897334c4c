import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { AuditLogError, AuditRecord, LogInput, LogProblem, logInputs, readAuditRecords } from '../../lib/audit';
import { auditEvent, jsonLines, memoryInput } from './events';

const FIXTURES = path.join(__dirname, 'fixtures');

async function readAll(inputs: LogInput[], strict = false): Promise<{ records: AuditRecord[]; problems: LogProblem[] }> {
  const records: AuditRecord[] = [];
  const problems: LogProblem[] = [];
  for await (const r of readAuditRecords(inputs, { strict, onProblem: (p) => problems.push(p) })) records.push(r);
  return { records, problems };
}

function tempFile(name: string, data: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-test-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  return file;
}

describe('reading audit logs', () => {
  it('reads a v1 Event into a flat record', async () => {
    const { records } = await readAll(logInputs([path.join(FIXTURES, 'walkthrough.jsonl')], () => process.stdin));
    expect(records[0]).toMatchObject({
      user: 'system:serviceaccount:dev:secret-access-sa', verb: 'get', namespace: 'dev', group: '', resource: 'secrets',
      subresource: '', name: 'api-access-secret', code: 200, decision: 'allow', stage: 'ResponseComplete',
      reason: 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
      source: { file: path.join(FIXTURES, 'walkthrough.jsonl'), line: 1 },
    });
  });

  it('reports a malformed line with file:line and goes on', async () => {
    const log = jsonLines([auditEvent(), '{"kind":"Event", truncated', auditEvent({ auditID: 'b' })]);
    const { records, problems } = await readAll([memoryInput('audit.log', log)]);
    expect(records.map((r) => r.source.line)).toEqual([1, 3]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'malformed', location: { file: 'audit.log', line: 2 } })]);
    expect(problems[0].message).toMatch(/^not valid JSON/);
  });

  it.each([
    ['a JSON value that is not an Event', '{"kind":"Pod","apiVersion":"v1"}', /^not an audit event in any format this reader knows \(kind "Pod", apiVersion "v1"; expected /],
    ['an Event without a user', JSON.stringify(auditEvent({ user: null })), /the Event has no user$/],
    ['an Event with a numeric user name', JSON.stringify(auditEvent({ user: { username: 7 } })), /user.username is not a string/],
    ['plain text', 'E0501 10:00:00 something went wrong', /^not an audit log line in any format this reader knows/],
    ['a broken legacy line', '2017-03-21T03:57:09Z AUDIT: id="x method="GET"', /key="value" pairs are broken/],
  ])('treats %s as malformed', async (_name, line, message) => {
    const { problems } = await readAll([memoryInput('audit.log', `${line}\n`)]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'malformed', location: { file: 'audit.log', line: 1 }, message: expect.stringMatching(message) })]);
  });

  it('reads a failed authentication (user {}, 401, no decision) as a request without a user', async () => {
    const failed = auditEvent({ user: {}, stage: 'ResponseStarted', annotations: null, responseStatus: { metadata: {}, status: 'Failure', reason: 'Unauthorized', code: 401 } });
    const { records, problems } = await readAll([memoryInput('audit.log', jsonLines([failed]))]);
    expect(problems).toEqual([]);
    expect(records).toEqual([expect.objectContaining({ user: '', groups: [], code: 401, stage: 'ResponseStarted', reason: '' })]);
    expect(records[0].decision).toBeUndefined();
  });

  it('skips blank lines and reads CRLF line ends', async () => {
    const log = `${JSON.stringify(auditEvent())}\r\n\r\n   \n${JSON.stringify(auditEvent())}`;
    const { records, problems } = await readAll([memoryInput('audit.log', log)]);
    expect(records.map((r) => r.source.line)).toEqual([1, 4]);
    expect(problems).toEqual([]);
  });

  it('stops at the first malformed line in strict mode, naming file and line', async () => {
    const log = jsonLines([auditEvent(), 'not json']);
    await expect(readAll([memoryInput('audit.log', log)], true)).rejects.toThrow(AuditLogError);
    await expect(readAll([memoryInput('audit.log', log)], true)).rejects.toThrow(/^audit\.log:2: not an audit log line in any format/);
  });

  it('reads gzip by its magic bytes, whatever the file is called', async () => {
    const file = tempFile('audit-2024-05-01T10-00-00.log', zlib.gzipSync(jsonLines([auditEvent(), auditEvent({ verb: 'list' })])));
    const { records } = await readAll(logInputs([file], () => process.stdin));
    expect(records.map((r) => r.verb)).toEqual(['get', 'list']);
  });

  it('reads concatenated gzip members (rotated files joined with cat)', async () => {
    const data = Buffer.concat([zlib.gzipSync(jsonLines([auditEvent()])), zlib.gzipSync(jsonLines([auditEvent({ verb: 'watch' })]))]);
    const { records } = await readAll([memoryInput('joined.gz', data, 7)]);
    expect(records.map((r) => r.verb)).toEqual(['get', 'watch']);
  });

  it('reports a truncated gzip file as unreadable and keeps what came before', async () => {
    const whole = zlib.gzipSync(jsonLines(Array.from({ length: 200 }, (_, i) => auditEvent({ auditID: `id-${i}` }))));
    const { records, problems } = await readAll([memoryInput('cut.gz', whole.subarray(0, whole.length - 20))]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'unreadable', location: expect.objectContaining({ file: 'cut.gz' }) })]);
    expect(records.length).toBeGreaterThan(0);
  });

  it('reads a stdin-like stream that splits lines and UTF-8 characters across chunks', async () => {
    const log = jsonLines([auditEvent({ userAgent: 'kubectl/v1.27 (linux) — ü' }), auditEvent()]);
    const { records } = await readAll([memoryInput('<stdin>', log, 3)]);
    expect(records.map((r) => r.userAgent)).toEqual(['kubectl/v1.27 (linux) — ü', 'curl/8.10.1']);
  });

  it('numbers lines per input', async () => {
    const { records } = await readAll([memoryInput('a.log', jsonLines([auditEvent()])), memoryInput('b.log', jsonLines([auditEvent(), auditEvent()]))]);
    expect(records.map((r) => `${r.source.file}:${r.source.line}`)).toEqual(['a.log:1', 'b.log:1', 'b.log:2']);
  });

  it('reports a missing file as unreadable', async () => {
    const { problems } = await readAll(logInputs(['/nonexistent/audit.log'], () => process.stdin));
    expect(problems[0]).toMatchObject({ kind: 'unreadable', location: { file: '/nonexistent/audit.log', line: 1 } });
    expect(problems[0].message).toMatch(/ENOENT/);
  });

  it('derives the target from the request URI when objectRef is missing', async () => {
    const log = jsonLines([auditEvent({ objectRef: null, verb: 'list', requestURI: '/apis/apps/v1/namespaces/dev/deployments?limit=1' })]);
    const { records } = await readAll([memoryInput('audit.log', log)]);
    expect(records[0]).toMatchObject({ group: 'apps', resource: 'deployments', namespace: 'dev', verb: 'list' });
  });

  it('reads a request without objectRef outside /api and /apis as a non-resource request', async () => {
    const log = jsonLines([auditEvent({ objectRef: null, requestURI: '/readyz?verbose' })]);
    const { records } = await readAll([memoryInput('audit.log', log)]);
    expect(records[0]).toMatchObject({ path: '/readyz', resource: '' });
  });
});

describe('the legacy text format', () => {
  const legacy = path.join(FIXTURES, 'legacy.log');

  it('pairs request and response lines by id into one ResponseComplete record', async () => {
    const { records } = await readAll(logInputs([legacy], () => process.stdin));
    expect(records[0]).toMatchObject({
      auditID: 'c939d2a7-1c37-4ef1-b2f7-4ba9b1e43b53', stage: 'ResponseComplete', user: 'system:serviceaccount:dev:secret-access-sa',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
      verb: 'get', namespace: 'dev', resource: 'secrets', name: 'api-access-secret', code: 200, decision: 'allow', decisionInferred: true,
      time: '2017-03-21T03:57:09.106841886-04:00', source: { file: legacy, line: 1 },
    });
  });

  it('infers forbid from a 403 response', async () => {
    const { records } = await readAll(logInputs([legacy], () => process.stdin));
    expect(records[1]).toMatchObject({ namespace: 'default', code: 403, decision: 'forbid' });
  });

  it('keeps an unanswered request as RequestReceived', async () => {
    const lines = fs.readFileSync(legacy, 'utf8').split('\n').slice(0, 1).join('\n');
    const { records } = await readAll([memoryInput('old.log', lines)]);
    expect(records.map((r) => [r.stage, r.code])).toEqual([['RequestReceived', undefined]]);
  });

  it('warns about a response without its request', async () => {
    const { problems } = await readAll([memoryInput('old.log', '2017-03-21T03:57:09Z AUDIT: id="zzz" response="200"\n')]);
    expect(problems).toEqual([expect.objectContaining({ kind: 'unpaired', location: { file: 'old.log', line: 1 } })]);
  });

  it('reads impersonation from as=', async () => {
    const line = '2017-03-21T03:57:09Z AUDIT: id="i1" ip="1.2.3.4" method="GET" user="admin" groups="\\"system:masters\\"" as="alice" asgroups="<lookup>" namespace="dev" uri="/api/v1/namespaces/dev/pods"\n2017-03-21T03:57:10Z AUDIT: id="i1" response="200"\n';
    const { records } = await readAll([memoryInput('old.log', line)]);
    expect(records[0]).toMatchObject({ user: 'admin', impersonatedUser: 'alice', verb: 'list', groups: ['system:masters'] });
  });
});
