import { z } from 'zod';

/** OAuth 2.0 scopes of the Plumb API. */
export const scopeSchema = z.enum(['code:read', 'code:write', 'code:debug', 'usage:read', 'admin']);
export type Scope = z.infer<typeof scopeSchema>;
export const allScopes: readonly Scope[] = scopeSchema.options;

/** What each scope allows, for docs, consent pages and `plumb clients create --help`. */
export const scopeDescriptions: Record<Scope, string> = {
  'code:read': 'Analysis, review and explanation of code; chat completions that only read.',
  'code:write': 'Code generation, scaffolding and emitted tests.',
  'code:debug': 'Anything that executes user code: debugging sessions, test vectors, evaluations.',
  'usage:read': 'Read usage and spend reports.',
  admin: 'Manage clients, API keys, users and signing keys.',
};
