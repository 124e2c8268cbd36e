import { PlumbError } from '@plumb/protocol';
import { z } from 'zod';
import {
  defaultEdgeKindWeights,
  type DecompositionEdge,
  type DecompositionGraph,
  type DecompositionUnit,
} from './decomposition-graph.ts';

/**
 * A runtime call graph (from a profiler, an APM export or an instrumented test run): who called whom and how
 * often. `from`/`to` name a unit or one of its members: a definition id (`src/orders.ts#OrderService.place`),
 * a qualified name (`OrderService.place`) or a fully qualified one (`com.acme.orders.OrderService.place`).
 */
export const runtimeTraceSchema = z.object({
  calls: z.array(
    z.object({
      from: z.string().min(1),
      to: z.string().min(1),
      count: z.number().int().positive(),
    }),
  ),
});

export type RuntimeTrace = z.infer<typeof runtimeTraceSchema>;

/**
 * Validates a runtime trace (parsed JSON). Throws `PlumbError('invalid_request')` naming the bad field as a
 * dotted path under `parameterName` (`trace.calls.2.count`).
 *
 * @example
 * const trace = parseRuntimeTrace(JSON.parse(text));
 */
export function parseRuntimeTrace(input: unknown, parameterName = 'trace'): RuntimeTrace {
  const parsed = runtimeTraceSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = [parameterName, ...(issue?.path ?? []).map(String)].join('.');
  throw new PlumbError(
    'invalid_request',
    `The runtime trace is invalid at ${path}: ${issue?.message ?? 'unexpected shape'}. Expected { "calls": [{ "from": string, "to": string, "count": positive integer }] }.`,
    { param: path },
  );
}

export interface MergeRuntimeTraceOptions {
  /** Weight of one traced call (default `defaultEdgeKindWeights.trace`). */
  weight?: number | undefined;
  /** Drop the static `call` and `new` edges, so the trace alone says who calls whom (types, inheritance and tables stay). */
  replaceStaticCalls?: boolean | undefined;
}

/**
 * Adds a runtime trace's calls to a decomposition graph as `trace` edges (weight × count). Calls whose ends
 * name no unit (library code, ambiguous names) are skipped with a warning; calls inside one unit are ignored.
 *
 * @example
 * const withTrace = mergeRuntimeTrace(graph, parseRuntimeTrace(json));
 */
export function mergeRuntimeTrace(
  graph: DecompositionGraph,
  trace: RuntimeTrace,
  options: MergeRuntimeTraceOptions = {},
): DecompositionGraph {
  const weight = options.weight ?? defaultEdgeKindWeights.trace;
  const resolve = unitResolver(graph.units);
  const warnings = [...graph.warnings];
  const unresolved = new Set<string>();
  const merged = new Map<string, DecompositionEdge>();
  for (const call of trace.calls) {
    const from = resolve(call.from);
    const to = resolve(call.to);
    if (from === undefined) unresolved.add(call.from);
    if (to === undefined) unresolved.add(call.to);
    if (from === undefined || to === undefined || from.unit === to.unit) continue;
    const key = `${from.unit}\u0000${to.unit}`;
    const edge = merged.get(key) ?? {
      from: from.unit,
      to: to.unit,
      kind: 'trace' as const,
      count: 0,
      weight: 0,
    };
    edge.count += call.count;
    edge.weight += weight * call.count;
    if (to.operation !== undefined)
      edge.operations = [...new Set([...(edge.operations ?? []), to.operation])].sort();
    merged.set(key, edge);
  }
  if (unresolved.size > 0) {
    const sample = [...unresolved].sort().slice(0, 5);
    warnings.push(
      `${unresolved.size} traced name(s) match no unit or several (${sample.join(', ')}${unresolved.size > 5 ? ', ...' : ''}); their calls were skipped.`,
    );
  }
  const kept = options.replaceStaticCalls
    ? graph.edges.filter((edge) => edge.kind !== 'call' && edge.kind !== 'new')
    : graph.edges;
  return { ...graph, edges: [...kept, ...merged.values()], warnings };
}

interface ResolvedName {
  unit: string;
  operation?: string;
}

function unitResolver(units: readonly DecompositionUnit[]): (name: string) => ResolvedName | undefined {
  const byId = new Map(units.map((unit) => [unit.id, unit]));
  const byName = new Map<string, DecompositionUnit[]>();
  for (const unit of units) byName.set(unit.name, [...(byName.get(unit.name) ?? []), unit]);
  return (name) => {
    const hash = name.indexOf('#');
    if (hash >= 0) {
      const qualified = name.slice(hash + 1);
      const unitId = `${name.slice(0, hash + 1)}${qualified.split('.')[0] ?? ''}`;
      if (byId.has(unitId)) return withOperation(unitId, qualified);
      const moduleId = name.slice(0, hash + 1);
      return byId.has(moduleId) ? { unit: moduleId } : undefined;
    }
    // A dotted (or `::`) name: the first segment, left to right, that names exactly one unit is the unit;
    // the segments before it are its package, the ones after it the member.
    const segments = name.split(/::|\.|\//).filter((segment) => segment.length > 0);
    for (let index = 0; index < segments.length; index += 1) {
      const candidates = byName.get(segments[index]!) ?? [];
      if (candidates.length === 1) return withOperation(candidates[0]!.id, segments.slice(index).join('.'));
      if (candidates.length > 1) {
        const packagePath = segments.slice(0, index).join('/');
        const inPackage = candidates.filter((unit) => packagePath !== '' && unit.path.includes(packagePath));
        if (inPackage.length === 1) return withOperation(inPackage[0]!.id, segments.slice(index).join('.'));
        return undefined;
      }
    }
    return undefined;
  };
}

function withOperation(unit: string, qualified: string): ResolvedName {
  return qualified.includes('.') ? { unit, operation: qualified } : { unit };
}
