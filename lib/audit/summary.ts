/**
 * The summary: requests counted per user and resource, accumulated one record at a time, so its
 * memory grows with the number of distinct (user, resource) pairs, never with the log. A row keeps
 * at most {@link MAX_SUMMARY_VALUES} distinct verbs and namespaces, and says when it saw more (a log
 * can hold any number of forged namespaces).
 */
import { AuditRecord, resourceLabel } from './types';

/** The counts of one (user, resource) pair. */
export interface SummaryRow {
  /** The user (the authenticated one; impersonation shows as `user (as other)`). */
  readonly user: string;
  /** `resource[.group][/subresource]`, or the non-resource path. */
  readonly resource: string;
  /** The verbs seen, sorted (the first {@link MAX_SUMMARY_VALUES} distinct ones). */
  readonly verbs: readonly string[];
  /** True when more distinct verbs were seen than `verbs` lists. */
  readonly moreVerbs: boolean;
  /** The namespaces seen, sorted; `""` for cluster-scoped requests (the first {@link MAX_SUMMARY_VALUES} distinct ones). */
  readonly namespaces: readonly string[];
  /** True when more distinct namespaces were seen than `namespaces` lists. */
  readonly moreNamespaces: boolean;
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

/** The most distinct verbs, and namespaces, one summary row keeps. */
export const MAX_SUMMARY_VALUES = 20;

/** Adds `value` unless `set` is full; returns false when it was left out. */
function addBounded(set: Set<string>, value: string): boolean {
  if (set.size >= MAX_SUMMARY_VALUES && !set.has(value)) return false;
  set.add(value);
  return true;
}

interface Counts {
  user: string;
  resource: string;
  verbs: Set<string>;
  moreVerbs: boolean;
  namespaces: Set<string>;
  moreNamespaces: boolean;
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
      counts = newCounts(user, resource);
      this.groups.set(key, counts);
    }
    if (!addBounded(counts.verbs, record.verb)) counts.moreVerbs = true;
    if (!addBounded(counts.namespaces, record.namespace)) counts.moreNamespaces = true;
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
        counts = newCounts(row.user, row.resource);
        this.groups.set(key, counts);
      }
      for (const v of row.verbs) if (!addBounded(counts.verbs, v)) counts.moreVerbs = true;
      for (const n of row.namespaces) if (!addBounded(counts.namespaces, n)) counts.moreNamespaces = true;
      if (row.moreVerbs) counts.moreVerbs = true;
      if (row.moreNamespaces) counts.moreNamespaces = true;
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
        moreVerbs: c.moreVerbs,
        namespaces: [...c.namespaces].sort(compare),
        moreNamespaces: c.moreNamespaces,
        allowed: c.allowed,
        forbidden: c.forbidden,
        allowedInferred: c.allowedInferred,
        forbiddenInferred: c.forbiddenInferred,
        total: c.total,
      }));
  }
}

function newCounts(user: string, resource: string): Counts {
  return { user, resource, verbs: new Set(), moreVerbs: false, namespaces: new Set(), moreNamespaces: false, allowed: 0, forbidden: 0, allowedInferred: 0, forbiddenInferred: 0, total: 0 };
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
