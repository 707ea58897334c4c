/**
 * Differential test: our offline RBAC evaluator (lib/rbac, bootstrap policy loaded) against the real
 * API server's RBAC authorizer, asked through SubjectAccessReview, over the same manifests: dist/,
 * every example's synthesized output (examples/<name>/dist* /), and the e2e fixtures (seed scenarios
 * and RBAC corner cases). Every query must get the same `allowed`; allow reasons must match too,
 * except where several bindings allow and the server names another one (reported, not failed:
 * the server's informer cache lists bindings in no particular order).
 *
 * A full report (every query, both answers) is written to e2e/.output/differential-report.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import { authorize, Decision, loadPaths, RbacPolicy, whoCan } from '../lib/rbac';
import { applyAll, waitForServerToCatchUp } from './support/differential';
import { closeAgents, kubectl } from './support/kube';
import { distFiles, exampleFiles, fixtureFiles } from './support/manifests';
import { BASE_NAMESPACES, describeRequest, generateQueries, Query, subjectsOf } from './support/queries';
import { SarAnswer, sarObject, subjectAccessReviews } from './support/sar';
import { clusterState, REPO_ROOT } from './support/state';

const CONCURRENCY = Number(process.env.E2E_SAR_CONCURRENCY ?? 16);
const REPORT = path.join(REPO_ROOT, 'e2e', '.output', 'differential-report.json');

const files = [...distFiles(), ...exampleFiles(), ...fixtureFiles()];
const policy = RbacPolicy.fromLoadResult(loadPaths(files));
const namespaces = [...new Set([...BASE_NAMESPACES, ...policy.namespaces()])].sort();
const queries = generateQueries(policy, subjectsOf(policy, namespaces));
const ours: Decision[] = queries.map((q) => authorize(policy, q.subject.user, q.request));

let answers: SarAnswer[] = [];
let sarMillis = 0;

function log(message: string): void {
  process.stderr.write(`[differential] ${message}\n`);
}

beforeAll(async () => {
  applyAll();
  await waitForServerToCatchUp(queries, ours, CONCURRENCY, log);
  const t0 = Date.now();
  answers = await subjectAccessReviews(queries.map((q) => ({ user: q.subject.user, request: q.request })), CONCURRENCY);
  sarMillis = Date.now() - t0;
});

afterAll(() => {
  closeAgents();
  // On somebody else's cluster, remove the e2e-only fixtures again (dist/ and examples stay applied).
  if (clusterState().mode === 'existing') {
    for (const file of fixtureFiles()) kubectl(['delete', '-f', file, '--ignore-not-found', '--wait=false']);
  }
});

interface Row {
  readonly index: number;
  readonly query: Query;
  readonly server: SarAnswer;
  readonly ours: Decision;
}

const rows = (): Row[] => queries.map((query, index) => ({ index, query, server: answers[index], ours: ours[index] }));

function explain(row: Row, title: string): string {
  const { query, server } = row;
  return [
    `${title} #${row.index}: ${query.subject.label} (user "${query.subject.user.name}", groups ${JSON.stringify(query.subject.user.groups)}): ${describeRequest(query.request)}`,
    `  server: allowed=${server.allowed}${server.denied ? ' denied=true' : ''} reason=${JSON.stringify(server.reason ?? '')}${server.evaluationError ? ` evaluationError=${JSON.stringify(server.evaluationError)}` : ''}`,
    `  ours:   allowed=${row.ours.allowed} reason=${JSON.stringify(row.ours.reason)}`,
    `          ${row.ours.explanation}`,
    `  SubjectAccessReview spec: ${JSON.stringify(sarObject(query.subject.user, query.request).spec)}`,
  ].join('\n');
}

/** Whether the server's allow reason names a binding that, by our evaluator too, allows this request for this user. */
function isBindingChoice(row: Row): boolean {
  const reason = row.server.reason ?? '';
  return whoCan(policy, row.query.request).entries.some((e) => {
    if (`RBAC: allowed by ${e.grant.source.description}` !== reason) return false;
    const u = row.query.subject.user;
    return e.username !== undefined ? e.username === u.name : u.groups.includes(e.subject.name);
  });
}

