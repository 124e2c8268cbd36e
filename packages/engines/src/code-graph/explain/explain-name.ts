import { PlumbError } from '@plumb/protocol';
import type { CodeGraph } from '../code-graph.ts';
import { explainTarget, type ExplainOptions, type Explanation } from './explain-target.ts';
import { resolveTarget } from './resolve-target.ts';

/**
 * Resolves a name and explains it: the one call behind `plumb explain`, `POST /v3/explain` and the model's
 * explain tool. An unknown name is `symbol_not_found` and an ambiguous one `symbol_ambiguous`; both messages
 * list the closest candidates by id, which can be passed back as the name.
 *
 * @example explainName(graph, 'CheckoutService').target.path // => 'src/orders/checkout-service.ts'
 */
export function explainName(graph: CodeGraph, name: string, options: ExplainOptions = {}): Explanation {
  const resolved = resolveTarget(graph, name);
  if (resolved.target) return explainTarget(graph, resolved.target, options);
  const listed = resolved.candidates
    .slice(0, 8)
    .map((candidate) => `${candidate.id} (${candidate.kind}, ${candidate.path}:${candidate.line})`)
    .join('; ');
  if (resolved.candidates.length === 0 || resolved.candidates[0]!.score < 40)
    throw new PlumbError(
      'symbol_not_found',
      `Nothing named "${name.slice(0, 200)}" in the ${graph.files.size} indexed files.${listed ? ` Closest: ${listed}.` : ''} Give a symbol, a qualified name (Class.method), a file path or a folder.`,
      { param: 'target' },
    );
  throw new PlumbError(
    'symbol_ambiguous',
    `"${name.slice(0, 200)}" matches several definitions equally well: ${listed}. Pass one of these ids, or a qualified name.`,
    { param: 'target' },
  );
}
