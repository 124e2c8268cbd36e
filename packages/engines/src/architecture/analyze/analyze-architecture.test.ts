import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeArchitecture } from './analyze-architecture.ts';
import { fixtureCodeGraph } from './fixture-code-graph.ts';

/** a -> b -> c -> a (c -> a is the single, lightest import closing the cycle), plus d -> a outside it. */
const cycleGraph = fixtureCodeGraph({
  'src/a/a.ts': {
    imports: [
      { specifier: '../b/b', to: 'src/b/b.ts', line: 2 },
      { specifier: '../b/b2', to: 'src/b/b2.ts', line: 3 },
    ],
  },
  'src/b/b.ts': { imports: [{ specifier: '../c/c', to: 'src/c/c.ts', line: 1 }] },
  'src/b/b2.ts': { imports: [{ specifier: '../c/c', to: 'src/c/c.ts', line: 4 }] },
  'src/c/c.ts': { imports: [{ specifier: '../a/a', to: 'src/a/a.ts', line: 7 }] },
  'src/d/d.ts': { imports: [{ specifier: '../a/a', to: 'src/a/a.ts', line: 1, typeOnly: true }] },
});

describe('analyzeArchitecture', () => {
  it('finds the cycle a -> b -> c -> a with the edge that closes it, at folder level', async () => {
    const report = await analyzeArchitecture({ graph: cycleGraph });
    expect(report.level).toBe('folder');
    expect(report.cycles).toHaveLength(1);
    const cycle = report.cycles[0]!;
    expect(cycle.modules).toEqual(['src/a', 'src/b', 'src/c']);
    expect(cycle.edges).toHaveLength(3);
    expect(cycle.closingEdges.map(({ from, to, weight }) => ({ from, to, weight }))).toEqual([
      { from: 'src/c', to: 'src/a', weight: 1 },
    ]);
    expect(cycle.closingEdges[0]!.imports[0]).toMatchObject({ from: 'src/c/c.ts', line: 7 });
    const ab = report.dependencies.find((edge) => edge.from === 'src/a' && edge.to === 'src/b');
    expect(ab).toMatchObject({ weight: 2, inCycle: true, typeOnly: false });
    expect(report.dependencies.find((edge) => edge.from === 'src/d')).toMatchObject({
      typeOnly: true,
      inCycle: false,
    });
  });

  it('finds the same cycle at file level, and none once the closing import is gone', async () => {
    const fileReport = await analyzeArchitecture({ graph: cycleGraph, level: 'file' });
    expect(fileReport.cycles[0]!.modules).toEqual(['src/a/a.ts', 'src/b/b.ts', 'src/b/b2.ts', 'src/c/c.ts']);
    expect(fileReport.cycles[0]!.closingEdges).toHaveLength(1);
    const acyclic = fixtureCodeGraph({
      'a.ts': { imports: [{ specifier: './b', to: 'b.ts' }] },
      'b.ts': { imports: [{ specifier: './c', to: 'c.ts' }] },
      'c.ts': {},
    });
    expect((await analyzeArchitecture({ graph: acyclic, level: 'file' })).cycles).toEqual([]);
  });

  it('computes fan-in, fan-out, instability, abstractness and distance', async () => {
    const graph = fixtureCodeGraph({
      'ui/page.ts': {
        imports: [
          { specifier: '../domain/order', to: 'domain/order.ts' },
          { specifier: '../db/pool', to: 'db/pool.ts' },
        ],
        definitions: [{ name: 'Page', kind: 'class' }],
      },
      'domain/order.ts': {
        imports: [{ specifier: '../db/pool', to: 'db/pool.ts' }],
        definitions: [
          { name: 'Repository', kind: 'interface' },
          { name: 'Base', kind: 'class', signature: 'export abstract class Base' },
          { name: 'Order', kind: 'class' },
          { name: 'Other', kind: 'class' },
        ],
      },
      'db/pool.ts': { definitions: [{ name: 'Pool', kind: 'class' }] },
      'js/plain.js': { language: 'javascript', definitions: [{ name: 'X', kind: 'class' }] },
    });
    const report = await analyzeArchitecture({ graph });
    const byId = new Map(report.modules.map((module) => [module.id, module]));
    expect(byId.get('ui')).toMatchObject({
      fanIn: 0,
      fanOut: 2,
      instability: 1,
      abstractness: 0,
      distance: 0,
    });
    expect(byId.get('domain')).toMatchObject({
      fanIn: 1,
      fanOut: 1,
      instability: 0.5,
      abstractness: 0.5,
      distance: 0,
    });
    expect(byId.get('db')).toMatchObject({
      fanIn: 2,
      fanOut: 0,
      instability: 0,
      abstractness: 0,
      distance: 1,
    });
    expect(byId.get('js')).toMatchObject({ instability: null, abstractness: null, distance: null });
  });

  it('groups Java files by package and reports layer violations with file:line', async () => {
    const graph = fixtureCodeGraph({
      'src/ui/view.ts': {
        imports: [
          { specifier: '../domain/model', to: 'src/domain/model.ts', line: 1 },
          { specifier: '../db/pool', to: 'src/db/pool.ts', line: 5 },
        ],
      },
      'src/domain/model.ts': { imports: [{ specifier: '../db/pool', to: 'src/db/pool.ts', line: 2 }] },
      'src/db/pool.ts': {},
      'java/com/acme/A.java': { language: 'java', packageName: 'com.acme' },
    });
    const report = await analyzeArchitecture({
      graph,
      level: 'package',
      layers: {
        layers: { ui: ['src/ui/**'], domain: ['src/domain/**'], db: ['src/db/**'], jobs: ['src/jobs/**'] },
        forbidden: ['ui -> db', 'domain -> ui'],
      },
    });
    expect(report.layerViolations).toEqual([
      {
        rule: 'ui -> db',
        fromLayer: 'ui',
        toLayer: 'db',
        file: 'src/ui/view.ts',
        line: 5,
        target: 'src/db/pool.ts',
        specifier: '../db/pool',
        typeOnly: false,
      },
    ]);
    expect(report.warnings.some((warning) => warning.includes('"jobs" matches no file'))).toBe(true);
    expect(report.modules.map((module) => module.id)).toContain('com.acme');
  });

  it('lists unreferenced exports as dead-code candidates, sparing entry points and used code', async () => {
    const graph = fixtureCodeGraph(
      {
        'src/lib.ts': {
          definitions: [
            { name: 'used', line: 3 },
            { name: 'unusedHelper', line: 10 },
            { name: 'calledOnly', line: 20 },
            { name: 'internal', exported: false, line: 30 },
            { name: 'handler', decorators: ['Get'], line: 40 },
            { name: 'main', line: 50 },
            { name: 'Service', kind: 'class', line: 60 },
            { name: 'run', kind: 'method', parent: 'Service', line: 61 },
          ],
        },
        'src/app.ts': {
          imports: [{ specifier: './lib', to: 'src/lib.ts', names: [{ imported: 'used', local: 'used' }] }],
        },
        'src/index.ts': {
          imports: [
            {
              specifier: './public',
              to: 'src/public.ts',
              kind: 'reexport',
              names: [{ imported: '*', local: '*' }],
            },
          ],
          definitions: [{ name: 'fromIndex' }],
        },
        'src/public.ts': { definitions: [{ name: 'publicApi' }] },
        'src/lib.test.ts': { isTest: true, definitions: [{ name: 'testHelper' }] },
      },
      [
        { from: 'src/app.ts#', to: 'src/lib.ts#calledOnly' },
        { from: 'src/app.ts#', to: 'src/lib.ts#Service.run' },
      ],
    );
    const report = await analyzeArchitecture({ graph });
    expect(report.deadCodeCandidates).toEqual([
      { id: 'src/lib.ts#unusedHelper', name: 'unusedHelper', kind: 'function', file: 'src/lib.ts', line: 10 },
    ]);
    expect(report.deadCodeCandidatesNote).toMatch(/candidates/i);
  });
});

