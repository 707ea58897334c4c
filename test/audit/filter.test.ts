import { AuditFlagValues, auditOptions } from '../../lib/cli/commands/audit-options';
import { AuditFilter, AuditRecord, AuditUsageError, compileFilter, expandUser, parseResourceSelector, parseTimeBound, recordFromEvent } from '../../lib/audit';
import { serviceAccountSpelling } from '../../lib/audit/filter';
import { auditEvent, forbidden, record as eventRecord, saUser } from './events';

function record(overrides: Record<string, unknown> = {}): AuditRecord {
  const r = recordFromEvent(auditEvent(overrides), { file: 't', line: 1 });
  if (typeof r === 'string') throw new Error(r);
  return r;
}

const SECRET_READ = record();
const DENIED = (() => {
  const r = recordFromEvent(forbidden({ user: saUser('dev', 'no-access-sa') }), { file: 't', line: 2 });
  return r as AuditRecord;
})();
const POD_LOG = record({ verb: 'get', objectRef: { resource: 'pods', subresource: 'log', namespace: 'dev', name: 'p', apiVersion: 'v1' } });
const DEPLOYMENT = record({ verb: 'patch', objectRef: { resource: 'deployments', apiGroup: 'apps', namespace: 'prod', name: 'web', apiVersion: 'v1' } });
const EARLY = record({ requestReceivedTimestamp: '2024-05-01T09:00:00.000000Z' });
const RECEIVED = record({ stage: 'RequestReceived' });

const keeps = (filter: AuditFilter, r: AuditRecord) => compileFilter(filter)(r);

describe('filters', () => {
  it.each<[string, AuditFilter, AuditRecord, boolean]>([
    ['no filter keeps a ResponseComplete event', {}, SECRET_READ, true],
    ['the default stage drops RequestReceived (a request counts once)', {}, RECEIVED, false],
    ['--stage all keeps RequestReceived', { stages: 'all' }, RECEIVED, true],
    ['--stage RequestReceived keeps only it', { stages: ['RequestReceived'] }, SECRET_READ, false],
    ['--user keeps the user', { users: ['system:serviceaccount:dev:secret-access-sa'] }, SECRET_READ, true],
    ['--user drops other users', { users: ['system:serviceaccount:dev:secret-access-sa'] }, DENIED, false],
    ['--namespace keeps the namespace', { namespaces: ['dev'] }, SECRET_READ, true],
    ['--namespace drops other namespaces', { namespaces: ['prod'] }, SECRET_READ, false],
    ['--resource secrets keeps secrets', { resources: [{ resource: 'secrets', subresource: '' }] }, SECRET_READ, true],
    ['--resource pods does not keep pods/log (RBAC semantics)', { resources: [{ resource: 'pods', subresource: '' }] }, POD_LOG, false],
    ['--resource pods/log keeps pods/log', { resources: [{ resource: 'pods', subresource: 'log' }] }, POD_LOG, true],
    ['--resource pods/* keeps pods/log', { resources: [{ resource: 'pods', subresource: '*' }] }, POD_LOG, true],
    ['--resource deployments.apps keeps the apps group', { resources: [{ resource: 'deployments', group: 'apps', subresource: '' }] }, DEPLOYMENT, true],
    ['--resource deployments.extensions drops the apps group', { resources: [{ resource: 'deployments', group: 'extensions', subresource: '' }] }, DEPLOYMENT, false],
    ['--name keeps the named object', { names: ['api-access-secret'] }, SECRET_READ, true],
    ['--verb keeps the verb', { verbs: ['get', 'list'] }, SECRET_READ, true],
    ['--verb drops other verbs', { verbs: ['patch'] }, SECRET_READ, false],
    ['--decision allow keeps allowed', { decision: 'allow' }, SECRET_READ, true],
    ['--decision allow drops forbidden', { decision: 'allow' }, DENIED, false],
    ['--decision forbid keeps forbidden', { decision: 'forbid' }, DENIED, true],
    ['--since keeps later events', { since: Date.parse('2024-05-01T09:30:00Z') }, SECRET_READ, true],
    ['--since drops earlier events', { since: Date.parse('2024-05-01T09:30:00Z') }, EARLY, false],
    ['--until keeps earlier events', { until: Date.parse('2024-05-01T09:30:00Z') }, EARLY, true],
    ['--until drops later events', { until: Date.parse('2024-05-01T09:30:00Z') }, SECRET_READ, false],
    ['all filters together', { users: ['system:serviceaccount:dev:secret-access-sa'], namespaces: ['dev'], verbs: ['get'], decision: 'allow', resources: [{ resource: 'secrets' }] }, SECRET_READ, true],
  ])('%s', (_name, filter, r, expected) => {
    expect(keeps(filter, r)).toBe(expected);
  });

  it('--user matches the impersonated user too', () => {
    const impersonating = record({ user: { username: 'admin', groups: ['system:masters'] }, impersonatedUser: { username: 'alice' } });
    expect(keeps({ users: ['alice'] }, impersonating)).toBe(true);
  });
});

