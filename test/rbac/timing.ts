/**
 * Timing (not a test): evaluates every (subject, verb, resource, namespace) combination for a policy
 * of 1,000 bindings (900 RoleBindings over 10 namespaces, 100 ClusterRoleBindings), bootstrap included.
 *
 * Run: npx ts-node --transpile-only test/rbac/timing.ts
 */
import { authorize, KubeObject, RbacPolicy, serviceAccountUser, UserInfo } from '../../lib/rbac';

const NAMESPACES = Array.from({ length: 10 }, (_, i) => `ns-${i}`);
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const RESOURCES = ['pods', 'secrets', 'configmaps', 'services', 'deployments', 'jobs', 'serviceaccounts', 'events', 'pods/log', 'ingresses'];

function build(): { objects: KubeObject[]; users: UserInfo[] } {
  const objects: KubeObject[] = [];
  for (let r = 0; r < 50; r++) {
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${r}` },
      rules: [
        { apiGroups: ['', 'apps', 'batch'], resources: [RESOURCES[r % 10], RESOURCES[(r + 3) % 10]], verbs: [VERBS[r % 8], VERBS[(r + 1) % 8]] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: [`s-${r}`], verbs: ['get'] },
      ],
    });
  }
  const users: UserInfo[] = [];
  for (let b = 0; b < 1000; b++) {
    const ns = NAMESPACES[b % 10];
    const sa = `sa-${b}`;
    users.push(serviceAccountUser(ns, sa));
    const subjects = [{ kind: 'ServiceAccount', name: sa, namespace: ns }];
    const roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${b % 50}` };
    objects.push(b < 100
      ? { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${b}` }, roleRef, subjects }
      : { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${b}`, namespace: ns }, roleRef, subjects });
  }
  return { objects, users };
}

const { objects, users } = build();
let t = process.hrtime.bigint();
const policy = RbacPolicy.fromObjects(objects);
const buildMs = Number(process.hrtime.bigint() - t) / 1e6;

t = process.hrtime.bigint();
let allowed = 0;
let total = 0;
for (const user of users) {
  for (const ns of NAMESPACES) {
    for (const verb of VERBS) {
      for (const r of RESOURCES) {
        const [resource, subresource] = r.split('/');
        if (authorize(policy, user, { verb, resource, subresource, namespace: ns }).allowed) allowed++;
        total++;
      }
    }
  }
}
const evalMs = Number(process.hrtime.bigint() - t) / 1e6;
console.log(`bindings: 1000 (+${policy.clusterRoleBindings().length - 100} bootstrap CRBs); build ${buildMs.toFixed(1)} ms`);
console.log(`${total} authorize calls (${users.length} subjects x ${VERBS.length} verbs x ${RESOURCES.length} resources x ${NAMESPACES.length} namespaces), ${allowed} allowed: ${evalMs.toFixed(0)} ms (${(evalMs * 1000 / total).toFixed(2)} us/call)`);
