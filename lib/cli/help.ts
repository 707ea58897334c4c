/** Help texts: the top-level help, each command's `--help`, and the short usage after an error. */
import { formatFlags } from './args';
import { CommandInfo, commandFlags, COMMON_FLAGS } from './command';
import { DEFAULT_HELP_WIDTH, wrapLine, wrapParagraphs } from './render/wrap';

/** The program name. */
export const PROGRAM = 'api-reader';

/**
 * The top-level help (`api-reader --help`), wrapped to `width`.
 * @default width {@link DEFAULT_HELP_WIDTH}
 */
export function topLevelHelp(commands: readonly CommandInfo[], width = DEFAULT_HELP_WIDTH): string {
  const nameWidth = Math.max('version'.length, ...commands.map((c) => c.name.length));
  const entry = (name: string, summary: string) => wrapLine(`  ${name.padEnd(nameWidth)}   `, summary, width, nameWidth + 5);
  return [
    wrapLine('', `${PROGRAM}: offline answers to "who may do what" from Kubernetes RBAC manifests, with kube-apiserver's semantics and reasons, and "who did what" from its audit logs.`, width, 0),
    '',
    `Usage: ${PROGRAM} COMMAND [flags]`,
    '',
    'Commands:',
    ...commands.map((c) => entry(c.name, c.summary)),
    entry('version', `the version of ${PROGRAM} and the Kubernetes releases it answers for (also --version)`),
    '',
    'Flags every command takes:',
    formatFlags(COMMON_FLAGS, width),
    '',
    wrapLine('', `Run '${PROGRAM} COMMAND --help' for a command's flags.`, width, 0),
    wrapLine('', 'Exit codes: 0 yes or success, 1 no (can-i) or --fail-on reached (diff), 2 usage or input error.', width, 0),
    '',
  ].join('\n');
}

/**
 * A command's help (`api-reader COMMAND --help`), wrapped to `width` (examples stay whole).
 * @default width {@link DEFAULT_HELP_WIDTH}
 */
export function commandHelp(command: CommandInfo, width = DEFAULT_HELP_WIDTH): string {
  return [
    `Usage: ${PROGRAM} ${command.usage}`,
    '',
    wrapLine('', `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`, width, 0),
    '',
    wrapParagraphs(command.details, width),
    '',
    'Flags:',
    formatFlags(commandFlags(command), width),
    '',
  ].join('\n');
}

/**
 * The two lines after a usage error: the usage line, and where to read more.
 * @param commands the commands to name when no command was recognised
 * @default commands - the first commands there were (can-i, who-can, matrix, graph, audit)
 */
export function usageHint(command?: CommandInfo, commands?: readonly CommandInfo[]): string {
  const names = commands ? [...new Set(commands.map((c) => c.name.split(' ')[0])), 'version'] : ['can-i', 'who-can', 'matrix', 'graph', 'audit'];
  return command
    ? `Usage: ${PROGRAM} ${command.usage}\nRun '${PROGRAM} ${command.name} --help' for more.\n`
    : `Usage: ${PROGRAM} COMMAND [flags]   (commands: ${names.join(', ')})\nRun '${PROGRAM} --help' for more.\n`;
}
