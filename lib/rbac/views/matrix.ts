/**
 * The access matrix (like rakkess): for each subject, each resource and each verb, whether RBAC
 * allows it. A request in a matrix names no object, so a rule limited by `resourceNames` never
 * allows it; such cells are marked `named` with the names that are allowed, instead of a bare no.
 */
import { authorize, rulesFor } from '../evaluate';
import { ruleAllows } from '../matchers';
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

function namedOnly(request: ResourceAttributes, rules: readonly GrantedRule[]): string[] {
  const names = new Set<string>();
  for (const { rule } of rules) {
    for (const name of rule.resourceNames ?? []) {
      if (ruleAllows({ ...request, name }, rule)) names.add(name);
    }
  }
  return [...names].sort();
}

function cell(policy: RbacPolicy, subject: MatrixSubject, rules: readonly GrantedRule[], column: ResourceColumn, verb: string): MatrixCell {
  const request: ResourceAttributes = {
    verb,
    group: column.group,
    resource: column.resource,
    namespace: subject.namespace,
    ...(column.subresource ? { subresource: column.subresource } : {}),
  };
  const decision = authorize(policy, subject.user, request);
  if (decision.allowed) return { verb, state: 'allowed', reason: decision.reason };
  const names = namedOnly(request, rules);
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
    const { rules } = rulesFor(policy, subject.user, subject.namespace);
    return {
      subject: subject.user.name,
      groups: subject.user.groups,
      namespace: subject.namespace,
      rows: columns.map((column) => ({ resource: column.label, cells: verbs.map((verb) => cell(policy, subject, rules, column, verb)) })),
    };
  });
}
