/**
 * The differential test's query set: every (subject, verb, resource[/name], namespace) combination
 * over the subjects the manifests mention, plus non-resource URLs. Deterministic (no randomness), so
 * a disagreement reproduces on the next run.
 */
import type { AccessRequest, RbacPolicy, UserInfo } from '../../lib/rbac';
import { requestNamespace, serviceAccountUser } from '../../lib/rbac';

/** A subject as both the server (SubjectAccessReview user + groups) and our evaluator see it. */
export interface QuerySubject {
  readonly label: string;
  readonly user: UserInfo;
}

export interface Query {
  readonly subject: QuerySubject;
  readonly request: AccessRequest;
}

/** Namespaces always asked about (`''` = cluster-wide / all namespaces), besides the manifests' own. */
export const BASE_NAMESPACES = ['dev', 'default', 'kube-system', ''];
export const VERBS = ['get', 'list', 'watch', 'create', 'delete', 'update'];
/** Verbs for which a resource name is meaningful (asked both with and without it). */
export const NAMED_VERBS = ['get', 'update', 'delete'];
/** `resource[/subresource][.group]`, plus the names asked about for each. */
export const RESOURCES: ReadonlyArray<{ resource: string; names?: string[] }> = [
  { resource: 'secrets', names: ['api-access-secret'] },
  { resource: 'pods' },
  { resource: 'pods/log' },
  { resource: 'configmaps' },
  { resource: 'namespaces' },
  { resource: 'serviceaccounts/token' },
  { resource: 'deployments.apps' },
  { resource: 'widgets.e2e.example.com' },
];
export const NON_RESOURCE_PATHS = ['/api', '/apis', '/healthz', '/healthz/etcd', '/version', '/metrics', '/livez', '/readyz', '/openapi/v2', '/.well-known/openid-configuration', '/openid/v1/jwks', '/logs'];
export const NON_RESOURCE_VERBS = ['get', 'post'];

function splitResource(spec: string): { resource: string; subresource?: string; group?: string } {
  const dot = spec.indexOf('.');
  const group = dot >= 0 ? spec.slice(dot + 1) : '';
  const [resource, subresource] = (dot >= 0 ? spec.slice(0, dot) : spec).split('/');
  return { resource, ...(subresource ? { subresource } : {}), ...(group ? { group } : {}) };
}

/**
 * The subjects to ask about: every ServiceAccount the manifests define or bind (a RoleBinding
 * subject without a namespace means the binding's), the `default` SA of every namespace asked
 * about, every bound User, a member of every bound non-system Group, an unbound user and anonymous.
 */
export function subjectsOf(policy: RbacPolicy, namespaces: readonly string[]): QuerySubject[] {
  const sas = new Set<string>();
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const sa of policy.serviceAccounts()) sas.add(`${sa.metadata.namespace}/${sa.metadata.name}`);
  for (const ns of namespaces) if (ns) sas.add(`${ns}/default`);
  const bindings = [...policy.clusterRoleBindings(), ...policy.roleBindings()];
  for (const b of bindings) {
    if (b.source === undefined) continue; // bootstrap bindings: their subjects are system users and groups
    for (const s of b.subjects) {
      if (s.kind === 'ServiceAccount' && (s.namespace || b.namespace)) sas.add(`${s.namespace || b.namespace}/${s.name}`);
      else if (s.kind === 'User') users.add(s.name);
      else if (s.kind === 'Group' && !s.name.startsWith('system:')) groups.add(s.name);
    }
  }
  const out: QuerySubject[] = [];
  for (const key of [...sas].sort()) {
    const [ns, name] = key.split('/');
    out.push({ label: `sa ${key}`, user: serviceAccountUser(ns, name) });
  }
  for (const u of [...users].sort()) out.push({ label: `user ${u}`, user: { name: u, groups: ['system:authenticated'] } });
  for (const g of [...groups].sort()) out.push({ label: `member of ${g}`, user: { name: `e2e-member-of-${g}`, groups: [g, 'system:authenticated'] } });
  out.push({ label: 'unbound user', user: { name: 'e2e-nobody', groups: ['system:authenticated'] } });
  out.push({ label: 'anonymous', user: { name: 'system:anonymous', groups: ['system:unauthenticated'] } });
  return out;
}

/**
 * The namespaces asked about for one subject: the base ones (dev, default, kube-system and
 * cluster-wide), its own (a ServiceAccount's), and every namespace where a RoleBinding of the
 * manifests names it (as a user, service account, or one of its groups). Other namespaces would
 * only repeat "denied by default" and slow the run.
 */
export function namespacesFor(policy: RbacPolicy, subject: QuerySubject): string[] {
  const user = subject.user;
  const out = new Set(BASE_NAMESPACES);
  const sa = /^system:serviceaccount:([^:]+):[^:]+$/.exec(user.name);
  if (sa) out.add(sa[1]);
  for (const b of policy.roleBindings()) {
    const names = b.subjects.some((s) =>
      s.kind === 'ServiceAccount' ? `system:serviceaccount:${s.namespace || b.namespace}:${s.name}` === user.name
        : s.kind === 'User' ? s.name === user.name
          : s.kind === 'Group' && user.groups.includes(s.name));
    if (names) out.add(b.namespace);
  }
  return [...out].sort();
}

/**
 * The request with the namespace the real API request carries (none for a cluster-scoped resource
 * such as `namespaces` without a name): a SubjectAccessReview takes any namespace it is given, and
 * would let a RoleBinding grant `list namespaces`, which no real request can get that way.
 */
export function asSent(policy: RbacPolicy, request: Exclude<AccessRequest, { path: string }>): AccessRequest {
  const { namespace: _asked, ...rest } = request;
  const namespace = requestNamespace(request, policy);
  return namespace ? { ...rest, namespace } : rest;
}

/** Subjects x their namespaces x resources x verbs (+ names), plus non-resource URLs x verbs. */
export function generateQueries(policy: RbacPolicy, subjects: readonly QuerySubject[]): Query[] {
  const out: Query[] = [];
  for (const subject of subjects) {
    for (const namespace of namespacesFor(policy, subject)) {
      for (const { resource, names } of RESOURCES) {
        const attrs = splitResource(resource);
        for (const verb of VERBS) {
          out.push({ subject, request: asSent(policy, { verb, ...attrs, namespace }) });
          if (NAMED_VERBS.includes(verb)) {
            for (const name of names ?? []) out.push({ subject, request: asSent(policy, { verb, ...attrs, name, namespace }) });
          }
        }
      }
    }
    for (const path of NON_RESOURCE_PATHS) for (const verb of NON_RESOURCE_VERBS) out.push({ subject, request: { verb, path } });
  }
  return out;
}

/** `get secrets/api-access-secret in namespace "dev"`, `get /healthz`: for messages. */
export function describeRequest(r: AccessRequest): string {
  if ('path' in r && typeof r.path === 'string') return `${r.verb} ${r.path}`;
  const a = r as Exclude<AccessRequest, { path: string }>;
  const res = `${a.resource}${a.subresource ? `/${a.subresource}` : ''}${a.group ? `.${a.group}` : ''}${a.name ? ` name=${a.name}` : ''}`;
  return `${a.verb} ${res} ${a.namespace ? `in namespace "${a.namespace}"` : 'cluster-wide'}`;
}
