/**
 * `api-reader audit serve`, the audit webhook backend, run as users run it (the built binary):
 * authentication (client certificate or bearer token, else 401 and nothing recorded), 400 for a body
 * that is not an EventList, 413 over the size limit, stalled callers cut off, a report on SIGHUP, and
 * on SIGTERM the requests in flight finished and the final report written: the same advice as
 * `api-reader audit` gives for the same events in a file.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';
import { readEventList } from '../../lib/audit';
import { runBuiltAsync } from './cli';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
const WALKTHROUGH = path.join(ROOT, 'test', 'audit', 'fixtures', 'walkthrough.jsonl');
const TOKEN = 'serve-test-token-0b7c9a51';

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** A CA, a server certificate for 127.0.0.1, a client certificate it signed, and one from another CA. */
function makePki(dir: string): void {
  const ca = (name: string) => openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  const leaf = (name: string, signer: string, ext: string) => {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${signer}.crt`, '-CAkey', `${signer}.key`, '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  };
  ca('ca');
  ca('rogue-ca');
  leaf('server', 'ca', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  leaf('client', 'ca', 'extendedKeyUsage=clientAuth\n');
  leaf('rogue', 'rogue-ca', 'extendedKeyUsage=clientAuth\n');
}

/** Resolves when `ready()` holds (checked every 50 ms; the test's own timeout bounds the wait). */
function until(ready: () => boolean): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => (ready() ? resolve() : setTimeout(check, 50));
    check();
  });
}

interface Server { child: ChildProcess; port: number; stdout: () => string; stderr: () => string; exit: Promise<number | null> }

async function startServer(dir: string, extra: string[]): Promise<Server> {
  const child = spawn(process.execPath, [MAIN, 'audit', 'serve', '--listen', '127.0.0.1:0',
    '--tls-cert-file', path.join(dir, 'server.crt'), '--tls-private-key-file', path.join(dir, 'server.key'),
    '--client-ca-file', path.join(dir, 'ca.crt'), '--token-file', path.join(dir, 'token'), ...extra], { cwd: ROOT });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  // 'close', not 'exit': it comes after the child's stdout and stderr are read to their end.
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const check = () => {
      const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) return resolve(Number(m[1]));
      if (child.exitCode !== null) return reject(new Error(`audit serve exited: ${err}`));
      setTimeout(check, 50);
    };
    check();
  });
  return { child, port, stdout: () => out, stderr: () => err, exit };
}

interface Answer { status: number; body: string }

function post(port: number, dir: string, body: string | Buffer, auth: { token?: string; cert?: string } = {}, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port, method: 'POST', path: '/audit', ca: fs.readFileSync(path.join(dir, 'ca.crt')),
      ...(auth.cert ? { cert: fs.readFileSync(path.join(dir, `${auth.cert}.crt`)), key: fs.readFileSync(path.join(dir, `${auth.cert}.key`)) } : {}),
      headers: { 'content-type': 'application/json', ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An EventList as kube-apiserver sends it: the items carry no kind or apiVersion of their own. */
function eventList(lines: string[]): string {
  const items = lines.map((l) => {
    const { kind: _kind, apiVersion: _apiVersion, ...item } = JSON.parse(l) as Record<string, unknown>;
    return item;
  });
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}

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
    makePki(dir);
    fs.writeFileSync(path.join(dir, 'token'), `# the API server's token\n${TOKEN}\n`, { mode: 0o600 });
    server = await startServer(dir, ['--max-body', '65536', '--request-timeout', '2', '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa',
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
    const closed = await new Promise<boolean>((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca: fs.readFileSync(path.join(dir, 'ca.crt')) }, () => {
        socket.write(`POST /audit HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n{`);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(true));
    });
    expect(closed).toBe(true);
  });

  it('accepts the events by client certificate and by token, reports on SIGHUP, and on SIGTERM flushes the same advice as the file backend', async () => {
    expect((await post(server.port, dir, eventList(lines.slice(0, 2)), { cert: 'client' })).status).toBe(200);
    expect((await post(server.port, dir, eventList(lines.slice(2)), { token: TOKEN })).status).toBe(200);
    const file = await runBuiltAsync(['audit', WALKTHROUGH, '--advise', '--user', 'system:serviceaccount:dev:secret-access-sa']);
    const before = server.stdout().length;
    server.child.kill('SIGHUP');
    // stdout and stderr are two pipes: the report and its log line arrive in either order, the report maybe in pieces.
    await until(() => /report \(SIGHUP\)/.test(server.stderr()) && server.stdout().length >= before + file.stdout.length);
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
    makePki(dir);
    fs.writeFileSync(path.join(dir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
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
