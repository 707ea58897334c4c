import { Testing } from 'cdk8s';
import { KubeObject, RbacPolicy } from '../../lib/rbac';
import { accessSummary } from '../../lib/testing';
import { ApiReaderWalkthrough } from '../../lib';

const RB = 'rbac.authorization.k8s.io';

describe('accessSummary', () => {
  it('summarizes dist/: one block per subject, each access with its risk and binding', () => {
    expect(accessSummary('dist/')).toBe([
      'ServiceAccount dev/secret-access-sa',
      '  get secrets named api-access-secret in namespace dev  [medium: secrets-read]',
      '    by RoleBinding "secret-access-rb/dev" of ClusterRole "secret-access-cr" to ServiceAccount "secret-access-sa/dev"',
      '',
    ].join('\n'));
  });

  it('takes Testing.synth(chart), as a consumer\'s snapshot test does', () => {
    const summary = accessSummary(Testing.synth(new ApiReaderWalkthrough(Testing.app(), 'api-reader')));
    expect(summary).toBe(accessSummary('dist/'));
    expect(summary).toMatchSnapshot();
  });

  it('changes exactly when someone\'s effective access changes, not when a binding is renamed', () => {
    const role = { apiVersion: `${RB}/v1`, kind: 'ClusterRole', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] };
    const binding = (name: string, verbs?: string[]): KubeObject[] => [
      (verbs ? { ...role, rules: [{ ...role.rules[0], verbs }] } : role) as KubeObject,
      { apiVersion: `${RB}/v1`, kind: 'RoleBinding', metadata: { name, namespace: 'dev' }, roleRef: { apiGroup: RB, kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'dev' }] } as KubeObject,
    ];
    const summary = accessSummary(binding('a'));
    expect(accessSummary(binding('a'))).toBe(summary);
    expect(accessSummary(binding('b')).replace(/"b\/dev"/g, '"a/dev"')).toBe(summary);
    expect(accessSummary(binding('a', ['get', 'list']))).not.toBe(summary);
  });

  it('says when the manifests grant nobody anything, and refuses manifests without RBAC objects', () => {
    const noRules = [{ apiVersion: `${RB}/v1`, kind: 'ClusterRole', metadata: { name: 'r' }, rules: [] }];
    expect(accessSummary(RbacPolicy.fromObjects(noRules))).toBe('(no access granted)\n');
    expect(() => accessSummary([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }])).toThrow(/holds no Role, ClusterRole, RoleBinding or ClusterRoleBinding/);
  });
});
