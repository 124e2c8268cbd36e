import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCodeGraph } from '../../code-graph/build-code-graph.ts';
import { extractFileFacts, languageOfPath } from '../../code-graph/extract-file-facts.ts';
import type { FileFacts } from '../../code-graph/file-facts.ts';
import { listSourceFiles } from '../../code-graph/list-source-files.ts';
import { accuracy } from './decomposition-accuracy.ts';
import { decompositionGraphFromCodeGraph } from './decomposition-graph-from-code-graph.ts';
import { decompose } from './decompose.ts';

// Acceptance of issue 8: the sample monolith (fixtures/monolith, five business domains with known intended
// boundaries) is indexed for real and decomposed; >= 85% of its classes and functions must land in the
// intended service.

const fixtureRoot = fileURLToPath(new URL('../../../fixtures/monolith', import.meta.url));

interface ExpectedServices {
  services: Record<string, string[]>;
  shared: string[];
}

async function indexFixture() {
  const listing = await listSourceFiles(fixtureRoot, { languageOf: languageOfPath });
  const facts: FileFacts[] = [];
  for (const file of listing.files) {
    const extracted = await extractFileFacts({
      path: file.path,
      content: await readFile(file.absolutePath, 'utf8'),
    });
    if (extracted.facts) facts.push(extracted.facts);
  }
  return buildCodeGraph(facts, 1);
}

describe('decompose on the sample monolith', async () => {
  const expected = JSON.parse(
    await readFile(`${fixtureRoot}/expected-services.json`, 'utf8'),
  ) as ExpectedServices;
  const intended: Record<string, string> = {};
  for (const [service, members] of Object.entries(expected.services))
    for (const member of members) intended[member] = service;
  const graph = decompositionGraphFromCodeGraph(await indexFixture());
  const serviceCount = Object.keys(expected.services).length;

  it('recovers the intended services for at least 85% of the classes and functions', () => {
    const result = decompose({ graph, services: serviceCount, seed: 1, businessContexts: intended });
    const score = accuracy(result.assignment, intended);
    expect(result.services).toHaveLength(serviceCount);
    expect(score.accuracy).toBeGreaterThanOrEqual(0.85);
    // No business unit is mistaken for shared kernel.
    expect(result.shared.filter((entry) => intended[entry.unit] !== undefined)).toEqual([]);
    for (const value of [result.metrics.sm, result.metrics.icp, result.metrics.ifn, result.metrics.ned]) {
      expect(Number.isFinite(value)).toBe(true);
    }
    expect(result.metrics.bcp).toBeLessThan(1);
    expect(result.cutEdges.length).toBeGreaterThan(0);
    expect(result.services.every((service) => service.name.length > 0)).toBe(true);
  });

  it('stays above 85% whatever the Louvain seed', () => {
    const scores = [1, 2, 3].map(
      (seed) => accuracy(decompose({ graph, services: serviceCount, seed }).assignment, intended).accuracy,
    );
    for (const score of scores) expect(score).toBeGreaterThanOrEqual(0.85);
  });
});
