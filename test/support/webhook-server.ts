/**
 * Running `api-reader audit serve` (the built binary) in tests: a throwaway PKI made with the real
 * openssl, the server started on a free port (read from its "listening on" line), authenticated
 * POSTs, and EventList bodies as kube-apiserver sends them. Every wait is for a state (a line
 * printed, a socket closed), never for a delay.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { assertBuilt, MAIN, ROOT } from '../cli/cli';

/** The bearer token the servers started here accept. */
export const WEBHOOK_TOKEN = 'serve-test-token-0b7c9a51';

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/**
 * Writes into `dir`: a CA (`ca.*`), a server certificate for 127.0.0.1 (`server.*`), a client
 * certificate it signed (`client.*`), one from another CA (`rogue.*`), and `token` holding
 * {@link WEBHOOK_TOKEN}.
 */
export function makeWebhookPki(dir: string): void {
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
  fs.writeFileSync(path.join(dir, 'token'), `# the API server's token\n${WEBHOOK_TOKEN}\n`, { mode: 0o600 });
}

/** A running server. */
export interface WebhookServer {
  readonly child: ChildProcess;
  readonly port: number;
  /** What it printed on stdout so far (empty when stdout is left unread). */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Its exit code, once it exited and its output was read. */
  readonly exit: Promise<number | null>;
}

/**
 * Starts `audit serve` on 127.0.0.1:0 with the PKI of `dir` (client CA and token file) and `extra`
 * flags, and resolves once it printed its port.
 * @param unreadStdout leave stdout unread (a stalled reader): nothing takes it from the pipe
 */
export async function startWebhookServer(dir: string, extra: string[], unreadStdout = false): Promise<WebhookServer> {
  assertBuilt();
  const child = spawn(process.execPath, [MAIN, 'audit', 'serve', '--listen', '127.0.0.1:0',
    '--tls-cert-file', path.join(dir, 'server.crt'), '--tls-private-key-file', path.join(dir, 'server.key'),
    '--client-ca-file', path.join(dir, 'ca.crt'), '--token-file', path.join(dir, 'token'), ...extra], { cwd: ROOT });
  let out = '';
  let err = '';
  if (!unreadStdout) child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  // 'close', not 'exit': it comes after the child's stdout and stderr are read to their end.
  const exit = new Promise<number | null>((resolve) => child.on(unreadStdout ? 'exit' : 'close', (code) => resolve(code)));
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

/** What the server answered. */
export interface WebhookAnswer { status: number; body: string }

/** POSTs `body` to the server, authenticated by token or client certificate (or not at all). */
export function postBatch(port: number, dir: string, body: string | Buffer, auth: { token?: string; cert?: string } = {}, headers: Record<string, string> = {}): Promise<WebhookAnswer> {
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

/** An EventList as kube-apiserver sends it, from JSON lines: the items carry no kind or apiVersion of their own. */
export function eventList(lines: readonly string[]): string {
  const items = lines.map((l) => {
    const { kind: _kind, apiVersion: _apiVersion, ...item } = JSON.parse(l) as Record<string, unknown>;
    return item;
  });
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items });
}
