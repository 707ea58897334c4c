/**
 * Live clusters: what the real server holds, read back and evaluated offline.
 *
 * 1. The dump path: `kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`
 *    (and `-o json`) of the server, evaluated WITHOUT the bundled bootstrap (the dump holds the
 *    server's own), must agree with the server's SubjectAccessReview on every query of the
 *    differential (04). The library reads the dump as `api-reader -f -` does (`parseManifests`
 *    under `<stdin>`, `bootstrap: false`); the built CLI is also run with the dump on stdin
 *    (`-f - --no-bootstrap`) for a sample of queries and who-can triples.
 * 2. Bootstrap equality: the bundled bootstrap of the server's minor equals every object the server
 *    holds with `kubernetes.io/bootstrapping=rbac-defaults` (see support/bootstrap-compare.ts).
 * 3. who-can completeness: for every (verb, resource, namespace) triple (over 200), `whoCan`'s
 *    subjects equal the subjects (everyone bound on the server or in the manifests) the server
 *    allows, asked one SubjectAccessReview per subject (a service account with its groups, a user
 *    with `system:authenticated`, a group through a member of that group only). Over the live dump
 *    it must be exact; over the manifests + bundled bootstrap too, except for subjects the server
 *    allows only through a binding the manifests do not contain (the cluster's add-ons, e.g.
 *    CoreDNS's), which are counted and named.
 *
 * Reports: e2e/.output/live-dump.{yaml,json}, live-dump-report.json, bootstrap-equality.txt,
 * who-can-completeness.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AccessRequest, authorize, Decision, loadPaths, parseManifests, RbacPolicy, ResolvedBinding, serviceAccountUser,
  UserInfo, whoCan,
} from '../lib/rbac';
import { compareBootstrap, Obj } from './support/bootstrap-compare';
import { applyAll, waitForServerToCatchUp } from './support/differential';
import { closeAgents, kubectl, kubectlOk } from './support/kube';
import { distFiles, exampleFiles, fixtureFiles } from './support/manifests';
import { asSent, BASE_NAMESPACES, describeRequest, generateQueries, NAMED_VERBS, Query, RESOURCES, subjectsOf, VERBS } from './support/queries';
import { describeRun, run, RunResult } from './support/run';
import { SarAnswer, sarObject, subjectAccessReviews } from './support/sar';
import { clusterState, REPO_ROOT } from './support/state';

const CONCURRENCY = Number(process.env.E2E_SAR_CONCURRENCY ?? 16);
const OUT = path.join(REPO_ROOT, 'e2e', '.output');
const MAIN = path.join(REPO_ROOT, 'build', 'lib', 'cli', 'main.js');
const KUBE_VERSION = '1.35';
const RBAC_KINDS = 'clusterroles,clusterrolebindings,roles,rolebindings';

const files = [...distFiles(), ...exampleFiles(), ...fixtureFiles()];
const manifests = RbacPolicy.fromLoadResult(loadPaths(files), { kubeVersion: KUBE_VERSION });
const namespaces = [...new Set([...BASE_NAMESPACES, ...manifests.namespaces()])].sort();
const queries = generateQueries(manifests, subjectsOf(manifests, namespaces));
const oursManifests: Decision[] = queries.map((q) => authorize(manifests, q.subject.user, q.request));

let dumpYaml = '';
let dumpJson = '';
let fromYaml: RbacPolicy;
let fromJson: RbacPolicy;
let answers: SarAnswer[] = [];

function log(message: string): void {
  process.stderr.write(`[live-dump] ${message}\n`);
}

function write(name: string, content: string): void {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, name), content);
}

/** The built `api-reader` with `input` on stdin. */
function apiReader(args: readonly string[], input: string): RunResult {
  return run(process.execPath, [MAIN, ...args], { cwd: REPO_ROOT, input, timeoutMs: 60_000 });
}

/** `api-reader can-i` arguments for a query (exact user and groups, as the SubjectAccessReview has them). */
function canIArgs(q: Query): string[] {
  const r = q.request;
  const who = ['--as', q.subject.user.name, ...q.subject.user.groups.flatMap((g) => ['--as-group', g])];
  if ('path' in r && typeof r.path === 'string') return ['can-i', r.verb, r.path, ...who];
  const a = r as Exclude<AccessRequest, { path: string }>;
  const res = `${a.resource}${a.group ? `.${a.group}` : ''}${a.name ? `/${a.name}` : ''}`;
  return ['can-i', a.verb, res, ...(a.subresource ? ['--subresource', a.subresource] : []), ...(a.namespace ? ['-n', a.namespace] : ['-A']), ...who];
}

