/**
 * What every subcommand is: its flags and help, a pure `options` step that turns parsed arguments
 * into typed options, and an `execute` step. A {@link Command} is pure: from options and loaded
 * input to output text, warnings and an {@link Outcome}; reading input and writing output happen in
 * `run.ts` only. A {@link StreamingCommand} (`audit`) reads its input as it goes and writes output
 * as it is produced, through the {@link CommandStreams} the driver hands it, and is asynchronous.
 */
import { DEFAULT_MAX_MANIFEST_BYTES } from '../rbac/load';
import type { FieldValidation } from '../rbac/policy';
import { DEFAULT_KUBE_VERSION, resolveKubeVersion, SUPPORTED_KUBE_VERSIONS, UnsupportedKubeVersionError } from '../rbac/kube-versions';
import { checkEnabledApis, UnknownApiVersionError } from '../rbac/served-apis';
import { isValidNamespaceName } from '../rbac/subjects';
import { FlagSpec, ParsedArgs } from './args';
import { UsageError } from './errors';
import { Outcome } from './exit-code';
import { LoadedInput } from './input';
import { Style, TableLayout } from './render/style';
import { didYouMean } from './suggest';

/** Options every command has. */
export interface CommonOptions {
  /** `-f` paths (files, directories, `-`), in order. */
  readonly files: readonly string[];
  /** Whether to add Kubernetes' bootstrap policy (`--no-bootstrap` turns it off). */
  readonly bootstrap: boolean;
  /** Structured output: `--output json`, or `--output yaml` (the same document, which the driver re-renders as YAML). */
  readonly json: boolean;
  /**
   * The `--output` format asked for (`text`, `wide`, `json`, `yaml`, or a command's own such as `dot`).
   * @default - the command's default format (`json` when `json` is set)
   */
  readonly output?: string;
  /** `--kube-version`: the Kubernetes minor release to answer for, e.g. `1.35`. */
  readonly kubeVersion: string;
  /** `--max-manifest-bytes`: the largest manifest file (or stdin) read, in bytes. */
  readonly maxManifestBytes: number;
  /** `--validate`: what to do with fields RBAC types do not have, as `kubectl apply --validate`. */
  readonly fieldValidation: FieldValidation;
  /** `--enable-api`: API versions the cluster serves besides a default server's. */
  readonly enabledApis: readonly string[];
  /** `--skip-invalid`: evaluate what the server would store, list what it would reject (exit 3). */
  readonly skipInvalid: boolean;
}

/** What a command produced. */
export interface CommandResult {
  /** Everything for stdout (a streaming command has written it already and leaves this `""`). */
  readonly stdout: string;
  /** One-line warnings for stderr. */
  readonly warnings: readonly string[];
  /**
   * A one-line error for stderr, after the warnings (the outcome is then an error).
   * @default - none
   */
  readonly error?: string;
  /** How it ended (decides the exit code). */
  readonly outcome: Outcome;
}

/** What the driver passes to `options` besides the parsed arguments. */
export interface OptionsContext {
  /** The current time in epoch milliseconds (for relative times such as `--since 1h`). */
  readonly now: number;
}

/** What every subcommand has, whatever its kind: its name, help and flags. */
export interface CommandInfo {
  /** The name users type, e.g. `can-i`. */
  readonly name: string;
  /** One line for the top-level help. */
  readonly summary: string;
  /** The usage line after the program name, e.g. `can-i VERB RESOURCE[/NAME] --as SUBJECT [flags]`. */
  readonly usage: string;
  /** Help paragraphs and examples after the usage line. */
  readonly details: string;
  /** The command's own flags (the common flags are added). */
  readonly flags: readonly FlagSpec[];
  /** Whether `-f` is required. */
  readonly requiresInput: boolean;
  /**
   * Whether the input is read with Pods, workload controllers, Nodes and ServiceAccount-token
   * Secrets kept (`LoadOptions.workloads`), as `escalations` needs.
   * @default false
   */
  readonly readsWorkloads?: boolean;
}

/** A pure subcommand: its whole output is computed from options and loaded manifests. */
export interface Command<O extends CommonOptions = CommonOptions> extends CommandInfo {
  /**
   * Typed options from the parsed command line (pure).
   * @throws UsageError for wrong arguments
   */
  options(args: ParsedArgs, context: OptionsContext): O;
  /**
   * Runs the command on loaded input (pure).
   * @throws RbacInputError for bad input, e.g. a malformed `--as`
   */
  execute(options: O, input: LoadedInput, style: Style): CommandResult;
}

