#!/usr/bin/env node
/**
 * The `api-reader` executable (the package's `bin`): runs the CLI against the real process.
 * All logic is in `run.ts` and the modules it uses; this file only connects them to `process`.
 */
import { processIo } from './io';
import { run } from './run';

// A closed stdout (`api-reader audit big.log | head`, `can-i ... | true`) stops the writing but not the
// answer: `processIo` turns EPIPE into an OutputClosedError and the exit code stays the command's own.
void run(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
