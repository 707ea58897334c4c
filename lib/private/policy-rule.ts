/**
 * Rules as constructs take them: rendering for a manifest (core group made explicit, empty lists
 * left out) and the checks the API server's validation would make.
 */
import { PolicyRule } from '../rbac/types';

/**
 * Renders a rule for a manifest: resource rules get `apiGroups: ['']` when none is given.
 *
 * @param rule the rule as written by the user
 */
export function renderPolicyRule(rule: PolicyRule): PolicyRule {
  const resources = rule.resources ?? [];
  const nonResourceURLs = rule.nonResourceURLs ?? [];
  return {
    ...(resources.length > 0 ? { apiGroups: [...(rule.apiGroups ?? [''])] } : {}),
    ...(resources.length > 0 ? { resources: [...resources] } : {}),
    ...(rule.resourceNames && rule.resourceNames.length > 0 ? { resourceNames: [...rule.resourceNames] } : {}),
    ...(nonResourceURLs.length > 0 ? { nonResourceURLs: [...nonResourceURLs] } : {}),
    verbs: [...rule.verbs],
  };
}

/**
 * Whole sentences describing why `rule` is not a valid RBAC rule; empty when it is.
 *
 * @param rule the rule to check
 * @param namespaced true for a namespaced Role, which cannot hold non-resource URLs
 */
export function policyRuleProblems(rule: PolicyRule, namespaced: boolean): string[] {
  const problems: string[] = [];
  const resources = rule.resources ?? [];
  const urls = rule.nonResourceURLs ?? [];
  if (rule.verbs.length === 0) {
    problems.push('A rule has no verbs. Name at least one verb, e.g. "get".');
  }
  if (resources.length === 0 && urls.length === 0) {
    problems.push('A rule names neither resources nor nonResourceURLs. Name what it grants.');
  }
  if (resources.length > 0 && urls.length > 0) {
    problems.push('A rule mixes resources and nonResourceURLs. Split it into two rules.');
  }
  if (urls.length > 0 && namespaced) {
    problems.push('A namespaced Role cannot grant nonResourceURLs. Use a ClusterRole bound by a ClusterRoleBinding.');
  }
  if (urls.length > 0 && (rule.resourceNames ?? []).length > 0) {
    problems.push('resourceNames only apply to resources, not nonResourceURLs. Remove them.');
  }
  return problems;
}
