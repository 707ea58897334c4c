/**
 * The check advice must pass before it is printed: the policy it extends plus the advised objects
 * allow every request the subject was allowed in the log. A request left unallowed is a bug in the
 * advice, never something to print and hope.
 */
import { authorize } from '../rbac/evaluate';
import { RbacPolicy } from '../rbac/policy';
import { UserInfo } from '../rbac/types';
import { accessRequest, ObservedAccess } from './observed';

/** `base` (its roles and bindings, bootstrap included when it has it) plus `objects`, as one policy. */
export function policyWith(base: RbacPolicy, objects: readonly unknown[]): RbacPolicy {
  const kept = [
    ...base.clusterRoles(), ...base.roles(),
    ...base.clusterRoleBindings().map((b) => b.object), ...base.roleBindings().map((b) => b.object),
  ];
  return RbacPolicy.fromObjects([...kept, ...objects], { bootstrap: false });
}

/**
 * The allowed requests that `base` plus `objects` still does not allow `user` (empty when the advice is right).
 * @param allowed the requests the log shows allowed
 */
export function unprovenAccesses(base: RbacPolicy, objects: readonly unknown[], user: UserInfo, allowed: readonly ObservedAccess[]): ObservedAccess[] {
  const policy = policyWith(base, objects);
  return allowed.filter((a) => a.decision === 'allow' && !authorize(policy, user, accessRequest(a)).allowed);
}
