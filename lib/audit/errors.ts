/** Errors of the audit reader: bad input (fatal malformed lines) and bad options. */
import { formatLocation, LogProblem } from './types';

/** The one-line form of a problem: `file:line: message`. */
export function formatProblem(problem: LogProblem): string {
  return `${formatLocation(problem.location)}: ${problem.message}`;
}

/** A malformed or unreadable log line in `strict` mode. */
export class AuditLogError extends Error {
  /** @param problem what was wrong and where */
  constructor(public readonly problem: LogProblem) {
    super(`${formatProblem(problem)} (strict mode stops at the first bad line; drop --strict to skip such lines)`);
    this.name = 'AuditLogError';
  }
}

/** An audit option with a value that cannot be used, e.g. `--decision maybe`. */
export class AuditUsageError extends Error {
  /** @param message a whole sentence: what was wrong and how to fix it */
  constructor(message: string) {
    super(message);
    this.name = 'AuditUsageError';
  }
}
