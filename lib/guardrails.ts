import { ruleAllows } from './rbac/matchers';
import { AccessRequest, PolicyRule } from './rbac/types';
import { RenderedPolicyRule } from './policy-rule';

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

const RBAC_GROUP = 'rbac.authorization.k8s.io';

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
export function privilegeRisks(rule: RenderedPolicyRule, clusterWide: boolean): PrivilegeRisk[] {
  const policyRule = rule as PolicyRule;
  const risks: PrivilegeRisk[] = [];
  if (rule.verbs.includes('*')) risks.push('wildcard-verbs');
  if ((rule.resources ?? []).some((r) => r === '*' || r.startsWith('*/')) || (rule.resources && (rule.apiGroups ?? []).includes('*'))) {
    risks.push('wildcard-resources');
  }
  for (const [risk, requests] of RISKY_REQUESTS) {
    const named = requests.map((request) => withRuleName(request, rule));
    if (named.some((request) => ruleAllows(request, policyRule))) risks.push(risk);
  }
  if (clusterWide && rule.resources && ['get', 'list', 'watch'].some((verb) => ruleAllows(withRuleName({ verb, group: '', resource: 'secrets', namespace: 'x' }, rule), policyRule))) {
    risks.push('secrets-cluster-wide');
  }
  return risks;
}

/** Uses one of the rule's resourceNames, so a named rule still counts as granting it. */
function withRuleName(request: AccessRequest, rule: RenderedPolicyRule): AccessRequest {
  if ('path' in request) return request;
  const name = rule.resourceNames?.[0];
  return name === undefined ? request : { ...request, name };
}

/**
 * Sentences for every risk of `rule` that is not acknowledged, every acknowledgement without
 * a reason, and every acknowledgement of a risk the rule does not carry (so they cannot rot).
 *
 * @param rule the rule as rendered
 * @param clusterWide true when the role is bound by a ClusterRoleBinding
 * @param acknowledgements what the author accepted
 */
export function guardrailProblems(rule: RenderedPolicyRule, clusterWide: boolean, acknowledgements: readonly Acknowledgement[]): string[] {
  const risks = privilegeRisks(rule, clusterWide);
  const acknowledged = new Set(acknowledgements.map((a) => a.risk));
  const describe = JSON.stringify(rule);
  const problems: string[] = [];
  for (const risk of risks.filter((r) => !acknowledged.has(r))) {
    problems.push(
      `The rule ${describe} grants "${risk}". Narrow the rule, or acknowledge it by name: ` +
        `allow(rule, ..., { acknowledge: [{ risk: '${risk}', reason: 'why this is needed and safe' }] }).`,
    );
  }
  for (const ack of acknowledgements) {
    if (!risks.includes(ack.risk)) {
      problems.push(`The acknowledgement of "${ack.risk}" on rule ${describe} names a risk the rule does not carry. Remove it.`);
    } else if (!ack.reason || ack.reason.trim() === '') {
      problems.push(`The acknowledgement of "${ack.risk}" on rule ${describe} has no reason. Say why it is needed and safe.`);
    }
  }
  return problems;
}
