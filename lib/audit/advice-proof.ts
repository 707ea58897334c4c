/**
 * The check advice must pass before it is printed, on the whole output as `kubectl apply` would
 * apply it over the policy it extends (an object replaces the one of the same kind, namespace and
 * name): every subject is allowed every request the log shows it allowed, and no advised object
 * reaches anyone but the subject it was made for (a role no other subject's binding references, a
 * binding that names only its subject, no object replaced that bound someone else). A failure is
 * a bug in the advice, never something to print and hope.
 */
import { authorize } from '../rbac/evaluate';
import { RbacPolicy, ResolvedBinding } from '../rbac/policy';
import { Subject, UserInfo } from '../rbac/types';
import type { AdviceSubject } from './advice';
import { accessRequest, ObservedAccess } from './observed';
import { target } from './render/diff';

/** An object's identity as `kubectl apply` sees it: `Kind/namespace/name`. */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return `${kind}/${namespace ?? ''}/${name}`;
}

function keyOf(object: unknown): string {
  const o = object as { kind: string; metadata: { name: string; namespace?: string } };
  return objectKey(o.kind, o.metadata.namespace, o.metadata.name);
}

/** The objects of `base` (its roles and bindings, bootstrap included when it has it). */
function baseObjects(base: RbacPolicy): unknown[] {
  return [
    ...base.clusterRoles(), ...base.roles(),
    ...base.clusterRoleBindings().map((b) => b.object), ...base.roleBindings().map((b) => b.object),
  ];
}

/** `base` with `objects` applied over it, as one policy: an object replaces the one of its kind, namespace and name. */
export function policyWith(base: RbacPolicy, objects: readonly unknown[]): RbacPolicy {
  const replaced = new Set(objects.map(keyOf));
  const kept = baseObjects(base).filter((o) => !replaced.has(keyOf(o)));
  return RbacPolicy.fromObjects([...kept, ...objects], { bootstrap: false });
}

/**
 * The allowed requests that `base` plus `objects` still does not allow `user` (empty when the advice is right).
 * @param allowed the requests the log shows allowed
 */
export function unprovenAccesses(base: RbacPolicy, objects: readonly unknown[], user: UserInfo, allowed: readonly ObservedAccess[]): ObservedAccess[] {
  return unallowed(policyWith(base, objects), user, allowed);
}

function unallowed(policy: RbacPolicy, user: UserInfo, allowed: readonly ObservedAccess[]): ObservedAccess[] {
  return allowed.filter((a) => a.decision === 'allow' && !authorize(policy, user, accessRequest(a)).allowed);
}

/** True when `subject` of `binding` is `owner` (a service account without a namespace in a RoleBinding is of the binding's). */
function isOwner(subject: Subject, binding: { readonly namespace: string }, owner: AdviceSubject): boolean {
  if (subject.kind !== owner.kind || subject.name !== owner.name) return false;
  return owner.kind !== 'ServiceAccount' || (subject.namespace || binding.namespace) === owner.namespace;
}

/** True when every subject of `binding` is `owner`. */
export function bindsOnly(binding: ResolvedBinding, owner: AdviceSubject): boolean {
  return binding.subjects.every((s) => isOwner(s, binding, owner));
}

/** The key of the role `binding` references. */
export function roleRefKey(binding: Pick<ResolvedBinding, 'roleRef' | 'namespace'>): string {
  return objectKey(binding.roleRef.kind, binding.roleRef.kind === 'Role' ? binding.namespace : undefined, binding.roleRef.name);
}

/** One subject's part of the output: its objects and the requests they must allow. */
export interface AdvisedPart {
  /** Who the objects are for. */
  readonly subject: AdviceSubject;
  /** The user to ask the evaluator about. */
  readonly user: UserInfo;
  /** The advised roles and bindings, as manifests. */
  readonly objects: readonly unknown[];
  /** The requests the log shows allowed. */
  readonly allowed: readonly ObservedAccess[];
}

/**
 * What is wrong with applying every part over `base` at once, one sentence each (empty when the
 * output is right): two objects of one name, a request left unallowed, or an advised object that
 * reaches someone other than its subject.
 */
export function disproveOutput(base: RbacPolicy, parts: readonly AdvisedPart[]): string[] {
  const problems: string[] = [];
  const owner = new Map<string, AdviceSubject>();
  for (const part of parts) {
    for (const object of part.objects) {
      const key = keyOf(object);
      const other = owner.get(key);
      if (other) problems.push(`${key} is advised for both ${JSON.stringify(other.username)} and ${JSON.stringify(part.subject.username)}`);
      owner.set(key, part.subject);
    }
  }
  // A binding the output replaces must have bound only the subject the replacement is for.
  for (const b of [...base.clusterRoleBindings(), ...base.roleBindings()]) {
    const key = objectKey(b.kind, b.kind === 'RoleBinding' ? b.namespace : undefined, b.name);
    const subject = owner.get(key);
    if (subject && !bindsOnly(b, subject)) problems.push(`${key} would replace a binding of other subjects than ${JSON.stringify(subject.username)}`);
  }
  const applied = policyWith(base, parts.flatMap((p) => p.objects));
  // Every binding of an advised role, the advised ones included, binds only the role's subject.
  for (const b of [...applied.clusterRoleBindings(), ...applied.roleBindings()]) {
    const subject = owner.get(roleRefKey(b));
    if (subject && !bindsOnly(b, subject)) {
      problems.push(`${b.kind} ${JSON.stringify(b.namespace ? `${b.name}/${b.namespace}` : b.name)} would grant ${roleRefKey(b)}, advised for ${JSON.stringify(subject.username)}, to others`);
    }
  }
  for (const part of parts) {
    const left = unallowed(applied, part.user, part.allowed);
    if (left.length > 0) problems.push(`the advice for ${JSON.stringify(part.subject.username)} would not allow ${left.map((a) => JSON.stringify(target(a))).join(', ')}, which the log shows allowed`);
  }
  return problems;
}
