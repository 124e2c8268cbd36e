import type { CodeGraph, CodeGraphEdge, GraphDefinition } from '../code-graph.ts';
import type { ReferenceKind } from '../file-facts.ts';
import { explanationDiagram } from './explanation-diagram.ts';
import { findEntryPoints, type EntryPoint, type EntryPointKind } from './find-entry-points.ts';
import type { ExplainTarget } from './resolve-target.ts';

/** A place in the code an explanation relies on. */
export interface Citation {
  path: string;
  line: number;
}

export interface ExplainedUnit {
  /** A definition id, or `path#` for a file's module-level code. */
  id: string;
  name: string;
  kind: string;
  path: string;
  line: number;
  signature?: string;
}

/** A dependency or dependent, folded to its top-level unit (a method's use counts for its class). */
export interface Relation {
  unit: ExplainedUnit;
  kinds: ReferenceKind[];
  /** References behind the relation. */
  count: number;
  /** 1 when every reference resolved unambiguously; lower when the name had several candidates. */
  confidence: number;
  /** Where the references are (at most five). */
  at: Citation[];
}

export interface ReachingEntryPoint {
  kind: EntryPointKind;
  label: string;
  at: Citation;
  /** The call chain from the entry point to the target, entry point first (at most eight steps). */
  via: ExplainedUnit[];
}

export interface Explanation {
  target: ExplainedUnit & { targetKind: ExplainTarget['kind']; language?: string };
  purpose?: { text: string; at: Citation };
  /** Public members of a type, or the exported definitions of a file or folder. */
  surface: ExplainedUnit[];
  dependencies: Relation[];
  dependents: Relation[];
  /** Packages from outside the repository the target's files import. */
  externalPackages: string[];
  entryPoints: ReachingEntryPoint[];
  tests: (Citation & { name?: string })[];
  /** A Mermaid flowchart of the target's neighbourhood. */
  diagram: string;
  warnings: string[];
}

export interface ExplainOptions {
  /** Relations listed per direction; the rest are counted in a warning. */
  limit?: number;
  /** Entry points found once per graph can be passed in to save a scan. */
  entryPoints?: EntryPoint[];
}

/**
 * Builds the facts of an onboarding answer from the code graph: what the target is and where, its documented
 * purpose, public surface, ranked dependencies and dependents, the entry points that reach it, the tests that
 * exercise it and a diagram. Every relation cites the lines it comes from.
 *
 * @example explainTarget(graph, resolveTarget(graph, 'CheckoutService').target!).dependencies[0]?.unit.name
 */
export function explainTarget(
  graph: CodeGraph,
  target: ExplainTarget,
  options: ExplainOptions = {},
): Explanation {
  const limit = options.limit ?? 12;
  const warnings: string[] = [];
  const members = membersOf(graph, target);
  const memberFiles = new Set([...members].map((id) => id.slice(0, id.indexOf('#'))));

  const dependencies = relations(graph, members, 'outgoing');
  const dependents = relations(graph, members, 'incoming');
  if (target.kind !== 'definition') addImporters(graph, memberFiles, dependents);
  for (const [label, list] of [
    ['dependencies', dependencies],
    ['dependents', dependents],
  ] as const) {
    if (list.length > limit)
      warnings.push(`${list.length - limit} more ${label} not listed (raise the limit to see them).`);
    const uncertain = list.filter((relation) => relation.confidence < 1).length;
    if (uncertain > 0)
      warnings.push(
        `${uncertain} of the ${label} rest on names with several candidate definitions (confidence < 1).`,
      );
  }

  const externalPackages = [
    ...new Set([...memberFiles].flatMap((path) => graph.externalImports.get(path) ?? [])),
  ].sort();
  const entryPoints = reachingEntryPoints(
    graph,
    members,
    options.entryPoints ?? entryPointsOf(graph),
    warnings,
  );
  const tests = testsOf(graph, members, memberFiles);
  const head = headOf(graph, target);
  return {
    target: head.unit,
    ...(head.purpose ? { purpose: head.purpose } : {}),
    surface: surfaceOf(graph, target),
    dependencies: dependencies.slice(0, limit),
    dependents: dependents.slice(0, limit),
    externalPackages,
    entryPoints,
    tests,
    diagram: explanationDiagram(head.unit, dependencies.slice(0, 8), dependents.slice(0, 8)),
    warnings,
  };
}

