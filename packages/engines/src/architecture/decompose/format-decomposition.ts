import type { DecompositionResult } from './decompose.ts';

/**
 * A proposed decomposition as text: each service with its members, public interface and tables, the shared
 * kernel, the number of cut edges by service pair, and the quality metrics.
 *
 * @example formatDecomposition(result).includes('Metrics:') // => true
 */
export function formatDecomposition(result: DecompositionResult, options: { members?: number } = {}): string {
  const shown = options.members ?? 12;
  const out = [
    `${result.services.length} services proposed (${result.method}${result.resolution === undefined ? '' : `, resolution ${result.resolution.toFixed(2)}`}).`,
  ];
  for (const service of result.services) {
    out.push('', `${service.name} (${service.members.length} units)`);
    for (const member of service.members.slice(0, shown)) out.push(`  ${member}`);
    if (service.members.length > shown) out.push(`  ... ${service.members.length - shown} more`);
    if (service.publicInterface.length > 0)
      out.push(
        `  interface: ${service.publicInterface.map((entry) => entry.unit.split('#').pop()).join(', ')}`,
      );
    if (service.tables.owned.length > 0) out.push(`  owns tables: ${service.tables.owned.join(', ')}`);
    if (service.tables.shared.length > 0) out.push(`  shares tables: ${service.tables.shared.join(', ')}`);
  }
  if (result.shared.length > 0) {
    out.push('', 'Shared kernel (used across services; keep as a library or give it an owner):');
    for (const unit of result.shared)
      out.push(`  ${unit.unit} (used by ${unit.fanIn}, ${unit.communities} services)`);
  }
  const pairs = new Map<string, number>();
  for (const edge of result.cutEdges) {
    const key = `${edge.fromService} -> ${edge.toService}`;
    pairs.set(key, (pairs.get(key) ?? 0) + edge.count);
  }
  if (pairs.size > 0) {
    out.push('', `Cut edges (${result.cutEdges.length}; calls that become API calls or events):`);
    for (const [pair, count] of [...pairs].sort((left, right) => right[1] - left[1]))
      out.push(`  ${pair}: ${count}`);
  }
  const metrics = result.metrics;
  out.push(
    '',
    `Metrics: SM ${metrics.sm.toFixed(3)} (higher is better), ICP ${metrics.icp.toFixed(3)} (lower), IFN ${metrics.ifn.toFixed(2)} (lower), NED ${metrics.ned.toFixed(2)} (higher)${metrics.bcp === undefined ? '' : `, BCP ${metrics.bcp.toFixed(3)} (lower)`}`,
  );
  for (const warning of result.warnings) out.push(`warning: ${warning}`);
  return out.join('\n');
}
