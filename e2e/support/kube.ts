/**
 * Talking to the cluster: real kubectl (with the admin kubeconfig) and real HTTPS (Node's https
 * with the cluster CA) for the many small requests (SubjectAccessReviews, discovery with a token).
 */
import * as fs from 'fs';
import * as https from 'https';
import { check, run, RunResult } from './run';
import { clusterState } from './state';

/** Runs kubectl against the e2e cluster. Never throws on a non-zero exit (see {@link kubectlOk}). */
export function kubectl(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): RunResult {
  const s = clusterState();
  return run(s.kubectl, ['--kubeconfig', s.kubeconfig, ...args], { input: options.input, timeoutMs: options.timeoutMs });
}

/** Runs kubectl and throws with its output unless it exits 0. */
export function kubectlOk(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): RunResult {
  return check(kubectl(args, options));
}

/** How to reach the API server as the kubeconfig's user. */
export interface Credentials {
  readonly server: string;
  readonly ca?: Buffer;
  readonly insecure: boolean;
  readonly token?: string;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

let adminCredentials: Credentials | undefined;

/**
 * The admin's credentials from the kubeconfig (`kubectl config view --raw --flatten --minify`):
 * a bearer token or a client certificate. Exec/auth-provider users have neither; then
 * `credentials.token`/`cert` are undefined and callers fall back to kubectl.
 */
export function admin(): Credentials {
  if (adminCredentials) return adminCredentials;
  const r = kubectlOk(['config', 'view', '--raw', '--flatten', '--minify', '-o', 'json']);
  const cfg = JSON.parse(r.stdout) as {
    clusters: Array<{ cluster: Record<string, unknown> }>;
    users: Array<{ user: Record<string, unknown> }>;
  };
  const cluster = cfg.clusters[0].cluster;
  const user = cfg.users[0]?.user ?? {};
  const b64 = (v: unknown) => (typeof v === 'string' ? Buffer.from(v, 'base64') : undefined);
  const tokenFile = typeof user.tokenFile === 'string' ? fs.readFileSync(user.tokenFile, 'utf8').trim() : undefined;
  adminCredentials = {
    server: String(cluster.server).replace(/\/$/, ''),
    ca: b64(cluster['certificate-authority-data']),
    insecure: cluster['insecure-skip-tls-verify'] === true,
    token: typeof user.token === 'string' ? user.token : tokenFile,
    cert: b64(user['client-certificate-data']),
    key: b64(user['client-key-data']),
  };
  return adminCredentials;
}

/** An HTTP answer. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
}

const agents = new Map<string, https.Agent>();

function agentFor(c: Credentials, withClientCert: boolean): https.Agent {
  const key = withClientCert ? 'admin' : 'token';
  let a = agents.get(key);
  if (!a) {
    a = new https.Agent({
      keepAlive: true,
      maxSockets: 32,
      ca: c.ca,
      rejectUnauthorized: !c.insecure,
      ...(withClientCert && c.cert && c.key ? { cert: c.cert, key: c.key } : {}),
    });
    agents.set(key, a);
  }
  return a;
}

/** Closes the keep-alive sockets (call in afterAll, or Jest waits for them). */
export function closeAgents(): void {
  for (const a of agents.values()) a.destroy();
  agents.clear();
}

/**
 * One HTTPS request to the API server. `as: 'admin'` uses the kubeconfig's credentials;
 * `as: { token }` sends that bearer token (and no client certificate), like a pod would.
 */
export function apiRequest(method: string, path: string, options: { as: 'admin' | { token: string }; body?: unknown; timeoutMs?: number }): Promise<HttpResponse> {
  const c = admin();
  const asAdmin = options.as === 'admin';
  const token = asAdmin ? c.token : (options.as as { token: string }).token;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${c.server}${path}`,
      {
        method,
        agent: agentFor(c, asAdmin),
        headers: {
          Accept: 'application/json',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        },
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
