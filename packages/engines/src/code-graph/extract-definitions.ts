import type { Node, QueryMatch } from 'web-tree-sitter';
import type { DefinitionExtent } from './extract-enclosing-definition.ts';
import type { DefinitionFact, DefinitionKind } from './file-facts.ts';
import type { LanguageSpec } from './languages/language-spec.ts';

const definitionKinds = new Set<string>([
  'class',
  'interface',
  'enum',
  'type',
  'function',
  'method',
  'constructor',
  'field',
  'variable',
  'module',
]);
const typeLikeKinds = new Set<DefinitionKind>(['class', 'interface', 'enum', 'module']);
const maximumSignatureLength = 2_000;

/** The definitions of a file, in source order, with what the reference and complexity passes need. */
export interface ExtractedDefinitions {
  definitions: DefinitionFact[];
  /** Parallel to `definitions`. */
  extents: DefinitionExtent[];
  /** Name nodes of definitions: never reported as references. */
  nameNodeIds: Set<number>;
  /** Decorator node id → index of the definition it decorates. */
  decoratedBy: Map<number, number>;
}

interface Candidate {
  node: Node;
  nameNode: Node;
  bodyNode: Node | undefined;
  kind: DefinitionKind;
  patternIndex: number;
}

/** Whether a kind is a container whose complexity sums its members (class, interface, enum, module). */
export function isTypeLikeKind(kind: DefinitionKind): boolean {
  return typeLikeKinds.has(kind);
}

function collectCandidates(matches: QueryMatch[], spec: LanguageSpec): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const match of matches) {
    let node: Node | undefined;
    let nameNode: Node | undefined;
    let bodyNode: Node | undefined;
    let kind: string | undefined;
    let moduleLevelOnly = false;
    for (const capture of match.captures) {
      if (capture.name === 'name') nameNode = capture.node;
      else if (capture.name === 'body') bodyNode = capture.node;
      else if (capture.name.startsWith('definition.')) {
        node = capture.node;
        const [, captureKind, scope] = capture.name.split('.');
        kind = captureKind;
        moduleLevelOnly = scope === 'module';
      }
    }
    if (!node || !nameNode || !kind || !definitionKinds.has(kind)) continue;
    if (moduleLevelOnly && spec.isModuleLevel && !spec.isModuleLevel(node)) continue;
    const key = `${node.id}:${nameNode.id}`;
    const existing = byKey.get(key);
    if (!existing || match.patternIndex < existing.patternIndex) {
      byKey.set(key, {
        node,
        nameNode,
        bodyNode,
        kind: kind as DefinitionKind,
        patternIndex: match.patternIndex,
      });
    }
  }
  return [...byKey.values()].sort(
    (left, right) => left.node.startIndex - right.node.startIndex || right.node.endIndex - left.node.endIndex,
  );
}

function signatureOf(candidate: Candidate, decorators: Node[], content: string): string {
  let start = candidate.node.startIndex;
  for (const decorator of decorators) {
    if (decorator.startIndex >= start && decorator.endIndex <= candidate.node.endIndex)
      start = Math.max(start, decorator.endIndex);
  }
  const body = candidate.bodyNode ?? candidate.node.childForFieldName('body') ?? undefined;
  const end = body && body.startIndex >= start ? body.startIndex : candidate.node.endIndex;
  const signature = content
    .slice(start, end)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/\s*(?:=|:|\{|;)$/, '')
    .trim();
  return signature.length > maximumSignatureLength
    ? `${signature.slice(0, maximumSignatureLength - 1)}…`
    : signature;
}

function decoratorName(decorator: Node): string {
  return decorator.text.replace(/^@/, '').split('(')[0]!.replace(/\s+/g, '');
}

/**
 * Runs the spec's definitions query and builds the definition facts: nesting, qualified names, ids, kinds,
 * signatures, docs, decorators and export state. Inheritance and complexity are filled in by later passes.
 *
 * @example
 * const { definitions } = extractDefinitions({ root, matches, spec, path: 'src/a.ts', content });
 */