/** Entry points are a property of the whole graph: found once per graph (graphs are immutable). */
const entryPointCache = new WeakMap<CodeGraph, EntryPoint[]>();
function entryPointsOf(graph: CodeGraph): EntryPoint[] {
  let entryPoints = entryPointCache.get(graph);
  if (!entryPoints) {
    entryPoints = findEntryPoints(graph);
    entryPointCache.set(graph, entryPoints);
  }
  return entryPoints;
}

function membersOf(graph: CodeGraph, target: ExplainTarget): Set<string> {
  const members = new Set<string>();
  const addTree = (id: string) => {
    members.add(id);
    for (const child of graph.children(id)) addTree(child.id);
  };
  if (target.kind === 'definition') addTree(target.definition.id);
  else {
    const paths = target.kind === 'file' ? [target.path] : target.files;
    for (const path of paths) {
      members.add(`${path}#`);
      for (const definition of graph.files.get(path)?.definitions ?? []) members.add(definition.id);
    }
  }
  return members;
}

/** The top-level definition holding a definition, or the file node for module-level code. */
function unitOf(graph: CodeGraph, id: string): ExplainedUnit {
  let definition = graph.definitions.get(id);
  while (definition?.parent !== undefined) {
    const parent = graph.definitions.get(definition.parent);
    if (!parent) break;
    definition = parent;
  }
  if (!definition) {
    const path = id.slice(0, id.indexOf('#'));
    return { id: `${path}#`, name: path.split('/').pop() ?? path, kind: 'module', path, line: 1 };
  }
  return describe(definition);
}

function describe(definition: GraphDefinition): ExplainedUnit {
  return {
    id: definition.id,
    name: definition.qualifiedName,
    kind: definition.kind,
    path: definition.path,
    line: definition.range.line,
    signature: definition.signature,
  };
}

function relations(graph: CodeGraph, members: Set<string>, direction: 'outgoing' | 'incoming'): Relation[] {
  const grouped = new Map<string, Relation & { weight: number }>();
  for (const member of members) {
    const edges = direction === 'outgoing' ? graph.outgoing(member) : graph.incoming(member);
    for (const edge of edges) {
      const other = direction === 'outgoing' ? edge.to : edge.from;
      if (members.has(other)) continue;
      const unit = unitOf(graph, other);
      if (members.has(unit.id)) continue;
      let relation = grouped.get(unit.id);
      if (!relation) {
        relation = { unit, kinds: [], count: 0, confidence: 0, at: [], weight: 0 };
        grouped.set(unit.id, relation);
      }
      if (!relation.kinds.includes(edge.kind)) relation.kinds.push(edge.kind);
      relation.count += edge.count;
      relation.confidence = Math.max(relation.confidence, edge.confidence);
      relation.weight += edge.count * edge.confidence;
      if (relation.at.length < 5)
        relation.at.push(...citationsOf(graph, edge).slice(0, 5 - relation.at.length));
    }
  }
  return [...grouped.values()]
    .sort(
      (left, right) =>
        right.weight - left.weight ||
        graph.incoming(right.unit.id).length - graph.incoming(left.unit.id).length ||
        left.unit.id.localeCompare(right.unit.id),
    )
    .map(({ weight: _weight, ...relation }) => relation);
}

/** The lines of the references an edge stands for. */
function citationsOf(graph: CodeGraph, edge: CodeGraphEdge): Citation[] {
  const path = edge.from.slice(0, edge.from.indexOf('#'));
  const targetName = graph.definitions.get(edge.to)?.name;
  const enclosing = edge.from.endsWith('#') ? undefined : edge.from;
  const file = graph.files.get(path);
  if (!file || targetName === undefined) return [{ path, line: 1 }];
  const lines = file.references
    .filter((reference) => reference.enclosing === enclosing && reference.name === targetName)
    .map((reference) => ({ path, line: reference.line }));
  return lines.length > 0 ? lines : [{ path, line: graph.definitions.get(edge.from)?.range.line ?? 1 }];
}

