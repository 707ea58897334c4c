/** Jest globalTeardown: stops the local control plane (existing clusters are left running). */
import * as fs from 'fs';
import { stopLocalControlPlane } from './global-setup';
import { ClusterState, STATE_ENV } from './state';

export default async function globalTeardown(): Promise<void> {
  const file = process.env[STATE_ENV];
  if (!file || !fs.existsSync(file)) return;
  const state = JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState;
  if (state.mode === 'local' && state.workdir) stopLocalControlPlane(state.workdir);
  if (state.stateDir) fs.rmSync(state.stateDir, { recursive: true, force: true });
}
