import { decompositionMetrics } from './decomposition-metrics.ts';
import type { DecompositionEdge } from './decomposition-graph.ts';
import { hierarchicalCommunities } from './hierarchical-communities.ts';
import {
  louvainCommunities,
  normalizeCommunities,
  searchResolution,
  type Communities,
} from './louvain-communities.ts';
import {
  closestByFolder,
  connectionsTo,
  mergeTinyCommunities,
  mergeToCount,
} from './merge-tiny-communities.ts';

type Adjacency = ReadonlyMap<string, ReadonlyMap<string, number>>;

export interface PartitionOptions {
  adjacency: Adjacency;
  edges: readonly DecompositionEdge[];
  minimum: number;
  maximum: number;
  method: 'louvain' | 'hierarchical';
  resolution: number;
  seed: number;
  tinySize: number;
  /** Whether a unit has behaviour (a class or function): a community of declarations only is no service. */
  hasBehaviour: (unit: string) => boolean;
  pathOf: (unit: string) => string;
}

export interface Partition {
  communities: Communities;
  /** The Louvain resolution used (absent for hierarchical). */
  resolution?: number;
  warnings: string[];
}

/**
 * Clusters the units of `adjacency` into between `minimum` and `maximum` communities. Units without any
 * edge cannot be placed by structure: they join the community whose files share their folder. Louvain's
 * resolution is searched so the count lands in range (tiny communities merged first, so they do not count);
 * if no resolution does, communities are merged or split to fit. Hierarchical clustering tries every K in
 * range and keeps the one with the best structural modularity.
 *
 * @example
 * partitionUnits({ adjacency, edges, minimum: 3, maximum: 5, method: 'louvain', resolution: 1, seed: 1, tinySize: 2, pathOf });
 */
export function partitionUnits(options: PartitionOptions): Partition {
  const { adjacency, minimum, maximum, pathOf } = options;
  const warnings: string[] = [];
  const connected = new Map<string, ReadonlyMap<string, number>>();
  const isolated: string[] = [];
  for (const [unit, neighbours] of adjacency) {
    if ([...neighbours.values()].some((weight) => weight > 0)) connected.set(unit, neighbours);
    else isolated.push(unit);
  }
  if (isolated.length > 0) {
    warnings.push(
      `${isolated.length} unit(s) have no dependency on or from other units; they were placed with the units of their folder.`,
    );
  }

  const attachIsolated = (communities: Communities): Communities => {
    if (communities.length === 0) return groupByFolder(isolated, pathOf);
    const result = communities.map((members) => [...members]);
    for (const unit of [...isolated].sort()) result[closestByFolder([unit], result, -1, pathOf)]!.push(unit);
    return normalizeCommunities(result);
  };

  if (options.method === 'hierarchical') {
    let best: { communities: Communities; sm: number } | undefined;
    const upper = Math.max(1, Math.min(maximum, connected.size));
    for (let count = Math.min(minimum, upper); count <= upper; count += 1) {
      const communities = attachIsolated(hierarchicalCommunities(connected, count));
      const sm = decompositionMetrics(communities, options.edges).sm;
      if (!best || sm > best.sm + 1e-12) best = { communities, sm };
    }
    return { communities: fitCount(best?.communities ?? attachIsolated([]), options, warnings), warnings };
  }

  const isTiny = (members: readonly string[]) =>
    members.length <= options.tinySize || !members.some(options.hasBehaviour);
  const settle = (communities: Communities): Communities => {
    let current = mergeTinyCommunities(communities, connected, {
      maximumSize: options.tinySize,
      minimumCount: minimum,
      isService: (members) => members.some(options.hasBehaviour),
    });
    // Tiny (or declaration-only) components with no edge to anything else: by folder, as isolated units.
    for (;;) {
      const atMinimum = current.length <= minimum;
      const communityOf = new Map<string, number>();
      current.forEach((members, index) => members.forEach((member) => communityOf.set(member, index)));
      const index = current.findIndex(
        (members) =>
          isTiny(members) &&
          !(atMinimum && members.some(options.hasBehaviour)) &&
          connectionsTo(members, communityOf, connected).size === 0,
      );
      if (index < 0 || current.every(isTiny)) break;
      const target = closestByFolder(current[index]!, current, index, pathOf);
      current = current.map((members, other) =>
        other === target ? [...members, ...current[index]!] : members,
      );
      current.splice(index, 1);
      current = normalizeCommunities(current);
    }
    return attachIsolated(current);
  };

  const found = searchResolution({
    start: options.resolution,
    minimum,
    maximum,
    // Above the maximum, merging the smallest communities into their neighbours keeps the well-separated
    // clusters intact; lowering the resolution instead tends to fuse big clusters while weakly attached
    // fragments stay apart. So the search only ever needs to raise the resolution.
    partition: (resolution) =>
      mergeToCount(
        settle(louvainCommunities(connected, { resolution, seed: options.seed })),
        connected,
        maximum,
        pathOf,
      ),
  });
  return {
    communities: fitCount(found.communities, options, warnings),
    resolution: found.resolution,
    warnings,
  };
}

/** Merges or splits so the count is within range, when the graph's structure alone did not get there. */
function fitCount(communities: Communities, options: PartitionOptions, warnings: string[]): Communities {
  const { minimum, maximum, adjacency, pathOf } = options;
  let current = communities;
  if (current.length > maximum) {
    warnings.push(
      `The graph has ${current.length} weakly connected groups; the smallest were merged into their closest neighbours to reach ${maximum}.`,
    );
    current = mergeToCount(current, adjacency, maximum, pathOf);
  }
  let attempts = 0;
  while (current.length < minimum && attempts < minimum * 4) {
    attempts += 1;
    const splittable = current.findIndex((members) => members.length >= 2);
    if (splittable < 0) break;
    const members = current[splittable]!;
    const subgraph = new Map<string, Map<string, number>>();
    for (const member of members) {
      const neighbours = new Map<string, number>();
      for (const [neighbour, weight] of adjacency.get(member) ?? [])
        if (members.includes(neighbour)) neighbours.set(neighbour, weight);
      subgraph.set(member, neighbours);
    }
    let parts: Communities = [members];
    for (let resolution = 1; resolution <= 1024 && parts.length < 2; resolution *= 2) {
      parts = louvainCommunities(subgraph, { resolution, seed: options.seed });
    }
    if (parts.length < 2)
      parts = [members.slice(0, Math.ceil(members.length / 2)), members.slice(Math.ceil(members.length / 2))];
    current = normalizeCommunities([...current.filter((_, index) => index !== splittable), ...parts]);
    if (current.length > minimum) current = mergeToCount(current, adjacency, minimum, pathOf);
  }
  if (current.length < minimum) {
    warnings.push(
      `Only ${current.length} service(s) could be formed from ${countMembers(current)} unit(s); ${minimum} were requested.`,
    );
  }
  return current;
}

function groupByFolder(units: readonly string[], pathOf: (unit: string) => string): Communities {
  const byFolder = new Map<string, string[]>();
  for (const unit of units) {
    const path = pathOf(unit);
    const folder = path.slice(0, Math.max(0, path.lastIndexOf('/')));
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), unit]);
  }
  return normalizeCommunities([...byFolder.values()]);
}

function countMembers(communities: Communities): number {
  return communities.reduce((sum, members) => sum + members.length, 0);
}