beforeAll(async () => {
  applyAll();
  await waitForServerToCatchUp(queries, oursManifests, CONCURRENCY, log);
  // The dump, read back exactly as a user takes it.
  dumpYaml = kubectlOk(['get', RBAC_KINDS, '-A', '-o', 'yaml'], { timeoutMs: 120_000 }).stdout;
  dumpJson = kubectlOk(['get', RBAC_KINDS, '-A', '-o', 'json'], { timeoutMs: 120_000 }).stdout;
  write('live-dump.yaml', dumpYaml);
  write('live-dump.json', dumpJson);
  fromYaml = RbacPolicy.fromLoadResult(parseManifests(dumpYaml, '<stdin>'), { bootstrap: false, kubeVersion: KUBE_VERSION });
  fromJson = RbacPolicy.fromLoadResult(parseManifests(dumpJson, '<stdin>'), { bootstrap: false, kubeVersion: KUBE_VERSION });
  answers = await subjectAccessReviews(queries.map((q) => ({ user: q.subject.user, request: q.request })), CONCURRENCY);
}, 600_000);

afterAll(() => {
  closeAgents();
  if (clusterState().mode === 'existing') {
    for (const file of fixtureFiles()) kubectl(['delete', '-f', file, '--ignore-not-found', '--wait=false']);
  }
});

function explain(i: number, ours: Decision, label: string): string {
  const q = queries[i];
  const s = answers[i];
  return [
    `${label} #${i}: ${q.subject.label} (user "${q.subject.user.name}", groups ${JSON.stringify(q.subject.user.groups)}): ${describeRequest(q.request)}`,
    `  server: allowed=${s.allowed} reason=${JSON.stringify(s.reason ?? '')}${s.evaluationError ? ` evaluationError=${JSON.stringify(s.evaluationError)}` : ''}`,
    `  ours:   allowed=${ours.allowed} reason=${JSON.stringify(ours.reason)}`,
    `          ${ours.explanation}`,
    `  SubjectAccessReview spec: ${JSON.stringify(sarObject(q.subject.user, q.request).spec)}`,
  ].join('\n');
}

