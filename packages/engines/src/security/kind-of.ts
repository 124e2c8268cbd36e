import type { SgNode } from '@ast-grep/napi';

/**
 * A node's grammar kind as a plain string (napi types kinds per built-in grammar; dynamic grammars need strings).
 *
 * @example kindOf(root) // => 'program'
 */
export function kindOf(node: SgNode): string {
  return node.kind() as string;
}
