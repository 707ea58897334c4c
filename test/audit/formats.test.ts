/**
 * Audit logs as clusters and clouds write them (issue 17): both legacy text generations, v1alpha1,
 * v1beta1 and v1 events with or without decision annotations, EventList documents, and the GKE,
 * AKS and EKS export shapes, all read into the same records. Every sample is written here by hand
 * after the formats' public documentation.
 */
import { AuditOptions, AuditRecord, LogProblem, readAuditRecords, runAudit } from '../../lib/audit';
import { JsonDocumentSplitter } from '../../lib/audit/formats/document';
import { eventListItems } from '../../lib/audit/formats/event-list';
import { auditEvent, forbidden, jsonLines, memoryInput } from './events';

async function read(name: string, text: string, chunk = 64): Promise<{ records: AuditRecord[]; problems: LogProblem[] }> {
  const records: AuditRecord[] = [];
  const problems: LogProblem[] = [];
  for await (const r of readAuditRecords([memoryInput(name, text, chunk)], { onProblem: (p) => problems.push(p) })) records.push(r);
  return { records, problems };
}

const json = (view: AuditOptions['view'] = 'json', filter: AuditOptions['filter'] = {}): AuditOptions => ({ logs: [], filter, view });

/** An event as kube-apiserver 1.12+ writes it, without the decision annotations (a policy that drops them). */
const bare = (overrides: Record<string, unknown> = {}) => auditEvent({ annotations: null, ...overrides });

describe('legacy text, 1.7-1.11 generation (one line per stage)', () => {
  const id = 'c28a';
  const line = (stage: string, response: string) =>
    `2017-09-05T06:08:19.8Z AUDIT: id="${id}" stage="${stage}" ip="1.2.3.4" method="list" user="kubecfg" groups="\\"system:masters\\",\\"system:authenticated\\"" as="<self>" asgroups="<lookup>" user-agent="kubectl/v1.9.0" namespace="default" uri="/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles" response="${response}"`;

  it('reads a ResponseComplete line as one request with an inferred decision', async () => {
    const { records, problems } = await read('legacy.log', `${line('RequestReceived', '<deferred>')}\n${line('ResponseComplete', '200')}\n`);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.stage)).toEqual(['RequestReceived', 'ResponseComplete']);
    expect(records[0].code).toBeUndefined();
    expect(records[0].decision).toBeUndefined();
    expect(records[1]).toMatchObject({
      auditID: id, time: '2017-09-05T06:08:19.8Z', user: 'kubecfg', groups: ['system:masters', 'system:authenticated'], verb: 'list',
      namespace: 'default', group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', code: 200,
      decision: 'allow', decisionInferred: true, userAgent: 'kubectl/v1.9.0', format: 'legacy-staged',
    });
  });

  it('gives a row, and no error with --strict, for the issue\'s one line', async () => {
    const result = await runAudit({ ...json(), strict: true }, { logs: [memoryInput('one.log', `${line('ResponseComplete', '200')}\n`)] });
    expect(result.error).toBeUndefined();
    expect(result.warnings).toEqual([]);
    expect(JSON.parse(result.stdout)).toMatchObject({ verb: 'list', resource: 'roles', decision: 'allow', decisionInferred: true, format: 'legacy-staged' });
  });

  it('reads an unauthenticated request (user="<none>") as one without a user', async () => {
    const { records } = await read('legacy.log', `${line('ResponseComplete', '401').replace('user="kubecfg" groups="\\"system:masters\\",\\"system:authenticated\\""', 'user="<none>" groups="<none>"')}\n`);
    expect(records[0]).toMatchObject({ user: '', groups: [], code: 401 });
    expect(records[0].decision).toBeUndefined();
  });
});

