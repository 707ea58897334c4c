/**
 * How a run ended, and the process exit code for it (kubectl's convention for `auth can-i`):
 * 0 yes or success, 1 no, 2 a usage or input error.
 */

/** How a command run ended. */
export type Outcome =
  /** A yes/no question was answered (`can-i`). */
  | { readonly kind: 'answer'; readonly allowed: boolean }
  /** A report was printed (`who-can`, `matrix`, `graph`, `can-i --list`, `--help`). */
  | { readonly kind: 'done' }
  /** The command line was wrong. */
  | { readonly kind: 'usage-error' }
  /** The input (manifests, `--as`) was wrong. */
  | { readonly kind: 'input-error' };

/** Exit code for "yes" and for success. */
export const EXIT_OK = 0;
/** Exit code for "no". */
export const EXIT_DENIED = 1;
/** Exit code for usage and input errors. */
export const EXIT_ERROR = 2;

/** The process exit code for an outcome: 0 yes/success, 1 no, 2 usage or input error. */
export function exitCode(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'answer':
      return outcome.allowed ? EXIT_OK : EXIT_DENIED;
    case 'done':
      return EXIT_OK;
    case 'usage-error':
    case 'input-error':
      return EXIT_ERROR;
  }
}
