/**
 * What kube-apiserver checks before it stores an RBAC object: the field types its decoder insists
 * on, then upstream's `pkg/apis/rbac/validation` (required fields, roleRef, subjects, the shape of a
 * rule), after v1's defaulting (an empty `roleRef.apiGroup`, or a User/Group subject's, becomes
 * `rbac.authorization.k8s.io`). Pure: each function returns whole sentences, `[]` when the object is
 * valid. The policy build decides what to do with them.
 */
import { UnknownField, unknownFields } from './known-fields';
import { isJsonObject } from './private/json-object';
import { KubeObject, RBAC_GROUP } from './types';

/** The kinds {@link validateRbacObject} checks. */
export const VALIDATED_KINDS: readonly string[] = ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'];

/** RBAC API versions the server stopped serving, with the release that removed them. */
const UNSERVED_VERSIONS: Readonly<Record<string, string>> = {
  [`${RBAC_GROUP}/v1beta1`]: '1.22',
  [`${RBAC_GROUP}/v1alpha1`]: '1.22',
};

/** The RBAC version the server serves. */
const SERVED_VERSION = `${RBAC_GROUP}/v1`;
const RBAC_PREFIX = `${RBAC_GROUP}/`;

const RULE_LISTS = ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'] as const;
const ROLE_REF_FIELDS = ['apiGroup', 'kind', 'name'] as const;
const SUBJECT_FIELDS = ['kind', 'name', 'namespace', 'apiGroup'] as const;
const ROLE_REF_KINDS_NAMESPACED = ['Role', 'ClusterRole'];
const ROLE_REF_KINDS_CLUSTER = ['ClusterRole'];
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

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

// The checks below push their phrases onto `errors` and build a field's path only for a phrase:
// a valid object, the common case, allocates nothing.

/** Pushes why `value` at `path.field` is not a list of strings (absent is fine); whether it pushed. */
function stringListError(value: unknown, path: string, field: string, example: string, errors: string[]): boolean {
  if (isAbsent(value)) return false;
  if (!Array.isArray(value)) {
    const fix = typeof value === 'string' ? `write ${field}: [${JSON.stringify(value)}]` : `write it as a list, e.g. ${example}`;
    errors.push(`${path}.${field} must be a list of strings, not ${describe(value)}; ${fix}`);
    return true;
  }
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') {
      errors.push(`${path}.${field}[${i}] must be a string, not ${describe(value[i])}; quote it or remove it`);
      return true;
    }
  }
  return false;
}

/** Pushes why `value` at `path.field` (or `field` when `path` is empty) is not a string (absent is fine); whether it pushed. */
function stringFieldError(value: unknown, path: string, field: string, errors: string[]): boolean {
  if (isAbsent(value) || typeof value === 'string') return false;
  errors.push(`${path === '' ? field : `${path}.${field}`} must be a string, not ${describe(value)}`);
  return true;
}

function stringMapError(value: unknown, path: string, errors: string[]): void {
  if (isAbsent(value)) return;
  if (!isJsonObject(value)) {
    errors.push(`${path} must be a map of strings, not ${describe(value)}`);
    return;
  }
  for (const k of Object.keys(value)) {
    if (typeof value[k] !== 'string') {
      errors.push(`${path}.${k} must be a string, not ${describe(value[k])}; quote the value`);
      return;
    }
  }
}

/** Upstream's `IsValidPathSegmentName`, the only rule for role and binding names. */
function pathSegmentErrors(name: string, path: string, errors: string[]): void {
  if (name === '.' || name === '..') {
    errors.push(`${path} may not be ${JSON.stringify(name)}`);
    return;
  }
  for (const c of ['/', '%']) if (name.includes(c)) errors.push(`${path} ${JSON.stringify(name)} may not contain ${JSON.stringify(c)}`);
}

function metadataErrors(object: KubeObject, errors: string[]): void {
  const meta: unknown = object.metadata;
  if (!isJsonObject(meta)) {
    errors.push(isAbsent(meta) ? 'metadata.name is required' : `metadata must be an object, not ${describe(meta)}`);
    return;
  }
  if (meta.name === undefined || meta.name === null || meta.name === '') errors.push('metadata.name is required; give the object a name');
  else if (typeof meta.name !== 'string') errors.push(`metadata.name must be a string, not ${describe(meta.name)}`);
  else pathSegmentErrors(meta.name, 'metadata.name', errors);
  stringFieldError(meta.namespace, 'metadata', 'namespace', errors);
  stringMapError(meta.labels, 'metadata.labels', errors);
  stringMapError(meta.annotations, 'metadata.annotations', errors);
}

