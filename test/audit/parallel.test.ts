/**
 * Reading on worker threads gives exactly what the sequential reader gives: the same output bytes,
 * warnings (order and cap included), counts and exit code, for every view, with and without
 * `--strict`, on logs mixing JSON events, legacy pairs (across chunks and inputs), blank and CRLF
 * lines, malformed lines, multi-byte text, gzip and a truncated gzip file, cut into many chunks.
 */
import * as path from 'path';
import * as zlib from 'zlib';
import { AuditOptions, AuditRunResult, LogInput, runAudit } from '../../lib/audit';
import { batchReader } from '../../lib/audit/parallel/batch';
import { BatchPool } from '../../lib/audit/parallel/pool';
import { runAuditOn } from '../../lib/audit/run';
import { loadPaths, RbacPolicy } from '../../lib/rbac';
import { auditEvent, forbidden, jsonLines, memoryInput, saUser } from './events';
import { prng } from '../support/prng';


const LEGACY_USER = 'system:serviceaccount:dev:secret-access-sa';
const legacyRequest = (id: string, ns: string) =>
  `2017-03-21T03:57:09.106841886-04:00 AUDIT: id="${id}" ip="10.0.0.1" method="GET" user="${LEGACY_USER}" groups="\\"system:authenticated\\"" as="<self>" asgroups="<lookup>" namespace="${ns}" uri="/api/v1/namespaces/${ns}/secrets/api-access-secret"`;
const legacyResponse = (id: string, code: number) => `2017-03-21T03:57:09.108403639-04:00 AUDIT: id="${id}" response="${code}"`;

/** A log of `n` lines of every kind, from `seed`. */
function mixedLog(seed: number, n: number, malformed: boolean): string {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
  const users = [saUser('dev', 'secret-access-sa'), saUser('dev', 'no-access-sa'), saUser('team', 'reader-sa'), { username: 'alice', groups: ['devs'] }, {}];
  const lines: string[] = [];
  const openLegacy: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    const ns = pick(['dev', 'default', 'team', '']);
    const overrides = {
      auditID: `id-${seed}-${i}`,
      user: pick(users),
      verb: pick(['get', 'list', 'watch', 'create', 'delete']),
      stage: pick(['ResponseComplete', 'ResponseComplete', 'ResponseComplete', 'ResponseStarted', 'RequestReceived']),
      objectRef: ns === '' && random() < 0.5 ? null : { resource: pick(['secrets', 'pods', 'configmaps']), namespace: ns || undefined, name: pick(['api-access-secret', 'x', 'é-ünïcode-名前', undefined]), apiVersion: 'v1', subresource: pick([undefined, undefined, 'log']) },
      requestURI: ns ? `/api/v1/namespaces/${ns}/secrets/x` : pick(['/healthz', '/api', '/api/v1/nodes']),
      requestReceivedTimestamp: new Date(Date.UTC(2024, 4, 1) + i * 1000).toISOString(),
      ...(random() < 0.3 ? { impersonatedUser: { username: LEGACY_USER } } : {}),
    };
    if (r < 0.55) lines.push(JSON.stringify(auditEvent(overrides)));
    else if (r < 0.75) lines.push(JSON.stringify(forbidden(overrides)));
    else if (r < 0.82) {
      const id = `legacy-${seed}-${i}`;
      openLegacy.push(id);
      lines.push(legacyRequest(id, pick(['dev', 'default'])));
    } else if (r < 0.88) {
      const id = openLegacy.length > 0 && random() < 0.8 ? openLegacy.splice(Math.floor(random() * openLegacy.length), 1)[0] : `never-${i}`;
      lines.push(legacyResponse(id, pick([200, 403, 500])));
    } else if (r < 0.93) lines.push(pick(['', '   ', '\r']));
    else if (malformed) lines.push(pick(['{"kind":"Event", truncated', 'E0501 plain text', '{"kind":"Pod","apiVersion":"v1"}', '2017-03-21T03:57:09Z AUDIT: id="x method="GET"']));
    else lines.push(JSON.stringify(auditEvent(overrides)));
  }
  return lines.map((l, i) => (i % 7 === 3 ? `${l}\r` : l)).join('\n') + (seed % 2 === 0 ? '\n' : '');
}

const FLAGGED: ReadonlyArray<[string, Pick<AuditOptions, 'filter' | 'view' | 'advise'>]> = [
  ['table, all stages', { filter: { stages: 'all' }, view: 'table' }],
  ['summary', { filter: {}, view: 'summary' }],
  ['json, filtered', { filter: { decision: 'allow', stages: 'all', namespaces: ['dev', 'default', ''] }, view: 'json' }],
  ['json, everything', { filter: { stages: 'all' }, view: 'json' }],
  ['advice yaml', { filter: { users: [LEGACY_USER] }, view: 'advice-yaml', advise: {} }],
  ['advice typescript', { filter: { users: [LEGACY_USER] }, view: 'advice-typescript', advise: {} }],
];

