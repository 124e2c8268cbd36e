import { z } from 'zod';
import { relativePathSchema as relativePath } from './relative-path-schema.ts';

/** Largest total size of the files of one review request (characters). */
export const maximumReviewLength = 5_000_000;

/** The body of `POST /v3/reviews`: files in, security findings (JSON, SARIF, text) out. */
export const reviewRequestSchema = z
  .object({
    files: z
      .array(
        z.object({
          path: relativePath,
          content: z.string().max(maximumReviewLength),
          /** `javascript`, `typescript`, `python` or `java`; default: from the extension. */
          language: z.enum(['javascript', 'typescript', 'python', 'java']).optional(),
        }),
      )
      .min(1, 'files is empty: send at least one file, e.g. [{"path":"app.py","content":"..."}]')
      .max(2_000),
    /** A baseline from an earlier review (`createBaseline` / `plumb review --write-baseline`): known findings are dropped. */
    baseline: z.unknown().optional(),
    /** Also return the findings as a SARIF 2.1.0 log. */
    sarif: z.boolean().optional(),
    /** Also return each file with its safe autofixes applied (needs the `code:write` scope). */
    fix: z.boolean().optional(),
  })
  .refine((body) => body.files.reduce((sum, file) => sum + file.content.length, 0) <= maximumReviewLength, {
    message: `the files together must be at most ${maximumReviewLength} characters`,
    path: ['files'],
  });
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;
