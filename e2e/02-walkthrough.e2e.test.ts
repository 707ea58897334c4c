/**
 * The walkthrough on a real API server, then what the audit log recorded about it.
 *
 * The Pods themselves cannot run here: the local control plane has no kubelet (and no scheduler),
 * so pods are stored and stay Pending. Instead the test builds exactly what the pod would see:
 * a bound token minted with TokenRequest using the pod spec's projected `serviceAccountToken`
 * settings (expirationSeconds; audience: the API server's default unless the spec sets one),
 * `ca.crt` from the namespace's `kube-root-ca.crt` ConfigMap and the `namespace` file, and runs
 * the reader script taken from the applied ConfigMap with `sh` (real curl, real HTTPS) against
 * the API server's address.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AuditEvent, ExpectedAuditEntry, findEntry, occurrences, readAuditLog, summarize } from './support/audit';
import { authorize, serviceAccountUser } from '../lib/rbac';
import { applyDist, distObjects, distPolicy, mintToken, privateTempDir, removeDir, rootCa, settleRbac, writePrivate } from './support/cluster-steps';
import { closeAgents, kubectl } from './support/kube';
import { K8sObject } from './support/manifests';
import { AUDIT_FLUSH_DEADLINE_MS, describeRun, run, RunResult, sleep } from './support/run';
import { clusterState } from './support/state';

const NS = 'dev';
const SECRET = 'api-access-secret';
const READER_SAS = ['secret-access-sa', 'no-access-sa'] as const;
type ReaderSa = (typeof READER_SAS)[number];
const state = clusterState();

/** The pod spec's settings for one SA: the projected token (path, expiry, audience) and the script's env. */
function podSettings(sa: string) {
  const pod = distObjects().find((o) => o.kind === 'Pod' && (o.spec as { serviceAccountName?: string }).serviceAccountName === sa) as K8sObject;
  expect(pod).toBeDefined();
  const spec = pod.spec as {
    volumes: Array<{ projected?: { sources: Array<{ serviceAccountToken?: { path: string; expirationSeconds?: number; audience?: string } }> } }>;
    containers: Array<{ env?: Array<{ name: string; value?: string }> }>;
  };
  const token = spec.volumes.flatMap((v) => v.projected?.sources ?? []).find((s) => s.serviceAccountToken)?.serviceAccountToken;
  expect(token).toBeDefined();
  const env = Object.fromEntries((spec.containers[0].env ?? []).map((e) => [e.name, e.value ?? '']));
  return { token: token!, env };
}

/**
 * The interesting lines of a reader run, so a failure shows HTTP code, verdict and exit side by
 * side; with `ask`, a run that did not exit as expected also carries our evaluator's explanation
 * over the dist/ under test (which grant is missing), as `evaluator`.
 */
function verdict(r: RunResult, ask?: { sa: string; namespace: string; exit: number }) {
  const v: Record<string, unknown> = {
    exit: r.code,
    http: r.stdout.match(/^HTTP .*$/m)?.[0],
    verdict: r.stdout.match(/^(ALLOWED|DENIED|ERROR):.*$/m)?.[0],
    stderr: r.stderr.trim(),
  };
  if (ask && r.code !== ask.exit) {
    v.evaluator = authorize(distPolicy(), serviceAccountUser(NS, ask.sa), { verb: 'get', resource: 'secrets', name: SECRET, namespace: ask.namespace }).explanation;
  }
  return v;
}

let work: string;
let secretValue: string;
let script: string;
let startedAt: string;
const tokens = new Map<string, string>(); // label -> token; never printed
const saDirs = new Map<string, string>();
const outputs: Array<{ label: string; text: string }> = [];

function runReader(label: string, saDir: string, args: string[] = []): RunResult {
  const { env } = podSettings('secret-access-sa');
  const r = run('sh', [script, ...args], {
    env: { PATH: process.env.PATH, SA_DIR: saDir, API_SERVER: state.apiServerUrl, TARGET_NAME: env.TARGET_NAME ?? SECRET },
    timeoutMs: 30_000,
  });
  outputs.push({ label, text: r.stdout + r.stderr });
  return r;
}

