// The bootstrap RBAC policy a kube-apiserver creates at start, from upstream's golden files.
// `bootstrappolicy/testdata/*.yaml` is written by upstream's own tests from policy.go with the
// default feature gates (cluster-roles-featuregates.yaml, with every alpha/beta gate on, is not
// what a default server creates and is left out); the objects are kept as written there, except
// `metadata.creationTimestamp: null` (a Go marshalling artifact up to 1.33; the server sets the
// real one), which is dropped.
'use strict';
const YAML = require('yaml');

const TESTDATA = 'plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata';

/** The upstream files, by the kind they hold. */
const FILES = Object.freeze({
  ClusterRole: ['cluster-roles.yaml', 'controller-roles.yaml'],
  ClusterRoleBinding: ['cluster-role-bindings.yaml', 'controller-role-bindings.yaml'],
  Role: ['namespace-roles.yaml'],
  RoleBinding: ['namespace-role-bindings.yaml'],
});

/** Orders objects as `kubectl get -A` lists them: by namespace, then name. */
function byNamespaceAndName(a, b) {
  const ka = `${a.metadata.namespace ?? ''}\0${a.metadata.name}`;
  const kb = `${b.metadata.namespace ?? ''}\0${b.metadata.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Reads the bootstrap policy of one module version.
 * @param {(file: string) => { file: string, sha256: string, text: string }} read reads a module file
 * @returns {{ sources: Array<{ file: string, sha256: string }>, objects: Record<string, object[]> }}
 *   objects by kind (ClusterRole, ClusterRoleBinding, Role, RoleBinding), each sorted by namespace and name
 */
function readBootstrapPolicy(read) {
  const sources = [];
  const objects = {};
  for (const [kind, files] of Object.entries(FILES)) {
    objects[kind] = [];
    for (const name of files) {
      const source = read(`${TESTDATA}/${name}`);
      sources.push({ file: source.file, sha256: source.sha256 });
      const list = YAML.parse(source.text);
      for (const item of list.items) {
        if (item.kind !== kind) throw new Error(`${source.file}: expected only ${kind}, found ${item.kind} "${item.metadata?.name}"`);
        if (item.metadata.creationTimestamp === null) delete item.metadata.creationTimestamp;
        objects[kind].push(item);
      }
    }
    objects[kind].sort(byNamespaceAndName);
  }
  return { sources, objects };
}

module.exports = { readBootstrapPolicy };
