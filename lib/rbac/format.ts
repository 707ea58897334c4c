/**
 * Upstream's string formats: Go's `%q`, the binding describers of
 * `pkg/registry/rbac/validation/rule.go`, the aggregate error of `k8s.io/apimachinery/pkg/util/errors`,
 * the denial log line of `plugin/pkg/auth/authorizer/rbac/rbac.go`, and `CompactString` of a rule.
 */
import { AccessRequest, isNonResourceRequest, PolicyRule, Subject, UserInfo } from './types';

const GO_ESCAPES: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};

const SAFE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Quotes a string as Go's `%q` does (double quotes, backslash escapes for quotes and control characters). */
export function goQuote(value: string): string {
  if (SAFE.test(value)) return `"${value}"`;
  let out = '"';
  for (const ch of value) {
    const escaped = GO_ESCAPES[ch];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) {
      out += `\\x${code.toString(16).padStart(2, '0')}`;
    } else {
      out += ch;
    }
  }
  return out + '"';
}

/** Formats a string list as Go's `%q` does for `[]string`: `["a" "b"]`. */
export function goQuoteList(values: readonly string[]): string {
  return `[${values.map(goQuote).join(' ')}]`;
}

/**
 * Describes a binding subject as upstream's `describeSubject`: `Kind "name"`, or for a ServiceAccount
 * `ServiceAccount "name/namespace"` (the binding's namespace when the subject has none).
 */
export function describeSubject(subject: Subject, bindingNamespace: string): string {
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace ? subject.namespace : bindingNamespace;
    return `${subject.kind} ${goQuote(`${subject.name}/${ns}`)}`;
  }
  return `${subject.kind} ${goQuote(subject.name)}`;
}

/**
 * A binding as upstream's reasons name it: `RoleBinding "NAME/NAMESPACE"` or
 * `ClusterRoleBinding "NAME"` (names quoted as Go's `%q` does).
 */
export function bindingLabel(kind: 'ClusterRoleBinding' | 'RoleBinding', name: string, namespace: string | undefined): string {
  return kind === 'RoleBinding' ? `RoleBinding ${goQuote(`${name}/${namespace ?? ''}`)}` : `ClusterRoleBinding ${goQuote(name)}`;
}

/**
 * Describes a grant source as upstream's binding describers do, e.g.
 * `ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"` or
 * `RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"`.
 */
export function describeBinding(
  bindingKind: 'ClusterRoleBinding' | 'RoleBinding',
  bindingName: string,
  bindingNamespace: string,
  roleRef: { readonly kind: string; readonly name: string },
  subject: Subject,
): string {
  return `${bindingLabel(bindingKind, bindingName, bindingNamespace)} of ${roleRef.kind} ${goQuote(roleRef.name)} to ${describeSubject(subject, bindingKind === 'RoleBinding' ? bindingNamespace : '')}`;
}

/**
 * Joins error messages as `utilerrors.NewAggregate(errs).Error()` does: one message alone; several
 * de-duplicated, comma-separated and in brackets.
 */
export function aggregateErrors(messages: readonly string[]): string {
  if (messages.length === 0) return '';
  if (messages.length === 1) return messages[0];
  const seen: string[] = [];
  for (const m of messages) if (!seen.includes(m)) seen.push(m);
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/**
 * Describes a request as upstream's denial log does: `"get" resource "deployments.apps/scale" named "web"`
 * or `"get" nonResourceURL "/healthz"`.
 */
export function describeOperation(request: AccessRequest): string {
  if (isNonResourceRequest(request)) {
    return `${goQuote(request.verb)} nonResourceURL ${goQuote(request.path)}`;
  }
  let resource = request.resource;
  if (request.group) resource += `.${request.group}`;
  if (request.subresource) resource += `/${request.subresource}`;
  let out = `${goQuote(request.verb)} resource ${goQuote(resource)}`;
  if (request.name) out += ` named ${goQuote(request.name)}`;
  return out;
}

/**
 * Upstream's denial log line (`klog.V(5)` in `RBACAuthorizer.Authorize`), e.g.
 * `RBAC: no rules authorize user "u" with groups ["system:authenticated"] to "list" resource "pods" in namespace "dev"`.
 */
export function describeDenial(user: UserInfo, request: AccessRequest): string {
  const ns = isNonResourceRequest(request) ? '' : request.namespace ?? '';
  const scope = ns ? `in namespace ${goQuote(ns)}` : 'cluster-wide';
  return `RBAC: no rules authorize user ${goQuote(user.name)} with groups ${goQuoteList(user.groups)} to ${describeOperation(request)} ${scope}`;
}

/**
 * A rule as upstream's `CompactString`, e.g. `{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}`;
 * handy for a `--list` view.
 */
export function compactRuleString(rule: PolicyRule): string {
  const parts: string[] = [];
  if (rule.apiGroups?.length) parts.push(`APIGroups:${goQuoteList(rule.apiGroups)}`);
  if (rule.resources?.length) parts.push(`Resources:${goQuoteList(rule.resources)}`);
  if (rule.nonResourceURLs?.length) parts.push(`NonResourceURLs:${goQuoteList(rule.nonResourceURLs)}`);
  if (rule.resourceNames?.length) parts.push(`ResourceNames:${goQuoteList(rule.resourceNames)}`);
  if (rule.verbs?.length) parts.push(`Verbs:${goQuoteList(rule.verbs)}`);
  return `{${parts.join(', ')}}`;
}