export function extractDefinitions(options: {
  root: Node;
  matches: QueryMatch[];
  spec: LanguageSpec;
  path: string;
  content: string;
}): ExtractedDefinitions {
  const { root, spec, path, content } = options;
  const candidates = collectCandidates(options.matches, spec);
  const exportedNames = spec.exportedNames?.(root) ?? new Set<string>();
  const definitions: DefinitionFact[] = [];
  const extents: DefinitionExtent[] = [];
  const nameNodeIds = new Set<number>();
  const decoratedBy = new Map<number, number>();
  const usedIds = new Map<string, number>();
  const byQualifiedName = new Map<string, number>();
  const stack: number[] = [];
  // Go methods may precede their receiver's type in the file; their parent is linked after the loop.
  const unresolvedQualifiers: { index: number; qualifier: string }[] = [];

  for (const candidate of candidates) {
    const { node, nameNode } = candidate;
    while (stack.length > 0) {
      const top = extents[stack[stack.length - 1]!]!;
      const containsNode = top.startIndex <= node.startIndex && node.endIndex <= top.endIndex;
      if (containsNode && candidates[stack[stack.length - 1]!]!.node.id !== node.id) break;
      stack.pop();
    }
    const container = stack.length > 0 ? stack[stack.length - 1]! : -1;
    const name = nameNode.text;
    const qualifier = spec.qualifierOf?.(node);
    let parentIndex = container;
    let qualifiedName = container === -1 ? name : `${definitions[container]!.qualifiedName}.${name}`;
    if (qualifier !== undefined) {
      qualifiedName = `${qualifier}.${name}`;
      parentIndex = byQualifiedName.get(qualifier) ?? -1;
      if (parentIndex === -1) unresolvedQualifiers.push({ index: definitions.length, qualifier });
    }
    const parent = parentIndex === -1 ? undefined : definitions[parentIndex];
    let kind = candidate.kind;
    if (parent && isTypeLikeKind(parent.kind) && kind === 'function') kind = 'method';
    if (
      parent?.kind === 'class' &&
      (kind === 'method' || kind === 'function') &&
      spec.constructorNames?.includes(name)
    ) {
      kind = 'constructor';
    }
    const seen = (usedIds.get(qualifiedName) ?? 0) + 1;
    usedIds.set(qualifiedName, seen);
    const id = `${path}#${qualifiedName}${seen > 1 ? `~${seen}` : ''}`;
    const decorators = spec.decoratorsOf(node);
    const doc = spec.docOf(node);
    const index = definitions.length;
    for (const decorator of decorators) decoratedBy.set(decorator.id, index);
    nameNodeIds.add(nameNode.id);
    definitions.push({
      id,
      name,
      qualifiedName,
      kind,
      range: {
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        endLine: node.endPosition.row + 1,
        endColumn: Math.max(1, node.endPosition.column),
      },
      signature: signatureOf(candidate, decorators, content),
      ...(doc === undefined ? {} : { doc }),
      exported: spec.isExported(node, {
        name,
        exportedNames,
        ...(parent ? { parent: { kind: parent.kind, exported: parent.exported } } : {}),
      }),
      ...(parent ? { parent: parent.id } : {}),
      extends: [],
      implements: [],
      decorators: decorators.map(decoratorName),
      complexity: 1,
    });
    extents.push({ id, startIndex: node.startIndex, endIndex: node.endIndex, container });
    if (!byQualifiedName.has(qualifiedName)) byQualifiedName.set(qualifiedName, index);
    stack.push(index);
  }
  for (const { index, qualifier } of unresolvedQualifiers) {
    const parentIndex = byQualifiedName.get(qualifier);
    if (parentIndex !== undefined) definitions[index]!.parent = definitions[parentIndex]!.id;
  }
  return { definitions, extents, nameNodeIds, decoratedBy };
}
