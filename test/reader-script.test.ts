import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ApiReaderWalkthrough } from '../lib';
import { findObject, synthChart } from './support/manifests';
import { TestPki, createTestPki } from './support/tls';
import { childProcesses, processRuns, waitUntil } from './support/wait';

// The reader script from the synthesized ConfigMap, run by the real `sh` and curl against a
// local HTTPS stub of the API server's secret endpoint.

const ALLOWED_TOKEN = 'tok-allowed-7f3e9c';
const DENIED_TOKEN = 'tok-denied-1b5d2a';
const EXPIRED_TOKEN = 'tok-expired-0000';
const SECRET_VALUE = 'value-should-never-print-42';

let workdir: string;
let pki: TestPki;
let server: https.Server;
let apiServer: string;
let scriptPath: string;
const seenAuthorization: string[] = [];

function forbidden(user: string, namespace: string): string {
  return JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: `secrets "api-access-secret" is forbidden: User "${user}" cannot get resource "secrets" in API group "" in the namespace "${namespace}"`,
    reason: 'Forbidden',
    code: 403,
  });
}

beforeAll(async () => {
  workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reader-script-'));
  pki = createTestPki(workdir);
  const configMap = findObject(synthChart(new ApiReaderWalkthrough(Testing.app(), 'w')), 'ConfigMap', 'api-reader-script');
  scriptPath = path.join(workdir, 'read-secret.sh');
  fs.writeFileSync(scriptPath, configMap.data['read-secret.sh']);

  server = https.createServer({ key: pki.serverKey, cert: pki.serverCert }, (req, res) => {
    const auth = req.headers.authorization ?? '';
    seenAuthorization.push(auth);
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(req.url ?? '');
    res.setHeader('Content-Type', 'application/json');
    if (!match || req.method !== 'GET') {
      res.writeHead(404).end('{"kind":"Status","code":404}');
    } else if (auth === `Bearer ${EXPIRED_TOKEN}`) {
      res.writeHead(401).end('{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
    } else if (auth === `Bearer ${ALLOWED_TOKEN}` && match[1] === 'dev') {
      const data = { password: Buffer.from(SECRET_VALUE).toString('base64') };
      res.writeHead(200).end(JSON.stringify({ kind: 'Secret', apiVersion: 'v1', metadata: { name: match[2], namespace: 'dev' }, data }));
    } else {
      const user = auth === `Bearer ${ALLOWED_TOKEN}` ? 'system:serviceaccount:dev:secret-access-sa' : 'system:serviceaccount:dev:no-access-sa';
      res.writeHead(403).end(forbidden(user, match[1]));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiServer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(workdir, { recursive: true, force: true });
});

interface PodFiles {
  token?: string;
  caCert?: string;
  namespace?: string;
}

/** Builds the files a pod would see (token, ca.crt, namespace) in a fresh directory. */
function podFiles(files: PodFiles): string {
  const dir = fs.mkdtempSync(path.join(workdir, 'sa-'));
  if (files.token !== undefined) fs.writeFileSync(path.join(dir, 'token'), files.token);
  if (files.caCert !== undefined) fs.writeFileSync(path.join(dir, 'ca.crt'), files.caCert);
  if (files.namespace !== undefined) fs.writeFileSync(path.join(dir, 'namespace'), files.namespace);
  return dir;
}

function runScript(saDir: string, args: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('sh', [scriptPath, ...args], { env: { PATH: process.env.PATH, SA_DIR: saDir, API_SERVER: apiServer, TARGET_NAME: 'api-access-secret' }, timeout: 50_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as NodeJS.ErrnoException & { code?: number }).code ?? 99) : 0, stdout, stderr });
    });
  });
}

