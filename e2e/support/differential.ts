/**
 * Steps the differential tests share (04-differential, 09-live-dump): applying every manifest the
 * evaluator reads, and waiting until the server's RBAC authorizer has caught up with them.
 */
import * as path from 'path';
import type { Decision } from '../../lib/rbac';
import { distObjects } from './cluster-steps';
import { kubectl } from './kube';
import { applyable, exampleFiles, fixtureFiles, K8sObject, readObjects } from './manifests';
import type { Query } from './queries';
import { describeRun, sleep } from './run';
import { subjectAccessReviews } from './sar';
import { REPO_ROOT } from './state';

/**
 * The objects the differential needs on the server: everything but Pods. `01-apply` applies dist/
 * exactly as users do; `06-real-pods` then replaces dist's pods with locally built images, and a
 * pod's spec cannot change in place, so applying them again here would fail for a reason that has
 * nothing to do with RBAC.
 */
function rbacState(objects: readonly K8sObject[]): K8sObject[] {
  return applyable(objects).filter((o) => o.kind !== 'Pod');
}

/** Applies every manifest the evaluator reads (dist/, the examples, the fixtures), Pods left out. */
export function applyAll(): void {
  const sources: Array<[string, K8sObject[]]> = [
    ['dist/', rbacState(distObjects())],
    ...[...exampleFiles(), ...fixtureFiles()].map((f): [string, K8sObject[]] => [path.relative(REPO_ROOT, f), rbacState(readObjects(f))]),
  ];
  for (const [label, items] of sources) {
    if (items.length === 0) continue;
    const r = kubectl(['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
    if (r.code !== 0) throw new Error(`kubectl apply of ${label} failed:\n${describeRun(r)}`);
  }
}

/**
 * One query per (binding, rule) that our evaluator says that rule of that binding allows: once the
 * server allows all of them, its informers have seen every binding and role, and the
 * clusterrole-aggregation controller has filled in every aggregated rule we rely on.
 */
function canaries(ours: readonly Decision[]): number[] {
  const seen = new Map<string, number>();
  ours.forEach((d, i) => {
    if (!d.grant || d.grant.source.bindingName.startsWith('system:')) return;
    const key = `${d.grant.source.description} ${JSON.stringify(d.grant.rule)}`;
    if (!seen.has(key)) seen.set(key, i);
  });
  return [...seen.values()];
}

/** Waits (at most a minute) until the server allows every canary query; logs how many never were. */
export async function waitForServerToCatchUp(queries: readonly Query[], ours: readonly Decision[], concurrency: number, log: (m: string) => void): Promise<void> {
  const indexes = canaries(ours);
  const deadline = Date.now() + 60_000;
  let pending = indexes;
  while (pending.length > 0 && Date.now() < deadline) {
    const got = await subjectAccessReviews(pending.map((i) => ({ user: queries[i].subject.user, request: queries[i].request })), concurrency);
    pending = pending.filter((_, k) => !got[k].allowed);
    if (pending.length > 0) await sleep(250);
  }
  log(`${indexes.length} canary queries (one per granting binding and rule); ${pending.length} still not allowed by the server after waiting`);
}
