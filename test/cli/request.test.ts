import { exitCode } from '../../lib/cli/exit-code';
import { buildRequest, parseResourceColumn } from '../../lib/rbac/request';

describe('buildRequest: kubectl vocabulary', () => {
  const dev = { namespace: 'dev' };
  it.each([
    ['a core resource', 'secrets', { verb: 'get', group: '', resource: 'secrets', namespace: 'dev' }],
    ['RESOURCE/NAME', 'secrets/api-access-secret', { verb: 'get', group: '', resource: 'secrets', name: 'api-access-secret', namespace: 'dev' }],
    ['RESOURCE.GROUP', 'deployments.apps', { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'dev' }],
    ['RESOURCE.GROUP/NAME', 'widgets.example.com/w', { verb: 'get', group: 'example.com', resource: 'widgets', name: 'w', namespace: 'dev' }],
    ['a built-in name resolved to its group', 'roles', { verb: 'get', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'dev' }],
    ['a short name', 'deploy', { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'dev' }],
    ['an unknown bare name, in the core group', 'widgets', { verb: 'get', group: '', resource: 'widgets', namespace: 'dev' }],
    ['a URL path', '/api', { verb: 'get', path: '/api' }],
  ])('%s', (_name, target, request) => {
    expect(buildRequest('get', target, dev)).toEqual(request);
  });

  it('adds --subresource', () => {
    expect(buildRequest('get', 'pods/web', { namespace: 'dev', subresource: 'log' })).toMatchObject({ resource: 'pods', subresource: 'log', name: 'web' });
  });

  it.each([
    ['an empty name', 'secrets/', /ends in "\/"/],
    ['an empty group', 'deployments.', /is not a resource/],
    ['an empty resource', '', /a resource is missing/],
  ])('rejects %s', (_name, target, message) => {
    expect(() => buildRequest('get', target, dev)).toThrow(message);
  });
});

describe('parseResourceColumn', () => {
  it('reads RESOURCE[.GROUP][/SUBRESOURCE]', () => {
    expect(parseResourceColumn('pods/log')).toEqual({ label: 'pods/log', resource: 'pods', group: '', subresource: 'log' });
    expect(parseResourceColumn('deployments.apps/scale')).toEqual({ label: 'deployments.apps/scale', resource: 'deployments', group: 'apps', subresource: 'scale' });
  });
});

describe('exitCode', () => {
  it.each([
    ['yes', { kind: 'answer', allowed: true } as const, 0],
    ['no', { kind: 'answer', allowed: false } as const, 1],
    ['a report', { kind: 'done' } as const, 0],
    ['a usage error', { kind: 'usage-error' } as const, 2],
    ['an input error', { kind: 'input-error' } as const, 2],
  ])('%s', (_name, outcome, code) => {
    expect(exitCode(outcome)).toBe(code);
  });
});