function addImporters(graph: CodeGraph, memberFiles: Set<string>, dependents: Relation[]): void {
  const known = new Set(dependents.map((relation) => relation.unit.path));
  for (const dependency of graph.fileDependencies) {
    if (!memberFiles.has(dependency.to) || memberFiles.has(dependency.from) || known.has(dependency.from))
      continue;
    known.add(dependency.from);
    const line =
      graph.files.get(dependency.from)?.imports.find((entry) => entry.specifier === dependency.specifier)
        ?.line ?? 1;
    dependents.push({
      unit: unitOf(graph, `${dependency.from}#`),
      kinds: [],
      count: 1,
      confidence: 1,
      at: [{ path: dependency.from, line }],
    });
  }
}

/**
 * The caller search for entry points stops after this many definitions: on large, densely connected graphs
 * nearly everything reaches everything, and the nearest entry points are found long before.
 */
const maximumCallersSearched = 5_000;

function reachingEntryPoints(
  graph: CodeGraph,
  members: Set<string>,
  entryPoints: EntryPoint[],
  warnings: string[],
): ReachingEntryPoint[] {
  const byNode = new Map<string, EntryPoint[]>();
  for (const entry of entryPoints) {
    const list = byNode.get(entry.node);
    if (list) list.push(entry);
    else byNode.set(entry.node, [entry]);
  }
  // Breadth-first over callers, keeping for every node the next step towards the target (for the chain) and,
  // for nodes holding entry points, every edge that reaches them (a function registering many routes is
  // reached once per handler that calls in). A class's callers are walked once, not once per method.
  const next = new Map<string, string | undefined>();
  const arrivals = new Map<string, CodeGraphEdge[]>();
  const walkedParents = new Set<string>();
  const queue: string[] = [];
  for (const member of members) {
    next.set(member, undefined);
    queue.push(member);
  }
  const visit = (edge: CodeGraphEdge, node: string) => {
    // Type annotations and inheritance do not run anything; low-confidence guesses would invent paths.
    if (edge.kind === 'type' || edge.kind === 'inherit' || edge.confidence < 0.5) return;
    if (byNode.has(edge.from)) {
      const arrival = { ...edge, to: node };
      const list = arrivals.get(edge.from);
      if (list) list.push(arrival);
      else arrivals.set(edge.from, [arrival]);
    }
    if (next.has(edge.from)) return;
    if (graph.files.get(edge.from.slice(0, edge.from.indexOf('#')))?.isTest) return;
    next.set(edge.from, node);
    queue.push(edge.from);
  };
  for (let index = 0; index < queue.length && next.size < maximumCallersSearched; index += 1) {
    const node = queue[index]!;
    for (const edge of graph.incoming(node)) visit(edge, node);
    // Constructing or referencing a class reaches its methods too.
    const parent = graph.definitions.get(node)?.parent;
    if (parent !== undefined && !walkedParents.has(parent)) {
      walkedParents.add(parent);
      for (const edge of graph.incoming(parent)) visit(edge, node);
    }
  }
  if (next.size >= maximumCallersSearched)
    warnings.push(
      `The entry-point search stopped after ${maximumCallersSearched} callers; entry points farther away are not listed.`,
    );
  const chainFrom = (node: string): ExplainedUnit[] => {
    const via: ExplainedUnit[] = [];
    for (let step: string | undefined = node; step !== undefined && via.length < 8; step = next.get(step))
      via.push(step.endsWith('#') ? unitOf(graph, step) : describe(graph.definitions.get(step)!));
    return via;
  };
  const reached: ReachingEntryPoint[] = [];
  for (const [node, entries] of byNode) {
    if (!next.has(node)) continue;
    const at = (entry: EntryPoint) => ({ path: entry.path, line: entry.line });
    const nodeArrivals = arrivals.get(node) ?? [];
    for (const entry of entries) {
      if (entry.kind !== 'http' || nodeArrivals.length === 0) {
        reached.push({ kind: entry.kind, label: entry.label, at: at(entry), via: chainFrom(node) });
        continue;
      }
      // Of a node's route registrations, those whose handler makes the call: in `registerOrderRoutes`, a
      // call at line 58 belongs to the `router.post` at line 56 (the last registration before it).
      const registrations = entries.filter((other) => other.kind === 'http').map((other) => other.line);
      const arrival = nodeArrivals.find((edge) =>
        citationsOf(graph, edge).some(
          (citation) => Math.max(...registrations.filter((line) => line <= citation.line)) === entry.line,
        ),
      );
      if (arrival)
        reached.push({
          kind: entry.kind,
          label: entry.label,
          at: at(entry),
          via: [describeNode(graph, node), ...chainFrom(arrival.to)].slice(0, 8),
        });
    }
  }
  return reached.sort(
    (left, right) => left.at.path.localeCompare(right.at.path) || left.at.line - right.at.line,
  );
}

