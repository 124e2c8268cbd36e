import type { Node, QueryMatch } from 'web-tree-sitter';
import type { ExtractedDefinitions } from './extract-definitions.ts';
import type { ReferenceFact, ReferenceKind } from './file-facts.ts';

const referenceKinds = new Set<string>(['call', 'new', 'type', 'read', 'decorator', 'extends', 'implements']);
const maximumReceiverLength = 80;

interface Candidate {
  nameNode: Node;
  receiver: Node | undefined;
  kind: string;
  patternIndex: number;
}

function receiverText(receiver: Node | undefined): string | undefined {
  if (!receiver) return undefined;
  const text = receiver.text.replace(/\s+/g, '').replace(/\?\./g, '.');
  return text.length > 0 && text.length <= maximumReceiverLength ? text : undefined;
}

/**
 * Runs the spec's references query: calls, instantiations, type uses, heritage and decorators, each with its
 * receiver and the innermost enclosing definition. Heritage references also fill the enclosing definition's
 * `extends` / `implements` lists.
 *
 * @example
 * const references = extractReferences({ matches, extracted, enclosing });
 */
export function extractReferences(options: {
  matches: QueryMatch[];
  extracted: ExtractedDefinitions;
  enclosing: (index: number) => number;
}): ReferenceFact[] {
  const { extracted, enclosing } = options;
  const { matches } = options;
  const excluded = new Set<number>(extracted.nameNodeIds);
  const typeParameters = new Set<string>();
  for (const match of matches) {
    for (const capture of match.captures) {
      if (capture.name === 'skip' || capture.name === 'receiver') excluded.add(capture.node.id);
      else if (capture.name === 'typeParameter') {
        excluded.add(capture.node.id);
        typeParameters.add(capture.node.text);
      }
    }
  }
  const byName = new Map<number, Candidate>();
  for (const match of matches) {
    let nameNode: Node | undefined;
    let receiver: Node | undefined;
    let kind: string | undefined;
    for (const capture of match.captures) {
      if (capture.name === 'name') nameNode = capture.node;
      else if (capture.name === 'receiver') receiver = capture.node;
      else if (capture.name.startsWith('reference.')) kind = capture.name.slice('reference.'.length);
    }
    if (!nameNode || !kind || !referenceKinds.has(kind) || excluded.has(nameNode.id)) continue;
    if (kind === 'type' && typeParameters.has(nameNode.text)) continue;
    const existing = byName.get(nameNode.id);
    if (!existing || match.patternIndex < existing.patternIndex) {
      byName.set(nameNode.id, { nameNode, receiver, kind, patternIndex: match.patternIndex });
    }
  }
  const candidates = [...byName.values()].sort(
    (left, right) => left.nameNode.startIndex - right.nameNode.startIndex,
  );
  const references: ReferenceFact[] = [];
  for (const candidate of candidates) {
    const { nameNode, kind } = candidate;
    const receiver = receiverText(candidate.receiver);
    let definitionIndex = -1;
    if (kind === 'decorator') {
      // A decorator belongs to the definition it decorates, which in Python does not contain it.
      for (let node: Node | null = nameNode; node && definitionIndex === -1; node = node.parent) {
        definitionIndex = extracted.decoratedBy.get(node.id) ?? -1;
        if (node.type === 'decorator' || node.type === 'annotation' || node.type === 'marker_annotation')
          break;
      }
    }
    if (definitionIndex === -1) definitionIndex = enclosing(nameNode.startIndex);
    const definition = definitionIndex === -1 ? undefined : extracted.definitions[definitionIndex];
    if (definition && (kind === 'extends' || kind === 'implements')) {
      definition[kind].push(receiver ? `${receiver}.${nameNode.text}` : nameNode.text);
    }
    const referenceKind: ReferenceKind =
      kind === 'extends' || kind === 'implements' ? 'inherit' : (kind as ReferenceKind);
    references.push({
      name: nameNode.text,
      ...(receiver === undefined ? {} : { receiver }),
      kind: referenceKind,
      line: nameNode.startPosition.row + 1,
      column: nameNode.startPosition.column + 1,
      ...(definition ? { enclosing: definition.id } : {}),
    });
  }
  return references;
}
