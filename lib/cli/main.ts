#!/usr/bin/env node
/**
 * The `api-reader` executable (the package's `bin`): runs the CLI against the real process.
 * All logic is in `run.ts` and the modules it uses; this file only connects them to `process`.
 */
import { EXIT_ERROR } from './exit-code';
import { processIo } from './io';
import { run } from './run';

// `api-reader audit big.log -o json | head`: a closed stdout ends the run quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  process.stderr.write(`api-reader: error: cannot write the output: ${error.message}\n`);
  process.exit(EXIT_ERROR);
});

void run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
