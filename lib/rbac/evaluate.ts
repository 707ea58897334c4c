/**
 * The questions: may this user do this (`authorize`, kube-apiserver's RBAC authorizer), who may do
 * this (`whoCan`), and what may this user do (`rulesFor`, for a `--list` view).
 *
 * `authorize` walks exactly as upstream `DefaultRuleResolver.VisitRulesFor` does: ClusterRoleBindings
 * first, then the RoleBindings of the request's namespace (only when it has one); for each binding
 * whose subjects apply to the user, its role's rules in order; the first rule that allows stops the
 * walk. A binding whose role cannot be resolved contributes an error, which appears in the reason only
 * when nothing allowed the request.
 *
 * About `system:masters`: the API server allows that group everything with a separate authorizer
 * before RBAC is asked (upstream `authorizerfactory.NewPrivilegedGroups`), with an empty reason;
 * `authorize` does the same, with or without the bootstrap policy.
 *
 * A request for a cluster-scoped resource (`nodes`) carries no namespace, so the RoleBindings of the
 * namespace asked about are not consulted (see `requestNamespace`).
 *
 * Where several bindings allow a request, the real server may name a different one in its reason
 * (its informer cache has no fixed order); the evaluator names the first in input order (bootstrap first).
 */
import { InvalidRequestError } from './errors';
import { aggregateErrors, bindingLabel, describeDenial } from './format';
import { appliesTo, namesAllowed, ruleAllows } from './matchers';
import { RbacPolicy, ResolvedBinding } from './policy';
import { requestNamespace } from './scope';
import { serviceAccountUsername, SYSTEM_MASTERS } from './subjects';
import {
  AccessRequest, Decision, GrantedRule, GrantSource, isNonResourceRequest, PolicyRule, Subject, UserInfo,
} from './types';

/**
 * Called by {@link visitRulesFor} for each rule that applies (with its source), or for each error.
 * Return `false` to stop the walk.
 */
