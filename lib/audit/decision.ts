/**
 * The decision of a request: the authorizer's own word when the log carries it (the
 * `authorization.k8s.io/decision` annotation, or a cloud's equivalent), else inferred from the
 * HTTP response code and marked as inferred, so no view passes a guess off as the authorizer's.
 */
import { AuditDecision } from './types';

/** A record's decision fields: nothing, the logged decision, or an inferred one. */
export type DecisionFields =
  | Record<string, never>
  | { readonly decision: AuditDecision }
  | { readonly decision: AuditDecision; readonly decisionInferred: true };

const NONE: DecisionFields = {};

/**
 * The decision a response code implies: a 2xx allow (the request got past the authorizer and was
 * served); 403 forbid (a guess: admission and impersonation also answer 403); anything else none.
 * kube-apiserver audits requests it rejects before authorization runs (400 for `Impersonate-Group`
 * without `Impersonate-User`, 429 from API Priority and Fairness, 401 from authentication), and
 * a 404 or 409 does not say which step answered, so those prove no decision (see {@link isUnknownDecision}).
 */
export function inferDecision(code: number): AuditDecision | undefined {
  if (code === 403) return 'forbid';
  if (code >= 200 && code <= 299) return 'allow';
  return undefined;
}

/**
 * True for a request that got a response but no decision, logged or inferred, other than a failed
 * authentication (401): the authorizer may or may not have allowed it. Advice never grants these
 * unless asked to (`includeUnknownDecisions`).
 */
export function isUnknownDecision(record: { readonly decision?: AuditDecision; readonly code?: number }): boolean {
  return record.decision === undefined && record.code !== undefined && record.code !== 401;
}

/** `allow` or `forbid` from a logged value, anything else `undefined`. */
export function loggedDecision(value: unknown): AuditDecision | undefined {
  return value === 'allow' || value === 'forbid' ? value : undefined;
}

/**
 * The decision fields of a record.
 * @param logged the decision the log states, if any
 * @param code the response code, if any (no code: no inference, the request has no outcome yet)
 */
export function decisionFields(logged: AuditDecision | undefined, code: number | undefined): DecisionFields {
  if (logged !== undefined) return { decision: logged };
  if (code === undefined) return NONE;
  const inferred = inferDecision(code);
  return inferred ? { decision: inferred, decisionInferred: true } : NONE;
}
