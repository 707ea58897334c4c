import * as fs from 'fs';
import * as path from 'path';
import {
  apiResourcesFor, authorize, BOOTSTRAP_POLICY_VERSION, bootstrapClusterRoles, bootstrapObjects, bootstrapPolicyFor, DEFAULT_KUBE_VERSION, impersonatedUser,
  kubeDataFor, RbacPolicy, resolveKubeVersion, serviceAccountUser, SUPPORTED_KUBE_VERSIONS, UnsupportedKubeVersionError,
} from '../../lib/rbac';

const ROOT = path.resolve(__dirname, '../..');

/** A policy of one release's bootstrap objects plus a RoleBinding of `role` in `ns` to user `u`. */
function withRoleBoundInNs(version: string, role: string): RbacPolicy {
  const p = bootstrapPolicyFor(version);
  return RbacPolicy.fromObjects([
    ...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings,
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'rb', namespace: 'ns' }, roleRef: { kind: 'ClusterRole', name: role }, subjects: [{ kind: 'User', name: 'u' }] },
  ], { bootstrap: false });
}

describe('Kubernetes releases', () => {
  it('supports 1.33, 1.34 and 1.35, defaulting to the minor of the e2e kube-apiserver', () => {
    expect(SUPPORTED_KUBE_VERSIONS).toEqual(['1.33', '1.34', '1.35']);
    const e2e = /K8S_VERSION="\$\{K8S_VERSION:-(v[0-9.]+)\}"/.exec(fs.readFileSync(path.join(ROOT, 'e2e/scripts/build-control-plane.sh'), 'utf8'));
    expect(e2e?.[1]).toBe('v1.35.4');
    expect(DEFAULT_KUBE_VERSION).toBe('1.35');
    expect(BOOTSTRAP_POLICY_VERSION).toBe(e2e?.[1]);
  });

  it.each(['1.35', 'v1.35', '1.35.4', 'v1.35.0', ' 1.35 '])('reads %j as 1.35', (v) => {
    expect(resolveKubeVersion(v)).toBe('1.35');
  });

  it.each(['1.32', '1.36', '2.0', '1', 'latest', '', '1.35.x', 'v1.035a'])('refuses %j, naming the supported versions', (v) => {
    expect(() => bootstrapPolicyFor(v)).toThrow(UnsupportedKubeVersionError);
    expect(() => apiResourcesFor(v)).toThrow(`Kubernetes version "${v}" is not supported; use one of 1.33, 1.34, 1.35`);
  });

  // Counts of items in upstream's bootstrappolicy/testdata/*.yaml of each module version; 1.35's 68
  // ClusterRoles are what a real v1.35.4 kube-apiserver holds right after start.
  it.each<[string, string, number, number, number, number]>([
    ['1.33', 'v1.33.13', 66, 47, 7, 7],
    ['1.34', 'v1.34.12', 68, 49, 7, 7],
    ['1.35', 'v1.35.4', 68, 49, 7, 7],
  ])('%s (%s) has %i ClusterRoles, %i ClusterRoleBindings, %i Roles and %i RoleBindings', (version, module, crs, crbs, roles, rbs) => {
    const p = bootstrapPolicyFor(version);
    expect(kubeDataFor(version).module).toEqual(expect.objectContaining({ path: 'k8s.io/kubernetes', version: module }));
    expect([p.clusterRoles.length, p.clusterRoleBindings.length, p.roles.length, p.roleBindings.length]).toEqual([crs, crbs, roles, rbs]);
    expect(p.clusterRoles.filter((r) => r.metadata.name.startsWith('system:controller:'))).toHaveLength(crs - 31);
  });

  it.each(SUPPORTED_KUBE_VERSIONS)('%s: every object has its kind, a unique name, and a namespace exactly when namespaced', (version) => {
    const p = bootstrapPolicyFor(version);
    const lists = { ClusterRole: p.clusterRoles, ClusterRoleBinding: p.clusterRoleBindings, Role: p.roles, RoleBinding: p.roleBindings };
    for (const [kind, list] of Object.entries(lists)) {
      expect(list.map((o) => o.kind)).toEqual(list.map(() => kind));
      const keys = list.map((o) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`);
      expect(new Set(keys).size).toBe(keys.length);
      const namespaces = new Set(list.map((o) => o.metadata.namespace));
      expect([...namespaces].sort()).toEqual(kind.startsWith('Cluster') ? [undefined] : ['kube-public', 'kube-system']);
    }
  });

  it.each(SUPPORTED_KUBE_VERSIONS)('%s: every binding refers to a role of the bootstrap policy, so it resolves without problems', (version) => {
    const p = bootstrapPolicyFor(version);
    const policy = RbacPolicy.fromObjects([...p.clusterRoles, ...p.clusterRoleBindings, ...p.roles, ...p.roleBindings], { bootstrap: false });
    expect(policy.problems).toEqual([]);
    expect(policy.clusterRoleBindings().filter((b) => b.error !== undefined)).toEqual([]);
    expect(policy.roleBindings().filter((b) => b.error !== undefined)).toEqual([]);
  });

  it.each(SUPPORTED_KUBE_VERSIONS)('%s records its sources: the six bootstrap files and two discovery files, each with a sha256', (version) => {
    const d = kubeDataFor(version);
    expect(d.module.sum).toMatch(/^h1:[A-Za-z0-9+/]{43}=$/);
    expect(d.bootstrapSources.map((s) => path.basename(s.file))).toEqual([
      'cluster-roles.yaml', 'controller-roles.yaml', 'cluster-role-bindings.yaml', 'controller-role-bindings.yaml',
      'namespace-roles.yaml', 'namespace-role-bindings.yaml',
    ]);
    expect(d.apiResourceSources.map((s) => s.file)).toEqual(['api/discovery/api__v1.json', 'api/discovery/aggregated_v2.json']);
    for (const s of [...d.bootstrapSources, ...d.apiResourceSources]) expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('shares deeply frozen data; the bootstrap.ts copies are the caller\'s to change', () => {
    const role = bootstrapPolicyFor('1.35').clusterRoles[0];
    expect(Object.isFrozen(role.metadata)).toBe(true);
    expect(bootstrapObjects()[0]).toBe(role);
    const copy = bootstrapClusterRoles()[0];
    (copy.metadata as { name: string }).name = 'changed';
    expect(bootstrapClusterRoles()[0].metadata.name).toBe(role.metadata.name);
  });

  it.each<[string, boolean]>([['1.33', false], ['1.34', false], ['1.35', true]])(
    '%s: view lets a subject list events.events.k8s.io: %s (v1.35 added events.k8s.io to system:aggregate-to-view)', (version, allowed) => {
      const d = authorize(withRoleBoundInNs(version, 'view'), impersonatedUser('u'), { verb: 'list', group: 'events.k8s.io', resource: 'events', namespace: 'ns' });
      expect(d.allowed).toBe(allowed);
      // Core events were always in view.
      expect(authorize(withRoleBoundInNs(version, 'view'), impersonatedUser('u'), { verb: 'list', resource: 'events', namespace: 'ns' }).allowed).toBe(true);
    });

  it.each<[string, boolean]>([['1.33', false], ['1.35', true]])('%s: edit lets a subject delete events.events.k8s.io: %s', (version, allowed) => {
    const d = authorize(withRoleBoundInNs(version, 'edit'), impersonatedUser('u'), { verb: 'delete', group: 'events.k8s.io', resource: 'events', name: 'e', namespace: 'ns' });
    expect(d.allowed).toBe(allowed);
  });

  it('grants the bootstrap Roles in their own namespace only (bootstrap-signer updates cluster-info in kube-public)', () => {
    const policy = RbacPolicy.fromObjects([]);
    const signer = serviceAccountUser('kube-system', 'bootstrap-signer');
    const update = { verb: 'update', resource: 'configmaps', name: 'cluster-info' };
    expect(authorize(policy, signer, { ...update, namespace: 'kube-public' }).reason).toBe(
      'RBAC: allowed by RoleBinding "system:controller:bootstrap-signer/kube-public" of Role "system:controller:bootstrap-signer" to ServiceAccount "bootstrap-signer/kube-system"');
    expect(authorize(policy, signer, { ...update, namespace: 'kube-system' }).allowed).toBe(false);
    expect(authorize(RbacPolicy.fromObjects([], { bootstrap: false }), signer, { ...update, namespace: 'kube-public' }).allowed).toBe(false);
    // The bootstrap policy's own namespaces are not "seen in the input".
    expect(policy.namespaces()).toEqual([]);
  });
});

describe('built-in API resources', () => {
  const find = (version: string, group: string, resource: string) => apiResourcesFor(version).find((r) => r.group === group && r.resource === resource);

  it.each(SUPPORTED_KUBE_VERSIONS)('%s: one row per (group, resource), sorted, with a kind and singular name each', (version) => {
    const keys = apiResourcesFor(version).map((r) => `${r.group}\0${r.resource}`);
    expect(keys).toEqual([...new Set(keys)].sort());
    for (const r of apiResourcesFor(version)) {
      expect([r.kind, r.singular, r.versions.length > 0]).toEqual([expect.stringMatching(/^[A-Z]/), expect.stringMatching(/^[a-z]/), true]);
    }
  });

  it('knows scope, short names, verbs and subresources (1.35)', () => {
    expect(find('1.35', '', 'nodes')).toEqual(expect.objectContaining({ kind: 'Node', singular: 'node', namespaced: false, shortNames: ['no'], versions: ['v1'] }));
    expect(find('1.35', '', 'secrets')?.namespaced).toBe(true);
    expect(find('1.35', 'apps', 'deployments')).toEqual(expect.objectContaining({ kind: 'Deployment', shortNames: ['deploy'] }));
    expect(find('1.35', '', 'pods')?.subresources.map((s) => s.name)).toEqual(expect.arrayContaining(['log', 'exec', 'eviction', 'status']));
    expect(find('1.35', '', 'pods')?.subresources.find((s) => s.name === 'log')?.verbs).toEqual(['get']);
    expect(find('1.35', 'rbac.authorization.k8s.io', 'clusterroles')?.namespaced).toBe(false);
    expect(find('1.35', 'authorization.k8s.io', 'selfsubjectaccessreviews')?.verbs).toEqual(['create']);
  });

  it('lists a group\'s versions most preferred first, and differs between releases', () => {
    expect(find('1.35', 'autoscaling', 'horizontalpodautoscalers')?.versions).toEqual(['v2', 'v1']);
    const names = (v: string) => new Set(apiResourcesFor(v).map((r) => `${r.resource}.${r.group}`));
    expect([...names('1.35')].filter((n) => !names('1.33').has(n)).length).toBeGreaterThan(0);
  });
});

describe('generated list of releases', () => {
  it('lists exactly the releases of scripts/generate-kube-data/versions.js', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { renderReleases, RELEASES_PATH } = require(path.join(ROOT, 'scripts/generate-kube-data/render.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const releases = require(path.join(ROOT, 'scripts/generate-kube-data/versions.js'));
    expect(fs.readFileSync(path.join(ROOT, RELEASES_PATH), 'utf8')).toBe(renderReleases(releases));
  });
});
