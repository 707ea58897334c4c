// The synth benchmark of issue 6, in one run: ours (linear synth, one file per tenant), stock
// cdk8s (`app.synth()`, one chart per tenant) and `helm template` of the equivalent chart in
// bench/helm-chart, at 1, 100 and 1,000 tenants; then the default `cdk8s synth`, the offline
// evaluator on the 1,000-tenant output and a CPU profile of ours. Prints a table and the
// ratios against the issue's targets and writes bench/results.json.
//
// Run the compiled JS (what users get): `npm run build && node build/bench/run.js`.
// Every measurement is a separate process, timed by wall clock here, peak RSS by
// `/usr/bin/time -f %M` (or by polling /proc/PID/status VmHWM when that is missing).
//
// Environment (all optional):
//   BENCH_TENANTS=1,100,1000   tenant counts
//   BENCH_RUNS=5               runs per tool and count (at least 3; stock at >= 1000 tenants: 3)
//   BENCH_STOCK_BUDGET_S=240   cap on stock's total time per tenant count (at least one run)
//   BENCH_DISK=1               also measure writing to disk (os.tmpdir()); 0 to skip
//   BENCH_EVALUATOR=1 BENCH_CDK8S_SYNTH=1 BENCH_PROFILE=1   the extra measurements; 0 to skip
//   BENCH_EVALUATOR_CROSS_MAX=1000  the tenant count for the every-namespace evaluator matrix (quadratic)
//   BENCH_RESULTS=path         where to write results (default bench/results.json)
//   HELM=/path/to/helm         use this helm instead of bench/install-helm.sh's
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { parseAllDocuments } from 'yaml';
import { READER_SCRIPT } from '../lib';

// ---------------------------------------------------------------------------------------------
// Setup

const ROOT = findRoot(__dirname);
const COMPILED = __filename.endsWith('.js');
const NODE = process.execPath;
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const env = process.env;
const TENANTS = (env.BENCH_TENANTS ?? '1,100,1000').split(',').map((s) => Number(s.trim()));
const RUNS = Math.max(3, Number(env.BENCH_RUNS ?? 5));
const STOCK_BUDGET_S = Number(env.BENCH_STOCK_BUDGET_S ?? 240);
const STOCK_DISK_MAX = 100;
const flag = (name: string) => (env[name] ?? '1') !== '0';
const RESULTS = path.resolve(env.BENCH_RESULTS ?? path.join(ROOT, 'bench', 'results.json'));

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'cdk8s-api-reader') return dir;
    if (path.dirname(dir) === dir) throw new Error(`bench: no cdk8s-api-reader package.json above ${start}`);
  }
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** A script next to this one: the compiled .js, or the .ts through sucrase (slower start: say so). */
function benchScript(name: string): string[] {
  return COMPILED ? [NODE, path.join(__dirname, `${name}.js`)] : [NODE, '-r', 'sucrase/register/ts', path.join(__dirname, `${name}.ts`)];
}

// ---------------------------------------------------------------------------------------------
// Measuring one process

interface Sample {
  wall_s: number;
  peak_rss_mb: number | null;
}

