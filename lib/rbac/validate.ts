/**
 * What kube-apiserver checks before it stores an RBAC object: the field types its decoder insists
 * on, then upstream's `pkg/apis/rbac/validation` (required fields, roleRef, subjects, the shape of a
 * rule), after v1's defaulting (an empty `roleRef.apiGroup`, or a User/Group subject's, becomes
 * `rbac.authorization.k8s.io`). Pure: each function returns whole sentences, `[]` when the object is
 * valid. The policy build decides what to do with them.
 */
import { UnknownField, unknownFields } from './known-fields';
import { KubeObject, RBAC_GROUP } from './types';

/** The kinds {@link validateRbacObject} checks. */
export const VALIDATED_KINDS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** RBAC API versions the server stopped serving, with the release that removed them. */
const UNSERVED_VERSIONS: Readonly<Record<string, string>> = {
  [`${RBAC_GROUP}/v1beta1`]: '1.22',
  [`${RBAC_GROUP}/v1alpha1`]: '1.22',
};

const RULE_LISTS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a value reads in a message: `a string ("*")`, `an object`, `null`, ... */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `a string (${JSON.stringify(value)})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${String(value)})`;
}

/** `null` and a missing field read as empty, as the server's decoder takes them. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Why `value` at `path` is not a list of strings, or `undefined` when it is one (or absent). */
function stringListError(value: unknown, path: string, example: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (!Array.isArray(value)) {
    const fix = typeof value === 'string' ? `write ${path.split('.').pop()}: [${JSON.stringify(value)}]` : `write it as a list, e.g. ${example}`;
    return `${path} must be a list of strings, not ${describe(value)}; ${fix}`;
  }
  const bad = value.findIndex((v) => typeof v !== 'string');
  return bad < 0 ? undefined : `${path}[${bad}] must be a string, not ${describe(value[bad])}; quote it or remove it`;
}

function stringFieldError(value: unknown, path: string): string | undefined {
  return isAbsent(value) || typeof value === 'string' ? undefined : `${path} must be a string, not ${describe(value)}`;
}

function stringMapError(value: unknown, path: string): string | undefined {
  if (isAbsent(value)) return undefined;
  if (!isObject(value)) return `${path} must be a map of strings, not ${describe(value)}`;
  const bad = Object.keys(value).find((k) => typeof value[k] !== 'string');
  return bad === undefined ? undefined : `${path}.${bad} must be a string, not ${describe(value[bad])}; quote the value`;
}

/** Upstream's `IsValidPathSegmentName`, the only rule for role and binding names. */
function pathSegmentErrors(name: string, path: string): string[] {
  if (name === '.' || name === '..') return [`${path} may not be ${JSON.stringify(name)}`];
  const bad = ['/', '%'].filter((c) => name.includes(c));
  return bad.map((c) => `${path} ${JSON.stringify(name)} may not contain ${JSON.stringify(c)}`);
}

function metadataErrors(object: KubeObject): string[] {
  const meta: unknown = object.metadata;
  if (!isObject(meta)) return [isAbsent(meta) ? 'metadata.name is required' : `metadata must be an object, not ${describe(meta)}`];
  const errors: string[] = [];
  if (meta.name === undefined || meta.name === null || meta.name === '') errors.push('metadata.name is required; give the object a name');
  else if (typeof meta.name !== 'string') errors.push(`metadata.name must be a string, not ${describe(meta.name)}`);
  else errors.push(...pathSegmentErrors(meta.name, 'metadata.name'));
  for (const e of [stringFieldError(meta.namespace, 'metadata.namespace'), stringMapError(meta.labels, 'metadata.labels'), stringMapError(meta.annotations, 'metadata.annotations')]) {
    if (e) errors.push(e);
  }
  return errors;
}

/** Upstream's `validatePolicyRule`, after checking the five lists are lists of strings. */
function ruleErrors(rule: unknown, path: string, namespaced: boolean): string[] {
  if (!isObject(rule)) return [`${path} must be an object (a rule with verbs, apiGroups, resources), not ${describe(rule)}`];
  const typeErrors = RULE_LISTS.map((f) => stringListError(rule[f], `${path}.${f}`, f === 'verbs' ? '[get, list]' : '[""]')).filter((e): e is string => e !== undefined);
  if (typeErrors.length > 0) return typeErrors;
  const count = (f: typeof RULE_LISTS[number]) => listOf(rule[f]).length;
  const errors: string[] = [];
  if (count('verbs') === 0) errors.push(`${path}.verbs must contain at least one value, e.g. [get, list]`);
  if (count('nonResourceURLs') > 0) {
    if (namespaced) errors.push(`${path}.nonResourceURLs: namespaced rules cannot apply to non-resource URLs; move the rule to a ClusterRole`);
    if (count('apiGroups') > 0 || count('resources') > 0 || count('resourceNames') > 0) {
      errors.push(`${path}.nonResourceURLs: rules cannot apply to both regular resources and non-resource URLs; split it into two rules`);
    }
    return errors;
  }
  if (count('apiGroups') === 0) errors.push(`${path}.apiGroups must contain at least one api group (\"\" is the core group)`);
  if (count('resources') === 0) errors.push(`${path}.resources must contain at least one resource`);
  return errors;
}

