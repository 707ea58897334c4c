/**
 * The access diff's definition, as a property: for random base and head policies (wildcards,
 * resourceNames, subresources, `*`/subresource rules, URLs with prefixes, Roles, RoleBindings,
 * aggregated ClusterRoles, cluster-scoped resources) and random requests (including verbs,
 * resources, names, namespaces and paths no rule mentions), the diff classifies a request for a
 * subject as gained exactly when `authorize(head)` allows it and `authorize(base)` denies it, as
 * lost in the reverse case, and as unchanged otherwise.
 */
import * as fc from 'fast-check';
import { AccessRequest, authorize, KubeObject, RbacPolicy } from '../../lib/rbac';
import { classifyRequest, diffAccess } from '../../lib/rbac/diff/access-diff';
import { diffSubjects } from '../../lib/rbac/diff/grants';

const RUNS = { numRuns: 100, seed: 20261204 };
// Each property builds and diffs hundreds of policy pairs: minutes on a busy machine.
jest.setTimeout(600_000);
const NAMESPACES = ['dev', 'prod', 'kube-system'];
const RB = 'rbac.authorization.k8s.io';

const verbs = fc.subarray(['get', 'list', 'create', 'delete', 'escalate', '*'], { minLength: 1 });
const resources = fc.subarray(['secrets', 'pods', 'pods/log', 'pods/exec', '*/log', '*', 'nodes', 'nodes/proxy', 'namespaces', 'deployments', 'widgets'], { minLength: 1 });
const resourceRule = fc.record({
  apiGroups: fc.subarray(['', 'apps', '*', 'example.com'], { minLength: 1 }),
  resources,
  verbs,
  resourceNames: fc.option(fc.subarray(['api-access-secret', 'x', 'dev', 'node-1'], { minLength: 1 }), { nil: undefined }),
});
const urlRule = fc.record({ verbs, nonResourceURLs: fc.subarray(['/api', '/api/*', '/healthz', '/healthz/*', '*', '/metrics', '/apis*'], { minLength: 1 }) });
const rule = fc.oneof({ weight: 4, arbitrary: resourceRule }, { weight: 1, arbitrary: urlRule });
const word = fc.constantFrom('a', 'b', 'c');
const labels = fc.option(fc.constantFrom({ agg: 'yes' }, { agg: 'no' }), { nil: undefined });

const clusterRole = fc.record({ name: word, rules: fc.array(rule, { maxLength: 3 }), labels, aggregate: fc.boolean() }).map(
  (r): KubeObject => ({
    apiVersion: `${RB}/v1`, kind: 'ClusterRole',
    metadata: { name: `cr-${r.name}`, ...(r.labels ? { labels: r.labels } : {}) },
    rules: r.rules,
    ...(r.aggregate ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: 'yes' } }] } } : {}),
  }) as KubeObject,
);
const role = fc.record({ name: word, namespace: fc.constantFrom(...NAMESPACES), rules: fc.array(resourceRule, { maxLength: 2 }) }).map(
  (r): KubeObject => ({ apiVersion: `${RB}/v1`, kind: 'Role', metadata: { name: `role-${r.name}`, namespace: r.namespace }, rules: r.rules }) as KubeObject,
);
const subject = fc.oneof(
  fc.record({ kind: fc.constant('ServiceAccount'), name: word, namespace: fc.constantFrom(...NAMESPACES) }),
  fc.record({ kind: fc.constant('User'), name: fc.constantFrom('alice', 'bob', 'system:serviceaccount:dev:a'), apiGroup: fc.constant(RB) }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom('system:serviceaccounts', 'system:authenticated', 'devs', 'system:serviceaccounts:dev'), apiGroup: fc.constant(RB) }),
);
const binding = fc.record({
  name: word, role: word, roleKind: fc.constantFrom('ClusterRole', 'Role'), subjects: fc.array(subject, { minLength: 1, maxLength: 2 }),
  namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
}).map((b): KubeObject => ({
  apiVersion: `${RB}/v1`,
  kind: b.namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
  metadata: { name: `b-${b.name}`, ...(b.namespace === undefined ? {} : { namespace: b.namespace }) },
  roleRef: { apiGroup: RB, kind: b.namespace === undefined ? 'ClusterRole' : b.roleKind, name: b.roleKind === 'Role' && b.namespace !== undefined ? `role-${b.role}` : `cr-${b.role}` },
  subjects: b.subjects,
}) as KubeObject);
const policyObjects = fc.tuple(fc.array(clusterRole, { maxLength: 4 }), fc.array(role, { maxLength: 2 }), fc.array(binding, { maxLength: 5 }))
  .map(([a, b, c]) => [...a, ...b, ...c]);