async function measure(cmd: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Sample> {
  const timeFile = path.join(os.tmpdir(), `bench-time-${process.pid}.txt`);
  const argv = GNU_TIME ? [GNU_TIME, '-f', '%e %M', '-o', timeFile, ...cmd] : cmd;
  const start = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd ?? ROOT, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  let polledKb = 0;
  const poll = GNU_TIME
    ? undefined
    : setInterval(() => {
        try {
          const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
          if (m) polledKb = Math.max(polledKb, Number(m[1]));
        } catch {
          // exited
        }
      }, 5);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (poll) clearInterval(poll);
  if (code !== 0) throw new Error(`bench: ${cmd.join(' ')} exited ${code}:\n${stderr}`);
  let rssKb: number | null = polledKb || null;
  if (GNU_TIME) {
    const fields = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ');
    rssKb = Number(fields[1]);
    fs.rmSync(timeFile, { force: true });
  }
  return { wall_s: wall, peak_rss_mb: rssKb === null ? null : Math.round(rssKb / 1024) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const maxOf = (xs: (number | null)[]) => (xs.every((x) => x === null) ? null : Math.max(...xs.map((x) => x ?? 0)));

// ---------------------------------------------------------------------------------------------
// The tools

type ToolName = 'ours' | 'cdk8s-stock' | 'helm';
type Output = 'tmpfs' | 'disk' | 'stdout';

interface Variant {
  tool: ToolName;
  output: Output;
  /** The command for n tenants writing to outdir. */
  command(n: number, outdir: string): string[];
}

interface Run {
  tool: ToolName;
  output: Output;
  tenants: number;
  median_s: number;
  min_s: number;
  max_s: number;
  peak_rss_mb: number | null;
  samples_s: number[];
  note?: string;
}

function helmVariant(helm: string, chart: string, values: (n: number) => string, output: Output): Variant {
  return {
    tool: 'helm',
    output,
    command: (n, outdir) =>
      output === 'stdout'
        ? [helm, 'template', 'bench', chart, '-f', values(n)]
        : [helm, 'template', 'bench', chart, '-f', values(n), '--output-dir', outdir],
  };
}

function installHelm(): { helm: string; how: string } {
  if (env.HELM) return { helm: env.HELM, how: `HELM=${env.HELM}` };
  log('bench: installing helm with bench/install-helm.sh (builds it from its Go module once, then cached)...');
  const out = execFileSync('bash', [path.join(ROOT, 'bench', 'install-helm.sh')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }).toString().trim().split('\n');
  const helm = out[out.length - 1];
  return { helm, how: `bench/install-helm.sh: go install helm.sh/helm/v3/cmd/helm (module proxy, local toolchain) -> ${helm}` };
}

/** The chart in a scratch directory, with the reader script and the audit policy written from the library. */
function prepareChart(scratch: string, auditPolicy: string): string {
  const chart = path.join(scratch, 'helm-chart');
  fs.cpSync(path.join(ROOT, 'bench', 'helm-chart'), chart, { recursive: true });
  fs.mkdirSync(path.join(chart, 'files'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'files', 'read-secret.sh'), READER_SCRIPT);
  fs.writeFileSync(path.join(chart, 'files', 'audit-policy.yaml'), auditPolicy);
  return chart;
}

function tenantNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Checks: the tools produce the same objects

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml')) out.push(path.join(entry.parentPath, entry.name));
  }
  return out.sort();
}

function documents(files: string[]): unknown[] {
  return files.flatMap((f) =>
    parseAllDocuments(fs.readFileSync(f, 'utf8'))
      .map((d) => d.toJS())
      .filter((d) => d !== null),
  );
}

const key = (o: unknown) => {
  const x = o as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return `${x.kind}/${x.metadata?.namespace ?? ''}/${x.metadata?.name ?? ''}`;
};

/** Ours vs stock byte for byte (chart files), ours vs helm object for object. */
function checkEquivalence(n: number, dirs: { ours: string; stock: string; helm: string }): Record<string, unknown> {
  const ours = yamlFilesUnder(dirs.ours);
  const oursCharts = ours.filter((f) => !f.includes(`${path.sep}audit${path.sep}`));
  const stock = yamlFilesUnder(dirs.stock);
  const byteIdentical =
    oursCharts.length === stock.length &&
    oursCharts.every((f, i) => path.basename(f) === path.basename(stock[i]) && fs.readFileSync(f, 'utf8') === fs.readFileSync(stock[i], 'utf8'));
  const oursDocs = documents(ours);
  const helmDocs = documents(yamlFilesUnder(dirs.helm));
  const sorted = (docs: unknown[]) => [...docs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  const sameObjects = isDeepStrictEqual(sorted(oursDocs), sorted(helmDocs));
  let firstDifference: string | undefined;
  if (!sameObjects) {
    const h = new Map(helmDocs.map((d) => [key(d), d]));
    const diff = oursDocs.find((d) => !isDeepStrictEqual(h.get(key(d)), d));
    firstDifference = diff ? key(diff) : `helm has ${helmDocs.length} objects, ours ${oursDocs.length}`;
  }
  const bytes = (files: string[]) => files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
  return {
    tenants: n,
    ours_objects: oursDocs.length,
    ours_files: ours.length,
    ours_bytes: bytes(ours),
    helm_objects: helmDocs.length,
    helm_bytes: bytes(yamlFilesUnder(dirs.helm)),
    stock_files: stock.length,
    ours_equals_stock_bytes: byteIdentical,
    ours_equals_helm_objects: sameObjects,
    ...(firstDifference ? { first_difference: firstDifference } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// The CPU profile

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Functions whose inclusive time the profile summary reports (require, build, validate/resolve, render, write). */
const INCLUSIVE = [
  'require (nested Module._load)',
  'addTenants',
  'synthToDirectory',
  'synthAppLinear',
  '_synthChart',
  'resolveDependencies',
  'validate',
  'chartObjects',
  'topology',
  'toJson',
  'resolve',
  'stringifyDocuments',
  'writeFileSync',
  'swapInto',
  'writeAuditPolicies',
];

/** Self time by function and by module from a .cpuprofile. */
function summarizeProfile(file: string): Record<string, unknown> {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const moduleOf = (url: string, fn: string) => {
    if (!url) return fn.startsWith('(') ? fn : '(native/builtin)';
    if (url.startsWith('node:')) return 'node: core';
    const nm = url.lastIndexOf('/node_modules/');
    if (nm >= 0) {
      const rest = url.slice(nm + 14).split('/');
      const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
      const inner = pkg === 'cdk8s' || pkg === 'cdk8s-plus-27' ? `/${rest.slice(pkg.startsWith('@') ? 2 : 1).join('/')}` : '';
      return `${pkg}${inner.replace(/^\/lib\//, ':')}`;
    }
    const rel = path.relative(ROOT, url.replace(/^file:\/\//, ''));
    return rel.startsWith('..') ? url : rel;
  };
  const fnAgg = new Map<string, number>();
  const modAgg = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${mod}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;
    fnAgg.set(fn, (fnAgg.get(fn) ?? 0) + t);
    modAgg.set(mod, (modAgg.get(mod) ?? 0) + t);
  }
  // Inclusive time of the phases we care about (a sample counts once per name on its stack).
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>(INCLUSIVE.map((name) => [name, 0]));
  // Where each module's self time is entered from (the nearest caller outside the module).
  const enteredFrom = new Map<string, Map<string, number>>();
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const seen = new Set<string>();
    let loads = 0;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      let name = byId.get(at)!.callFrame.functionName;
      // The entry script itself runs inside Module._load: count only nested loads (require).
      if (name === 'Module._load' && ++loads < 2) continue;
      if (name === 'Module._load') name = 'require (nested Module._load)';
      if (inclusive.has(name) && !seen.has(name)) {
        seen.add(name);
        inclusive.set(name, inclusive.get(name)! + dt);
      }
    }
    const leaf = byId.get(id)!.callFrame;
    const mod = moduleOf(leaf.url, leaf.functionName);
    for (let at = parent.get(id); at !== undefined; at = parent.get(at)) {
      const f = byId.get(at)!.callFrame;
      const m = moduleOf(f.url, f.functionName);
      if (m !== mod && f.url) {
        const caller = `${f.functionName || '(anonymous)'} ${m}`;
        const perModule = enteredFrom.get(mod) ?? new Map<string, number>();
        perModule.set(caller, (perModule.get(caller) ?? 0) + dt);
        enteredFrom.set(mod, perModule);
        break;
      }
    }
  });
  const top = (m: Map<string, number>, k: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => ({ name, self_ms: Math.round(us / 1000), pct: Math.round((1000 * us) / total) / 10 }));
  return {
    sampled_ms: Math.round(total / 1000),
    top_functions: top(fnAgg, 15),
    top_modules: top(modAgg, 12).map((m) => ({ ...m, entered_from: enteredFrom.has(m.name) ? top(enteredFrom.get(m.name)!, 3).map((c) => `${c.name} ${c.self_ms} ms`) : [] })),
    inclusive: top(inclusive, INCLUSIVE.length).filter((x) => x.self_ms > 0).map(({ name, self_ms, pct }) => ({ name, total_ms: self_ms, pct })),
  };
}

// ---------------------------------------------------------------------------------------------

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '-' : x.toFixed(digits);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = os.loadavg();
  if (!COMPILED) log('bench: running from TypeScript through sucrase; tool start-up includes transpiling. Prefer `npm run build && node build/bench/run.js`.');
  if (!GNU_TIME) log('bench: /usr/bin/time not found; peak RSS is polled from /proc/PID/status (VmHWM) every 5 ms.');
  if (loadBefore[0] > 0.5) log(`bench: load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')}: other work is running; figures will be noisy.`);

  const { helm, how: helmHow } = installHelm();
  const helmVersion = execFileSync(helm, ['version', '--short']).toString().trim();

  const tmpfsRoot = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/cdk8s-api-reader-bench-') : undefined;
  const diskRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-api-reader-bench-'));
  const scratch = tmpfsRoot ?? diskRoot;
  if (!tmpfsRoot) log('bench: no /dev/shm; the "tmpfs" rows are written to os.tmpdir().');
  const cleanup = () => {
    for (const dir of [tmpfsRoot, diskRoot]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  try {
    // Ours once at one tenant: warms the file cache and gives the audit policy for the chart.
    const warm = path.join(scratch, 'warm');
    await measure([...benchScript('synth-ours'), '1', warm]);
    const chart = prepareChart(scratch, fs.readFileSync(path.join(warm, 'audit', 'audit-policy.yaml'), 'utf8'));
    const values = (n: number) => {
      const file = path.join(scratch, `values-${n}.yaml`);
      if (!fs.existsSync(file)) fs.writeFileSync(file, `tenants:\n${tenantNames(n).map((t) => `  - name: ${t}\n`).join('')}`);
      return file;
    };

    const variants: Variant[] = [
      { tool: 'ours', output: 'tmpfs', command: (n, out) => [...benchScript('synth-ours'), String(n), out] },
      { tool: 'cdk8s-stock', output: 'tmpfs', command: (n, out) => [...benchScript('synth-stock'), String(n), out] },
      helmVariant(helm, chart, values, 'tmpfs'),
      helmVariant(helm, chart, values, 'stdout'),
    ];
    if (flag('BENCH_DISK')) {
      variants.push(
        { tool: 'ours', output: 'disk', command: (n, out) => [...benchScript('synth-ours'), String(n), out] },
        { tool: 'cdk8s-stock', output: 'disk', command: (n, out) => [...benchScript('synth-stock'), String(n), out] },
        helmVariant(helm, chart, values, 'disk'),
      );
    }
    const outdirFor = (v: Variant, n: number) => path.join(v.output === 'disk' ? diskRoot : scratch, `${v.tool}-${v.output}-${n}`);

    // Equivalence at (up to) 100 tenants, before timing.
    const checkN = Math.min(100, Math.max(...TENANTS));
    const checkDirs = { ours: path.join(scratch, 'check-ours'), stock: path.join(scratch, 'check-stock'), helm: path.join(scratch, 'check-helm') };
    await measure([...benchScript('synth-ours'), String(checkN), checkDirs.ours]);
    await measure([...benchScript('synth-stock'), String(checkN), checkDirs.stock]);
    await measure(helmVariant(helm, chart, values, 'tmpfs').command(checkN, checkDirs.helm));
    const equivalence = checkEquivalence(checkN, checkDirs);
    log(`bench: equivalence at ${checkN} tenants: ${JSON.stringify(equivalence)}`);
    for (const dir of Object.values(checkDirs)) fs.rmSync(dir, { recursive: true, force: true });

    // The matrix: per tenant count, RUNS rounds, each round every variant once (rotated order).
    const runs: Run[] = [];
    for (const n of TENANTS) {
      const active = variants.filter((v) => !(v.tool === 'cdk8s-stock' && v.output === 'disk' && n > STOCK_DISK_MAX));
      const samples = new Map<Variant, Sample[]>(active.map((v) => [v, []]));
      const notes = new Map<Variant, string>();
      for (let round = 0; round < RUNS; round++) {
        const order = active.map((_, i) => active[(i + round) % active.length]);
        for (const v of order) {
          const got = samples.get(v)!;
          if (v.tool === 'cdk8s-stock') {
            const spent = got.reduce((a, s) => a + s.wall_s, 0);
            const last = got.length ? got[got.length - 1].wall_s : 0;
            if (n >= 1000 && got.length >= 3) continue;
            if (got.length >= 1 && spent + last > STOCK_BUDGET_S) {
              notes.set(v, `stopped after ${got.length} run(s): the next would pass the ${STOCK_BUDGET_S} s budget (BENCH_STOCK_BUDGET_S)`);
              continue;
            }
          }
          const out = outdirFor(v, n);
          fs.rmSync(out, { recursive: true, force: true });
          const s = await measure(v.command(n, out));
          got.push(s);
          log(`  ${n} tenants  ${v.tool}/${v.output}  run ${got.length}: ${s.wall_s.toFixed(3)} s, ${s.peak_rss_mb ?? '-'} MB`);
          fs.rmSync(out, { recursive: true, force: true });
        }
      }
      for (const v of active) {
        const got = samples.get(v)!;
        const walls = got.map((s) => s.wall_s);
        runs.push({
          tool: v.tool,
          output: v.output,
          tenants: n,
          median_s: round3(median(walls)),
          min_s: round3(Math.min(...walls)),
          max_s: round3(Math.max(...walls)),
          peak_rss_mb: maxOf(got.map((s) => s.peak_rss_mb)),
          samples_s: walls.map(round3),
          ...(notes.has(v) ? { note: notes.get(v) } : {}),
        });
      }
    }

    // The default app as a user runs it: `npx cdk8s synth` in the repo root.
    let cdk8sSynth: Record<string, unknown> | undefined;
    if (flag('BENCH_CDK8S_SYNTH')) {
      const distBefore = yamlFilesUnder(path.join(ROOT, 'dist')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
      const npx = path.join(path.dirname(NODE), 'npx');
      const cmd = [fs.existsSync(npx) ? npx : 'npx', 'cdk8s', 'synth'];
      const quiet: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
      delete quiet.CDK8S_OUTDIR;
      const withCheck: NodeJS.ProcessEnv = { ...quiet };
      delete withCheck.CDK8S_CHECK_UPGRADE;
      const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
      const synthSamples: Sample[] = [];
      const appSamples: Sample[] = [];
      const directSamples: Sample[] = [];
      const versionSamples: Sample[] = [];
      for (let i = 0; i < RUNS; i++) {
        synthSamples.push(await measure(cmd, { env: quiet }));
        directSamples.push(await measure([NODE, cli, 'synth'], { env: quiet }));
        versionSamples.push(await measure([NODE, cli, '--version'], { env: quiet }));
        appSamples.push(await measure([NODE, '-r', './scripts/register-ts.js', 'main.ts'], { env: quiet }));
      }
      const summary = (command: string, got: Sample[]) => ({
        command,
        median_s: round3(median(got.map((s) => s.wall_s))),
        samples_s: got.map((s) => round3(s.wall_s)),
        peak_rss_mb: maxOf(got.map((s) => s.peak_rss_mb)),
      });
      const upgradeCheck = await measure(cmd, { env: withCheck });
      const distAfter = yamlFilesUnder(path.join(ROOT, 'dist')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
      const walls = synthSamples.map((s) => s.wall_s);
      cdk8sSynth = {
        command: 'npx cdk8s synth (repo root, CDK8S_CHECK_UPGRADE=false)',
        median_s: round3(median(walls)),
        samples_s: walls.map(round3),
        peak_rss_mb: maxOf(synthSamples.map((s) => s.peak_rss_mb)),
        without_CDK8S_CHECK_UPGRADE_s: round3(upgradeCheck.wall_s),
        breakdown: {
          cli_without_npx: summary('node node_modules/.bin/cdk8s synth', directSamples),
          cli_startup_only: summary('node node_modules/.bin/cdk8s --version', versionSamples),
          app_only: summary('node -r ./scripts/register-ts.js main.ts (what cdk8s.yaml runs)', appSamples),
        },
        dist_unchanged: isDeepStrictEqual(distBefore, distAfter),
      };
      log(`bench: cdk8s synth: ${JSON.stringify(cdk8sSynth)}`);
    }

    // The offline evaluator on the largest output.
    const maxN = Math.max(...TENANTS);
    let evaluator: Record<string, unknown> | undefined;
    if (flag('BENCH_EVALUATOR')) {
      const evalDir = path.join(scratch, `eval-${maxN}`);
      await measure([...benchScript('synth-ours'), String(maxN), evalDir]);
      const runMatrix = async (dir: string, scope: string) => {
        const outFile = path.join(scratch, `matrix-${scope}.json`);
        const s = await measure(['sh', '-c', `exec "$@" > "${outFile}"`, 'sh', ...benchScript('evaluate-matrix'), dir, scope]);
        return { wall_s: round3(s.wall_s), peak_rss_mb: s.peak_rss_mb, ...JSON.parse(fs.readFileSync(outFile, 'utf8')) };
      };
      const own: Record<string, unknown>[] = [];
      for (let i = 0; i < 3; i++) own.push(await runMatrix(evalDir, 'own'));
      const mid = own.map((o) => o.wall_s as number).sort((a, b) => a - b)[1];
      evaluator = {
        description:
          'every ServiceAccount found x verbs get,list,watch,create,update,patch,delete x resources secrets(name api-access-secret),configmaps,pods,pods/log,serviceaccounts/token x namespaces',
        tenants: maxN,
        own_namespace_plus_foreign: { ...own.find((o) => o.wall_s === mid), samples_s: own.map((o) => o.wall_s) },
      };
      // Every ServiceAccount against every tenant namespace: quadratic in tenants (70 M decisions at
      // 1,000 tenants, about a minute), so one run; BENCH_EVALUATOR_CROSS_MAX caps its tenant count.
      const crossN = Math.min(Number(env.BENCH_EVALUATOR_CROSS_MAX ?? 1000), maxN);
      const crossDir = path.join(scratch, `eval-${crossN}`);
      if (crossN !== maxN) await measure([...benchScript('synth-ours'), String(crossN), crossDir]);
      evaluator.every_namespace_plus_foreign = { tenants: crossN, ...(await runMatrix(crossN === maxN ? evalDir : crossDir, 'all')) };
      log(`bench: evaluator: ${JSON.stringify(evaluator)}`);
    }

    // Where ours spends its time at the largest count.
    let profile: Record<string, unknown> | undefined;
    if (flag('BENCH_PROFILE') && COMPILED) {
      const profDir = path.join(scratch, 'profile');
      const out = path.join(scratch, 'profile-out');
      await measure([NODE, '--cpu-prof', `--cpu-prof-dir=${profDir}`, path.join(__dirname, 'synth-ours.js'), String(maxN), out]);
      const file = path.join(profDir, fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!);
      const keep = path.join(ROOT, 'bench', 'profiles');
      fs.mkdirSync(keep, { recursive: true });
      const kept = path.join(keep, `ours-${maxN}.cpuprofile`);
      fs.copyFileSync(file, kept);
      profile = { tenants: maxN, file: path.relative(ROOT, kept), ...summarizeProfile(file) };
    }

    // Ratios and targets.
    const pick = (tool: ToolName, output: Output, n: number) => runs.find((r) => r.tool === tool && r.output === output && r.tenants === n);
    const ours = pick('ours', 'tmpfs', maxN);
    const oursSmall = pick('ours', 'tmpfs', 100);
    const helmRun = pick('helm', 'tmpfs', maxN);
    const helmStdout = pick('helm', 'stdout', maxN);
    const stock = pick('cdk8s-stock', 'tmpfs', maxN);
    const ratio = (a?: number, b?: number) => (a && b ? Math.round((a / b) * 100) / 100 : null);
    const target = (value: number | null | undefined, limit: number, cmp: '<=' | '>=', unit: string) => ({
      value: value ?? null,
      target: `${cmp} ${limit}${unit}`,
      pass: value === null || value === undefined ? null : cmp === '<=' ? value <= limit : value >= limit,
    });
    const targets = {
      [`ours_vs_helm_time_at_${maxN}`]: target(ratio(ours?.median_s, helmRun?.median_s), 1.5, '<=', 'x (helm template --output-dir)'),
      [`ours_vs_helm_stdout_time_at_${maxN}`]: { value: ratio(ours?.median_s, helmStdout?.median_s), note: 'for information: helm to stdout (>/dev/null)' },
      [`stock_vs_ours_speedup_at_${maxN}`]: target(ratio(stock?.median_s, ours?.median_s), 15, '>=', 'x'),
      [`ours_peak_rss_mb_at_${maxN}`]: target(ours?.peak_rss_mb, 300, '<=', ' MB'),
      ours_growth_100_to_1000: target(ratio(pick('ours', 'tmpfs', 1000)?.median_s, oursSmall?.median_s), 12, '<=', 'x'),
      cdk8s_synth_default_app_s: target(cdk8sSynth?.median_s as number | undefined, 1.5, '<=', ' s'),
    };

    const loadAfter = os.loadavg();
    const cpus = os.cpus();
    const results = {
      machine: `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ${helmVersion}, cdk8s ${require('cdk8s/package.json').version}; load average ${loadBefore[0].toFixed(2)} at start, ${loadAfter[0].toFixed(2)} at end`,
      date: started.toISOString(),
      method: `median of ${RUNS} interleaved runs (cdk8s-stock at >= 1000 tenants: at most 3, within ${STOCK_BUDGET_S} s); each run a separate process (${COMPILED ? 'compiled JS in build/' : 'TypeScript through sucrase'}); wall time by the harness, peak RSS by ${GNU_TIME ? '/usr/bin/time %M' : 'polling VmHWM'}; outputs: tmpfs = ${scratch}, disk = ${os.tmpdir()}, stdout = helm to /dev/null; ours and stock write one file per tenant (ours also audit/audit-policy.yaml), helm --output-dir one file for all tenants`,
      load_average: { start: loadBefore, end: loadAfter },
      helm: { version: helmVersion, installed_by: helmHow },
      equivalence,
      runs,
      cdk8s_synth_default_app_s: cdk8sSynth?.median_s ?? null,
      cdk8s_synth_default_app: cdk8sSynth ?? null,
      evaluator_matrix: evaluator ?? null,
      profile: profile ?? null,
      targets,
    };
    fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

    // The report.
    const rows = [['tool', 'output', 'tenants', 'median s', 'min s', 'max s', 'peak RSS MB', 'runs']];
    for (const r of runs) {
      rows.push([r.tool, r.output, String(r.tenants), fmt(r.median_s, 3), fmt(r.min_s, 3), fmt(r.max_s, 3), String(r.peak_rss_mb ?? '-'), String(r.samples_s.length)]);
    }
    const lines = [
      '',
      results.machine,
      '',
      table(rows),
      '',
      `ours vs helm (--output-dir, tmpfs) at ${maxN}:  ${fmt(ratio(ours?.median_s, helmRun?.median_s))}x`,
      `ours vs helm (stdout) at ${maxN}:               ${fmt(ratio(ours?.median_s, helmStdout?.median_s))}x`,
      `stock / ours at ${maxN}:                        ${fmt(ratio(stock?.median_s, ours?.median_s))}x faster`,
      `ours growth 100 -> 1000:                       ${fmt(ratio(pick('ours', 'tmpfs', 1000)?.median_s, oursSmall?.median_s))}x`,
      cdk8sSynth ? `npx cdk8s synth (default app):                ${fmt(cdk8sSynth.median_s as number, 3)} s` : '',
      '',
      'targets:',
      ...Object.entries(targets).map(([name, t]) => `  ${'pass' in t ? (t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL') : 'info'}  ${name}: ${t.value ?? '-'}${'target' in t ? ` (target ${t.target})` : ''}`),
      '',
      `written to ${path.relative(process.cwd(), RESULTS) || RESULTS}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
