#!/usr/bin/env node
/**
 * The `api-reader` executable (the package's `bin`): runs the CLI against the real process.
 * All logic is in `run.ts` and the modules it uses; this file only connects them to `process`.
 */
import { processIo } from './io';
import { run } from './run';

process.exitCode = run(process.argv.slice(2), processIo());
