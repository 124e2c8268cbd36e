/**
 * The type names a declaration head gives a variable, in the spellings of the supported languages:
 * `orders: OrderService` (TypeScript, Python), `OrderService orders` (Java), `orders *OrderService` (Go,
 * including a method receiver `func (s *Store)`). Generic arguments and qualifiers are dropped to the last name
 * (`List<Order>` → `List`, `pkg.Store` → `Store`); several matches are all returned, nearest first.
 *
 * @example declaredTypeNames('place(orders: OrderService, id: string)', 'orders') // => ['OrderService']
 */
export function declaredTypeNames(signature: string, variable: string): string[] {
  if (!signature.includes(variable)) return [];
  const found: string[] = [];
  for (const pattern of patternsFor(variable)) {
    for (const match of signature.matchAll(pattern)) {
      const typeName = match[1]?.split('.').at(-1);
      if (typeName !== undefined && !notTypes.has(typeName) && !found.includes(typeName))
        found.push(typeName);
    }
  }
  return found;
}

/**
 * Compiled patterns by variable name. A graph build asks about the same few thousand receivers hundreds of
 * thousands of times, and compiling four expressions per call was most of its time. `matchAll` copies a
 * global expression before using it, so sharing one instance keeps no `lastIndex` state between calls.
 */
const patternsByVariable = new Map<string, readonly RegExp[]>();
/** Bounds the cache for long-lived processes that index many repositories. */
const maxCachedVariables = 20_000;

function patternsFor(variable: string): readonly RegExp[] {
  let patterns = patternsByVariable.get(variable);
  if (patterns !== undefined) return patterns;
  const name = variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  patterns = [
    new RegExp(`(?:^|[^\\w.])${name}\\s*[?!]?\\s*:\\s*(?:readonly\\s+)?([A-Za-z_$][\\w$.]*)`, 'g'),
    new RegExp(`([A-Za-z_$][\\w$.]*)(?:<[^()]*?>)?(?:\\[\\])?\\s+${name}(?![\\w$])`, 'g'),
    new RegExp(`(?:^|[^\\w.])${name}\\s+\\*?(?:\\[\\])?([A-Za-z_][\\w.]*)`, 'g'),
    // An initialised field or variable: `orders = new OrderService()`.
    new RegExp(`(?:^|[^\\w.])${name}\\s*=\\s*new\\s+([A-Za-z_$][\\w$.]*)`, 'g'),
  ];
  if (patternsByVariable.size >= maxCachedVariables) patternsByVariable.clear();
  patternsByVariable.set(variable, patterns);
  return patterns;
}

/**
 * Class names a variable's own name suggests, for receivers with no declared type: `orderService` and
 * `order_service` → `OrderService`, `_repo` → `Repo`.
 *
 * @example conventionalTypeNames('order_service') // => ['OrderService']
 */
export function conventionalTypeNames(variable: string): string[] {
  const bare = variable.replace(/^[_$]+/, '');
  if (!/^[A-Za-z][\w]*$/.test(bare)) return [];
  const camel = bare.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
  const upper = camel.charAt(0).toUpperCase() + camel.slice(1);
  return upper === bare ? [] : [upper];
}

/** Words the patterns can catch that are never a user's type. */
const notTypes = new Set([
  'const',
  'let',
  'var',
  'final',
  'private',
  'public',
  'protected',
  'static',
  'readonly',
  'return',
  'new',
  'func',
  'def',
  'async',
  'await',
  'in',
  'of',
]);
