// The synth benchmark (issues 6 and 16), in one run: ours (linear synth, one file per tenant),
// stock cdk8s (`app.synth()`, one chart per tenant) and `helm template` of the equivalent chart in
// bench/helm-chart, at 1, 100 and 1,000 tenants, interleaved; a breakdown of ours at the smallest
// and largest count; the default `npx cdk8s synth` split into the app and cdk8s-cli; the offline
// evaluator on the largest output and a CPU profile of ours. Prints a table, the breakdowns and
// the targets, and writes bench/results.json.
//
// Run the compiled JS (what users get): `npm run build && node build/bench/run.js`.
// "ours" runs as cdk8s.yaml's app command does, with scripts/app-pack.js (its pack warmed first, in
// a scratch cache); "ours-no-pack" is the same synth with plain `require`, as an app that imports
// the library without the pack starts.
// Every measurement is a separate process: wall time by the harness; user + system CPU time and
// peak RSS by `/usr/bin/time` (peak RSS polled from /proc/PID/status when that is missing).
//
// Environment (all optional):
//   BENCH_TENANTS=1,100,1000   tenant counts
//   BENCH_RUNS=5               runs per tool and count (at least 3; stock at >= 1000 tenants: 3)
//   BENCH_STOCK_BUDGET_S=240   cap on stock's total time per tenant count (at least one run)
//   BENCH_DISK=1               also measure writing to disk (os.tmpdir()); 0 to skip
//   BENCH_BREAKDOWN=1 BENCH_EVALUATOR=1 BENCH_CDK8S_SYNTH=1 BENCH_PROFILE=1   the extra measurements; 0 to skip
//   BENCH_DUMP=1               the 20 MB / 40,000-object RBAC dump (bench/rbac-dump.ts); 0 to skip
//   BENCH_EVALUATOR_CROSS_MAX=1000  the tenant count for the every-namespace evaluator matrix (quadratic)
//   BENCH_RESULTS=path         where to write results (default bench/results.json)
//   HELM=/path/to/helm         use this helm instead of bench/install-helm.sh's
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { BREAKDOWN_PHASES, medianPhases, PhaseTimes, phasesOf } from './breakdown';
import { checkEquivalence, yamlFilesUnder } from './equivalence';
import { Helm, helmTemplate, installHelm, prepareChart, valuesFile } from './helm';
import { LoadLog } from './load';
import { GNU_TIME, maxOf, measure, median, medianOf, round3, Sample } from './measure';
import { ProcessTimeline } from './phase-clock';
import { benchRbacDump, dumpSettings } from './rbac-dump';
import { summarizeProfile } from './profile-summary';

// ---------------------------------------------------------------------------------------------
// Settings

const ROOT = findRoot(__dirname);
const COMPILED = __filename.endsWith('.js');
const NODE = process.execPath;
const APP_PACK = path.join(ROOT, 'scripts', 'app-pack.js');
const env = process.env;
const flag = (name: string) => (env[name] ?? '1') !== '0';
const SETTINGS = {
  tenants: (env.BENCH_TENANTS ?? '1,100,1000').split(',').map((s) => Number(s.trim())),
  runs: Math.max(3, Number(env.BENCH_RUNS ?? 5)),
  stockBudgetS: Number(env.BENCH_STOCK_BUDGET_S ?? 240),
  stockDiskMax: 100,
  results: path.resolve(env.BENCH_RESULTS ?? path.join(ROOT, 'bench', 'results.json')),
};

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

/** A script next to this one: the compiled .js (with the app pack when asked), or the .ts through sucrase (slower start: say so). */
function benchScript(name: string, pack = false): string[] {
  if (!COMPILED) return [NODE, '-r', 'sucrase/register/ts', path.join(__dirname, `${name}.ts`)];
  return [NODE, ...(pack ? ['-r', APP_PACK] : []), path.join(__dirname, `${name}.js`)];
}

