/**
 * kubectl's vocabulary for requests, turned into the evaluator's {@link AccessRequest}s:
 * `RESOURCE[.GROUP][/NAME]` (`secrets/api-access-secret`, `deployments.apps`), a URL path for
 * non-resource requests (`/api`), and `RESOURCE[.GROUP][/SUBRESOURCE]` for matrix columns (`pods/log`).
 */
import { InvalidRequestError } from './errors';
import { AccessRequest, ResourceAttributes } from './types';
import { knownResource } from './resources';

/** A resource and its API group. */
export interface GroupResource {
  /** The plural resource, e.g. `deployments`. */
  readonly resource: string;
  /** The API group; `""` is the core group. */
  readonly group: string;
}

/** Where a request is made: a namespace, and optionally a subresource. */
export interface RequestScope {
  /** The namespace; `""` means cluster-wide / all namespaces. */
  readonly namespace: string;
  /**
   * The subresource (`--subresource`), e.g. `log`.
   * @default - none
   */
  readonly subresource?: string;
}

/**
 * Resolves `RESOURCE[.GROUP]`: an explicit group after the first dot is taken as written
 * (`deployments.apps`); a bare built-in name or short name gets its group (`deploy` → `deployments`
 * in `apps`); any other bare name is a core-group resource.
 * @throws InvalidRequestError for an empty resource or group
 */
export function resolveGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  if (dot >= 0) {
    const resource = text.slice(0, dot);
    const group = text.slice(dot + 1);
    if (resource === '' || group === '') throw new InvalidRequestError(`${JSON.stringify(text)} is not a resource: write RESOURCE or RESOURCE.GROUP, e.g. deployments.apps.`);
    return { resource, group };
  }
  if (text === '') throw new InvalidRequestError('a resource is missing: write RESOURCE or RESOURCE.GROUP, e.g. secrets or deployments.apps.');
  return knownResource(text) ?? { resource: text, group: '' };
}

function splitSlash(text: string): [string, string | undefined] {
  const slash = text.indexOf('/');
  return slash < 0 ? [text, undefined] : [text.slice(0, slash), text.slice(slash + 1)];
}

/**
 * Builds the request `kubectl auth can-i VERB TARGET` asks: a non-resource request when `target`
 * starts with `/`, else `RESOURCE[.GROUP][/NAME]` in `scope`.
 * @throws InvalidRequestError for an empty verb, an empty name after `/`, or `--subresource` with a URL
 */
export function buildRequest(verb: string, target: string, scope: RequestScope): AccessRequest {
  if (verb === '') throw new InvalidRequestError('a verb is missing: e.g. get, list, watch, create, update, patch, delete.');
  if (target.startsWith('/')) {
    if (scope.subresource) throw new InvalidRequestError(`--subresource applies to resources, not to the URL ${target}.`);
    return { verb, path: target };
  }
  const [resourcePart, name] = splitSlash(target);
  if (name === '') throw new InvalidRequestError(`${JSON.stringify(target)} ends in "/": write RESOURCE/NAME, e.g. secrets/api-access-secret.`);
  const { resource, group } = resolveGroupResource(resourcePart);
  const request: ResourceAttributes = {
    verb,
    group,
    resource,
    namespace: scope.namespace,
    ...(scope.subresource ? { subresource: scope.subresource } : {}),
    ...(name !== undefined ? { name } : {}),
  };
  return request;
}

/** A matrix column: what the user wrote and the resource (with subresource) it means. */
export interface ResourceColumn extends GroupResource {
  /** The text as given, e.g. `pods/log`; used as the label. */
  readonly label: string;
  /**
   * The subresource, e.g. `log`.
   * @default - none
   */
  readonly subresource?: string;
}

/**
 * Parses a matrix resource: `RESOURCE[.GROUP][/SUBRESOURCE]` (`pods/log`, `serviceaccounts/token`).
 * @throws InvalidRequestError for an empty resource, group or subresource
 */
export function parseResourceColumn(text: string): ResourceColumn {
  const [resourcePart, subresource] = splitSlash(text);
  if (subresource === '') throw new InvalidRequestError(`${JSON.stringify(text)} ends in "/": write RESOURCE/SUBRESOURCE, e.g. pods/log.`);
  return { label: text, ...resolveGroupResource(resourcePart), ...(subresource !== undefined ? { subresource } : {}) };
}
