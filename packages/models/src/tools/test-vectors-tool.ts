import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tool } from 'ai';
import { z } from 'zod';
import { formatVectorSummary, generateTestVectors } from '@plumb/engines';

const extensions = { typescript: '.ts', javascript: '.js', python: '.py' } as const;

/** What the model gets back: the Markdown summary and the findings, bounded so they fit in its context. */
export interface TestVectorsToolOutput {
  summary: string;
  findings: { kind: string; function: string; severity: string; message: string }[];
  vectorsExecuted: number;
  warnings: string[];
}

/**
 * The test-vector engine as a tool a model can call (Vercel AI SDK `tool`): the model sends a module's
 * source, the engine executes boundary, unicode, security and property-based vectors in its sandbox and
 * answers with the findings. The budget is smaller than the CLI's so that a tool call stays within a few
 * seconds.
 *
 * @example const tools = { test_vectors: createTestVectorsTool() };
 */
export function createTestVectorsTool(options: { pythonPath?: string; budget?: number } = {}) {
  return tool({
    description:
      'Generate and execute test vectors (boundaries, empty/huge/unicode strings, injection payloads, nulls, property-based cases) ' +
      'for the exported functions of a TypeScript, JavaScript or Python module, in a sandbox. Returns findings: crashes, hangs, ' +
      'documented examples that fail, wrong return types, NaN results, split unicode, unescaped injection, input mutation, ' +
      'non-determinism. Use it to check code before presenting it.',
    inputSchema: z.object({
      source: z.string().min(1).max(200_000).describe('the whole module, with its exports and doc comments'),
      language: z.enum(['typescript', 'javascript', 'python']),
      functions: z
        .array(z.string())
        .max(20)
        .optional()
        .describe('only these functions (default: all exported)'),
      seed: z.number().int().min(0).optional(),
    }),
    execute: async (
      { source, language, functions, seed },
      { abortSignal },
    ): Promise<TestVectorsToolOutput> => {
      const directory = await mkdtemp(path.join(tmpdir(), 'plumb-tool-vectors-'));
      try {
        const file = path.join(directory, `module${extensions[language]}`);
        await writeFile(file, source);
        const result = await generateTestVectors({
          file,
          budget: options.budget ?? 80,
          propertyRuns: 20,
          ...(functions ? { functions } : {}),
          ...(seed !== undefined ? { seed } : {}),
          ...(options.pythonPath ? { pythonPath: options.pythonPath } : {}),
          ...(abortSignal ? { signal: abortSignal } : {}),
        });
        return {
          summary: formatVectorSummary(result),
          findings: result.findings.slice(0, 40).map(({ kind, function: name, severity, message }) => ({
            kind,
            function: name,
            severity,
            message,
          })),
          vectorsExecuted: result.functions.reduce((sum, report) => sum + report.counts.vectors, 0),
          warnings: result.warnings,
        };
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  });
}
