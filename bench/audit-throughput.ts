// The audit-log benchmark of issue 8: `api-reader audit LOG -o summary` on a generated
// 1,000,000-line audit.k8s.io/v1 log (Metadata level, the size and shape kube-apiserver writes),
// as users run it: the built CLI in a process of its own. Prints one line of JSON on stdout:
//
//   { "events": N, "seconds": s, "events_per_s": x, "peak_rss_mb": y }
//
// events: the requests the summary counted (checked against the lines written); seconds: wall time
// of the CLI process (median of the runs), node's start-up included; peak_rss_mb: the largest peak
// RSS of the runs (by /usr/bin/time %M, or VmHWM polled from /proc when that is missing).
// Details (file size, worker threads, each run, load average) go to stderr.
//
// Run the compiled JS: `npm run build && node build/bench/audit-throughput.js`.
//
// Environment (all optional):
//   BENCH_AUDIT_LINES=1000000   lines in the generated log
//   BENCH_AUDIT_RUNS=3          runs (the median time is reported)
//   BENCH_AUDIT_WORKERS=N       pass --workers N (default: the CLI decides; 0 = one thread)
//   BENCH_AUDIT_GZIP=1          gzip the log first (measures the gunzip path)
//   BENCH_AUDIT_VIEW=summary    the view: summary (default), table, json (every request must be
//                               one row / one line), or advise (`--advise` for every subject: 50
//                               service accounts, one section each; the output must hold the 50)
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';

const ROOT = findRoot(__dirname);
const MAIN = path.join(ROOT, 'build', 'lib', 'cli', 'main.js');
const GNU_TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const LINES = Number(process.env.BENCH_AUDIT_LINES ?? 1_000_000);
const RUNS = Math.max(1, Number(process.env.BENCH_AUDIT_RUNS ?? 3));
const WORKERS = process.env.BENCH_AUDIT_WORKERS;
const GZIP = process.env.BENCH_AUDIT_GZIP === '1';
const VIEW = process.env.BENCH_AUDIT_VIEW ?? 'summary';
if (!['summary', 'table', 'json', 'advise'].includes(VIEW)) throw new Error(`BENCH_AUDIT_VIEW must be summary, table, json or advise, not ${JSON.stringify(VIEW)}`);
const ADVISE = VIEW === 'advise';
/** Streamed views are counted as they arrive (one row or line per request), never held whole. */
const STREAMED = VIEW === 'table' || VIEW === 'json';
const SUBJECTS = 50;

function findRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error(`no package.json above ${dir}`);
  }
}

function log(message: string): void {
  process.stderr.write(`[audit-bench] ${message}\n`);
}

