/**
 * A small command-line parser: long flags (`--namespace dev`, `--namespace=dev`), short flags
 * (`-n dev`, `-ndev`, `-n=dev`), booleans (`--explain`), repeatable lists (`-f a -f b`, optionally
 * comma-split: `--verbs get,list`), `--` to end the flags, and `-` as an ordinary value (stdin).
 * Unknown flags and missing values are {@link UsageError}s.
 */
import { UsageError } from './errors';
import { wrapLine } from './render/wrap';
import { didYouMean } from './suggest';

/** How a flag takes values. */
export type FlagType = 'boolean' | 'string' | 'list';

/** One flag a command accepts. */
export interface FlagSpec {
  /** The long name without dashes, e.g. `namespace`; also the key to read it back. */
  readonly name: string;
  /**
   * A one-letter alias, e.g. `n` for `-n`.
   * @default - none
   */
  readonly short?: string;
  /** `boolean` (no value), `string` (one value; the last one given wins) or `list` (repeatable). */
  readonly type: FlagType;
  /**
   * For `list` flags: also split each value on commas (`--verbs get,list`).
   * @default false
   */
  readonly commaSeparated?: boolean;
  /**
   * The value's placeholder in help, e.g. `NS`.
   * @default "VALUE"
   */
  readonly placeholder?: string;
  /** One line for `--help`. */
  readonly description: string;
}

/** The parsed command line: positional arguments and flag values, read back by name. */
export class ParsedArgs {
  /**
   * @param positionals the arguments that are not flags or flag values, in order
   * @param values flag values by long name (booleans as `true`, strings as the last value, lists in order)
   */
  constructor(
    public readonly positionals: readonly string[],
    private readonly values: ReadonlyMap<string, boolean | string | readonly string[]>,
  ) {}

  /** Whether the flag was given at all. */
  public has(name: string): boolean {
    return this.values.has(name);
  }

  /** A boolean flag: `true` when given. */
  public boolean(name: string): boolean {
    return this.values.get(name) === true;
  }

  /** A string flag's value, or `undefined` when not given. */
  public string(name: string): string | undefined {
    const v = this.values.get(name);
    return typeof v === 'string' ? v : undefined;
  }

  /** A list flag's values, in order (empty when not given). */
  public list(name: string): readonly string[] {
    const v = this.values.get(name);
    return Array.isArray(v) ? v : [];
  }
}

function flagLabel(spec: FlagSpec): string {
  return `--${spec.name}`;
}

/**
 * Parses `args` (without the program and command names) against `specs`.
 * @param command the subcommand name, for the usage line after an error
 * @throws UsageError for an unknown flag, a missing value, or a value given to a boolean flag
 */
export function parseArgs(args: readonly string[], specs: readonly FlagSpec[], command?: string): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const longNames = [...byLong.keys()];
  const positionals: string[] = [];
  const values = new Map<string, boolean | string | string[]>();
  let i = 0;
  const take = (spec: FlagSpec, inline: string | undefined): string => {
    if (inline !== undefined) return inline;
    if (i + 1 >= args.length) throw new UsageError(`flag ${flagLabel(spec)} needs a value${spec.placeholder ? ` (${spec.placeholder})` : ''}.`, command);
    i++;
    return args[i];
  };
  for (; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}${didYouMean(name, longNames, (n) => `--${n}`) || '.'}`, command);
    } else if (arg.startsWith('-') && arg.length > 1) {
      spec = byShort.get(arg[1]);
      if (!spec) {
        // `-decision` is a long flag written with one dash more often than a short flag with a value.
        const hint = arg.length > 2 && !arg.includes('=') ? didYouMean(arg.slice(1), longNames, (n) => `--${n}`) : '';
        throw new UsageError(`unknown flag: -${arg[1]}${hint || '.'}`, command);
      }
      const rest = arg.slice(2);
      inline = rest === '' ? undefined : rest.startsWith('=') ? rest.slice(1) : rest;
    } else {
      positionals.push(arg);
      continue;
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`flag ${flagLabel(spec)} takes no value.`, command);
      values.set(spec.name, true);
    } else if (spec.type === 'string') {
      values.set(spec.name, take(spec, inline));
    } else {
      const value = take(spec, inline);
      const list = (values.get(spec.name) as string[] | undefined) ?? [];
      list.push(...(spec.commaSeparated ? value.split(',').filter((v) => v !== '') : [value]));
      values.set(spec.name, list);
    }
  }
  return new ParsedArgs(positionals, values);
}

/**
 * The flags of a command as help lines: `  -n, --namespace NS   description`, aligned, each
 * description wrapped to `width` under its own column.
 * @default width - no wrapping
 */
export function formatFlags(specs: readonly FlagSpec[], width?: number): string {
  const heads = specs.map((s) => {
    const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}`;
    return s.type === 'boolean' ? names : `${names} ${s.placeholder ?? 'VALUE'}`;
  });
  const column = Math.max(...heads.map((h) => h.length));
  return specs.map((s, i) => {
    const head = `  ${heads[i].padEnd(column)}   `;
    return width === undefined ? `${head}${s.description}` : wrapLine(head, s.description, width, head.length);
  }).join('\n');
}
