/**
 * The risk catalogue: which RBAC rules grant something dangerous enough that a person should
 * accept it by name (synth-time guardrails) or a reviewer should see it flagged (audit advice).
 * Matching goes through the evaluator's own matchers, so wildcards are caught exactly as the API
 * server would match them.
 */
import { ruleAllows } from './matchers';
import { AccessRequest, PolicyRule, RBAC_GROUP } from './types';

/** Grants that need an explicit, named acknowledgement before synth accepts them. */
export type PrivilegeRisk =
  | 'wildcard-verbs'
  | 'wildcard-resources'
  | 'escalate'
  | 'bind'
  | 'impersonate'
  | 'secrets-cluster-wide'
  | 'serviceaccount-token-create'
  | 'pods-exec';

/** An explicit acceptance of one {@link PrivilegeRisk} for one rule, with the reason. */
export interface Acknowledgement {
  /** The risk accepted. */
  readonly risk: PrivilegeRisk;
  /** Why it is needed and safe here, as a sentence (reviewers read it). */
  readonly reason: string;
}

/**
 * Requests that, when a rule allows them, make it risky. Matching goes through the RBAC
 * evaluator's own matchers, so `*` verbs, `*` groups and `*` resources are caught exactly as
 * the API server would match them.
 */
const RISKY_REQUESTS: ReadonlyArray<[PrivilegeRisk, readonly AccessRequest[]]> = [
  ['escalate', ['roles', 'clusterroles'].map((resource) => ({ verb: 'escalate', group: RBAC_GROUP, resource, name: 'x' }))],
  ['bind', ['roles', 'clusterroles'].map((resource) => ({ verb: 'bind', group: RBAC_GROUP, resource, name: 'x' }))],
  [
    'impersonate',
    [
      { verb: 'impersonate', group: '', resource: 'users', name: 'x' },
      { verb: 'impersonate', group: '', resource: 'groups', name: 'x' },
      { verb: 'impersonate', group: '', resource: 'serviceaccounts', name: 'x', namespace: 'x' },
      { verb: 'impersonate', group: 'authentication.k8s.io', resource: 'userextras', subresource: 'scopes', name: 'x' },
    ],
  ],
  ['serviceaccount-token-create', [{ verb: 'create', group: '', resource: 'serviceaccounts', subresource: 'token', name: 'x', namespace: 'x' }]],
  [
    'pods-exec',
    ['create', 'get'].map((verb) => ({ verb, group: '', resource: 'pods', subresource: 'exec', name: 'x', namespace: 'x' })),
  ],
];

/**
 * The risks a rule carries.
 *
 * @param rule the rule as rendered
 * @param clusterWide true when the role is bound by a ClusterRoleBinding
 */
export function privilegeRisks(rule: PolicyRule, clusterWide: boolean): PrivilegeRisk[] {
  const risks: PrivilegeRisk[] = [];
  if (rule.verbs.includes('*')) risks.push('wildcard-verbs');
  if ((rule.resources ?? []).some((r) => r === '*' || r.startsWith('*/')) || (rule.resources && (rule.apiGroups ?? []).includes('*'))) {
    risks.push('wildcard-resources');
  }
  for (const [risk, requests] of RISKY_REQUESTS) {
    const named = requests.map((request) => withRuleName(request, rule));
    if (named.some((request) => ruleAllows(request, rule))) risks.push(risk);
  }
  if (clusterWide && rule.resources && ['get', 'list', 'watch'].some((verb) => ruleAllows(withRuleName({ verb, group: '', resource: 'secrets', namespace: 'x' }, rule), rule))) {
    risks.push('secrets-cluster-wide');
  }
  return risks;
}

/** Uses one of the rule's resourceNames, so a named rule still counts as granting it. */
function withRuleName(request: AccessRequest, rule: PolicyRule): AccessRequest {
  if ('path' in request) return request;
  const name = rule.resourceNames?.[0];
  return name === undefined ? request : { ...request, name };
}


/**
 * Resources whose rules should keep naming their objects: without `resourceNames` a rule reaches
 * every object of the kind in its scope, and for these that is a risk of its own (every credential
 * of the namespace, for Secrets). Audit advice never widens a rule on them from the names it saw to
 * all names unless asked, and then flags the widening as {@link NAMES_WIDENED_RISK}.
 *
 * The minimal marker until the catalogue grows (it is meant to be replaced by the catalogue's own
 * word on which resources are sensitive): Secrets, in the core group.
 */
const NAME_SENSITIVE_RESOURCES: ReadonlyArray<{ readonly group: string; readonly resource: string }> = [{ group: '', resource: 'secrets' }];

/**
 * True when a rule on `resource` (a subresource's parent) in `group` should keep its `resourceNames`
 * (see {@link NAME_SENSITIVE_RESOURCES}).
 * @param group the API group (`""` core)
 * @param resource the resource, e.g. `secrets` (a subresource counts as its parent)
 */
export function namesAreSensitive(group: string, resource: string): boolean {
  const parent = resource.split('/')[0];
  return NAME_SENSITIVE_RESOURCES.some((r) => r.group === group && r.resource === parent);
}

/** The risk advice flags on a rule whose names it dropped on a resource {@link namesAreSensitive} marks. */
export const NAMES_WIDENED_RISK = 'names-widened' as const;
