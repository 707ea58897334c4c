/** The RBAC graph in Graphviz DOT (`dot -Tsvg`), left to right, one shape per node kind. */
import { GraphNodeKind, RbacGraph } from '../../rbac/views/graph';
import { terminalText } from './terminal-text';

const SHAPES: Readonly<Record<GraphNodeKind, string>> = {
  subject: 'shape=ellipse, style=filled, fillcolor="#e3f2fd"',
  binding: 'shape=box, style=filled, fillcolor="#fff8e1"',
  role: 'shape=box, style="filled,rounded", fillcolor="#e8f5e9"',
  permission: 'shape=note, style=filled, fillcolor="#f5f5f5"',
};

const MISSING = 'shape=box, style="filled,dashed", fillcolor="#ffebee", color="#c62828"';

/** Quotes a string as a DOT ID (control and bidi characters shown as escapes, then backslashes and double quotes escaped). */
export function dotString(text: string): string {
  return `"${terminalText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Renders the graph as a `digraph rbac`; ends in a newline. */
export function renderDot(graph: RbacGraph): string {
  const lines = ['digraph rbac {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
  for (const n of graph.nodes) lines.push(`  ${n.id} [label=${dotString(n.label)}, ${n.missing ? MISSING : SHAPES[n.kind]}];`);
  for (const e of graph.edges) lines.push(`  ${e.from} -> ${e.to};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
