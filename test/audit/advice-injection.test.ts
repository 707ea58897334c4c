/**
 * Strings from an audit log reach generated YAML and TypeScript as data only (issue 13, finding 1):
 * arbitrary strings in every event field (line breaks, U+2028/2029, quotes, `*\/`, `${`, `---`)
 * give YAML that parses to exactly the advised objects and TypeScript that compiles and
 * synthesizes to the same objects; a line whose names Kubernetes would not accept is left out
 * with a warning naming it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import {
  adviseAll, AuditOptions, compileFilter, ObservedSubjects, readAuditRecords, runAudit,
} from '../../lib/audit';
import { adviceObjects } from '../../lib/audit/render/advice-yaml';
import { auditEvent, jsonLines, memoryInput } from './events';

const ROOT = path.join(__dirname, '..', '..');
const CLUSTER_ADMIN_BINDING = [
  'zz', '---', 'apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRoleBinding', 'metadata: {name: pwned}',
  'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
  'subjects: [{kind: User, name: attacker, apiGroup: rbac.authorization.k8s.io}]', '---', '#',
].join('\n');
const CODE = '\u2028(globalThis as any).__pwned = 1;\u2028//';
const PAYLOADS = [CLUSTER_ADMIN_BINDING, CODE, '*/', '${(globalThis as any).__pwned = 1}', '---', "'", '"', '\\', '\u2029', '\u0085', '\r', '\u202e', '#', '`', ' '];

const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom(...PAYLOADS),
  fc.tuple(fc.constantFrom('dev', 'web-0', 'pods', 'alice'), fc.constantFrom(...PAYLOADS)).map(([a, b]) => a + b),
);
const field = (...valid: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: hostile });

const event = fc.record({
  username: field('system:serviceaccount:dev:web-sa', 'system:serviceaccount:ci:deployer-sa', 'alice@example.com'),
  impersonated: fc.option(field('bob'), { nil: undefined }),
  groups: fc.array(field('devs', 'system:authenticated'), { maxLength: 2 }),
  verb: field('get', 'list', 'watch', 'create', 'update', 'patch', 'delete'),
  resource: field('pods', 'configmaps', 'deployments', 'services'),
  namespace: field('dev', 'staging', ''),
  name: field('web-0', 'app-config', 'web', ''),
  apiGroup: field('', 'apps'),
  subresource: field('', 'log', 'status'),
  path: fc.option(field('/api', '/healthz', '/metrics'), { nil: undefined }),
  decision: fc.constantFrom('allow', 'allow', 'forbid'),
  time: field('2024-05-01T10:00:00.000000Z'),
  free: hostile,
}).map((e) => auditEvent({
  user: { username: e.username, groups: e.groups },
  ...(e.impersonated !== undefined ? { impersonatedUser: { username: e.impersonated } } : {}),
  verb: e.verb,
  ...(e.path !== undefined
    ? { objectRef: null, requestURI: e.path }
    : { objectRef: { resource: e.resource, namespace: e.namespace, name: e.name, apiGroup: e.apiGroup, subresource: e.subresource, apiVersion: 'v1' }, requestURI: `/api/v1/${e.free}` }),
  requestReceivedTimestamp: e.time,
  userAgent: e.free,
  auditID: e.free,
  annotations: { 'authorization.k8s.io/decision': e.decision, 'authorization.k8s.io/reason': e.free },
}));
const logs = fc.array(event, { minLength: 1, maxLength: 8 });

function options(view: AuditOptions['view']): AuditOptions {
  return { logs: ['mem'], filter: {}, view, advise: { includeSystemIdentities: true } };
}

/** The objects the run advises, from the same records (what the rendered text must hold, exactly). */
async function advisedObjects(text: string): Promise<unknown[]> {
  const keep = compileFilter({});
  const subjects = new ObservedSubjects({ includeSystemIdentities: true });
  for await (const r of readAuditRecords([memoryInput('mem', text)])) if (keep(r)) subjects.add(r);
  const all = adviseAll({ subjects, format: 'yaml' });
  expect(all.error).toBeUndefined();
  return all.advices.flatMap(adviceObjects);
}

