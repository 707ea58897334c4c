/**
 * The CLI's own errors: a mistake on the command line, and input the CLI itself cannot read (a
 * missing audit log). Manifest errors (unreadable manifests, a malformed `--as`) are the
 * evaluator's `RbacInputError`s; all end in one line on stderr and exit code 2.
 */

/** A usage mistake: unknown command or flag, a missing or extra argument, a bad flag value. */
export class UsageError extends Error {
  /**
   * @param message a whole sentence saying what was wrong and how to fix it
   * @param command the subcommand whose usage line should follow the message, if any
   */
  constructor(message: string, public readonly command?: string) {
    super(message);
    this.name = 'UsageError';
    Object.setPrototypeOf(this, UsageError.prototype);
  }
}

/** Input the CLI cannot use, e.g. an audit log that does not exist (manifest errors are `RbacInputError`s). */
export class CliInputError extends Error {
  /** @param message a whole sentence saying what was wrong and how to fix it */
  constructor(message: string) {
    super(message);
    this.name = 'CliInputError';
    Object.setPrototypeOf(this, CliInputError.prototype);
  }
}

/**
 * Stdout was closed by its reader (`api-reader audit big.log | head`): the run stops writing and
 * ends with its own exit code, quietly.
 */
export class OutputClosedError extends Error {
  constructor() {
    super('stdout was closed by its reader');
    this.name = 'OutputClosedError';
    Object.setPrototypeOf(this, OutputClosedError.prototype);
  }
}
