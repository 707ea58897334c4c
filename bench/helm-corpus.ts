// The loader on real charts (issue 23): the RBAC objects of 1,497 public Helm chart renders in
// ../shared/data/helm-rbac/ (HELM_RBAC_DIR), read from there, never copied. Prints how many charts
// load, how many are refused and why, and the time to read the first half, all of them, and all of
// them twice (one process, interleaved, medians of BENCH_CORPUS_RUNS, default 5): linear time means
// the three grow as 0.5 : 1 : 2.
// Run: `npm run build && node build/bench/helm-corpus.js`.
import * as fs from 'fs';
import * as path from 'path';
import { loadFile, loadPaths, RbacPolicy } from '../lib/rbac';

const DIR = process.env.HELM_RBAC_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'helm-rbac');
const RUNS = Math.max(1, Number(process.env.BENCH_CORPUS_RUNS ?? 5));

/** Why a chart was refused, by the first phrase of each rejection. */
function reason(message: string): string {
  if (message.includes('is not served since Kubernetes')) return 'an RBAC apiVersion no longer served (v1beta1, v1alpha1)';
  if (message.includes('unknown field')) return 'an unknown field';
  if (/invalid (YAML|JSON)/.test(message)) return 'unparseable';
  return message.replace(/^.*would be rejected by the API server: /, '').replace(/"[^"]*"/g, '"…"').replace(/\[\d+\]/g, '[i]').split(/; |\. /)[0];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(DIR, f));
  const reasons = new Map<string, number>();
  let refused = 0;
  let duplicateKeys = 0;
  for (const file of files) {
    const load = loadFile(file, { keepGoing: true });
    if ((load.warnings ?? []).length > 0) duplicateKeys++;
    const policy = RbacPolicy.fromLoadResult(load, { invalidObjects: 'skip' });
    if (policy.rejected.length === 0) continue;
    refused++;
    for (const r of new Set(policy.rejected.map(reason))) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const sets: Record<string, string[]> = { half: files.slice(0, Math.floor(files.length / 2)), all: files, twice: [...files, ...files] };
  const times: Record<string, number[]> = { half: [], all: [], twice: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const [name, paths] of Object.entries(sets)) {
      const start = process.hrtime.bigint();
      loadPaths(paths, { keepGoing: true });
      times[name].push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  }
  const ms = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, Math.round(median(v))]));
  process.stdout.write(`${JSON.stringify({
    charts: files.length, loaded: files.length - refused, refused, duplicate_key_charts: duplicateKeys,
    refused_by_reason: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])),
    load_ms_median: ms, ratio_all_to_half: Math.round((ms.all / ms.half) * 100) / 100, ratio_twice_to_all: Math.round((ms.twice / ms.all) * 100) / 100,
  }, null, 2)}\n`);
}

main();
