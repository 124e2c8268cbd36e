import { collapseToFolders } from './collapse-to-folders.ts';
import { cycleColour, type DiagramGraph, type DiagramOptions, type DiagramText } from './diagram-graph.ts';

/** A double-quoted DOT id; backslashes are doubled so `\n`-style escapes in names are not interpreted. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
}

/**
 * Graphviz DOT text (render it with `renderSvg`). Type-only edges are dashed; cycles are drawn in red.
 *
 * @example toDot({ nodes: ['a', 'b'], edges: [{ from: 'a', to: 'b' }] }).text.includes('"a" -> "b"') // => true
 */
export function toDot(graph: DiagramGraph, options: DiagramOptions = {}): DiagramText {
  const { diagram, warnings } = collapseToFolders(graph, options);
  const cycleNodes = new Set<string>();
  for (const edge of diagram.edges) if (edge.inCycle) cycleNodes.add(edge.from).add(edge.to);
  const lines = [
    'digraph architecture {',
    `  rankdir=${options.direction === 'down' ? 'TB' : 'LR'};`,
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9];',
  ];
  for (const node of diagram.nodes) {
    const attributes: string[] = [];
    if (node.label !== undefined && node.label !== node.id) attributes.push(`label=${dotString(node.label)}`);
    if (cycleNodes.has(node.id)) attributes.push(`color="${cycleColour}"`, 'penwidth=2');
    lines.push(`  ${dotString(node.id)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`);
  }
  for (const edge of diagram.edges) {
    const attributes: string[] = [];
    if ((edge.weight ?? 1) > 1) attributes.push(`label="${edge.weight}"`);
    if (edge.inCycle) attributes.push(`color="${cycleColour}"`, 'penwidth=2');
    if (edge.typeOnly) attributes.push('style=dashed');
    lines.push(
      `  ${dotString(edge.from)} -> ${dotString(edge.to)}${attributes.length > 0 ? ` [${attributes.join(', ')}]` : ''};`,
    );
  }
  lines.push('}');
  return { text: `${lines.join('\n')}\n`, warnings };
}
