/** A rule without apiGroups gets the group that serves its resources, or synth fails saying which to set. */
import { spawnSync } from 'child_process';
import { Chart, Testing } from 'cdk8s';
import { assertBuilt, ROOT } from './cli/cli';
import { AccessRole, PolicyRule, ReaderIdentity, RestrictedNamespace } from '../lib';

function ops(rule: PolicyRule): { chart: Chart; grant: ReturnType<ReaderIdentity['grant']> } {
  const chart = new Chart(Testing.app(), 'c');
  const namespace = new RestrictedNamespace(chart, 'ns', { name: 'ops' });
  const identity = new ReaderIdentity(chart, 'ops', { namespace, serviceAccountName: 'ops-sa' });
  return { chart, grant: identity.grant(rule) };
}

function rulesOf(chart: Chart): unknown[] {
  const role = Testing.synth(chart).find((o) => o.kind === 'ClusterRole');
  return role.rules;
}

describe('apiGroups filled in from the resources (Kubernetes 1.35 discovery data)', () => {
  test.each<[string, PolicyRule, string[]]>([
    ['deployments -> apps', { verbs: ['list'], resources: ['deployments'] }, ['apps']],
    ['pods/log -> core', { verbs: ['get'], resources: ['pods', 'pods/log'] }, ['']],
    ['secrets -> core', { verbs: ['get'], resources: ['secrets'], resourceNames: ['s'] }, ['']],
    ['cronjobs -> batch', { verbs: ['list'], resources: ['cronjobs'] }, ['batch']],
    ['two groups: the union', { verbs: ['get'], resources: ['configmaps', 'deployments/scale'] }, ['', 'apps']],
    ['impersonation-only users', { verbs: ['impersonate'], resources: ['users'] }, ['']],
  ])('%s', (_name, rule, groups) => {
    const { chart, grant } = ops(rule);
    expect(grant.rule.apiGroups).toEqual(groups);
    if (rule.verbs[0] === 'impersonate') return; // a risk: synth needs an acknowledgement (guardrails.test.ts)
    const rendered = rulesOf(chart) as Array<{ apiGroups: string[] }>;
    expect(rendered[0].apiGroups).toEqual(groups);
  });

  test('explicit apiGroups are kept as written', () => {
    const { grant } = ops({ verbs: ['get'], apiGroups: ['example.com'], resources: ['widgets'] });
    expect(grant.rule.apiGroups).toEqual(['example.com']);
  });

  test.each<[string, PolicyRule, RegExp]>([
    ['an unknown resource', { verbs: ['get'], resources: ['widgets'] },
      /\[c\/ops\/Role\] The rule's resource "widgets" is not a resource of Kubernetes 1\.35, so its API group cannot be filled in\. For a custom resource or another release, set apiGroups to its group/],
    ['a singular name', { verbs: ['create'], resources: ['deployment'] },
      /\[c\/ops\/Role\] The rule's resource "deployment" is not a resource .* did you mean "deployments" \(apiGroups: \['apps'\]\)\?/],
    ['an unknown subresource', { verbs: ['get'], resources: ['pods/logs'] }, /\[c\/ops\/Role\] The rule's resource "pods\/logs" is not a resource of Kubernetes 1\.35/],
    ['a resource of several groups', { verbs: ['get'], resources: ['events'] },
      /\[c\/ops\/Role\] The rule's resource "events" is served by several API groups in Kubernetes 1\.35: "" \(core\), "events\.k8s\.io"\. Set apiGroups to the ones you mean, e\.g\. apiGroups: \['', 'events\.k8s\.io'\] for all of them\./],
    ['a wildcard', { verbs: ['get'], resources: ['*'] }, /\[c\/ops\/Role\] The rule's resource "\*" is a wildcard, which names no API group\. Set apiGroups/],
    ['an empty apiGroups', { verbs: ['get'], apiGroups: [], resources: ['pods'] }, /\[c\/ops\/Role\] A rule has resources but apiGroups: \[\], which matches no resource/],
  ])('%s without apiGroups fails synth with the construct path and the fix', (_name, rule, message) => {
    const { chart, grant } = ops(rule);
    expect(() => Testing.synth(chart)).toThrow(message);
    expect(grant.rule.apiGroups ?? []).not.toContain('');
  });

  test('AccessRole.addRule fills in the group the same way', () => {
    const chart = new Chart(Testing.app(), 'c');
    const role = new AccessRole(chart, 'r', { name: 'deployer' });
    expect(role.addRule({ verbs: ['create'], resources: ['deployments'] }).apiGroups).toEqual(['apps']);
  });
});

describe('start-up cost', () => {
  const loadedData = (build: string): string[] => {
    assertBuilt();
    const script = [
      "const { Testing, Chart } = require('cdk8s'); const lib = require('./build/lib');",
      build,
      "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => /kube-data[\\\\/]v1-/.test(k))));",
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
    return JSON.parse(r.stdout) as string[];
  };

  it('a synth whose only grants are Secret reads (the walkthrough) does not load the release data', () => {
    expect(loadedData("new lib.ApiReaderWalkthrough(Testing.app(), 'w', {}).toJson();")).toEqual([]);
  });

  it('a rule without apiGroups does (so the check above can fail)', () => {
    expect(loadedData([
      "const chart = new Chart(Testing.app(), 'c');",
      "const role = new lib.AccessRole(chart, 'r', { name: 'r' }); role.addRule({ verbs: ['get'], resources: ['pods'] }); chart.toJson();",
    ].join('\n'))).toHaveLength(1);
  });
});
