/** Steps several e2e files share: applying dist/, waiting for RBAC to take effect, minting tokens, temp dirs. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { AccessRequest } from '../../lib/rbac';
import { authorize, loadPaths, RbacPolicy, serviceAccountUser } from '../../lib/rbac';
import { kubectl } from './kube';
import { distDir, distFiles, K8sObject, readObjects } from './manifests';
import { describeRun, RunResult, sleep, waitFor } from './run';
import { subjectAccessReviews } from './sar';

/** `kubectl apply -f dist/` (one command, as a user runs it). */
export function applyDist(): RunResult {
  return kubectl(['apply', '-f', distDir()]);
}

/** Every object `kubectl apply -f dist/` applies. */
export function distObjects(): K8sObject[] {
  return distFiles().flatMap(readObjects);
}

/** Our evaluator over the dist/ under test (bootstrap policy loaded). */
export function distPolicy(): RbacPolicy {
  return RbacPolicy.fromLoadResult(loadPaths(distFiles()));
}

/**
 * Waits (best effort, at most `timeoutMs`) until the server's RBAC authorizer, which reads roles and
 * bindings through informers a few ms after they are written, allows what our evaluator says dist/
 * allows. Does not wait when the evaluator says dist/ does not grant it (e.g. a broken grant): the
 * tests then show the server's real answer at once instead of a timeout. Returns whether the
 * server allows it.
 */
export async function settleRbac(namespace: string, sa: string, request: AccessRequest, timeoutMs = 60_000): Promise<boolean> {
  const user = serviceAccountUser(namespace, sa);
  if (!authorize(distPolicy(), user, request).allowed) return false;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await subjectAccessReviews([{ user, request }]))[0].allowed) return true;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
}

/** Waits until a namespace's ServiceAccount exists (the serviceaccount controller creates `default`). */
export async function waitForServiceAccount(namespace: string, name: string): Promise<void> {
  await waitFor(`ServiceAccount ${namespace}/${name}`, () => (kubectl(['get', 'serviceaccount', name, '-n', namespace]).code === 0 ? true : undefined));
}

/** The CA bundle a pod gets from the `kube-root-ca.crt` ConfigMap of its namespace (published by the controller-manager). */
export async function rootCa(namespace: string): Promise<string> {
  return waitFor(`ConfigMap ${namespace}/kube-root-ca.crt`, () => {
    const r = kubectl(['get', 'configmap', 'kube-root-ca.crt', '-n', namespace, '-o', 'jsonpath={.data.ca\\.crt}']);
    return r.code === 0 && r.stdout.includes('BEGIN CERTIFICATE') ? r.stdout : undefined;
  });
}

/**
 * Mints a bound token with TokenRequest (`kubectl create token`). The token is returned, never
 * printed: on failure only stderr is shown.
 */
export function mintToken(namespace: string, sa: string, options: { durationSeconds?: number; audience?: string } = {}): string {
  const args = ['create', 'token', sa, '-n', namespace];
  if (options.durationSeconds !== undefined) args.push(`--duration=${options.durationSeconds}s`);
  if (options.audience !== undefined) args.push('--audience', options.audience);
  const r = kubectl(args);
  if (r.code !== 0 || r.stdout.trim() === '') throw new Error(`kubectl ${args.join(' ')} failed (exit ${r.code}): ${r.stderr}`);
  return r.stdout.trim();
}

/** A fresh private temp dir (mode 0700); removed by {@link removeDir}. */
export function privateTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-api-reader-${prefix}-`));
  fs.chmodSync(dir, 0o700);
  return dir;
}

export function removeDir(dir: string | undefined): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}

/** Writes a file readable only by us. */
export function writePrivate(file: string, content: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

/** Creates a namespace (with labels) and waits for its default ServiceAccount; deletes a leftover one first. */
export async function freshNamespace(name: string, labels: Record<string, string> = {}): Promise<void> {
  kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
  const r = kubectl(['create', '-f', '-'], { input: JSON.stringify(ns) });
  if (r.code !== 0) throw new Error(`cannot create namespace ${name}:\n${describeRun(r)}`);
  await waitForServiceAccount(name, 'default');
}

/** Deletes namespaces without waiting (the local cluster is thrown away anyway). */
export function deleteNamespaces(...names: string[]): void {
  if (names.length > 0) kubectl(['delete', 'namespace', ...names, '--ignore-not-found', '--wait=false']);
}

