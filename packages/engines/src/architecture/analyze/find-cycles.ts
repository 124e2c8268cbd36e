import { DirectedGraph } from 'graphology';
import { stronglyConnectedComponents } from 'graphology-components';
import type { DependencyCycle, ModuleDependency } from './architecture-report.ts';

/**
 * The dependency cycles: strongly connected components (graphology-components, Tarjan) with more than one
 * module, or a module depending on itself. For each, the closing edges are a minimal set whose removal leaves
 * the component acyclic, chosen so the cuts are the lighter imports (see `closingEdgesOf`). Marks `inCycle`
 * on the dependencies inside a cycle.
 *
 * @example findCycles(['a', 'b'], [{ from: 'a', to: 'b', ... }, { from: 'b', to: 'a', ... }])[0].modules // => ['a', 'b']
 */
export function findCycles(
  moduleIds: Iterable<string>,
  dependencies: ModuleDependency[],
  options: { greedyEdgeLimit?: number } = {},
): DependencyCycle[] {
  const graph = new DirectedGraph({ allowSelfLoops: true });
  for (const id of moduleIds) graph.mergeNode(id);
  for (const dependency of dependencies) {
    graph.mergeNode(dependency.from);
    graph.mergeNode(dependency.to);
    graph.mergeEdge(dependency.from, dependency.to);
  }
  const cycles: DependencyCycle[] = [];
  for (const component of stronglyConnectedComponents(graph)) {
    const members = new Set(component);
    const internal = dependencies.filter((edge) => members.has(edge.from) && members.has(edge.to));
    if (component.length === 1 && internal.length === 0) continue;
    for (const edge of internal) edge.inCycle = true;
    cycles.push({
      modules: [...component].sort(),
      edges: internal.map(({ from, to, weight }) => ({ from, to, weight })),
      closingEdges: closingEdgesOf(internal, options.greedyEdgeLimit ?? greedyClosingEdgeLimit).map(
        (edge) => ({
          from: edge.from,
          to: edge.to,
          weight: edge.weight,
          imports: edge.imports,
        }),
      ),
    });
  }
  return cycles.sort(
    (left, right) =>
      right.modules.length - left.modules.length || left.modules[0]!.localeCompare(right.modules[0]!),
  );
}

/**
 * Above this many edges inside one component the greedy search (a reachability check per edge) gets slow, so
 * the closing edges come from one depth-first search instead.
 */
export const greedyClosingEdgeLimit = 5_000;

/**
 * A minimal set of edges whose removal leaves the component acyclic. Edges are kept in order (run-time before
 * type-only, heavier first, then from the module with the most outgoing over incoming weight, then by name so
 * results are stable) unless they would close a cycle with the edges already kept; the rejected ones close the
 * cycles. Minimal: each rejected edge alone, put back, closes a cycle. Not guaranteed minimum (the
 * minimum feedback arc set is NP-hard), but the proposed cuts are the lighter imports.
 */
function closingEdgesOf(internal: ModuleDependency[], greedyEdgeLimit: number): ModuleDependency[] {
  if (internal.length > greedyEdgeLimit) return depthFirstBackEdges(internal);
  // Out-weight minus in-weight inside the component: sources of the cycle tend to sit high in the layering,
  // so their edges are kept first (the ordering idea of Eades, Lin and Smyth's feedback-arc-set heuristic).
  const balance = new Map<string, number>();
  for (const edge of internal) {
    balance.set(edge.from, (balance.get(edge.from) ?? 0) + edge.weight);
    balance.set(edge.to, (balance.get(edge.to) ?? 0) - edge.weight);
  }
  const ordered = [...internal].sort(
    (left, right) =>
      Number(left.typeOnly) - Number(right.typeOnly) ||
      right.weight - left.weight ||
      (balance.get(right.from) ?? 0) - (balance.get(left.from) ?? 0) ||
      left.from.localeCompare(right.from) ||
      left.to.localeCompare(right.to),
  );
  const kept = new Map<string, string[]>();
  const reaches = (source: string, target: string): boolean => {
    const seen = new Set([source]);
    const queue = [source];
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (node === target) return true;
      for (const next of kept.get(node) ?? [])
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
    }
    return false;
  };
  const closing: ModuleDependency[] = [];
  for (const edge of ordered) {
    if (reaches(edge.to, edge.from)) closing.push(edge);
    else kept.set(edge.from, [...(kept.get(edge.from) ?? []), edge.to]);
  }
  return closing;
}

/**
 * Back edges of an iterative depth-first search following heavier edges first (iterative: components can be
 * thousands of modules deep). A graph is acyclic exactly when a DFS finds no back edge, so removing them works.
 */
function depthFirstBackEdges(internal: ModuleDependency[]): ModuleDependency[] {
  const outgoing = new Map<string, ModuleDependency[]>();
  for (const edge of internal) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
  for (const list of outgoing.values())
    list.sort((left, right) => right.weight - left.weight || left.to.localeCompare(right.to));
  const state = new Map<string, 'open' | 'done'>();
  const result: ModuleDependency[] = [];
  const stack: { node: string; edges: ModuleDependency[]; next: number }[] = [];
  const open = (node: string) => {
    state.set(node, 'open');
    stack.push({ node, edges: outgoing.get(node) ?? [], next: 0 });
  };
  // Every member is reachable from any other in a component, so one root visits them all.
  open(internal[0]!.from);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const edge = frame.edges[frame.next++];
    if (edge === undefined) {
      state.set(frame.node, 'done');
      stack.pop();
      continue;
    }
    const targetState = state.get(edge.to);
    if (targetState === 'open') result.push(edge);
    else if (targetState === undefined) open(edge.to);
  }
  return result;
}
