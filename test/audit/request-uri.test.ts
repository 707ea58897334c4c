import { fieldSelectorName, parseRequestUri } from '../../lib/audit/request-uri';

describe('parseRequestUri derives what the API server authorizes', () => {
  it.each([
    ['GET of one object is get', 'GET', '/api/v1/namespaces/dev/secrets/api-access-secret', { verb: 'get', namespace: 'dev', group: '', version: 'v1', resource: 'secrets', name: 'api-access-secret', subresource: '' }],
    ['GET of a collection is list', 'GET', '/api/v1/namespaces/dev/secrets?limit=500', { verb: 'list', namespace: 'dev', resource: 'secrets', name: '' }],
    ['GET with ?watch=true is watch', 'GET', '/api/v1/namespaces/dev/pods?watch=true&resourceVersion=1', { verb: 'watch', resource: 'pods' }],
    ['GET with ?watch=1 is watch', 'GET', '/api/v1/pods?watch=1', { verb: 'watch', namespace: '' }],
    ['GET with ?watch=false is list', 'GET', '/api/v1/pods?watch=false', { verb: 'list' }],
    ['the /watch/ path prefix is watch', 'GET', '/api/v1/watch/namespaces/dev/pods', { verb: 'watch', namespace: 'dev', resource: 'pods' }],
    ['a field selector on metadata.name names the object', 'GET', '/api/v1/namespaces/dev/secrets?fieldSelector=metadata.name%3Dapi-access-secret', { verb: 'list', name: 'api-access-secret' }],
    ['a watch with a field selector names the object', 'GET', '/api/v1/namespaces/dev/secrets?watch=true&fieldSelector=metadata.name==x', { verb: 'watch', name: 'x' }],
    ['POST is create', 'POST', '/api/v1/namespaces/dev/pods', { verb: 'create', resource: 'pods', name: '' }],
    ['PUT is update', 'PUT', '/api/v1/namespaces/dev/configmaps/c', { verb: 'update', name: 'c' }],
    ['PATCH is patch', 'PATCH', '/apis/apps/v1/namespaces/dev/deployments/web', { verb: 'patch', group: 'apps', version: 'v1', resource: 'deployments', name: 'web' }],
    ['DELETE of one object is delete', 'DELETE', '/api/v1/namespaces/dev/pods/p', { verb: 'delete', name: 'p' }],
    ['DELETE of a collection is deletecollection', 'DELETE', '/api/v1/namespaces/dev/pods', { verb: 'deletecollection', name: '' }],
    ['a subresource is read', 'GET', '/api/v1/namespaces/dev/pods/p/log?container=c', { verb: 'get', resource: 'pods', name: 'p', subresource: 'log' }],
    ['a group subresource is read', 'PUT', '/apis/apps/v1/namespaces/dev/deployments/web/scale', { group: 'apps', resource: 'deployments', subresource: 'scale' }],
    ['a namespace is a cluster-scoped object', 'GET', '/api/v1/namespaces/dev', { verb: 'get', resource: 'namespaces', name: 'dev', namespace: 'dev' }],
    ['namespace status is a subresource of the namespace', 'PUT', '/api/v1/namespaces/dev/status', { resource: 'namespaces', name: 'dev', subresource: 'status' }],
    ['a cluster-scoped resource has no namespace', 'GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles/view', { namespace: '', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'view' }],
  ])('%s', (_name, method, uri, expected) => {
    expect(parseRequestUri(method, uri)).toMatchObject({ isResourceRequest: true, ...expected });
  });

  it.each([
    ['/healthz', 'GET', '/healthz', 'get'],
    ['/api alone', 'GET', '/api', 'get'],
    ['/apis/apps/v1 (discovery)', 'GET', '/apis/apps/v1', 'get'],
    ['/version with POST', 'POST', '/version', 'post'],
  ])('%s is a non-resource request with the lower-case method as verb', (_name, method, uri, verb) => {
    expect(parseRequestUri(method, uri)).toMatchObject({ isResourceRequest: false, verb, path: uri });
  });

  it.each([
    ['metadata.name=x', 'x'],
    ['metadata.namespace=dev,metadata.name=x', 'x'],
    ['metadata.name!=x', undefined],
    ['status.phase=Running', undefined],
  ])('fieldSelectorName(%s)', (selector, expected) => {
    expect(fieldSelectorName(selector)).toBe(expected);
  });
});
