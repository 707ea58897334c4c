import { PolicyRule, ResourceAttributes, Subject, UserInfo } from '../../lib/rbac';
import {
  apiGroupMatches, appliesTo, nonResourceURLMatches, resourceMatches, resourceNameMatches, ruleAllows, subjectAppliesTo, verbMatches,
} from '../../lib/rbac/matchers';

const rule = (r: Partial<PolicyRule>): PolicyRule => ({ verbs: [], ...r });

describe('verbMatches', () => {
  it.each<[string, string[], string, boolean]>([
    ['exact verb', ['get'], 'get', true],
    ['one of several verbs', ['get', 'list', 'watch'], 'watch', true],
    ['wildcard matches any verb', ['*'], 'deletecollection', true],
    ['wildcard matches a custom verb', ['*'], 'impersonate', true],
    ['other verb', ['get'], 'list', false],
    ['no verbs matches nothing', [], 'get', false],
    ['verbs are case-sensitive', ['Get'], 'get', false],
    ['no prefix matching', ['get'], 'ge', false],
    ['no glob within a verb', ['g*'], 'get', false],
  ])('%s', (_name, verbs, verb, expected) => {
    expect(verbMatches(rule({ verbs }), verb)).toBe(expected);
  });
});

describe('apiGroupMatches', () => {
  it.each<[string, string[] | undefined, string, boolean]>([
    ['core group ""', [''], '', true],
    ['named group', ['apps'], 'apps', true],
    ['wildcard matches core', ['*'], '', true],
    ['wildcard matches any group', ['*'], 'rbac.authorization.k8s.io', true],
    ['core does not match apps', [''], 'apps', false],
    ['apps does not match core', ['apps'], '', false],
    ['missing apiGroups matches nothing', undefined, '', false],
    ['empty apiGroups matches nothing', [], 'apps', false],
    ['no suffix matching', ['k8s.io'], 'apps.k8s.io', false],
  ])('%s', (_name, apiGroups, group, expected) => {
    expect(apiGroupMatches(rule({ apiGroups }), group)).toBe(expected);
  });
});

describe('resourceMatches', () => {
  it.each<[string, string[], string, string, boolean]>([
    ['exact resource', ['pods'], 'pods', '', true],
    ['wildcard matches a resource', ['*'], 'pods', '', true],
    ['wildcard matches a subresource', ['*'], 'pods/log', 'log', true],
    ['exact subresource', ['pods/log'], 'pods/log', 'log', true],
    ['resource does not grant its subresource', ['pods'], 'pods/log', 'log', false],
    ['subresource does not grant the resource', ['pods/log'], 'pods', '', false],
    ['*/subresource matches any resource\'s subresource', ['*/scale'], 'deployments/scale', 'scale', true],
    ['*/subresource matches another resource too', ['*/scale'], 'replicasets/scale', 'scale', true],
    ['*/subresource does not match the bare resource', ['*/scale'], 'deployments', '', false],
    ['*/subresource does not match another subresource', ['*/scale'], 'deployments/status', 'status', false],
    ['*/subresource needs the exact subresource length', ['*/log'], 'pods/logs', 'logs', false],
    ['*/ with a longer suffix does not match', ['*/status'], 'pods/xstatus', 'xstatus', false],
    ['other resource', ['pods'], 'secrets', '', false],
    ['other subresource of the same resource', ['pods/exec'], 'pods/log', 'log', false],
    ['resources are case-sensitive', ['Pods'], 'pods', '', false],
    ['no prefix matching', ['pod'], 'pods', '', false],
    ['no glob within a resource', ['pod*'], 'pods', '', false],
    ['resource/* is not a wildcard', ['pods/*'], 'pods/log', 'log', false],
    ['empty resources matches nothing', [], 'pods', '', false],
  ])('%s', (_name, resources, combined, sub, expected) => {
    expect(resourceMatches(rule({ resources }), combined, sub)).toBe(expected);
  });
});

describe('resourceNameMatches', () => {
  it.each<[string, string[] | undefined, string, boolean]>([
    ['no resourceNames matches any name', undefined, 'x', true],
    ['no resourceNames matches a nameless request', undefined, '', true],
    ['empty resourceNames matches any name', [], 'x', true],
    ['listed name', ['api-access-secret'], 'api-access-secret', true],
    ['one of several names', ['a', 'b'], 'b', true],
    ['unlisted name', ['api-access-secret'], 'other', false],
    ['a nameless request never matches names', ['api-access-secret'], '', false],
    ['names are exact (no wildcard)', ['*'], 'anything', false],
    ['names are case-sensitive', ['Secret'], 'secret', false],
  ])('%s', (_name, resourceNames, name, expected) => {
    expect(resourceNameMatches(rule({ resourceNames }), name)).toBe(expected);
  });
});

describe('nonResourceURLMatches', () => {
  it.each<[string, string[], string, boolean]>([
    ['exact URL', ['/api'], '/api', true],
    ['wildcard * matches any URL', ['*'], '/metrics', true],
    ['trailing * is a prefix', ['/healthz/*'], '/healthz/etcd', true],
    ['trailing * matches deeper paths', ['/apis/*'], '/apis/apps/v1', true],
    ['trailing * does not match the bare path', ['/healthz/*'], '/healthz', false],
    ['prefix without slash matches siblings', ['/healthz*'], '/healthzzz', true],
    ['prefix without slash matches the bare path', ['/healthz*'], '/healthz', true],
    ['no implicit prefix', ['/api'], '/api/v1', false],
    ['trailing slash matters', ['/version/'], '/version', false],
    ['several trailing * trimmed', ['/api/**'], '/api/v1', true],
    ['* inside is literal', ['/api/*/pods'], '/api/v1/pods', false],
    ['empty list matches nothing', [], '/api', false],
  ])('%s', (_name, nonResourceURLs, path, expected) => {
    expect(nonResourceURLMatches(rule({ nonResourceURLs }), path)).toBe(expected);
  });
});

