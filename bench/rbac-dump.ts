// The evaluator on a live-cluster-sized dump (issue 12, "Speed and bounds"): a generated
// `kubectl get clusterroles,clusterrolebindings,roles,rolebindings,serviceaccounts -A -o yaml` List of 40,000
// objects (21.2 MB: each object has the metadata of a live, operator-managed one: creationTimestamp, two labels,
// resourceVersion, uid; written to the temp directory, never committed), read by the built CLI.
// Each figure is the median of BENCH_DUMP_RUNS (default 3) separate processes, wall time from
// spawn to exit, with peak RSS (GNU time's %M when /usr/bin/time exists, else null):
//   - js-yaml: a bare `loadAll` of the file (`node build/bench/rbac-dump.js --load FILE`), the baseline;
//   - can-i, who-can: one question each through `build/lib/cli/main.js -f FILE`;
//   - matrix: the CLI's full default matrix (every ServiceAccount, in its own namespace, x its default
//     12 resources x 7 verbs);
//   - diff: `api-reader diff` of the dump and a changed one (320 roles and bindings of 80 team members
//     changed: a verb gained, one lost, a User added), `-o json`; target (issue 25): within 2.5x the
//     time and 2x the peak RSS of one can-i.
//   - escalations: every subject's escalation paths (9,000 subjects: 8,000 ServiceAccounts, 1,000 users), as JSON.
// Targets: can-i <= 1.5x js-yaml; escalations <= 5x who-can; diff <= 2.5x can-i (time) and 2x (peak RSS). Run alone with `node build/bench/rbac-dump.js` (prints JSON), or
// from `npm run bench` (BENCH_DUMP=0 skips it; BENCH_DUMP_OBJECTS sets the object count).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { maxOf, measure, median, medianOf, round3 } from './measure';
import type { Sample } from './measure';

const NAMESPACES = 500;

/** The team members whose roles and bindings the changed dump changes (80 of 8,000: 320 objects). */
function isChanged(n: number, changed: boolean): boolean {
  return changed && n % 100 === 7;
}

/**
 * One object of the dump, indented as a List item; `i` picks kind, namespace and names. In the
 * changed dump (`changed`), one team member in a hundred has roles that gain `create` and lose
 * `watch` on pods, and bindings with one more User.
 */
function item(i: number, changed = false): string {
  const n = Math.floor(i / 5); // the ServiceAccount, Role, RoleBinding, ClusterRole and ClusterRoleBinding of one team member
  const change = isChanged(n, changed);
  const ns = `team-${String(n % NAMESPACES).padStart(4, '0')}`;
  const meta = (name: string, namespaced: boolean) => [
    '  metadata:',
    '    creationTimestamp: "2026-11-20T10:00:00Z"',
    '    labels:',
    '      app.kubernetes.io/managed-by: team-operator',
    `      app.kubernetes.io/part-of: ${ns}`,
    `    name: ${name}`,
    ...(namespaced ? [`    namespace: ${ns}`] : []),
    `    resourceVersion: "${100000 + i}"`,
    `    uid: 6f1c${String(i).padStart(8, '0')}-1d2e-4c3b-9a8f-0123456789ab`,
  ];
  const rules = [
    '  rules:', '  - apiGroups:', '    - ""', '    resources:', '    - configmaps', '    - pods', '    - pods/log',
    '    verbs:', '    - get', '    - list', ...(change ? ['    - create'] : ['    - watch']),
    '  - apiGroups:', '    - ""', '    resourceNames:', `    - secret-${n}`, '    resources:', '    - secrets', '    verbs:', '    - get',
  ];
  const binding = (roleKind: string, role: string) => [
    '  roleRef:', '    apiGroup: rbac.authorization.k8s.io', `    kind: ${roleKind}`, `    name: ${role}`,
    '  subjects:', '  - kind: ServiceAccount', `    name: sa-${n}`, `    namespace: ${ns}`,
    '  - apiGroup: rbac.authorization.k8s.io', '    kind: User', `    name: user-${n % 1000}`,
    ...(change ? ['  - apiGroup: rbac.authorization.k8s.io', '    kind: User', `    name: reviewer-${n}`] : []),
  ];
  const lines = [
    ['- apiVersion: rbac.authorization.k8s.io/v1', '  kind: Role', ...meta(`role-${n}`, true), ...rules],
    ['- apiVersion: rbac.authorization.k8s.io/v1', '  kind: RoleBinding', ...meta(`rb-${n}`, true), ...binding('Role', `role-${n}`)],
    ['- apiVersion: rbac.authorization.k8s.io/v1', '  kind: ClusterRole', ...meta(`cr-${n}`, false), ...rules],
    ['- apiVersion: rbac.authorization.k8s.io/v1', '  kind: ClusterRoleBinding', ...meta(`crb-${n}`, false), ...binding('ClusterRole', `cr-${n}`)],
    ['- apiVersion: v1', '  kind: ServiceAccount', ...meta(`sa-${n}`, true)],
  ][i % 5];
  return lines.join('\n');
}