const run = (cmd: string[], runEnv?: NodeJS.ProcessEnv) => measure(cmd, { cwd: ROOT, env: runEnv });

// ---------------------------------------------------------------------------------------------
// The tools

type ToolName = 'ours' | 'ours-no-pack' | 'cdk8s-stock' | 'helm';
type Output = 'tmpfs' | 'disk' | 'stdout';

interface Variant {
  tool: ToolName;
  output: Output;
  /** The command for n tenants writing to outdir. */
  command(n: number, outdir: string): string[];
}

interface Row {
  tool: ToolName;
  output: Output;
  tenants: number;
  median_s: number;
  min_s: number;
  max_s: number;
  median_cpu_s: number | null;
  peak_rss_mb: number | null;
  samples_s: number[];
  note?: string;
}

/** Scratch directories: tmpfs (the rows the targets use) and disk. */
interface Dirs {
  scratch: string;
  disk: string;
  cleanup(): void;
}

function makeDirs(): Dirs {
  const tmpfs = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/cdk8s-api-reader-bench-') : undefined;
  const disk = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-api-reader-bench-'));
  if (!tmpfs) log('bench: no /dev/shm; the "tmpfs" rows are written to os.tmpdir().');
  const cleanup = () => {
    for (const dir of [tmpfs, disk]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  return { scratch: tmpfs ?? disk, disk, cleanup };
}

const synthCommand = (script: string, pack = false) => (n: number, out: string) => [...benchScript(script, pack), String(n), out];
/** Ours as cdk8s.yaml runs the app: through the app pack. */
const oursCommand = synthCommand('synth-ours', true);

function variants(helm: Helm, chart: string, dirs: Dirs): Variant[] {
  const helmVariant = (output: Output): Variant => ({
    tool: 'helm',
    output,
    command: (n, out) => helmTemplate(helm, chart, valuesFile(dirs.scratch, n), output === 'stdout' ? undefined : out),
  });
  const list: Variant[] = [
    { tool: 'ours', output: 'tmpfs', command: oursCommand },
    { tool: 'ours-no-pack', output: 'tmpfs', command: synthCommand('synth-ours') },
    { tool: 'cdk8s-stock', output: 'tmpfs', command: synthCommand('synth-stock') },
    helmVariant('tmpfs'),
    helmVariant('stdout'),
  ];
  if (flag('BENCH_DISK')) {
    list.push(
      { tool: 'ours', output: 'disk', command: oursCommand },
      { tool: 'cdk8s-stock', output: 'disk', command: synthCommand('synth-stock') },
      helmVariant('disk'),
    );
  }
  return list;
}

/**
 * Ours at one tenant, three times: warms the file cache and the app pack (the first run records it,
 * the second writes its code cache), and gives the audit policy for the helm chart.
 */
async function setUpHelmChart(dirs: Dirs): Promise<string> {
  const warm = path.join(dirs.scratch, 'warm');
  for (let i = 0; i < 3; i++) await run(oursCommand(1, warm));
  return prepareChart(ROOT, dirs.scratch, fs.readFileSync(path.join(warm, 'audit', 'audit-policy.yaml'), 'utf8'));
}

/** Equivalence at (up to) 100 tenants, before timing. */
async function checkOutputs(helm: Helm, chart: string, dirs: Dirs): Promise<Record<string, unknown>> {
  const n = Math.min(100, Math.max(...SETTINGS.tenants));
  const out = { ours: path.join(dirs.scratch, 'check-ours'), stock: path.join(dirs.scratch, 'check-stock'), helm: path.join(dirs.scratch, 'check-helm') };
  await run(oursCommand(n, out.ours));
  await run(synthCommand('synth-stock')(n, out.stock));
  await run(helmTemplate(helm, chart, valuesFile(dirs.scratch, n), out.helm));
  const equivalence = checkEquivalence(n, out);
  log(`bench: equivalence at ${n} tenants: ${JSON.stringify(equivalence)}`);
  for (const dir of Object.values(out)) fs.rmSync(dir, { recursive: true, force: true });
  return equivalence;
}

// ---------------------------------------------------------------------------------------------
// The matrix: per tenant count, RUNS rounds, each round every variant once (rotated order)

/** Whether stock may run once more at n tenants (it is quadratic: capped by count and by time budget). */
function stockMayRun(n: number, got: Sample[]): { ok: boolean; note?: string } {
  if (n >= 1000 && got.length >= 3) return { ok: false };
  const spent = got.reduce((a, s) => a + s.wall_s, 0);
  const last = got.length ? got[got.length - 1].wall_s : 0;
  if (got.length >= 1 && spent + last > SETTINGS.stockBudgetS) {
    return { ok: false, note: `stopped after ${got.length} run(s): the next would pass the ${SETTINGS.stockBudgetS} s budget (BENCH_STOCK_BUDGET_S)` };
  }
  return { ok: true };
}

async function measureCount(n: number, all: Variant[], dirs: Dirs): Promise<Row[]> {
  const active = all.filter((v) => !(v.tool === 'cdk8s-stock' && v.output === 'disk' && n > SETTINGS.stockDiskMax));
  const samples = new Map<Variant, Sample[]>(active.map((v) => [v, []]));
  const notes = new Map<Variant, string>();
  for (let round = 0; round < SETTINGS.runs; round++) {
    for (const v of active.map((_, i) => active[(i + round) % active.length])) {
      const got = samples.get(v)!;
      if (v.tool === 'cdk8s-stock') {
        const may = stockMayRun(n, got);
        if (may.note) notes.set(v, may.note);
        if (!may.ok) continue;
      }
      const out = path.join(v.output === 'disk' ? dirs.disk : dirs.scratch, `${v.tool}-${v.output}-${n}`);
      fs.rmSync(out, { recursive: true, force: true });
      const s = await run(v.command(n, out));
      got.push(s);
      log(`  ${n} tenants  ${v.tool}/${v.output}  run ${got.length}: ${s.wall_s.toFixed(3)} s wall, ${s.cpu_s ?? '-'} s CPU, ${s.peak_rss_mb ?? '-'} MB`);
      fs.rmSync(out, { recursive: true, force: true });
    }
  }
  return active.map((v) => toRow(v, n, samples.get(v)!, notes.get(v)));
}

function toRow(v: Variant, n: number, got: Sample[], note: string | undefined): Row {
  const walls = got.map((s) => s.wall_s);
  return {
    tool: v.tool,
    output: v.output,
    tenants: n,
    median_s: round3(median(walls)),
    min_s: round3(Math.min(...walls)),
    max_s: round3(Math.max(...walls)),
    median_cpu_s: medianOf(got.map((s) => s.cpu_s)),
    peak_rss_mb: maxOf(got.map((s) => s.peak_rss_mb)),
    samples_s: walls.map(round3),
    ...(note ? { note } : {}),
  };
}

async function measureAll(all: Variant[], dirs: Dirs, load: LoadLog): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of SETTINGS.tenants) {
    load.record(`before ${n} tenants`);
    rows.push(...(await measureCount(n, all, dirs)));
    load.record(`after ${n} tenants`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The breakdown of ours at the smallest and the largest count

async function breakdownAt(n: number, dirs: Dirs): Promise<{ tenants: number; runs: number; phases: PhaseTimes[] }> {
  const file = path.join(dirs.scratch, `breakdown-${n}.json`);
  const runs: PhaseTimes[][] = [];
  for (let i = 0; i < SETTINGS.runs; i++) {
    const out = path.join(dirs.scratch, `breakdown-out-${n}`);
    const s = await run(oursCommand(n, out), { ...process.env, BENCH_BREAKDOWN_FILE: file });
    runs.push(phasesOf(JSON.parse(fs.readFileSync(file, 'utf8')) as ProcessTimeline, s.wall_s, s.cpu_s));
    fs.rmSync(out, { recursive: true, force: true });
  }
  return { tenants: n, runs: runs.length, phases: medianPhases(runs) };
}

async function measureBreakdowns(dirs: Dirs): Promise<{ tenants: number; runs: number; phases: PhaseTimes[] }[]> {
  const counts = [...new Set([Math.min(...SETTINGS.tenants), Math.max(...SETTINGS.tenants)])];
  const out = [];
  for (const n of counts) out.push(await breakdownAt(n, dirs));
  return out;
}

// ---------------------------------------------------------------------------------------------
// What the app pack costs before it pays: the first synth after a change records the pack, the
// second writes its code cache, the third and later start from both

async function measurePackWarmUp(dirs: Dirs, n: number): Promise<Record<string, number>> {
  const stages = ['records_the_pack_s', 'writes_the_code_cache_s', 'warm_s'] as const;
  const got = stages.map(() => [] as number[]);
  for (let i = 0; i < SETTINGS.runs; i++) {
    const packDir = path.join(dirs.scratch, `app-pack-cold-${i}`);
    const out = path.join(dirs.scratch, 'app-pack-cold-out');
    for (let stage = 0; stage < stages.length; stage++) {
      got[stage].push((await run(oursCommand(n, out), { ...process.env, CDK8S_API_READER_APP_PACK_DIR: packDir })).wall_s);
    }
    fs.rmSync(packDir, { recursive: true, force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
  return { tenants: n, ...Object.fromEntries(stages.map((stage, i) => [stage, round3(median(got[i]))])) };
}

// ---------------------------------------------------------------------------------------------
// The default app as a user runs it: `npx cdk8s synth` in the repo root, and its parts

interface Timed {
  command: string;
  median_s: number;
  median_cpu_s: number | null;
  samples_s: number[];
  peak_rss_mb: number | null;
}

async function measureCdk8sSynth(): Promise<Record<string, unknown>> {
  const distBefore = yamlFilesUnder(path.join(ROOT, 'dist')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
  const npx = path.join(path.dirname(NODE), 'npx');
  const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  const quiet: NodeJS.ProcessEnv = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
  delete quiet.CDK8S_OUTDIR;
  const appAlone: [string, string[]] = ['the app command of cdk8s.yaml, alone', ['sh', '-c', appCommand()]];
  const commands: [string, string[]][] = [
    ['npx cdk8s synth', [fs.existsSync(npx) ? npx : 'npx', 'cdk8s', 'synth']],
    ['node node_modules/.bin/cdk8s synth', [NODE, cli, 'synth']],
    ['node node_modules/.bin/cdk8s --version', [NODE, cli, '--version']],
    appAlone,
    ['node -e 0', [NODE, '-e', '0']],
  ];
  const got = commands.map(() => [] as Sample[]);
  for (let i = 0; i < 2; i++) await run(appAlone[1], quiet); // the app's pack: recorded, then its code cache
  for (let i = 0; i < SETTINGS.runs; i++) {
    for (let c = 0; c < commands.length; c++) got[c].push(await run(commands[c][1], quiet));
  }
  const timed: Timed[] = commands.map(([command], c) => ({
    command,
    median_s: round3(median(got[c].map((s) => s.wall_s))),
    median_cpu_s: medianOf(got[c].map((s) => s.cpu_s)),
    samples_s: got[c].map((s) => round3(s.wall_s)),
    peak_rss_mb: maxOf(got[c].map((s) => s.peak_rss_mb)),
  }));
  const [npxSynth, cliSynth, cliVersion, app, bareNode] = timed;
  const withCheck: NodeJS.ProcessEnv = { ...quiet };
  delete withCheck.CDK8S_CHECK_UPGRADE;
  const upgradeCheck = await run(commands[0][1], withCheck);
  const distAfter = yamlFilesUnder(path.join(ROOT, 'dist')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
  return {
    command: 'npx cdk8s synth (repo root, CDK8S_CHECK_UPGRADE=false)',
    median_s: npxSynth.median_s,
    split: {
      app_s: app.median_s,
      app_cpu_s: app.median_cpu_s,
      cdk8s_cli_s: round3(cliSynth.median_s - app.median_s),
      npx_s: round3(npxSynth.median_s - cliSynth.median_s),
      node_start_s: bareNode.median_s,
    },
    without_CDK8S_CHECK_UPGRADE_s: round3(upgradeCheck.wall_s),
    measured: timed,
    cli_startup_only_s: cliVersion.median_s,
    dist_unchanged: isDeepStrictEqual(distBefore, distAfter),
  };
}

/** The `app:` line of cdk8s.yaml, which cdk8s-cli runs through a shell. */
function appCommand(): string {
  const line = fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8').split('\n').find((l) => l.startsWith('app:'));
  if (!line) throw new Error('bench: cdk8s.yaml has no app: line');
  return line.slice('app:'.length).trim();
}

// ---------------------------------------------------------------------------------------------
// The offline evaluator on the largest output, and a CPU profile of ours

async function measureEvaluator(dirs: Dirs, maxN: number): Promise<Record<string, unknown>> {
  const evalDir = path.join(dirs.scratch, `eval-${maxN}`);
  await run(oursCommand(maxN, evalDir));
  const runMatrix = async (dir: string, scope: string) => {
    const outFile = path.join(dirs.scratch, `matrix-${scope}.json`);
    const s = await run(['sh', '-c', `exec "$@" > "${outFile}"`, 'sh', ...benchScript('evaluate-matrix'), dir, scope]);
    return { wall_s: round3(s.wall_s), peak_rss_mb: s.peak_rss_mb, ...JSON.parse(fs.readFileSync(outFile, 'utf8')) };
  };
  const own: Record<string, unknown>[] = [];
  for (let i = 0; i < 3; i++) own.push(await runMatrix(evalDir, 'own'));
  const mid = own.map((o) => o.wall_s as number).sort((a, b) => a - b)[1];
  // Every ServiceAccount against every tenant namespace: quadratic in tenants (70 M decisions at
  // 1,000 tenants, about a minute), so one run; BENCH_EVALUATOR_CROSS_MAX caps its tenant count.
  const crossN = Math.min(Number(env.BENCH_EVALUATOR_CROSS_MAX ?? 1000), maxN);
  const crossDir = path.join(dirs.scratch, `eval-${crossN}`);
  if (crossN !== maxN) await run(oursCommand(crossN, crossDir));
  return {
    description:
      'every ServiceAccount found x verbs get,list,watch,create,update,patch,delete x resources secrets(name api-access-secret),configmaps,pods,pods/log,serviceaccounts/token x namespaces',
    tenants: maxN,
    own_namespace_plus_foreign: { ...own.find((o) => o.wall_s === mid), samples_s: own.map((o) => o.wall_s) },
    every_namespace_plus_foreign: { tenants: crossN, ...(await runMatrix(crossN === maxN ? evalDir : crossDir, 'all')) },
  };
}

async function profileOurs(dirs: Dirs, maxN: number): Promise<Record<string, unknown>> {
  const profDir = path.join(dirs.scratch, 'profile');
  await run([NODE, '--cpu-prof', `--cpu-prof-dir=${profDir}`, path.join(__dirname, 'synth-ours.js'), String(maxN), path.join(dirs.scratch, 'profile-out')]);
  const file = path.join(profDir, fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))!);
  const keep = path.join(ROOT, 'bench', 'profiles');
  fs.mkdirSync(keep, { recursive: true });
  const kept = path.join(keep, `ours-${maxN}.cpuprofile`);
  fs.copyFileSync(file, kept);
  return { tenants: maxN, file: path.relative(ROOT, kept), ...summarizeProfile(file, ROOT) };
}

// ---------------------------------------------------------------------------------------------
// Targets (issue 16) and the report

interface Target {
  value: number | null;
  target: string;
  pass: boolean | null;
}

const ratio = (a?: number | null, b?: number | null) => (a && b ? Math.round((a / b) * 100) / 100 : null);

/**
 * The median over rounds of a / b within each round (both ran in every round, in round order):
 * two runs of one round saw the same machine, so a machine that changed speed during the run
 * moves this less than the ratio of the medians.
 */
function pairedRatio(a: Row | undefined, b: Row | undefined): number | null {
  if (!a || !b || a.samples_s.length !== b.samples_s.length) return null;
  return ratio(median(a.samples_s.map((x, i) => x / b.samples_s[i])), 1);
}

function target(value: number | null | undefined, limit: number, cmp: '<=' | '>=', unit: string): Target {
  const v = value ?? null;
  return { value: v, target: `${cmp} ${limit}${unit}`, pass: v === null ? null : cmp === '<=' ? v <= limit : v >= limit };
}

const tmpfsRow = (rows: Row[], tool: ToolName, n: number) => rows.find((r) => r.tool === tool && r.output === 'tmpfs' && r.tenants === n);

function evaluateTargets(rows: Row[]): Record<string, Target> {
  const pick = (tool: ToolName, n: number) => tmpfsRow(rows, tool, n);
  const vsHelm = (n: number) => ratio(pick('ours', n)?.median_s, pick('helm', n)?.median_s);
  return {
    ours_vs_helm_at_1: target(vsHelm(1), 2, '<=', 'x helm template'),
    ours_vs_helm_at_100: target(vsHelm(100), 1, '<=', 'x helm template'),
    ours_vs_helm_at_1000: target(vsHelm(1000), 0.5, '<=', 'x helm template'),
    stock_vs_ours_speedup_at_1000: target(ratio(pick('cdk8s-stock', 1000)?.median_s, pick('ours', 1000)?.median_s), 30, '>=', 'x'),
    ours_growth_100_to_1000: target(ratio(pick('ours', 1000)?.median_s, pick('ours', 100)?.median_s), 10, '<=', 'x'),
    ours_peak_rss_mb_at_1000: target(pick('ours', 1000)?.peak_rss_mb, 200, '<=', ' MB'),
  };
}

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? '-' : x.toFixed(digits);
}

function table(rows: string[][], leftColumns = 2): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c < leftColumns ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}

function runsTable(rows: Row[]): string {
  const head = ['tool', 'output', 'tenants', 'median s', 'min s', 'max s', 'CPU s', 'peak RSS MB', 'runs'];
  return table([head, ...rows.map((r) => [r.tool, r.output, String(r.tenants), fmt(r.median_s, 3), fmt(r.min_s, 3), fmt(r.max_s, 3), fmt(r.median_cpu_s, 2), String(r.peak_rss_mb ?? '-'), String(r.samples_s.length)])]);
}

function ratioLines(rows: Row[]): string[] {
  const pick = (tool: ToolName, n: number) => tmpfsRow(rows, tool, n);
  return SETTINGS.tenants.map((n) => {
    const ours = pick('ours', n);
    const helm = pick('helm', n);
    const plain = pick('ours-no-pack', n);
    return `ours / helm at ${String(n).padStart(4)} tenants: wall ${fmt(ratio(ours?.median_s, helm?.median_s))}x (paired by round: ${fmt(pairedRatio(ours, helm))}x), CPU ${fmt(ratio(ours?.median_cpu_s, helm?.median_cpu_s))}x (no pack: ${fmt(ratio(plain?.median_s, helm?.median_s))}x); stock / ours: ${fmt(ratio(pick('cdk8s-stock', n)?.median_s, ours?.median_s))}x`;
  });
}

function breakdownTable(breakdowns: { tenants: number; phases: PhaseTimes[] }[]): string {
  const head = ['phase', ...breakdowns.flatMap((b) => [`${b.tenants}: wall ms`, `${b.tenants}: CPU ms`])];
  const body = BREAKDOWN_PHASES.map((phase, i) => [phase, ...breakdowns.flatMap((b) => [String(b.phases[i].wall_ms), String(b.phases[i].cpu_ms ?? '-')])]);
  return table([head, ...body], 1);
}

function report(results: Results): string {
  const s = results.cdk8s_synth_default_app as { median_s: number; split: Record<string, number> } | null;
  return [
    '',
    results.machine,
    `load average (1, 5, 15 min) and speed probe: ${results.load.readings.map((r) => `${r.label} ${r.loadavg.join(' ')} (${r.probe_ms} ms)`).join('; ')}`,
    ...results.load.warnings.map((w) => `WARNING: ${w}`),
    '',
    runsTable(results.runs),
    '',
    ...ratioLines(results.runs),
    '',
    ...(results.breakdown.length ? ['where ours spends its time (medians):', breakdownTable(results.breakdown), ''] : []),
    ...(results.app_pack_warm_up ? [`app pack at ${results.app_pack_warm_up.tenants} tenant(s): first run (records it) ${fmt(results.app_pack_warm_up.records_the_pack_s, 3)} s, second (writes its code cache) ${fmt(results.app_pack_warm_up.writes_the_code_cache_s, 3)} s, then ${fmt(results.app_pack_warm_up.warm_s, 3)} s`, ''] : []),
    ...(s ? [`npx cdk8s synth (default app): ${fmt(s.median_s, 3)} s = app ${fmt(s.split.app_s, 3)} s (CPU ${fmt(s.split.app_cpu_s, 3)} s) + cdk8s-cli ${fmt(s.split.cdk8s_cli_s, 3)} s + npx ${fmt(s.split.npx_s, 3)} s; bare node start ${fmt(s.split.node_start_s, 3)} s`, ''] : []),
    'targets (wall-time medians, helm template --output-dir on tmpfs):',
    ...Object.entries(results.targets).map(([name, t]) => `  ${t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${name}: ${t.value ?? '-'} (target ${t.target})`),
    ...dumpTargetLines(results.rbac_dump),
    '',
    `written to ${path.relative(process.cwd(), SETTINGS.results) || SETTINGS.results}`,
  ].join('\n');
}

/** The RBAC dump's own targets (wall-time medians of the CLI on the 40,000-object dump), as target lines. */
function dumpTargetLines(dump: Record<string, unknown> | null): string[] {
  if (!dump) return [];
  return ['can_i_vs_js_yaml', 'escalations_vs_who_can'].flatMap((name) => {
    const t = dump[name] as Target | undefined;
    return t ? [`  ${t.pass ? 'PASS' : 'FAIL'}  rbac_dump.${name}: ${t.value} (target ${t.target})`] : [];
  });
}

// ---------------------------------------------------------------------------------------------

interface Results {
  machine: string;
  date: string;
  method: string;
  load: { cores: number; readings: LoadLog['readings']; warnings: string[] };
  helm: { version: string; installed_by: string };
  equivalence: Record<string, unknown>;
  runs: Row[];
  breakdown: { tenants: number; runs: number; phases: PhaseTimes[] }[];
  cdk8s_synth_default_app: Record<string, unknown> | null;
  app_pack_warm_up: Record<string, number> | null;
  evaluator_matrix: Record<string, unknown> | null;
  rbac_dump: Record<string, unknown> | null;
  profile: Record<string, unknown> | null;
  targets: Record<string, Target>;
  /** ours / helm (tmpfs) per tenant count, the median of the within-round ratios. */
  paired_ours_vs_helm: Record<string, number | null>;
}

function describeMachine(helm: Helm, load: LoadLog): string {
  const cpus = os.cpus();
  const first = load.readings[0].loadavg[0];
  const last = load.readings[load.readings.length - 1].loadavg[0];
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ${helm.version}, cdk8s ${require('cdk8s/package.json').version}; load average ${first.toFixed(2)} at start, ${last.toFixed(2)} at end`;
}

function method(dirs: Dirs): string {
  return `median of ${SETTINGS.runs} interleaved runs (cdk8s-stock at >= 1000 tenants: at most 3, within ${SETTINGS.stockBudgetS} s); each run a separate process (${COMPILED ? 'compiled JS in build/' : 'TypeScript through sucrase'}); wall time by the harness, user+system CPU time and peak RSS by ${GNU_TIME ? '/usr/bin/time' : 'polling VmHWM (no CPU time)'}; outputs: tmpfs = ${dirs.scratch}, disk = ${os.tmpdir()}, stdout = helm to /dev/null; ours and stock write one file per tenant (ours also audit/audit-policy.yaml), helm --output-dir one file for all tenants`;
}

function preflight(load: LoadLog): void {
  if (!COMPILED) log('bench: running from TypeScript through sucrase; tool start-up includes transpiling. Prefer `npm run build && node build/bench/run.js`.');
  if (!GNU_TIME) log('bench: /usr/bin/time not found; peak RSS is polled from /proc/PID/status (VmHWM) every 5 ms, and CPU time is not measured.');
  const start = load.record('start');
  if (start.loadavg[0] > load.cores / 2) log(`bench: load average ${start.loadavg.join(' ')} on ${load.cores} cores: other work is running; figures will be noisy.`);
}

async function main(): Promise<void> {
  const started = new Date();
  const load = new LoadLog();
  preflight(load);
  const helm = installHelm(ROOT, log);
  const dirs = makeDirs();
  // The packs of this run (ours and the default app) live and die with its scratch directory.
  process.env.CDK8S_API_READER_APP_PACK_DIR = path.join(dirs.scratch, 'app-pack');
  try {
    const chart = await setUpHelmChart(dirs);
    const equivalence = await checkOutputs(helm, chart, dirs);
    const rows = await measureAll(variants(helm, chart, dirs), dirs, load);
    const breakdown = flag('BENCH_BREAKDOWN') && COMPILED ? await measureBreakdowns(dirs) : [];
    const cdk8sSynth = flag('BENCH_CDK8S_SYNTH') ? await measureCdk8sSynth() : null;
    const appPack = COMPILED ? await measurePackWarmUp(dirs, Math.min(...SETTINGS.tenants)) : null;
    load.record('end');
    const maxN = Math.max(...SETTINGS.tenants);
    const evaluator = flag('BENCH_EVALUATOR') ? await measureEvaluator(dirs, maxN) : null;
    const profile = flag('BENCH_PROFILE') && COMPILED ? await profileOurs(dirs, maxN) : null;
    const rbacDump = flag('BENCH_DUMP') && COMPILED ? await benchRbacDump(ROOT, dumpSettings(env)) : null;
    const results: Results = {
      machine: describeMachine(helm, load),
      date: started.toISOString(),
      method: method(dirs),
      load: { cores: load.cores, readings: load.readings, warnings: load.warnings() },
      helm: { version: helm.version, installed_by: helm.how },
      equivalence,
      runs: rows,
      breakdown,
      cdk8s_synth_default_app: cdk8sSynth,
      app_pack_warm_up: appPack,
      evaluator_matrix: evaluator,
      rbac_dump: rbacDump,
      profile,
      targets: evaluateTargets(rows),
      paired_ours_vs_helm: Object.fromEntries(SETTINGS.tenants.map((n) => [String(n), pairedRatio(tmpfsRow(rows, 'ours', n), tmpfsRow(rows, 'helm', n))])),
    };
    fs.writeFileSync(SETTINGS.results, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${report(results)}\n`);
  } finally {
    dirs.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