describe('our RBAC evaluator agrees with the API server (SubjectAccessReview)', () => {
  it('generates at least 500 queries over dist/, the examples and the e2e fixtures', () => {
    const counts = { queries: queries.length, subjects: new Set(queries.map((q) => q.subject.label)).size, files: files.map((f) => path.relative(REPO_ROOT, f)) };
    log(`${counts.queries} queries, ${counts.subjects} subjects, namespaces ${JSON.stringify(namespaces)}, files ${counts.files.join(', ')}`);
    for (const p of policy.problems) log(`evaluator note: ${p.message}`);
    expect(queries.length).toBeGreaterThanOrEqual(500);
    expect(ours.filter((d) => d.allowed).length).toBeGreaterThan(50); // not a trivially all-denied set
    expect(answers).toHaveLength(queries.length);
  });

  it('agrees on `allowed` for every query (100%)', () => {
    const all = rows();
    const disagreements = all.filter((r) => r.server.allowed !== r.ours.allowed);
    const allowed = all.filter((r) => r.server.allowed).length;
    log(`SubjectAccessReviews: ${all.length} in ${(sarMillis / 1000).toFixed(1)} s (${CONCURRENCY} in flight); ` +
      `server allowed ${allowed}, denied ${all.length - allowed}; agreement ${all.length - disagreements.length}/${all.length}`);
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, JSON.stringify(all.map((r) => ({ subject: r.query.subject, request: r.query.request, server: r.server, ours: { allowed: r.ours.allowed, reason: r.ours.reason } })), null, 1) + '\n');
    if (disagreements.length > 0) {
      // First a tally by (subject, server reason, our answer), so the cause shows before the details.
      const tally = new Map<string, number>();
      for (const r of disagreements) {
        const key = `${r.query.subject.label}: server allowed=${r.server.allowed} ${JSON.stringify(r.server.reason ?? '')}, ours allowed=${r.ours.allowed} ${JSON.stringify(r.ours.reason)}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      const summary = [...tally].map(([k, n]) => `  ${n} x ${k}`).join('\n');
      throw new Error(`${disagreements.length} of ${all.length} queries disagree (full report: ${path.relative(REPO_ROOT, REPORT)}):\n${summary}\n\n` +
        disagreements.map((r) => explain(r, 'DISAGREEMENT')).join('\n\n'));
    }
  });

  it('gives the same reason string as the server (binding-choice differences are reported only)', () => {
    const both = rows().filter((r) => r.server.allowed === r.ours.allowed);
    const differ = both.filter((r) => (r.server.reason ?? '') !== r.ours.reason);
    const bindingChoice = differ.filter((r) => r.server.allowed && isBindingChoice(r));
    const mismatches = differ.filter((r) => !bindingChoice.includes(r));
    const exact = both.filter((r) => r.server.allowed && r.server.reason === r.ours.reason).length;
    log(`allow reasons: ${exact} identical, ${bindingChoice.length} name another binding that also allows (binding choice), ${mismatches.length} other reason differences`);
    const pairs = new Map<string, number>();
    for (const r of bindingChoice) {
      const key = `server ${r.server.reason}\n      ours   ${r.ours.reason}`;
      pairs.set(key, (pairs.get(key) ?? 0) + 1);
    }
    for (const [key, n] of pairs) log(`  binding choice x${n}:\n      ${key}`);
    if (mismatches.length > 0) {
      throw new Error(`${mismatches.length} reason strings differ:\n\n${mismatches.slice(0, 40).map((r) => explain(r, 'REASON')).join('\n\n')}${mismatches.length > 40 ? `\n\n... and ${mismatches.length - 40} more (see ${path.relative(REPO_ROOT, REPORT)})` : ''}`);
    }
  });
});
