import { Testing } from 'cdk8s';
import { AccessRole } from '../lib';

describe('AccessRole', () => {
  it('keeps nonResourceURLs in the synthesized ClusterRole (the L1 API spells them nonResourceUrLs)', () => {
    const chart = Testing.chart();
    new AccessRole(chart, 'r', { name: 'health-reader' }).allow({ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez'] });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'health-reader' },
      rules: [{ nonResourceURLs: ['/healthz', '/livez'], verbs: ['get'] }],
    }]);
  });
});
