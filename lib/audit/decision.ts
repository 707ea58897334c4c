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
 * The decision a response code implies: 403 forbid; 401 none (authentication failed before any
 * authorization); any other code allow (the request got past the authorizer). A guess: a 403 may
 * also come from admission, and a request may fail before authorization.
 */
export function inferDecision(code: number): AuditDecision | undefined {
  if (code === 403) return 'forbid';
  if (code === 401) return undefined;
  return 'allow';
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
