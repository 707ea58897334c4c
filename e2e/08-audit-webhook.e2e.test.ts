/**
 * The API server's audit webhook backend sends its events to `api-reader audit serve` (issue 15):
 * a second local control plane, started with `AUDIT_WEBHOOK_CONFIG_FILE` naming the server (client
 * certificate auth), runs the walkthrough's requests; its log file backend writes the same events.
 * When the API server has stopped (flushing its webhook batches) and the server is stopped with
 * SIGTERM, the advice it reports for secret-access-sa equals `api-reader audit` on the log file.
 *
 * It starts its own control plane (no node: none is needed), with the binaries of
 * build-control-plane.sh (cached), so it runs whether the suite uses the local cluster or KUBECONFIG's.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { privateTempDir, removeDir, writePrivate } from './support/cluster-steps';
import { distDir } from './support/manifests';
import { describeRun, run, RunResult, sleep } from './support/run';
import { REPO_ROOT, SCRIPTS_DIR } from './support/state';

const MAIN = path.join(REPO_ROOT, 'build', 'lib', 'cli', 'main.js');
const SA = 'system:serviceaccount:dev:secret-access-sa';

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(describeRun(r));
  return r;
}

function openssl(dir: string, args: string[]): void {
  ok(run('openssl', args, { cwd: dir }));
}

/** A CA, the server's certificate for 127.0.0.1, and the API server's client certificate. */
function makePki(dir: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=audit-webhook-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature']);
  for (const [name, ext] of [['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'], ['apiserver', 'extendedKeyUsage=clientAuth\n']]) {
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.crt`]);
  }
}

function webhookKubeconfig(dir: string, port: number): string {
  return writePrivate(path.join(dir, 'webhook.kubeconfig'), [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: audit-serve', '  cluster:', `    server: https://127.0.0.1:${port}/audit`, `    certificate-authority: ${path.join(dir, 'ca.crt')}`,
    'users:', '- name: kube-apiserver', '  user:', `    client-certificate: ${path.join(dir, 'apiserver.crt')}`, `    client-key: ${path.join(dir, 'apiserver.key')}`,
    'contexts:', '- name: default', '  context:', '    cluster: audit-serve', '    user: kube-apiserver', 'current-context: default', '',
  ].join('\n'));
}

function readEnv(file: string): Record<string, string> {
  const r = ok(run('bash', ['-c', 'set -a; . "$1"; printf "%s\\0%s\\0%s\\0%s\\0" "$KUBECONFIG" "$APISERVER_URL" "$CA_FILE" "$AUDIT_LOG"', '_', file]));
  const [kubeconfig, url, ca, log] = r.stdout.split('\0');
  return { kubeconfig, url, ca, log };
}

function get(url: string, ca: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { ca: fs.readFileSync(ca), headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the audit webhook: kube-apiserver sends its events to api-reader audit serve', () => {
  let dir: string;
  let workdir: string;
  let serve: ChildProcess | undefined;
  let out = '';
  let err = '';

  afterAll(() => {
    if (workdir) run('bash', [path.join(SCRIPTS_DIR, 'stop-control-plane.sh'), workdir]);
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    removeDir(dir);
  });

  it('reports for the walkthrough exactly what the log file backend of the same run gives', async () => {
    dir = privateTempDir('audit-webhook');
    makePki(dir);
    serve = spawn(process.execPath, [MAIN, 'audit', 'serve', '--listen', '127.0.0.1:0',
      '--tls-cert-file', path.join(dir, 'server.crt'), '--tls-private-key-file', path.join(dir, 'server.key'),
      '--client-ca-file', path.join(dir, 'ca.crt'), '--advise', '--user', SA, '--events-file', path.join(dir, 'events.jsonl')], { cwd: REPO_ROOT });
    serve.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    serve.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    const exited = new Promise<number | null>((resolve) => serve!.on('exit', (code) => resolve(code)));
    let port = 0;
    for (let i = 0; i < 600 && port === 0; i++) {
      const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(err);
      if (m) port = Number(m[1]);
      else await sleep(100);
    }
    expect(port).toBeGreaterThan(0);

    // The control plane's binaries (build-control-plane.sh exits at once when they are cached).
    const binDir = ok(run('bash', [path.join(SCRIPTS_DIR, 'build-control-plane.sh')], { timeoutMs: 1_800_000 })).stdout.trim().split('\n').pop()!;
    const kubectl = path.join(binDir, 'kubectl');
    workdir = path.join(dir, 'control-plane');
    ok(run('bash', [path.join(SCRIPTS_DIR, 'start-control-plane.sh'), workdir, path.join(distDir(), 'audit', 'audit-policy.yaml')], {
      env: { ...process.env, CONTROL_PLANE_BIN_DIR: binDir, AUDIT_WEBHOOK_CONFIG_FILE: webhookKubeconfig(dir, port) },
      timeoutMs: 300_000,
    }));
    const env = readEnv(path.join(workdir, 'env'));
    const k = (args: string[]) => ok(run(kubectl, ['--kubeconfig', env.kubeconfig, ...args]));

    // The walkthrough: apply, the Secret, a token per reader, and the three reads.
    k(['apply', '-f', distDir()]);
    k(['create', 'secret', 'generic', 'api-access-secret', '-n', 'dev', '--from-literal=username=e2e', `--from-literal=password=${randomBytes(12).toString('hex')}`]);
    const reader = k(['create', 'token', 'secret-access-sa', '-n', 'dev']).stdout.trim();
    const other = k(['create', 'token', 'no-access-sa', '-n', 'dev']).stdout.trim();
    const secretUrl = (ns: string) => `${env.url}/api/v1/namespaces/${ns}/secrets/api-access-secret`;
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = await get(secretUrl('dev'), env.ca, reader);
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
    expect(await get(secretUrl('default'), env.ca, reader)).toBe(403);
    expect(await get(secretUrl('dev'), env.ca, other)).toBe(403);

    // Stopping the API server flushes its webhook batches; then the server reports and exits.
    ok(run('bash', [path.join(SCRIPTS_DIR, 'stop-control-plane.sh'), workdir]));
    const before = out.length;
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    const live = out.slice(before);

    const fromFile = ok(run(process.execPath, [MAIN, 'audit', env.log, '--advise', '--user', SA], { cwd: REPO_ROOT }));
    expect(fromFile.stdout).toContain('name: secret-access-cr');
    expect(live).toBe(fromFile.stdout);
    const summary = (log: string) => ok(run(process.execPath, [MAIN, 'audit', log, '--user', SA, '-o', 'summary'], { cwd: REPO_ROOT })).stdout;
    expect(summary(path.join(dir, 'events.jsonl'))).toBe(summary(env.log));
    expect(err).not.toMatch(/ 401 | 400 | 413 /);
  });
});
