/**
 * kubectl's vocabulary for requests, turned into the evaluator's {@link AccessRequest}s:
 * `RESOURCE[.GROUP][/NAME]` (`secrets/api-access-secret`, `deployments.apps`), a URL path for
 * non-resource requests (`/api`), and `RESOURCE[.GROUP][/SUBRESOURCE]` for matrix columns (`pods/log`).
 */
import { InvalidRequestError } from './errors';
import { AccessRequest, ResourceAttributes } from './types';
import { CustomResourceNames, lookupResource } from './resources';
import { isKnownVerb, NON_RESOURCE_VERBS, RESOURCE_VERBS } from './verbs';

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

/** How strictly kubectl's words are checked. */
export interface VocabularyOptions {
  /**
   * Refuse an unknown verb, and a bare resource name that is neither built in nor declared by a
   * CustomResourceDefinition in `customResources` (instead of taking it literally in the core group).
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Custom resources declared in the manifests, resolved by plural, singular and short names.
   * @default []
   */
  readonly customResources?: readonly CustomResourceNames[];
  /**
   * The Kubernetes release whose built-in resources (plural, singular and short names) resolve bare names.
   * @default DEFAULT_KUBE_VERSION
   */
  readonly kubeVersion?: string;
}

/**
 * Resolves `RESOURCE[.GROUP]`: an explicit group after the first dot is taken as written
 * (`deployments.apps`); a bare built-in or custom plural, singular or short name gets its group
 * (`deploy` → `deployments` in `apps`, `pod` → `pods`); any other bare name is a core-group
 * resource, or an error when `options.strict`.
 * @param text what the user wrote
 * @param options strictness and custom resources
 * @default options {}
 * @throws InvalidRequestError for an empty resource or group, or an unknown resource when strict
 */
export function resolveGroupResource(text: string, options: VocabularyOptions = {}): GroupResource {
  const dot = text.indexOf('.');
  if (dot >= 0) {
    const resource = text.slice(0, dot);
    const group = text.slice(dot + 1);
    if (resource === '' || group === '') throw new InvalidRequestError(`${JSON.stringify(text)} is not a resource: write RESOURCE or RESOURCE.GROUP, e.g. deployments.apps.`);
    return { resource, group };
  }
  if (text === '') throw new InvalidRequestError('a resource is missing: write RESOURCE or RESOURCE.GROUP, e.g. secrets or deployments.apps.');
  const known = lookupResource(text, options.customResources, options.kubeVersion);
  if (known) return known;
  if (options.strict) {
    throw new InvalidRequestError(
      `${JSON.stringify(text)} is not a resource kubectl knows (built in, or declared by a CustomResourceDefinition in the manifests): `
      + 'check the spelling (e.g. pods, secrets, deployments), or write RESOURCE.GROUP for a resource of another API group, e.g. widgets.example.com.',
    );
  }
  return { resource: text, group: '' };
}

function splitSlash(text: string): [string, string | undefined] {
  const slash = text.indexOf('/');
  return slash < 0 ? [text, undefined] : [text.slice(0, slash), text.slice(slash + 1)];
}

/**
 * Builds the request `kubectl auth can-i VERB TARGET` asks: a non-resource request when `target`
 * starts with `/`, else `RESOURCE[.GROUP][/NAME]` in `scope`.
 * @param verb e.g. `get`
 * @param target `RESOURCE[.GROUP][/NAME]` or a URL path
 * @param scope the namespace and subresource
 * @param options strictness and custom resources
 * @default options {}
 * @throws InvalidRequestError for an empty verb, an empty name after `/`, or `--subresource` with a
 *   URL; when strict, also for an unknown verb or resource
 */
export function buildRequest(verb: string, target: string, scope: RequestScope, options: VocabularyOptions = {}): AccessRequest {
  if (verb === '') throw new InvalidRequestError('a verb is missing: e.g. get, list, watch, create, update, patch, delete.');
  const nonResource = target.startsWith('/');
  if (options.strict && verb !== '*' && !isKnownVerb(verb, nonResource)) {
    const known = nonResource ? NON_RESOURCE_VERBS : RESOURCE_VERBS;
    throw new InvalidRequestError(`${JSON.stringify(verb)} is not a verb the API server authorizes${nonResource ? ' for a URL' : ''}: use one of ${known.join(', ')}.`);
  }
  if (nonResource) {
    if (scope.subresource) throw new InvalidRequestError(`--subresource applies to resources, not to the URL ${target}.`);
    return { verb, path: target };
  }
  const [resourcePart, name] = splitSlash(target);
  if (name === '') throw new InvalidRequestError(`${JSON.stringify(target)} ends in "/": write RESOURCE/NAME, e.g. secrets/api-access-secret.`);
  const { resource, group } = resolveGroupResource(resourcePart, options);
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
