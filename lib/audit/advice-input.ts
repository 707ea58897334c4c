/**
 * Which audit records may shape advice. A log is input from whoever could make requests (or write
 * the file), so every string that would reach a suggested Role or binding must be a name
 * Kubernetes itself accepts for that field; a record with anything else is left out of the advice
 * (and the run warns with its file:line) rather than carried into generated YAML or code.
 */
import { isValidNamespaceName, SERVICE_ACCOUNT_USERNAME_PREFIX, splitServiceAccountUsername } from '../rbac/subjects';
import { AuditRecord, effectiveUser } from './types';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Resources and subresources: lower-case plurals (CRD plurals are DNS labels). */
const RESOURCE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const VERB = /^[a-z]+$/;
/**
 * Object names: what every kind accepts at the least ("path segment names": no `/` or `%`, not
 * `.` or `..`), narrowed to the characters real names use (RBAC objects have `:`, e.g.
 * `system:discovery`).
 */
const OBJECT_NAME = /^[A-Za-z0-9]([-A-Za-z0-9._:@+=]*[A-Za-z0-9])?$/;
/** Non-resource URL paths, e.g. `/healthz`, `/.well-known/openid-configuration`. */
const URL_PATH = /^\/[-A-Za-z0-9._~/]*$/;
/** Control, format (bidi), line and paragraph separator characters. */
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const MAX_NAME = 253;
const MAX_USER = 1024;

/** True when `username` can be a binding's subject as it stands: a service account, or a user name without control characters. */
export function isAdvisableUser(username: string): boolean {
  if (username.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX)) return splitServiceAccountUsername(username) !== undefined;
  return username !== '' && username.length <= MAX_USER && username.trim() === username && !INVISIBLE.test(username);
}

/**
 * Why `record` cannot shape advice, as `FIELD is not ...`; `undefined` when every field is a valid name.
 * Only records with a decision are asked (the others never reach advice).
 */
export function adviceInputProblem(record: AuditRecord): string | undefined {
  const user = effectiveUser(record);
  if (!isAdvisableUser(user)) return `${record.impersonatedUser !== undefined ? 'impersonatedUser' : 'user'}.username is not a service account user name or a user name without control characters`;
  if (!VERB.test(record.verb)) return 'verb is not a Kubernetes verb (lower-case letters)';
  if (record.path !== undefined) {
    return URL_PATH.test(record.path) && record.path.length <= MAX_USER ? undefined : 'requestURI is not a plain non-resource URL path';
  }
  if (record.namespace !== '' && !isValidNamespaceName(record.namespace)) return 'objectRef.namespace is not a valid namespace name';
  if (record.group !== '' && !(record.group.length <= MAX_NAME && DNS1123_SUBDOMAIN.test(record.group))) return 'objectRef.apiGroup is not a valid API group';
  if (!(record.resource.length <= 63 && RESOURCE.test(record.resource))) return 'objectRef.resource is not a valid resource name';
  if (record.subresource !== '' && !(record.subresource.length <= 63 && RESOURCE.test(record.subresource))) return 'objectRef.subresource is not a valid subresource name';
  if (record.name !== '' && !(record.name.length <= MAX_NAME && OBJECT_NAME.test(record.name))) return 'objectRef.name is not a valid object name';
  return undefined;
}
