/**
 * Seed 001's facts on the real server: a namespace's `default` ServiceAccount (created by the
 * serviceaccount controller) may not list pods, yet API discovery works for it, as for every
 * authenticated user, through the bootstrap `system:discovery` ClusterRoleBinding.
 */
import { randomBytes } from 'crypto';
import { deleteNamespaces, freshNamespace, mintToken } from './support/cluster-steps';
import { apiRequest, closeAgents } from './support/kube';

const ns = `e2e-seed001-${randomBytes(3).toString('hex')}`;
let token: string;

beforeAll(async () => {
  await freshNamespace(ns); // waits for ServiceAccount <ns>/default
  token = mintToken(ns, 'default');
});

afterAll(() => {
  deleteNamespaces(ns);
  closeAgents();
});

describe("a namespace's default ServiceAccount (seed 001)", () => {
  it('gets 403 listing the pods of its own namespace', async () => {
    const r = await apiRequest('GET', `/api/v1/namespaces/${ns}/pods`, { as: { token } });
    expect({ status: r.status, message: (JSON.parse(r.body) as { message?: string }).message }).toEqual({
      status: 403,
      message: `pods is forbidden: User "system:serviceaccount:${ns}:default" cannot list resource "pods" in API group "" in the namespace "${ns}"`,
    });
  });

  it.each(['/api', '/apis'])('gets 200 on GET %s (discovery)', async (path) => {
    const r = await apiRequest('GET', path, { as: { token } });
    expect({ status: r.status, kind: (JSON.parse(r.body) as { kind?: string }).kind }).toEqual({ status: 200, kind: path === '/api' ? 'APIVersions' : 'APIGroupList' });
  });
});
