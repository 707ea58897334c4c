/**
 * The offline RBAC evaluator: kube-apiserver's RBAC semantics over plain manifest objects.
 * Pure (no cdk8s, no constructs); only `load.ts` touches the file system.
 *
 * @example
 * const policy = RbacPolicy.fromLoadResult(loadPaths(['dist/']));
 * const d = authorize(policy, serviceAccountUser('dev', 'secret-access-sa'),
 *   { verb: 'get', resource: 'secrets', name: 'api-access-secret', namespace: 'dev' });
 * // d.allowed === true
 * // d.reason === 'RBAC: allowed by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"'
 */
export * from './types';
export * from './errors';
export * from './matchers';
export * from './selectors';
export * from './subjects';
export * from './format';
export * from './load';
export * from './bootstrap';
export * from './policy';
export * from './evaluate';
