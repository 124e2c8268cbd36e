import type { SgNode } from '@ast-grep/napi';

/**
 * A node's grammar kind as a plain string (napi types kinds per built-in grammar; dynamic grammars need strings).
 *
 * @example kindOf(root) // => 'program'
 */
export function kindOf(node: SgNode): string {
  return node.kind() as string;
}

const validity = new Map<string, boolean>();

/**
 * The subset of `kinds` that exist in the grammar `language` was parsed with. ast-grep throws on a rule naming a
 * kind its grammar lacks (`shorthand_property_identifier_pattern` in Python), so every kind-based matcher shared
 * between languages filters its kinds through this first. Checked once per language and kind.
 *
 * @example existingKinds(pythonRoot, 'python', ['identifier', 'shorthand_property_identifier_pattern']) // => ['identifier']
 */
export function existingKinds(node: SgNode, language: string, kinds: readonly string[]): string[] {
  return kinds.filter((kind) => {
    const key = `${language}\u0000${kind}`;
    let valid = validity.get(key);
    if (valid === undefined) {
      try {
        node.find({ rule: { kind } });
        valid = true;
      } catch {
        valid = false;
      }
      validity.set(key, valid);
    }
    return valid;
  });
}

/**
 * An ast-grep rule matching any of `kinds` that exist in the node's grammar; undefined when none does.
 *
 * @example anyKindRule(root, 'javascript', ['identifier', 'shorthand_property_identifier_pattern'])
 */
export function anyKindRule(
  node: SgNode,
  language: string,
  kinds: readonly string[],
): { rule: { any: { kind: string }[] } } | undefined {
  const valid = existingKinds(node, language, kinds);
  if (valid.length === 0) return undefined;
  return { rule: { any: valid.map((kind) => ({ kind })) } };
}
