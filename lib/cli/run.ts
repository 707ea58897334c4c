/**
 * The CLI's driver: picks the command, parses its flags, loads the input, runs the command, writes
 * its output and warnings, and resolves to the exit code. Pure commands run synchronously inside
 * it; streaming commands (`audit`) are awaited. Every error becomes one line on stderr (never a
 * stack trace) and exit code 2.
 */
import { InvalidObjectError, RbacInputError } from '../rbac';
import { FlagSpec, formatFlags, parseArgs } from './args';
import {
  AnyCommand, Command, CommandResult, commandFlags, CommonOptions, isStreaming, StreamingCommand,
} from './command';
import { auditCommand } from './commands/audit';
import { auditServeCommand } from './commands/audit-serve';
import { canICommand } from './commands/can-i';
import { diffCommand } from './commands/diff';
import { escalationsCommand } from './commands/escalations';
import { graphCommand } from './commands/graph';
import { matrixCommand } from './commands/matrix';
import { whoCanCommand } from './commands/who-can';
import { CliInputError, OutputClosedError, UsageError } from './errors';
import { exitCode, Outcome } from './exit-code';
import { commandHelp, PROGRAM, topLevelHelp, usageHint } from './help';
import { loadInput, LoadedInput } from './input';
import { CliIo, helpWidth, tableLayout, wantsColor } from './io';
import { renderJson } from './render/json';
import { wrapLine } from './render/wrap';
import { makeStyle, TableLayout } from './render/style';
import { terminalText } from './render/terminal-text';
import { jsonTextToYaml, renderYaml } from './render/yaml';
import { didYouMean } from './suggest';
import { versionInfo, versionText } from './version';

/** Every subcommand, in help order. */
export const COMMANDS: readonly AnyCommand[] = [canICommand, whoCanCommand, matrixCommand, graphCommand, diffCommand, escalationsCommand, auditCommand, auditServeCommand];

/** Words that may come first besides the commands' names. */
const BUILTINS = ['help', 'version'];