const anyValue = <T>(known: readonly T[], unknown: readonly T[]) => fc.constantFrom(...known, ...unknown);
const request = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    verb: anyValue(['get', 'list', 'create', 'escalate'], ['frobnicate']),
    group: anyValue(['', 'apps', 'example.com'], ['storage.k8s.io']),
    resource: anyValue(['secrets', 'pods', 'nodes', 'namespaces', 'widgets'], ['storageclasses', 'gadgets']),
    subresource: fc.option(anyValue(['log', 'proxy'], ['status']), { nil: undefined, freq: 3 }),
    name: fc.option(anyValue(['x', 'dev', 'node-1'], ['zzz']), { nil: undefined, freq: 3 }),
    namespace: anyValue([...NAMESPACES, ''], ['elsewhere']),
  }) },
  { weight: 1, arbitrary: fc.record({ verb: anyValue(['get', 'create'], ['frobnicate']), path: anyValue(['/api', '/api/v1', '/healthz', '/healthz/etcd', '/metrics', '/apis', '/apis/apps'], ['/version', '/', '/api2']) }) },
) as fc.Arbitrary<AccessRequest>;

const asGiven = { validate: false } as const;

function checkAll(base: RbacPolicy, head: RbacPolicy, requests: readonly AccessRequest[]): void {
  const diff = diffAccess({ policy: base }, { policy: head });
  for (const s of diffSubjects([base, head])) {
    for (const r of requests) {
      const was = authorize(base, s.user, r).allowed;
      const is = authorize(head, s.user, r).allowed;
      const expected = is && !was ? 'gained' : was && !is ? 'lost' : undefined;
      const got = classifyRequest(diff, s.key, r);
      if (got !== expected) {
        throw new Error(`${s.key} ${JSON.stringify(r)}: diff says ${String(got)}, authorize says ${String(expected)} (base ${was}, head ${is})`);
      }
    }
  }
}

describe('access diff equals authorize(head) versus authorize(base)', () => {
  test('for random base and head policies and random requests', () => {
    fc.assert(
      fc.property(policyObjects, policyObjects, fc.array(request, { minLength: 20, maxLength: 40 }), (a, b, requests) => {
        checkAll(RbacPolicy.fromObjects(a, asGiven), RbacPolicy.fromObjects(b, asGiven), requests);
      }),
      RUNS,
    );
  });

  test('for a head that changes a few objects of the base (the pull-request case)', () => {
    fc.assert(
      fc.property(policyObjects, policyObjects, fc.array(fc.nat(), { maxLength: 3 }), fc.array(request, { minLength: 20, maxLength: 40 }), (a, extra, drop, requests) => {
        const kept = a.filter((_, i) => !drop.includes(i % Math.max(a.length, 1)));
        checkAll(RbacPolicy.fromObjects(a, asGiven), RbacPolicy.fromObjects([...kept, ...extra.slice(0, 2)], asGiven), requests);
      }),
      RUNS,
    );
  });

  test('when a CustomResourceDefinition moves a resource between namespaced and cluster-scoped', () => {
    const crd = (scope: string): KubeObject => ({
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
      spec: { group: 'example.com', scope, names: { plural: 'widgets', singular: 'widget', kind: 'Widget' }, versions: [{ name: 'v1', served: true, storage: true }] },
    }) as KubeObject;
    fc.assert(
      fc.property(policyObjects, fc.array(request, { minLength: 20, maxLength: 40 }), (a, requests) => {
        checkAll(RbacPolicy.fromObjects([crd('Namespaced'), ...a], asGiven), RbacPolicy.fromObjects([crd('Cluster'), ...a], asGiven), [
          ...requests, { verb: 'get', group: 'example.com', resource: 'widgets', name: 'x', namespace: 'dev' },
        ]);
      }),
      { ...RUNS, numRuns: 60 },
    );
  });
});
