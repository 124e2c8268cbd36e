import { distance } from 'fastest-levenshtein';
import type { CodeGraph, GraphDefinition } from '../code-graph.ts';

/** What a name given to `explain` turned out to be. */
export type ExplainTarget =
  | { kind: 'definition'; definition: GraphDefinition }
  | { kind: 'file'; path: string }
  | { kind: 'folder'; path: string; files: string[] };

export interface ResolvedTarget {
  /** The single best match, or undefined when nothing matched or several matched equally well. */
  target?: ExplainTarget;
  /** Other plausible matches, best first (at most 10): the list shown when the name is ambiguous or unknown. */
  candidates: { id: string; kind: string; path: string; line: number; score: number }[];
}

/**
 * Resolves what a user typed (`TransactionProcessor`, `billing.InvoiceService.issue`, `src/orders/`,
 * `src/orders/checkout.ts`, `src/orders/checkout.ts#CheckoutService`) to a definition, file or folder.
 * Exact names beat case-insensitive ones, which beat suffixes and then fuzzy matches; among equals, types beat
 * members, exported beats internal and source beats tests. Equal best scores are ambiguous.
 *
 * @example resolveTarget(graph, 'CheckoutService').target?.kind // => 'definition'
 */
export function resolveTarget(graph: CodeGraph, query: string): ResolvedTarget {
  const text = query.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (text === '') return { candidates: [] };

  const exact = graph.definitions.get(text);
  if (exact) return { target: { kind: 'definition', definition: exact }, candidates: [] };
  const fileQuery = text.replace(/\/$/, '');
  if (graph.files.has(fileQuery)) return { target: { kind: 'file', path: fileQuery }, candidates: [] };
  const folderFiles = [...graph.files.keys()].filter((path) => path.startsWith(`${fileQuery}/`));
  if (folderFiles.length > 0 && !/[A-Z]/.test(fileQuery.split('/').pop() ?? '')) {
    return { target: { kind: 'folder', path: fileQuery, files: folderFiles.sort() }, candidates: [] };
  }
  const fileSuffix = [...graph.files.keys()].filter((path) => path.endsWith(`/${fileQuery}`));
  if (fileSuffix.length === 1) return { target: { kind: 'file', path: fileSuffix[0]! }, candidates: [] };

  const scored = scoreDefinitions(graph, text);
  if (scored.length === 0) return { candidates: [] };
  const best = scored[0]!;
  const tied = scored.filter((entry) => entry.score === best.score);
  const candidates = scored.slice(0, 10).map(({ definition, score }) => ({
    id: definition.id,
    kind: definition.kind,
    path: definition.path,
    line: definition.range.line,
    score,
  }));
  if (tied.length > 1 || best.score < fuzzyFloor) return { candidates };
  return { target: { kind: 'definition', definition: best.definition }, candidates: candidates.slice(1) };
}

function qualifiedMatch(definition: GraphDefinition, dotted: string): boolean {
  if (definition.qualifiedName === dotted) return true;
  const full = `${definition.path.replace(/\.[^.]+$/, '').replace(/\//g, '.')}.${definition.qualifiedName}`;
  return full === dotted || full.endsWith(`.${dotted}`);
}

/** Scores below this are suggestions only, never picked on their own. */
const fuzzyFloor = 40;

function scoreDefinitions(graph: CodeGraph, text: string): { definition: GraphDefinition; score: number }[] {
  const lower = text.toLowerCase();
  const lastSegment = text.split(/[.#:]/).pop() ?? text;
  const qualified = text.includes('.') || text.includes('::');
  const dotted = text.replace(/::/g, '.');
  const results: { definition: GraphDefinition; score: number }[] = [];
  // An exact name outranks every other kind of match: with exact matches, nothing else needs scoring. A
  // qualified name (`Class.method`) can only match exactly among definitions named like its last segment.
  const exact = qualified
    ? graph.byName(lastSegment).filter((definition) => qualifiedMatch(definition, dotted))
    : graph.byName(text);
  for (const definition of exact.length > 0 ? exact : graph.definitions.values()) {
    let score = 0;
    if (qualified) {
      const full = `${definition.path.replace(/\.[^.]+$/, '').replace(/\//g, '.')}.${definition.qualifiedName}`;
      if (definition.qualifiedName === dotted) score = 100;
      else if (full.endsWith(`.${dotted}`) || full === dotted) score = 95;
      else if (definition.qualifiedName.toLowerCase() === dotted.toLowerCase()) score = 85;
    }
    if (score === 0) {
      if (definition.name === lastSegment && !qualified) score = 90;
      else if (definition.name.toLowerCase() === lower) score = 80;
      else if (definition.name.toLowerCase().startsWith(lower) && lower.length >= 3) score = 60;
      else if (lower.length >= 4) {
        const gap = distance(definition.name.toLowerCase(), lower);
        if (gap <= Math.max(1, Math.floor(lower.length / 4))) score = 50 - gap;
        else if (definition.name.toLowerCase().includes(lower)) score = 35;
      }
    }
    if (score === 0) continue;
    score += tieBreak(definition, graph);
    results.push({ definition, score });
  }
  return results.sort(
    (left, right) => right.score - left.score || left.definition.id.localeCompare(right.definition.id),
  );
}

/** Small bonuses (under 1 point in total) that separate otherwise equal matches without outranking a better kind of match. */
function tieBreak(definition: GraphDefinition, graph: CodeGraph): number {
  let bonus = 0;
  if (['class', 'interface', 'enum', 'type', 'function', 'module'].includes(definition.kind)) bonus += 0.4;
  if (definition.exported) bonus += 0.2;
  if (!graph.files.get(definition.path)?.isTest) bonus += 0.2;
  return bonus;
}
