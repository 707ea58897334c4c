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
export function scratchProject(): { dir: string; synth: (env?: NodeJS.ProcessEnv) => RunResult } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reader-project-'));
  for (const name of ['lib', 'imports', 'node_modules', 'scripts']) {
    fs.symlinkSync(path.join(REPO, name), path.join(dir, name));
  }
  for (const name of ['main.ts', 'cdk8s.yaml', 'package.json']) {
    fs.copyFileSync(path.join(REPO, name), path.join(dir, name));
  }
  fs.cpSync(path.join(REPO, 'dist'), path.join(dir, 'dist'), { recursive: true });
  const synth = (env: NodeJS.ProcessEnv = {}): RunResult => {
    const result = spawnSync(path.join(dir, 'node_modules', '.bin', 'cdk8s'), ['synth'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...cleanEnv(), CDK8S_CHECK_UPGRADE: 'false', ...env },
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  return { dir, synth };
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('API_READER_') || key === 'CDK8S_OUTDIR') delete env[key];
  }
  return env;
}
