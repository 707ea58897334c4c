/**
 * Random RBAC state and random questions about it, from a seed: the randomized differential's input
 * (e2e/09b). The fixed differential (04) asks a grid of questions about the project's own manifests;
 * this one makes up roles the manifests never write (wildcards in groups, resources and verbs,
 * `pods/*` and `* /scale` subresource patterns, resourceNames, non-resource URL prefixes, an
 * aggregated ClusterRole, Group and ServiceAccount subjects, RoleBindings to ClusterRoles) and asks
 * about them, so a rule-matching difference from the server has somewhere to show up.
 */
import type { AccessRequest, UserInfo } from '../../lib/rbac';
import { serviceAccountUser } from '../../lib/rbac';
import { prng } from '../../test/support/prng';
import type { K8sObject } from './manifests';
import type { Query } from './queries';

/** The label on every generated object, so a run can delete what an earlier run left. */
export const RANDOM_LABEL = 'e2e.cdk8s-api-reader/random';
/** The namespaces the generated Roles and RoleBindings live in. */
export const RANDOM_NAMESPACES = ['e2e-rand-a', 'e2e-rand-b'];

const RBAC = 'rbac.authorization.k8s.io';
const RULE_GROUPS = ['', 'apps', 'batch', '*', RBAC, 'e2e.example.com'];
const RULE_RESOURCES = ['pods', 'pods/log', 'pods/*', '*/scale', 'deployments', 'deployments/scale', 'deployments/status', '*/status', 'secrets', 'configmaps', '*', 'jobs', 'roles', 'widgets', 'nodes', 'namespaces'];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'escalate', 'bind', 'impersonate'];
const RULE_VERBS = [...VERBS, '*'];
const NAMES = ['a', 'b', 'api-access-secret'];
const RULE_URLS = ['/healthz', '/healthz/*', '/metrics', '/logs/*', '*', '/apis/*', '/version'];
const QUERY_URLS = ['/healthz', '/healthz/etcd', '/metrics', '/logs/x', '/apis/apps', '/version', '/foo'];
const USERS = ['e2e-rand-alice', 'e2e-rand-bob', 'e2e-rand-carol'];
const GROUPS = ['e2e-rand-devs', 'e2e-rand-ops'];
const SERVICE_ACCOUNTS = ['sa1', 'sa2'];
const QUERY_RESOURCES: ReadonlyArray<{ resource: string; group?: string; subresource?: string; clusterScoped?: boolean }> = [
  { resource: 'pods' }, { resource: 'pods', subresource: 'log' }, { resource: 'pods', subresource: 'exec' },
  { resource: 'deployments', group: 'apps' }, { resource: 'deployments', group: 'apps', subresource: 'scale' },
  { resource: 'deployments', group: 'apps', subresource: 'status' }, { resource: 'replicasets', group: 'apps', subresource: 'scale' },
  { resource: 'secrets' }, { resource: 'configmaps' }, { resource: 'jobs', group: 'batch' }, { resource: 'roles', group: RBAC },
  { resource: 'widgets', group: 'e2e.example.com' }, { resource: 'nodes', clusterScoped: true }, { resource: 'namespaces', clusterScoped: true },
];
const CLUSTER_ROLES = 12;
const ROLES_PER_NAMESPACE = 4;

/** A seeded picker over the generator's vocabulary. */
class Dice {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  public chance(p: number): boolean {
    return this.next() < p;
  }
  public below(n: number): number {
    return Math.floor(this.next() * n);
  }
  public pick<T>(from: readonly T[]): T {
    return from[this.below(from.length)];
  }
  /** One to `max` distinct values. */
  public some<T>(from: readonly T[], max: number): T[] {
    return [...new Set(Array.from({ length: 1 + this.below(max) }, () => this.pick(from)))];
  }
}

function meta(name: string, namespace?: string, extraLabels: Record<string, string> = {}): K8sObject['metadata'] {
  return { name, ...(namespace ? { namespace } : {}), labels: { [RANDOM_LABEL]: 'true', ...extraLabels } };
}

function rules(dice: Dice, clusterRole: boolean): unknown[] {
  return Array.from({ length: 1 + dice.below(3) }, () => {
    if (clusterRole && dice.chance(0.15)) return { nonResourceURLs: dice.some(RULE_URLS, 2), verbs: dice.some(['get', 'post', '*'], 2) };
    return {
      apiGroups: dice.some(RULE_GROUPS, 2), resources: dice.some(RULE_RESOURCES, 3), verbs: dice.some(RULE_VERBS, 3),
      ...(dice.chance(0.25) ? { resourceNames: dice.some(NAMES, 2) } : {}),
    };
  });
}

