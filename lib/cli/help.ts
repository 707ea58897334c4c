/** Help texts: the top-level help, each command's `--help`, and the short usage after an error. */
import { formatFlags } from './args';
import { CommandInfo, commandFlags, COMMON_FLAGS } from './command';

/** The program name. */
export const PROGRAM = 'api-reader';

/** The top-level help (`api-reader --help`). */
export function topLevelHelp(commands: readonly CommandInfo[]): string {
  const width = Math.max('version'.length, ...commands.map((c) => c.name.length));
  return [
    `${PROGRAM}: offline answers to "who may do what" from Kubernetes RBAC manifests,`,
    "with kube-apiserver's semantics and reasons, and \"who did what\" from its audit logs.",
    '',
    `Usage: ${PROGRAM} COMMAND [flags]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}   ${c.summary}`),
    `  ${'version'.padEnd(width)}   the version of ${PROGRAM} and the Kubernetes releases it answers for (also --version)`,
    '',
    'Flags every command takes:',
    formatFlags(COMMON_FLAGS),
    '',
    `Run '${PROGRAM} COMMAND --help' for a command's flags.`,
    'Exit codes: 0 yes or success, 1 no (can-i), 2 usage or input error.',
    '',
  ].join('\n');
}

/** A command's help (`api-reader COMMAND --help`). */
export function commandHelp(command: CommandInfo): string {
  return [
    `Usage: ${PROGRAM} ${command.usage}`,
    '',
    `${command.summary[0].toUpperCase()}${command.summary.slice(1)}.`,
    '',
    command.details,
    '',
    'Flags:',
    formatFlags(commandFlags(command)),
    '',
  ].join('\n');
}

/** The two lines after a usage error: the usage line, and where to read more. */
export function usageHint(command?: CommandInfo): string {
  return command
    ? `Usage: ${PROGRAM} ${command.usage}\nRun '${PROGRAM} ${command.name} --help' for more.\n`
    : `Usage: ${PROGRAM} COMMAND [flags]   (commands: can-i, who-can, matrix, graph, audit)\nRun '${PROGRAM} --help' for more.\n`;
}
