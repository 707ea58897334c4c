/**
 * The distinct requests of every subject in a log, for advice on all of them in one run. Control
 * plane and node identities are left out unless asked for (their grants come with Kubernetes), and
 * records whose fields are not valid Kubernetes names are left out and remembered by file:line
 * (see `advice-input.ts`).
 */
import { SERVICE_ACCOUNT_USERNAME_PREFIX } from '../rbac/subjects';
import { adviceInputProblem } from './advice-input';
import { isUnknownDecision } from './decision';
import { ObservedAccesses } from './observed';
import { AuditRecord, effectiveUser, LogLocation } from './types';

/** Options for {@link ObservedSubjects}. */
export interface SubjectSelection {
  /**
   * Also advise control plane and node identities (see {@link isSystemIdentity}).
   * @default false
   */
  readonly includeSystemIdentities?: boolean;
  /**
   * User names asked for by name: advised even when they are system identities.
   * @default - none
   */
  readonly named?: readonly string[];
  /**
   * Count requests whose decision is unknown (see {@link isUnknownDecision}) as allowed. Without
   * it they are left out, and counted in {@link ObservedSubjects.unknownDecisions}.
   * @default false
   */
  readonly includeUnknownDecisions?: boolean;
}

/** A record left out of the advice, and why. */
export interface RejectedRecord {
  /** Where it was read. */
  readonly location: LogLocation;
  /** Which field was not a valid name. */
  readonly message: string;
}

/** Users of the control plane's own components. */
const SYSTEM_USERS: ReadonlySet<string> = new Set([
  'system:apiserver', 'system:kube-controller-manager', 'system:kube-scheduler', 'system:kube-proxy',
  'system:volume-scheduler', 'system:serviceaccount-issuer-discovery',
]);

/**
 * True for the identities of Kubernetes' own components: the API server, controller manager,
 * scheduler and proxy users, nodes (`system:node:*` or group `system:nodes`) and the service
 * accounts of `kube-system` (the controllers run as `system:serviceaccount:kube-system:*-controller`).
 * Their grants come from the bootstrap policy; advising them is noise.
 */
export function isSystemIdentity(username: string, groups: readonly string[]): boolean {
  return SYSTEM_USERS.has(username)
    || username.startsWith('system:node:')
    || groups.includes('system:nodes')
    || username.startsWith(`${SERVICE_ACCOUNT_USERNAME_PREFIX}kube-system:`);
}

/** The most rejected records remembered one by one. */
const MAX_REJECTED = 20;

/** Collects the distinct requests of every advised subject. */
export class ObservedSubjects {
  private readonly bySubject = new Map<string, ObservedAccesses>();
  private readonly systemLeftOut = new Set<string>();
  private readonly rejectedList: RejectedRecord[] = [];
  private rejectedCount = 0;
  private unknownCount = 0;
  private readonly named: ReadonlySet<string>;

  /** @param selection which identities to keep */
  constructor(private readonly selection: SubjectSelection = {}) {
    this.named = new Set(selection.named ?? []);
  }

  /** Counts `record` (one the filter kept) under its effective user; returns whether it counted. */
  public add(record: AuditRecord): boolean {
    const unknown = isUnknownDecision(record);
    if (record.decision === undefined && !unknown) return false;
    const user = effectiveUser(record);
    const problem = adviceInputProblem(record);
    if (problem !== undefined) {
      this.rejectedCount++;
      if (this.rejectedList.length < MAX_REJECTED) this.rejectedList.push({ location: record.source, message: problem });
      return false;
    }
    let observed = this.bySubject.get(user);
    if (!observed) {
      if (!this.selection.includeSystemIdentities && !this.named.has(user) && isSystemIdentity(user, record.impersonatedUser === undefined ? record.groups : [])) {
        this.systemLeftOut.add(user);
        return false;
      }
      if (unknown && !this.selection.includeUnknownDecisions) {
        this.unknownCount++;
        return false;
      }
      observed = new ObservedAccesses(user);
      this.bySubject.set(user, observed);
    }
    if (unknown) {
      this.unknownCount++;
      if (!this.selection.includeUnknownDecisions) return false;
      // Asked for: advised as allowed, and marked inferred like any decision the log does not state.
      return observed.add({ ...record, decision: 'allow', decisionInferred: true });
    }
    return observed.add(record);
  }

  /** Every advised subject's requests, service accounts first, each group sorted by user name. */
  public subjects(): ObservedAccesses[] {
    const rank = (u: string) => (u.startsWith(SERVICE_ACCOUNT_USERNAME_PREFIX) ? 0 : 1);
    return [...this.bySubject.values()].sort((a, b) => rank(a.username) - rank(b.username) || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  /**
   * How many requests had an unknown decision (a response that proves no authorization, and no
   * logged decision): left out, or with `includeUnknownDecisions` counted as allowed.
   */
  public get unknownDecisions(): number {
    return this.unknownCount;
  }

  /** Whether requests of unknown decision count as allowed. */
  public get includesUnknownDecisions(): boolean {
    return this.selection.includeUnknownDecisions === true;
  }

  /** How many system identities were left out. */
  public get systemIdentitiesLeftOut(): number {
    return this.systemLeftOut.size;
  }

  /** The first records left out for a field that is not a valid name. */
  public get rejected(): readonly RejectedRecord[] {
    return this.rejectedList;
  }

  /** How many records were left out for a field that is not a valid name. */
  public get rejectedTotal(): number {
    return this.rejectedCount;
  }
}
