/**
 * The CLI's driver: picks the command, parses its flags, loads the input, runs the pure command,
 * writes its output and warnings, and returns the exit code. Every error becomes one line on
 * stderr (never a stack trace) and exit code 2.
 */
import { RbacInputError } from '../rbac';
import { parseArgs } from './args';
import { Command, COMMON_FLAGS } from './command';
import { canICommand } from './commands/can-i';
import { graphCommand } from './commands/graph';
import { matrixCommand } from './commands/matrix';
import { whoCanCommand } from './commands/who-can';
import { UsageError } from './errors';
import { exitCode, Outcome } from './exit-code';
import { commandHelp, PROGRAM, topLevelHelp, usageHint } from './help';
import { loadInput } from './input';
import { CliIo, wantsColor } from './io';
import { makeStyle } from './render/style';

/** Every subcommand, in help order. */
export const COMMANDS: readonly Command[] = [canICommand, whoCanCommand, matrixCommand, graphCommand];

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}.`);
  return command;
}

function runCommand(command: Command, args: readonly string[], io: CliIo): Outcome {
  const parsed = parseArgs(args, [...command.flags, ...COMMON_FLAGS], command.name);
  if (parsed.boolean('help')) {
    io.writeOut(commandHelp(command));
    return { kind: 'done' };
  }
  const options = command.options(parsed);
  if (command.requiresInput && options.files.length === 0) {
    throw new UsageError('-f PATH is required: a manifest file, a directory of them, or - for stdin.', command.name);
  }
  const input = loadInput(options.files, options.bootstrap, io.readStdin);
  for (const w of input.warnings) io.writeErr(`${PROGRAM}: warning: ${w}\n`);
  const result = command.execute(options, input, makeStyle(!options.json && wantsColor(io)));
  io.writeOut(result.stdout);
  for (const w of result.warnings) io.writeErr(`${PROGRAM}: warning: ${w}\n`);
  return result.outcome;
}

function dispatch(argv: readonly string[], io: CliIo): Outcome {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.writeErr(`${PROGRAM}: error: a command is needed.\n${usageHint()}`);
    return { kind: 'usage-error' };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.writeOut(rest[0] === undefined ? topLevelHelp(COMMANDS) : commandHelp(findCommand(rest[0])));
    return { kind: 'done' };
  }
  if (first.startsWith('-')) throw new UsageError(`a command must come first, before flags such as ${first}.`);
  return runCommand(findCommand(first), rest, io);
}

function describeFailure(error: unknown, io: CliIo): Outcome {
  if (error instanceof UsageError) {
    const command = COMMANDS.find((c) => c.name === error.command);
    io.writeErr(`${PROGRAM}: error: ${error.message}\n${usageHint(command)}`);
    return { kind: 'usage-error' };
  }
  if (error instanceof RbacInputError) {
    io.writeErr(`${PROGRAM}: error: ${error.message}\n`);
    return { kind: 'input-error' };
  }
  const message = error instanceof Error ? error.message : String(error);
  io.writeErr(`${PROGRAM}: internal error: ${message} (please report this with the command line that caused it)\n`);
  return { kind: 'input-error' };
}

/**
 * Runs `api-reader` with `argv` (without `node` and the script) against `io`.
 * @returns the exit code: 0 yes or success, 1 no (can-i), 2 usage or input error
 */
export function run(argv: readonly string[], io: CliIo): number {
  let outcome: Outcome;
  try {
    outcome = dispatch(argv, io);
  } catch (error) {
    outcome = describeFailure(error, io);
  }
  return exitCode(outcome);
}
