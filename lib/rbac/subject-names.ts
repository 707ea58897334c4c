/**
 * Which user names the manifests know, for catching a subject written the wrong way: kubectl's
 * syntax is the only one (`system:serviceaccount:NS:NAME` for a ServiceAccount; any other name is a
 * user of that literal name, `team-a:ci-deployer` included), so a name that no binding and no
 * ServiceAccount names gets a "did you mean" when it looks like a ServiceAccount of the input.
 */
import type { RbacPolicy } from './policy';
import { serviceAccountUsername, splitServiceAccountUsername } from './subjects';

/** The ServiceAccounts the input names (as objects, or as subjects of a binding), as `NS/NAME`. */
function serviceAccountsNamed(policy: RbacPolicy): Set<string> {
  const found = new Set<string>();
  for (const sa of policy.serviceAccounts()) {
    if (sa.metadata?.namespace) found.add(`${sa.metadata.namespace}/${sa.metadata.name}`);
  }
  for (const b of [...policy.clusterRoleBindings(), ...policy.roleBindings()]) {
    for (const s of b.subjects) {
      if (s.kind === 'ServiceAccount' && (s.namespace || b.namespace)) found.add(`${s.namespace || b.namespace}/${s.name}`);
    }
  }
  return found;
}

/**
 * Whether the input names user `name`: a binding's User subject, or, for a service account user
 * name, a ServiceAccount object or ServiceAccount subject of the input (groups do not count).
 */
export function isUserNamed(policy: RbacPolicy, name: string): boolean {
  const sa = splitServiceAccountUsername(name);
  if (sa) return serviceAccountsNamed(policy).has(`${sa.namespace}/${sa.name}`);
  return [...policy.clusterRoleBindings(), ...policy.roleBindings()].some((b) => b.subjects.some((s) => s.kind === 'User' && s.name === name));
}

/**
 * The service account user name `name` was probably meant as, when the input names no such user:
 * `team-a:ci-deployer`, `team-a/ci-deployer`, `serviceaccount:team-a:ci-deployer` (any prefix before
 * the last `NS:NAME`) or a bare `ci-deployer` that names one ServiceAccount of the input.
 * @returns `system:serviceaccount:NS:NAME`, or `undefined` when nothing fits
 */
export function serviceAccountSuggestion(policy: RbacPolicy, name: string): string | undefined {
  if (isUserNamed(policy, name)) return undefined;
  const named = serviceAccountsNamed(policy);
  const parts = name.split(/[:/]/).filter((p) => p !== '');
  if (parts.length >= 2) {
    const [namespace, sa] = parts.slice(-2);
    if (named.has(`${namespace}/${sa}`)) return serviceAccountUsername(namespace, sa);
    return undefined;
  }
  const matches = [...named].filter((k) => k.slice(k.indexOf('/') + 1) === name);
  if (matches.length !== 1) return undefined;
  const [namespace, sa] = matches[0].split('/');
  return serviceAccountUsername(namespace, sa);
}

/**
 * A warning line for a user the input does not name but that looks like one of its
 * ServiceAccounts, e.g. `user "team-a:ci-deployer" is named by no binding; did you mean
 * system:serviceaccount:team-a:ci-deployer? (...)`; `undefined` when there is nothing to say.
 * @param flag how the user was given, e.g. `--as`
 */
export function subjectWarning(policy: RbacPolicy, name: string, flag: string): string | undefined {
  const suggestion = serviceAccountSuggestion(policy, name);
  if (suggestion === undefined) return undefined;
  return `${flag} ${JSON.stringify(name)} is a user of that literal name, which no binding names; did you mean ${suggestion}? ` +
    '(a ServiceAccount is written system:serviceaccount:NAMESPACE:NAME, as for kubectl --as)';
}
