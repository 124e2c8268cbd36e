import { tool } from 'ai';
import { z } from 'zod';
import type { Explanation, ExplainedUnit, Relation } from '@plumb/engines';
import { PlumbError } from '@plumb/protocol';

/** Relations listed per direction when the model does not ask for a number. */
const defaultRelationLimit = 8;
/** Public members or exported definitions listed at most. */
const maximumSurface = 25;

/** What the model may send: the name to explain and, optionally, how many relations it wants per direction. */
export const explainToolInputSchema = z.object({
  target: z
    .string()
    .min(1)
    .max(300)
    .describe(
      'a symbol (CheckoutService), a qualified name (CheckoutService.place), a file path or a folder',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .max(20)
    .optional()
    .describe(`dependencies and dependents listed per direction (default ${defaultRelationLimit})`),
});

/** A unit as the model sees it: `path:line` instead of separate fields, the signature when there is one. */
interface UnitSummary {
  id: string;
  kind: string;
  at: string;
  signature?: string;
}

/** The facts the model gets back (no diagram, bounded lists), or why the name could not be explained. */
export type ExplainToolOutput =
  | {
      target: UnitSummary & { name: string; targetKind: string; language?: string };
      purpose?: string;
      surface: UnitSummary[];
      dependencies: (UnitSummary & {
        kinds: string[];
        uses: number;
        confidence: number;
        citedAt: string[];
      })[];
      dependents: (UnitSummary & { kinds: string[]; uses: number; confidence: number; citedAt: string[] })[];
      externalPackages: string[];
      entryPoints: { kind: string; label: string; at: string; via: string[] }[];
      tests: string[];
      warnings: string[];
    }
  | { error: { code: string; message: string } };

/** Codes the model can act on (pick a candidate, ask differently); anything else is Plumb's failure. */
const answerableCodes = new Set(['symbol_not_found', 'symbol_ambiguous', 'invalid_request']);

/**
 * The code graph's onboarding answer as a tool a model can call (Vercel AI SDK `tool`): the model names a
 * symbol, file or folder of the repository in context and gets what it is, where, its purpose, public surface,
 * ranked dependencies and dependents, the entry points that reach it and its tests, each with `path:line`.
 * An unknown or ambiguous name comes back as an error whose message lists the closest candidates, so the model
 * can call again with one of their ids.
 *
 * @example
 * const tools = { explain_code: createExplainTool({ explain: (target, limit) => codeGraph.explain(owner, 'shop', target, limit) }) };
 */
export function createExplainTool(options: {
  explain: (target: string, limit?: number) => Promise<Explanation>;
}) {
  return tool({
    description:
      'Explain a symbol, file or folder of the repository: what it is and where (path:line), its documented purpose, ' +
      'public surface, what it depends on and what depends on it (ranked), the entry points (HTTP routes, CLI ' +
      'commands, main functions, jobs) that reach it and the tests that exercise it. Use it before describing or ' +
      'changing code you have not seen. An unknown or ambiguous name answers with candidate ids to retry with.',
    inputSchema: explainToolInputSchema,
    execute: async ({ target, limit }): Promise<ExplainToolOutput> => {
      let explanation: Explanation;
      try {
        explanation = await options.explain(target, limit ?? defaultRelationLimit);
      } catch (error) {
        if (error instanceof PlumbError && answerableCodes.has(error.code))
          return { error: { code: error.code, message: error.message } };
        throw error;
      }
      return toToolOutput(explanation, limit ?? defaultRelationLimit);
    },
  });
}

function toToolOutput(explanation: Explanation, limit: number): ExplainToolOutput {
  const { target } = explanation;
  return {
    target: {
      ...summarize(target),
      name: target.name,
      targetKind: target.targetKind,
      ...(target.language ? { language: target.language } : {}),
    },
    ...(explanation.purpose ? { purpose: explanation.purpose.text } : {}),
    surface: explanation.surface.slice(0, maximumSurface).map(summarize),
    // The explain function was asked for `limit`, but a caller's function may ignore it: bound here too.
    dependencies: explanation.dependencies.slice(0, limit).map(summarizeRelation),
    dependents: explanation.dependents.slice(0, limit).map(summarizeRelation),
    externalPackages: explanation.externalPackages.slice(0, 30),
    entryPoints: explanation.entryPoints.slice(0, limit).map((entry) => ({
      kind: entry.kind,
      label: entry.label,
      at: `${entry.at.path}:${entry.at.line}`,
      via: entry.via.map((unit) => unit.name),
    })),
    tests: explanation.tests.slice(0, limit).map((test) => `${test.path}:${test.line}`),
    warnings: [
      ...explanation.warnings,
      ...(explanation.surface.length > maximumSurface
        ? [`${explanation.surface.length - maximumSurface} more public members not listed.`]
        : []),
    ],
  };
}

function summarize(unit: ExplainedUnit): UnitSummary {
  return {
    id: unit.id,
    kind: unit.kind,
    at: `${unit.path}:${unit.line}`,
    ...(unit.signature ? { signature: unit.signature.replace(/\s+/g, ' ').slice(0, 200) } : {}),
  };
}

function summarizeRelation(relation: Relation) {
  return {
    ...summarize(relation.unit),
    kinds: relation.kinds,
    uses: relation.count,
    confidence: Math.round(relation.confidence * 100) / 100,
    citedAt: relation.at.slice(0, 3).map((citation) => `${citation.path}:${citation.line}`),
  };
}
