// helm for the comparison: built once from its Go module by install-helm.sh (or $HELM), and the
// bench chart in bench/helm-chart with the library's reader script and audit policy as files.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { READER_SCRIPT } from '../lib';

export interface Helm {
  bin: string;
  version: string;
  /** how it was obtained, for the results */
  how: string;
}

export function installHelm(root: string, log: (line: string) => void): Helm {
  const fromEnv = process.env.HELM;
  let bin: string;
  let how: string;
  if (fromEnv) {
    bin = fromEnv;
    how = `HELM=${fromEnv}`;
  } else {
    log('bench: installing helm with bench/install-helm.sh (builds it from its Go module once, then cached)...');
    const out = execFileSync('bash', [path.join(root, 'bench', 'install-helm.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim().split('\n');
    bin = out[out.length - 1];
    how = `bench/install-helm.sh: go install helm.sh/helm/v3/cmd/helm (module proxy, local toolchain) -> ${bin}`;
  }
  return { bin, how, version: execFileSync(bin, ['version', '--short']).toString().trim() };
}

/** The chart in a scratch directory, with the reader script and the audit policy written from the library. */
export function prepareChart(root: string, scratch: string, auditPolicy: string): string {
  const chart = path.join(scratch, 'helm-chart');
  fs.cpSync(path.join(root, 'bench', 'helm-chart'), chart, { recursive: true });
  fs.mkdirSync(path.join(chart, 'files'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'files', 'read-secret.sh'), READER_SCRIPT);
  fs.writeFileSync(path.join(chart, 'files', 'audit-policy.yaml'), auditPolicy);
  return chart;
}

/** A values file with n tenants (`tenant-0000`, ...), written once per count. */
export function valuesFile(scratch: string, n: number): string {
  const file = path.join(scratch, `values-${n}.yaml`);
  if (!fs.existsSync(file)) {
    const names = Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
    fs.writeFileSync(file, `tenants:\n${names.map((t) => `  - name: ${t}\n`).join('')}`);
  }
  return file;
}

/** `helm template` of the chart for n tenants, into outdir or (stdout) to /dev/null. */
export function helmTemplate(helm: Helm, chart: string, values: string, outdir: string | undefined): string[] {
  const base = [helm.bin, 'template', 'bench', chart, '-f', values];
  return outdir === undefined ? base : [...base, '--output-dir', outdir];
}
