import { PolicyRule, privilegeRisks, PrivilegeRisk, RISK_CATALOGUE, RISK_SEVERITIES, riskDefinition, ruleRisks } from '../../lib/rbac';

const core = (verbs: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ apiGroups: [''], verbs, resources, resourceNames });
const inGroup = (group: string, verbs: string[], resources: string[]): PolicyRule => ({ apiGroups: [group], verbs, resources });

describe('the risk catalogue', () => {
  it.each<[PrivilegeRisk, PolicyRule, boolean]>([
    ['wildcard-verbs', core(['*'], ['configmaps']), false],
    ['wildcard-resources', core(['get'], ['*']), false],
    ['escalate', inGroup('rbac.authorization.k8s.io', ['escalate'], ['clusterroles']), false],
    ['bind', inGroup('rbac.authorization.k8s.io', ['bind'], ['roles']), false],
    ['impersonate', core(['impersonate'], ['uids']), false],
    ['secrets-cluster-wide', core(['list'], ['secrets']), true],
    ['secrets-read', core(['get'], ['secrets'], ['api-access-secret']), false],
    ['serviceaccount-token-create', core(['create'], ['serviceaccounts/token']), false],
    ['serviceaccount-token-secret-create', core(['create'], ['secrets']), false],
    ['pods-exec', core(['create'], ['pods/attach']), false],
    ['pods-ephemeral-containers', core(['patch'], ['pods/ephemeralcontainers']), false],
    ['workload-create', inGroup('apps', ['patch'], ['deployments']), false],
    ['nodes-proxy', core(['get'], ['nodes/proxy']), false],
    ['admission-webhooks', inGroup('admissionregistration.k8s.io', ['create'], ['mutatingwebhookconfigurations']), false],
    ['csr-approve', inGroup('certificates.k8s.io', ['approve'], ['signers']), false],
    ['persistent-volume-create', core(['create'], ['persistentvolumes']), false],
    ['namespace-modify', core(['patch'], ['namespaces']), false],
  ])('%s is found in a rule that grants it', (risk, rule, clusterWide) => {
    expect(ruleRisks(rule, clusterWide).map((r) => r.id)).toContain(risk);
  });

  it.each<[string, PolicyRule]>([
    ['reading pods', core(['get', 'list', 'watch'], ['pods'])],
    ['reading pod logs', core(['get'], ['pods/log'])],
    ['listing namespaces', core(['list'], ['namespaces'])],
    ['secrets in the wrong group', inGroup('apps', ['get'], ['secrets'])],
    ['a non-resource URL', { verbs: ['get'], nonResourceURLs: ['/healthz'] }],
  ])('%s carries no risk', (_, rule) => {
    expect(ruleRisks(rule, true)).toEqual([]);
  });

  it('a cluster-wide-only risk is not found in a namespaced grant', () => {
    const ids = ruleRisks(core(['list'], ['secrets']), false).map((r) => r.id);
    expect(ids).toContain('secrets-read');
    expect(ids).not.toContain('secrets-cluster-wide');
  });

  it('lists the risks most severe first', () => {
    const found = ruleRisks({ apiGroups: ['*'], verbs: ['*'], resources: ['*'] }, true);
    const ranks = found.map((r) => RISK_SEVERITIES.indexOf(r.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(found[0].severity).toBe('critical');
    expect(found.length).toBe(RISK_CATALOGUE.length);
  });

  it('asks synth for an acknowledgement only of the entries marked so', () => {
    const rule = core(['create', 'get'], ['secrets', 'pods']);
    expect(ruleRisks(rule, false).map((r) => r.id)).toEqual(expect.arrayContaining(['secrets-read', 'workload-create']));
    // Creating pods or Secrets opens an escalation path (any ServiceAccount of the namespace): acknowledged by name.
    expect(privilegeRisks(rule, false)).toEqual(['serviceaccount-token-secret-create', 'workload-create']);
    expect(privilegeRisks(core(['get'], ['secrets', 'pods']), false)).toEqual([]);
    expect(privilegeRisks(core(['get'], ['nodes/proxy']), false)).toEqual(['nodes-proxy']);
  });

  it('has a severity, a sentence and a source for every entry, with unique ids', () => {
    expect(new Set(RISK_CATALOGUE.map((r) => r.id)).size).toBe(RISK_CATALOGUE.length);
    for (const entry of RISK_CATALOGUE) {
      expect(RISK_SEVERITIES).toContain(entry.severity);
      expect(entry.why).toMatch(/^[A-Za-z`].+\.$/);
      expect(entry.sources.length).toBeGreaterThan(0);
      expect(riskDefinition(entry.id)).toBe(entry);
    }
    expect(riskDefinition('no-such-risk')).toBeUndefined();
  });
});