describe('the reader script against an HTTPS stub', () => {
  test('an allowed token reads the secret: HTTP 200, ALLOWED, exit 0, and neither the token nor a value is printed', async () => {
    const result = await runScript(podFiles({ token: ALLOWED_TOKEN, caCert: pki.caCert, namespace: 'dev' }));
    expect(result.stdout.split('\n')).toEqual([
      `api-reader: GET ${apiServer}/api/v1/namespaces/dev/secrets/api-access-secret`,
      'HTTP 200',
      'ALLOWED: read secret dev/api-access-secret (values not shown)',
      '',
    ]);
    expect(result.code).toBe(0);
    const everything = result.stdout + result.stderr;
    expect(everything).not.toContain(ALLOWED_TOKEN);
    expect(everything).not.toContain(SECRET_VALUE);
    expect(everything).not.toContain(Buffer.from(SECRET_VALUE).toString('base64'));
  });

  test('the token reaches the server as a bearer header', async () => {
    seenAuthorization.length = 0;
    await runScript(podFiles({ token: `${ALLOWED_TOKEN}\n`, caCert: pki.caCert, namespace: 'dev' }));
    expect(seenAuthorization).toEqual([`Bearer ${ALLOWED_TOKEN}`]);
  });

  test('a token without access gets HTTP 403, DENIED with the server message, exit 1', async () => {
    const result = await runScript(podFiles({ token: DENIED_TOKEN, caCert: pki.caCert, namespace: 'dev' }));
    expect(result.stdout).toContain('HTTP 403\n');
    expect(result.stdout).toContain(
      'DENIED: secrets "api-access-secret" is forbidden: User "system:serviceaccount:dev:no-access-sa" cannot get resource "secrets" in API group "" in the namespace "dev"\n',
    );
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(DENIED_TOKEN);
  });

  test('the namespace argument reads another namespace (and is denied there)', async () => {
    const result = await runScript(podFiles({ token: ALLOWED_TOKEN, caCert: pki.caCert, namespace: 'dev' }), ['default']);
    expect(result.stdout).toContain(`GET ${apiServer}/api/v1/namespaces/default/secrets/api-access-secret\n`);
    expect(result.stdout).toMatch(/^DENIED: .*in the namespace "default"$/m);
    expect(result.code).toBe(1);
  });

  test('a rejected token (401) is DENIED with the reason', async () => {
    const result = await runScript(podFiles({ token: EXPIRED_TOKEN, caCert: pki.caCert, namespace: 'dev' }));
    expect(result.stdout).toMatch(/^HTTP 401$/m);
    expect(result.stdout).toMatch(/^DENIED: the API server rejected the token \(401 Unauthorized: wrong audience or expired\): Unauthorized$/m);
    expect(result.code).toBe(1);
  });

  test('a missing token file is an ERROR before any request, exit 2', async () => {
    seenAuthorization.length = 0;
    const result = await runScript(podFiles({ caCert: pki.caCert, namespace: 'dev' }));
    expect(result.stdout).toMatch(/^ERROR: no readable token at .*\/token: mount a projected serviceAccountToken there$/m);
    expect(result.code).toBe(2);
    expect(seenAuthorization).toEqual([]);
  });

  test('a CA that did not sign the server certificate fails TLS verification: ERROR, exit 2, nothing sent', async () => {
    seenAuthorization.length = 0;
    const result = await runScript(podFiles({ token: ALLOWED_TOKEN, caCert: pki.otherCaCert, namespace: 'dev' }));
    expect(result.stdout).toMatch(/^HTTP 000$/m);
    expect(result.stdout).toMatch(/^ERROR: request to https:\/\/127\.0\.0\.1:\d+ failed \(curl exit 60\); check the CA bundle/m);
    expect(result.code).toBe(2);
    expect(seenAuthorization).toEqual([]);
    expect(result.stdout + result.stderr).not.toContain(ALLOWED_TOKEN);
  });

  test('with --keep-alive the script reports, then stays up until terminated', async () => {
    const child = spawn('sh', [scriptPath, '--keep-alive'], {
      env: { PATH: process.env.PATH, SA_DIR: podFiles({ token: ALLOWED_TOKEN, caCert: pki.caCert, namespace: 'dev' }), API_SERVER: apiServer },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for states, not for time: the report line, then the script asleep in its keep-alive
    // (its `sleep` child running), which it only reaches instead of exiting.
    await waitUntil(() => stdout.includes('ALLOWED:') || child.exitCode !== null);
    expect(stdout).toMatch(/^ALLOWED:/m);
    await waitUntil(() => childProcesses(child.pid!, 'sleep').length > 0 || child.exitCode !== null);
    const sleepers = childProcesses(child.pid!, 'sleep');
    expect(child.exitCode).toBeNull();
    expect(sleepers).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // The trap stops the sleeper too (a sleeper left behind would hold this wait until the test times out).
    await waitUntil(() => !processRuns(sleepers[0]));
  });
});
