import {
  impersonatedUser, InvalidSubjectError, LabelSelector, malformedServiceAccountWarning, serviceAccountUser, splitServiceAccountUsername,
} from '../../lib/rbac';
import { aggregateErrors, describeDenial, goQuote } from '../../lib/rbac/format';
import { labelSelectorMatches } from '../../lib/rbac/selectors';

describe('serviceAccountUser', () => {
  it('builds the user name and the three groups a token carries', () => {
    expect(serviceAccountUser('dev', 'secret-access-sa')).toEqual({
      name: 'system:serviceaccount:dev:secret-access-sa',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated'],
    });
  });

  it.each([
    ['an upper-case namespace', 'Dev', 'sa', /"Dev" is not a valid namespace name/],
    ['an empty namespace', '', 'sa', /"" is not a valid namespace name/],
    ['a name with a colon', 'dev', 'a:b', /"a:b" is not a valid service account name/],
  ])('rejects %s', (_name, ns, name, message) => {
    expect(() => serviceAccountUser(ns, name)).toThrow(InvalidSubjectError);
    expect(() => serviceAccountUser(ns, name)).toThrow(message);
  });
});

describe('impersonatedUser (kubectl --as / --as-group)', () => {
  it.each<[string, string, string[], string, string[]]>([
    ['a service account gets its groups and system:authenticated', 'system:serviceaccount:dev:sa', [], 'system:serviceaccount:dev:sa',
      ['system:serviceaccounts', 'system:serviceaccounts:dev', 'system:authenticated']],
    ['a plain user gets system:authenticated', 'alice', [], 'alice', ['system:authenticated']],
    ['--as-group replaces the service account groups', 'system:serviceaccount:dev:sa', ['ops'], 'system:serviceaccount:dev:sa', ['ops', 'system:authenticated']],
    ['--as-group keeps the groups given, plus system:authenticated', 'alice', ['devs', 'ops'], 'alice', ['devs', 'ops', 'system:authenticated']],
    ['system:authenticated is not added twice', 'alice', ['system:authenticated'], 'alice', ['system:authenticated']],
    ['system:unauthenticated suppresses system:authenticated', 'alice', ['system:unauthenticated'], 'alice', ['system:unauthenticated']],
    ['system:anonymous gets system:unauthenticated', 'system:anonymous', [], 'system:anonymous', ['system:unauthenticated']],
    ['surrounding spaces are trimmed', '  alice ', [], 'alice', ['system:authenticated']],
    ['system:masters via --as-group', 'admin', ['system:masters'], 'admin', ['system:masters', 'system:authenticated']],
    // The API server's impersonation filter: SplitUsername fails, so these are plain users (system:authenticated only).
    ['a service account user without a name is a plain user', 'system:serviceaccount:dev', [], 'system:serviceaccount:dev', ['system:authenticated']],
    ['a service account user with five parts is a plain user', 'system:serviceaccount:dev:sa:extra', [], 'system:serviceaccount:dev:sa:extra', ['system:authenticated']],
    ['a service account user with an invalid namespace is a plain user', 'system:serviceaccount:Dev:sa', [], 'system:serviceaccount:Dev:sa', ['system:authenticated']],
    ['a service account user with an invalid name is a plain user', 'system:serviceaccount:dev:Bad_Name', [], 'system:serviceaccount:dev:Bad_Name', ['system:authenticated']],
    ['a service account user with an empty name is a plain user', 'system:serviceaccount:dev:', [], 'system:serviceaccount:dev:', ['system:authenticated']],
  ])('%s', (_name, as, groups, expectedName, expectedGroups) => {
    expect(impersonatedUser(as, groups)).toEqual({ name: expectedName, groups: expectedGroups });
  });

  it.each<[string, string, string[], RegExp]>([
    ['an empty --as', '', [], /--as needs a user name/],
    ['a blank --as', '   ', [], /--as needs a user name/],
    ['an empty --as-group', 'alice', [''], /--as-group needs a group name/],
  ])('rejects %s with a clear message', (_name, as, groups, message) => {
    expect(() => impersonatedUser(as, groups)).toThrow(InvalidSubjectError);
    expect(() => impersonatedUser(as, groups)).toThrow(message);
  });

  it('warns about a name that only looks like a service account user, and not about real ones', () => {
    expect(malformedServiceAccountWarning('system:serviceaccount:dev:UPPER')).toMatch(/takes it as a plain user \(groups system:authenticated only\)/);
    expect(malformedServiceAccountWarning('system:serviceaccount:dev:sa')).toBeUndefined();
    expect(malformedServiceAccountWarning('alice')).toBeUndefined();
  });

  it('splits a valid service account user name', () => {
    expect(splitServiceAccountUsername('system:serviceaccount:dev:sa.x')).toEqual({ namespace: 'dev', name: 'sa.x' });
    expect(splitServiceAccountUsername('alice')).toBeUndefined();
  });
});

