/**
 * Jest globalSetup: finds the cluster the e2e tests run against.
 * - KUBECONFIG set: use that cluster (kind, minikube, a real one); nothing is started.
 * - otherwise: build the cluster (a no-op once cached; prints its progress), start etcd +
 *   kube-apiserver + kube-controller-manager and one node (containerd, kubelet, scheduler,
 *   CoreDNS, kube-router's NetworkPolicy controller) in a fresh temp dir with
 *   dist/audit/audit-policy.yaml (of E2E_DIST_DIR when set), and make sure it is stopped: by the
 *   last test file (which checks the host is left as found), by globalTeardown, and by
 *   exit/SIGINT/SIGTERM/SIGHUP handlers when Jest dies or is interrupted first.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from './run';
import { distDir } from './manifests';
import { ClusterState, SCRIPTS_DIR, STATE_ENV } from './state';


function log(message: string): void {
  process.stderr.write(`[e2e setup ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Runs a script with its stderr (progress) shown live; resolves with its stdout. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(SCRIPTS_DIR, script), ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${script} ${args.join(' ')} failed with exit code ${code} (its output is above)`))));
  });
}

/** Reads WORKDIR/env (bash `printf %q` quoting) by letting bash source it. */
function readEnvFile(file: string, names: readonly string[]): Record<string, string> {
  const r = run('bash', ['-c', `set -a; . "$1"; shift; for n in "$@"; do printf '%s\\0' "\${!n}"; done`, '_', file, ...names]);
  if (r.code !== 0) throw new Error(`cannot read ${file}: ${r.stderr}`);
  const values = r.stdout.split('\0');
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

function writeState(state: ClusterState, dir: string): void {
  const file = path.join(dir, 'e2e-state.json');
  fs.writeFileSync(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  process.env[STATE_ENV] = file;
}

/** Stops the local cluster (node, then control plane) and removes its WORKDIR (unless E2E_KEEP_WORKDIR=1). Synchronous, idempotent. */
export function stopLocalControlPlane(workdir: string): void {
  const stopped = ((globalThis as Record<string, unknown>).__cdk8sE2eStopped ??= new Set<string>()) as Set<string>;
  if (stopped.has(workdir) || !fs.existsSync(workdir)) return;
  stopped.add(workdir);
  spawnSync('bash', [path.join(SCRIPTS_DIR, 'stop-cluster.sh'), workdir], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (process.env.E2E_KEEP_WORKDIR === '1') {
    log(`kept ${workdir} (E2E_KEEP_WORKDIR=1)`);
  } else {
    fs.rmSync(workdir, { recursive: true, force: true });
  }
}

function installStopHandlers(workdir: string): void {
  const stop = () => stopLocalControlPlane(workdir);
  process.once('exit', stop);
  for (const [signal, n] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the local cluster`);
      stop();
      process.exit(128 + n);
    });
  }
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  if (process.env.KUBECONFIG) {
    const kubectl = process.env.KUBECTL ?? 'kubectl';
    const view = run(kubectl, ['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}']);
    if (view.code !== 0 || !view.stdout) {
      throw new Error(`KUBECONFIG=${process.env.KUBECONFIG} is set but \`${kubectl} config view\` failed: ${view.stderr}\n(set KUBECTL to a kubectl binary, or unset KUBECONFIG to use the local control plane)`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-api-reader-e2e-state-'));
    const auditLog = process.env.E2E_AUDIT_LOG;
    // A cluster that cannot pull dist's image (e.g. `npm run cluster -- up` here) names local images instead.
    const readerImage = process.env.E2E_READER_IMAGE;
    const node = readerImage ? { node: { readerImage, busyboxImage: process.env.E2E_BUSYBOX_IMAGE ?? 'busybox:1.36' } } : {};
    writeState({ mode: 'existing', kubeconfig: process.env.KUBECONFIG, kubectl, apiServerUrl: view.stdout.trim(), ...(auditLog ? { auditLog } : {}), ...node, stateDir: dir }, dir);
    log(`using the existing cluster at ${view.stdout.trim()} (KUBECONFIG is set); no local control plane.` +
      (auditLog ? ` Audit log: ${auditLog}.` : ' Audit-log tests are skipped (set E2E_AUDIT_LOG to a readable audit log of that server).'));
    return;
  }

  log('no KUBECONFIG: building (once per machine; cached) and starting a local cluster (control plane + one node)');
  // Built here first (a no-op once cached) so the build's progress and time show apart from the start.
  await runScript('build-control-plane.sh', []);
  const addonsDir = (await runScript('build-node-addons.sh', [])).trim().split('\n').pop() ?? '';
  await runScript('build-images.sh', [addonsDir]);
  const built = Date.now();
  const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-api-reader-e2e-'));
  installStopHandlers(workdir);
  await runScript('start-cluster.sh', [workdir, path.join(distDir(), 'audit', 'audit-policy.yaml')]);
  const env = readEnvFile(path.join(workdir, 'env'), ['KUBECONFIG', 'APISERVER_URL', 'AUDIT_LOG', 'KUBECTL']);
  const node = readEnvFile(path.join(workdir, 'node', 'env'), ['NODE_DIR', 'READER_IMAGE', 'BUSYBOX_IMAGE']);
  writeState({
    mode: 'local', kubeconfig: env.KUBECONFIG, kubectl: env.KUBECTL, apiServerUrl: env.APISERVER_URL, auditLog: env.AUDIT_LOG, workdir,
    node: { dir: node.NODE_DIR, readerImage: node.READER_IMAGE, busyboxImage: node.BUSYBOX_IMAGE },
  }, workdir);
  log(`local cluster ready at ${env.APISERVER_URL} (build check ${((built - started) / 1000).toFixed(1)} s, start ${((Date.now() - built) / 1000).toFixed(1)} s; WORKDIR ${workdir})`);
}
