/**
 * Error classes for bad input to the RBAC evaluator.
 *
 * Every message says what was wrong, where (a file:line when there is one) and how to fix it,
 * so a CLI can print `error.message` alone and never a stack trace.
 */

/** Base class of every error the evaluator throws for bad input. Catch this one to print `message` and exit. */
export class RbacInputError extends Error {
  /** @param message a whole sentence: what was wrong, where, and how to fix it. */
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** A manifest file, directory or text could not be read or parsed. */
export class ManifestLoadError extends RbacInputError {
  /** The file (or `<stdin>`, `<text>`) the problem is in. */
  public readonly source: string;
  /** 1-based line of the problem, when known. */
  public readonly line?: number;
  /** 1-based column of the problem, when known. */
  public readonly column?: number;

  /**
   * @param source the file or pseudo-file name
   * @param detail what was wrong
   * @param line 1-based line, when known
   * @param column 1-based column, when known
   */
  constructor(source: string, detail: string, line?: number, column?: number) {
    const where = line === undefined ? source : column === undefined ? `${source}:${line}` : `${source}:${line}:${column}`;
    super(`${where}: ${detail}`);
    this.source = source;
    this.line = line;
    this.column = column;
  }
}

/**
 * Objects the API server would refuse to store (a string where a list belongs, a missing roleRef,
 * a subject of an unknown kind, ...): like `kubectl apply`, building the policy refuses the input
 * rather than answer for a cluster that could not exist.
 */
export class InvalidObjectError extends RbacInputError {
  /** One whole sentence per invalid object, each starting with its `file:line` when known. */
  public readonly problems: readonly string[];

  /** @param problems one sentence per invalid object (at least one) */
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} objects would be rejected by the API server:\n${problems.join('\n')}`);
    this.problems = problems;
  }
}

/** A subject given on the command line (`--as`, `--as-group`) or to {@link serviceAccountUser} is malformed. */
export class InvalidSubjectError extends RbacInputError {}

/** An access request (verb, resource, path) is malformed. */
export class InvalidRequestError extends RbacInputError {}
