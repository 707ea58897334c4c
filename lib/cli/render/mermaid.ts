/** The RBAC graph as a Mermaid flowchart (left to right), for READMEs and pull requests. */
import { RbacGraph } from '../../rbac/views/graph';
import { terminalText } from './terminal-text';

const CLASSES = [
  'classDef subject fill:#e3f2fd,stroke:#1565c0',
  'classDef binding fill:#fff8e1,stroke:#f9a825',
  'classDef role fill:#e8f5e9,stroke:#2e7d32',
  'classDef permission fill:#f5f5f5,stroke:#616161',
  'classDef missing fill:#ffebee,stroke:#c62828,stroke-dasharray:4 2',
];

const ENTITY_CODES: Readonly<Record<string, string>> = { '#': '#35;', '"': '#quot;', '<': '#60;', '>': '#62;', '&': '#38;' };

/**
 * Escapes a label for a quoted Mermaid node text: control and bidi characters shown as escapes;
 * `#` and `"` (Mermaid syntax) and `<`, `>` and `&` (markup, where a renderer allows HTML labels)
 * as Mermaid entity codes, which render as the characters themselves.
 */
export function mermaidLabel(text: string): string {
  return terminalText(text).replace(/[#"<>&]/g, (c) => ENTITY_CODES[c]);
}

/** Renders the graph as `flowchart LR` with one class per node kind; ends in a newline. */
export function renderMermaid(graph: RbacGraph): string {
  const lines = ['flowchart LR'];
  for (const n of graph.nodes) lines.push(`  ${n.id}["${mermaidLabel(n.label)}"]`);
  for (const e of graph.edges) lines.push(`  ${e.from} --> ${e.to}`);
  lines.push(...CLASSES.map((c) => `  ${c}`));
  const byClass = new Map<string, string[]>();
  for (const n of graph.nodes) {
    const cls = n.missing ? 'missing' : n.kind;
    const ids = byClass.get(cls);
    if (ids === undefined) byClass.set(cls, [n.id]);
    else ids.push(n.id);
  }
  for (const [cls, ids] of byClass) lines.push(`  class ${ids.join(',')} ${cls}`);
  return `${lines.join('\n')}\n`;
}
