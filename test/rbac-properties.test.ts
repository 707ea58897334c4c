import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { AccessRequest, KubeObject, RbacInputError, RbacPolicy, authorize, parseManifests, serviceAccountUser } from '../lib/rbac';

const RUNS = { numRuns: 60, seed: 20261123 };
const NAMESPACES = ['dev', 'default', 'kube-system'];
const word = fc.constantFrom('a', 'b', 'dev', 'default', 'secret-access-sa', 'view', 'x');
const verbs = fc.subarray(['get', 'list', 'watch', 'create', 'delete', '*'], { minLength: 1 });
const resources = fc.subarray(['secrets', 'pods', 'pods/log', '*/log', 'configmaps', '*'], { minLength: 1 });

const rule = fc.record({
  apiGroups: fc.constantFrom([''], ['*'], ['apps']),
  resources,
  verbs,
  resourceNames: fc.option(fc.subarray(['api-access-secret', 'x'], { minLength: 1 }), { nil: undefined }),
});
const clusterRole = fc.record({ name: word, rules: fc.array(rule, { maxLength: 3 }) }).map(
  (r): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${r.name}` }, rules: r.rules }) as KubeObject,
);
const subject = fc.oneof(
  fc.record({ kind: fc.constant('ServiceAccount'), name: word, namespace: fc.constantFrom(...NAMESPACES) }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom('system:serviceaccounts', 'system:authenticated', 'devs'), apiGroup: fc.constant('rbac.authorization.k8s.io') }),
);
const binding = fc.record({ name: word, role: word, subjects: fc.array(subject, { minLength: 1, maxLength: 2 }), namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }) }).map(
  (b): KubeObject =>
    ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: b.namespace === undefined ? 'ClusterRoleBinding' : 'RoleBinding',
      metadata: { name: `b-${b.name}`, ...(b.namespace === undefined ? {} : { namespace: b.namespace }) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${b.role}` },
      subjects: b.subjects,
    }) as KubeObject,
);
const request = fc.oneof(
  fc.record({
    verb: fc.constantFrom('get', 'list', 'watch', 'create', 'delete'),
    group: fc.constantFrom('', 'apps'),
    resource: fc.constantFrom('secrets', 'pods', 'configmaps', 'deployments'),
    subresource: fc.option(fc.constant('log'), { nil: undefined }),
    name: fc.option(fc.constantFrom('api-access-secret', 'x'), { nil: undefined }),
    namespace: fc.constantFrom(...NAMESPACES, ''),
  }),
  fc.record({ verb: fc.constant('get'), path: fc.constantFrom('/api', '/apis', '/healthz', '/version', '/metrics', '/logs') }),
) as fc.Arbitrary<AccessRequest>;
const who = fc.record({ ns: fc.constantFrom(...NAMESPACES), name: word }).map(({ ns, name }) => serviceAccountUser(ns, name));

// The generators make rules the server would refuse (resourceNames with several resources); these
// properties are about evaluation, so validation is off.
const evaluateAsGiven = { validate: false } as const;

describe('evaluator properties', () => {
  test('adding a binding never removes an access', () => {
    fc.assert(
      fc.property(fc.array(clusterRole, { maxLength: 4 }), fc.array(binding, { maxLength: 4 }), binding, who, request, (roles, bindings, extra, user, req) => {
        const before = authorize(RbacPolicy.fromObjects([...roles, ...bindings], evaluateAsGiven), user, req).allowed;
        const after = authorize(RbacPolicy.fromObjects([...roles, ...bindings, extra], evaluateAsGiven), user, req).allowed;
        return !before || after;
      }),
      RUNS,
    );
  });

  test('with every binding removed, only what the bootstrap policy grants to any user is left', () => {
    const bootstrapOnly = RbacPolicy.fromObjects([]);
    fc.assert(
      fc.property(fc.array(clusterRole, { maxLength: 4 }), who, request, (roles, user, req) => {
        return authorize(RbacPolicy.fromObjects(roles, evaluateAsGiven), user, req).allowed === authorize(bootstrapOnly, user, req).allowed;
      }),
      RUNS,
    );
    // ...and what is left is discovery and the public info paths, never a resource in a namespace.
    const user = serviceAccountUser('dev', 'anyone');
    expect(authorize(bootstrapOnly, user, { verb: 'get', path: '/api' }).allowed).toBe(true);
    expect(authorize(bootstrapOnly, user, { verb: 'get', resource: 'secrets', name: 'x', namespace: 'dev' }).allowed).toBe(false);
  });
});

describe('loader properties', () => {
  test('random and malformed YAML/JSON never escapes as anything but a typed input error', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
      fc.constantFrom('kind: Role\nmetadata: [', '{"kind": "List", "items": 3}', 'a: b\n---\n- x\n', '---\n\n---\n', 'kind: ClusterRole\nrules: 7\n'),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const result = parseManifests(t, 'fuzz.yaml');
          RbacPolicy.fromLoadResult(result);
        } catch (err) {
          if (!(err instanceof RbacInputError)) throw err;
        }
        return true;
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  test('the CLI exits 2 with a one-line message on malformed input, never a stack trace', () => {
    const cli = path.resolve(__dirname, '..', 'build', 'lib', 'cli', 'main.js');
    expect(fs.existsSync(cli)).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-fuzz-'));
    const samples = fc.sample(fc.string({ minLength: 1, maxLength: 80 }).map((s) => `kind: Role\nmetadata: {${s}`), { numRuns: 6, seed: 7 });
    for (const [i, sample] of samples.entries()) {
      const file = path.join(dir, `bad-${i}.yaml`);
      fs.writeFileSync(file, sample);
      const result = spawnSync(process.execPath, [cli, 'can-i', 'get', 'pods', '--as', 'alice', '-f', file], { encoding: 'utf8' });
      expect({ status: result.status, trace: /^\s+at /m.test(result.stderr) }).toEqual({ status: 2, trace: false });
      expect(result.stderr).toContain('bad-');
    }
  });
});
