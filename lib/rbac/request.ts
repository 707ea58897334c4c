/**
 * kubectl's vocabulary for requests, turned into the evaluator's {@link AccessRequest}s:
 * `RESOURCE[.GROUP][/NAME]` (`secrets/api-access-secret`, `deployments.apps`), a URL path for
 * non-resource requests (`/api`), and `RESOURCE[.GROUP][/SUBRESOURCE]` for matrix columns (`pods/log`).
 */
import { InvalidRequestError } from './errors';
import { AccessRequest, isNonResourceRequest, ResourceAttributes } from './types';
import { CustomResourceNames, lookupResource, resolveInGroup } from './resources';
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
  /**
   * API versions the server serves besides the defaults (`GROUP/VERSION`, or `api/all`), as its
   * `--runtime-config` would switch them on; their resources resolve too.
   * @default []
   */
  readonly enabledApis?: readonly string[];
}

/**
 * Resolves `RESOURCE[.GROUP]` as `kubectl auth can-i` does (upstream `resourceFor`): with two dots
 * or more, `RESOURCE.VERSION.GROUP` first (`deployments.v1.apps`, `secrets.v1.` for the core group);
 * else the first dot splits `RESOURCE.GROUP`, where RESOURCE may be a plural, singular or short name
 * of a served resource of that group (`deploy.apps`, `deployment.apps`); a bare built-in or custom
 * plural, singular or short name gets its group (`deploy` → `deployments` in `apps`, `pod` →
 * `pods`). A `RESOURCE.GROUP` nothing serves is taken as written (resource before the first dot,
 * group after it: the request the API would carry; kubectl would send the whole text as the
 * resource); any other bare name is a core-group resource, or an error when `options.strict`.
 * @param text what the user wrote
 * @param options strictness, release, enabled APIs and custom resources
 * @default options {}
 * @throws InvalidRequestError for an empty resource or group, or an unknown resource when strict
 */
export function resolveGroupResource(text: string, options: VocabularyOptions = {}): GroupResource {
  const dot = text.indexOf('.');
  if (dot >= 0) {
    const resource = text.slice(0, dot);
    const group = text.slice(dot + 1);
    if (resource === '' || group === '') throw new InvalidRequestError(`${JSON.stringify(text)} is not a resource: write RESOURCE or RESOURCE.GROUP, e.g. deployments.apps.`);
    return resolveDotted(text, options) ?? { resource, group };
  }
  if (text === '') throw new InvalidRequestError('a resource is missing: write RESOURCE or RESOURCE.GROUP, e.g. secrets or deployments.apps.');
  const known = lookupResource(text, options.customResources, options.kubeVersion, options.enabledApis);
  if (known) return known;
  if (options.strict) {
    throw new InvalidRequestError(
      `${JSON.stringify(text)} is not a resource kubectl knows (built in, or declared by a CustomResourceDefinition in the manifests): `
      + 'check the spelling (e.g. pods, secrets, deployments), or write RESOURCE.GROUP for a resource of another API group, e.g. widgets.example.com.',
    );
  }
  return { resource: text, group: '' };
}

/** `RESOURCE.VERSION.GROUP` or `RESOURCE.GROUP` (with a dot) as a served resource, as kubectl resolves it; `undefined` when nothing served matches. */
function resolveDotted(text: string, options: VocabularyOptions): GroupResource | undefined {
  const lower = text.toLowerCase();
  const parts = lower.split('.');
  const fully = parts.length >= 3 ? resolveInGroup(parts[0], parts.slice(2).join('.'), parts[1], options) : undefined;
  return fully ?? resolveInGroup(parts[0], lower.slice(lower.indexOf('.') + 1), undefined, options);
}

/**
 * The attributes `kubectl auth can-i VERB TARGET` puts in its SelfSubjectAccessReview, where they
 * differ from the request {@link buildRequest} builds: a `RESOURCE.GROUP` the server does not serve
 * goes unsplit, as a core-group resource named by the whole text (upstream `resourceFor`). The
 * namespace is the one asked about, as kubectl sends it, even for a cluster-scoped resource.
 * @param request what {@link buildRequest} built from `target`
 * @param target `RESOURCE[.GROUP][/NAME]` or a URL path, as given
 * @param options the same options given to {@link buildRequest}
 * @default options {}
 */
export function kubectlCanIAttributes(request: AccessRequest, target: string, options: VocabularyOptions = {}): AccessRequest {
  if (isNonResourceRequest(request)) return request;
  const [resourcePart] = splitSlash(target);
  if (!resourcePart.includes('.') || resolveDotted(resourcePart, options)) return request;
  return { ...request, group: '', resource: resourcePart };
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
 * Parses a matrix resource: `RESOURCE[.GROUP][/SUBRESOURCE]` (`pods/log`, `serviceaccounts/token`),
 * resolved as {@link resolveGroupResource} resolves it.
 * @param options the release and enabled APIs names resolve in (see {@link VocabularyOptions})
 * @default options {}
 * @throws InvalidRequestError for an empty resource, group or subresource
 */
export function parseResourceColumn(text: string, options: VocabularyOptions = {}): ResourceColumn {
  const [resourcePart, subresource] = splitSlash(text);
  if (subresource === '') throw new InvalidRequestError(`${JSON.stringify(text)} ends in "/": write RESOURCE/SUBRESOURCE, e.g. pods/log.`);
  return { label: text, ...resolveGroupResource(resourcePart, options), ...(subresource !== undefined ? { subresource } : {}) };
}
