import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');

/** Result of one command run. */
export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * A throwaway copy of this project (sources linked, dist copied) where the real
 * `cdk8s synth` can run, fail and be inspected without touching the repo's dist/.
 */
export function scratchProject(): {
  dir: string;
  synth: (env?: NodeJS.ProcessEnv) => RunResult;
  run: (command: string, args: readonly string[], env?: NodeJS.ProcessEnv) => RunResult;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-project-'));
  for (const name of ['lib', 'imports', 'node_modules', 'scripts']) {
    fs.symlinkSync(path.join(REPO, name), path.join(dir, name));
  }
  for (const name of ['main.ts', 'cdk8s.yaml', 'package.json']) {
    fs.copyFileSync(path.join(REPO, name), path.join(dir, name));
  }
  fs.cpSync(path.join(REPO, 'dist'), path.join(dir, 'dist'), { recursive: true });
  /** Runs `command` in the scratch project with only the environment given (no `CDK8S_*`, no `API_READER_*`). */
  const run = (command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunResult => {
    const result = spawnSync(command, [...args], { cwd: dir, encoding: 'utf8', env: { ...cleanEnv(), ...env }, timeout: 60_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  const synth = (env: NodeJS.ProcessEnv = {}): RunResult =>
    run(path.join(dir, 'node_modules', '.bin', 'cdk8s'), ['synth'], { CDK8S_CHECK_UPGRADE: 'false', ...env });
  return { dir, synth, run };
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('API_READER_') || key.startsWith('CDK8S_')) delete env[key];
  }
  return env;
}
