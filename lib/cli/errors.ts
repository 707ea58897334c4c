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
