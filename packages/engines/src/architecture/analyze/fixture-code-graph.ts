import type {
  CodeGraph,
  CodeGraphEdge,
  FileDependency,
  GraphDefinition,
} from '../../code-graph/code-graph.ts';
import type {
  CodeLanguage,
  DefinitionKind,
  FileFacts,
  ImportFact,
  ReferenceFact,
} from '../../code-graph/file-facts.ts';

/** A compact description of one file for tests of the graph's readers. */
export interface FixtureFile {
  language?: CodeLanguage;
  packageName?: string;
  isTest?: boolean;
  definitions?: {
    name: string;
    kind?: DefinitionKind;
    exported?: boolean;
    line?: number;
    complexity?: number;
    signature?: string;
    parent?: string;
    extends?: string[];
    decorators?: string[];
  }[];
  /** Imports resolved to a file of the fixture (`to`), or external when `to` is absent. */
  imports?: (Partial<ImportFact> & { specifier: string; to?: string })[];
  references?: ReferenceFact[];
}

/**
 * A CodeGraph built directly from a compact description, for unit tests of the architecture analysis (no
 * parsing, so a test states exactly the graph it means). Edges are given by definition id (`path#name`).
 *
 * @example fixtureCodeGraph({ 'a.ts': { imports: [{ specifier: './b', to: 'b.ts', line: 1 }] }, 'b.ts': {} }).fileDependencies.length // => 1
 */
export function fixtureCodeGraph(
  files: Record<string, FixtureFile>,
  edges: { from: string; to: string; kind?: CodeGraphEdge['kind'] }[] = [],
): CodeGraph {
  const factsByPath = new Map<string, FileFacts>();
  const definitions = new Map<string, GraphDefinition>();
  const fileDependencies: FileDependency[] = [];
  for (const [path, file] of Object.entries(files)) {
    const facts: FileFacts = {
      path,
      language: file.language ?? 'typescript',
      hash: path,
      lines: 100,
      isTest: file.isTest ?? false,
      definitions: (file.definitions ?? []).map((definition, index) => {
        const qualifiedName = definition.parent ? `${definition.parent}.${definition.name}` : definition.name;
        const line = definition.line ?? index + 1;
        return {
          id: `${path}#${qualifiedName}`,
          name: definition.name,
          qualifiedName,
          kind: definition.kind ?? 'function',
          range: { line, column: 1, endLine: line, endColumn: 2 },
          signature: definition.signature ?? definition.name,
          exported: definition.exported ?? true,
          ...(definition.parent === undefined ? {} : { parent: `${path}#${definition.parent}` }),
          extends: definition.extends ?? [],
          implements: [],
          decorators: definition.decorators ?? [],
          complexity: definition.complexity ?? 1,
        };
      }),
      imports: (file.imports ?? []).map((fact) => ({
        specifier: fact.specifier,
        names: fact.names ?? [{ imported: '*', local: '*' }],
        line: fact.line ?? 1,
        kind: fact.kind ?? 'static',
        typeOnly: fact.typeOnly ?? false,
      })),
      references: file.references ?? [],
      tables: [],
      parseErrors: [],
      ...(file.packageName === undefined ? {} : { packageName: file.packageName }),
    };
    factsByPath.set(path, facts);
    for (const definition of facts.definitions) definitions.set(definition.id, { ...definition, path });
    for (const fact of file.imports ?? [])
      if (fact.to !== undefined)
        fileDependencies.push({
          from: path,
          to: fact.to,
          specifier: fact.specifier,
          typeOnly: fact.typeOnly ?? false,
        });
  }
  const graphEdges: CodeGraphEdge[] = edges.map((edge) => ({
    from: edge.from,
    to: edge.to,
    kind: edge.kind ?? 'call',
    count: 1,
    confidence: 1,
  }));
  const all = [...definitions.values()];
  return {
    revision: 1,
    files: factsByPath,
    definitions,
    edges: graphEdges,
    fileDependencies,
    externalImports: new Map(),
    outgoing: (id) => graphEdges.filter((edge) => edge.from === id),
    incoming: (id) => graphEdges.filter((edge) => edge.to === id),
    byName: (name) => all.filter((definition) => definition.name === name),
    children: (id) => all.filter((definition) => definition.parent === id),
  };
}
