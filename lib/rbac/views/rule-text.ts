/** Short texts for rules and subjects, as kubectl and kubectl-who-can print them. */
import { describeSubject, goQuote } from '../format';
import { PolicyRule, Subject } from '../types';

/**
 * kubectl's `CombineResourceGroup` for one resource: `resource[.group][/subresource]`, e.g.
 * `secrets`, `deployments.apps/scale`.
 */
export function combineResourceGroup(resource: string, group: string): string {
  const slash = resource.indexOf('/');
  const base = slash < 0 ? resource : resource.slice(0, slash);
  const sub = slash < 0 ? '' : resource.slice(slash);
  return `${base}${group ? `.${group}` : ''}${sub}`;
}

/** A string list as Go's `%v` prints it: `[a b]`, `[]` when empty. */
export function goList(values: readonly string[]): string {
  return `[${values.join(' ')}]`;
}

/**
 * A rule in a few words for a graph node: `get secrets [api-access-secret]`,
 * `get,list,watch pods, deployments.apps`, `get /api, /api/*`.
 */
export function ruleLabel(rule: PolicyRule): string {
  const verbs = (rule.verbs ?? []).join(',');
  const groups = rule.apiGroups?.length ? rule.apiGroups : [''];
  const targets = [
    ...(rule.resources ?? []).flatMap((r) => groups.map((g) => combineResourceGroup(r, g))),
    ...(rule.nonResourceURLs ?? []),
  ];
  const names = rule.resourceNames?.length ? ` ${goList(rule.resourceNames)}` : '';
  return `${verbs} ${targets.join(', ')}${names}`;
}

/**
 * A binding subject as a user would pass it to `--as` or `--as-group`: the service account user
 * name `system:serviceaccount:NS:NAME`, or the user or group name.
 * @param bindingNamespace used for a ServiceAccount subject without a namespace
 */
export function subjectName(subject: Subject, bindingNamespace: string): string {
  if (subject.kind !== 'ServiceAccount') return subject.name;
  return `system:serviceaccount:${subject.namespace || bindingNamespace}:${subject.name}`;
}

/**
 * A binding subject as upstream's reasons write it: `ServiceAccount "secret-access-sa/dev"`,
 * `Group "system:masters"` (one way to write a subject in every output).
 */
export function subjectLabel(subject: Subject, bindingNamespace: string): string {
  return describeSubject(subject, bindingNamespace);
}

/**
 * A binding or role as upstream's reasons write a binding (one way in every output, reasons, tables,
 * graphs and JSON): `Kind "name"`, or `Kind "name/namespace"` for a namespaced object, e.g.
 * `RoleBinding "secret-access-rb/dev"`, `ClusterRole "view"` (names quoted as Go's `%q` does).
 */
export function objectLabel(kind: string, name: string, namespace: string): string {
  return `${kind} ${goQuote(namespace ? `${name}/${namespace}` : name)}`;
}