describe('upstream string formats', () => {
  it.each<[string, string, string]>([
    ['plain', 'dev', '"dev"'],
    ['a quote', 'a"b', '"a\\"b"'],
    ['a backslash', 'a\\b', '"a\\\\b"'],
    ['a newline', 'a\nb', '"a\\nb"'],
    ['a control character', 'a\x01b', '"a\\x01b"'],
    ['unicode stays as is', 'café', '"café"'],
  ])('goQuote: %s', (_name, input, expected) => {
    expect(goQuote(input)).toBe(expected);
  });

  it.each<[string, string[], string]>([
    ['no errors', [], ''],
    ['one error alone', ['a'], 'a'],
    ['several in brackets', ['a', 'b'], '[a, b]'],
    ['duplicates once', ['a', 'a'], 'a'],
    ['duplicates once among several', ['a', 'b', 'a'], '[a, b]'],
  ])('aggregateErrors: %s', (_name, errors, expected) => {
    expect(aggregateErrors(errors)).toBe(expected);
  });

  it.each<[string, Parameters<typeof describeDenial>[1], string]>([
    ['a named resource in a namespace', { verb: 'get', resource: 'secrets', name: 's', namespace: 'dev' }, 'to "get" resource "secrets" named "s" in namespace "dev"'],
    ['a group and subresource', { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale', name: 'web', namespace: 'dev' },
      'to "update" resource "deployments.apps/scale" named "web" in namespace "dev"'],
    ['a cluster-wide list', { verb: 'list', resource: 'nodes' }, 'to "list" resource "nodes" cluster-wide'],
    ['a non-resource URL', { verb: 'get', path: '/metrics' }, 'to "get" nonResourceURL "/metrics" cluster-wide'],
  ])('describeDenial: %s', (_name, request, tail) => {
    expect(describeDenial({ name: 'u', groups: ['g1', 'g2'] }, request)).toBe(`RBAC: no rules authorize user "u" with groups ["g1" "g2"] ${tail}`);
  });
});

describe('labelSelectorMatches', () => {
  const labels = { 'rbac.example.com/aggregate-to-monitoring': 'true', tier: 'gold' };
  it.each<[string, LabelSelector, boolean]>([
    ['matchLabels equal', { matchLabels: { tier: 'gold' } }, true],
    ['matchLabels different value', { matchLabels: { tier: 'silver' } }, false],
    ['matchLabels missing key', { matchLabels: { zone: 'a' } }, false],
    ['all matchLabels must hold', { matchLabels: { tier: 'gold', zone: 'a' } }, false],
    ['empty selector matches everything', {}, true],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] }, true],
    ['In without the label', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    ['NotIn', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['gold'] }] }, false],
    ['NotIn without the label matches', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    ['Exists without the label', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    ['DoesNotExist with the label', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    ['matchLabels and matchExpressions both hold', { matchLabels: { tier: 'gold' }, matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
  ])('%s', (_name, selector, expected) => {
    expect(labelSelectorMatches(selector, labels)).toBe(expected);
  });

  it.each<[string, LabelSelector, RegExp]>([
    ['an unknown operator', { matchExpressions: [{ key: 'tier', operator: 'Equals', values: ['gold'] }] }, /"Equals" is not a valid operator/],
    ['In without values', { matchExpressions: [{ key: 'tier', operator: 'In' }] }, /operator In needs at least one value/],
    ['Exists with values', { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['x'] }] }, /operator Exists takes no values/],
  ])('rejects %s', (_name, selector, message) => {
    expect(() => labelSelectorMatches(selector, labels)).toThrow(message);
  });
});
