import { z } from 'zod';
import { relativePathSchema as relativePath } from './relative-path-schema.ts';

/** Largest total size of the files of one upload (characters). */
export const maximumRepositoryUpload = 50_000_000;

/** A repository's name as the client chose it: letters, digits, `.`, `_`, `-`. */
export const repositoryNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" and "-" (e.g. "shop-backend")');

/**
 * The body of `PUT /v3/code-graph/repositories/{name}`: files to add or replace (and paths to remove) in the
 * client's copy of a repository on the server; the code graph re-indexes only what changed.
 */
export const repositoryUploadSchema = z
  .object({
    files: z
      .array(z.object({ path: relativePath, content: z.string() }))
      .max(20_000)
      .default([]),
    remove: z.array(relativePath).max(20_000).optional(),
    /** Remove every file not in `files` (a full snapshot rather than a change set). */
    replace: z.boolean().optional(),
  })
  .refine(
    (body) => body.files.reduce((sum, file) => sum + file.content.length, 0) <= maximumRepositoryUpload,
    {
      message: `the files together must be at most ${maximumRepositoryUpload} characters; upload in several requests`,
      path: ['files'],
    },
  )
  .refine((body) => body.files.length > 0 || (body.remove?.length ?? 0) > 0 || body.replace === true, {
    message: 'send "files" to add or change, or "remove" with paths to delete',
    path: ['files'],
  });
export type RepositoryUpload = z.infer<typeof repositoryUploadSchema>;

/** The body of `POST /v3/explain`: an onboarding answer about a symbol, file or folder of a repository. */
export const explainRequestSchema = z.object({
  repository: repositoryNameSchema,
  /** `CheckoutService`, `billing.InvoiceService.issue`, `src/orders/`, `src/orders/checkout.ts`. */
  target: z.string().min(1).max(500),
  /** Relations listed per direction (default 12). */
  limit: z.number().int().min(1).max(200).optional(),
  /** A model (`provider/model-id`) writes the narrative from the graph's facts; without one the answer is the report. */
  model: z.string().min(1).max(200).optional(),
});
export type ExplainRequest = z.infer<typeof explainRequestSchema>;

const layerRulesSchema = z.object({
  layers: z.record(z.string().min(1).max(100), z.array(z.string().min(1).max(500)).min(1)),
  forbidden: z.array(z.string().min(1).max(300)).default([]),
});

/** The body of `POST /v3/architecture/analyses`. */
export const architectureAnalysisRequestSchema = z.object({
  repository: repositoryNameSchema,
  level: z.enum(['file', 'folder', 'package']).optional(),
  /** Layer rules: `{ layers: { ui: ["src/ui/**"], db: ["src/db/**"] }, forbidden: ["ui -> db"] }`. */
  layers: layerRulesSchema.optional(),
  /** Diagram formats to return besides JSON. */
  diagrams: z
    .array(z.enum(['mermaid', 'd2', 'dot', 'svg']))
    .max(4)
    .optional(),
});
export type ArchitectureAnalysisRequest = z.infer<typeof architectureAnalysisRequestSchema>;

/** The body of `POST /v3/architecture/decompositions`. */
export const decompositionRequestSchema = z.object({
  repository: repositoryNameSchema,
  /** A number of services, or a range to search (`{ "min": 3, "max": 8 }`). */
  services: z
    .union([
      z.number().int().min(1).max(100),
      z
        .object({ min: z.number().int().min(1).max(100), max: z.number().int().min(1).max(100) })
        .refine((range) => range.min <= range.max, { message: 'min must not exceed max' }),
    ])
    .optional(),
  method: z.enum(['louvain', 'hierarchical']).optional(),
  resolution: z.number().positive().max(100).optional(),
  seed: z.number().int().optional(),
  /** Runtime call traces: `{ "calls": [{ "from": "...", "to": "...", "count": 12 }] }`. */
  traces: z.unknown().optional(),
  /** Unit id → business context, for the business-context purity metric. */
  business_contexts: z.record(z.string().max(500), z.string().max(100)).optional(),
});
export type DecompositionRequest = z.infer<typeof decompositionRequestSchema>;
