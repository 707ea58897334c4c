import { DEFAULT_SERVED_GROUP_VERSIONS } from '../../lib/rbac/private/kube-data/served';
import { apiResourcesFor, resolveGroupResource, servedApiResourcesFor, SUPPORTED_KUBE_VERSIONS, UnknownApiVersionError } from '../../lib/rbac';

// Issue 23, item 3: the v1.35 data lists APIs a default v1.35 server does not serve (alpha and beta off).
const UNSERVED_1_35 = [
  'clustertrustbundles.certificates.k8s.io', 'podcertificaterequests.certificates.k8s.io', 'mutatingadmissionpolicies.admissionregistration.k8s.io',
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io', 'leasecandidates.coordination.k8s.io', 'storageversions.internal.apiserver.k8s.io',
  'devicetaintrules.resource.k8s.io', 'workloads.scheduling.k8s.io', 'storageversionmigrations.storagemigration.k8s.io',
];

const key = (r: { resource: string; group: string }) => `${r.resource}.${r.group}`;

describe('servedApiResourcesFor', () => {
  it('leaves out what a default 1.35 server does not serve, and keeps everything GA', () => {
    const served = new Set(servedApiResourcesFor('1.35').map(key));
    for (const r of UNSERVED_1_35) expect([r, served.has(r)]).toEqual([r, false]);
    for (const r of ['pods.', 'deployments.apps', 'clusterroles.rbac.authorization.k8s.io', 'leases.coordination.k8s.io', 'validatingadmissionpolicies.admissionregistration.k8s.io']) {
      expect([r, served.has(r)]).toEqual([r, true]);
    }
  });

  it('serves only GA versions of a resource by default', () => {
    for (const version of SUPPORTED_KUBE_VERSIONS) {
      for (const r of servedApiResourcesFor(version)) expect([key(r), r.versions.every((v) => /^v\d+$/.test(v))]).toEqual([key(r), true]);
    }
  });

  it('takes 1.35 from a default server\'s discovery, which the GA rule (used for 1.33 and 1.34) reproduces exactly', () => {
    const discovered = DEFAULT_SERVED_GROUP_VERSIONS['1.35'];
    expect(discovered).toBeDefined();
    const gaRule = new Set(apiResourcesFor('1.35').flatMap((r) => r.versions.filter((v) => /^v\d+$/.test(v)).map((v) => (r.group ? `${r.group}/${v}` : v))));
    expect([...gaRule].sort()).toEqual([...discovered!]);
    expect(DEFAULT_SERVED_GROUP_VERSIONS['1.34']).toBeUndefined();
  });

  it('adds what --enable-api names, and everything with api/all', () => {
    expect(servedApiResourcesFor('1.35', ['coordination.k8s.io/v1beta1']).map(key)).toContain('leasecandidates.coordination.k8s.io');
    expect(servedApiResourcesFor('1.35', ['api/all']).length).toBe(apiResourcesFor('1.35').length);
    expect(() => servedApiResourcesFor('1.35', ['coordination.k8s.io/v9'])).toThrow(UnknownApiVersionError);
  });

  it('resolves bare names through served resources only, as kubectl\'s discovery does', () => {
    expect(resolveGroupResource('leasecandidates')).toEqual({ resource: 'leasecandidates', group: '' });
    expect(resolveGroupResource('leasecandidates', { enabledApis: ['coordination.k8s.io/v1beta1'] })).toEqual({ resource: 'leasecandidates', group: 'coordination.k8s.io' });
    expect(resolveGroupResource('deploy')).toEqual({ resource: 'deployments', group: 'apps' });
  });
});

describe('resolveGroupResource: kubectl\'s spellings', () => {
  it.each<[string, string, string]>([
    ['deploy.apps', 'deployments', 'apps'],
    ['deployment.apps', 'deployments', 'apps'],
    ['deployments.v1.apps', 'deployments', 'apps'],
    ['secrets.v1.', 'secrets', ''],
    ['hpa.autoscal', 'horizontalpodautoscalers', 'autoscaling'],
    ['widgets.example.com', 'widgets', 'example.com'],
    ['deployments.v1beta1.apps', 'deployments', 'v1beta1.apps'],
  ])('%s', (text, resource, group) => {
    expect(resolveGroupResource(text)).toEqual({ resource, group });
  });

  it('resolves a custom resource by RESOURCE.VERSION.GROUP only at a served version', () => {
    const customResources = [{ resource: 'widgets', group: 'example.com', singular: 'widget', shortNames: ['wd'], namespaced: true, versions: ['v1'] }];
    expect(resolveGroupResource('wd.v1.example.com', { customResources })).toEqual({ resource: 'widgets', group: 'example.com' });
    expect(resolveGroupResource('widget.example.com', { customResources })).toEqual({ resource: 'widgets', group: 'example.com' });
    expect(resolveGroupResource('widgets.v2.example.com', { customResources })).toEqual({ resource: 'widgets', group: 'v2.example.com' });
  });
});
