/**
 * Fresh identities for the escalation tests: a kubeconfig that authenticates with one bearer
 * token only (written to a private file, never printed), and kubectl run with it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writePrivate } from './cluster-steps';
import { admin } from './kube';
import { run, RunResult } from './run';
import { clusterState } from './state';

/** Writes a kubeconfig (mode 0600) whose only credential is `token`; returns its path. */
export function tokenKubeconfig(dir: string, name: string, token: string): string {
  const c = admin();
  const cluster = c.insecure ? { server: c.server, 'insecure-skip-tls-verify': true } : { server: c.server, 'certificate-authority-data': c.ca?.toString('base64') };
  const config = {
    apiVersion: 'v1', kind: 'Config',
    clusters: [{ name: 'e2e', cluster }],
    users: [{ name, user: { token } }],
    contexts: [{ name, context: { cluster: 'e2e', user: name } }],
    'current-context': name,
  };
  return writePrivate(path.join(dir, `${name}.kubeconfig`), JSON.stringify(config));
}

/** Runs kubectl with a kubeconfig of {@link tokenKubeconfig}. Never throws on a non-zero exit. */
export function kubectlWith(kubeconfig: string, args: readonly string[], input?: string): RunResult {
  if (!fs.existsSync(kubeconfig)) throw new Error(`no kubeconfig at ${kubeconfig}`);
  return run(clusterState().kubectl, ['--kubeconfig', kubeconfig, ...args], { input, timeoutMs: 90_000 });
}

/** The user name a token authenticates as (`kubectl auth whoami`, a SelfSubjectReview). */
export function whoami(kubeconfig: string): string {
  const r = kubectlWith(kubeconfig, ['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}']);
  return r.code === 0 ? r.stdout.trim() : `(whoami failed: exit ${r.code}: ${r.stderr.trim()})`;
}
