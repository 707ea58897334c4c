/**
 * Which records a report keeps. A filter is plain data ({@link AuditFilter}); {@link compileFilter}
 * turns it into one predicate that checks the cheap fields first.
 */
import { splitServiceAccountUsername } from '../rbac/subjects';
import { AuditUsageError } from './errors';
import { recordTime } from './time';
import { AuditDecision, AuditRecord } from './types';

/** A `--resource` value: `secrets`, `pods/log`, `deployments.apps`, `deployments.apps/scale`, `pods/*`. */
export interface ResourceSelector {
  /** The resource (plural), or `*`. */
  readonly resource: string;
  /**
   * The API group; `""` is the core group.
   * @default - any group
   */
  readonly group?: string;
  /**
   * The subresource: `""` none, `*` any or none.
   * @default "" (the resource itself, not its subresources, as in RBAC)
   */
  readonly subresource?: string;
}

/** What to keep. Every field left out keeps everything; lists keep records matching any entry. */
export interface AuditFilter {
  /**
   * User names (full: `system:serviceaccount:dev:secret-access-sa`), or prefixes ending in `*`
   * (`system:serviceaccount:dev:*`); a record matches on its authenticated or its impersonated user.
   * @default - every user
   */
  readonly users?: readonly string[];
  /**
   * A regular expression (JavaScript syntax, unanchored) the authenticated or impersonated user must match.
   * @default - every user
   */
  readonly userPattern?: string;
  /**
   * Groups: a record matches when its authenticated user had one of them, e.g. `system:serviceaccounts:dev`.
   * @default - every group
   */
  readonly groups?: readonly string[];
  /**
   * Namespaces; `""` selects cluster-scoped and non-resource requests.
   * @default - every namespace
   */
  readonly namespaces?: readonly string[];
  /**
   * Resources.
   * @default - every resource (and non-resource requests)
   */
  readonly resources?: readonly ResourceSelector[];
  /**
   * Object names.
   * @default - every name
   */
  readonly names?: readonly string[];
  /**
   * Verbs, e.g. `get`, `list`.
   * @default - every verb
   */
  readonly verbs?: readonly string[];
  /**
   * The authorization decision.
   * @default - both, and records without a decision
   */
  readonly decision?: AuditDecision;
  /**
   * Keep records received at or after this instant (epoch ms).
   * @default - no lower bound
   */
  readonly since?: number;
  /**
   * Keep records received at or before this instant (epoch ms).
   * @default - no upper bound
   */
  readonly until?: number;
  /**
   * Stages, or `all`. The default counts each request once.
   * @default ['ResponseComplete']
   */
  readonly stages?: readonly string[] | 'all';
}

/** The stages kept when {@link AuditFilter.stages} is not given. */
export const DEFAULT_STAGES: readonly string[] = ['ResponseComplete'];

/**
 * A user name from a `--user` value: kubectl's user names, as written (trimmed), the same syntax as
 * `can-i --as`: `system:serviceaccount:NS:NAME` for a service account; `NS:NAME` is a user of that
 * literal name (no shorthand, so `oidc:alice` means what it says). See `serviceAccountSpelling`
 * for the "did you mean" when such a value selects nothing.
 */
export function expandUser(value: string): string {
  return value.trim();
}

/**
 * The service account user a `--user` value looks like it meant, when it has the shape `NS:NAME`
 * (a valid namespace and service account name) or `NS:*`, and does not start with `system:`:
 * `dev:secret-access-sa` -> `system:serviceaccount:dev:secret-access-sa`; `undefined` otherwise.
 */
export function serviceAccountSpelling(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.startsWith('system:')) return undefined;
  if (/^[a-z0-9-]+:\*$/.test(trimmed)) return `system:serviceaccount:${trimmed}`;
  if (trimmed.split(':').length === 2 && splitServiceAccountUsername(`system:serviceaccount:${trimmed}`)) return `system:serviceaccount:${trimmed}`;
  return undefined;
}

/**
 * Reads a `--resource` value: `RESOURCE[.GROUP][/SUBRESOURCE]`, e.g. `secrets`, `pods/log`,
 * `deployments.apps`, `pods/*` (with or without any subresource).
 * @throws AuditUsageError for an empty value or an empty part
 */