beforeAll(async () => {
  // Microsecond timestamps in the audit log sort as strings; only this run's events count.
  startedAt = new Date(Date.now() - 1000).toISOString();
  work = privateTempDir('walkthrough');
  const applied = applyDist();
  if (applied.code !== 0) throw new Error(`kubectl apply -f dist/ failed:\n${describeRun(applied)}`);
  await settleRbac(NS, 'secret-access-sa', { verb: 'get', resource: 'secrets', name: SECRET, namespace: NS });

  // The Secret is not in dist/ (it is referenced by name). A random value, never printed; passed
  // to kubectl through a private file rather than argv.
  secretValue = `e2e-${randomBytes(24).toString('hex')}`;
  const valueFile = writePrivate(path.join(work, 'secret', 'api-key'), secretValue);
  kubectl(['delete', 'secret', SECRET, '-n', NS, '--ignore-not-found']);
  const created = kubectl(['create', 'secret', 'generic', SECRET, '-n', NS, `--from-file=api-key=${valueFile}`]);
  if (created.code !== 0) throw new Error(`cannot create the secret:\n${describeRun(created)}`);
  fs.rmSync(valueFile);

  // The reader script exactly as applied (from the ConfigMap on the server, not from dist/).
  const cm = kubectl(['get', 'configmap', 'api-reader-script', '-n', NS, '-o', 'jsonpath={.data.read-secret\\.sh}']);
  if (cm.code !== 0 || !cm.stdout.startsWith('#!/bin/sh')) throw new Error(`cannot read the reader script from ConfigMap dev/api-reader-script:\n${describeRun(cm)}`);
  script = writePrivate(path.join(work, 'read-secret.sh'), cm.stdout);

  const ca = await rootCa(NS);
  const writeSaDir = (label: string, tokenPath: string, token: string) => {
    const dir = path.join(work, label);
    writePrivate(path.join(dir, tokenPath), token);
    writePrivate(path.join(dir, 'ca.crt'), ca);
    writePrivate(path.join(dir, 'namespace'), NS);
    saDirs.set(label, dir);
  };
  for (const sa of READER_SAS) {
    const { token } = podSettings(sa);
    expect(token.expirationSeconds).toBeLessThanOrEqual(3600);
    const t = mintToken(NS, sa, { durationSeconds: token.expirationSeconds, audience: token.audience });
    tokens.set(sa, t);
    writeSaDir(sa, token.path, t);
  }
  const { token } = podSettings('secret-access-sa');
  const foreign = mintToken(NS, 'secret-access-sa', { durationSeconds: token.expirationSeconds, audience: 'foreign' });
  tokens.set('secret-access-sa (audience foreign)', foreign);
  writeSaDir('foreign-audience', token.path, foreign);
});

afterAll(() => {
  removeDir(work);
  closeAgents();
});

const dir = (label: ReaderSa | 'foreign-audience') => saDirs.get(label)!;