describe('events without a decision annotation', () => {
  const log = jsonLines([bare(), forbidden({ annotations: null }), bare({ responseStatus: { code: 401 }, user: {} }), bare({ stage: 'RequestReceived', responseStatus: null })]);

  it('infer the decision from the response code and say so', async () => {
    const { records } = await read('a.log', log);
    expect(records.map((r) => [r.decision, r.decisionInferred])).toEqual([['allow', true], ['forbid', true], [undefined, undefined], [undefined, undefined]]);
  });

  it('keep the annotation\'s decision when there is one, not inferred', async () => {
    const { records } = await read('a.log', jsonLines([forbidden({ responseStatus: { code: 200 } })]));
    expect(records[0]).toMatchObject({ decision: 'forbid' });
    expect(records[0].decisionInferred).toBeUndefined();
  });

  it('are found by --decision, and shown as inferred in every view', async () => {
    const logs = () => [memoryInput('a.log', log)];
    const forbid = await runAudit(json('json', { decision: 'forbid' }), { logs: logs() });
    expect(forbid.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ code: 403, decision: 'forbid', decisionInferred: true })]);
    const table = await runAudit(json('table'), { logs: logs() });
    expect(table.stdout).toMatch(/ 200 +allow\?$/m);
    expect(table.stdout).toMatch(/ 403 +forbid\?$/m);
    expect(table.stdout).toMatch(/inferred from the response code/);
    const summary = await runAudit(json('summary'), { logs: logs() });
    expect(summary.stdout).toMatch(/1 \(1 inferred\) +1 \(1 inferred\)/);
  });

  it('count for --advise, which says the decisions were inferred', async () => {
    const user = 'system:serviceaccount:dev:secret-access-sa';
    const result = await runAudit({ ...json('advice-yaml', { users: [user] }), advise: {} }, { logs: [memoryInput('a.log', jsonLines([bare()]))] });
    expect(result.stdout).toMatch(/^# 1 of the requests advised on carry no authorization\.k8s\.io\/decision annotation/);
    expect(result.stdout).toMatch(/resourceNames:\n\s+- api-access-secret/);
  });
});

describe('event versions and times', () => {
  it('takes the time from requestReceivedTimestamp, stageTimestamp or timestamp, whichever exists', async () => {
    const only = (fields: Record<string, unknown>) => bare({ requestReceivedTimestamp: null, stageTimestamp: null, ...fields });
    const { records } = await read('a.log', jsonLines([only({ timestamp: '2017-09-11T19:55:05Z' }), only({ stageTimestamp: '2024-05-01T10:00:02Z' })]));
    expect(records.map((r) => r.time)).toEqual(['2017-09-11T19:55:05Z', '2024-05-01T10:00:02Z']);
    const since = await runAudit(json('json', { since: Date.parse('2017-01-01T00:00:00Z') }), { logs: [memoryInput('a.log', jsonLines([only({ timestamp: '2017-09-11T19:55:05Z' })]))] });
    expect(since.stdout).toContain('"time":"2017-09-11T19:55:05Z"');
  });

  it('reads v1alpha1, whose objectRef.apiVersion is group/version', async () => {
    const alpha = bare({ apiVersion: 'audit.k8s.io/v1alpha1', requestReceivedTimestamp: null, stageTimestamp: null, timestamp: '2017-06-01T00:00:00Z', objectRef: { resource: 'roles', namespace: 'dev', name: 'r', apiVersion: 'rbac.authorization.k8s.io/v1beta1' } });
    const { records, problems } = await read('a.log', jsonLines([alpha, bare({ apiVersion: 'audit.k8s.io/v1beta1' }), bare({ apiVersion: null })]));
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({ format: 'audit.k8s.io/v1alpha1', group: 'rbac.authorization.k8s.io', version: 'v1beta1', resource: 'roles', time: '2017-06-01T00:00:00Z' });
    expect(records.map((r) => r.format)).toEqual(['audit.k8s.io/v1alpha1', 'audit.k8s.io/v1beta1', 'audit.k8s.io']);
  });

  it('names an unknown audit version instead of printing undefined', async () => {
    const { problems } = await read('a.log', jsonLines([bare({ apiVersion: 'audit.k8s.io/v2' }), '{"kind":"Pod"}']));
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^an Event of apiVersion "audit\.k8s\.io\/v2", which this reader does not know/),
      expect.stringMatching(/kind "Pod", apiVersion none;/),
    ]);
    expect(problems.map((p) => p.message).join('\n')).not.toMatch(/undefined/);
  });
});

