/**
 * The CLI's own error: a mistake on the command line. Input errors (unreadable manifests, a malformed
 * `--as`) are the evaluator's {@link RbacInputError}s; both end in one line on stderr and exit code 2.
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