/** The process streams a {@link StreamingCommand} works through. */
export interface CommandStreams {
  /** Writes to stdout, as output is produced; a returned promise settles when stdout can take more. */
  readonly write: (text: string) => void | Promise<void>;
  /** Writes to stderr at once (progress of a long-running command); warnings at the end go in the result. */
  readonly writeErr: (text: string) => void;
  /** Stdin as a byte stream. */
  readonly openStdin: () => AsyncIterable<unknown>;
  /** Whether stdin is a terminal. */
  readonly stdinIsTTY: boolean;
  /**
   * How tables are laid out (`--no-headers`, the terminal's width).
   * @default - with headings, no width limit
   */
  readonly table?: TableLayout;
}

/**
 * A subcommand that streams its input (e.g. a log of any size) and writes output as it goes.
 * Its manifests (`-f`), when given, are loaded by the driver as for every command.
 */
export interface StreamingCommand<O extends CommonOptions = CommonOptions> extends CommandInfo {
  /** Marks the kind. */
  readonly streaming: true;
  /**
   * Typed options from the parsed command line (pure).
   * @throws UsageError for wrong arguments
   */
  options(args: ParsedArgs, context: OptionsContext): O;
  /**
   * Runs the command: reads through `streams`, writes output through `streams.write`, and returns
   * warnings and the outcome (with `stdout` empty).
   * @param input the manifests named by `-f`, or `undefined` when none were given
   * @throws CliInputError or RbacInputError for input that cannot be read at all
   */
  execute(options: O, input: LoadedInput | undefined, streams: CommandStreams): Promise<CommandResult>;
}

/** Any subcommand. */
export type AnyCommand = Command | StreamingCommand;

/** True for a {@link StreamingCommand}. */
export function isStreaming(command: AnyCommand): command is StreamingCommand {
  return 'streaming' in command && command.streaming === true;
}

/** Flags every command takes. */
export const COMMON_FLAGS: readonly FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'list', placeholder: 'PATH', description: 'a manifest file, a directory (read recursively, skipping node_modules and dot-directories such as .git) or - for stdin; repeatable' },
  { name: 'no-bootstrap', type: 'boolean', description: "leave out Kubernetes' bootstrap policy (system:discovery, cluster-admin, view, ...)" },
  { name: 'output', short: 'o', type: 'string', placeholder: 'FORMAT', description: 'text (default), json or yaml; wide where a table has more columns to show' },
  { name: 'no-headers', type: 'boolean', description: 'print no heading row above the columns, as kubectl get --no-headers' },
  {
    name: 'kube-version', type: 'string', placeholder: 'VERSION',
    description: `the Kubernetes release to answer for: its bootstrap policy and resource scopes; one of ${SUPPORTED_KUBE_VERSIONS.join(', ')} (default ${DEFAULT_KUBE_VERSION})`,
  },
  {
    name: 'max-manifest-bytes', type: 'string', placeholder: 'SIZE',
    description: 'refuse a manifest file (or stdin) larger than this: bytes, or with Ki, Mi or Gi (default 256Mi)',
  },
  {
    name: 'validate', type: 'string', placeholder: 'MODE',
    description: 'fields RBAC objects do not have, as kubectl apply --validate: strict (default) refuses the object, warn warns, ignore (or false) drops them',
  },
  {
    name: 'enable-api', type: 'list', placeholder: 'GROUP/VERSION',
    description: 'an API version your server serves besides the defaults (as its --runtime-config), e.g. certificates.k8s.io/v1beta1, or api/all; repeatable',
  },
  {
    name: 'skip-invalid', type: 'boolean',
    description: 'as kubectl apply -f DIR: evaluate the objects the API server would store, list each it would reject, exit 3 if any (default: refuse the input, listing every one, exit 2)',
  },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

/**
 * A command's flags followed by the common flags it does not define itself (a command may redefine
 * a common flag, e.g. `audit`'s `--output` with other formats).
 */
export function commandFlags(command: CommandInfo): FlagSpec[] {
  const own = new Set(command.flags.map((f) => f.name));
  return [...command.flags, ...COMMON_FLAGS.filter((f) => !own.has(f.name))];
}

/** The namespace flags of commands that ask about one namespace. */
export const NAMESPACE_FLAGS: readonly FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string', placeholder: 'NS', description: 'the namespace to ask about (default "default")' },
  { name: 'all-namespaces', short: 'A', type: 'boolean', description: 'ask about all namespaces at once (cluster-wide grants only)' },
];

/** `--subresource`, for commands that take a request. */
export const SUBRESOURCE_FLAG: FlagSpec = { name: 'subresource', type: 'string', placeholder: 'SUB', description: 'a subresource, e.g. log for pods/log' };

/** The structured formats every command prints besides its own: the same document as JSON or YAML. */
export const STRUCTURED_FORMATS: readonly string[] = ['json', 'yaml'];

/**
 * The common options from parsed arguments.
 * @param formats the command's own `--output` formats besides json and yaml, its default first
 * @default formats ['text']
 * @throws UsageError for an `--output` the command does not print
 */