function describeNode(graph: CodeGraph, node: string): ExplainedUnit {
  const definition = graph.definitions.get(node);
  return definition ? describe(definition) : unitOf(graph, node);
}

function testsOf(
  graph: CodeGraph,
  members: Set<string>,
  memberFiles: Set<string>,
): (Citation & { name?: string })[] {
  const tests = new Map<string, Citation & { name?: string }>();
  for (const member of members) {
    for (const edge of graph.incoming(member)) {
      const path = edge.from.slice(0, edge.from.indexOf('#'));
      if (!graph.files.get(path)?.isTest) continue;
      const citation = citationsOf(graph, edge)[0] ?? { path, line: 1 };
      const name = graph.definitions.get(edge.from)?.qualifiedName;
      const key = `${path}:${name ?? ''}`;
      if (!tests.has(key)) tests.set(key, { ...citation, ...(name ? { name } : {}) });
    }
  }
  const testPaths = new Set([...tests.values()].map((test) => test.path));
  for (const dependency of graph.fileDependencies) {
    if (!memberFiles.has(dependency.to) || !graph.files.get(dependency.from)?.isTest) continue;
    if (testPaths.has(dependency.from)) continue;
    const line =
      graph.files.get(dependency.from)?.imports.find((entry) => entry.specifier === dependency.specifier)
        ?.line ?? 1;
    tests.set(dependency.from, { path: dependency.from, line });
    testPaths.add(dependency.from);
  }
  return [...tests.values()].sort(
    (left, right) => left.path.localeCompare(right.path) || left.line - right.line,
  );
}

function surfaceOf(graph: CodeGraph, target: ExplainTarget): ExplainedUnit[] {
  if (target.kind === 'definition')
    return graph
      .children(target.definition.id)
      .filter((child) => child.exported || !/^[_#]/.test(child.name))
      .map(describe);
  const paths = target.kind === 'file' ? [target.path] : target.files;
  return paths.flatMap((path) =>
    (graph.files.get(path)?.definitions ?? [])
      .filter((definition) => definition.exported && definition.parent === undefined)
      .map((definition) => describe({ ...definition, path })),
  );
}

function headOf(
  graph: CodeGraph,
  target: ExplainTarget,
): { unit: Explanation['target']; purpose?: Explanation['purpose'] } {
  if (target.kind === 'definition') {
    const definition = target.definition;
    const language = graph.files.get(definition.path)?.language;
    return {
      unit: { ...describe(definition), targetKind: 'definition', ...(language ? { language } : {}) },
      ...(definition.doc
        ? { purpose: { text: definition.doc, at: { path: definition.path, line: definition.range.line } } }
        : {}),
    };
  }
  const path = target.path;
  const paths = target.kind === 'file' ? [target.path] : target.files;
  const documented = paths
    .flatMap((file) =>
      (graph.files.get(file)?.definitions ?? []).map((definition) => ({ ...definition, path: file })),
    )
    .find((definition) => definition.parent === undefined && definition.exported && definition.doc);
  const language = target.kind === 'file' ? graph.files.get(path)?.language : undefined;
  return {
    unit: {
      id: target.kind === 'file' ? `${path}#` : `${path}/`,
      name: path,
      kind: target.kind,
      path,
      line: 1,
      targetKind: target.kind,
      ...(language ? { language } : {}),
    },
    ...(documented?.doc
      ? {
          purpose: {
            text: `${documented.qualifiedName}: ${documented.doc}`,
            at: { path: documented.path, line: documented.range.line },
          },
        }
      : {}),
  };
}
