import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCapturedProgram } from '../testing/start-captured-program.ts';

const monolith = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../engines/fixtures/monolith',
);
const directory = mkdtempSync(path.join(tmpdir(), 'plumb-code-graph-cli-'));
const dataDir = path.join(directory, 'data');
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('plumb explain', () => {
  it('explains a symbol with citations, and re-indexes nothing the second time', async () => {
    const first = await runCapturedProgram([
      'explain',
      'CheckoutService',
      '--repo',
      monolith,
      '--data-dir',
      dataDir,
    ]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('# CheckoutService (class)');
    expect(first.stdout).toContain('src/http/order-routes.ts:56');
    expect(first.stderr).toMatch(/61 files \(61 parsed/);
    const second = await runCapturedProgram([
      'explain',
      'InvoiceService',
      '--repo',
      monolith,
      '--data-dir',
      dataDir,
      '--json',
    ]);
    expect(second.exitCode).toBe(0);
    const explanation = JSON.parse(second.stdout) as { target: { id: string }; tests: { path: string }[] };
    expect(explanation.target.id).toBe('src/billing/invoice-service.ts#InvoiceService');
    expect(explanation.tests.map((test) => test.path)).toContain('tests/invoice-service.test.ts');
  }, 120_000);

  it('exits 1 with candidates for an unknown name, 2 for a missing repository', async () => {
    const unknown = await runCapturedProgram([
      'explain',
      'NoSuchService',
      '--repo',
      monolith,
      '--data-dir',
      dataDir,
    ]);
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('symbol_not_found');
    const missing = await runCapturedProgram([
      'explain',
      'X',
      '--repo',
      path.join(directory, 'nope'),
      '--data-dir',
      dataDir,
    ]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('not a directory');
  }, 120_000);
});

describe('plumb arch', () => {
  it('analyze finds a cycle and a layer violation (exit 1), and writes Mermaid and SVG', async () => {
    const root = path.join(directory, 'layered');
    mkdirSync(path.join(root, 'src/ui'), { recursive: true });
    mkdirSync(path.join(root, 'src/db'), { recursive: true });
    writeFileSync(
      path.join(root, 'src/ui/page.ts'),
      "import { query } from '../db/query';\nexport const page = () => query();\n",
    );
    writeFileSync(
      path.join(root, 'src/db/query.ts'),
      "import { page } from '../ui/page';\nexport const query = () => String(page);\n",
    );
    writeFileSync(
      path.join(root, 'layers.yaml'),
      'layers:\n  ui: ["src/ui/**"]\n  db: ["src/db/**"]\nforbidden:\n  - ui -> db\n',
    );
    const text = await runCapturedProgram([
      'arch',
      'analyze',
      root,
      '--layers',
      path.join(root, 'layers.yaml'),
      '--no-churn',
      '--data-dir',
      dataDir,
    ]);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('src/ui/page.ts:1 ui -> db');
    expect(text.stdout).toMatch(/1 cycle\b/);
    const svg = path.join(directory, 'graph.svg');
    const drawn = await runCapturedProgram([
      'arch',
      'analyze',
      root,
      '--format',
      'svg',
      '--out',
      svg,
      '--no-churn',
      '--data-dir',
      dataDir,
    ]);
    expect(drawn.exitCode).toBe(0);
    expect(readFileSync(svg, 'utf8')).toContain('<svg');
    const mermaid = await runCapturedProgram([
      'arch',
      'analyze',
      root,
      '--format',
      'mermaid',
      '--no-churn',
      '--data-dir',
      dataDir,
    ]);
    expect(mermaid.stdout).toMatch(/^(flowchart|graph) /);
  }, 120_000);

  it('decompose proposes the requested number of services with metrics', async () => {
    const run = await runCapturedProgram([
      'arch',
      'decompose',
      monolith,
      '--services',
      '5',
      '--seed',
      '2',
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(run.exitCode).toBe(0);
    const result = JSON.parse(run.stdout) as { services: unknown[]; metrics: { sm: number } };
    expect(result.services).toHaveLength(5);
    expect(result.metrics.sm).toBeGreaterThan(0);
    const bad = await runCapturedProgram([
      'arch',
      'decompose',
      monolith,
      '--services',
      'lots',
      '--data-dir',
      dataDir,
    ]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--services');
  }, 120_000);
});
