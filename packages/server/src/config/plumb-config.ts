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
  auth: z
    .object({
      /** Public base URL (`https://plumb.example.com`); OAuth issuer is `${publicUrl}/oauth`, API audience `${publicUrl}/v3`. Default: `http://<host>:<port>`. */
      publicUrl: z.url().optional(),
      /** Lifetime of OAuth access tokens (JWTs cannot be revoked, so keep it short). */
      accessTokenTtlSeconds: z.coerce.number().int().positive().default(600),
      /** Lifetime of OAuth refresh tokens; each use rotates them. */
      refreshTokenTtlSeconds: z.coerce
        .number()
        .int()
        .positive()
        .default(30 * 24 * 60 * 60),
      /** How long a `plumb login` device code waits for the user. */
      deviceCodeTtlSeconds: z.coerce.number().int().positive().default(600),
      /** `off` (`--insecure-no-auth`) accepts requests without credentials; allowed only on a loopback host. */
      mode: z.enum(['on', 'off']).default('on'),
      /** API keys (`plb_…`); `loadConfig` defaults them to `off` in the production profile. */
      apiKeys: z.enum(['on', 'off']).default('on'),
    })
    .prefault({}),
  /** Prices for metering (US dollars): per 1M tokens per model (`*` for any other), per Compute Unit. */
  metering: z
    .object({
      prices: z
        .object({
          models: z
            .record(
              z.string(),
              z.object({
                input: z.number().nonnegative(),
                output: z.number().nonnegative(),
                cached: z.number().nonnegative().optional(),
              }),
            )
            .default({}),
          computeUnit: z.number().nonnegative().default(0),
        })
        .prefault({}),
    })
    .prefault({}),
  idempotency: z
    .object({
      /** How long an `Idempotency-Key` and its stored response are kept; a key used again later runs anew. */
      ttlSeconds: z.coerce
        .number()
        .int()
        .positive()
        .default(24 * 60 * 60),
    })
    .prefault({}),
  engines: z
    .object({
      /**
       * Python interpreter for the Python side of the engines (analysis, executors). Default: /usr/bin/python3
       * when it exists (Debian's python3-pytest and friends install for it), else `python3` on PATH.
       */
      pythonPath: z.string().min(1).optional(),
      /** Test-vector runs executing at once; more get 503 with Retry-After. */
      maximumConcurrentVectorRuns: z.coerce.number().int().positive().default(2),
    })
    .prefault({}),
  guards: z
    .object({
      /**
       * What the security guard does with vulnerable code in answers (mode "code"): `block` withholds code with a
       * high-severity finding, `repair` asks the model to fix it first, `warn` only reports, `off` skips the guard.
       * A request may choose with `guards.security`.
       */
      security: z.enum(['block', 'repair', 'warn', 'off']).default('block'),
      /** Rounds of `repair` before blocking. */
      repairRounds: z.coerce.number().int().min(1).max(5).default(2),
      /** Check the packages an answer introduces and rewrite install commands to stable versions (`on`/`off`). */
      dependencies: z.enum(['on', 'off']).default('on'),
      /** Refuse requests that plainly ask for malware, credential theft or detection evasion. */
      refuseMalicious: z
        .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
        .default(true),
    })
    .prefault({}),
  dependencies: z
    .object({
      /** npm registry; default: npm's own configuration (npm_config_registry, .npmrc), else registry.npmjs.org. */
      npmRegistryUrl: z.string().url().optional(),
      /** PyPI JSON API base. */
      pypiUrl: z.string().url().default('https://pypi.org/'),
      /** OSV API base. */
      osvUrl: z.string().url().default('https://api.osv.dev/'),
      /** Ask the advisory services (npm bulk advisories, OSV). */
      advisories: z
        .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
        .default(true),
      /** Minimum age of a release in days. */
      minimumReleaseAgeDays: z.coerce.number().min(0).default(7),
      /** Per registry request, in the chat guard and the API. */
      timeoutMs: z.coerce.number().int().positive().default(5_000),
    })
    .prefault({}),
  debug: z
    .object({
      /** A debug session nobody used for this long is ended and its process killed. */
      idleTimeoutSeconds: z.coerce
        .number()
        .int()
        .positive()
        .default(15 * 60),
      /** A debug session ends this long after it was created, busy or not. */
      maximumLifetimeSeconds: z.coerce
        .number()
        .int()
        .positive()
        .default(4 * 60 * 60),
      /** Live debug sessions (processes) one principal may hold. */
      maximumSessionsPerPrincipal: z.coerce.number().int().positive().default(10),
      /** Live debug sessions on this server. */
      maximumSessions: z.coerce.number().int().positive().default(64),
      /** Memory one debuggee may use (address space for Python, heap for JavaScript), in MiB. */
      memoryLimitMegabytes: z.coerce.number().int().min(64).default(2048),
    })
    .prefault({}),
});

export type PlumbConfig = z.infer<typeof plumbConfigSchema>;
export type ProviderConfigInput = z.infer<typeof providerSchema>;
