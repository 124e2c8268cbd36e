import { compareText, type DecompositionUnit } from './decomposition-graph.ts';

/**
 * Names each service after the token that best tells it apart: words of its members' folders (counted
 * twice: the folder layout usually is the intended domain) and of their names and file names, scored by
 * frequency in the service × log(services / services using the word), so words every service has
 * (`service`, `repository`, `src`) lose. Names are unique (`orders`, `orders-2` never; the next best word is
 * tried first).
 *
 * @example
 * nameServices([['src/billing/invoice.ts#Invoice']], units); // ['billing']
 */
export function nameServices(
  services: readonly (readonly string[])[],
  units: ReadonlyMap<string, DecompositionUnit>,
): string[] {
  const allPaths = [...units.values()].map((unit) => unit.path.split('/').slice(0, -1));
  const commonDepth = commonPrefixLength(allPaths);
  const tokenCounts = services.map((members) => {
    const counts = new Map<string, number>();
    const add = (token: string, amount: number) => counts.set(token, (counts.get(token) ?? 0) + amount);
    for (const member of members) {
      const unit = units.get(member);
      if (!unit) continue;
      const segments = unit.path.split('/');
      const folders = segments.slice(commonDepth, -1);
      for (const folder of folders) for (const token of splitWords(folder)) add(token, 2);
      const fileName = (segments.at(-1) ?? '').replace(/\.[^.]+$/, '');
      for (const token of new Set([...splitWords(fileName), ...splitWords(unit.name)])) add(token, 1);
    }
    return counts;
  });
  const serviceFrequency = new Map<string, number>();
  for (const counts of tokenCounts)
    for (const token of counts.keys()) serviceFrequency.set(token, (serviceFrequency.get(token) ?? 0) + 1);
  const used = new Set<string>();
  return tokenCounts.map((counts, index) => {
    const ranked = [...counts]
      .map(([token, count]) => ({
        token,
        score: count * Math.log((services.length + 1) / serviceFrequency.get(token)!),
      }))
      .sort((left, right) => right.score - left.score || compareText(left.token, right.token));
    const choice = ranked.find((candidate) => !used.has(candidate.token))?.token ?? `service-${index + 1}`;
    const name = used.has(choice) ? `${choice}-${index + 1}` : choice;
    used.add(name);
    return name;
  });
}

const ignoredWords: ReadonlySet<string> = new Set([
  'index',
  'main',
  'ts',
  'js',
  'py',
  'java',
  'go',
  'the',
  'and',
  'of',
  'i',
]);

/** `OrderService` / `order_service` / `order-service` → ['order', 'service'], singular forms kept as written. */
function splitWords(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length > 1 && !ignoredWords.has(word) && !/^\d+$/.test(word));
}

function commonPrefixLength(paths: readonly (readonly string[])[]): number {
  if (paths.length === 0) return 0;
  let depth = 0;
  const first = paths[0]!;
  while (depth < first.length && paths.every((path) => path[depth] === first[depth])) depth += 1;
  return depth;
}
