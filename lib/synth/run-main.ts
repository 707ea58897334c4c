/**
 * Runs a synth entry point and turns a failure into a short message on stderr and exit
 * code 1, instead of a stack trace. Messages come from validations and never hold values.
 *
 * @param main the work to do
 */
export function runMain(main: () => unknown): void {
  try {
    main();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`Synth failed; the previous output was left untouched.\n${message}\n`);
    process.exitCode = 1;
  }
}
