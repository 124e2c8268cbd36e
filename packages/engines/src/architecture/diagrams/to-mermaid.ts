import { collapseToFolders } from './collapse-to-folders.ts';
import { cycleColour, type DiagramGraph, type DiagramOptions, type DiagramText } from './diagram-graph.ts';

/** A label safe inside Mermaid's `["..."]`: quotes and angle brackets as Mermaid entity codes. */
function mermaidLabel(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/**
 * Mermaid flowchart text. Node ids are generated (`n0`, `n1`, ...) so paths and package names never clash with
 * Mermaid syntax; the names are quoted labels. Type-only edges are dashed; cycles are drawn in red.
 *
 * @example toMermaid({ nodes: ['a', 'b'], edges: [{ from: 'a', to: 'b' }] }).text // => 'flowchart LR\n  n0["a"]\n  n1["b"]\n  n0 --> n1\n'
 */
export function toMermaid(graph: DiagramGraph, options: DiagramOptions = {}): DiagramText {
  const { diagram, warnings } = collapseToFolders(graph, options);
  const idOf = new Map(diagram.nodes.map((node, index) => [node.id, `n${index}`]));
  const lines = [`flowchart ${options.direction === 'down' ? 'TD' : 'LR'}`];
  for (const node of diagram.nodes)
    lines.push(`  ${idOf.get(node.id)}["${mermaidLabel(node.label ?? node.id)}"]`);
  const cycleLinks: number[] = [];
  const cycleNodes = new Set<string>();
  diagram.edges.forEach((edge, index) => {
    const arrow = edge.typeOnly ? '-.->' : '-->';
    const label = (edge.weight ?? 1) > 1 ? `|${edge.weight}|` : '';
    lines.push(`  ${idOf.get(edge.from)} ${arrow}${label} ${idOf.get(edge.to)}`);
    if (edge.inCycle) {
      cycleLinks.push(index);
      cycleNodes.add(idOf.get(edge.from)!).add(idOf.get(edge.to)!);
    }
  });
  if (cycleLinks.length > 0) {
    lines.push(`  classDef cycle stroke:${cycleColour},stroke-width:2px`);
    lines.push(`  class ${[...cycleNodes].join(',')} cycle`);
    lines.push(`  linkStyle ${cycleLinks.join(',')} stroke:${cycleColour},stroke-width:2px`);
  }
  return { text: `${lines.join('\n')}\n`, warnings };
}