function count(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** Upstream's `validatePolicyRule`, after checking the five lists are lists of strings. */
function ruleErrors(rule: unknown, index: number, namespaced: boolean, errors: string[]): void {
  const path = `rules[${index}]`;
  if (!isJsonObject(rule)) {
    errors.push(`${path} must be an object (a rule with verbs, apiGroups, resources), not ${describe(rule)}`);
    return;
  }
  let typeErrors = false;
  for (const f of RULE_LISTS) typeErrors = stringListError(rule[f], path, f, f === 'verbs' ? '[get, list]' : '[""]', errors) || typeErrors;
  if (typeErrors) return;
  if (count(rule.verbs) === 0) errors.push(`${path}.verbs must contain at least one value, e.g. [get, list]`);
  if (count(rule.nonResourceURLs) > 0) {
    if (namespaced) errors.push(`${path}.nonResourceURLs: namespaced rules cannot apply to non-resource URLs; move the rule to a ClusterRole`);
    if (count(rule.apiGroups) > 0 || count(rule.resources) > 0 || count(rule.resourceNames) > 0) {
      errors.push(`${path}.nonResourceURLs: rules cannot apply to both regular resources and non-resource URLs; split it into two rules`);
    }
    return;
  }
  if (count(rule.apiGroups) === 0) errors.push(`${path}.apiGroups must contain at least one api group (\"\" is the core group)`);
  if (count(rule.resources) === 0) errors.push(`${path}.resources must contain at least one resource`);
}

function rulesErrors(rules: unknown, namespaced: boolean, errors: string[]): void {
  if (isAbsent(rules)) return;
  if (!Array.isArray(rules)) {
    errors.push(`rules must be a list of rules, not ${describe(rules)}; write rules: [{apiGroups: [...], resources: [...], verbs: [...]}]`);
    return;
  }
  for (let i = 0; i < rules.length; i++) ruleErrors(rules[i], i, namespaced, errors);
}

/** Upstream's `IsQualifiedName` (a label key: an optional DNS subdomain prefix and `/`, then a name of at most 63 characters). */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Upstream's `IsValidLabelValue`: empty, or at most 63 characters of alphanumerics, `-`, `_` and `.`, starting and ending alphanumeric. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function isQualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix === '' || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) return false;
  }
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

/** Upstream's `ValidateLabelSelectorRequirement`: the operator, its values, and a valid key. */
function requirementErrors(x: Record<string, unknown>, at: string, errors: string[]): void {
  let typeErrors = stringFieldError(x.key, at, 'key', errors);
  typeErrors = stringFieldError(x.operator, at, 'operator', errors) || typeErrors;
  typeErrors = stringListError(x.values, at, 'values', '[a, b]', errors) || typeErrors;
  if (typeErrors) return;
  const values = count(x.values);
  const operator = (x.operator as string | undefined | null) ?? '';
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values === 0) errors.push(`${at}.values must be non-empty when operator is ${operator}; list the label values to match`);
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values > 0) errors.push(`${at}.values must be empty when operator is ${operator}; remove them`);
      break;
    default:
      errors.push(`${at}.operator ${JSON.stringify(operator)} is not a valid selector operator; use In, NotIn, Exists or DoesNotExist`);
  }
  const key = (x.key as string | undefined | null) ?? '';
  if (!isQualifiedName(key)) errors.push(`${at}.key ${JSON.stringify(key)} is not a valid label key (a name of at most 63 characters, optionally prefixed by a DNS subdomain and "/")`);
}

