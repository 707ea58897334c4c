/**
 * The distinct requests one subject made, with how often and when: what advice and the grant diff
 * work from. Memory grows with the number of distinct requests, not with the log.
 */
import { AccessRequest } from '../rbac/types';
import { AuditDecision, AuditRecord, effectiveUser } from './types';

/** One distinct request (verb, target, namespace) and how often it was seen. */
export interface ObservedAccess {
  /** The verb. */
  readonly verb: string;
  /** The API group (`""` core). */
  readonly group: string;
  /** The resource (`""` for non-resource requests). */
  readonly resource: string;
  /** The subresource (`""` none). */
  readonly subresource: string;
  /** The object name (`""` none). */
  readonly name: string;
  /** The namespace (`""` none). */
  readonly namespace: string;
  /**
   * The non-resource path.
   * @default - none (a resource request)
   */
  readonly path?: string;
  /** The decision logged. */
  readonly decision: AuditDecision;
  /** How many times it was seen. */
  count: number;
  /** The first time it was seen (as logged). */
  firstTime: string;
  /** The last time it was seen (as logged). */
  lastTime: string;
}

/** The request as the RBAC evaluator takes it. */
export function accessRequest(access: ObservedAccess): AccessRequest {
  if (access.path !== undefined) return { verb: access.verb, path: access.path };
  return {
    verb: access.verb,
    group: access.group,
    resource: access.resource,
    ...(access.subresource ? { subresource: access.subresource } : {}),
    ...(access.name ? { name: access.name } : {}),
    namespace: access.namespace,
  };
}

/** Collects the distinct allowed and forbidden requests of one user. */
export class ObservedAccesses {
  private readonly byKey = new Map<string, ObservedAccess>();
  private groupsSeen: readonly string[] | undefined;
  private inferredCount = 0;

  /** @param username the full user name whose requests count (matched against the impersonated user when there is one) */
  constructor(public readonly username: string) {}

  /** Counts `record` when it is the user's and has a decision; returns whether it counted. */
  public add(record: AuditRecord): boolean {
    if (effectiveUser(record) !== this.username || record.decision === undefined) return false;
    if (this.groupsSeen === undefined && record.impersonatedUser === undefined) this.groupsSeen = record.groups;
    if (record.decisionInferred) this.inferredCount++;
    const key = [record.decision, record.verb, record.group, record.resource, record.subresource, record.name, record.namespace, record.path ?? ''].join('\u0000');
    const seen = this.byKey.get(key);
    if (seen) {
      seen.count++;
      if (record.time < seen.firstTime) seen.firstTime = record.time;
      if (record.time > seen.lastTime) seen.lastTime = record.time;
      return true;
    }
    this.byKey.set(key, {
      verb: record.verb,
      group: record.group,
      resource: record.resource,
      subresource: record.subresource,
      name: record.name,
      namespace: record.namespace,
      ...(record.path !== undefined ? { path: record.path } : {}),
      decision: record.decision,
      count: 1,
      firstTime: record.time,
      lastTime: record.time,
    });
    return true;
  }

  /** How many of the requests counted had a decision inferred from the response code. */
  public get inferred(): number {
    return this.inferredCount;
  }

  /** The groups the user had in the log (from its first non-impersonated request), if seen. */
  public groups(): readonly string[] | undefined {
    return this.groupsSeen;
  }

  /** The distinct requests with `decision`, sorted by namespace, group, resource, name, verb. */
  public list(decision: AuditDecision): ObservedAccess[] {
    return [...this.byKey.values()].filter((a) => a.decision === decision).sort(compareAccess);
  }
}

function compareAccess(a: ObservedAccess, b: ObservedAccess): number {
  const ka = [a.namespace, a.path ?? '', a.group, a.resource, a.subresource, a.name, a.verb];
  const kb = [b.namespace, b.path ?? '', b.group, b.resource, b.subresource, b.name, b.verb];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}
