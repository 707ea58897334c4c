/**
 * What kube-apiserver's `RequestInfoFactory` derives from a method and URI: verb, API group and
 * version, namespace, resource, subresource and name, or a non-resource path. Used when an event
 * has no `objectRef` (legacy logs). Follows upstream `staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go`.
 */
import type { AuditRecord } from './types';

/** What a request was about. */
export interface RequestInfo {
  /** Whether it names an API resource (else a non-resource URL such as `/healthz`). */
  readonly isResourceRequest: boolean;
  /** The Kubernetes verb; for non-resource requests the lower-case HTTP method. */
  readonly verb: string;
  /** The URL path without the query, percent-decoded. */
  readonly path: string;
  /** The API group (`""` core). */
  readonly group: string;
  /** The API version. */
  readonly version: string;
  /** The namespace (`""` none). */
  readonly namespace: string;
  /** The resource. */
  readonly resource: string;
  /** The subresource. */
  readonly subresource: string;
  /** The object name, including a name taken from `fieldSelector=metadata.name=X` on list/watch. */
  readonly name: string;
}

const SPECIAL_VERBS = new Set(['proxy', 'watch']);
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Readonly<Record<string, string>> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function queryParams(query: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1).replace(/\+/g, ' '));
    if (!params.has(key)) params.set(key, value); // Go's Query().Get returns the first value
  }
  return params;
}

/** A query boolean as the API server reads it: present and not `0`/`false`. */
function queryBool(value: string | undefined): boolean {
  return value !== undefined && value !== '0' && value.toLowerCase() !== 'false';
}

/** Line terminators: a selector value holding one is not read as a name. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The name a field selector requires exactly (`metadata.name=X` or `metadata.name==X` among
 * `,`-joined terms; whitespace around the key, the operator and the value is ignored). One pass over
 * the text: a selector is attacker-controlled (a request URI that only reached the log), so no
 * backtracking pattern may read it.
 */
export function fieldSelectorName(selector: string): string | undefined {
  for (const term of selector.split(',')) {
    const eq = term.indexOf('=');
    if (eq < 0 || term.slice(0, eq).trim() !== 'metadata.name') continue;
    const value = term.slice(term[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
    if (!value.startsWith('=') && !LINE_TERMINATOR.test(value)) return value;
  }
  return undefined;
}

function isValidPathSegmentName(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !name.includes('/') && !name.includes('%');
}

/**
 * Derives the request's verb and target from its HTTP method and URI, as the API server does:
 * `GET /api/v1/namespaces/dev/secrets/x` is `get secrets x` in `dev`; `GET` of a collection is
 * `list`, or `watch` with `?watch=true`; `DELETE` of a collection is `deletecollection`; a list or
 * watch with `fieldSelector=metadata.name=X` names `X`; anything outside `/api` and `/apis` is a
 * non-resource request whose verb is the lower-case method.
 * @param method the HTTP method, e.g. `GET`
 * @param uri the request URI, with or without a query string
 */
export function parseRequestUri(method: string, uri: string): RequestInfo {
  const q = uri.indexOf('?');
  const rawPath = q < 0 ? uri : uri.slice(0, q);
  const query = q < 0 ? '' : uri.slice(q + 1);
  const path = decode(rawPath);
  const upper = method.toUpperCase();
  const nonResource: RequestInfo = {
    isResourceRequest: false, verb: method.toLowerCase(), path, group: '', version: '', namespace: '', resource: '', subresource: '', name: '',
  };
  let parts = rawPath.replace(/^\/+|\/+$/g, '').split('/').filter((p) => p !== '').map(decode);
  if (parts.length < 3) return nonResource;
  const prefix = parts[0];
  if (prefix !== 'api' && prefix !== 'apis') return nonResource;
  parts = parts.slice(1);
  let group = '';
  if (prefix === 'apis') {
    if (parts.length < 3) return nonResource;
    group = parts[0];
    parts = parts.slice(1);
  }
  const version = parts[0];
  parts = parts.slice(1);
  let verb: string;
  if (SPECIAL_VERBS.has(parts[0])) {
    if (parts.length < 2) return nonResource;
    verb = parts[0];
    parts = parts.slice(1);
  } else {
    verb = METHOD_VERBS[upper] ?? '';
  }
  let namespace = '';
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      namespace = parts[1];
      if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
    }
  }
  const resource = parts[0] ?? '';
  let name = parts.length >= 2 ? parts[1] : '';
  const subresource = parts.length >= 3 && verb !== 'proxy' ? parts[2] : '';
  if (name === '' && verb === 'get') {
    const params = queryParams(query);
    verb = queryBool(params.get('watch')) ? 'watch' : 'list';
    const selector = params.get('fieldSelector');
    if (selector !== undefined) {
      const selected = fieldSelectorName(selector);
      if (selected !== undefined && isValidPathSegmentName(selected)) name = selected;
    }
  }
  if (name === '' && verb === 'delete') verb = 'deletecollection';
  return { isResourceRequest: true, verb, path, group, version, namespace, resource, subresource, name };
}

/** What an audit record says a request was made on: a resource, or the path of a non-resource request. */
export type RequestTarget = Pick<AuditRecord, 'namespace' | 'group' | 'version' | 'resource' | 'subresource' | 'name' | 'path'>;

/** The record fields of a parsed request: its resource attributes, or its path when it is not a resource request. */
export function requestTarget(info: RequestInfo): RequestTarget {
  const { isResourceRequest, namespace, group, version, resource, subresource, name, path } = info;
  return isResourceRequest ? { namespace, group, version, resource, subresource, name } : { namespace, group, version, resource, subresource, name, path };
}
