/**
 * How a run ended, and the process exit code for it (kubectl's convention for `auth can-i`):
 * 0 yes or success, 1 no, 2 a usage or input error; and 3 when, with `--skip-invalid`, the answer
 * was given for the input minus objects the API server would reject.
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
  | { readonly kind: 'input-error' }
  /** With `--skip-invalid`: answered for what the server would store, and some objects were left out. */
  | { readonly kind: 'partial' };

/** Exit code for "yes" and for success. */
export const EXIT_OK = 0;
/** Exit code for "no". */
export const EXIT_DENIED = 1;
/** Exit code for usage and input errors. */
export const EXIT_ERROR = 2;
/** Exit code when, with `--skip-invalid`, objects the API server would reject were left out (whatever the answer). */
export const EXIT_PARTIAL = 3;

/** The process exit code for an outcome: 0 yes/success, 1 no, 2 usage or input error, 3 answered with objects left out. */
export function exitCode(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'answer':
      return outcome.allowed ? EXIT_OK : EXIT_DENIED;
    case 'done':
      return EXIT_OK;
    case 'usage-error':
    case 'input-error':
      return EXIT_ERROR;
    case 'partial':
      return EXIT_PARTIAL;
  }
}
