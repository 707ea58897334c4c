/**
 * The access matrix (like rakkess): for each subject, each resource and each verb, whether RBAC
 * allows it. A request in a matrix names no object, so a rule limited by `resourceNames` never
 * allows it; such cells are marked `named` with the names that are allowed, instead of a bare no.
 */
import { authorize, rulesFor } from '../evaluate';
import { namesAllowed } from '../matchers';
import { RbacPolicy } from '../policy';
import { GrantedRule, ResourceAttributes, UserInfo } from '../types';
import { ResourceColumn } from '../request';

/** The answer in one cell: allowed, allowed only for some named objects, or denied. */
export type CellState = 'allowed' | 'named' | 'denied';

/** One (resource, verb) cell. */
export interface MatrixCell {
  /** The verb. */
  readonly verb: string;
  /** The answer. */
  readonly state: CellState;
  /** For `named`: the object names allowed. */
  readonly names?: readonly string[];
  /** For `allowed`: upstream's reason, e.g. `RBAC: allowed by ...`. */
  readonly reason?: string;
}

/** One resource row of a subject's table. */
export interface MatrixRow {
  /** The resource as given, e.g. `pods/log`. */
  readonly resource: string;
  /** The cells, one per verb, in the order of the verbs asked. */
  readonly cells: readonly MatrixCell[];
}

/** A subject to put in the matrix, and the namespace to ask about. */
export interface MatrixSubject {
  /** The user as impersonated. */
  readonly user: UserInfo;
  /** The namespace; `""` for cluster-wide. */
  readonly namespace: string;
}

/** One subject's table. */
export interface SubjectMatrix {
  /** The user name. */
  readonly subject: string;
  /** The groups the user was evaluated with. */
  readonly groups: readonly string[];
  /** The namespace asked about; `""` for cluster-wide. */
  readonly namespace: string;
  /** The rows, in the order of the resources asked. */
  readonly rows: readonly MatrixRow[];
}

const NO_NAMES: readonly string[] = [];

/** The object names `rules` allow `request` for (most cells have none: no set or array is made for them). */
function namedOnly(request: ResourceAttributes, rules: readonly GrantedRule[]): readonly string[] {
  let names: Set<string> | undefined;
  for (const { rule } of rules) {
    for (const name of namesAllowed(request, rule)) (names ??= new Set()).add(name);
  }
  return names ? [...names].sort() : NO_NAMES;
}

/** One cell; `named` are the subject's rules limited by resourceNames. */
function cell(policy: RbacPolicy, subject: MatrixSubject, named: readonly GrantedRule[], column: ResourceColumn, verb: string): MatrixCell {
  const request: ResourceAttributes = {
    verb,
    group: column.group,
    resource: column.resource,
    namespace: subject.namespace,
    ...(column.subresource ? { subresource: column.subresource } : {}),
  };
  const decision = authorize(policy, subject.user, request);
  if (decision.allowed) return { verb, state: 'allowed', reason: decision.reason };
  const names = namedOnly(request, named);
  return names.length > 0 ? { verb, state: 'named', names } : { verb, state: 'denied' };
}

/** Evaluates every (subject, resource, verb) combination. */
export function buildMatrix(
  policy: RbacPolicy,
  subjects: readonly MatrixSubject[],
  columns: readonly ResourceColumn[],
  verbs: readonly string[],
): SubjectMatrix[] {
  return subjects.map((subject) => {
    // Only rules limited by resourceNames can make a cell `named`: find them once per subject, not per denied cell.
    const named = rulesFor(policy, subject.user, subject.namespace).rules.filter(({ rule }) => (rule.resourceNames?.length ?? 0) > 0);
    return {
      subject: subject.user.name,
      groups: subject.user.groups,
      namespace: subject.namespace,
      rows: columns.map((column) => ({ resource: column.label, cells: verbs.map((verb) => cell(policy, subject, named, column, verb)) })),
    };
  });
}
