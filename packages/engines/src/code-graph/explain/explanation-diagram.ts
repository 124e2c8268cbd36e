import type { ExplainedUnit, Relation } from './explain-target.ts';

/**
 * A Mermaid flowchart of a target's neighbourhood: dependents on the left, dependencies on the right, edges
 * labelled with how the code uses them.
 *
 * @example explanationDiagram(target, dependencies, dependents).startsWith('flowchart LR') // => true
 */
export function explanationDiagram(
  target: ExplainedUnit,
  dependencies: Relation[],
  dependents: Relation[],
): string {
  const lines = ['flowchart LR'];
  const ids = new Map<string, string>();
  const node = (unit: ExplainedUnit, shape: 'target' | 'other'): string => {
    let id = ids.get(unit.id);
    if (id === undefined) {
      id = `n${ids.size}`;
      ids.set(unit.id, id);
      const label = escapeLabel(unit.kind === 'module' ? unit.path : unit.name);
      lines.push(shape === 'target' ? `  ${id}[["${label}"]]` : `  ${id}["${label}"]`);
    }
    return id;
  };
  const center = node(target, 'target');
  for (const relation of dependents)
    lines.push(`  ${node(relation.unit, 'other')} -->|${edgeLabel(relation)}| ${center}`);
  for (const relation of dependencies)
    lines.push(`  ${center} -->|${edgeLabel(relation)}| ${node(relation.unit, 'other')}`);
  lines.push(`  style ${center} stroke-width:3px`);
  return lines.join('\n');
}

function edgeLabel(relation: Relation): string {
  const kinds = relation.kinds.length > 0 ? relation.kinds.join('/') : 'imports';
  return escapeLabel(relation.count > 1 ? `${kinds} x${relation.count}` : kinds);
}

/** Mermaid labels are quoted; quotes and pipes inside them break the parser, so they become entities. */
function escapeLabel(text: string): string {
  return text
    .replace(/"/g, '#quot;')
    .replace(/\|/g, '#124;')
    .replace(/[<>]/g, (character) => (character === '<' ? '#lt;' : '#gt;'));
}