function selectorErrors(selector: unknown, path: string, errors: string[]): void {
  if (!isJsonObject(selector)) {
    errors.push(`${path} must be a label selector object, not ${describe(selector)}`);
    return;
  }
  stringMapError(selector.matchLabels, `${path}.matchLabels`, errors);
  if (isJsonObject(selector.matchLabels)) labelErrors(selector.matchLabels, `${path}.matchLabels`, errors);
  const expressions = selector.matchExpressions;
  if (isAbsent(expressions)) return;
  if (!Array.isArray(expressions)) {
    errors.push(`${path}.matchExpressions must be a list, not ${describe(expressions)}`);
    return;
  }
  expressions.forEach((x, i) => {
    const at = `${path}.matchExpressions[${i}]`;
    if (!isJsonObject(x)) {
      errors.push(`${at} must be an object with key and operator, not ${describe(x)}`);
      return;
    }
    requirementErrors(x, at, errors);
  });
}

/** Upstream's `ValidateLabels` for a selector's `matchLabels`: valid keys and values. */
function labelErrors(labels: Record<string, unknown>, path: string, errors: string[]): void {
  for (const [k, v] of Object.entries(labels)) {
    if (!isQualifiedName(k)) errors.push(`${path} key ${JSON.stringify(k)} is not a valid label key (a name of at most 63 characters, optionally prefixed by a DNS subdomain and "/")`);
    else if (typeof v === 'string' && (v.length > 63 || !LABEL_VALUE.test(v))) errors.push(`${path}.${k} value ${JSON.stringify(v)} is not a valid label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`);
  }
}

/** Upstream's `ValidateClusterRole` for `aggregationRule`: when set, at least one valid selector. */
function aggregationErrors(rule: unknown, errors: string[]): void {
  if (isAbsent(rule)) return;
  if (!isJsonObject(rule)) {
    errors.push(`aggregationRule must be an object with clusterRoleSelectors, not ${describe(rule)}`);
    return;
  }
  const selectors = rule.clusterRoleSelectors;
  if (!isAbsent(selectors) && !Array.isArray(selectors)) {
    errors.push(`aggregationRule.clusterRoleSelectors must be a list of label selectors, not ${describe(selectors)}`);
    return;
  }
  if (count(selectors) === 0) {
    errors.push('aggregationRule.clusterRoleSelectors must hold at least one selector when aggregationRule is set; add one, or remove aggregationRule');
    return;
  }
  (selectors as unknown[]).forEach((s, i) => selectorErrors(s, `aggregationRule.clusterRoleSelectors[${i}]`, errors));
}

function roleRefErrors(ref: unknown, kinds: readonly string[], errors: string[]): void {
  const allowed = kinds.join(' or ');
  if (!isJsonObject(ref)) {
    errors.push(isAbsent(ref) ? `roleRef is required; add roleRef: {apiGroup: ${RBAC_GROUP}, kind: ${allowed}, name: ...}` : `roleRef must be an object, not ${describe(ref)}`);
    return;
  }
  let typeErrors = false;
  for (const f of ROLE_REF_FIELDS) typeErrors = stringFieldError(ref[f], 'roleRef', f, errors) || typeErrors;
  if (typeErrors) return;
  const apiGroup = (ref.apiGroup as string | undefined | null) ?? '';
  if (apiGroup !== '' && apiGroup !== RBAC_GROUP) errors.push(`roleRef.apiGroup must be "${RBAC_GROUP}", not ${JSON.stringify(apiGroup)}`);
  const kind = (ref.kind as string | undefined | null) ?? '';
  if (!kinds.includes(kind)) errors.push(kind === '' ? `roleRef.kind is required: ${allowed}` : `roleRef.kind must be ${allowed}, not ${JSON.stringify(kind)}`);
  const name = (ref.name as string | undefined | null) ?? '';
  if (name === '') errors.push('roleRef.name is required: the name of the role to grant');
  else pathSegmentErrors(name, 'roleRef.name', errors);
}

/** Upstream's `validateRoleBindingSubject`. */
function subjectErrors(subject: unknown, index: number, namespaced: boolean, errors: string[]): void {
  const path = `subjects[${index}]`;
  if (!isJsonObject(subject)) {
    errors.push(`${path} must be an object with kind and name, not ${describe(subject)}`);
    return;
  }
  let typeErrors = false;
  for (const f of SUBJECT_FIELDS) typeErrors = stringFieldError(subject[f], path, f, errors) || typeErrors;
  if (typeErrors) return;
  const { kind = '', name = '', namespace = '', apiGroup = '' } = subject as Record<string, string | undefined>;
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
}

