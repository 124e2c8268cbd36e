import { z } from 'zod';

/** Largest source accepted by `POST /v3/test-vectors` (characters). */
export const maximumVectorSourceLength = 1_000_000;

const relativePath = z
  .string()
  .min(1)
  .max(300)
  .refine(
    (value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..') && !value.includes('\0'),
    {
      message: 'must be a relative path inside the project (no leading "/", no "..")',
    },
  );

/** The body of `POST /v3/test-vectors`: code in, executed and judged vectors (and optionally test files) out. */
export const testVectorsRequestSchema = z.object({
  /** The source code of the module under test. */
  source: z
    .string()
    .min(1, 'source is empty: send the code of the module under test')
    .max(maximumVectorSourceLength),
  language: z.enum(['typescript', 'javascript', 'python']),
  /** Where the file lives in the caller's project; emitted tests import it by this relative path. */
  filename: relativePath.optional(),
  /** Only these functions (`name` or `Class.method`). */
  functions: z.array(z.string().min(1).max(200)).max(100).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .optional(),
  /** Fixed-catalogue vectors per function (default 160). */
  budget: z.number().int().min(1).max(1000).optional(),
  /** Property-based runs per function (default 40). */
  property_runs: z.number().int().min(0).max(1000).optional(),
  /** Per-call time limit in milliseconds (default 2000). */
  timeout_ms: z.number().int().min(50).max(10_000).optional(),
  /** Differential mode: another implementation of the same functions, same language. */
  reference_source: z.string().min(1).max(maximumVectorSourceLength).optional(),
  /** Also return runnable test files (needs the `code:write` scope). */
  emit: z.boolean().optional(),
  /** Directory of the emitted tests, relative to the project root (default `test/vectors`). */
  emit_directory: relativePath.optional(),
});
export type TestVectorsRequest = z.infer<typeof testVectorsRequestSchema>;
