/**
 * The rule and subject matchers, one-for-one with upstream:
 * `pkg/apis/rbac/v1/evaluation_helpers.go` (VerbMatches, APIGroupMatches, ResourceMatches,
 * ResourceNameMatches, NonResourceURLMatches), `RuleAllows` of `plugin/pkg/auth/authorizer/rbac/rbac.go`
 * and `appliesTo`/`appliesToUser` of `pkg/registry/rbac/validation/rule.go`.
 */
import { serviceAccountUsername } from './subjects';
import { AccessRequest, isNonResourceRequest, PolicyRule, Subject, UserInfo } from './types';

/** True when a rule verb is `*` or equals `verb`. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  for (const v of rule.verbs ?? []) {
    if (v === '*' || v === verb) return true;
  }
  return false;
}

/** True when a rule API group is `*` or equals `group` (`""` is the core group). */
export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  for (const g of rule.apiGroups ?? []) {
    if (g === '*' || g === group) return true;
  }
  return false;
}

/**
 * True when a rule resource is `*`, equals the combined `resource[/subresource]`, or is
 * `* /subresource` (no space) for the requested subresource.
 * @param combinedResource `pods` or `pods/log`
 * @param subresource `log`, or `""` for none
 */
export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combinedResource) return true;
    if (subresource.length === 0) continue;
    if (r.length === subresource.length + 2 && r.startsWith('*/') && r.endsWith(subresource)) return true;
  }
  return false;
}

/**
 * True when the rule has no `resourceNames`, or lists `name`. A request without a name (`""`) never
 * matches a rule with names.
 */
export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  const names = rule.resourceNames ?? [];
  if (names.length === 0) return true;
  return names.includes(name);
}

/**
 * True when a rule URL is `*`, equals `path`, or ends in `*` and `path` starts with the part before it
 * (`/healthz/*` matches `/healthz/etcd`, not `/healthz`).
 */
export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  for (const u of rule.nonResourceURLs ?? []) {
    if (u === '*' || u === path) return true;
    if (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))) return true;
  }
  return false;
}

/** True when `rule` allows `request` (upstream `RuleAllows`). */
export function ruleAllows(request: AccessRequest, rule: PolicyRule): boolean {
  if (isNonResourceRequest(request)) {
    return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.path);
  }
  const subresource = request.subresource ?? '';
  const combined = subresource.length > 0 ? `${request.resource}/${subresource}` : request.resource;
  return verbMatches(rule, request.verb)
    && apiGroupMatches(rule, request.group ?? '')
    && resourceMatches(rule, combined, subresource)
    && resourceNameMatches(rule, request.name ?? '');
}

/** True when any of `rules` allows `request` (upstream `RulesAllow`). */
export function rulesAllow(request: AccessRequest, rules: readonly PolicyRule[]): boolean {
  return rules.some((rule) => ruleAllows(request, rule));
}

/**
 * True when a binding subject applies to `user` (upstream `appliesToUser`). A ServiceAccount subject
 * without a namespace uses `bindingNamespace`; when that is empty too (a ClusterRoleBinding) it matches nobody.
 * @param bindingNamespace the RoleBinding's namespace, or `""` for a ClusterRoleBinding
 */
export function subjectAppliesTo(user: UserInfo, subject: Subject, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace ? subject.namespace : bindingNamespace;
      if (!ns) return false;
      return user.name === serviceAccountUsername(ns, subject.name);
    }
    default:
      return false;
  }
}

/**
 * The index of the first of `subjects` that applies to `user`, or -1 (upstream `appliesTo`).
 * @param bindingNamespace the RoleBinding's namespace, or `""` for a ClusterRoleBinding
 */
export function appliesTo(user: UserInfo, subjects: readonly Subject[] | null | undefined, bindingNamespace: string): number {
  const list = subjects ?? [];
  for (let i = 0; i < list.length; i++) {
    if (subjectAppliesTo(user, list[i], bindingNamespace)) return i;
  }
  return -1;
}

const NO_NAMES: readonly string[] = [];

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/**
 * The names of `rule`'s resourceNames that it allows `request` for, had the request named them
 * (empty for a rule without resourceNames). Only the name differs between those checks, and every
 * string in the list passes the name check, so for a list of strings one check decides for all.
 * @param request a resource request (its own name, if any, is replaced)
 * @param rule the rule
 */
export function namesAllowed(request: AccessRequest, rule: PolicyRule): readonly string[] {
  const list: readonly unknown[] = rule.resourceNames ?? []; // not checked when evaluated unvalidated
  if (list.length === 0 || isNonResourceRequest(request)) return NO_NAMES;
  if (list.every(isString)) return ruleAllows({ ...request, name: list[0] }, rule) ? list : NO_NAMES;
  return list.filter((name) => ruleAllows({ ...request, name: name as string }, rule)) as string[];
}
