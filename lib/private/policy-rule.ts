/**
 * Rules as constructs take them: rendering for a manifest (the API group filled in from the
 * resources, empty lists left out) and the checks the API server's validation would make.
 */
import { DEFAULT_KUBE_VERSION } from '../rbac/kube-versions';
import { apiGroupsServing, knownResource } from '../rbac/resources';
import { PolicyRule } from '../rbac/types';

/** The release whose resources give a rule's default API groups: the evaluator's default. */
const RULE_KUBE_VERSION = DEFAULT_KUBE_VERSION;

/**
 * The rule `grantRead` adds: `get` on the named Secrets, its API group (core) given, so a synth
 * whose only grants are Secret reads (the walkthrough, the tenants) never loads the release's
 * resource data (about 10 ms).
 * @param names the Secrets' names
 */
export function secretReadRule(names: readonly string[]): PolicyRule {
  return { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: [...names] };
}

/** The default `apiGroups` of a rule without them: the groups its resources are served by, or why there is none. */
type DefaultGroups = { readonly groups: readonly string[] } | { readonly problems: readonly string[] };

function quoteGroup(group: string): string {
  return group === '' ? '"" (core)' : JSON.stringify(group);
}

function groupList(groups: readonly string[]): string {
  return `[${groups.map((g) => `'${g}'`).join(', ')}]`;
}

/**
 * The API groups of `resources` in the release the evaluator answers for by default: each resource
 * must be served by exactly one group (`deployments` -> `apps`, `pods/log` -> `""`); the union of
 * those groups is the default. A wildcard, a name the release does not serve, or one served by
 * several groups (`events`) has no default: the rule must say which group it means.
 */
export function defaultApiGroups(resources: readonly string[]): DefaultGroups {
  const groups: string[] = [];
  const problems: string[] = [];
  for (const resource of resources) {
    if (resource.includes('*')) {
      problems.push(`The rule's resource "${resource}" is a wildcard, which names no API group. Set apiGroups: [''] for the core group, or the groups you mean ('*' for every group).`);
      continue;
    }
    const serving = apiGroupsServing(resource, RULE_KUBE_VERSION);
    if (serving.length === 1) {
      if (!groups.includes(serving[0])) groups.push(serving[0]);
    } else if (serving.length > 1) {
      problems.push(
        `The rule's resource "${resource}" is served by several API groups in Kubernetes ${RULE_KUBE_VERSION}: ${serving.map(quoteGroup).join(', ')}. ` +
        `Set apiGroups to the ones you mean, e.g. apiGroups: ${groupList(serving)} for all of them.`,
      );
    } else {
      const slash = resource.indexOf('/');
      const base = slash < 0 ? resource : resource.slice(0, slash);
      const known = knownResource(base.toLowerCase(), RULE_KUBE_VERSION);
      const hint = known && known.resource !== base
        ? ` RBAC rules take plural resource names: did you mean "${known.resource}${slash < 0 ? '' : resource.slice(slash)}" (apiGroups: ['${known.group}'])?`
        : ' For a custom resource or another release, set apiGroups to its group (e.g. apiGroups: [\'example.com\']).';
      problems.push(`The rule's resource "${resource}" is not a resource of Kubernetes ${RULE_KUBE_VERSION}, so its API group cannot be filled in.${hint}`);
    }
  }
  return problems.length > 0 ? { problems } : { groups };
}

/**
 * Renders a rule for a manifest: a resource rule without `apiGroups` gets the groups that serve its
 * resources ({@link defaultApiGroups}); when there are none, `apiGroups` is left out (synth fails
 * with {@link policyRuleProblems}' sentence before anything is written).
 *
 * @param rule the rule as written by the user
 */
export function renderPolicyRule(rule: PolicyRule): PolicyRule {
  const resources = rule.resources ?? [];
  const nonResourceURLs = rule.nonResourceURLs ?? [];
  const defaults = resources.length > 0 && rule.apiGroups === undefined ? defaultApiGroups(resources) : undefined;
  const apiGroups = rule.apiGroups ?? (defaults && 'groups' in defaults ? defaults.groups : undefined);
  return {
    ...(resources.length > 0 && apiGroups !== undefined ? { apiGroups: [...apiGroups] } : {}),
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
  if (resources.length > 0 && rule.apiGroups !== undefined && rule.apiGroups.length === 0) {
    problems.push('A rule has resources but apiGroups: [], which matches no resource. Leave apiGroups out to have it filled in from the resources, or name the groups ("" is the core group).');
  }
  if (resources.length > 0 && rule.apiGroups === undefined) {
    const defaults = defaultApiGroups(resources);
    if ('problems' in defaults) problems.push(...defaults.problems);
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
