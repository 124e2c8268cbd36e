import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCodeGraph } from '../../code-graph/build-code-graph.ts';
import { createMemoryCodeGraphStore } from '../../code-graph/create-memory-code-graph-store.ts';
import { indexRepository } from '../../code-graph/index-repository.ts';
import { analyzeArchitecture } from './analyze-architecture.ts';

/** A small TypeScript repository parsed by the real indexer: ui -> domain -> db, plus db -> ui (a cycle). */
const sources: Record<string, string> = {
  'web/package.json': '{ "name": "web" }\n',
  'web/src/ui/page.ts': [
    "import { placeOrder } from '../domain/orders';",
    "import { query } from '../db/pool';",
    'export function render(): string {',
    '  return placeOrder(1) + query();',
    '}',
    '',
  ].join('\n'),
  'web/src/domain/orders.ts': [
    "import { query } from '../db/pool';",
    'export interface OrderRepository { find(id: number): string }',
    'export function placeOrder(id: number): string {',
    '  return id > 0 ? query() : "";',
    '}',
    'export function forgottenHelper(): number {',
    '  return 42;',
    '}',
    '',
  ].join('\n'),
  'web/src/db/pool.ts': [
    "import type { Theme } from '../ui/theme';",
    'export function query(): string {',
    '  return "rows";',
    '}',
    'export const theme: Theme | undefined = undefined;',
    '',
  ].join('\n'),
  'web/src/ui/theme.ts': 'export interface Theme { colour: string }\n',
};

describe('analyzeArchitecture on an indexed repository', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'plumb-arch-indexed-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports the cycle, the layer violation with its line, metrics and a dead export', async () => {
    for (const [file, text] of Object.entries(sources)) {
      mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      writeFileSync(path.join(root, file), text);
    }
    const store = createMemoryCodeGraphStore();
    const indexed = await indexRepository({ root, store, repository: 'web' });
    const graph = buildCodeGraph(await store.loadFiles('web'), indexed.revision, {
      importConfig: indexed.importConfig,
    });
    const report = await analyzeArchitecture({
      graph,
      root,
      gitChurn: false,
      layers: {
        layers: { ui: ['web/src/ui/**'], domain: ['web/src/domain/**'], db: ['web/src/db/**'] },
        forbidden: ['ui -> db', 'db -> ui'],
      },
    });
    expect(report.cycles.map((cycle) => cycle.modules)).toEqual([
      ['web/src/db', 'web/src/domain', 'web/src/ui'],
    ]);
    // db -> ui is a single type-only import: the lightest edge, the one proposed for cutting.
    expect(report.cycles[0]!.closingEdges.map(({ from, to }) => `${from} -> ${to}`)).toEqual([
      'web/src/db -> web/src/ui',
    ]);
    expect(
      report.layerViolations.map((violation) => `${violation.rule} ${violation.file}:${violation.line}`),
    ).toEqual(['db -> ui web/src/db/pool.ts:1', 'ui -> db web/src/ui/page.ts:2']);
    expect(report.layerViolations[0]!.typeOnly).toBe(true);
    const database = report.modules.find((module) => module.id === 'web/src/db');
    expect(database).toMatchObject({ fanIn: 2, fanOut: 1, instability: 1 / 3 });
    expect(report.deadCodeCandidates.map((candidate) => candidate.name)).toContain('forgottenHelper');
    expect(report.deadCodeCandidates.map((candidate) => candidate.name)).not.toContain('placeOrder');

    const packages = await analyzeArchitecture({ graph, root, level: 'package', gitChurn: false });
    expect(packages.modules.map((module) => module.id)).toEqual(['web']);
  });
});