describe('analyzeArchitecture hotspots', () => {
  const temporary = mkdtempSync(path.join(tmpdir(), 'plumb-arch-'));
  afterAll(() => rmSync(temporary, { recursive: true, force: true }));

  it('ranks files by complexity × commits in a git repository', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: temporary, stdio: 'pipe' });
    git('init', '-q');
    git('config', 'user.name', 'Plumb Test');
    git('config', 'user.email', 'test@plumb.invalid');
    mkdirSync(path.join(temporary, 'src'));
    for (let commit = 1; commit <= 3; commit++) {
      writeFileSync(path.join(temporary, 'src/busy.ts'), `export const version = ${commit};\n`);
      if (commit === 1) writeFileSync(path.join(temporary, 'src/calm.ts'), 'export const calm = 1;\n');
      git('add', '.');
      git('commit', '-q', '-m', `change ${commit}`);
    }
    const graph = fixtureCodeGraph({
      'src/busy.ts': {
        definitions: [
          { name: 'a', complexity: 4 },
          { name: 'b', complexity: 2 },
        ],
      },
      'src/calm.ts': { definitions: [{ name: 'c', complexity: 9 }] },
      'src/new.ts': { definitions: [{ name: 'd', complexity: 50 }] },
    });
    const report = await analyzeArchitecture({ graph, root: temporary });
    expect(report.hotspots).toEqual([
      { file: 'src/busy.ts', complexity: 6, churn: 3, score: 18 },
      { file: 'src/calm.ts', complexity: 9, churn: 1, score: 9 },
    ]);
    // A window ending before the commits sees no churn.
    const past = await analyzeArchitecture({ graph, root: temporary, now: new Date('2000-01-01') });
    expect(past.hotspots).toEqual([]);
  });

  it('skips hotspots with a warning outside a git repository', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'plumb-arch-plain-'));
    try {
      const report = await analyzeArchitecture({ graph: fixtureCodeGraph({ 'a.ts': {} }), root: plain });
      expect(report.hotspots).toBeNull();
      expect(report.warnings.join('\n')).toMatch(/not a git repository/);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
