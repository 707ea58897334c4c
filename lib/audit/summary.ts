/**
 * The summary: requests counted per user and resource, accumulated one record at a time, so its
 * memory grows with the number of distinct (user, resource) pairs, never with the log.
 */
import { AuditRecord, resourceLabel } from './types';

/** The counts of one (user, resource) pair. */
export interface SummaryRow {
  /** The user (the authenticated one; impersonation shows as `user (as other)`). */
  readonly user: string;
  /** `resource[.group][/subresource]`, or the non-resource path. */
  readonly resource: string;
  /** The verbs seen, sorted. */
  readonly verbs: readonly string[];
  /** The namespaces seen, sorted; `""` for cluster-scoped requests. */
  readonly namespaces: readonly string[];
  /** Requests allowed. */
  readonly allowed: number;
  /** Requests forbidden. */
  readonly forbidden: number;
  /** How many of `allowed` were inferred from the response code (the events carry no decision). */
  readonly allowedInferred: number;
  /** How many of `forbidden` were inferred from the response code. */
  readonly forbiddenInferred: number;
  /** Every request, including those without a decision. */
  readonly total: number;
}

interface Counts {
  user: string;
  resource: string;
  verbs: Set<string>;
  namespaces: Set<string>;
  allowed: number;
  forbidden: number;
  allowedInferred: number;
  forbiddenInferred: number;
  total: number;
}

/** Counts records per user and resource. */
export class AuditSummary {
  private readonly groups = new Map<string, Counts>();

  /** Counts one record. */
  public add(record: AuditRecord): void {
    const user = record.impersonatedUser !== undefined ? `${record.user} (as ${record.impersonatedUser})` : record.user;
    const resource = resourceLabel(record);
    const key = `${user}\u0000${resource}`;
    let counts = this.groups.get(key);
    if (!counts) {
      counts = { user, resource, verbs: new Set(), namespaces: new Set(), allowed: 0, forbidden: 0, allowedInferred: 0, forbiddenInferred: 0, total: 0 };
      this.groups.set(key, counts);
    }
    counts.verbs.add(record.verb);
    counts.namespaces.add(record.namespace);
    counts.total++;
    const inferred = record.decisionInferred ? 1 : 0;
    if (record.decision === 'allow') {
      counts.allowed++;
      counts.allowedInferred += inferred;
    } else if (record.decision === 'forbid') {
      counts.forbidden++;
      counts.forbiddenInferred += inferred;
    }
  }

  /**
   * Adds the counts of another summary's rows (what a worker thread counted): the same as having
   * added its records here, since the rows do not depend on the order records came in.
   */
  public merge(rows: readonly SummaryRow[]): void {
    for (const row of rows) {
      const key = `${row.user}\u0000${row.resource}`;
      let counts = this.groups.get(key);
      if (!counts) {
        counts = { user: row.user, resource: row.resource, verbs: new Set(), namespaces: new Set(), allowed: 0, forbidden: 0, allowedInferred: 0, forbiddenInferred: 0, total: 0 };
        this.groups.set(key, counts);
      }
      for (const v of row.verbs) counts.verbs.add(v);
      for (const n of row.namespaces) counts.namespaces.add(n);
      counts.allowed += row.allowed;
      counts.forbidden += row.forbidden;
      counts.allowedInferred += row.allowedInferred;
      counts.forbiddenInferred += row.forbiddenInferred;
      counts.total += row.total;
    }
  }

  /** The rows, by user then resource. */
  public rows(): SummaryRow[] {
    return [...this.groups.values()]
      .sort((a, b) => compare(a.user, b.user) || compare(a.resource, b.resource))
      .map((c) => ({
        user: c.user,
        resource: c.resource,
        verbs: [...c.verbs].sort(compare),
        namespaces: [...c.namespaces].sort(compare),
        allowed: c.allowed,
        forbidden: c.forbidden,
        allowedInferred: c.allowedInferred,
        forbiddenInferred: c.forbiddenInferred,
        total: c.total,
      }));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The summary of `records` (for small inputs and tests; stream into an {@link AuditSummary} otherwise). */
export function summarize(records: Iterable<AuditRecord>): SummaryRow[] {
  const summary = new AuditSummary();
  for (const r of records) summary.add(r);
  return summary.rows();
}
