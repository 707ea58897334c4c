/**
 * The hops one node can make, one function per hop kind of the catalogue (the risk entries with
 * `reaches`). Each hop is confirmed with the node's own answers ({@link Capability.allows}: the
 * evaluator for principals), so every hop names the exact rule and binding that allow it.
 */
import { PrivilegeRisk, riskDefinition } from '../risks';
import { SYSTEM_MASTERS } from '../subjects';
import { ResourceAttributes } from '../types';
import { Capability } from './capability';
import { PodRecord } from './inventory';
import { EscalationHop, EscalationNode, HopGrant } from './types';
import { World } from './world';

/** A hop without its start (the node that makes it). */
export type Move = Omit<EscalationHop, 'from'>;

const CLUSTER_ADMIN: EscalationNode = { kind: 'ClusterAdmin' };
const ANY_NODE: EscalationNode = { kind: 'Node', name: '*' };
const WORKLOAD_CONTROLLERS: ReadonlyArray<[string, string, string]> = [
  ['apps', 'deployments', 'Deployment'], ['apps', 'replicasets', 'ReplicaSet'], ['apps', 'statefulsets', 'StatefulSet'],
  ['apps', 'daemonsets', 'DaemonSet'], ['batch', 'jobs', 'Job'], ['batch', 'cronjobs', 'CronJob'], ['', 'replicationcontrollers', 'ReplicationController'],
];
const CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';

function req(verb: string, group: string, resource: string, namespace = '', name?: string, subresource?: string): ResourceAttributes {
  return { verb, group, resource, ...(subresource ? { subresource } : {}), ...(name !== undefined ? { name } : {}), ...(namespace ? { namespace } : {}) };
}

function sa(namespace: string, name: string): EscalationNode {
  return { kind: 'ServiceAccount', namespace, name };
}

/** Builds moves of one hop kind. */
class Moves {
  readonly out: Move[] = [];
  constructor(private readonly kind: PrivilegeRisk) {}
  add(to: EscalationNode, action: string, grants: readonly HopGrant[], pod?: { kind: string; name: string; namespace: string; source: PodRecord['source'] }): void {
    const severity = riskDefinition(this.kind)!.severity;
    this.out.push({ kind: this.kind, severity, to, action, grants, ...(pod ? { object: { kind: pod.kind, name: pod.name, namespace: pod.namespace, source: pod.source } } : {}) });
  }
}

/** The namespaces a hop kind holds in: every namespace when it holds cluster-wide. */
function scope(held: ReadonlySet<string> | undefined, world: World): readonly string[] {
  if (!held) return [];
  return held.has('') ? world.namespaces : [...held].sort();
}

/** The first of `requests` the capability allows. */
function first(cap: Capability, requests: readonly ResourceAttributes[]): HopGrant | undefined {
  for (const r of requests) {
    const grant = cap.allows(r);
    if (grant) return grant;
  }
  return undefined;
}

type HopFinder = (cap: Capability, world: World, m: Moves) => void;