describe('the walkthrough: the reader script from the ConfigMap, with TokenRequest tokens', () => {
  it("mints tokens with the pod spec's expiry and audience (none: the API server's default)", () => {
    // Only the claims are read (base64url JSON); the token itself is never printed.
    const claims = (t: string) => JSON.parse(Buffer.from(t.split('.')[1], 'base64url').toString('utf8')) as { aud: string[]; exp: number; iat: number; sub: string };
    for (const sa of READER_SAS) {
      const { token } = podSettings(sa);
      const c = claims(tokens.get(sa)!);
      expect({ sub: c.sub, lifetime: c.exp - c.iat, audienceIsForeign: c.aud.includes('foreign') }).toEqual({
        sub: `system:serviceaccount:${NS}:${sa}`,
        lifetime: token.expirationSeconds,
        audienceIsForeign: false,
      });
      if (token.audience) expect(c.aud).toEqual([token.audience]);
      else if (state.mode === 'local') expect(c.aud).toEqual(['https://kubernetes.default.svc.cluster.local']); // the local apiserver's issuer
    }
    expect(claims(tokens.get('secret-access-sa (audience foreign)')!).aud).toEqual(['foreign']);
  });

  it('secret-access-sa reads api-access-secret: HTTP 200, ALLOWED', () => {
    const r = runReader('secret-access-sa', dir('secret-access-sa'));
    expect(verdict(r, { sa: 'secret-access-sa', namespace: NS, exit: 0 })).toEqual({ exit: 0, http: 'HTTP 200', verdict: `ALLOWED: read secret ${NS}/${SECRET} (values not shown)`, stderr: '' });
  });

  it('no-access-sa is denied: HTTP 403, DENIED', () => {
    const r = runReader('no-access-sa', dir('no-access-sa'));
    expect(verdict(r, { sa: 'no-access-sa', namespace: NS, exit: 1 })).toEqual({
      exit: 1,
      http: 'HTTP 403',
      verdict: `DENIED: secrets "${SECRET}" is forbidden: User "system:serviceaccount:${NS}:no-access-sa" cannot get resource "secrets" in API group "" in the namespace "${NS}"`,
      stderr: '',
    });
  });

  it('secret-access-sa reading namespace default is denied: HTTP 403 (the grant is scoped to dev)', () => {
    const r = runReader('secret-access-sa in default', dir('secret-access-sa'), ['default']);
    expect(verdict(r, { sa: 'secret-access-sa', namespace: 'default', exit: 1 })).toEqual({
      exit: 1,
      http: 'HTTP 403',
      verdict: `DENIED: secrets "${SECRET}" is forbidden: User "system:serviceaccount:${NS}:secret-access-sa" cannot get resource "secrets" in API group "" in the namespace "default"`,
      stderr: '',
    });
  });

  it('secret-access-sa cannot list the secrets of dev: HTTP 403 (least privilege)', () => {
    // curl with CA verification; the token goes in a header file, never in argv.
    const header = writePrivate(path.join(work, 'list-header'), `Authorization: Bearer ${tokens.get('secret-access-sa')}\n`);
    const body = path.join(work, 'list-body.json');
    const r = run('curl', ['--silent', '--show-error', '--cacert', path.join(dir('secret-access-sa'), 'ca.crt'), '--header', `@${header}`,
      '--output', body, '--write-out', '%{http_code}', `${state.apiServerUrl}/api/v1/namespaces/${NS}/secrets`]);
    fs.rmSync(header);
    const text = fs.readFileSync(body, 'utf8');
    outputs.push({ label: 'curl list secrets', text: r.stdout + r.stderr + text });
    expect({ exit: r.code, code: r.stdout, stderr: r.stderr }).toEqual({ exit: 0, code: '403', stderr: '' });
    expect(JSON.parse(text)).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      message: `secrets is forbidden: User "system:serviceaccount:${NS}:secret-access-sa" cannot list resource "secrets" in API group "" in the namespace "${NS}"`,
    });
  });

  it('a token minted for a foreign audience is rejected: HTTP 401', () => {
    const r = runReader('foreign audience', dir('foreign-audience'));
    expect(verdict(r)).toMatchObject({ exit: 1, http: 'HTTP 401', verdict: expect.stringMatching(/^DENIED: the API server rejected the token \(401 Unauthorized/) });
  });

  it('never prints a token or the secret value', () => {
    expect(outputs.map((o) => o.label)).toEqual(['secret-access-sa', 'no-access-sa', 'secret-access-sa in default', 'curl list secrets', 'foreign audience']);
    const leaks: string[] = [];
    for (const o of outputs) {
      for (const [label, t] of tokens) {
        // The whole token, and its signature alone (a partial print would still leak it).
        if (o.text.includes(t) || o.text.includes(t.split('.')[2])) leaks.push(`${o.label} output contains the token of ${label}`);
      }
      if (o.text.includes(secretValue) || o.text.includes(Buffer.from(secretValue).toString('base64'))) leaks.push(`${o.label} output contains the secret value`);
    }
    expect(leaks).toEqual([]);
  });
});

