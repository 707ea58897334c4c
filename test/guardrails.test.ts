import { Chart, Testing } from 'cdk8s';
import { Acknowledgement, PolicyRule, PrivilegeRisk, ReaderIdentity, RestrictedNamespace } from '../lib';
import { renderPolicyRule } from '../lib/private/policy-rule';
import { privilegeRisks } from '../lib/rbac';

function synthWith(rule: PolicyRule, options: { clusterWide?: boolean; acknowledge?: Acknowledgement[] } = {}): () => void {
  return () => {
    const chart = new Chart(Testing.app(), 'c');
    const namespace = new RestrictedNamespace(chart, 'ns', { name: 'ops' });
    const identity = new ReaderIdentity(chart, 'ops', { namespace, serviceAccountName: 'ops-sa', clusterWide: options.clusterWide });
    identity.grant(rule, { acknowledge: options.acknowledge });
    Testing.synth(chart);
  };
}

const RISKY: Array<[PrivilegeRisk, PolicyRule, boolean]> = [
  ['wildcard-verbs', { verbs: ['*'], resources: ['configmaps'] }, false],
  ['wildcard-resources', { verbs: ['get'], apiGroups: [''], resources: ['*'] }, false],
  ['wildcard-resources', { verbs: ['get'], apiGroups: ['*'], resources: ['deployments'] }, false],
  ['escalate', { verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'] }, false],
  ['bind', { verbs: ['bind'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }, false],
  ['impersonate', { verbs: ['impersonate'], resources: ['users'] }, false],
  ['impersonate', { verbs: ['impersonate'], resources: ['serviceaccounts'] }, false],
  ['secrets-cluster-wide', { verbs: ['get'], resources: ['secrets'], resourceNames: ['tls'] }, true],
  ['secrets-cluster-wide', { verbs: ['list'], resources: ['secrets'] }, true],
  ['serviceaccount-token-create', { verbs: ['create'], resources: ['serviceaccounts/token'] }, false],
  ['pods-exec', { verbs: ['create'], resources: ['pods/exec'] }, false],
  ['pods-exec', { verbs: ['get', 'create'], apiGroups: [''], resources: ['*/exec'] }, false],
  ['pods-exec', { verbs: ['patch'], resources: ['pods'] }, false],
  ['workload-create', { verbs: ['create'], resources: ['pods'] }, false],
  ['workload-create', { verbs: ['create'], apiGroups: ['apps'], resources: ['deployments'] }, false],
  ['serviceaccount-token-secret-create', { verbs: ['create'], resources: ['secrets'] }, false],
];

describe('synth-time guardrails on risky grants', () => {
  test.each(RISKY)('%s (%j, clusterWide=%s) fails synth without an acknowledgement, naming the risk and the fix', (risk, rule, clusterWide) => {
    expect(synthWith(rule, { clusterWide })).toThrow(new RegExp(`\\[c/ops/Role\\] The rule .* grants "${risk}"(, which opens an escalation path: [^\\n]*)?\\. Narrow the rule, or acknowledge it by name`));
  });

  test.each(RISKY)('%s (%j) passes with a named, reasoned acknowledgement', (_risk, rule, clusterWide) => {
    // Acknowledge exactly the risks the rule carries (a rule can carry several).
    const risks = privilegeRisks(renderPolicyRule(rule), clusterWide);
    expect(synthWith(rule, { clusterWide, acknowledge: risks.map((r) => ({ risk: r, reason: 'break-glass operator, reviewed' })) })).not.toThrow();
  });

  test.each<[string, PolicyRule, boolean]>([
    ['a named get on one secret in one namespace', { verbs: ['get'], resources: ['secrets'], resourceNames: ['api-access-secret'] }, false],
    ['reading pods and logs cluster-wide', { verbs: ['get', 'list'], resources: ['pods', 'pods/log', 'namespaces'] }, true],
    ['listing secrets inside one namespace', { verbs: ['list'], resources: ['secrets'] }, false],
  ])('%s needs no acknowledgement', (_name, rule, clusterWide) => {
    expect(synthWith(rule, { clusterWide })).not.toThrow();
  });

  test('the error names the current API (grant, addRule), not the deprecated allow()', () => {
    expect(synthWith({ verbs: ['create'], resources: ['pods/exec'] })).toThrow(
      /acknowledge it by name: grant\(rule, \{ acknowledge: \[\{ risk: 'pods-exec', reason: .*\}\] \}\) \(on an AccessRole: addRule\(rule, \[\{ risk: 'pods-exec'/,
    );
    expect(synthWith({ verbs: ['create'], resources: ['pods/exec'] })).not.toThrow(/allow\(/);
  });

  test.each<[PrivilegeRisk, PolicyRule, string]>([
    ['workload-create', { verbs: ['create'], resources: ['pods'] }, 'any ServiceAccount of the namespace (its token is mounted)'],
    ['serviceaccount-token-create', { verbs: ['create'], resources: ['serviceaccounts/token'] }, 'every ServiceAccount it may mint a token for'],
    ['impersonate', { verbs: ['impersonate'], resources: ['users'] }, 'the users, groups (system:masters included) and ServiceAccounts it may impersonate'],
  ])('%s: the failure names the escalation path the grant opens, as `api-reader escalations` reports it', (risk, rule, reaches) => {
    expect(synthWith(rule)).toThrow(`grants "${risk}", which opens an escalation path: the subjects of ClusterRole "ops-cr" (in the namespaces of its RoleBindings) -> ${risk} -> ${reaches}`);
  });

  test('an acknowledgement without a reason fails', () => {
    expect(synthWith({ verbs: ['*'], resources: ['configmaps'] }, { acknowledge: [{ risk: 'wildcard-verbs', reason: ' ' }] })).toThrow(
      /The acknowledgement of "wildcard-verbs" on rule .* has no reason\. Say why it is needed and safe\./,
    );
  });

  test('an acknowledgement of a risk the rule does not carry fails, so waivers cannot rot', () => {
    expect(synthWith({ verbs: ['get'], resources: ['configmaps'] }, { acknowledge: [{ risk: 'pods-exec', reason: 'left over' }] })).toThrow(
      /The acknowledgement of "pods-exec" on rule .* names a risk the rule does not carry\. Remove it\./,
    );
  });
});
