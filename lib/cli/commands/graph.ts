/**
 * `api-reader graph`: subjects -> bindings -> roles -> permissions of the input's bindings, as a
 * Mermaid flowchart (for a README) or Graphviz DOT; `--output json` gives the nodes and edges.
 */
import { ParsedArgs } from '../args';
import { Command, CommandResult, CommonOptions, commonOptions } from '../command';
import { buildGraph } from '../../rbac/views/graph';
import { UsageError } from '../errors';
import { problemWarnings } from '../input';
import { renderDot } from '../render/dot';
import { renderJson } from '../render/json';
import { renderMermaid } from '../render/mermaid';

const NAME = 'graph';

/** The picture formats. */
export type GraphFormat = 'mermaid' | 'dot';

const FORMATS: readonly GraphFormat[] = ['mermaid', 'dot'];

/** The options of `graph`. */
export interface GraphOptions extends CommonOptions {
  /** `-o mermaid|dot` (or the deprecated `--format`). */
  readonly format: GraphFormat;
  /**
   * Whether the deprecated `--format` was given (the command then warns).
   * @default false
   */
  readonly deprecatedFormat?: boolean;
}

/** The warning for `--format`, kept so that scripts do not break. */
export const FORMAT_DEPRECATION = '--format is deprecated: use -o mermaid or -o dot (-o json and -o yaml give the nodes and edges).';

function options(args: ParsedArgs): GraphOptions {
  if (args.positionals.length > 0) throw new UsageError(`graph takes no arguments, got: ${args.positionals.join(' ')}.`, NAME);
  const legacy = args.string('format');
  if (legacy !== undefined && args.has('output')) throw new UsageError('give -o mermaid|dot, not --format as well (--format is deprecated).', NAME);
  if (legacy !== undefined && !(FORMATS as readonly string[]).includes(legacy)) throw new UsageError(`--format must be mermaid or dot, not ${JSON.stringify(legacy)}.`, NAME);
  const common = commonOptions(args, NAME, FORMATS);
  const format = (legacy ?? common.output) as string;
  return { ...common, format: format === 'dot' ? 'dot' : 'mermaid', ...(legacy !== undefined ? { deprecatedFormat: true } : {}) };
}

/** `api-reader graph -f PATH [-o mermaid|dot]`. */
export const graphCommand: Command<GraphOptions> = {
  name: NAME,
  summary: 'subjects -> bindings -> roles -> permissions, as Mermaid or Graphviz DOT',
  usage: 'graph -f PATH [-o mermaid|dot|json|yaml] [flags]',
  details: [
    "Draws the input's bindings (not the bootstrap policy's), the roles they grant (bootstrap roles such",
    'as view included) and each role\'s rules. A role that does not exist is drawn dashed, "(not found)".',
    'Output is deterministic: the same input gives the same bytes.',
    '',
    'Examples:',
    '  api-reader graph -f dist/ > rbac.mmd',
    '  api-reader graph -f dist/ -o dot | dot -Tsvg > rbac.svg',
  ].join('\n'),
  flags: [
    { name: 'output', short: 'o', type: 'string', placeholder: 'FORMAT', description: 'mermaid (default) or dot; json or yaml for the nodes and edges' },
    { name: 'format', type: 'string', placeholder: 'FORMAT', description: 'deprecated: use -o mermaid|dot' },
  ],
  requiresInput: true,
  options,
  execute(o, input): CommandResult {
    const graph = buildGraph(input.policy);
    const warnings = [...(o.deprecatedFormat ? [FORMAT_DEPRECATION] : []), ...problemWarnings(input)];
    const stdout = o.json ? renderJson(graph) : o.format === 'dot' ? renderDot(graph) : renderMermaid(graph);
    return { stdout, warnings, outcome: { kind: 'done' } };
  },
};