describe('flag values', () => {
  it.each([
    ['dev:secret-access-sa', 'dev:secret-access-sa'], // a user of that literal name, as for kubectl --as (issue 22)
    [' dev:* ', 'dev:*'],
    ['alice', 'alice'],
    ['system:admin', 'system:admin'],
    ['system:serviceaccount:dev:x', 'system:serviceaccount:dev:x'],
    ['oidc:Alice@example.com', 'oidc:Alice@example.com'],
  ])('--user %s means %s', (value, expected) => {
    expect(expandUser(value)).toBe(expected);
  });

  it.each([
    ['dev:secret-access-sa', 'system:serviceaccount:dev:secret-access-sa'],
    ['dev:*', 'system:serviceaccount:dev:*'],
    ['alice', undefined],
    ['system:admin', undefined],
    ['system:serviceaccount:dev:x', undefined],
    ['oidc:Alice@example.com', undefined],
  ])('a --user %s that selects nothing gets "did you mean %s"', (value, meant) => {
    expect(serviceAccountSpelling(value)).toBe(meant);
  });

  it.each([
    ['secrets', { resource: 'secrets', subresource: '' }],
    ['pods/log', { resource: 'pods', subresource: 'log' }],
    ['deployments.apps', { resource: 'deployments', group: 'apps', subresource: '' }],
    ['deployments.apps/scale', { resource: 'deployments', group: 'apps', subresource: 'scale' }],
  ])('--resource %s', (value, expected) => {
    expect(parseResourceSelector(value)).toEqual(expected);
  });

  it.each(['', 'pods/', '.apps'])('--resource %j is a usage error', (value) => {
    expect(() => parseResourceSelector(value)).toThrow(AuditUsageError);
  });

  const NOW = Date.parse('2024-05-01T12:00:00Z');
  it.each([
    ['an RFC 3339 time', '2024-05-01T10:00:00Z', Date.parse('2024-05-01T10:00:00Z')],
    ['an RFC 3339 time with offset and fraction', '2024-05-01T12:00:00.5+02:00', Date.parse('2024-05-01T10:00:00.5Z')],
    ['hours back', '1h', NOW - 3_600_000],
    ['combined units', '1h30m', NOW - 5_400_000],
    ['days back', '2d', NOW - 2 * 86_400_000],
  ])('--since takes %s', (_name, value, expected) => {
    expect(parseTimeBound(value, '--since', NOW)).toBe(expected);
  });

  it('--since rejects other text with an example', () => {
    expect(() => parseTimeBound('yesterday', '--since', NOW)).toThrow(/--since "yesterday" is neither an RFC 3339 time nor a duration: use e.g./);
  });
});

function flags(values: Record<string, string | string[] | boolean>): AuditFlagValues {
  return {
    boolean: (n) => values[n] === true,
    string: (n) => (typeof values[n] === 'string' ? (values[n] as string) : undefined),
    list: (n) => (Array.isArray(values[n]) ? (values[n] as string[]) : []),
  };
}