/** Writes the dump (or, with `changed`, the changed dump of the access diff) and returns its size in bytes. */
export function writeDump(file: string, objects: number, changed = false): number {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'apiVersion: v1\nitems:\n');
    for (let i = 0; i < objects; i += 1000) {
      const batch: string[] = [];
      for (let j = i; j < Math.min(objects, i + 1000); j++) batch.push(item(j, changed));
      fs.writeSync(fd, `${batch.join('\n')}\n`);
    }
    fs.writeSync(fd, 'kind: List\nmetadata:\n  resourceVersion: ""\n');
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}

/** Runs each command `runs` times, interleaved, and gives each one's median wall and CPU time and largest peak RSS. */
async function timeInterleaved(commands: Record<string, string[]>, runs: number, cwd: string): Promise<Record<string, Record<string, unknown>>> {
  const samples: Record<string, Sample[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) for (const [name, cmd] of Object.entries(commands)) samples[name].push(await measure(cmd, { cwd }));
  return Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, {
    median_s: round3(median(s.map((x) => x.wall_s))), cpu_median_s: medianOf(s.map((x) => x.cpu_s)),
    samples_s: s.map((x) => round3(x.wall_s)), peak_rss_mb: maxOf(s.map((x) => x.peak_rss_mb)),
  }]));
}

/** BENCH_DUMP_OBJECTS (default 40000) and BENCH_DUMP_RUNS (default 3). */
export function dumpSettings(env: NodeJS.ProcessEnv): { objects: number; runs: number } {
  return { objects: Number(env.BENCH_DUMP_OBJECTS ?? 40000), runs: Number(env.BENCH_DUMP_RUNS ?? 3) };
}

/** The dump benchmark; `root` is the project root (with `build/`). */
export async function benchRbacDump(root: string, options: { objects?: number; runs?: number } = {}): Promise<Record<string, unknown>> {
  const objects = options.objects ?? 40000;
  const runs = Math.max(1, options.runs ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-rbac-dump-'));
  try {
    const file = path.join(dir, 'dump.yaml');
    const bytes = writeDump(file, objects);
    const changedFile = path.join(dir, 'dump-changed.yaml');
    writeDump(changedFile, objects, true);
    const cli = [process.execPath, path.join(root, 'build', 'lib', 'cli', 'main.js')];
    const t = await timeInterleaved({
      'js-yaml': [process.execPath, path.join(root, 'build', 'bench', 'rbac-dump.js'), '--load', file],
      'can-i': [...cli, 'can-i', 'get', 'secrets/secret-5', '-n', 'team-0005', '--as', 'system:serviceaccount:team-0005:sa-5', '-f', file],
      'who-can': [...cli, 'who-can', 'get', 'secrets/secret-5', '-n', 'team-0005', '-f', file],
      'matrix': [...cli, 'matrix', '-f', file],
      'escalations': [...cli, 'escalations', '-f', file, '-o', 'json'],
      'diff': [...cli, 'diff', file, changedFile, '-o', 'json'],
    }, runs, root);
    const ratio = round3((t['can-i'].median_s as number) / (t['js-yaml'].median_s as number));
    const escalations = round3((t.escalations.median_s as number) / (t['who-can'].median_s as number));
    const diffTime = round3((t.diff.median_s as number) / (t['can-i'].median_s as number));
    const diffCpu = round3((t.diff.cpu_median_s as number) / (t['can-i'].cpu_median_s as number));
    const diffRss = t.diff.peak_rss_mb !== null && t['can-i'].peak_rss_mb !== null
      ? round3((t.diff.peak_rss_mb as number) / (t['can-i'].peak_rss_mb as number)) : null;
    return {
      objects, bytes, runs, timings: t,
      escalations_vs_who_can: { value: escalations, target: '<= 5', pass: escalations <= 5 },
      can_i_vs_js_yaml: { value: ratio, target: '<= 1.5', pass: ratio <= 1.5 },
      // Issue 25: the access diff of this dump and the changed one (320 roles and bindings) against one can-i.
      diff_vs_can_i: { value: diffTime, target: '<= 2.5', pass: diffTime <= 2.5 },
      // CPU (user+system) as well: on a loaded machine the longer process waits longer for a core.
      diff_cpu_vs_can_i: { value: diffCpu, target: '<= 2.5', pass: diffCpu <= 2.5 },
      diff_peak_rss_vs_can_i: { value: diffRss, target: '<= 2', pass: diffRss !== null && diffRss <= 2 },
      load_average: os.loadavg().map((x) => Math.round(x * 100) / 100),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  if (process.argv[2] === '--load') {
    loadAll(fs.readFileSync(process.argv[3], 'utf8'));
  } else {
    const root = path.resolve(__dirname, '..', '..');
    benchRbacDump(root, dumpSettings(process.env)).then(
      (result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`),
      (err: unknown) => {
        process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  }
}
