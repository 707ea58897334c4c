/**
 * Users as the API server sees them: service account users and their groups, and kubectl's
 * impersonation flags (`--as`, `--as-group`), following `k8s.io/apiserver/pkg/authentication/serviceaccount`
 * and the impersonation filter of `k8s.io/apiserver/pkg/endpoints/filters/impersonation.go`.
 */
import { InvalidSubjectError } from './errors';
import { UserInfo } from './types';

/** Every authenticated user is in this group. */
export const ALL_AUTHENTICATED = 'system:authenticated';
/** Every anonymous request is in this group. */
export const ALL_UNAUTHENTICATED = 'system:unauthenticated';
/** The user name of anonymous requests. */
export const ANONYMOUS_USER = 'system:anonymous';
/** Every service account is in this group. */
export const ALL_SERVICE_ACCOUNTS = 'system:serviceaccounts';
/** The prefix of a service account's user name. */
export const SERVICE_ACCOUNT_USERNAME_PREFIX = 'system:serviceaccount:';
/**
 * The group whose members the API server allows everything, before RBAC is asked (a separate
 * authorizer, upstream `authorizerfactory.NewPrivilegedGroups`), whatever the RBAC bindings say;
 * `authorize` allows it and `whoCan` lists it, with or without the bootstrap policy.
 */
export const SYSTEM_MASTERS = 'system:masters';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `value` is a valid namespace name (an RFC 1123 label of at most 63 characters). */
export function isValidNamespaceName(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True when `value` is a valid service account name (an RFC 1123 subdomain of at most 253 characters). */
export function isValidServiceAccountName(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/** The user name of a service account: `system:serviceaccount:NAMESPACE:NAME`. No validation. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT_USERNAME_PREFIX}${namespace}:${name}`;
}

/** The groups of a service account in `namespace`: `system:serviceaccounts`, `system:serviceaccounts:NAMESPACE`. */
export function serviceAccountGroups(namespace: string): string[] {
  return [ALL_SERVICE_ACCOUNTS, `${ALL_SERVICE_ACCOUNTS}:${namespace}`];
}

/**
 * Splits a service account user name into namespace and name, as upstream's `SplitUsername`.
 * @returns `undefined` when `username` is not a valid service account user name
 */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return undefined;
  const parts = username.slice(SERVICE_ACCOUNT_USERNAME_PREFIX.length).split(':');
  if (parts.length !== 2) return undefined;
  const [namespace, name] = parts;
  if (!isValidNamespaceName(namespace) || !isValidServiceAccountName(name)) return undefined;
  return { namespace, name };
}

/**
 * The user a service account's token authenticates as: name `system:serviceaccount:NS:NAME`, groups
 * `system:serviceaccounts`, `system:serviceaccounts:NS`, `system:authenticated`.
 * @throws InvalidSubjectError when the namespace or name is not a valid Kubernetes name
 */
export function serviceAccountUser(namespace: string, name: string): UserInfo {
  if (!isValidNamespaceName(namespace)) {
    throw new InvalidSubjectError(`${JSON.stringify(namespace)} is not a valid namespace name: use lowercase letters, digits and '-', at most 63 characters.`);
  }
  if (!isValidServiceAccountName(name)) {
    throw new InvalidSubjectError(`${JSON.stringify(name)} is not a valid service account name: use lowercase letters, digits, '-' and '.', at most 253 characters.`);
  }
  return { name: serviceAccountUsername(namespace, name), groups: [...serviceAccountGroups(namespace), ALL_AUTHENTICATED] };
}

/**
 * The user kubectl impersonation (`--as NAME [--as-group G]...`) makes the API server see:
 * - a service account user name without `--as-group` gets the service account groups;
 * - any user other than `system:anonymous` also gets `system:authenticated`, unless the groups
 *   already hold `system:authenticated` or `system:unauthenticated`;
 * - `system:anonymous` gets `system:unauthenticated` instead.
 *
 * A name starting with `system:serviceaccount:` that is not `system:serviceaccount:NAMESPACE:NAME`
 * with a valid namespace and name (`...:dev:Bad_Name`, five parts) is, as for the API server
 * (upstream `buildImpersonationRequests`: `SplitUsername` fails), a plain user: it gets
 * `system:authenticated` only; {@link malformedServiceAccountWarning} says so.
 *
 * @param as the `--as` value
 * @param asGroups the `--as-group` values
 * @throws InvalidSubjectError for an empty name or group
 */
export function impersonatedUser(as: string, asGroups: readonly string[] = []): UserInfo {
  const name = as.trim();
  if (name === '') {
    throw new InvalidSubjectError('--as needs a user name, e.g. --as system:serviceaccount:dev:secret-access-sa or --as alice.');
  }
  for (const g of asGroups) {
    if (g.trim() === '') throw new InvalidSubjectError('--as-group needs a group name, e.g. --as-group system:masters.');
  }
  let groups = asGroups.map((g) => g.trim());
  const sa = splitServiceAccountUsername(name);
  if (sa && groups.length === 0) groups = serviceAccountGroups(sa.namespace);
  if (name !== ANONYMOUS_USER) {
    if (!groups.includes(ALL_AUTHENTICATED) && !groups.includes(ALL_UNAUTHENTICATED)) groups.push(ALL_AUTHENTICATED);
  } else if (!groups.includes(ALL_UNAUTHENTICATED)) {
    groups.push(ALL_UNAUTHENTICATED);
  }
  return { name, groups };
}

/**
 * A warning for an `--as` that looks like a service account user but is not one the API server
 * can split (`system:serviceaccount:dev:Bad_Name`): it is then a plain user, in no service
 * account group, so bindings to a ServiceAccount never match it.
 * @returns the warning, or `undefined` for any other name
 */
export function malformedServiceAccountWarning(as: string): string | undefined {
  const name = as.trim();
  if (!name.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX) || splitServiceAccountUsername(name)) return undefined;
  return `--as ${JSON.stringify(name)} is not system:serviceaccount:NAMESPACE:NAME with a valid namespace and name, so the API server takes it as a plain user `
    + '(groups system:authenticated only) that no ServiceAccount subject matches; check the spelling, e.g. system:serviceaccount:dev:secret-access-sa.';
}