describe('the dump of a live cluster, evaluated without the bundled bootstrap, agrees with the server', () => {
  it('reads `kubectl get ... -A -o yaml` and `-o json` as one `kind: List` each, with every object', () => {
    const listed = (JSON.parse(dumpJson) as { kind: string; items: unknown[] });
    const y = parseManifests(dumpYaml, '<stdin>');
    const j = parseManifests(dumpJson, '<stdin>');
    log(`dump: ${listed.items.length} objects (${(dumpYaml.length / 1024).toFixed(0)} KiB YAML, ${(dumpJson.length / 1024).toFixed(0)} KiB JSON); ` +
      `read ${y.objects.length} from YAML, ${j.objects.length} from JSON; ${fromYaml.problems.length} policy notes`);
    for (const p of fromYaml.problems) log(`  note: ${p.message}`);
    expect(listed.kind).toBe('List');
    expect(y.objects).toHaveLength(listed.items.length);
    expect(j.objects).toHaveLength(listed.items.length);
    expect(fromYaml.includesBootstrap).toBe(false);
  });

  it('agrees on `allowed` for every query of the differential (100%), from the YAML and the JSON dump', () => {
    const rows = queries.map((q, i) => ({ i, y: authorize(fromYaml, q.subject.user, q.request), j: authorize(fromJson, q.subject.user, q.request) }));
    const bad = rows.filter((r) => r.y.allowed !== answers[r.i].allowed || r.j.allowed !== answers[r.i].allowed);
    const allowed = answers.filter((a) => a.allowed).length;
    const sameReason = rows.filter((r) => answers[r.i].allowed && r.y.reason === answers[r.i].reason).length;
    const figures = { queries: queries.length, serverAllowed: allowed, serverDenied: queries.length - allowed, agreeYaml: rows.filter((r) => r.y.allowed === answers[r.i].allowed).length, agreeJson: rows.filter((r) => r.j.allowed === answers[r.i].allowed).length, identicalAllowReasons: sameReason };
    log(`dump path (no bundled bootstrap): ${JSON.stringify(figures)}`);
    write('live-dump-report.json', JSON.stringify({ figures, rows: rows.map((r) => ({ subject: queries[r.i].subject, request: queries[r.i].request, server: answers[r.i], yaml: { allowed: r.y.allowed, reason: r.y.reason }, json: { allowed: r.j.allowed, reason: r.j.reason } })) }, null, 1) + '\n');
    if (bad.length > 0) {
      throw new Error(`${bad.length} of ${rows.length} queries disagree (e2e/.output/live-dump-report.json):\n\n${bad.map((r) => `${explain(r.i, r.y, 'DISAGREEMENT (yaml)')}\n  json dump: allowed=${r.j.allowed} ${r.j.reason}`).join('\n\n')}`);
    }
  });

  it('`api-reader can-i ... -f - --no-bootstrap` with the dump on stdin answers as the server (a sample of allowed and denied queries)', () => {
    const allowedIdx = queries.map((_, i) => i).filter((i) => answers[i].allowed);
    const deniedIdx = queries.map((_, i) => i).filter((i) => !answers[i].allowed);
    const pick = (xs: number[], n: number): number[] => Array.from({ length: Math.min(n, xs.length) }, (_, k) => xs[Math.floor((k * xs.length) / Math.min(n, xs.length))]);
    const sample = [...pick(allowedIdx, 8), ...pick(deniedIdx, 8)];
    const failures: string[] = [];
    sample.forEach((i, k) => {
      const input = k % 2 === 0 ? dumpYaml : dumpJson;
      const args = [...canIArgs(queries[i]), '-f', '-', '--no-bootstrap', '-o', 'json'];
      const r = apiReader(args, input);
      const out = r.code === 0 || r.code === 1 ? (JSON.parse(r.stdout) as { allowed: boolean; reason: string }) : undefined;
      if (!out || out.allowed !== answers[i].allowed || r.code !== (answers[i].allowed ? 0 : 1)) {
        failures.push(`api-reader ${args.join(' ')} (${k % 2 === 0 ? 'YAML' : 'JSON'} dump on stdin)\n  server: allowed=${answers[i].allowed} ${answers[i].reason ?? ''}\n${describeRun(r)}`);
      }
    });
    log(`CLI with the dump on stdin: ${sample.length - failures.length}/${sample.length} can-i answers as the server`);
    if (failures.length > 0) throw new Error(failures.join('\n\n'));
  });
});

describe('the bundled bootstrap equals what the server creates at start', () => {
  it(`bootstrapPolicyFor('${KUBE_VERSION}') equals every object labelled kubernetes.io/bootstrapping=rbac-defaults (rules after aggregation)`, () => {
    const items = (text: string): Obj[] => (JSON.parse(text) as { items: Obj[] }).items;
    const labelled = items(kubectlOk(['get', RBAC_KINDS, '-A', '-l', 'kubernetes.io/bootstrapping=rbac-defaults', '-o', 'json']).stdout);
    const others = items(kubectlOk(['get', 'clusterroles', '-l', 'kubernetes.io/bootstrapping!=rbac-defaults', '-o', 'json']).stdout);
    const version = kubectlOk(['version', '-o', 'json']).stdout;
    const serverVersion = (JSON.parse(version) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion ?? '?';
    const c = compareBootstrap(KUBE_VERSION, labelled, others);
    const text = [
      `server ${serverVersion}, bundled bootstrap ${KUBE_VERSION}`,
      `objects (server / ours): ${Object.entries(c.counts).map(([k, n]) => `${k} ${n.server}/${n.ours}`).join(', ')}`,
      `aggregated ClusterRoles compared after aggregation: ${c.aggregated.join(', ')} (with ${others.length} other ClusterRoles on the server as aggregation input)`,
      `differences: ${c.differences.length}`,
      ...c.differences.map((d) => `--- ${d.object}\n${d.detail}`),
    ].join('\n');
    write('bootstrap-equality.txt', text + '\n');
    log(text.split('\n').slice(0, 4).join('\n[live-dump] '));
    expect(serverVersion.startsWith(`v${KUBE_VERSION}.`)).toBe(true);
    if (c.differences.length > 0) throw new Error(text);
    expect(c.aggregated.length).toBeGreaterThan(0);
  });
});

/** The namespaces of the who-can triples: the differential's base ones and two of the manifests' own. */
const WHO_CAN_NAMESPACES = [...new Set([...BASE_NAMESPACES, 'team-a', 'e2e-seeds'])].sort();

/** The binding a server reason names (`ClusterRoleBinding "x"`, `RoleBinding "x/ns"`), if any. */
function reasonBinding(reason: string | undefined): { kind: string; name: string } | undefined {
  const m = /allowed by (ClusterRoleBinding|RoleBinding) "([^"]+)"/.exec(reason ?? '');
  return m ? { kind: m[1], name: m[2] } : undefined;
}

