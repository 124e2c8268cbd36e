import { z } from 'zod';
import { relativePathSchema as relativePath } from './relative-path-schema.ts';

/** The body of `POST /v3/dependencies/check`: manifests and/or code in, verdicts and recommended edits out. */
export const dependencyCheckRequestSchema = z
  .object({
    /** package.json, package-lock.json, requirements*.txt, pyproject.toml, by their project-relative path. */
    manifests: z
      .array(z.object({ path: relativePath, content: z.string().max(50_000_000) }))
      .max(50)
      .optional(),
    /** Generated code or chat text: its imports and install commands are checked. */
    code: z.string().max(1_000_000).optional(),
    /** Minimum age of a release in days (default 7). */
    min_age_days: z.number().min(0).max(3650).optional(),
    runtime: z
      .object({ node: z.string().max(40).optional(), python: z.string().max(40).optional() })
      .optional(),
    /** Allowed SPDX licenses; `null` turns the license check off. */
    license_allow_list: z.array(z.string().max(100)).max(200).nullable().optional(),
    /** Answer from the server's registry cache only. */
    offline: z.boolean().optional(),
    /** Also return the manifests with the recommended versions written in. */
    fix: z.boolean().optional(),
  })
  .refine((body) => (body.manifests?.length ?? 0) > 0 || (body.code ?? '') !== '', {
    message: 'send "manifests" (e.g. [{"path":"package.json","content":"..."}]) or "code" to check',
    path: ['manifests'],
  });
export type DependencyCheckRequest = z.infer<typeof dependencyCheckRequestSchema>;