describe('ruleAllows', () => {
  const secretGetter = rule({ apiGroups: [''], resources: ['secrets'], resourceNames: ['api-access-secret'], verbs: ['get'] });
  const podReader = rule({ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] });
  const scaler = rule({ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] });
  const discovery = rule({ nonResourceURLs: ['/api', '/api/*'], verbs: ['get'] });

  it.each<[string, PolicyRule, ResourceAttributes | { verb: string; path: string }, boolean]>([
    ['get of the named secret', secretGetter, { verb: 'get', resource: 'secrets', name: 'api-access-secret' }, true],
    ['get of another secret', secretGetter, { verb: 'get', resource: 'secrets', name: 'db' }, false],
    ['list never matches a rule with names', secretGetter, { verb: 'list', resource: 'secrets' }, false],
    ['watch never matches a rule with names', rule({ ...secretGetter, verbs: ['watch'] }), { verb: 'watch', resource: 'secrets' }, false],
    ['create never matches a rule with names', rule({ ...secretGetter, verbs: ['create'] }), { verb: 'create', resource: 'secrets' }, false],
    ['deletecollection never matches a rule with names', rule({ ...secretGetter, verbs: ['deletecollection'] }), { verb: 'deletecollection', resource: 'secrets' }, false],
    ['a named list (fieldSelector) matches a rule with names', rule({ ...secretGetter, verbs: ['list'] }), { verb: 'list', resource: 'secrets', name: 'api-access-secret' }, true],
    ['the group must match too', secretGetter, { verb: 'get', group: 'apps', resource: 'secrets', name: 'api-access-secret' }, false],
    ['pods/log via subresource field', podReader, { verb: 'get', resource: 'pods', subresource: 'log', name: 'p' }, true],
    ['pods/exec not granted by pods', podReader, { verb: 'get', resource: 'pods', subresource: 'exec', name: 'p' }, false],
    ['*/scale on deployments', scaler, { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web' }, true],
    ['*/scale not on the deployment itself', scaler, { verb: 'update', group: 'apps', resource: 'deployments', name: 'web' }, false],
    ['a non-resource rule never allows a resource request', discovery, { verb: 'get', resource: 'pods' }, false],
    ['a resource rule never allows a non-resource request', podReader, { verb: 'get', path: '/api' }, false],
    ['non-resource exact', discovery, { verb: 'get', path: '/api' }, true],
    ['non-resource prefix', discovery, { verb: 'get', path: '/api/v1' }, true],
    ['non-resource wrong verb', discovery, { verb: 'post', path: '/api' }, false],
    ['full wildcard rule', rule({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }), { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'x' }, true],
  ])('%s', (_name, r, request, expected) => {
    expect(ruleAllows(request, r)).toBe(expected);
  });
});

describe('subject matching (appliesToUser)', () => {
  const sa: UserInfo = { name: 'system:serviceaccount:dev:reader', groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'] };
  const alice: UserInfo = { name: 'alice', groups: ['devs', 'system:authenticated'] };

  it.each<[string, UserInfo, Subject, string, boolean]>([
    ['User by name', alice, { kind: 'User', name: 'alice' }, '', true],
    ['User with another name', alice, { kind: 'User', name: 'bob' }, '', false],
    ['User names are case-sensitive', alice, { kind: 'User', name: 'Alice' }, '', false],
    ['Group the user is in', alice, { kind: 'Group', name: 'devs' }, '', true],
    ['Group the user is not in', alice, { kind: 'Group', name: 'ops' }, '', false],
    ['a group name is not a user name', alice, { kind: 'Group', name: 'alice' }, '', false],
    ['ServiceAccount with namespace', sa, { kind: 'ServiceAccount', name: 'reader', namespace: 'dev' }, '', true],
    ['ServiceAccount in another namespace', sa, { kind: 'ServiceAccount', name: 'reader', namespace: 'prod' }, '', false],
    ['ServiceAccount without namespace takes the RoleBinding\'s', sa, { kind: 'ServiceAccount', name: 'reader' }, 'dev', true],
    ['ServiceAccount without namespace in another RoleBinding namespace', sa, { kind: 'ServiceAccount', name: 'reader' }, 'prod', false],
    ['ServiceAccount without namespace in a ClusterRoleBinding matches nobody', sa, { kind: 'ServiceAccount', name: 'reader' }, '', false],
    ['the subject namespace wins over the binding\'s', sa, { kind: 'ServiceAccount', name: 'reader', namespace: 'dev' }, 'prod', true],
    ['User subject naming the SA user also matches', sa, { kind: 'User', name: 'system:serviceaccount:dev:reader' }, '', true],
    ['Group system:serviceaccounts:dev', sa, { kind: 'Group', name: 'system:serviceaccounts:dev' }, '', true],
    ['unknown kind matches nobody', alice, { kind: 'Robot', name: 'alice' }, '', false],
    ['kinds are case-sensitive', alice, { kind: 'user', name: 'alice' }, '', false],
  ])('%s', (_name, user, subject, ns, expected) => {
    expect(subjectAppliesTo(user, subject, ns)).toBe(expected);
  });

  it('appliesTo returns the index of the first subject that applies', () => {
    const subjects: Subject[] = [{ kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'User', name: 'alice' }];
    expect(appliesTo(alice, subjects, '')).toBe(1);
    expect(appliesTo(alice, [], '')).toBe(-1);
    expect(appliesTo(alice, null, '')).toBe(-1);
  });
});