/** Whether the policy holds the binding (`name` or `name/namespace`). */
function holdsBinding(policy: RbacPolicy, b: { kind: string; name: string }): boolean {
  return b.kind === 'ClusterRoleBinding' ? policy.clusterRoleBindings().some((x) => x.name === b.name) : policy.roleBindings().some((x) => `${x.name}/${x.namespace}` === b.name);
}

/** A candidate subject: how the server is asked about it, and how who-can names it. */
interface Candidate {
  readonly key: string;
  readonly user: UserInfo;
}

const subjectKey = (kind: string, name: string, namespace?: string): string => (kind === 'ServiceAccount' ? `ServiceAccount ${namespace}/${name}` : `${kind} ${name}`);

/** Everyone bound by any binding of the given policies (a ServiceAccount without a namespace matches nobody, so it is left out). */
function candidates(policies: readonly RbacPolicy[]): Candidate[] {
  const out = new Map<string, Candidate>();
  const all = (p: RbacPolicy): readonly ResolvedBinding[] => [...p.clusterRoleBindings(), ...p.roleBindings()];
  for (const b of policies.flatMap(all)) {
    for (const s of b.subjects) {
      if (s.kind === 'ServiceAccount') {
        const ns = s.namespace || b.namespace;
        if (!ns) continue;
        out.set(subjectKey('ServiceAccount', s.name, ns), { key: subjectKey('ServiceAccount', s.name, ns), user: serviceAccountUser(ns, s.name) });
      } else if (s.kind === 'User') {
        const groups = s.name === 'system:anonymous' ? ['system:unauthenticated'] : ['system:authenticated'];
        out.set(subjectKey('User', s.name), { key: subjectKey('User', s.name), user: { name: s.name, groups } });
      } else if (s.kind === 'Group') {
        // A member of this group only, so the group alone decides.
        out.set(subjectKey('Group', s.name), { key: subjectKey('Group', s.name), user: { name: `e2e-member-of-${s.name}`, groups: [s.name] } });
      }
    }
  }
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** Every (verb, resource[/name], namespace) triple, with the namespace the real request carries; duplicates dropped. */
function triples(): Array<Exclude<AccessRequest, { path: string }>> {
  const seen = new Map<string, Exclude<AccessRequest, { path: string }>>();
  for (const namespace of WHO_CAN_NAMESPACES) {
    for (const { resource: spec, names } of RESOURCES) {
      const dot = spec.indexOf('.');
      const group = dot >= 0 ? spec.slice(dot + 1) : '';
      const [resource, subresource] = (dot >= 0 ? spec.slice(0, dot) : spec).split('/');
      for (const verb of VERBS) {
        for (const name of [undefined, ...(NAMED_VERBS.includes(verb) ? names ?? [] : [])]) {
          const r = asSent(manifests, { verb, resource, ...(subresource ? { subresource } : {}), ...(group ? { group } : {}), ...(name ? { name } : {}), namespace }) as Exclude<AccessRequest, { path: string }>;
          seen.set(JSON.stringify(r), r);
        }
      }
    }
  }
  return [...seen.values()];
}

describe('who-can completeness: who-can lists exactly the bound subjects the server allows', () => {
  it('for at least 200 (verb, resource, namespace) triples, over everyone bound on the server and in the manifests', async () => {
    const requests = triples();
    const people = candidates([fromYaml, manifests]);
    const asks = requests.flatMap((request) => people.map((c) => ({ user: c.user, request })));
    const t0 = Date.now();
    const server = await subjectAccessReviews(asks, CONCURRENCY);
    const seconds = (Date.now() - t0) / 1000;
    const policies: Array<[string, RbacPolicy]> = [['manifests + bundled bootstrap', manifests], ['live dump, no bootstrap', fromYaml]];
    const figures: Record<string, unknown> = { triples: requests.length, subjects: people.length, subjectAccessReviews: asks.length, seconds, serverAllowed: server.filter((a) => a.allowed).length };
    const failures: string[] = [];
    const serverOnly = new Set<string>();
    for (const [label, policy] of policies) {
      let agree = 0;
      let explained = 0;
      let total = 0;
      requests.forEach((request, t) => {
        const entries = whoCan(policy, request).entries;
        const listed = new Set(entries.map((e) => subjectKey(e.subject.kind, e.subject.name, e.subject.namespace)));
        const unknown = [...listed].filter((k) => !people.some((c) => c.key === k));
        if (unknown.length > 0) failures.push(`[${label}] ${describeRequest(request)}: who-can lists subjects nobody binds: ${unknown.join(', ')}`);
        people.forEach((c, k) => {
          // who-can names a subject itself, or a group the subject is in (system:authenticated, system:serviceaccounts, ...).
          const ours = listed.has(c.key) || c.user.groups.some((g) => listed.has(subjectKey('Group', g)));
          const answer = server[t * people.length + k];
          total++;
          if (ours === answer.allowed) {
            agree++;
            return;
          }
          // Allowed by a binding the policy does not hold at all: the cluster's own (its add-ons' bindings),
          // which no manifest under test contains. Counted and listed; only the live dump must know them.
          const b = reasonBinding(answer.reason);
          if (policy !== fromYaml && answer.allowed && b && !holdsBinding(policy, b)) {
            explained++;
            serverOnly.add(`${b.kind} "${b.name}"`);
            return;
          }
          failures.push(`[${label}] ${describeRequest(request)}: ${c.key} (SubjectAccessReview user ${JSON.stringify(c.user.name)}, groups ${JSON.stringify(c.user.groups)}): server allowed=${answer.allowed} ${JSON.stringify(answer.reason ?? '')}, who-can ${ours ? 'lists it' : 'does not list it'}`);
        });
      });
      figures[label] = { checked: total, agree, ...(policy === fromYaml ? {} : { allowedOnlyByBindingsNotInTheManifests: explained }), agreement: `${((100 * agree) / total).toFixed(2)}%` };
    }
    figures.serverBindingsNotInTheManifests = [...serverOnly].sort();
    log(`who-can completeness: ${JSON.stringify(figures)}`);
    write('who-can-completeness.json', JSON.stringify({ figures, subjects: people.map((c) => c.key), triples: requests.map(describeRequest), failures }, null, 1) + '\n');
    expect(requests.length).toBeGreaterThanOrEqual(200);
    expect(figures.serverAllowed).toBeGreaterThan(0);
    if (failures.length > 0) throw new Error(`${failures.length} who-can differences:\n${failures.join('\n')}`);
  }, 600_000);

  it('`api-reader who-can ... -f - --no-bootstrap` with the dump on stdin lists what the library lists', () => {
    const sample: Array<{ args: string[]; request: AccessRequest }> = [
      { args: ['get', 'secrets/api-access-secret', '-n', 'dev'], request: { verb: 'get', resource: 'secrets', name: 'api-access-secret', namespace: 'dev' } },
      { args: ['list', 'namespaces'], request: { verb: 'list', resource: 'namespaces' } },
      { args: ['create', 'deployments.apps', '-n', 'team-a'], request: { verb: 'create', resource: 'deployments', group: 'apps', namespace: 'team-a' } },
    ];
    for (const s of sample) {
      const r = apiReader(['who-can', ...s.args, '-f', '-', '--no-bootstrap', '-o', 'json'], dumpYaml);
      if (r.code !== 0) throw new Error(describeRun(r));
      const cli = (JSON.parse(r.stdout) as { subjects: Array<{ subject: string; kind: string }> }).subjects.map((e) => `${e.kind} ${e.subject}`).sort();
      const found = whoCan(fromYaml, s.request);
      // The privileged group (system:masters) first, as upstream's SubjectLocator, then one row per granting binding.
      const lib = [...found.privilegedGroups.map((g) => `Group ${g}`), ...found.entries.map((e) => `${e.subject.kind} ${e.username ?? e.subject.name}`)].sort();
      log(`who-can ${s.args.join(' ')} -f - --no-bootstrap: ${cli.length} subjects`);
      expect(cli).toEqual(lib);
      expect(cli.length).toBeGreaterThan(0);
    }
  });
});