describe('auditOptions', () => {
  const NOW = Date.parse('2024-05-01T12:00:00Z');

  it('builds the filter and view from flags', () => {
    const o = auditOptions(['audit.log'], flags({ user: ['system:serviceaccount:dev:secret-access-sa'], resource: ['secrets'], decision: 'allow', since: '1h', output: 'summary' }), NOW);
    expect(o).toEqual({
      logs: ['audit.log'],
      view: 'summary',
      filter: { users: ['system:serviceaccount:dev:secret-access-sa'], resources: [{ resource: 'secrets', subresource: '' }], decision: 'allow', since: NOW - 3_600_000 },
    });
  });

  it('reads stdin when no log is given', () => {
    expect(auditOptions([], flags({}), NOW).logs).toEqual(['-']);
  });

  it.each([
    ['--decision maybe', { decision: 'maybe' }, /--decision "maybe" is not allow or forbid/],
    ['--stage Done', { stage: ['Done'] }, /--stage "Done" is not a stage/],
    ['--output xml', { output: 'xml' }, /--output "xml" is not a view/],
    ['--missing-only without --advise', { 'missing-only': true }, /--missing-only goes with --advise/],
    ['--max-names zero', { advise: true, 'max-names': '0' }, /--max-names must be a whole number/],
    ['--user-regex that does not compile', { 'user-regex': '(' }, /--user-regex "\(" is not a regular expression/],
    ['--advise with --output json', { advise: true, user: ['a'], output: 'json' }, /does not go with --advise/],
    ['--since after --until', { since: '2024-05-01T11:00:00Z', until: '2024-05-01T10:00:00Z' }, /--since is after --until/],
  ])('rejects %s', (_name, values, message) => {
    expect(() => auditOptions([], flags(values as Record<string, string | string[] | boolean>), NOW)).toThrow(message);
  });

  it('--advise picks the advice view; --user filters the subjects', () => {
    const o = auditOptions([], flags({ advise: true, user: ['system:serviceaccount:dev:secret-access-sa'], output: 'typescript' }), NOW);
    expect([o.view, o.advise, o.filter.users]).toEqual(['advice-typescript', {}, ['system:serviceaccount:dev:secret-access-sa']]);
  });

  it('--advise alone advises every subject, with its options', () => {
    const o = auditOptions([], flags({ advise: true, 'keep-names': true, 'max-names': '3', 'include-system-identities': true }), NOW);
    expect([o.view, o.advise, o.filter.users]).toEqual(['advice-yaml', { keepNames: true, maxNames: 3, includeSystemIdentities: true }, undefined]);
  });

  it('selects subjects by prefix, regex and group', () => {
    const o = auditOptions([], flags({ user: ['system:serviceaccount:dev:*', 'oidc:ali*'], 'user-regex': '^alice', group: ['devs'] }), NOW);
    expect(o.filter).toMatchObject({ users: ['system:serviceaccount:dev:*', 'oidc:ali*'], userPattern: '^alice', groups: ['devs'] });
    const keep = compileFilter(o.filter);
    expect(keep(eventRecord({ user: { username: 'system:serviceaccount:dev:web-sa', groups: ['devs'] } }))).toBe(false);
    expect(keep(eventRecord({ user: { username: 'alice', groups: ['devs'] } }))).toBe(false);
    const both = compileFilter({ users: ['oidc:*', 'system:serviceaccount:dev:*'], groups: ['devs'] });
    expect(both(eventRecord({ user: { username: 'oidc:alice', groups: ['devs'] } }))).toBe(true);
    expect(both(eventRecord({ user: { username: 'system:serviceaccount:dev:web-sa', groups: ['devs'] } }))).toBe(true);
    expect(both(eventRecord({ user: { username: 'system:serviceaccount:prod:web-sa', groups: ['devs'] } }))).toBe(false);
    expect(both(eventRecord({ user: { username: 'oidc:bob', groups: ['ops'] } }))).toBe(false);
    expect(compileFilter({ userPattern: '^oidc:(alice|bob)$' })(eventRecord({ user: { username: 'oidc:bob', groups: [] } }))).toBe(true);
  });
});