function rulesErrors(rules: unknown, namespaced: boolean): string[] {
  if (isAbsent(rules)) return [];
  if (!Array.isArray(rules)) return [`rules must be a list of rules, not ${describe(rules)}; write rules: [{apiGroups: [...], resources: [...], verbs: [...]}]`];
  return rules.flatMap((rule, i) => ruleErrors(rule, `rules[${i}]`, namespaced));
}

function selectorErrors(selector: unknown, path: string): string[] {
  if (!isObject(selector)) return [`${path} must be a label selector object, not ${describe(selector)}`];
  const errors = [stringMapError(selector.matchLabels, `${path}.matchLabels`)].filter((e): e is string => e !== undefined);
  const expressions = selector.matchExpressions;
  if (isAbsent(expressions)) return errors;
  if (!Array.isArray(expressions)) return [...errors, `${path}.matchExpressions must be a list, not ${describe(expressions)}`];
  expressions.forEach((x, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    if (!isObject(x)) {
      errors.push(`${at} must be an object with key and operator, not ${describe(x)}`);
      return;
    }
    for (const e of [stringFieldError(x.key, `${at}.key`), stringFieldError(x.operator, `${at}.operator`), stringListError(x.values, `${at}.values`, '[a, b]')]) {
      if (e) errors.push(e);
    }
  });
  return errors;
}

function aggregationErrors(rule: unknown): string[] {
  if (isAbsent(rule)) return [];
  if (!isObject(rule)) return [`aggregationRule must be an object with clusterRoleSelectors, not ${describe(rule)}`];
  const selectors = rule.clusterRoleSelectors;
  if (isAbsent(selectors)) return [];
  if (!Array.isArray(selectors)) return [`aggregationRule.clusterRoleSelectors must be a list of label selectors, not ${describe(selectors)}`];
  return selectors.flatMap((s, i) => selectorErrors(s, `aggregationRule.clusterRoleSelectors[${i}]`));
}

function roleRefErrors(ref: unknown, kinds: readonly string[]): string[] {
  const allowed = kinds.join(' or ');
  if (!isObject(ref)) return [isAbsent(ref) ? `roleRef is required; add roleRef: {apiGroup: ${RBAC_GROUP}, kind: ${allowed}, name: ...}` : `roleRef must be an object, not ${describe(ref)}`];
  const typeErrors = ['apiGroup', 'kind', 'name'].map((f) => stringFieldError(ref[f], `roleRef.${f}`)).filter((e): e is string => e !== undefined);
  if (typeErrors.length > 0) return typeErrors;
  const errors: string[] = [];
  const apiGroup = (ref.apiGroup as string | undefined | null) ?? '';
  if (apiGroup !== '' && apiGroup !== RBAC_GROUP) errors.push(`roleRef.apiGroup must be "${RBAC_GROUP}", not ${JSON.stringify(apiGroup)}`);
  const kind = (ref.kind as string | undefined | null) ?? '';
  if (!kinds.includes(kind)) errors.push(kind === '' ? `roleRef.kind is required: ${allowed}` : `roleRef.kind must be ${allowed}, not ${JSON.stringify(kind)}`);
  const name = (ref.name as string | undefined | null) ?? '';
  if (name === '') errors.push('roleRef.name is required: the name of the role to grant');
  else errors.push(...pathSegmentErrors(name, 'roleRef.name'));
  return errors;
}