export type RuleVisitor = (source: GrantSource | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

const sourceCache = new WeakMap<ResolvedBinding, Map<number, GrantSource>>();

/** The grant source of a binding's subject, built once per (binding, subject) since descriptions cost string work. */
function cachedGrantSource(binding: ResolvedBinding, index: number): GrantSource {
  let perBinding = sourceCache.get(binding);
  if (!perBinding) {
    perBinding = new Map();
    sourceCache.set(binding, perBinding);
  }
  let source = perBinding.get(index);
  if (!source) {
    source = grantSource(binding, binding.subjects[index]);
    perBinding.set(index, source);
  }
  return source;
}

function grantSource(binding: ResolvedBinding, subject: Subject): GrantSource {
  return {
    bindingKind: binding.kind,
    bindingName: binding.name,
    ...(binding.kind === 'RoleBinding' ? { bindingNamespace: binding.namespace } : {}),
    roleRef: binding.roleRef,
    subject,
    description: RbacPolicy.describe(binding, subject),
  };
}

/**
 * Visits every rule that applies to `user` in `namespace`, in upstream order (upstream `VisitRulesFor`):
 * ClusterRoleBindings, then RoleBindings of `namespace` when it is not empty. A binding whose role
 * cannot be resolved yields an error instead of rules.
 * @param namespace the request namespace; `""` visits ClusterRoleBindings only
 */
export function visitRulesFor(policy: RbacPolicy, user: UserInfo, namespace: string, visitor: RuleVisitor): void {
  for (const binding of policy.candidateBindings(user, namespace)) {
    const index = appliesTo(user, binding.subjects, binding.namespace);
    if (index < 0) continue;
    if (binding.rules === undefined) {
      if (!visitor(undefined, undefined, binding.error)) return;
      continue;
    }
    if (binding.rules.length === 0) continue;
    const source = cachedGrantSource(binding, index);
    for (const rule of binding.rules) {
      if (!visitor(source, rule, undefined)) return;
    }
  }
}

function validate(request: AccessRequest): void {
  if (typeof request.verb !== 'string' || request.verb === '') {
    throw new InvalidRequestError('The request needs a verb, e.g. get, list, watch, create, update, patch, delete.');
  }
  if (isNonResourceRequest(request)) {
    if (request.path === '') throw new InvalidRequestError('A non-resource request needs a path, e.g. /api or /healthz.');
  } else if (typeof request.resource !== 'string' || request.resource === '') {
    throw new InvalidRequestError('The request needs a resource (plural), e.g. pods or deployments (group apps), or a path such as /api.');
  }
}

/**
 * Decides whether RBAC allows `user` to make `request`, exactly as kube-apiserver's RBAC authorizer:
 * the reason is upstream's (`RBAC: allowed by RoleBinding "rb/ns" of ClusterRole "cr" to ServiceAccount "sa/ns"`;
 * `""` when denied without errors; `RBAC: <errors>` when denied and a binding's role was missing).
 * @throws InvalidRequestError when the request has no verb, or neither resource nor path
 */
export function authorize(policy: RbacPolicy, user: UserInfo, request: AccessRequest): Decision {
  return decide(policy, user, request, requestNamespace(request, policy));
}

/**
 * Decides a SubjectAccessReview with exactly these attributes: the namespace as given, even for a
 * cluster-scoped resource (what `kubectl auth can-i -n NS` asks), where {@link authorize} answers
 * for the request the API would carry. For comparing with kubectl; not part of the public API.
 * @throws InvalidRequestError when the request has no verb, or neither resource nor path
 */
export function authorizeAttributes(policy: RbacPolicy, user: UserInfo, request: AccessRequest): Decision {
  return decide(policy, user, request, isNonResourceRequest(request) ? '' : request.namespace ?? '');
}

function decide(policy: RbacPolicy, user: UserInfo, request: AccessRequest, namespace: string): Decision {
  validate(request);
  if (user.groups.includes(SYSTEM_MASTERS)) return PRIVILEGED;
  const errors: string[] = [];
  let grant: GrantedRule | undefined;
  visitRulesFor(policy, user, namespace, (source, rule, error) => {
    if (rule && source && ruleAllows(request, rule)) {
      grant = { rule, source };
      return false;
    }
    if (error !== undefined) errors.push(error);
    return true;
  });
  if (grant) {
    const reason = `RBAC: allowed by ${grant.source.description}`;
    return { allowed: true, reason, errors, explanation: reason, grant };
  }
  const reason = errors.length > 0 ? `RBAC: ${aggregateErrors(errors)}` : '';
  return new Denial(reason, errors, user, request);
}

/** The privileged-group authorizer's answer for `system:masters`: allowed, with an empty reason. */
const PRIVILEGED: Decision = Object.freeze({
  allowed: true, reason: '', errors: Object.freeze([]) as readonly string[],
  explanation: `allowed: member of group "${SYSTEM_MASTERS}", which the API server allows everything before RBAC is asked`,
});

/**
 * A denial whose `explanation` is built on first read (most denials in a matrix are never explained);
 * a plain data object otherwise (`toJSON` includes the explanation).
 */
class Denial implements Decision {
  public readonly allowed = false;
  readonly #user: UserInfo;
  readonly #request: AccessRequest;
  #explanation?: string;

  constructor(public readonly reason: string, public readonly errors: readonly string[], user: UserInfo, request: AccessRequest) {
    this.#user = user;
    this.#request = request;
  }

  public get explanation(): string {
    return (this.#explanation ??= describeDenial(this.#user, this.#request));
  }

  public toJSON(): Decision {
    return { allowed: false, reason: this.reason, errors: this.errors, explanation: this.explanation };
  }
}

/** Every rule granted to a user in a namespace (upstream `RulesFor`), with the errors met. */
export interface RulesForResult {
  /** The rules, with their sources, in walk order. */
  readonly rules: readonly GrantedRule[];
  /** Resolution errors (e.g. missing roles), in walk order. */
  readonly errors: readonly string[];
}

/**
 * Every rule that applies to `user` in `namespace` (cluster-wide grants and that namespace's
 * RoleBindings), for a `kubectl auth can-i --list` style view.
 * @param namespace `""` lists cluster-wide grants only
 * @default namespace ""
 */
export function rulesFor(policy: RbacPolicy, user: UserInfo, namespace = ''): RulesForResult {
  const rules: GrantedRule[] = [];
  const errors: string[] = [];
  visitRulesFor(policy, user, namespace, (source, rule, error) => {
    if (rule && source) rules.push({ rule, source });
    if (error !== undefined) errors.push(error);
    return true;
  });
  return { rules, errors };
}

/** One subject allowed by {@link whoCan}, with the binding that grants it. */
export interface WhoCanEntry {
  /** The binding subject; a ServiceAccount's namespace is filled in from its RoleBinding when it had none. */
  readonly subject: Subject;
  /** The user name RBAC matches for a User or ServiceAccount subject (`system:serviceaccount:NS:NAME`); absent for groups. */
  readonly username?: string;
  /** The binding, role and the rule that allows the request. */
  readonly grant: GrantedRule;
}

/** A subject that {@link whoCan}'s request is not allowed to, but would be for some named objects. */
export interface WhoCanNamedEntry extends WhoCanEntry {
  /** The object names a rule limited by `resourceNames` allows, sorted. */
  readonly names: readonly string[];
}

/** The answer of {@link whoCan}. */
export interface WhoCanResult {
  /**
   * Groups allowed everything before RBAC is asked, whatever the bindings say: `system:masters`
   * (the API server's privileged-group authorizer; upstream's SubjectLocator lists it first).
   */
  readonly privilegedGroups: readonly string[];
  /** Every (subject, binding) that allows the request, in walk order (a subject appears once per granting binding). */
  readonly entries: readonly WhoCanEntry[];
  /**
   * For a resource request that names no object: every (subject, binding) whose rules allow it only
   * for named objects (`resourceNames`), with those names, leaving out subjects in `entries`
   * (the server's answer to the request as asked stays `entries`). Empty for a named request or a URL.
   */
  readonly namedOnly: readonly WhoCanNamedEntry[];
  /** Bindings in scope whose role could not be resolved, e.g. `ClusterRoleBinding "x": clusterrole.rbac.authorization.k8s.io "y" not found`. */
  readonly errors: readonly string[];
}

/**
 * Every subject (from the bindings) that is allowed `request`, with the granting binding, like
 * kubectl-who-can: ClusterRoleBindings, then the RoleBindings of the request's namespace. A
 * ServiceAccount subject without a namespace in a ClusterRoleBinding is skipped (it matches nobody).
 * For a cluster-scoped resource only ClusterRoleBindings count (see `requestNamespace`).
 * Groups are listed as groups (e.g. `system:authenticated` means every authenticated user).
 * `system:masters` is always allowed, with or without bindings: see {@link WhoCanResult.privilegedGroups}.
 * @throws InvalidRequestError when the request has no verb, or neither resource nor path
 */
export function whoCan(policy: RbacPolicy, request: AccessRequest): WhoCanResult {
  validate(request);
  const namespace = requestNamespace(request, policy);
  const entries: WhoCanEntry[] = [];
  const named: Array<{ binding: ResolvedBinding; rule: PolicyRule; names: readonly string[] }> = [];
  const errors: string[] = [];
  const askNames = !isNonResourceRequest(request) && !request.name;
  const bindings = [...policy.clusterRoleBindings(), ...(namespace ? policy.roleBindings(namespace) : [])];
  for (const binding of bindings) {
    if (binding.rules === undefined) {
      errors.push(`${bindingLabel(binding.kind, binding.name, binding.namespace)}: ${binding.error}`);
      continue;
    }
    const rule = binding.rules.find((r) => ruleAllows(request, r));
    if (rule) {
      for (const { subject, username, declared } of bindingSubjects(binding)) {
        entries.push({ subject, ...(username !== undefined ? { username } : {}), grant: { rule, source: grantSource(binding, declared) } });
      }
    } else if (askNames) {
      const names = new Set<string>();
      let first: PolicyRule | undefined;
      for (const r of binding.rules) {
        const allowed = namesAllowed(request, r);
        if (allowed.length > 0) first ??= r;
        for (const n of allowed) names.add(n);
      }
      if (first) named.push({ binding, rule: first, names: [...names].sort() });
    }
  }
  const allowed = new Set(entries.map((e) => subjectKey(e.subject)));
  const namedOnly: WhoCanNamedEntry[] = [];
  for (const { binding, rule, names } of named) {
    for (const { subject, username, declared } of bindingSubjects(binding)) {
      if (allowed.has(subjectKey(subject))) continue;
      namedOnly.push({ subject, ...(username !== undefined ? { username } : {}), names, grant: { rule, source: grantSource(binding, declared) } });
    }
  }
  return { privilegedGroups: [SYSTEM_MASTERS], entries, namedOnly, errors };
}

/** A binding's subjects that can match anyone, a ServiceAccount's namespace filled in from a RoleBinding. */
function bindingSubjects(binding: ResolvedBinding): Array<{ subject: Subject; username?: string; declared: Subject }> {
  const out: Array<{ subject: Subject; username?: string; declared: Subject }> = [];
  for (const declared of binding.subjects) {
    if (declared.kind === 'ServiceAccount') {
      const ns = declared.namespace ? declared.namespace : binding.namespace;
      if (!ns) continue;
      out.push({ subject: { ...declared, namespace: ns }, username: serviceAccountUsername(ns, declared.name), declared });
    } else if (declared.kind === 'User') {
      out.push({ subject: declared, username: declared.name, declared });
    } else if (declared.kind === 'Group') {
      out.push({ subject: declared, declared });
    }
  }
  return out;
}

function subjectKey(s: Subject): string {
  return JSON.stringify([s.kind, s.namespace ?? '', s.name]);
}
