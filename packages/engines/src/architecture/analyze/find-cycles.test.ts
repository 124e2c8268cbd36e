import { describe, expect, it } from 'vitest';
import type { ModuleDependency } from './architecture-report.ts';
import { findCycles } from './find-cycles.ts';

const edge = (from: string, to: string, weight = 1): ModuleDependency => ({
  from,
  to,
  weight,
  typeOnly: false,
  inCycle: false,
  imports: [],
});

/** Whether the edges left after removing `cut` still contain a cycle (Kahn's algorithm). */
function hasCycle(edges: ModuleDependency[], cut: { from: string; to: string }[]): boolean {
  const removed = new Set(cut.map(({ from, to }) => `${from}>${to}`));
  const kept = edges.filter(({ from, to }) => !removed.has(`${from}>${to}`));
  const nodes = new Set(kept.flatMap(({ from, to }) => [from, to]));
  const indegree = new Map([...nodes].map((node) => [node, 0]));
  for (const { to } of kept) indegree.set(to, indegree.get(to)! + 1);
  const queue = [...nodes].filter((node) => indegree.get(node) === 0);
  let visited = 0;
  while (queue.length > 0) {
    const node = queue.pop()!;
    visited++;
    for (const next of kept.filter(({ from }) => from === node)) {
      indegree.set(next.to, indegree.get(next.to)! - 1);
      if (indegree.get(next.to) === 0) queue.push(next.to);
    }
  }
  return visited < nodes.size;
}

describe('findCycles', () => {
  // Two cycles sharing a, plus a self-import and an acyclic tail.
  const edges = [
    edge('a', 'b', 3),
    edge('b', 'c', 2),
    edge('c', 'a', 1),
    edge('b', 'a', 1),
    edge('x', 'x'),
    edge('c', 'tail'),
  ];

  it('finds each strongly connected component, a self-import included, and marks its edges', () => {
    const dependencies = edges.map((dependency) => ({ ...dependency }));
    const cycles = findCycles(['a', 'b', 'c', 'x', 'tail', 'lonely'], dependencies);
    expect(cycles.map((cycle) => cycle.modules)).toEqual([['a', 'b', 'c'], ['x']]);
    expect(dependencies.filter((dependency) => dependency.inCycle)).toHaveLength(5);
  });

  it('proposes closing edges that break every cycle, with the greedy order and the depth-first fallback', () => {
    for (const greedyEdgeLimit of [5_000, 0]) {
      const dependencies = edges.map((dependency) => ({ ...dependency }));
      const [component] = findCycles(['a', 'b', 'c'], dependencies, { greedyEdgeLimit });
      const internal = dependencies.filter((dependency) => dependency.inCycle && dependency.from !== 'x');
      expect(hasCycle(internal, [])).toBe(true);
      expect(hasCycle(internal, component!.closingEdges)).toBe(false);
    }
    const [greedy] = findCycles(
      [],
      edges.map((dependency) => ({ ...dependency })),
    );
    expect(greedy!.closingEdges.map(({ from, to }) => `${from}->${to}`)).toEqual(['b->a', 'c->a']);
  });
});