describe('EventList documents (the webhook backend\'s payload)', () => {
  const list = (items: unknown[]) => ({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
  // kube-apiserver writes the items of a list without their own kind and apiVersion.
  const item = (overrides: Record<string, unknown> = {}) => auditEvent({ kind: null, apiVersion: null, ...overrides });

  it('reads one on a line, its items inheriting the list\'s apiVersion, with the item in the source', async () => {
    const { records, problems } = await read('hook.json', `${JSON.stringify(list([item({ auditID: 'a' }), item({ auditID: 'b' })]))}\n`);
    expect(problems).toEqual([]);
    expect(records.map((r) => [r.auditID, r.format, r.envelope, r.source])).toEqual([
      ['a', 'audit.k8s.io/v1', 'EventList', { file: 'hook.json', line: 1, item: 'items[0]' }],
      ['b', 'audit.k8s.io/v1', 'EventList', { file: 'hook.json', line: 1, item: 'items[1]' }],
    ]);
  });

  it('reads several pretty-printed ones, cut at any chunk size', async () => {
    const text = `${JSON.stringify(list([item({ auditID: 'a' })]), null, 2)}\n${JSON.stringify(list([item({ auditID: 'b' }), item({ auditID: 'c', requestURI: 'has } and { and "quotes" \\\\' })]), null, 4)}\n`;
    for (const chunk of [7, 64, 100_000]) {
      const { records, problems } = await read('hook.json', text, chunk);
      expect(problems).toEqual([]);
      expect(records.map((r) => r.auditID)).toEqual(['a', 'b', 'c']);
      expect(records[1].source.line).toBe(JSON.stringify(list([item()]), null, 2).split('\n').length + 1);
    }
  });

  it('gives JSON output naming the format and envelope', async () => {
    const result = await runAudit(json(), { logs: [memoryInput('hook.json', JSON.stringify(list([item()]), null, 2))] });
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'audit.k8s.io/v1', envelope: 'EventList', source: 'hook.json:1 items[0]' });
  });

  it('reports a truncated document at its first line, and a document over the size limit without holding it', () => {
    const splitter = new JsonDocumentSplitter(100);
    const pieces = [...splitter.feed('{"kind": "EventList",', 1), ...splitter.feed(`"items": ["${'x'.repeat(200)}"]}`, 2), ...splitter.feed('{"a":', 3), ...splitter.end()];
    expect(pieces).toEqual([
      { kind: 'problem', line: 1, message: expect.stringMatching(/^a JSON document of more than 0 MiB, skipped/) },
      { kind: 'problem', line: 3, message: expect.stringMatching(/ends inside a JSON document that starts here/) },
    ]);
  });

  it('is split by a pure function the webhook server can call', () => {
    expect(eventListItems(list([item()]))).toEqual([expect.objectContaining({ item: 'items[0]', listApiVersion: 'audit.k8s.io/v1' })]);
    expect(eventListItems({ kind: 'EventList', apiVersion: 'v1', items: [] })).toMatch(/not audit\.k8s\.io/);
    expect(eventListItems({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: {} })).toMatch(/items is not an array/);
  });

  it('hints at documents when a JSON-lines file has a pretty-printed one further down', async () => {
    const { records, problems } = await read('a.log', jsonLines([bare(), '{', '  "kind": "EventList"', '}']));
    expect(records).toHaveLength(1);
    expect(problems[0].message).toMatch(/pretty-printed JSON documents only when its first line opens one/);
  });
});

