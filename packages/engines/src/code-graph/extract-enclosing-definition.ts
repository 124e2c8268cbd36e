/** A definition's extent in the source text, with the index of the definition syntactically containing it. */
export interface DefinitionExtent {
  id: string;
  startIndex: number;
  endIndex: number;
  /** Index (in the same sorted array) of the containing definition; -1 at module level. */
  container: number;
}

/**
 * Finds the innermost definition containing a position. Extents must be sorted by start (outer first on ties)
 * and properly nested, as syntax trees are; a lookup is a binary search plus a walk up the containers.
 *
 * @example
 * const enclosing = createEnclosingDefinitionFinder(extents);
 * enclosing(node.startIndex); // index into extents, or -1
 */
export function createEnclosingDefinitionFinder(
  extents: readonly DefinitionExtent[],
): (index: number) => number {
  return (index) => {
    let low = 0;
    let high = extents.length - 1;
    let last = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (extents[middle]!.startIndex <= index) {
        last = middle;
        low = middle + 1;
      } else high = middle - 1;
    }
    // The innermost container of `index` is the last-starting extent or one of its containers.
    while (last !== -1 && extents[last]!.endIndex <= index) last = extents[last]!.container;
    return last;
  };
}