function subjects(dice: Dice): unknown[] {
  return Array.from({ length: 1 + dice.below(2) }, () => {
    const k = dice.below(20);
    if (k < 7) return { kind: 'User', apiGroup: RBAC, name: dice.pick(USERS) };
    if (k < 11) return { kind: 'Group', apiGroup: RBAC, name: dice.pick([...GROUPS, `system:serviceaccounts:${RANDOM_NAMESPACES[0]}`, 'system:authenticated']) };
    return { kind: 'ServiceAccount', name: dice.pick(SERVICE_ACCOUNTS), namespace: dice.pick(RANDOM_NAMESPACES) };
  });
}

/** Random roles and bindings (and their namespaces) from `seed`; ClusterRole 0 aggregates the ones labelled for it. */
export function randomRbacObjects(seed: number, bindingsPerScope = 10): K8sObject[] {
  const dice = new Dice(seed);
  const out: K8sObject[] = RANDOM_NAMESPACES.map((ns) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  for (let i = 0; i < CLUSTER_ROLES; i++) {
    const aggregated = i > 0 && dice.chance(0.3);
    out.push({
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: meta(`e2e-rand-cr-${i}`, undefined, aggregated ? { 'e2e-rand-aggregate': 'true' } : {}),
      rules: rules(dice, true),
      ...(i === 0 ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'e2e-rand-aggregate': 'true' } }] } } : {}),
    });
  }
  for (const ns of RANDOM_NAMESPACES) {
    for (let i = 0; i < ROLES_PER_NAMESPACE; i++) out.push({ apiVersion: `${RBAC}/v1`, kind: 'Role', metadata: meta(`e2e-rand-r-${i}`, ns), rules: rules(dice, false) });
  }
  for (let i = 0; i < bindingsPerScope; i++) {
    out.push({
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: meta(`e2e-rand-crb-${i}`),
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: `e2e-rand-cr-${dice.below(CLUSTER_ROLES)}` }, subjects: subjects(dice),
    });
  }
  for (const ns of RANDOM_NAMESPACES) {
    for (let i = 0; i < bindingsPerScope; i++) {
      // One Role name in five does not exist: such a binding grants nothing, on the server as here.
      const roleRef = dice.chance(0.5)
        ? { apiGroup: RBAC, kind: 'ClusterRole', name: `e2e-rand-cr-${dice.below(CLUSTER_ROLES)}` }
        : { apiGroup: RBAC, kind: 'Role', name: `e2e-rand-r-${dice.below(ROLES_PER_NAMESPACE + 1)}` };
      out.push({ apiVersion: `${RBAC}/v1`, kind: 'RoleBinding', metadata: meta(`e2e-rand-rb-${i}`, ns), roleRef, subjects: subjects(dice) });
    }
  }
  return out;
}

/** The subjects asked about: the generated users (some in a generated group) and service accounts. */
function randomSubjects(dice: Dice): Array<{ label: string; user: UserInfo }> {
  return [
    ...USERS.map((name) => {
      const groups = dice.chance(0.5) ? ['system:authenticated'] : [dice.pick(GROUPS), 'system:authenticated'];
      return { label: `user ${name} (${groups.join(', ')})`, user: { name, groups } };
    }),
    ...RANDOM_NAMESPACES.flatMap((ns) => SERVICE_ACCOUNTS.map((sa) => ({ label: `sa ${ns}/${sa}`, user: serviceAccountUser(ns, sa) }))),
  ];
}

/** `count` random questions (about 8% non-resource URLs) from `seed`. */
export function randomQueries(seed: number, count: number): Query[] {
  const dice = new Dice(seed * 7919 + 1);
  const subjectsAsked = randomSubjects(dice);
  return Array.from({ length: count }, (): Query => {
    const subject = dice.pick(subjectsAsked);
    if (dice.chance(0.08)) return { subject, request: { verb: dice.pick(['get', 'post', 'put']), path: dice.pick(QUERY_URLS) } };
    const { clusterScoped, ...target } = dice.pick(QUERY_RESOURCES);
    const namespace = clusterScoped ? '' : dice.pick([...RANDOM_NAMESPACES, 'default', '']);
    const request: AccessRequest = {
      verb: dice.pick(VERBS), ...target,
      ...(namespace ? { namespace } : {}),
      ...(dice.chance(0.4) ? { name: dice.pick([...NAMES, 'c']) } : {}),
    };
    return { subject, request };
  });
}