function objectKey(o: { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } }): string {
  return `${String(o.kind)}/${String(o.metadata?.namespace ?? '')}/${String(o.metadata?.name)}`;
}

describe('advice from a hostile log', () => {
  it('the attack of issue 13 no longer binds cluster-admin: the line is left out with a warning naming it', async () => {
    const text = jsonLines([
      auditEvent(),
      auditEvent({ objectRef: { resource: 'secrets', namespace: CLUSTER_ADMIN_BINDING, name: 'x', apiVersion: 'v1' } }),
      auditEvent({ objectRef: { resource: 'secrets', namespace: CODE, name: 'x', apiVersion: 'v1' } }),
    ]);
    for (const view of ['advice-yaml', 'advice-typescript'] as const) {
      const result = await runAudit(options(view), { logs: [memoryInput('audit.log', text)] });
      expect(result.stdout).not.toMatch(/cluster-admin|pwned|attacker|\u2028|\u2029/);
      expect(result.warnings).toEqual([
        'audit.log:2: left out of the advice: objectRef.namespace is not a valid namespace name.',
        'audit.log:3: left out of the advice: objectRef.namespace is not a valid namespace name.',
      ]);
    }
  });

  it('YAML advice parses to exactly the advised objects, whatever the strings in the log', async () => {
    await fc.assert(fc.asyncProperty(logs, async (events) => {
      const text = jsonLines(events);
      const result = await runAudit(options('advice-yaml'), { logs: [memoryInput('mem', text)] });
      const docs = parseAllDocuments(result.stdout);
      const parsed = (Array.isArray(docs) ? docs : [docs]).map((d) => {
        expect(d.errors).toEqual([]);
        return d.toJS();
      }).filter((o) => o !== null && o !== undefined);
      expect(parsed).toEqual(await advisedObjects(text));
      for (const o of parsed) expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
      for (const line of result.stdout.split('\n')) expect(line).toMatch(/^([#\- a-zA-Z]|$)/);
    }), { numRuns: 150, seed: 20261128 });
  });

  describe('TypeScript advice', () => {
    const dir = path.join(__dirname, '.generated-hostile');
    afterAll(() => { if (!process.env.KEEP_GENERATED) fs.rmSync(dir, { recursive: true, force: true }); });

    it('compiles and synthesizes to exactly the advised objects, and runs nothing from the log', async () => {
      fs.mkdirSync(dir, { recursive: true });
      const samples = fc.sample(logs, { numRuns: 12, seed: 20261128 });
      const cases: Array<{ file: string; expected: unknown[] }> = [];
      for (const [i, events] of samples.entries()) {
        const text = jsonLines(events);
        const result = await runAudit(options('advice-typescript'), { logs: [memoryInput('mem', text)], importFrom: '../../../lib' });
        const file = path.join(dir, `case${i}.ts`);
        fs.writeFileSync(file, result.stdout);
        cases.push({ file, expected: await advisedObjects(text) });
      }
      const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
      const program = ts.createProgram(cases.map((c) => c.file), { ...parsed.options, noEmit: true });
      expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);

      for (const c of cases) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(c.file) as Record<string, new (scope: unknown, id: string) => unknown>;
        const app = Testing.app();
        for (const [name, chart] of Object.entries(module)) new chart(app, name);
        const synthesized = app.charts.flatMap((chart) => Testing.synth(chart))
          .filter((o: { kind: string }) => o.kind !== 'ServiceAccount');
        const sort = (objects: unknown[]) => [...objects].sort((a, b) => objectKey(a as never).localeCompare(objectKey(b as never)));
        expect(sort(synthesized)).toEqual(sort(c.expected));
      }
      expect((globalThis as { __pwned?: unknown }).__pwned).toBeUndefined();
    });
  });
});
