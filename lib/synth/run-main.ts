import * as path from 'path';
import { previousOutputKept } from './directory-synth';

/**
 * Runs a synth entry point and turns a failure into a short message on stderr and exit
 * code 1, instead of a stack trace. Messages come from validations and never hold values.
 * The message says the previous output was left untouched only when `synthToDirectory`
 * made sure of it.
 *
 * @param main the work to do, typically a `synthToDirectory` call
 */
export function runMain(main: () => unknown): void {
  try {
    main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const kept = previousOutputKept(err);
    const what = kept !== undefined ? `Synth failed; the previous output in ${path.relative(process.cwd(), kept) || '.'}/ was left untouched.` : 'Synth failed.';
    process.stderr.write(`${what}\n${message}\n`);
    process.exitCode = 1;
  }
}
