/** Time bounds for `--since`/`--until`: RFC 3339 timestamps or durations back from now (`90s`, `15m`, `1h30m`, `2d`). */
import { AuditUsageError } from './errors';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DURATION = /^(\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A duration such as `1h30m` in milliseconds (units `ms`, `s`, `m`, `h`, `d`).
 * @returns `undefined` when `text` is not a duration
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/**
 * An instant in epoch milliseconds from an RFC 3339 timestamp (`2024-05-01T10:00:00Z`) or a
 * duration back from `now` (`1h` = one hour ago).
 * @param flag the flag name for the error message, e.g. `--since`
 * @param now the current time, in epoch milliseconds
 * @throws AuditUsageError for anything else
 */
export function parseTimeBound(text: string, flag: string, now: number): number {
  const trimmed = text.trim();
  const duration = parseDuration(trimmed);
  if (duration !== undefined) return now - duration;
  if (RFC3339.test(trimmed)) {
    const t = Date.parse(trimmed);
    if (!Number.isNaN(t)) return t;
  }
  throw new AuditUsageError(
    `${flag} ${JSON.stringify(text)} is neither an RFC 3339 time nor a duration: use e.g. ${flag} 2024-05-01T10:00:00Z or ${flag} 1h (units ms, s, m, h, d).`,
  );
}

/** The epoch milliseconds of a logged timestamp, or `NaN` when it cannot be read. */
export function recordTime(time: string): number {
  return Date.parse(time);
}
