import { buildRequest, InvalidRequestError, lookupResource } from '../../lib/rbac';
import { runInProcess } from '../cli/cli';

const DIST = 'dist/';

describe("kubectl's resource names come from the release's discovery data", () => {
  it.each([
    ['ip', { resource: 'ipaddresses', group: 'networking.k8s.io' }],
    ['runtimeclass', { resource: 'runtimeclasses', group: 'node.k8s.io' }],
    ['deploy', { resource: 'deployments', group: 'apps' }],
    ['pod', { resource: 'pods', group: '' }],
    ['events', { resource: 'events', group: '' }],
  ])('resolves %s as kubectl does', (name, expected) => {
    expect(lookupResource(name)).toEqual(expected);
  });

  it('resolves with the chosen release, and refuses a release it has no data for', () => {
    expect(lookupResource('volumeattributesclass', [], '1.35')).toEqual({ resource: 'volumeattributesclasses', group: 'storage.k8s.io' });
    expect(() => lookupResource('pods', [], '1.20')).toThrow(/1\.20/);
  });

  it('refuses an unknown bare resource when strict, with how to fix it', () => {
    expect(() => buildRequest('get', 'podz', { namespace: 'dev' }, { strict: true })).toThrow(InvalidRequestError);
    expect(() => buildRequest('get', 'podz', { namespace: 'dev' }, { strict: true })).toThrow(/write RESOURCE\.GROUP/);
  });
});

describe('api-reader warns about a resource type the server does not have, as kubectl does', () => {
  it('warns on a typo and still answers for the name as written', async () => {
    const r = await runInProcess(['can-i', 'get', 'secretz', '-n', 'dev', '--as', 'system:serviceaccount:dev:secret-access-sa', '-f', DIST]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the server doesn't have a resource type 'secretz'");
  });

  it('does not warn for a known resource, a singular name or a short name', async () => {
    for (const resource of ['secrets/api-access-secret', 'secret/api-access-secret', 'po']) {
      const r = await runInProcess(['can-i', 'get', resource, '-n', 'dev', '--as', 'system:serviceaccount:dev:secret-access-sa', '-f', DIST]);
      expect(r.stderr).not.toContain("doesn't have a resource type");
    }
  });
});
