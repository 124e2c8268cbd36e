import { PlumbError } from '@plumb/protocol';
import { describe, expect, it } from 'vitest';
import { accuracy } from './decomposition-accuracy.ts';
import type { DecompositionEdge, DecompositionGraph, DecompositionUnit } from './decomposition-graph.ts';
import { decompose } from './decompose.ts';

/** Units `folder/Name` in folder `src/<folder>/`, a dense call graph inside each cluster. */
function clusteredGraph(
  clusters: Record<string, string[]>,
  bridges: [string, string, number][] = [],
): DecompositionGraph {
  const units: DecompositionUnit[] = [];
  const edges: DecompositionEdge[] = [];
  const idOf = (name: string) => {
    const folder = Object.entries(clusters).find(([, names]) => names.includes(name))?.[0] ?? 'misc';
    return `src/${folder}/${name}.ts#${name}`;
  };
  for (const [folder, names] of Object.entries(clusters)) {
    for (const name of names)
      units.push({ id: idOf(name), name, kind: 'class', path: `src/${folder}/${name}.ts` });
    names.forEach((from, index) => {
      // A ring plus chords: every unit calls the next two of its cluster.
      for (const step of [1, 2]) {
        const to = names[(index + step) % names.length]!;
        if (to !== from) edges.push({ from: idOf(from), to: idOf(to), kind: 'call', count: 3, weight: 3 });
      }
    });
  }
  for (const [from, to, count] of bridges)
    edges.push({ from: idOf(from), to: idOf(to), kind: 'call', count, weight: count });
  return { units, edges, tableUses: [], warnings: [] };
}

function expectedOf(graph: DecompositionGraph): Record<string, string> {
  return Object.fromEntries(graph.units.map((unit) => [unit.id, unit.path.split('/')[1]!]));
}

const orders = ['Order', 'OrderLine', 'OrderService', 'OrderRepository', 'Cart', 'Checkout'];
const billing = ['Invoice', 'InvoiceLine', 'BillingService', 'Payment', 'PaymentGateway', 'Refund'];
const catalog = ['Product', 'ProductService', 'Category', 'PriceList', 'Stock', 'StockRepository'];

