/**
 * The cluster the e2e tests talk to, as globalSetup recorded it (a JSON file named by
 * CDK8S_E2E_STATE, so it reaches every test file and globalTeardown).
 */
import * as fs from 'fs';
import * as path from 'path';

/** Environment variable naming the state file. */
export const STATE_ENV = 'CDK8S_E2E_STATE';

/** The repository root (e2e/support/../..). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The control-plane scripts. */
export const SCRIPTS_DIR = path.join(REPO_ROOT, 'e2e', 'scripts');

export interface ClusterState {
  /** `local`: the control plane globalSetup started; `existing`: the cluster KUBECONFIG names. */
  readonly mode: 'local' | 'existing';
  /** The admin kubeconfig (local) or the user's KUBECONFIG value (existing). */
  readonly kubeconfig: string;
  /** The kubectl binary. */
  readonly kubectl: string;
  /** The API server URL, as the kubeconfig's current context names it. */
  readonly apiServerUrl: string;
  /** The audit log (local mode, or E2E_AUDIT_LOG for an existing cluster); absent when unreadable. */
  readonly auditLog?: string;
  /** The control plane's temp WORKDIR (local mode). */
  readonly workdir?: string;
  /** True when globalSetup created the state file in a temp dir of its own (removed by teardown). */
  readonly stateDir?: string;
  /**
   * Locally built images that replace dist's image in the pods under test (imagePullPolicy Never),
   * and the local node's directory (logs; local mode only). Absent for an existing cluster unless
   * E2E_READER_IMAGE is set: pods there run dist's image.
   */
  readonly node?: { readonly dir?: string; readonly readerImage: string; readonly busyboxImage: string };
}

let cached: ClusterState | undefined;

/** The state globalSetup wrote; throws a helpful error when the tests were not started through the e2e config. */
export function clusterState(): ClusterState {
  if (cached) return cached;
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) {
    throw new Error(`${STATE_ENV} is not set or missing: run the e2e tests with \`npm run test:e2e\` (jest -c e2e/jest.config.js), whose globalSetup starts or finds the cluster.`);
  }
  cached = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState;
  return cached;
}
