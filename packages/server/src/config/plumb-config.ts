import { z } from 'zod';

const providerSchema = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'Provider names are lower-case letters, digits, _ and -.'),
  type: z.enum(['openai-compatible', 'openai', 'anthropic']),
  baseUrl: z.url().optional(),
  apiKey: z.string().optional(),
  models: z.array(z.string().min(1)).optional(),
  headers: z.record(z.string(), z.string()).optional(),
});

/** The whole server configuration, validated once at startup by `loadConfig`. */
export const plumbConfigSchema = z.object({
  profile: z.enum(['development', 'production']).default('development'),
  host: z.string().default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  dataDirectory: z.string().min(1),
  /** `postgres://...` selects PostgreSQL; unset means a SQLite file in `dataDirectory`. */
  databaseUrl: z.string().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  providers: z.array(providerSchema).default([]),
  limits: z
    .object({
      /** Largest accepted request body; larger bodies get 413 `payload_too_large`. */
      bodyLimitBytes: z.coerce
        .number()
        .int()
        .positive()
        .default(8 * 1024 * 1024),
      /** Time allowed to receive a whole request from the client. */
      requestTimeoutMs: z.coerce.number().int().positive().default(60_000),
      /** Time allowed for one upstream model call, streams included. */
      upstreamTimeoutMs: z.coerce.number().int().positive().default(300_000),
      /** How long shutdown waits for in-flight requests and streams. */
      shutdownGraceMs: z.coerce.number().int().nonnegative().default(10_000),
    })
    .prefault({}),
});

export type PlumbConfig = z.infer<typeof plumbConfigSchema>;
export type ProviderConfigInput = z.infer<typeof providerSchema>;
