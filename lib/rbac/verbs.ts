/**
 * The verbs the API server authorizes. Resource requests use the standard verbs and a few special
 * ones that RBAC checks on their own (`bind`, `escalate`, `impersonate`, ...); non-resource requests
 * use the lower-cased HTTP method.
 */

/** The verbs of resource requests: the standard REST verbs, then the special ones RBAC knows. */
export const RESOURCE_VERBS: readonly string[] = [
  'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection',
  'use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', 'attest', 'proxy',
];

/** The verbs of non-resource requests (`/healthz`, `/api`): lower-cased HTTP methods. */
export const NON_RESOURCE_VERBS: readonly string[] = ['get', 'head', 'options', 'post', 'put', 'patch', 'delete'];

/**
 * Whether `verb` is one the API server can be asked for.
 * @param verb the verb, e.g. `get`
 * @param nonResource true for a non-resource request (a URL path)
 */
export function isKnownVerb(verb: string, nonResource: boolean): boolean {
  return (nonResource ? NON_RESOURCE_VERBS : RESOURCE_VERBS).includes(verb);
}
