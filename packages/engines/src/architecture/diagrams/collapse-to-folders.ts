import { defaultNodeLimit, type DiagramEdge, type DiagramGraph, type DiagramNode } from './diagram-graph.ts';

/** A graph with its nodes as objects, ready to write out. */
export interface NormalizedDiagram {
  nodes: DiagramNode[];
  edges: DiagramEdge[];
}

/** The first `depth` folders of a path id (`src/ui/pages/home.tsx` at 2 → `src/ui`); other ids stay. */
function truncate(id: string, depth: number): string {
  const segments = id.split('/');
  return segments.length <= depth ? id : segments.slice(0, depth).join('/');
}

function merge(
  nodes: DiagramNode[],
  edges: readonly DiagramEdge[],
  map: (id: string) => string,
): NormalizedDiagram {
  const mergedNodes = new Map<string, DiagramNode>();
  for (const node of nodes) {
    const id = map(node.id);
    if (!mergedNodes.has(id)) mergedNodes.set(id, id === node.id ? node : { id });
  }
  const mergedEdges = new Map<string, DiagramEdge>();
  for (const edge of edges) {
    const from = map(edge.from);
    const to = map(edge.to);
    // Edges inside one collapsed folder disappear; a real self-dependency is kept.
    if (from === to && edge.from !== edge.to) continue;
    for (const id of [from, to]) if (!mergedNodes.has(id)) mergedNodes.set(id, { id });
    const key = `${from}\0${to}`;
    const existing = mergedEdges.get(key);
    if (existing === undefined)
      mergedEdges.set(key, {
        from,
        to,
        weight: edge.weight ?? 1,
        typeOnly: edge.typeOnly ?? false,
        inCycle: edge.inCycle ?? false,
      });
    else {
      existing.weight = (existing.weight ?? 1) + (edge.weight ?? 1);
      existing.typeOnly = (existing.typeOnly ?? false) && (edge.typeOnly ?? false);
      existing.inCycle = (existing.inCycle ?? false) || (edge.inCycle ?? false);
    }
  }
  return { nodes: [...mergedNodes.values()], edges: [...mergedEdges.values()] };
}

/**
 * The graph with string nodes made objects and, when it has more nodes than the limit, path ids collapsed to
 * their folders at the deepest level that fits (edges merged: weights summed, type-only only if all were,
 * in a cycle if any was). A diagram of thousands of boxes is unreadable and slow to lay out.
 *
 * @example collapseToFolders({ nodes: ['a/x.ts', 'a/y.ts', 'b/z.ts'], edges: [] }, { nodeLimit: 2 }).diagram.nodes.map((node) => node.id) // => ['a', 'b']
 */
export function collapseToFolders(
  graph: DiagramGraph,
  options: { nodeLimit?: number | undefined } = {},
): { diagram: NormalizedDiagram; warnings: string[] } {
  const nodeLimit = options.nodeLimit ?? defaultNodeLimit;
  const nodes = graph.nodes.map((node) => (typeof node === 'string' ? { id: node } : node));
  const identity = merge(nodes, graph.edges, (id) => id);
  if (identity.nodes.length <= nodeLimit) return { diagram: identity, warnings: [] };
  const deepest = Math.max(...identity.nodes.map((node) => node.id.split('/').length));
  let collapsed = identity;
  let depth = deepest - 1;
  for (; depth >= 1; depth--) {
    collapsed = merge(identity.nodes, identity.edges, (id) => truncate(id, depth));
    if (collapsed.nodes.length <= nodeLimit) break;
  }
  const warnings = [
    `The graph has ${identity.nodes.length} nodes, more than the limit of ${nodeLimit}: collapsed to folders ${Math.max(depth, 1)} level(s) deep (${collapsed.nodes.length} nodes).`,
  ];
  if (collapsed.nodes.length > nodeLimit)
    warnings.push(
      `Still ${collapsed.nodes.length} nodes after collapsing to top-level folders; the diagram may be hard to read.`,
    );
  return { diagram: collapsed, warnings };
}