const FINDERS: Readonly<Partial<Record<PrivilegeRisk, HopFinder>>> = {
  'workload-create': (cap, world, m) => {
    for (const ns of scope(cap.held.get('workload-create'), world)) {
      let what = 'a Pod';
      let grant = cap.allows(req('create', '', 'pods', ns));
      for (const [group, resource, kind] of WORKLOAD_CONTROLLERS) {
        if (grant) break;
        grant = first(cap, ['create', 'update', 'patch'].map((v) => req(v, group, resource, ns)));
        what = `a ${kind}`;
      }
      if (!grant) continue;
      for (const name of world.serviceAccountsIn(ns)) m.add(sa(ns, name), `create ${what} in namespace "${ns}" that runs as ServiceAccount "${name}" and use its mounted token`, [grant]);
      if (world.admitsHostPathPods(ns)) m.add(ANY_NODE, `create ${what} in namespace "${ns}" (no Pod Security enforcement) that mounts the node's root file system (hostPath /)`, [grant]);
    }
  },
  'serviceaccount-token-create': (cap, world, m) => {
    for (const ns of scope(cap.held.get('serviceaccount-token-create'), world)) {
      for (const name of world.serviceAccountsIn(ns)) {
        const grant = cap.allows(req('create', '', 'serviceaccounts', ns, name, 'token'));
        if (grant) m.add(sa(ns, name), `mint a token for it (kubectl create token ${name} -n ${ns})`, [grant]);
      }
    }
  },
  'serviceaccount-token-secret-create': (cap, world, m) => {
    for (const ns of scope(cap.held.get('serviceaccount-token-secret-create'), world)) {
      const grant = cap.allows(req('create', '', 'secrets', ns));
      // The create answer holds no token yet: the token controller writes it after, so reading it back is needed too.
      const read = grant && first(cap, [req('get', '', 'secrets', ns), req('list', '', 'secrets', ns), req('watch', '', 'secrets', ns)]);
      if (!grant || !read) continue;
      for (const name of world.serviceAccountsIn(ns)) m.add(sa(ns, name), `create a Secret of type kubernetes.io/service-account-token for it in namespace "${ns}" and read back the token the control plane writes`, [grant, read]);
    }
  },
  'secrets-read': (cap, world, m) => {
    for (const ns of scope(cap.held.get('secrets-read'), world)) {
      for (const secret of world.tokenSecretsIn(ns)) {
        const grant = first(cap, [req('get', '', 'secrets', ns, secret.name), req('list', '', 'secrets', ns)]);
        if (grant) m.add(sa(ns, secret.serviceAccount), `read its token from Secret "${secret.name}"`, [grant], { kind: 'Secret', ...secret });
      }
    }
  },
  'impersonate': (cap, world, m) => {
    const held = cap.held.get('impersonate');
    let someUser: HopGrant | undefined;
    if (held?.has('')) {
      for (const user of world.impersonableUsers) {
        const grant = cap.allows(req('impersonate', '', 'users', '', user));
        if (grant) m.add({ kind: 'User', name: user }, `impersonate it (--as ${user})`, [grant]);
        someUser ??= grant;
      }
    }
    for (const ns of scope(held, world)) {
      for (const name of world.serviceAccountsIn(ns)) {
        const grant = cap.allows(req('impersonate', '', 'serviceaccounts', ns, name));
        if (grant) m.add(sa(ns, name), `impersonate it (--as system:serviceaccount:${ns}:${name})`, [grant]);
        someUser ??= grant;
      }
    }
    // The API server refuses group impersonation without a user to impersonate along with it.
    if (!someUser || !held?.has('')) return;
    for (const group of world.groups) {
      const grant = cap.allows(req('impersonate', '', 'groups', '', group));
      if (grant) m.add(group === SYSTEM_MASTERS ? CLUSTER_ADMIN : { kind: 'Group', name: group }, `impersonate a member of group "${group}" (--as-group ${group}, with an --as it may impersonate)`, [grant, someUser]);
    }
  },
  'bind': (cap, world, m) => {
    const held = cap.held.get('bind');
    if (held?.has('')) {
      const create = cap.allows(req('create', 'rbac.authorization.k8s.io', 'clusterrolebindings'));
      for (const role of create ? world.bindableRoles('').filter((r) => r.kind === 'ClusterRole') : []) {
        const grant = cap.allows(req('bind', 'rbac.authorization.k8s.io', 'clusterroles', '', role.name));
        const to: EscalationNode = role.everything ? CLUSTER_ADMIN : { kind: 'Grant', roleKind: 'ClusterRole', roleName: role.name, namespace: '' };
        if (grant) m.add(to, `create a ClusterRoleBinding of ClusterRole "${role.name}" to itself`, [grant, create!]);
      }
    }
    for (const ns of scope(held, world)) {
      const create = cap.allows(req('create', 'rbac.authorization.k8s.io', 'rolebindings', ns));
      for (const role of create ? world.bindableRoles(ns) : []) {
        // The API server checks bind in the RoleBinding's namespace, also for a ClusterRole.
        const grant = cap.allows(req('bind', 'rbac.authorization.k8s.io', role.kind === 'Role' ? 'roles' : 'clusterroles', ns, role.name), true);
        if (grant) m.add({ kind: 'Grant', roleKind: role.kind, roleName: role.name, namespace: ns }, `create a RoleBinding in namespace "${ns}" of ${role.kind} "${role.name}" to itself`, [grant, create!]);
      }
    }
  },
  'escalate': (cap, _world, m) => {
    for (const b of cap.bindings) {
      const isRole = b.roleRef.kind === 'Role';
      if (!isRole && b.roleRef.kind !== 'ClusterRole') continue;
      const ns = isRole ? b.namespace : '';
      const resource = isRole ? 'roles' : 'clusterroles';
      const escalate = cap.allows(req('escalate', 'rbac.authorization.k8s.io', resource, ns, b.roleRef.name));
      const update = escalate && first(cap, ['update', 'patch'].map((v) => req(v, 'rbac.authorization.k8s.io', resource, ns, b.roleRef.name)));
      if (!escalate || !update) continue;
      const to: EscalationNode = b.kind === 'ClusterRoleBinding' ? CLUSTER_ADMIN : { kind: 'Grant', roleKind: '*', roleName: '*', namespace: b.namespace };
      m.add(to, `add any rule to ${b.roleRef.kind} "${b.roleRef.name}", which ${b.kind} "${b.name}" grants it`, [escalate, update]);
    }
  },
  'pods-exec': (cap, world, m) => {
    for (const ns of scope(cap.held.get('pods-exec'), world)) {
      for (const pod of world.podsIn(ns)) {
        const name = pod.kind === 'Pod' ? pod.name : undefined;
        const requests: Array<[ResourceAttributes, string]> = [
          [req('create', '', 'pods', ns, name, 'exec'), 'exec into'], [req('get', '', 'pods', ns, name, 'exec'), 'exec into'],
          [req('create', '', 'pods', ns, name, 'attach'), 'attach to'], [req('get', '', 'pods', ns, name, 'attach'), 'attach to'],
          [req('update', '', 'pods', ns, name), 'update the image of'], [req('patch', '', 'pods', ns, name), 'patch the image of'],
        ];
        for (const [r, verb] of requests) {
          const grant = cap.allows(r);
          if (!grant) continue;
          m.add(sa(ns, pod.serviceAccount), `${verb} ${podLabel(pod)}, which runs as it`, [grant], pod);
          break;
        }
      }
    }
  },
  'pods-ephemeral-containers': (cap, world, m) => {
    for (const ns of scope(cap.held.get('pods-ephemeral-containers'), world)) {
      for (const pod of world.podsIn(ns)) {
        const name = pod.kind === 'Pod' ? pod.name : undefined;
        const grant = first(cap, ['update', 'patch'].map((v) => req(v, '', 'pods', ns, name, 'ephemeralcontainers')));
        if (grant) m.add(sa(ns, pod.serviceAccount), `add an ephemeral container to ${podLabel(pod)}, which runs as it`, [grant], pod);
      }
    }
  },
  'nodes-proxy': (cap, world, m) => {
    if (!cap.held.get('nodes-proxy')?.has('')) return;
    const proxy = (node?: string) => first(cap, ['get', 'create'].map((v) => req(v, '', 'nodes', '', node, 'proxy')));
    const reach = (pods: readonly PodRecord[], grant: HopGrant, node: string) => {
      for (const pod of pods) m.add(sa(pod.namespace, pod.serviceAccount), `run a command in ${podLabel(pod)} through the kubelet API of node "${node}" (nodes/proxy)`, [grant], pod);
    };
    for (const node of world.nodes) {
      const grant = proxy(node);
      if (grant) reach(world.podsOn(node), grant, node);
    }
    const any = proxy();
    if (any) reach(world.unscheduledPods, any, '*');
  },
  'csr-approve': (cap, world, m) => {
    if (!cap.held.get('csr-approve')?.has('')) return;
    const group = 'certificates.k8s.io';
    const create = cap.allows(req('create', group, 'certificatesigningrequests'));
    const approval = create && first(cap, ['update', 'patch'].map((v) => req(v, group, 'certificatesigningrequests', '', undefined, 'approval')));
    const signer = approval && first(cap, [req('approve', group, 'signers', '', CLIENT_SIGNER), req('approve', group, 'signers', '', 'kubernetes.io/*')]);
    if (!create || !approval || !signer) return;
    // The CertificateSubjectRestriction admission plugin refuses this signer's requests for group
    // system:masters, so a certificate reaches every other user and group, not system:masters itself.
    const grants = [create, approval, signer];
    for (const user of world.users) m.add({ kind: 'User', name: user }, `request and approve a client certificate (signer ${CLIENT_SIGNER}) with CN=${user}`, grants);
    for (const g of world.groups) {
      if (g !== SYSTEM_MASTERS) m.add({ kind: 'Group', name: g }, `request and approve a client certificate (signer ${CLIENT_SIGNER}) with O=${g}`, grants);
    }
  },
  'admission-webhooks': (cap, world, m) => {
    if (!cap.held.get('admission-webhooks')?.has('')) return;
    const grant = cap.allows(req('create', 'admissionregistration.k8s.io', 'mutatingwebhookconfigurations'));
    if (!grant) return;
    for (const ns of world.namespaces) {
      for (const name of world.serviceAccountsIn(ns)) m.add(sa(ns, name), `register a mutating webhook that rewrites the next pod admitted in namespace "${ns}" to run its code as it`, [grant]);
    }
  },
  'persistent-volume-create': (cap, world, m) => {
    if (!cap.held.get('persistent-volume-create')?.has('')) return;
    const pv = cap.allows(req('create', '', 'persistentvolumes'));
    for (const ns of pv ? world.namespaces : []) {
      const pvc = cap.allows(req('create', '', 'persistentvolumeclaims', ns));
      const pod = pvc && cap.allows(req('create', '', 'pods', ns));
      if (pvc && pod) {
        m.add(ANY_NODE, `create a hostPath PersistentVolume, claim it in namespace "${ns}" and mount it in a pod`, [pv!, pvc, pod]);
        return;
      }
    }
  },
  'namespace-modify': (cap, world, m) => {
    for (const ns of scope(cap.held.get('namespace-modify'), world)) {
      const label = first(cap, ['patch', 'update'].map((v) => req(v, '', 'namespaces', ns, ns)));
      const pod = label && cap.allows(req('create', '', 'pods', ns));
      if (label && pod) m.add(ANY_NODE, `set namespace "${ns}" to Pod Security "privileged" and create a pod there that mounts the node's root file system`, [label, pod]);
    }
  },
};

function podLabel(pod: PodRecord): string {
  return pod.kind === 'Pod' ? `Pod "${pod.name}"` : `the pods of ${pod.kind} "${pod.name}"`;
}

/** The hop kinds {@link movesOf} knows, in catalogue order: each is a risk catalogue entry with `reaches`. */
export const HOP_FINDER_KINDS: readonly PrivilegeRisk[] = Object.keys(FINDERS) as PrivilegeRisk[];

/** Every hop a capability can make, hop kind by hop kind in catalogue order. */
export function movesOf(cap: Capability, world: World): Move[] {
  const out: Move[] = [];
  for (const [kind, find] of Object.entries(FINDERS) as Array<[PrivilegeRisk, HopFinder]>) {
    if (!cap.held.has(kind)) continue;
    const m = new Moves(kind);
    find(cap, world, m);
    out.push(...m.out);
  }
  return out;
}