describe('managed clusters\' exports', () => {
  // A GKE Cloud Logging entry as `gcloud logging read --format=json` prints it (an array).
  const gke = (overrides: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
    insertId: 'ins-1', logName: 'projects/p/logs/cloudaudit.googleapis.com%2Fdata_access',
    operation: { id: 'op-1', producer: 'k8s.io', first: true, last: true },
    protoPayload: {
      '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
      authenticationInfo: { principalEmail: 'system:serviceaccount:dev:secret-access-sa' },
      authorizationInfo: [{ granted: true, permission: 'io.k8s.core.v1.secrets.get', resource: 'core/v1/namespaces/dev/secrets/api-access-secret' }],
      methodName: 'io.k8s.core.v1.secrets.get', resourceName: 'core/v1/namespaces/dev/secrets/api-access-secret', serviceName: 'k8s.io',
      requestMetadata: { callerIp: '10.0.0.7', callerSuppliedUserAgent: 'curl/8.10.1' },
      ...payload,
    },
    resource: { type: 'k8s_cluster', labels: { cluster_name: 'c', location: 'europe-west1', project_id: 'p' } },
    timestamp: '2024-05-01T10:00:00.123Z', receiveTimestamp: '2024-05-01T10:00:01Z',
    ...overrides,
  });

  it('reads GKE entries: the request from methodName and resourceName, the decision from the labels or authorizationInfo', async () => {
    const denied = gke({ operation: { id: 'op-2', first: 'true', last: 'true' } }, {
      authorizationInfo: [{ permission: 'io.k8s.apps.v1.deployments.scale.update', resource: 'apps/v1/namespaces/dev/deployments/web/scale' }],
      methodName: 'io.k8s.apps.v1.deployments.scale.update', resourceName: 'apps/v1/namespaces/dev/deployments/web/scale',
      status: { code: 7, message: 'forbidden' },
    });
    const labelled = gke({ labels: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ...' } });
    const { records, problems } = await read('gke.json', JSON.stringify([gke(), denied, labelled], null, 2));
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      auditID: 'op-1', stage: 'ResponseComplete', time: '2024-05-01T10:00:00.123Z', user: 'system:serviceaccount:dev:secret-access-sa', verb: 'get',
      namespace: 'dev', group: '', version: 'v1', resource: 'secrets', name: 'api-access-secret', code: 200, decision: 'allow', userAgent: 'curl/8.10.1', format: 'gke',
    });
    expect(records[0].decisionInferred).toBeUndefined();
    expect(records[1]).toMatchObject({ verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web', code: 403, decision: 'forbid' });
    expect(records[2]).toMatchObject({ decision: 'allow', reason: 'RBAC: allowed by ...' });
  });

  it('says why a GKE entry of another service is not read', async () => {
    const { records, problems } = await read('gke.log', jsonLines([gke({}, { serviceName: 'container.googleapis.com' }), gke({}, { resourceName: null })]));
    expect(problems[0].message).toMatch(/service "container\.googleapis\.com", not the Kubernetes API server's/);
    expect(records[0]).toMatchObject({ verb: 'get', path: '/', resource: '' });
  });

  // An AKS diagnostic record: the event is an escaped JSON string in properties.log.
  const aks = (event: Record<string, unknown>, category = 'kube-audit') => ({
    time: '2024-05-01T10:00:00Z', resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/G/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/C',
    category, operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    properties: { log: JSON.stringify(event), stream: 'stdout', pod: 'kube-apiserver-6d8f9c7b5-abcde' },
  });

  it('reads AKS records, one per line or batched under records', async () => {
    const lines = await read('aks.log', jsonLines([aks(auditEvent({ auditID: 'a' })), aks(auditEvent({ auditID: 'x' }), 'kube-apiserver')]));
    expect(lines.records.map((r) => [r.auditID, r.format, r.envelope])).toEqual([['a', 'audit.k8s.io/v1', 'aks']]);
    expect(lines.problems[0].message).toMatch(/category "kube-apiserver", not kube-audit or kube-audit-admin/);
    const batch = await read('PT1H.json', JSON.stringify({ records: [aks(auditEvent({ auditID: 'b' }), 'kube-audit-admin'), aks(bare({ auditID: 'c' }))] }, null, 1));
    expect(batch.problems).toEqual([]);
    expect(batch.records.map((r) => [r.auditID, r.source.item, r.decisionInferred === true])).toEqual([['b', 'records[0]', false], ['c', 'records[1]', true]]);
  });

  // EKS: CloudWatch Logs events whose message is the v1 Event.
  const cw = (event: Record<string, unknown>, stream = 'kube-apiserver-audit-0123456789abcdef') => ({ logStreamName: stream, timestamp: 1714557600000, message: JSON.stringify(event), ingestionTime: 1714557601000, eventId: '3779' });

  it('reads EKS exports: filter-log-events output, a subscription payload, log events per line, S3 export lines', async () => {
    const filterOutput = JSON.stringify({ events: [cw(auditEvent({ auditID: 'a' })), cw(auditEvent({ auditID: 'x' }), 'kube-scheduler-0123')], searchedLogStreams: [] }, null, 4);
    const out = await read('eks.json', filterOutput);
    expect(out.records.map((r) => [r.auditID, r.envelope, r.source.item])).toEqual([['a', 'eks', 'events[0]']]);
    expect(out.problems[0].message).toMatch(/stream "kube-scheduler-0123", not kube-apiserver-audit-\*/);
    const subscription = { messageType: 'DATA_MESSAGE', owner: '1', logGroup: '/aws/eks/c/cluster', logStream: 'kube-apiserver-audit-1', logEvents: [{ id: '1', timestamp: 1714557600000, message: JSON.stringify(auditEvent({ auditID: 'b' })) }] };
    const s3 = `2024-05-01T10:00:00.000Z ${JSON.stringify(auditEvent({ auditID: 'd' }))}`;
    const mixed = await read('eks.log', jsonLines([subscription, { messageType: 'CONTROL_MESSAGE', logEvents: [] }, cw(auditEvent({ auditID: 'c' })), s3]));
    expect(mixed.problems).toEqual([]);
    expect(mixed.records.map((r) => [r.auditID, r.envelope])).toEqual([['b', 'eks'], ['c', 'eks'], ['d', 'eks']]);
  });
});

describe('--strict', () => {
  const log = jsonLines([auditEvent({ auditID: 'a' }), auditEvent({ auditID: 'b' }), 'garbage', auditEvent({ auditID: 'c' })]);

  it.each(['json', 'table', 'summary'] as const)('keeps what the %s view had before the bad line', async (view) => {
    const written: string[] = [];
    const result = await runAudit({ ...json(view), strict: true }, { logs: [memoryInput('a.log', log, 1 << 20)], write: (t) => written.push(t) });
    expect(result.error).toMatch(/^a\.log:3: /);
    const out = written.join('');
    if (view === 'json') expect(out.trim().split('\n').map((l) => JSON.parse(l).auditID)).toEqual(['a', 'b']);
    else expect(out).toMatch(view === 'table' ? /api-access-secret[\s\S]*api-access-secret/ : / 2 +0 +2\n$/);
    expect(out).not.toContain('"auditID":"c"');
  });
});

describe('warnings', () => {
  it('say "skipped" once, never "warning" (the CLI adds that)', async () => {
    const legacyResponse = '2017-03-21T03:57:09.1Z AUDIT: id="lost" response="200"';
    const result = await runAudit(json(), { logs: [memoryInput('a.log', `${legacyResponse}\n`)] });
    expect(result.warnings).toEqual(['skipped: a.log:1: legacy response line for id "lost" without its request line']);
  });
});

describe('on worker threads', () => {
  jest.setTimeout(120_000); // starting threads on a loaded machine is slow; nothing here measures speed

  it('reads documents and mixed formats exactly as the sequential reader, strict or not', async () => {
    const list = { kind: 'EventList', apiVersion: 'audit.k8s.io/v1beta1', items: [auditEvent({ kind: null, apiVersion: null, auditID: 'l1' }), bare({ auditID: 'l2' })] };
    const staged = '2017-09-05T06:08:19.8Z AUDIT: id="s1" stage="ResponseComplete" ip="1.2.3.4" method="get" user="bob" groups="<none>" as="<self>" asgroups="<lookup>" namespace="dev" uri="/api/v1/namespaces/dev/pods/p" response="403"';
    const logs = () => [
      memoryInput('\n\nhook.json', `\n\n${JSON.stringify(list, null, 2)}\n${JSON.stringify(list)}\n`, 50),
      memoryInput('mixed.log', jsonLines([bare({ auditID: 'm1' }), staged, JSON.stringify(list), 'garbage', bare({ auditID: 'm2' })]), 300),
    ];
    for (const strict of [false, true]) {
      for (const view of ['json', 'table', 'summary'] as const) {
        const options: AuditOptions = { ...json(view, { stages: 'all' }), ...(strict ? { strict } : {}) };
        const sequential = await runAudit(options, { logs: logs() });
        const parallel = await runAudit(options, { logs: logs(), workers: 1 });
        expect(parallel).toEqual(sequential);
        if (view === 'json') expect(sequential.stdout.match(/"auditID"/g)).toHaveLength(strict ? 8 : 9);
      }
    }
  });
});