function findCommand(name: string): AnyCommand {
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}${didYouMean(name, [...COMMANDS.map((c) => c.name), ...BUILTINS]) || '.'}`);
  return command;
}

const VERSION_FLAGS: readonly FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string', placeholder: 'FORMAT', description: 'text (default), json or yaml' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

function versionHelp(width: number): string {
  return `Usage: ${PROGRAM} version [-o json|yaml]   (or ${PROGRAM} --version)\n\n`
    + `${wrapLine('', `Prints the version of ${PROGRAM} and the Kubernetes releases it answers for (--kube-version), with the default.`, width, 0)}\n\n`
    + `Flags:\n${formatFlags(VERSION_FLAGS, width)}\n`;
}

/** `api-reader version [-o json|yaml]` (and `--version`): the package's version and the Kubernetes releases. */
function version(args: readonly string[], io: CliIo): Outcome {
  const parsed = parseArgs(args, VERSION_FLAGS);
  if (parsed.boolean('help')) {
    io.writeOut(versionHelp(helpWidth(io)));
    return { kind: 'done' };
  }
  if (parsed.positionals.length > 0) throw new UsageError(`version takes no arguments, got: ${parsed.positionals.join(' ')}.`);
  const output = parsed.string('output') ?? 'text';
  if (output === 'json') io.writeOut(renderJson(versionInfo()));
  else if (output === 'yaml') io.writeOut(renderYaml(versionInfo()));
  else if (output === 'text') io.writeOut(versionText(PROGRAM));
  else throw new UsageError(`--output must be text, json or yaml, not ${JSON.stringify(output)}.`);
  return { kind: 'done' };
}

/** Writes one warning line; names from the input in it are escaped like all text output. */
function warn(message: string, io: CliIo): void {
  io.writeErr(`${PROGRAM}: warning: ${terminalText(message)}\n`);
}

/** Writes one error line (`internal error` for a bug), escaped like all text output. */
function fail(message: string, io: CliIo, kind = 'error'): void {
  io.writeErr(`${PROGRAM}: ${kind}: ${terminalText(message)}\n`);
}

function load(options: CommonOptions, io: CliIo, workloads = false): LoadedInput {
  const input = loadInput(options.files, options.bootstrap, io.readStdin, options.kubeVersion, options.maxManifestBytes, options.fieldValidation, {
    enabledApis: options.enabledApis, invalidObjects: options.skipInvalid ? 'skip' : 'refuse',
  }, workloads);
  for (const w of input.warnings) warn(w, io);
  return input;
}

/** With `--skip-invalid`: one `rejected:` line per object or document left out, and the outcome that says so (exit 3). */
function withRejections(outcome: Outcome, input: LoadedInput | undefined, io: CliIo): Outcome {
  const rejected = input?.policy.rejected ?? [];
  if (rejected.length === 0 || outcome.kind === 'usage-error' || outcome.kind === 'input-error') return outcome;
  for (const r of rejected) fail(r, io, 'rejected');
  io.writeErr(`${PROGRAM}: ${rejected.length} object${rejected.length === 1 ? '' : 's'} or document${rejected.length === 1 ? '' : 's'} left out, as the API server would reject ${rejected.length === 1 ? 'it' : 'them'}; the answer above is for the rest.\n`);
  return { kind: 'partial' };
}

function report(result: CommandResult, io: CliIo): Outcome {
  io.writeOut(result.stdout);
  for (const w of result.warnings) warn(w, io);
  if (result.error !== undefined) fail(result.error, io);
  return result.outcome;
}

function runPure(command: Command, options: CommonOptions, layout: TableLayout, io: CliIo): Outcome {
  const input = load(options, io, command.readsWorkloads);
  const result = command.execute(options, input, makeStyle(!options.json && wantsColor(io), layout));
  // `-o yaml` for every command: the document `-o json` gives, written as YAML.
  return withRejections(report(options.output === 'yaml' ? { ...result, stdout: jsonTextToYaml(result.stdout) } : result, io), input, io);
}

async function runStreaming(command: StreamingCommand, options: CommonOptions, layout: TableLayout, io: CliIo): Promise<Outcome> {
  const input = options.files.length > 0 ? load(options, io) : undefined;
  const result = await command.execute(options, input, { write: io.writeOut, writeErr: io.writeErr, openStdin: io.openStdin, stdinIsTTY: io.stdinIsTTY, table: layout });
  return withRejections(report(result, io), input, io);
}

async function runCommand(command: AnyCommand, args: readonly string[], io: CliIo): Promise<Outcome> {
  const parsed = parseArgs(args, commandFlags(command), command.name);
  if (parsed.boolean('help')) {
    io.writeOut(commandHelp(command, helpWidth(io)));
    return { kind: 'done' };
  }
  const options = command.options(parsed, { now: io.now() });
  if (command.requiresInput && options.files.length === 0) {
    throw new UsageError('-f PATH is required: a manifest file, a directory of them, or - for stdin.', command.name);
  }
  const layout = tableLayout(io, !parsed.boolean('no-headers'));
  return isStreaming(command) ? runStreaming(command, options, layout, io) : runPure(command, options, layout, io);
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<Outcome> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.writeErr(`${PROGRAM}: error: a command is needed.\n${usageHint(undefined, COMMANDS)}`);
    return { kind: 'usage-error' };
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    if (rest[0] === 'version') io.writeOut(versionHelp(helpWidth(io)));
    else io.writeOut(rest[0] === undefined ? topLevelHelp(COMMANDS, helpWidth(io)) : commandHelp(findCommand(rest[0]), helpWidth(io)));
    return { kind: 'done' };
  }
  if (first === '--version' || first === 'version') return version(rest, io);
  if (first.startsWith('-')) throw new UsageError(`a command must come first, before flags such as ${first}.`);
  // `audit serve` is a command of its own: a server, not a log reader.
  if (first === 'audit' && rest[0] === 'serve') return runCommand(auditServeCommand, rest.slice(1), io);
  return runCommand(findCommand(first), rest, io);
}

function describeFailure(error: unknown, io: CliIo): Outcome {
  // The reader of stdout went away while a report was streaming: what was asked was answered.
  if (error instanceof OutputClosedError) return { kind: 'done' };
  if (error instanceof UsageError) {
    const command = COMMANDS.find((c) => c.name === error.command);
    fail(error.message, io);
    io.writeErr(usageHint(command, COMMANDS));
    return { kind: 'usage-error' };
  }
  if (error instanceof InvalidObjectError) {
    // One error line per rejected object, each with its file:line.
    for (const problem of error.problems) fail(problem, io);
    return { kind: 'input-error' };
  }
  if (error instanceof RbacInputError || error instanceof CliInputError) {
    fail(error.message, io);
    return { kind: 'input-error' };
  }
  const message = error instanceof Error ? error.message : String(error);
  fail(`${message} (please report this with the command line that caused it)`, io, 'internal error');
  return { kind: 'input-error' };
}

/**
 * Runs `api-reader` with `argv` (without `node` and the script) against `io`. Never rejects.
 * @returns the exit code: 0 yes or success, 1 no (can-i), 2 usage or input error
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let outcome: Outcome;
  try {
    outcome = await dispatch(argv, io);
  } catch (error) {
    outcome = describeFailure(error, io);
  }
  return exitCode(outcome);
}
