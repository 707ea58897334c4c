/**
 * The fields each RBAC kind has in the Kubernetes API, and the fields of an object that are not
 * among them: what kube-apiserver's strict field validation (`kubectl apply`'s default,
 * `--validate=strict`) refuses with "strict decoding error: unknown field", and what it drops
 * silently with `--validate=false`. The lists are the `json` tags of k8s.io/api `rbac/v1` (Role,
 * ClusterRole, RoleBinding, ClusterRoleBinding, PolicyRule, AggregationRule, Subject, RoleRef) and
 * k8s.io/apimachinery `meta/v1` (TypeMeta, ObjectMeta, OwnerReference, ManagedFieldsEntry,
 * LabelSelector, LabelSelectorRequirement), v0.35.4. Pure.
 */
import { isJsonObject } from './private/json-object';
import { KubeObject, RBAC_GROUP } from './types';

/**
 * A struct's fields: each one's own struct when it is an object or a list of objects (whose items
 * are checked against it), or `ANY` for a value with no fields of its own (a string, a number, a
 * list of strings, a map with free keys such as `labels`, free-form JSON such as `fieldsV1`).
 */
interface Struct {
  readonly [field: string]: Struct | typeof ANY;
}

const ANY = 0;

function leaves(...fields: string[]): Struct {
  return Object.fromEntries(fields.map((f) => [f, ANY]));
}

const OWNER_REFERENCE = leaves('apiVersion', 'kind', 'name', 'uid', 'controller', 'blockOwnerDeletion');
const MANAGED_FIELDS_ENTRY = leaves('manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1', 'subresource');

const OBJECT_META: Struct = {
  ...leaves('name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
    'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations'),
  ownerReferences: OWNER_REFERENCE,
  finalizers: ANY,
  managedFields: MANAGED_FIELDS_ENTRY,
};

const LABEL_SELECTOR: Struct = { matchLabels: ANY, matchExpressions: leaves('key', 'operator', 'values') };
const POLICY_RULE = leaves('verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs');
const ROLE_REF = leaves('apiGroup', 'kind', 'name');
const SUBJECT = leaves('kind', 'apiGroup', 'name', 'namespace');
/** v1alpha1's Subject has `apiVersion` where later versions have `apiGroup`. */
const SUBJECT_V1ALPHA1 = leaves('kind', 'apiVersion', 'name', 'namespace');

const TYPE_META = leaves('apiVersion', 'kind');
const ROLE: Struct = { ...TYPE_META, metadata: OBJECT_META, rules: POLICY_RULE };
const CLUSTER_ROLE: Struct = { ...ROLE, aggregationRule: { clusterRoleSelectors: LABEL_SELECTOR } };
const BINDING: Struct = { ...TYPE_META, metadata: OBJECT_META, subjects: SUBJECT, roleRef: ROLE_REF };
const BINDING_V1ALPHA1: Struct = { ...BINDING, subjects: SUBJECT_V1ALPHA1 };

function structOf(object: KubeObject): Struct | undefined {
  switch (object.kind) {
    case 'Role':
      return ROLE;
    case 'ClusterRole':
      return CLUSTER_ROLE;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return object.apiVersion === `${RBAC_GROUP}/v1alpha1` ? BINDING_V1ALPHA1 : BINDING;
    default:
      return undefined;
  }
}

/** An unknown field: where it is, and the known field it probably meant. */
export interface UnknownField {
  /** The field's path, as the server names it: `extra`, `rules[0].bogus`, `metadata.labelz`. */
  readonly path: string;
  /**
   * A known field at the same place whose name is one edit away, or two for long names, ignoring
   * case (`verb` for `verbs`, `roleref` for `roleRef`, `resourceNmes` for `resourceNames`).
   * @default - none close enough
   */
  readonly suggestion?: string;
}

/** The edit distance between `a` and `b` (case-insensitive), or 3 when it is more than 2. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (Math.abs(x.length - y.length) > 2) return 3;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return Math.min(previous[y.length], 3);
}

/** The known field `field` is most likely a typo of: one edit away, or two for names of 8 or more characters. */
function closest(field: string, struct: Struct): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const known of Object.keys(struct)) {
    const d = distance(field, known);
    const allowed = Math.min(field.length, known.length) >= 8 ? 2 : 1;
    if (d <= allowed && d < bestDistance) {
      best = known;
      bestDistance = d;
    }
  }
  return best;
}

const has = (struct: object, field: string) => Object.prototype.hasOwnProperty.call(struct, field);

/** Whether `value` has an unknown field anywhere: the common answer, "no", without building any path. */
function hasUnknown(value: unknown, struct: Struct): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasUnknown(value[i], struct)) return true;
    return false;
  }
  if (!isJsonObject(value)) return false;
  for (const field in value) {
    if (!has(value, field)) continue; // own fields only, as Object.keys

    const fieldValue = value[field];
    if (fieldValue === null) continue;
    if (!has(struct, field)) return true;
    const inner = struct[field];
    if (inner !== ANY && hasUnknown(fieldValue, inner)) return true;
  }
  return false;
}

function collect(value: unknown, struct: Struct, path: string, out: UnknownField[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => collect(item, struct, `${path}[${i}]`, out));
    return;
  }
  if (!isJsonObject(value)) return; // a wrong type is for the type checks (validate.ts) to report
  for (const [field, fieldValue] of Object.entries(value)) {
    if (fieldValue === null) continue; // kubectl apply drops a field set to null before sending the object
    const at = path === '' ? field : `${path}.${field}`;
    if (!has(struct, field)) {
      const suggestion = closest(field, struct);
      out.push(suggestion === undefined ? { path: at } : { path: at, suggestion });
      continue;
    }
    const inner = struct[field];
    if (inner !== ANY) collect(fieldValue, inner, at, out);
  }
}

/**
 * The fields of a Role, ClusterRole, RoleBinding or ClusterRoleBinding that its API type does not
 * have, at any depth (top level, `metadata`, `rules[]`, `aggregationRule`, `roleRef`,
 * `subjects[]`), in document order. Field names are case-sensitive, as the server's decoder takes
 * them. A field set to `null` is not one: `kubectl apply` drops it before sending the object (the
 * server, asked directly, would refuse it). Objects of other kinds have none.
 * @returns `[]` when every field is known
 */
export function unknownFields(object: KubeObject): UnknownField[] {
  const struct = structOf(object);
  if (struct === undefined || !hasUnknown(object, struct)) return [];
  const out: UnknownField[] = [];
  collect(object, struct, '', out);
  return out;
}
