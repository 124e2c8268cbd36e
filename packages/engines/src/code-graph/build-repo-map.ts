import type { CodeGraph, GraphDefinition } from './code-graph.ts';
import { personalizedPageRank } from './personalized-page-rank.ts';

export interface BuildRepoMapOptions {
  graph: CodeGraph;
  /** Files the conversation is about: the ranking restarts at them, and their references weigh more. */
  focusFiles?: readonly string[];
  /** Identifiers mentioned in the conversation: definitions with these names weigh more. */
  focusIdentifiers?: readonly string[];
  /** The most tokens the map may take (estimated as characters / 4). */
  tokenBudget: number;
}

export interface RepoMap {
  text: string;
  /** Estimated tokens of `text`. */
  tokens: number;
  /** The definitions shown, most important first. */
  definitions: { id: string; rank: number }[];
  /** How many ranked definitions did not fit the budget. */
  omitted: number;
}

const maxSignatureLength = 160;

/**
 * A repository map for a model's context, the way Aider builds one: files are nodes, a reference from one file
 * to a definition in another is an edge (weighted by the square root of its count and its confidence, ×10 for
 * a focus identifier, ×50 from a focus file, ×0.1 for `_private` names); PageRank personalised to the focus
 * files and identifiers ranks the files, each file's rank flows along its edges to the definitions it uses, and
 * the top definitions are rendered as `path:` followed by their signatures. The number shown is the largest
 * that fits `tokenBudget` (binary search). Ties are broken by id, so the same graph gives the same map.
 *
 * @example
 * buildRepoMap({ graph, focusFiles: ['src/api.ts'], tokenBudget: 1024 }).text
 * // => 'src/orders/order-service.ts:\n  class OrderService\n    place(order: Order): Promise<Receipt>\n...'
 */
export function buildRepoMap(options: BuildRepoMapOptions): RepoMap {
  const { graph } = options;
  const focusFiles = new Set(options.focusFiles ?? []);
  const focusIdentifiers = new Set(options.focusIdentifiers ?? []);
  const paths = [...graph.files.keys()].sort();
  const fileIndex = new Map(paths.map((path, index) => [path, index]));

  // One weighted edge per (referencing file, used definition); file-to-file edges for PageRank sum them.
  const definitionEdges: { from: number; to: GraphDefinition; weight: number }[] = [];
  const fileEdges = new Map<string, { from: number; to: number; weight: number }>();
  for (const edge of graph.edges) {
    const target = graph.definitions.get(edge.to);
    const fromPath = edge.from.slice(0, edge.from.indexOf('#'));
    const from = fileIndex.get(fromPath);
    const to = target === undefined ? undefined : fileIndex.get(target.path);
    if (target === undefined || from === undefined || to === undefined || from === to) continue;
    let weight = Math.sqrt(edge.count) * edge.confidence;
    if (focusIdentifiers.has(target.name)) weight *= 10;
    if (target.name.startsWith('_')) weight *= 0.1;
    if (focusFiles.has(fromPath)) weight *= 50;
    definitionEdges.push({ from, to: target, weight });
    const key = `${from}:${to}`;
    const fileEdge = fileEdges.get(key);
    if (fileEdge === undefined) fileEdges.set(key, { from, to, weight });
    else fileEdge.weight += weight;
  }

  const personalization = paths.map((path) => (focusFiles.has(path) ? 1 : 0));
  for (const definition of graph.definitions.values()) {
    const index = fileIndex.get(definition.path);
    if (index !== undefined && focusIdentifiers.has(definition.name)) personalization[index] = 1;
  }
  const hasFocus = personalization.some((value) => value > 0);
  const fileRanks = personalizedPageRank(
    paths.length,
    [...fileEdges.values()],
    hasFocus ? personalization : undefined,
  );

  const outWeight = new Array<number>(paths.length).fill(0);
  for (const edge of definitionEdges) outWeight[edge.from] = (outWeight[edge.from] ?? 0) + edge.weight;
  const ranks = new Map<string, number>();
  for (const edge of definitionEdges) {
    const share = ((fileRanks[edge.from] ?? 0) * edge.weight) / (outWeight[edge.from] ?? 1);
    ranks.set(edge.to.id, (ranks.get(edge.to.id) ?? 0) + share);
  }
  const ranked: { definition: GraphDefinition; rank: number }[] = [];
  for (const definition of graph.definitions.values()) {
    if (!isMapWorthy(graph, definition)) continue;
    // Unreferenced definitions still order by their file's importance, far below any referenced one.
    const fileRank = fileRanks[fileIndex.get(definition.path) ?? -1] ?? 0;
    let rank = ranks.get(definition.id) ?? fileRank * 1e-3;
    if (focusIdentifiers.has(definition.name)) rank += 1;
    ranked.push({ definition, rank });
  }
  ranked.sort((left, right) => right.rank - left.rank || (left.definition.id < right.definition.id ? -1 : 1));

  const render = (count: number): string => renderMap(graph, ranked.slice(0, count));
  let low = 0;
  // Every shown definition adds a line of at least four characters, so more than `tokenBudget` never fit.
  let high = Math.min(ranked.length, Math.max(0, Math.floor(options.tokenBudget)));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (estimateTokens(render(middle)) <= options.tokenBudget) low = middle;
    else high = middle - 1;
  }
  const text = render(low);
  return {
    text,
    tokens: estimateTokens(text),
    definitions: ranked.slice(0, low).map((entry) => ({ id: entry.definition.id, rank: entry.rank })),
    omitted: ranked.length - low,
  };
}

/** Tokens as characters / 4, rounded up: close enough for packing, and no tokenizer dependency. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Declarations a reader navigates by: top-level ones and members of classes, not a function's locals. */
function isMapWorthy(graph: CodeGraph, definition: GraphDefinition): boolean {
  if (definition.parent === undefined) return true;
  const parent = graph.definitions.get(definition.parent);
  return parent !== undefined && ['class', 'interface', 'enum', 'type', 'module'].includes(parent.kind);
}

function renderMap(
  graph: CodeGraph,
  chosen: readonly { definition: GraphDefinition; rank: number }[],
): string {
  const byFile = new Map<string, { best: number; shown: Map<string, GraphDefinition> }>();
  for (const { definition, rank } of chosen) {
    let entry = byFile.get(definition.path);
    if (entry === undefined) byFile.set(definition.path, (entry = { best: rank, shown: new Map() }));
    // A member is shown under its class, so the class line comes along as context.
    for (let current: GraphDefinition | undefined = definition; current !== undefined;) {
      entry.shown.set(current.id, current);
      current = current.parent === undefined ? undefined : graph.definitions.get(current.parent);
    }
  }
  const files = [...byFile.entries()].sort(
    ([leftPath, left], [rightPath, right]) => right.best - left.best || (leftPath < rightPath ? -1 : 1),
  );
  const lines: string[] = [];
  for (const [path, { shown }] of files) {
    lines.push(`${path}:`);
    const definitions = [...shown.values()].sort(
      (left, right) => left.range.line - right.range.line || left.range.column - right.range.column,
    );
    for (const definition of definitions) {
      let depth = 1;
      for (let parent = definition.parent; parent !== undefined && shown.has(parent); depth += 1) {
        parent = shown.get(parent)?.parent;
      }
      lines.push(`${'  '.repeat(depth)}${oneLine(definition.signature || definition.name)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function oneLine(signature: string): string {
  const collapsed = signature.replace(/\s+/g, ' ').trim();
  return collapsed.length > maxSignatureLength ? `${collapsed.slice(0, maxSignatureLength - 1)}…` : collapsed;
}
