/**
 * Throughput check (not a test): writes a 1,000,000-line audit log to a temp file, then times
 * parse + filter + summary over it and samples peak RSS.
 *
 *   node -r sucrase/register/ts test/audit/throughput.ts [LINES]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AuditSummary, compileFilter, logInputs, readAuditBatches } from '../../lib/audit';
import { auditEvent, saUser } from './events';

async function main(): Promise<void> {
  const lines = Number(process.argv[2] ?? 1_000_000);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'audit-bench-')), 'audit.log');
  const users = Array.from({ length: 50 }, (_, i) => saUser(`ns-${i % 10}`, `reader-${i}-sa`));
  const resources = ['secrets', 'configmaps', 'pods', 'services', 'deployments'];
  const out = fs.createWriteStream(file);
  for (let i = 0; i < lines; i++) {
    const user = users[i % users.length] as { username: string };
    const ns = user.username.split(':')[2];
    const line = JSON.stringify(auditEvent({
      auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      user,
      objectRef: { resource: resources[i % resources.length], namespace: ns, name: `obj-${i % 100}`, apiVersion: 'v1' },
      requestURI: `/api/v1/namespaces/${ns}/${resources[i % resources.length]}/obj-${i % 100}`,
      requestReceivedTimestamp: new Date(Date.UTC(2024, 4, 1) + i * 10).toISOString(),
      annotations: i % 7 === 0
        ? { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' }
        : { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': `RBAC: allowed by RoleBinding "r/${ns}" of ClusterRole "c" to ServiceAccount "s/${ns}"` },
    }));
    if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  const bytes = fs.statSync(file).size;

  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const keep = compileFilter({ decision: 'allow' });
  const summary = new AuditSummary();
  let records = 0;
  const start = process.hrtime.bigint();
  for await (const batch of readAuditBatches(logInputs([file], () => process.stdin), { onProblem: () => undefined })) {
    for (const r of batch) {
      records++;
      if (keep(r)) summary.add(r);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  // The ceiling: JSON.parse alone over the same kind of line, in this process.
  const head = Buffer.alloc(2_000_000);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const sample = head.toString('utf8').split('\n').slice(0, 1000);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < 200_000; i++) JSON.parse(sample[i % 1000]);
  const parseRate = 200_000 / (Number(process.hrtime.bigint() - t0) / 1e9);

  console.log(JSON.stringify({
    lines, records, bytes, seconds: +seconds.toFixed(2), eventsPerSecond: Math.round(records / seconds),
    mbPerSecond: +(bytes / 1e6 / seconds).toFixed(1), peakRssMb: Math.round(peak / 1e6), baselineRssMb: Math.round(baseline / 1e6),
    summaryRows: summary.rows().length, jsonParseOnlyPerSecond: Math.round(parseRate), loadAverage: os.loadavg()[0],
  }));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

void main();