export function parseResourceSelector(value: string): ResourceSelector {
  const trimmed = value.trim();
  const slash = trimmed.indexOf('/');
  const head = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const subresource = slash < 0 ? '' : trimmed.slice(slash + 1);
  const dot = head.indexOf('.');
  const resource = dot < 0 ? head : head.slice(0, dot);
  const group = dot < 0 ? undefined : head.slice(dot + 1);
  if (resource === '' || (slash >= 0 && subresource === '') || group === '') {
    throw new AuditUsageError(`--resource ${JSON.stringify(value)} is not RESOURCE[.GROUP][/SUBRESOURCE]: use e.g. secrets, pods/log or deployments.apps.`);
  }
  return { resource, ...(group !== undefined ? { group } : {}), subresource };
}

/** True when `record` is a request on a resource `selector` selects. */
export function resourceSelected(selector: ResourceSelector, record: AuditRecord): boolean {
  if (record.path !== undefined) return false;
  if (selector.resource !== '*' && selector.resource !== record.resource) return false;
  if (selector.group !== undefined && selector.group !== record.group) return false;
  const sub = selector.subresource ?? '';
  return sub === '*' || sub === record.subresource;
}

function oneOf(values: readonly string[] | undefined): ((v: string) => boolean) | undefined {
  if (values === undefined) return undefined;
  if (values.length === 1) {
    const only = values[0];
    return (v) => v === only;
  }
  const set = new Set(values);
  return (v) => set.has(v);
}

/** True for a `users` entry that is a prefix (`...*`). */
export function isUserPrefix(value: string): boolean {
  return value.endsWith('*');
}

function userMatcher(values: readonly string[] | undefined): ((v: string) => boolean) | undefined {
  if (values === undefined) return undefined;
  const exact = oneOf(values.filter((v) => !isUserPrefix(v)));
  const prefixes = values.filter(isUserPrefix).map((v) => v.slice(0, -1));
  if (prefixes.length === 0) return exact;
  return (v) => (exact !== undefined && exact(v)) || prefixes.some((p) => v.startsWith(p));
}

/**
 * The regular expression of a `userPattern`.
 * @throws AuditUsageError when it does not compile
 */
export function userPattern(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch (e) {
    throw new AuditUsageError(`--user-regex ${JSON.stringify(source)} is not a regular expression (${(e as Error).message}); e.g. ^system:serviceaccount:dev: selects dev's service accounts.`);
  }
}

/** One predicate for `filter`: true when a record is kept. */
export function compileFilter(filter: AuditFilter): (record: AuditRecord) => boolean {
  const checks: Array<(r: AuditRecord) => boolean> = [];
  const stages = filter.stages ?? DEFAULT_STAGES;
  if (stages !== 'all') {
    const stage = oneOf(stages)!;
    checks.push((r) => stage(r.stage));
  }
  const user = userMatcher(filter.users);
  if (user) checks.push((r) => user(r.user) || (r.impersonatedUser !== undefined && user(r.impersonatedUser)));
  if (filter.userPattern !== undefined) {
    const pattern = userPattern(filter.userPattern);
    checks.push((r) => pattern.test(r.user) || (r.impersonatedUser !== undefined && pattern.test(r.impersonatedUser)));
  }
  if (filter.groups !== undefined) {
    const groups = new Set(filter.groups);
    checks.push((r) => r.groups.some((g) => groups.has(g)));
  }
  const verb = oneOf(filter.verbs);
  if (verb) checks.push((r) => verb(r.verb));
  const namespace = oneOf(filter.namespaces);
  if (namespace) checks.push((r) => namespace(r.namespace));
  const name = oneOf(filter.names);
  if (name) checks.push((r) => name(r.name));
  if (filter.decision !== undefined) {
    const decision = filter.decision;
    checks.push((r) => r.decision === decision);
  }
  if (filter.resources !== undefined) {
    const selectors = filter.resources;
    checks.push((r) => selectors.some((s) => resourceSelected(s, r)));
  }
  if (filter.since !== undefined || filter.until !== undefined) {
    const since = filter.since ?? -Infinity;
    const until = filter.until ?? Infinity;
    checks.push((r) => {
      const t = recordTime(r.time);
      return t >= since && t <= until;
    });
  }
  switch (checks.length) {
    case 0:
      return () => true;
    case 1:
      return checks[0];
    default:
      return (r) => {
        for (const check of checks) if (!check(r)) return false;
        return true;
      };
  }
}