describe('decompose', () => {
  it('splits two obvious clusters joined by one edge, reporting that edge as the cut', () => {
    const graph = clusteredGraph({ orders, billing }, [['Checkout', 'BillingService', 1]]);
    const result = decompose({ graph, services: { min: 2, max: 4 } });
    expect(result.services).toHaveLength(2);
    expect(accuracy(result.assignment, expectedOf(graph)).accuracy).toBe(1);
    expect(result.cutEdges).toEqual([
      expect.objectContaining({
        from: 'src/orders/Checkout.ts#Checkout',
        to: 'src/billing/BillingService.ts#BillingService',
        kind: 'call',
      }),
    ]);
    const billingService = result.services.find((service) => service.name === 'billing');
    expect(billingService?.publicInterface.map((entry) => entry.unit)).toEqual([
      'src/billing/BillingService.ts#BillingService',
    ]);
    expect(result.services.map((service) => service.name).sort()).toEqual(['billing', 'orders']);
  });

  it('recovers three clusters with Louvain and with hierarchical clustering', () => {
    const graph = clusteredGraph({ orders, billing, catalog }, [
      ['Checkout', 'BillingService', 1],
      ['OrderLine', 'Product', 1],
    ]);
    for (const method of ['louvain', 'hierarchical'] as const) {
      const result = decompose({ graph, services: 3, method });
      expect(result.services).toHaveLength(3);
      expect(accuracy(result.assignment, expectedOf(graph)).accuracy).toBe(1);
      expect(result.metrics.icp).toBeGreaterThan(0);
      expect(result.metrics.icp).toBeLessThan(0.1);
    }
  });

  it('honours the requested count when it differs from the natural one', () => {
    const graph = clusteredGraph({ orders, billing, catalog }, [['Checkout', 'BillingService', 1]]);
    expect(decompose({ graph, services: 2 }).services).toHaveLength(2);
    expect(decompose({ graph, services: 4 }).services).toHaveLength(4);
    const ranged = decompose({ graph, services: { min: 3, max: 5 } });
    expect(ranged.services.length).toBeGreaterThanOrEqual(3);
    expect(ranged.services.length).toBeLessThanOrEqual(5);
    expect(decompose({ graph, services: 2, method: 'hierarchical' }).services).toHaveLength(2);
  });

  it('is deterministic for a seed, and places a unit tied between two clusters the same way every time', () => {
    const graph = clusteredGraph({ orders, billing, misc: ['Bridge'] }, [
      ['Bridge', 'Order', 2],
      ['Bridge', 'Invoice', 2],
    ]);
    const first = decompose({ graph, services: 2, seed: 42 });
    const second = decompose({ graph, services: 2, seed: 42 });
    expect(second).toEqual(first);
    // The tie breaks towards one side, but the clusters themselves stay intact.
    const withoutBridge = { ...expectedOf(graph) };
    delete withoutBridge['src/misc/Bridge.ts#Bridge'];
    expect(accuracy(first.assignment, withoutBridge).accuracy).toBe(1);
    expect(first.assignment['src/misc/Bridge.ts#Bridge']).toBeDefined();
  });

  it('merges a tiny community into its most connected neighbour', () => {
    const graph = clusteredGraph({ orders, billing, misc: ['Audit', 'AuditLog'] }, [
      ['Audit', 'Invoice', 1],
      ['AuditLog', 'Payment', 1],
      ['Checkout', 'BillingService', 1],
    ]);
    const result = decompose({ graph, services: { min: 2, max: 6 } });
    expect(result.services).toHaveLength(2);
    expect(result.assignment['src/misc/Audit.ts#Audit']).toBe(
      result.assignment['src/billing/Invoice.ts#Invoice'],
    );
    expect(result.assignment['src/misc/AuditLog.ts#AuditLog']).toBe(
      result.assignment['src/billing/Invoice.ts#Invoice'],
    );
  });

  it('does not propose a service made of type declarations only', () => {
    const graph = clusteredGraph({ orders, billing }, [['Checkout', 'BillingService', 1]]);
    const declarations = ['HttpRequest', 'HttpResponse', 'Route'].map(
      (name) => `src/http/${name}.ts#${name}`,
    );
    for (const id of declarations) {
      const name = id.split('#')[1]!;
      graph.units.push({ id, name, kind: 'interface', path: `src/http/${name}.ts` });
    }
    for (const from of declarations) {
      for (const to of declarations)
        if (from !== to) graph.edges.push({ from, to, kind: 'type', count: 5, weight: 5 });
    }
    graph.edges.push({
      from: 'src/orders/Checkout.ts#Checkout',
      to: declarations[0]!,
      kind: 'type',
      count: 1,
      weight: 0.4,
    });
    const result = decompose({ graph, services: { min: 2, max: 3 } });
    expect(result.services).toHaveLength(2);
    expect(result.assignment[declarations[0]!]).toBe('orders');
  });

  it('reports a unit every cluster depends on as shared instead of forcing it into one service', () => {
    const graph = clusteredGraph({ orders, billing, catalog, kernel: ['Money'] });
    for (const name of ['Order', 'Cart', 'Invoice', 'Payment', 'Product', 'PriceList']) {
      const folder = orders.includes(name) ? 'orders' : billing.includes(name) ? 'billing' : 'catalog';
      graph.edges.push({
        from: `src/${folder}/${name}.ts#${name}`,
        to: 'src/kernel/Money.ts#Money',
        kind: 'new',
        count: 2,
        weight: 2,
      });
    }
    const result = decompose({ graph, services: 3 });
    expect(result.shared.map((entry) => entry.unit)).toEqual(['src/kernel/Money.ts#Money']);
    expect(result.assignment['src/kernel/Money.ts#Money']).toBeUndefined();
    expect(result.cutEdges.some((edge) => edge.to.endsWith('#Money'))).toBe(false);
    const forced = decompose({ graph, services: 3, sharedUnits: false });
    expect(forced.shared).toEqual([]);
    expect(forced.assignment['src/kernel/Money.ts#Money']).toBeDefined();
  });

  it('places units without any edge with the units of their folder', () => {
    const graph = clusteredGraph({ orders, billing }, [['Checkout', 'BillingService', 1]]);
    graph.units.push({
      id: 'src/billing/Currency.ts#Currency',
      name: 'Currency',
      kind: 'enum',
      path: 'src/billing/Currency.ts',
    });
    const result = decompose({ graph, services: 2 });
    expect(result.assignment['src/billing/Currency.ts#Currency']).toBe('billing');
    expect(result.warnings.join('\n')).toContain('no dependency');
  });

  it('owns a table used by one service and reports one used by two as shared', () => {
    const graph = clusteredGraph({ orders, billing }, [['Checkout', 'BillingService', 1]]);
    graph.tableUses.push(
      { unit: 'src/orders/OrderRepository.ts#OrderRepository', table: 'orders', operations: ['insert'] },
      { unit: 'src/billing/Invoice.ts#Invoice', table: 'orders', operations: ['select'] },
      { unit: 'src/billing/Invoice.ts#Invoice', table: 'invoices', operations: ['insert'] },
    );
    const result = decompose({ graph, services: 2 });
    const billingService = result.services.find((service) => service.name === 'billing')!;
    expect(billingService.tables).toEqual({ owned: ['invoices'], shared: ['orders'] });
    expect(result.sharedTables).toEqual([{ table: 'orders', services: ['billing', 'orders'] }]);
  });

  it('rejects an impossible service count with invalid_request', () => {
    const graph = clusteredGraph({ orders });
    expect(() => decompose({ graph, services: { min: 4, max: 2 } })).toThrow(PlumbError);
    expect(() => decompose({ graph, services: 0 })).toThrow(/services must be/);
  });
});