function subjectsErrors(subjects: unknown, namespaced: boolean, errors: string[]): void {
  if (isAbsent(subjects)) return;
  if (!Array.isArray(subjects)) {
    errors.push(`subjects must be a list of subjects, not ${describe(subjects)}; write subjects: [{kind: ..., name: ...}]`);
    return;
  }
  for (let i = 0; i < subjects.length; i++) subjectErrors(subjects[i], i, namespaced, errors);
}

/**
 * kubectl refuses an object without `apiVersion` before sending it ("apiVersion not set"); the
 * server has no mapping for an RBAC version it never had (`rbac.authorization.k8s.io/v2`) or no
 * longer serves (`v1beta1`, `v1alpha1`: removed in 1.22, older than every supported release).
 */
function apiVersionErrors(object: KubeObject, errors: string[]): void {
  const apiVersion: unknown = object.apiVersion;
  if (isAbsent(apiVersion) || apiVersion === '') {
    errors.push(`apiVersion is required (kubectl refuses the object: "apiVersion not set"); add apiVersion: ${RBAC_GROUP}/v1`);
  } else if (typeof apiVersion !== 'string') {
    errors.push(`apiVersion must be a string, not ${describe(apiVersion)}; write apiVersion: ${RBAC_GROUP}/v1`);
  } else if (UNSERVED_VERSIONS[apiVersion] !== undefined) {
    errors.push(`apiVersion ${JSON.stringify(apiVersion)} is not served since Kubernetes ${UNSERVED_VERSIONS[apiVersion]}: no matches for kind ${JSON.stringify(String(object.kind))} in version ${JSON.stringify(apiVersion)} `
      + `(kubectl: "resource mapping not found"), so the cluster cannot hold it; write apiVersion: ${SERVED_VERSION} (the fields are the same)`);
  } else if (apiVersion.startsWith(RBAC_PREFIX) && apiVersion !== SERVED_VERSION) {
    errors.push(`apiVersion ${JSON.stringify(apiVersion)} does not exist: no matches for kind ${JSON.stringify(String(object.kind))} in version ${JSON.stringify(apiVersion)} `
      + `(kubectl: "resource mapping not found"); the server serves ${SERVED_VERSION}, so write apiVersion: ${SERVED_VERSION}`);
  }
}

/**
 * Why kube-apiserver would refuse to store `object`, one phrase per problem naming the field
 * (`rules[0].verbs must be a list of strings, not a string ("*"); write verbs: ["*"]`).
 * Also refuses an object without `apiVersion`, as kubectl does before sending it, and one whose
 * `apiVersion` names an RBAC version the server does not serve (`rbac.authorization.k8s.io/v1beta1`,
 * removed in 1.22; `rbac.authorization.k8s.io/v2`, which never existed). Unknown
 * fields are {@link unknownFieldPhrases}' job. Objects of kinds other than Role, ClusterRole,
 * RoleBinding and ClusterRoleBinding are not checked.
 * @returns `[]` when the server would accept the object
 */
export function validateRbacObject(object: KubeObject): string[] {
  const errors: string[] = [];
  const kind = object.kind;
  switch (kind) {
    case 'Role':
    case 'ClusterRole':
      apiVersionErrors(object, errors);
      metadataErrors(object, errors);
      rulesErrors(object.rules, kind === 'Role', errors);
      if (kind === 'ClusterRole') aggregationErrors(object.aggregationRule, errors);
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding': {
      const namespaced = kind === 'RoleBinding';
      apiVersionErrors(object, errors);
      metadataErrors(object, errors);
      roleRefErrors(object.roleRef, namespaced ? ROLE_REF_KINDS_NAMESPACED : ROLE_REF_KINDS_CLUSTER, errors);
      subjectsErrors(object.subjects, namespaced, errors);
      break;
    }
    default:
      break;
  }
  return errors;
}

/**
 * A warning when `object` uses an RBAC API version the server no longer serves
 * (`rbac.authorization.k8s.io/v1beta1` and `v1alpha1`, removed in Kubernetes 1.22): what the policy
 * reports for such an object when validation is off (`PolicyOptions.validate: false`); with it on,
 * {@link validateRbacObject} refuses the object.
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
