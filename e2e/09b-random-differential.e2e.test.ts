/**
 * Randomized differential: for several seeds, random roles and bindings (e2e/support/random-rbac.ts)
 * are applied to the real API server, and random questions about them are asked of both the
 * server (SubjectAccessReview) and our evaluator (the generated objects plus the bundled bootstrap
 * policy). Every answer must agree. A disagreement is asked again for up to 20 s before it counts,
 * since the server's informers see a change a moment after `kubectl apply` returns; one that stays
 * fails the test with both answers and the objects' file.
 *
 * E2E_RANDOM_SEEDS (default 5) and E2E_RANDOM_QUERIES (per seed, default 3000) size the run. The
 * generated objects are labelled and removed again afterwards.
 *
 * Only on the suite's own local cluster by default: the random roles include wildcards bound to
 * `system:authenticated`, which on somebody else's cluster would hand every user broad rights
 * while the test runs. E2E_RANDOM_DIFFERENTIAL=1 runs it on a KUBECONFIG cluster too (a
 * throwaway one); otherwise it is reported as skipped there.
 */
import * as fs from 'fs';
import * as path from 'path';
import { authorize, Decision, loadPaths, RbacPolicy } from '../lib/rbac';
import { waitForServerToCatchUp } from './support/differential';
import { closeAgents, kubectl, kubectlOk } from './support/kube';
import { describeRequest, Query } from './support/queries';
import { RANDOM_LABEL, RANDOM_NAMESPACES, randomQueries, randomRbacObjects } from './support/random-rbac';
import { subjectAccessReviews } from './support/sar';
import { clusterState, REPO_ROOT } from './support/state';

const SEEDS = Number(process.env.E2E_RANDOM_SEEDS ?? 5);
const QUERIES = Number(process.env.E2E_RANDOM_QUERIES ?? 3000);
const CONCURRENCY = Number(process.env.E2E_SAR_CONCURRENCY ?? 16);
const OUTPUT = path.join(REPO_ROOT, 'e2e', '.output', 'random-differential');
const ENABLED = clusterState().mode === 'local' || process.env.E2E_RANDOM_DIFFERENTIAL === '1';

function log(message: string): void {
  process.stderr.write(`[random-differential] ${message}\n`);
}

function removeGenerated(): void {
  kubectlOk(['delete', 'clusterrolebindings,clusterroles', '-l', RANDOM_LABEL, '--ignore-not-found', '--wait=true']);
  for (const ns of RANDOM_NAMESPACES) {
    if (kubectl(['get', 'namespace', ns]).code === 0) kubectlOk(['delete', 'rolebindings,roles', '-n', ns, '-l', RANDOM_LABEL, '--ignore-not-found', '--wait=true']);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The queries whose server answer still differs from ours after re-asking for up to `ms`. */
async function persistentDisagreements(queries: readonly Query[], ours: readonly Decision[], indexes: number[], ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  let pending = indexes;
  while (pending.length > 0 && Date.now() < deadline) {
    await sleep(500);
    const again = await subjectAccessReviews(pending.map((i) => ({ user: queries[i].subject.user, request: queries[i].request })), CONCURRENCY);
    pending = pending.filter((i, k) => again[k].allowed !== ours[i].allowed);
  }
  return pending;
}

interface SeedResult { seed: number; queries: number; serverAllowed: number; settled: number; disagreements: string[] }

async function runSeed(seed: number): Promise<SeedResult> {
  removeGenerated();
  const file = path.join(OUTPUT, `seed-${seed}.json`);
  fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: randomRbacObjects(seed) }, null, 1) + '\n');
  kubectlOk(['apply', '-f', file]);
  const policy = RbacPolicy.fromLoadResult(loadPaths([file]));
  const queries = randomQueries(seed, QUERIES);
  const ours = queries.map((q) => authorize(policy, q.subject.user, q.request));
  await waitForServerToCatchUp(queries, ours, CONCURRENCY, (m) => log(`seed ${seed}: ${m}`));
  const answers = await subjectAccessReviews(queries.map((q) => ({ user: q.subject.user, request: q.request })), CONCURRENCY);
  const first = queries.map((_, i) => i).filter((i) => answers[i].allowed !== ours[i].allowed);
  const stay = await persistentDisagreements(queries, ours, first, 60_000);
  const result: SeedResult = {
    seed, queries: queries.length, serverAllowed: answers.filter((a) => a.allowed).length, settled: first.length - stay.length,
    disagreements: stay.map((i) => `${queries[i].subject.label}: ${describeRequest(queries[i].request)}: server allowed=${answers[i].allowed} ` +
      `${JSON.stringify(answers[i].reason ?? '')}, ours allowed=${ours[i].allowed} ${JSON.stringify(ours[i].reason)} (${path.relative(REPO_ROOT, file)})`),
  };
  log(`seed ${seed}: ${result.queries} queries, server allowed ${result.serverAllowed}, ${result.settled} settled on re-asking, ${stay.length} disagreements`);
  return result;
}

if (!ENABLED) log('skipped: the cluster is not the suite\'s own (KUBECONFIG is set); E2E_RANDOM_DIFFERENTIAL=1 runs it there');

(ENABLED ? describe : describe.skip)('random roles and bindings: our evaluator agrees with the API server', () => {
  const results: SeedResult[] = [];

  beforeAll(async () => {
    fs.mkdirSync(OUTPUT, { recursive: true });
    for (let seed = 1; seed <= SEEDS; seed++) results.push(await runSeed(seed));
  }, 600_000);

  afterAll(() => {
    removeGenerated();
    kubectl(['delete', 'namespace', ...RANDOM_NAMESPACES, '--ignore-not-found', '--wait=false']);
    closeAgents();
  });

  it('asks enough questions, and the server allows a fair share of them (not a trivially denied set)', () => {
    expect(results).toHaveLength(SEEDS);
    for (const r of results) {
      expect(r.queries).toBe(QUERIES);
      expect(r.serverAllowed).toBeGreaterThan(QUERIES / 50);
    }
  });

  it('agrees on `allowed` for every question of every seed', () => {
    const all = results.flatMap((r) => r.disagreements);
    if (all.length > 0) throw new Error(`${all.length} disagreements:\n${all.slice(0, 40).join('\n')}`);
  });
});