export function commonOptions(args: ParsedArgs, command: string, formats: readonly string[] = ['text']): CommonOptions {
  const output = args.string('output') ?? formats[0];
  const known = [...formats, ...STRUCTURED_FORMATS];
  if (!known.includes(output)) {
    throw new UsageError(`--output must be ${known.slice(0, -1).join(', ')} or ${known[known.length - 1]}, not ${JSON.stringify(output)}${didYouMean(output, known) || '.'}`, command);
  }
  const kubeVersion = kubeVersionOption(args, command);
  return {
    files: args.list('filename'), bootstrap: !args.boolean('no-bootstrap'), json: STRUCTURED_FORMATS.includes(output), output,
    kubeVersion, maxManifestBytes: maxManifestBytesOption(args, command),
    fieldValidation: fieldValidationOption(args, command), enabledApis: enabledApisOption(args, command, kubeVersion),
    skipInvalid: args.boolean('skip-invalid'),
  };
}

/**
 * `--enable-api`: each a `GROUP/VERSION` of the release, or `api/all`.
 * @throws UsageError for anything else
 */
export function enabledApisOption(args: ParsedArgs, command: string, kubeVersion: string): readonly string[] {
  try {
    return checkEnabledApis(kubeVersion, args.list('enable-api'));
  } catch (e) {
    if (e instanceof UnknownApiVersionError) throw new UsageError(`--enable-api: ${e.message}`, command);
    throw e;
  }
}

/** kubectl's `--validate` values: `true` is `strict`, `false` is `ignore`. */
const VALIDATE_MODES: Readonly<Record<string, FieldValidation>> = { strict: 'strict', true: 'strict', warn: 'warn', ignore: 'ignore', false: 'ignore' };

/**
 * `--validate`: `strict` (the default), `warn`, `ignore`, or kubectl's `true` and `false`.
 * @throws UsageError for anything else
 */
export function fieldValidationOption(args: ParsedArgs, command: string): FieldValidation {
  const given = args.string('validate');
  if (given === undefined) return 'strict';
  const mode = Object.prototype.hasOwnProperty.call(VALIDATE_MODES, given) ? VALIDATE_MODES[given] : undefined;
  if (mode === undefined) throw new UsageError(`--validate must be strict, warn or ignore (or true, false), not ${JSON.stringify(given)}.`, command);
  return mode;
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, 'Ki': 1024, 'Mi': 1024 ** 2, 'Gi': 1024 ** 3 };

/**
 * `--max-manifest-bytes`: a positive number of bytes, optionally with `Ki`, `Mi` or `Gi` (`512Mi`).
 * @throws UsageError for anything else
 */
export function maxManifestBytesOption(args: ParsedArgs, command: string): number {
  const given = args.string('max-manifest-bytes');
  if (given === undefined) return DEFAULT_MAX_MANIFEST_BYTES;
  const m = /^(\d+)(Ki|Mi|Gi)?$/.exec(given.trim());
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2] ?? ''] : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new UsageError(`--max-manifest-bytes must be a positive size such as 268435456 or 256Mi, not ${JSON.stringify(given)}.`, command);
  }
  return bytes;
}

/**
 * `--kube-version`, resolved to a supported minor (`v1.34.2` gives `1.34`).
 * @throws UsageError for a version there is no data for
 */
export function kubeVersionOption(args: ParsedArgs, command: string): string {
  try {
    return resolveKubeVersion(args.string('kube-version') ?? DEFAULT_KUBE_VERSION);
  } catch (e) {
    if (e instanceof UnsupportedKubeVersionError) throw new UsageError(`--kube-version: ${e.message}`, command);
    throw e;
  }
}

/**
 * The namespace from `-n`/`-A` as kubectl reads them: `-A` is all namespaces (`""`), and wins over
 * `-n` when both are given (as in `kubectl auth can-i`), else `-n`, else `fallback`.
 * @throws UsageError for an invalid namespace name
 */
export function namespaceOption<T extends string | undefined>(args: ParsedArgs, command: string, fallback: T): string | T {
  const ns = args.string('namespace');
  if (args.boolean('all-namespaces')) return '';
  if (ns === undefined) return fallback;
  if (!isValidNamespaceName(ns)) throw new UsageError(`${JSON.stringify(ns)} is not a valid namespace name: lowercase letters, digits and '-', at most 63 characters.`, command);
  return ns;
}

/**
 * The `VERB TARGET` positionals of can-i and who-can.
 * @throws UsageError when there are not exactly two
 */
export function verbAndTarget(args: ParsedArgs, command: string): [string, string] {
  const p = args.positionals;
  if (p.length < 2) throw new UsageError(`${command} needs VERB and RESOURCE[/NAME] (or a URL path such as /api).`, command);
  if (p.length > 2) throw new UsageError(`too many arguments: ${p.slice(2).join(' ')}.`, command);
  return [p[0], p[1]];
}
