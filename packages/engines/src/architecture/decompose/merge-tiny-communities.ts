import { normalizeCommunities, type Communities } from './louvain-communities.ts';

type Adjacency = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Total edge weight from `members` to each other community (by index). */
export function connectionsTo(
  members: readonly string[],
  communityOf: ReadonlyMap<string, number>,
  adjacency: Adjacency,
): Map<number, number> {
  const own = communityOf.get(members[0]!);
  const totals = new Map<number, number>();
  for (const member of members) {
    for (const [neighbour, weight] of adjacency.get(member) ?? []) {
      const community = communityOf.get(neighbour);
      if (community === undefined || community === own) continue;
      totals.set(community, (totals.get(community) ?? 0) + weight);
    }
  }
  return totals;
}

function indexCommunities(communities: Communities): Map<string, number> {
  const communityOf = new Map<string, number>();
  communities.forEach((members, index) => {
    for (const member of members) communityOf.set(member, index);
  });
  return communityOf;
}

/**
 * Merges communities of at most `maximumSize` units (a lone helper class is not a service), and those
 * `isService` rejects (only type declarations, no behaviour), into the community they are most strongly
 * connected to, smallest first, never going below `minimumCount` communities.
 * Communities with no connection at all are left for folder-based attachment.
 *
 * @example
 * mergeTinyCommunities([['a', 'b', 'c'], ['d']], adjacency, { maximumSize: 2 }); // [['a','b','c','d']] if d links to them
 */
export function mergeTinyCommunities(
  communities: Communities,
  adjacency: Adjacency,
  options: {
    maximumSize?: number;
    minimumCount?: number;
    isService?: (members: readonly string[]) => boolean;
  } = {},
): Communities {
  const maximumSize = options.maximumSize ?? 2;
  const isService = options.isService ?? (() => true);
  const isTiny = (members: readonly string[]) => members.length <= maximumSize || !isService(members);
  const minimumCount = options.minimumCount ?? 1;
  let current = normalizeCommunities(communities);
  for (;;) {
    // Small communities may stay when they are needed to reach the minimum; declaration-only ones never are.
    const atMinimum = current.length <= minimumCount;
    if (current.length <= 1) return current;
    const communityOf = indexCommunities(current);
    // Smallest first (normalized order is largest first, so walk from the end).
    let merged = false;
    for (let index = current.length - 1; index >= 0; index -= 1) {
      const members = current[index]!;
      if (!isTiny(members) || (atMinimum && isService(members))) continue;
      const target = strongest(connectionsTo(members, communityOf, adjacency), current);
      if (target === undefined) continue;
      current = current.map((other, otherIndex) => (otherIndex === target ? [...other, ...members] : other));
      current.splice(index, 1);
      current = normalizeCommunities(current);
      merged = true;
      break;
    }
    if (!merged) return current;
  }
}

/** The most connected community; ties go to the larger one, then to the earlier one, for determinism. */
function strongest(connections: Map<number, number>, communities: Communities): number | undefined {
  let best: number | undefined;
  let bestWeight = 0;
  for (const [community, weight] of [...connections].sort(([left], [right]) => left - right)) {
    if (
      weight > bestWeight + 1e-12 ||
      (best !== undefined &&
        Math.abs(weight - bestWeight) <= 1e-12 &&
        communities[community]!.length > communities[best]!.length)
    ) {
      best = community;
      bestWeight = weight;
    }
  }
  return best;
}

/**
 * Merges communities until at most `maximumCount` remain, each time the pair whose merge raises modularity
 * most (ΔQ = e_ij/m − s_i·s_j/(2m²), the greedy agglomeration of Clauset, Newman and Moore 2004), so the
 * requested range wins over Louvain's preference without favouring big communities just for their size. A
 * community with no connection at all goes to the community whose files share the longest folder prefix.
 *
 * @example
 * mergeToCount(communities, adjacency, 4, (id) => pathOf(id));
 */
export function mergeToCount(
  communities: Communities,
  adjacency: Adjacency,
  maximumCount: number,
  pathOf: (unit: string) => string,
): Communities {
  let current = normalizeCommunities(communities);
  while (current.length > maximumCount && current.length > 1) {
    const communityOf = indexCommunities(current);
    const strength = current.map((members) =>
      members.reduce(
        (sum, member) =>
          sum + [...(adjacency.get(member)?.values() ?? [])].reduce((total, weight) => total + weight, 0),
        0,
      ),
    );
    const twiceTotal = strength.reduce((sum, value) => sum + value, 0);
    let best: { from: number; into: number; gain: number } | undefined;
    current.forEach((members, index) => {
      for (const [other, weight] of connectionsTo(members, communityOf, adjacency)) {
        if (other <= index) continue;
        // e_ij / m − s_i s_j / (2 m²) with m = twiceTotal / 2.
        const gain = (2 * weight) / twiceTotal - (2 * strength[index]! * strength[other]!) / twiceTotal ** 2;
        if (!best || gain > best.gain + 1e-12) best = { from: other, into: index, gain };
      }
    });
    const smallest = current.length - 1;
    const { from, into } = best ?? {
      from: smallest,
      into: closestByFolder(current[smallest]!, current, smallest, pathOf),
    };
    current = current.map((other, otherIndex) =>
      otherIndex === into ? [...other, ...current[from]!] : other,
    );
    current.splice(from, 1);
    current = normalizeCommunities(current);
  }
  return current;
}

/**
 * The community (other than `exclude`) whose members' folders share the longest prefix with `members`'
 * folders: without any edge, co-location is the best evidence of belonging.
 */
export function closestByFolder(
  members: readonly string[],
  communities: Communities,
  exclude: number,
  pathOf: (unit: string) => string,
): number {
  let best = exclude === 0 ? 1 : 0;
  let bestScore = -1;
  communities.forEach((others, index) => {
    if (index === exclude) return;
    let score = 0;
    for (const member of members) {
      let memberBest = 0;
      for (const other of others)
        memberBest = Math.max(memberBest, sharedFolderDepth(pathOf(member), pathOf(other)));
      score += memberBest;
    }
    if (score > bestScore || (score === bestScore && others.length > communities[best]!.length)) {
      best = index;
      bestScore = score;
    }
  });
  return best;
}

function sharedFolderDepth(left: string, right: string): number {
  const leftFolders = left.split('/').slice(0, -1);
  const rightFolders = right.split('/').slice(0, -1);
  let depth = 0;
  while (depth < leftFolders.length && leftFolders[depth] === rightFolders[depth]) depth += 1;
  // Same file beats same folder.
  return left === right ? depth + 1 : depth;
}
