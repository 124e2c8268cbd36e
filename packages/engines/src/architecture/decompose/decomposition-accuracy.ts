export interface AccuracyResult {
  /** Correctly assigned units / units in `expected` (0 when expected is empty). */
  accuracy: number;
  correct: number;
  total: number;
  /** Proposed cluster → the expected service it was matched to (unmatched clusters are absent). */
  mapping: Record<string, string>;
  /** Expected units the proposal did not place in any cluster (shared, unknown). */
  unassigned: string[];
}

export interface AccuracyOptions {
  /**
   * `hungarian` (default): a one-to-one matching of proposed clusters to expected services maximising the
   * units they share (Kuhn–Munkres), so splitting one intended service in two cannot score as correct twice.
   * `majority`: each cluster maps to the expected service most of its units belong to (many-to-one, lenient).
   */
  mapping?: 'hungarian' | 'majority' | undefined;
}

/**
 * The share of units a decomposition puts in the right service: proposed clusters are mapped to expected
 * services (one-to-one by default, see `AccuracyOptions.mapping`), and a unit is correct when its cluster
 * maps to its expected service. Units absent from `assignment` count as wrong.
 *
 * @example
 * accuracy({ a: 's1', b: 's1', c: 's2' }, { a: 'orders', b: 'orders', c: 'billing' }).accuracy; // 1
 */
export function accuracy(
  assignment: Readonly<Record<string, string>>,
  expected: Readonly<Record<string, string>>,
  options: AccuracyOptions = {},
): AccuracyResult {
  const units = Object.keys(expected).sort();
  const clusters = [
    ...new Set(units.map((unit) => assignment[unit]).filter((value) => value !== undefined)),
  ].sort();
  const services = [...new Set(units.map((unit) => expected[unit]!))].sort();
  const overlap = clusters.map(() => services.map(() => 0));
  const unassigned: string[] = [];
  for (const unit of units) {
    const cluster = assignment[unit];
    if (cluster === undefined) {
      unassigned.push(unit);
      continue;
    }
    overlap[clusters.indexOf(cluster)]![services.indexOf(expected[unit]!)]! += 1;
  }

  const mapping: Record<string, string> = {};
  let correct = 0;
  if (options.mapping === 'majority') {
    clusters.forEach((cluster, row) => {
      const counts = overlap[row]!;
      const best = counts.indexOf(Math.max(...counts));
      mapping[cluster] = services[best]!;
      correct += counts[best]!;
    });
  } else {
    const matched = maximumWeightMatching(overlap);
    matched.forEach((column, row) => {
      if (column === undefined) return;
      mapping[clusters[row]!] = services[column]!;
      correct += overlap[row]![column]!;
    });
  }
  return {
    accuracy: units.length === 0 ? 0 : correct / units.length,
    correct,
    total: units.length,
    mapping,
    unassigned,
  };
}

/**
 * Kuhn–Munkres (Hungarian method with potentials, O(n³)) on a rectangular matrix of non-negative weights:
 * row → matched column maximising the total weight; rows left without a real column map to undefined.
 */
function maximumWeightMatching(weights: number[][]): (number | undefined)[] {
  const rows = weights.length;
  const columns = weights[0]?.length ?? 0;
  const size = Math.max(rows, columns);
  if (size === 0) return [];
  const largest = Math.max(0, ...weights.flat());
  // Square cost matrix: maximising weight = minimising (largest − weight); padding costs `largest`.
  const cost = (row: number, column: number): number =>
    row < rows && column < columns ? largest - weights[row]![column]! : largest;
  const rowPotential = new Array<number>(size + 1).fill(0);
  const columnPotential = new Array<number>(size + 1).fill(0);
  const rowOfColumn = new Array<number>(size + 1).fill(0);
  const way = new Array<number>(size + 1).fill(0);
  for (let row = 1; row <= size; row += 1) {
    rowOfColumn[0] = row;
    let column = 0;
    const minimum = new Array<number>(size + 1).fill(Infinity);
    const used = new Array<boolean>(size + 1).fill(false);
    do {
      used[column] = true;
      const currentRow = rowOfColumn[column]!;
      let delta = Infinity;
      let nextColumn = 0;
      for (let candidate = 1; candidate <= size; candidate += 1) {
        if (used[candidate]) continue;
        const reduced =
          cost(currentRow - 1, candidate - 1) - rowPotential[currentRow]! - columnPotential[candidate]!;
        if (reduced < minimum[candidate]!) {
          minimum[candidate] = reduced;
          way[candidate] = column;
        }
        if (minimum[candidate]! < delta) {
          delta = minimum[candidate]!;
          nextColumn = candidate;
        }
      }
      for (let candidate = 0; candidate <= size; candidate += 1) {
        if (used[candidate]) {
          rowPotential[rowOfColumn[candidate]!] = rowPotential[rowOfColumn[candidate]!]! + delta;
          columnPotential[candidate] = columnPotential[candidate]! - delta;
        } else minimum[candidate] = minimum[candidate]! - delta;
      }
      column = nextColumn;
    } while (rowOfColumn[column] !== 0);
    do {
      const previous = way[column]!;
      rowOfColumn[column] = rowOfColumn[previous]!;
      column = previous;
    } while (column !== 0);
  }
  const result = new Array<number | undefined>(rows).fill(undefined);
  for (let column = 1; column <= size; column += 1) {
    const row = rowOfColumn[column]! - 1;
    if (row < rows && column - 1 < columns) result[row] = column - 1;
  }
  return result;
}
