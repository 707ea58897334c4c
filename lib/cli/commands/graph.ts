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

/** The options of `graph`. */
export interface GraphOptions extends CommonOptions {
  /** `--format`. */
  readonly format: GraphFormat;
}

function options(args: ParsedArgs): GraphOptions {
  if (args.positionals.length > 0) throw new UsageError(`graph takes no arguments, got: ${args.positionals.join(' ')}.`, NAME);
  const format = args.string('format') ?? 'mermaid';
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`--format must be mermaid or dot, not ${JSON.stringify(format)}.`, NAME);
  return { ...commonOptions(args, NAME), format };
}

/** `api-reader graph -f PATH [--format mermaid|dot]`. */
export const graphCommand: Command<GraphOptions> = {
  name: NAME,
  summary: 'subjects -> bindings -> roles -> permissions, as Mermaid or Graphviz DOT',
  usage: 'graph -f PATH [--format mermaid|dot] [flags]',
  details: [
    "Draws the input's bindings (not the bootstrap policy's), the roles they grant (bootstrap roles such",
    'as view included) and each role\'s rules. A role that does not exist is drawn dashed, "(not found)".',
    'Output is deterministic: the same input gives the same bytes.',
    '',
    'Examples:',
    '  api-reader graph -f dist/ > rbac.mmd',
    '  api-reader graph -f dist/ --format dot | dot -Tsvg > rbac.svg',
  ].join('\n'),
  flags: [
    { name: 'format', type: 'string', placeholder: 'FORMAT', description: 'mermaid (default) or dot' },
  ],
  requiresInput: true,
  options,
  execute(o, input): CommandResult {
    const graph = buildGraph(input.policy);
    const warnings = problemWarnings(input);
    const stdout = o.json ? renderJson(graph) : o.format === 'dot' ? renderDot(graph) : renderMermaid(graph);
    return { stdout, warnings, outcome: { kind: 'done' } };
  },
};
