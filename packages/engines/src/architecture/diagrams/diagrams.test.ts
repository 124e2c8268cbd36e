import { describe, expect, it } from 'vitest';
import { analyzeArchitecture } from '../analyze/analyze-architecture.ts';
import { fixtureCodeGraph } from '../analyze/fixture-code-graph.ts';
import { collapseToFolders } from './collapse-to-folders.ts';
import type { DiagramGraph } from './diagram-graph.ts';
import { renderSvg } from './render-svg.ts';
import { toD2 } from './to-d2.ts';
import { toDot } from './to-dot.ts';
import { toMermaid } from './to-mermaid.ts';

const graph: DiagramGraph = {
  nodes: ['src/ui', 'src/db', { id: 'src/"odd"', label: 'odd <name>' }],
  edges: [
    { from: 'src/ui', to: 'src/db', weight: 3, inCycle: true },
    { from: 'src/db', to: 'src/ui', weight: 1, inCycle: true },
    { from: 'src/"odd"', to: 'src/db', typeOnly: true },
  ],
};

describe('toMermaid', () => {
  it('writes a flowchart with generated ids, escaped labels, dashed type-only edges and red cycles', () => {
    const { text, warnings } = toMermaid(graph);
    expect(warnings).toEqual([]);
    expect(text).toBe(
      [
        'flowchart LR',
        '  n0["src/ui"]',
        '  n1["src/db"]',
        '  n2["odd #lt;name#gt;"]',
        '  n0 -->|3| n1',
        '  n1 --> n0',
        '  n2 -.-> n1',
        '  classDef cycle stroke:#d33,stroke-width:2px',
        '  class n0,n1 cycle',
        '  linkStyle 0,1 stroke:#d33,stroke-width:2px',
        '',
      ].join('\n'),
    );
  });
});

describe('toD2', () => {
  it('quotes keys so paths stay literal, and styles cycles and type-only edges', () => {
    const { text } = toD2(graph);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('direction: right');
    expect(lines).toContain('"src/ui": {style.stroke: "#d33"}');
    expect(lines).toContain('"src/\\"odd\\"": {label: "odd <name>"}');
    expect(lines).toContain('"src/ui" -> "src/db": 3 {style.stroke: "#d33"; style.stroke-width: 2}');
    expect(lines).toContain('"src/\\"odd\\"" -> "src/db": {style.stroke-dash: 3}');
  });
});

describe('toDot and renderSvg', () => {
  it('renders an SVG without a browser that names every node', async () => {
    const { text } = toDot(graph);
    expect(text).toContain('"src/ui" -> "src/db" [label="3", color="#d33", penwidth=2];');
    const svg = await renderSvg(text);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('src/ui');
    expect(svg).toContain('src/db');
    expect(svg).toContain('odd &lt;name&gt;');
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('reports DOT it cannot parse as invalid_request', async () => {
    await expect(renderSvg('digraph { a -> }')).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('collapsing large graphs', () => {
  it('collapses file nodes to folders above the node limit, merging edges, with a warning', () => {
    const files: DiagramGraph = {
      nodes: ['app/ui/a.ts', 'app/ui/b.ts', 'app/db/c.ts', 'app/db/d.ts'],
      edges: [
        { from: 'app/ui/a.ts', to: 'app/db/c.ts', weight: 1 },
        { from: 'app/ui/b.ts', to: 'app/db/d.ts', weight: 2, typeOnly: true },
        { from: 'app/ui/a.ts', to: 'app/ui/b.ts' },
      ],
    };
    const { diagram, warnings } = collapseToFolders(files, { nodeLimit: 2 });
    expect(diagram.nodes.map((node) => node.id)).toEqual(['app/ui', 'app/db']);
    expect(diagram.edges).toEqual([
      { from: 'app/ui', to: 'app/db', weight: 3, typeOnly: false, inCycle: false },
    ]);
    expect(warnings[0]).toMatch(/4 nodes, more than the limit of 2/);
    expect(toMermaid(files, { nodeLimit: 2 }).text).toContain('n0 -->|3| n1');
  });

  it('draws an architecture report directly, its cycle in red', async () => {
    const report = await analyzeArchitecture({
      graph: fixtureCodeGraph({
        'src/a/a.ts': { imports: [{ specifier: '../b/b', to: 'src/b/b.ts' }] },
        'src/b/b.ts': { imports: [{ specifier: '../a/a', to: 'src/a/a.ts' }] },
      }),
    });
    const { text } = toMermaid({ nodes: report.modules, edges: report.dependencies });
    expect(text).toContain('class n0,n1 cycle');
  });
});