const policy = RbacPolicy.fromLoadResult(loadPaths([path.join(__dirname, '../../dist')]));

let pool: BatchPool;
beforeAll(() => {
  pool = new BatchPool(2);
});
afterAll(() => pool.close());

async function both(options: AuditOptions, logs: () => LogInput[], withPolicy = false): Promise<[AuditRunResult, AuditRunResult]> {
  const extra = withPolicy ? { policy } : {};
  const sequential = await runAudit(options, { logs: logs(), ...extra });
  const parallel = await runAuditOn(options, { logs: logs(), ...extra }, pool);
  return [sequential, parallel];
}

describe('reading on worker threads', () => {
  // Many full runs per case: generous, so a loaded machine (two CPU hogs beside the suite) cannot
  // fail it; nothing here measures speed.
  jest.setTimeout(300_000);

  const inputs = (seed: number, malformed: boolean) => {
    const a = mixedLog(seed, 400, malformed);
    const b = mixedLog(seed + 1000, 300, malformed);
    const whole = zlib.gzipSync(b);
    return () => [
      memoryInput('a.log', a, 997),
      memoryInput('b.log.gz', whole, 613),
      memoryInput('c.log', mixedLog(seed + 2000, 200, malformed), 4096),
      memoryInput('cut.gz', whole.subarray(0, Math.floor(whole.length * 0.6)), 500),
    ];
  };

  it.each([
    [1, false], [1, true], [2, false], [2, true], [3, false], [3, true],
  ])('gives the sequential results for every view, lenient and strict (seed %i, malformed lines: %s)', async (seed, malformed) => {
    for (const [name, flagged] of FLAGGED) {
      for (const strict of [false, true]) {
        const options: AuditOptions = { logs: [], ...flagged, ...(strict ? { strict } : {}) };
        const [sequential, parallel] = await both(options, inputs(seed, malformed), flagged.view === 'advice-yaml');
        expect({ name, strict, malformed, ...parallel }).toEqual({ name, strict, malformed, ...sequential });
      }
    }
  });

  it('the mixed logs exercise what they should: legacy pairs, problems past the warning cap, a strict stop, gzip', async () => {
    const [lenient] = await both({ logs: [], filter: { stages: 'all' }, view: 'json' }, inputs(1, true));
    expect(lenient.stdout).toContain('"decision":"allow"');
    expect(lenient.stdout).toMatch(/"source":"b\.log\.gz:\d+"/);
    expect(lenient.stdout).toMatch(/"stage":"ResponseComplete".*"auditID":"legacy-/);
    expect(lenient.warnings[lenient.warnings.length - 1]).toMatch(/^\.\.\. and \d+ more skipped line\(s\)$/);
    const [clean] = await both({ logs: [], filter: {}, view: 'summary' }, inputs(2, false));
    expect(clean.warnings.some((w) => w.startsWith('skipped: ') && w.includes('without its request line'))).toBe(true);
    expect(clean.warnings.some((w) => w.includes('cut.gz') && w.includes('reading stopped'))).toBe(true);
    const [strict] = await both({ logs: [], filter: { stages: 'all' }, view: 'json', strict: true }, inputs(1, true));
    expect(strict.error).toMatch(/^a\.log:\d+: /);
  });

  it('starts and stops its own threads with workers: N', async () => {
    const logs = () => [memoryInput('a.log', jsonLines([auditEvent(), forbidden()]))];
    const options: AuditOptions = { logs: [], filter: {}, view: 'summary' };
    expect(await runAudit(options, { logs: logs(), workers: 1 })).toEqual(await runAudit(options, { logs: logs() }));
  });

  it('fails the run, without hanging, when a worker cannot take a chunk', async () => {
    // A function cannot cross threads: posting the settings fails.
    const options = { logs: [], filter: { since: (() => 0) as unknown as number }, view: 'json' } as AuditOptions;
    await expect(runAudit(options, { logs: [memoryInput('a.log', jsonLines([auditEvent()]))], workers: 1 })).rejects.toThrow(/^a worker thread failed: cannot post a chunk/);
  });
});

describe('a chunk read in a worker (in process)', () => {
  const read = batchReader({ filter: {}, view: 'summary', strict: true });

  it('counts and summarises JSON records, hands legacy lines and the first malformed line back in order, then stops', () => {
    const text = [JSON.stringify(auditEvent()), legacyResponse('r1', 200), 'oops', JSON.stringify(auditEvent())].join('\n') + '\n';
    const result = read({ file: 'f', startLine: 10, bytes: Buffer.from(text) });
    expect(result.items.map((i) => [i.k, 'location' in i ? i.location.line : undefined])).toEqual([['legacy', 11], ['malformed', 12]]);
    expect([result.records, result.matched, result.fatal, result.summary?.[0].total]).toEqual([1, 1, true, 1]);
  });
});