/** Upstream's `validateRoleBindingSubject`. */
function subjectErrors(subject: unknown, path: string, namespaced: boolean): string[] {
  if (!isObject(subject)) return [`${path} must be an object with kind and name, not ${describe(subject)}`];
  const typeErrors = ['kind', 'name', 'namespace', 'apiGroup'].map((f) => stringFieldError(subject[f], `${path}.${f}`)).filter((e): e is string => e !== undefined);
  if (typeErrors.length > 0) return typeErrors;
  const { kind = '', name = '', namespace = '', apiGroup = '' } = subject as Record<string, string | undefined>;
  const errors: string[] = [];
  if (!name) errors.push(`${path}.name is required`);
  switch (kind) {
    case 'ServiceAccount':
      if (name && (name.length > 253 || !DNS1123_SUBDOMAIN.test(name))) {
        errors.push(`${path}.name ${JSON.stringify(name)} is not a valid ServiceAccount name (lower case letters, digits, "-" and ".", starting and ending with a letter or digit)`);
      }
      if (apiGroup) errors.push(`${path}.apiGroup must be "" for a ServiceAccount, not ${JSON.stringify(apiGroup)}; remove it`);
      if (!namespaced && !namespace) errors.push(`${path}.namespace is required for a ServiceAccount in a ClusterRoleBinding; set it to the ServiceAccount's namespace`);
      break;
    case 'User':
    case 'Group':
      if (apiGroup && apiGroup !== RBAC_GROUP) errors.push(`${path}.apiGroup must be "${RBAC_GROUP}" for a ${kind}, not ${JSON.stringify(apiGroup)}`);
      break;
    default:
      errors.push(`${path}.kind must be one of ${SUBJECT_KINDS.join(', ')}, not ${kind ? JSON.stringify(kind) : 'empty'}`);
  }
  return errors;
}

function subjectsErrors(subjects: unknown, namespaced: boolean): string[] {
  if (isAbsent(subjects)) return [];
  if (!Array.isArray(subjects)) return [`subjects must be a list of subjects, not ${describe(subjects)}; write subjects: [{kind: ..., name: ...}]`];
  return subjects.flatMap((s, i) => subjectErrors(s, `subjects[${i}]`, namespaced));
}

/** kubectl refuses an object without `apiVersion` before sending it ("apiVersion not set"). */
function apiVersionErrors(object: KubeObject): string[] {
  const apiVersion: unknown = object.apiVersion;
  if (isAbsent(apiVersion) || apiVersion === '') return [`apiVersion is required (kubectl refuses the object: "apiVersion not set"); add apiVersion: ${RBAC_GROUP}/v1`];
  return typeof apiVersion === 'string' ? [] : [`apiVersion must be a string, not ${describe(apiVersion)}; write apiVersion: ${RBAC_GROUP}/v1`];
}

/**
 * Why kube-apiserver would refuse to store `object`, one phrase per problem naming the field
 * (`rules[0].verbs must be a list of strings, not a string ("*"); write verbs: ["*"]`).
 * Also refuses an object without `apiVersion`, as kubectl does before sending it. Unknown fields are
 * {@link unknownFieldPhrases}' job. Objects of kinds other than Role, ClusterRole, RoleBinding and
 * ClusterRoleBinding are not checked.
 * @returns `[]` when the server would accept the object
 */
export function validateRbacObject(object: KubeObject): string[] {
  const kind = object.kind;
  switch (kind) {
    case 'Role':
    case 'ClusterRole':
      return [
        ...apiVersionErrors(object),
        ...metadataErrors(object),
        ...rulesErrors(object.rules, kind === 'Role'),
        ...(kind === 'ClusterRole' ? aggregationErrors(object.aggregationRule) : []),
      ];
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const namespaced = kind === 'RoleBinding';
      return [
        ...apiVersionErrors(object),
        ...metadataErrors(object),
        ...roleRefErrors(object.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']),
        ...subjectsErrors(object.subjects, namespaced),
      ];
    }
    default:
      return [];
  }
}

/**
 * A warning when `object` uses an RBAC API version the server no longer serves
 * (`rbac.authorization.k8s.io/v1beta1` and `v1alpha1`, removed in Kubernetes 1.22).
 * @returns the warning's phrase, or `undefined` for a served version (or no apiVersion at all)
 */
export function unservedVersionWarning(object: KubeObject): string | undefined {
  const apiVersion = object.apiVersion;
  if (typeof apiVersion !== 'string' || !VALIDATED_KINDS.includes(String(object.kind))) return undefined;
  const removedIn = UNSERVED_VERSIONS[apiVersion];
  if (removedIn === undefined) return undefined;
  return `uses ${apiVersion}, which the API server no longer serves (removed in Kubernetes ${removedIn}); change apiVersion to ${RBAC_GROUP}/v1`;
}

function unknownFieldPhrase(field: UnknownField): string {
  const fix = field.suggestion === undefined
    ? 'remove it, or check its spelling and indentation'
    : `did you mean ${JSON.stringify(field.suggestion)}? Rename it`;
  return `unknown field ${JSON.stringify(field.path)}; ${fix}`;
}

/**
 * The fields of `object` that its RBAC API type does not have (see `known-fields.ts`), one phrase
 * each naming the field path and the fix (`unknown field "rules[0].verb"; did you mean "verbs"?
 * Rename it`). kube-apiserver refuses them under strict field validation, `kubectl apply`'s
 * default. Objects of other kinds have none.
 * @returns `[]` when every field is known
 */
export function unknownFieldPhrases(object: KubeObject): string[] {
  return unknownFields(object).map(unknownFieldPhrase);
}
