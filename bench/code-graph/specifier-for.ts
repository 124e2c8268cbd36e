import path from 'node:path';
import type { PlannedModule } from './plan-synthetic-repository.ts';

/**
 * How `from` imports `target`: a relative path (`../../orders/core/services/order-service`) or the tsconfig
 * alias (`@app/orders/core/services/order-service`), without extension; a barrel by its folder.
 *
 * @example
 * specifierFor(checkoutApi, orderService, 'relative'); // '../../services/order-service'
 */
export function specifierFor(
  from: PlannedModule,
  target: PlannedModule,
  style: 'relative' | 'alias',
): string {
  const withoutExtension = target.path.replace(/\.ts$/, '').replace(/\/index$/, '');
  if (style === 'alias') return `@app/${withoutExtension.slice('src/'.length)}`;
  const relative = path.posix.relative(path.posix.dirname(from.path), withoutExtension);
  return relative.startsWith('.') ? relative : `./${relative}`;
}
