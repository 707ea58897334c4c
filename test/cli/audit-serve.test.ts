/**
 * `api-reader audit serve`, the audit webhook backend, run as users run it (the built binary):
 * authentication (client certificate or bearer token, else 401 and nothing recorded), 400 for a body
 * that is not an EventList, 413 over the size limit, stalled callers cut off, a report on SIGHUP, and
 * on SIGTERM the requests in flight finished and the final report written: the same advice as
 * `api-reader audit` gives for the same events in a file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { readEventList } from '../../lib/audit';
import { waitUntil } from '../support/wait';
import {
  eventList, makeWebhookPki, postBatch as post, startWebhookServer as startServer, WEBHOOK_TOKEN as TOKEN, WebhookServer as Server,
} from '../support/webhook-server';
import { runBuiltAsync } from './cli';

const ROOT = path.join(__dirname, '..', '..');
const WALKTHROUGH = path.join(ROOT, 'test', 'audit', 'fixtures', 'walkthrough.jsonl');

describe('readEventList', () => {
  it.each([
    ['not JSON', '{', /not JSON/],
    ['an array', '[]', /not a JSON object/],
    ['another kind', '{"kind":"PodList","apiVersion":"v1","items":[]}', /not an audit\.k8s\.io\/v1 EventList/],
    ['no items', '{"kind":"EventList","apiVersion":"audit.k8s.io/v1"}', /not an audit\.k8s\.io\/v1 EventList/],
  ])('refuses %s', (_name, body, message) => {
    const r = readEventList(body, 'webhook#1');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });

  it('reads items without their own kind and apiVersion, as the API server sends them', () => {
    const r = readEventList(eventList(fs.readFileSync(WALKTHROUGH, 'utf8').trim().split('\n')), 'webhook#1');
    expect(r.ok && [r.records.length, r.problems]).toEqual([5, []]);
    expect(r.ok && JSON.parse(r.lines[0])).toMatchObject({ kind: 'Event', apiVersion: 'audit.k8s.io/v1' });
  });

  it('reads the events and reports the items that are not events by index', () => {
    const lines = fs.readFileSync(WALKTHROUGH, 'utf8').trim().split('\n');
    const r = readEventList(JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [JSON.parse(lines[0]), { kind: 'Pod' }] }), 'webhook#3');
    expect(r.ok && [r.records.length, r.problems.map((p) => `${p.location.file}:${p.location.line}`)]).toEqual([1, ['webhook#3:2']]);
  });
});

describe('api-reader audit serve (built binary)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-serve-'));
  let server: Server;
  const lines = fs.readFileSync(WALKTHROUGH, 'utf8').trim().split('\n');

  beforeAll(async () => {
    makeWebhookPki(dir);
    server = await startServer(dir, ['--max-body', '65536', '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa',
      '--events-file', path.join(dir, 'events.jsonl')]);
  }, 120_000);

  afterAll(() => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['no credentials', {}],
    ['a wrong token', { token: 'not-the-token' }],
    ['a client certificate from another CA', { cert: 'rogue' }],
  ])('answers 401 to %s and records nothing', async (_name, auth) => {
    const r = await post(server.port, dir, eventList(lines), auth);
    expect(r.status).toBe(401);
  });

  it('answers 400 to a body that is not an EventList, with a log line, and keeps serving', async () => {
    expect((await post(server.port, dir, '{"kind":"Pod"', { token: TOKEN })).status).toBe(400);
    expect((await post(server.port, dir, '{"kind":"PodList","apiVersion":"v1","items":[]}', { token: TOKEN })).status).toBe(400);
    expect(server.stderr()).toMatch(/audit serve: 400 for POST 127\.0\.0\.1: the body is not JSON/);
  });

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    const big = Buffer.alloc(70_000, 0x20);
    expect((await post(server.port, dir, big, { token: TOKEN })).status).toBe(413);
    expect((await post(server.port, dir, big, { token: TOKEN }, { 'transfer-encoding': 'chunked' })).status).toBe(413);
  });

  it('cuts off a caller that stalls mid-request', async () => {
    // A server of its own with a short timeout: on the shared one, every other test's requests
    // would race a short timer on a loaded machine.
    const stalled = await startServer(dir, ['--request-timeout', '1', '-o', 'summary']);
    const closed = await new Promise<boolean>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: stalled.port, ca: fs.readFileSync(path.join(dir, 'ca.crt')) }, () => {
        socket.write(`POST /audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n{`);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
    });
    expect(closed).toBe(true);
    stalled.child.kill('SIGTERM');
    expect(await stalled.exit).toBe(0);
  });

  it('accepts the events by client certificate and by token, reports on SIGHUP, and on SIGTERM flushes the same advice as the file backend', async () => {
    expect((await post(server.port, dir, eventList(lines.slice(0, 2)), { cert: 'client' })).status).toBe(200);
    expect((await post(server.port, dir, eventList(lines.slice(2)), { token: TOKEN })).status).toBe(200);
    const file = await runBuiltAsync(['audit', WALKTHROUGH, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa']);
    const before = server.stdout().length;
    server.child.kill('SIGHUP');
    // stdout and stderr are two pipes: the report and its log line arrive in either order, the report maybe in pieces.
    await waitUntil(() => /report \(SIGHUP\)/.test(server.stderr()) && server.stdout().length >= before + file.stdout.length);
    expect(server.stdout().slice(before)).toBe(file.stdout);
    const hup = server.stdout();
    server.child.kill('SIGTERM');
    expect(await server.exit).toBe(0);
    const final = server.stdout().slice(hup.length);
    expect(final).toBe(file.stdout);
    const fromEvents = await runBuiltAsync(['audit', path.join(dir, 'events.jsonl'), '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa']);
    expect(fromEvents.stdout).toBe(file.stdout);
    expect(server.stderr()).toMatch(/report \(SIGTERM\): 5 request\(s\) received/);
    expect(server.stderr()).not.toContain(TOKEN);
  });
});

describe('api-reader audit serve --user NS:NAME (built binary)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-serve-user-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('selects the user of that literal name, as audit and can-i --as do, and its report says what was probably meant', async () => {
    makeWebhookPki(dir);
    const server = await startServer(dir, ['--advise', '--user', 'dev:secret-access-sa']);
    try {
      const lines = fs.readFileSync(WALKTHROUGH, 'utf8').trim().split('\n');
      expect((await post(server.port, dir, eventList(lines), { token: TOKEN })).status).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exit).toBe(0);
      expect(server.stderr()).toContain('audit serve: warning: --user "dev:secret-access-sa" matched no request: it is the user of that literal name, as for kubectl --as; did you mean system:serviceaccount:dev:secret-access-sa?');
      expect(server.stderr()).toMatch(/report \(SIGTERM\): 5 request\(s\) received, 0 kept/);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 120_000);
});
