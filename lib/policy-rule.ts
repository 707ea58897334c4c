/**
 * One RBAC rule as users write it: the same fields as `rbac.authorization.k8s.io/v1`
 * PolicyRule, so what you read here is what the API server evaluates.
 */
export interface PolicyRuleSpec {
  /** Verbs allowed, e.g. `['get']`. `*` means every verb. */
  readonly verbs: readonly string[];
  /**
   * API groups of the resources; `''` is the core group.
   * @default [''] when `resources` is set
   */
  readonly apiGroups?: readonly string[];
  /**
   * Resources, `resource/subresource`, or `*` forms.
   * @default - none (then `nonResourceURLs` must be set)
   */
  readonly resources?: readonly string[];
  /**
   * Restricts the rule to these object names. A rule with names never matches a request
   * without a name (list, watch, create, deletecollection).
   * @default - every object of the resources
   */
  readonly resourceNames?: readonly string[];
  /**
   * Non-resource URLs such as `/healthz` or `/api/*` (ClusterRoles bound by ClusterRoleBindings only).
   * @default - none
   */
  readonly nonResourceURLs?: readonly string[];
}

/** The rule as emitted in a manifest (empty lists left out, core group made explicit). */
export interface RenderedPolicyRule {
  /** @see PolicyRuleSpec.verbs */
  readonly verbs: string[];
  /** @see PolicyRuleSpec.apiGroups */
  readonly apiGroups?: string[];
  /** @see PolicyRuleSpec.resources */
  readonly resources?: string[];
  /** @see PolicyRuleSpec.resourceNames */
  readonly resourceNames?: string[];
  /** @see PolicyRuleSpec.nonResourceURLs */
  readonly nonResourceURLs?: string[];
}

/**
 * Renders a rule for a manifest: resource rules get `apiGroups: ['']` when none is given.
 *
 * @param rule the rule as written by the user
 */
export function renderPolicyRule(rule: PolicyRuleSpec): RenderedPolicyRule {
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
export function policyRuleProblems(rule: PolicyRuleSpec, namespaced: boolean): string[] {
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
