import { collapseToFolders } from './collapse-to-folders.ts';
import { cycleColour, type DiagramGraph, type DiagramOptions, type DiagramText } from './diagram-graph.ts';

/** A double-quoted D2 string: quoted keys are literal, so `.` and `/` in paths do not create containers. */
function d2String(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, ' ')}"`;
}

/**
 * D2 diagram text. Nodes are quoted keys (a path like `src/ui` would otherwise be split into containers);
 * type-only edges are dashed; cycles are drawn in red.
 *
 * @example toD2({ nodes: ['a', 'b'], edges: [{ from: 'a', to: 'b' }] }).text // => 'direction: right\n"a"\n"b"\n"a" -> "b"\n'
 */
export function toD2(graph: DiagramGraph, options: DiagramOptions = {}): DiagramText {
  const { diagram, warnings } = collapseToFolders(graph, options);
  const lines = [`direction: ${options.direction ?? 'right'}`];
  const cycleNodes = new Set<string>();
  for (const edge of diagram.edges) if (edge.inCycle) cycleNodes.add(edge.from).add(edge.to);
  for (const node of diagram.nodes) {
    const attributes: string[] = [];
    if (node.label !== undefined && node.label !== node.id) attributes.push(`label: ${d2String(node.label)}`);
    if (cycleNodes.has(node.id)) attributes.push(`style.stroke: "${cycleColour}"`);
    lines.push(
      attributes.length > 0 ? `${d2String(node.id)}: {${attributes.join('; ')}}` : d2String(node.id),
    );
  }
  for (const edge of diagram.edges) {
    const styles: string[] = [];
    if (edge.inCycle) styles.push(`style.stroke: "${cycleColour}"`, 'style.stroke-width: 2');
    if (edge.typeOnly) styles.push('style.stroke-dash: 3');
    const label = (edge.weight ?? 1) > 1 ? `: ${edge.weight}` : styles.length > 0 ? ':' : '';
    const map = styles.length > 0 ? ` {${styles.join('; ')}}` : '';
    lines.push(`${d2String(edge.from)} -> ${d2String(edge.to)}${label}${map}`);
  }
  return { text: `${lines.join('\n')}\n`, warnings };
}