const auditDescribe = state.auditLog ? describe : describe.skip;

auditDescribe('the audit log (dist/audit policy)', () => {
  const uri = (ns: string) => `/api/v1/namespaces/${ns}/secrets/${SECRET}`;
  const sa = (name: string) => `system:serviceaccount:${NS}:${name}`;
  const expected: ExpectedAuditEntry[] = [
    { label: 'secret-access-sa reads the secret', username: sa('secret-access-sa'), verb: 'get', requestURI: uri(NS), code: 200, decision: 'allow' },
    { label: 'no-access-sa is denied', username: sa('no-access-sa'), verb: 'get', requestURI: uri(NS), code: 403, decision: 'forbid' },
    { label: 'secret-access-sa in default is denied', username: sa('secret-access-sa'), verb: 'get', requestURI: uri('default'), code: 403, decision: 'forbid' },
    { label: 'secret-access-sa listing secrets is denied', username: sa('secret-access-sa'), verb: 'list', requestURI: `/api/v1/namespaces/${NS}/secrets`, code: 403, decision: 'forbid' },
  ];
  let events: AuditEvent[] = [];

  beforeAll(async () => {
    // The log backend writes as requests complete: wait until every expected event is there (a
    // state), bounded by a deadline well above a loaded machine's flush delay; the tests then
    // show what is missing.
    const deadline = Date.now() + AUDIT_FLUSH_DEADLINE_MS;
    for (;;) {
      events = readAuditLog(state.auditLog!).filter((e) => (e.requestReceivedTimestamp ?? '') >= startedAt);
      if (expected.every((w) => findEntry(events, w)) || Date.now() > deadline) break;
      await sleep(200);
    }
  });

  it.each(expected.map((e) => [e.label, e] as const))('records: %s (user, verb, URI, code, decision)', (_label, want) => {
    const found = findEntry(events, want);
    const sameUri = events.filter((e) => e.requestURI === want.requestURI).map(summarize);
    expect({ found: found ? summarize(found) : 'no matching ResponseComplete event', eventsWithThisURI: found ? 'n/a' : sameUri }).toMatchObject({
      found: { username: want.username, verb: want.verb, requestURI: want.requestURI, code: want.code, decision: want.decision, stage: 'ResponseComplete', level: 'Metadata' },
    });
    // Metadata level: never a request or response body (a Secret's data would be in it).
    expect(found!.requestObject).toBeUndefined();
    expect(found!.responseObject).toBeUndefined();
  });

  it('records the foreign-audience request as a failed authentication (401, no user, no decision)', () => {
    // Authentication fails before authorization: the server logs one ResponseStarted event.
    const hits = events.filter((e) => e.requestURI === uri(NS) && e.responseStatus?.code === 401).map(summarize);
    expect(hits).toEqual([{ stage: 'ResponseStarted', level: 'Metadata', username: undefined, verb: 'get', requestURI: uri(NS), code: 401, decision: undefined, reason: undefined }]);
  });

  it('contains neither the secret value (plain or base64) nor any minted token', () => {
    const text = fs.readFileSync(state.auditLog!, 'utf8');
    const needles: Array<[string, string]> = [
      ['secret value', secretValue],
      ['secret value (base64)', Buffer.from(secretValue).toString('base64')],
      ...[...tokens].flatMap(([label, t]): Array<[string, string]> => [[`token of ${label}`, t], [`signature of the token of ${label}`, t.split('.')[2]]]),
    ];
    const hits = Object.fromEntries(needles.map(([label, needle]) => [label, occurrences(text, needle)]));
    expect(hits).toEqual(Object.fromEntries(needles.map(([label]) => [label, { count: 0, lines: [] }])));
    expect(text.length).toBeGreaterThan(0);
  });
});