/** One event as kube-apiserver writes it at Metadata level: 50 service accounts, 5 resources, 1 in 7 forbidden. */
function eventLine(i: number): string {
  const sa = i % 50;
  const ns = `ns-${sa % 10}`;
  const resource = ['secrets', 'configmaps', 'pods', 'services', 'endpoints'][i % 5];
  const name = `obj-${i % 100}`;
  const forbid = i % 7 === 0;
  const t = new Date(Date.UTC(2024, 4, 1) + i * 10).toISOString().replace('Z', '000Z');
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/${ns}/${resource}/${name}`,
    verb: 'get',
    user: {
      username: `system:serviceaccount:${ns}:reader-${sa}-sa`,
      uid: `0b7c9a51-5c1e-4a43-9d0e-${String(sa).padStart(12, '0')}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      extra: { 'authentication.kubernetes.io/pod-name': [`reader-${sa}-pod`] },
    },
    sourceIPs: ['10.244.0.7'],
    userAgent: 'curl/8.10.1',
    objectRef: { resource, namespace: ns, name, apiVersion: 'v1' },
    responseStatus: forbid ? { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 } : { metadata: {}, code: 200 },
    requestReceivedTimestamp: t,
    stageTimestamp: t,
    annotations: forbid
      ? { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' }
      : { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by RoleBinding "reader-${sa}-rb/${ns}" of ClusterRole "reader-${sa}-cr" to ServiceAccount "reader-${sa}-sa/${ns}"` },
  });
}

async function generate(file: string): Promise<void> {
  const out = fs.createWriteStream(file, { highWaterMark: 1 << 20 });
  const sink: NodeJS.WritableStream = GZIP ? zlib.createGzip() : out;
  if (GZIP) (sink as zlib.Gzip).pipe(out);
  const done = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  let batch = '';
  for (let i = 0; i < LINES; i++) {
    batch += `${eventLine(i)}\n`;
    if (batch.length > 1 << 20 || i === LINES - 1) {
      if (!sink.write(batch)) await new Promise<void>((r) => sink.once('drain', () => r()));
      batch = '';
    }
  }
  sink.end();
  await done;
}

interface Run {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly events: number;
}

/** Runs the CLI once; wall time measured here, peak RSS by /usr/bin/time or VmHWM polling. */
function runOnce(file: string, scratch: string): Promise<Run> {
  const view = ADVISE ? ['--advise'] : ['-o', VIEW];
  const cmd = [process.execPath, MAIN, 'audit', file, ...view, ...(WORKERS !== undefined ? ['--workers', WORKERS] : [])];
  const timeFile = path.join(scratch, 'time.txt');
  const argv = GNU_TIME ? [GNU_TIME, '-f', '%M', '-o', timeFile, ...cmd] : cmd;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let polledKb = 0;
    const poll = GNU_TIME ? undefined : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) polledKb = Math.max(polledKb, Number(m[1]));
      } catch {
        // the process has just exited
      }
    }, 5);
    let streamedRows = 0;
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (!STREAMED) {
        stdout += d;
        return;
      }
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      // json: one object per line; table: one row per line that starts with a timestamp.
      streamedRows += lines.filter((l) => (VIEW === 'json' ? l.startsWith('{') : /^\d{4}-\d\d-\d\dT/.test(l))).length;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (poll) clearInterval(poll);
      if (code !== 0) return reject(new Error(`api-reader audit exited with ${code}: ${stderr.trim()}`));
      const kb = GNU_TIME ? Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : polledKb;
      // The summary's TOTAL column: every request counted once. Advice has no counts: it must hold
      // one section per subject, and then every line was read.
      const sections = (stdout.match(/^# ==== \d+ of \d+: /gm) ?? []).length;
      const events = STREAMED ? streamedRows : ADVISE
        ? (sections === SUBJECTS ? LINES : sections)
        : stdout.trim().split('\n').slice(1).reduce((n, line) => n + Number(line.trim().split(/\s+/).pop()), 0);
      resolve({ seconds, peakRssMb: Math.round(kb / 1024), events });
    });
  });
}

async function main(): Promise<void> {
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first.`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-bench-'));
  try {
    const file = path.join(scratch, GZIP ? 'audit.log.gz' : 'audit.log');
    const t0 = Date.now();
    await generate(file);
    const bytes = fs.statSync(file).size;
    log(`generated ${LINES} lines, ${(bytes / 1e6).toFixed(0)} MB${GZIP ? ' gzip' : ''}, in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${file}`);
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await runOnce(file, scratch);
      if (r.events !== LINES) throw new Error(ADVISE ? `the advice has ${r.events} sections, not ${SUBJECTS}` : `the ${VIEW} view counted ${r.events} requests, not ${LINES}`);
      log(`run ${i + 1}/${RUNS}: ${r.seconds.toFixed(2)} s, ${Math.round(r.events / r.seconds)} events/s, peak RSS ${r.peakRssMb} MB`);
      runs.push(r);
    }
    const seconds = [...runs].map((r) => r.seconds).sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    const peak = Math.max(...runs.map((r) => r.peakRssMb));
    log(`workers: ${WORKERS ?? `auto (${os.availableParallelism()} cores)`}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    process.stdout.write(`${JSON.stringify({ view: ADVISE ? 'advise (all subjects)' : VIEW, events: LINES, seconds: +seconds.toFixed(3), events_per_s: Math.round(LINES / seconds), peak_rss_mb: peak })}\n`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  process.stderr.write(`audit-throughput: ${e.message}\n`);
  process.exit(1);
});
