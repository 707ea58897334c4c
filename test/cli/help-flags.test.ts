/**
 * Issue 27 item 3: the help of each command lists only flags that command takes. Every `--flag`
 * and `-x` its help text names (usage line, paragraphs, examples, flag descriptions) is parsed by
 * that command's own flag parser; only kube-apiserver's flags, named where the help tells how to
 * point the API server at us, are not ours.
 */
import { parseArgs } from '../../lib/cli/args';
import { commandFlags } from '../../lib/cli/command';
import { UsageError } from '../../lib/cli/errors';
import { commandHelp } from '../../lib/cli/help';
import { COMMANDS } from '../../lib/cli/run';

/** Flags of other programs the help names on purpose (kube-apiserver's audit flags). */
const OTHER_PROGRAMS = new Set(['--audit-log-path', '--audit-webhook-config-file', '--runtime-config']);

/**
 * Every flag a help text names: `--long-name` and `-x` (not inside words, paths or ranges). A
 * `kubectl ...` command line in an example is kubectl's, up to a pipe: its flags are not ours.
 */
function flagsNamed(helpText: string): string[] {
  const help = helpText.replace(/\bkubectl [^|\n]*/g, 'kubectl');
  const long = help.match(/(?<![\w/-])--[a-z][a-z0-9-]*/g) ?? [];
  const short = help.match(/(?<![\w/.-])-[a-zA-Z](?![\w-])/g) ?? [];
  return [...new Set([...long, ...short])].filter((f) => !OTHER_PROGRAMS.has(f));
}

/** Whether `command` accepts `flag` (given a value when it takes one). */
function accepts(command: (typeof COMMANDS)[number], flag: string): boolean {
  try {
    parseArgs([flag, 'x'], commandFlags(command), command.name);
    return true;
  } catch (e) {
    if (!(e instanceof UsageError) || !/unknown flag/.test(e.message)) throw e;
    try {
      parseArgs([flag], commandFlags(command), command.name);
      return true;
    } catch (again) {
      if (again instanceof UsageError && /unknown flag/.test(again.message)) return false;
      throw again;
    }
  }
}

describe('every flag a command\'s help names is a flag of that command', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s', (_name, command) => {
    // Unwrapped (one line per paragraph line), so an example's kubectl command line stays on one line.
    const named = flagsNamed(commandHelp(command, Number.MAX_SAFE_INTEGER));
    expect(named.length).toBeGreaterThan(3);
    expect(named.filter((f) => !accepts(command, f))).toEqual([]);
  });

  it('finds a flag the command does not have (the check can fail)', () => {
    const command = COMMANDS.find((c) => c.name === 'graph')!;
    expect(flagsNamed('use --strict or -q').filter((f) => !accepts(command, f))).toEqual(['--strict', '-q']);
  });
});
