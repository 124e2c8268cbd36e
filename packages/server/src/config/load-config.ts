import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PlumbError } from '@plumb/protocol';
import { z } from 'zod';
import { plumbConfigSchema, type PlumbConfig, type ProviderConfigInput } from './plumb-config.ts';
import { parseModelFlag } from './parse-model-flag.ts';

export interface LoadConfigOptions {
  /** Usually `process.env`; the only place Plumb reads the environment. */
  environment: Record<string, string | undefined>;
  /** Values from command-line flags; they win over the file and the environment. */
  overrides?: {
    host?: string | undefined;
    port?: number | undefined;
    dataDirectory?: string | undefined;
    configFile?: string | undefined;
    logLevel?: string | undefined;
    /** `--model provider/model-id=http://host:port/v1` flags. */
    models?: string[] | undefined;
    /** `--insecure-no-auth`: `auth.mode` becomes `off` (loopback hosts only). */
    insecureNoAuth?: boolean | undefined;
  };
}

/**
 * Builds the server configuration once, from (lowest to highest precedence) defaults, a JSON config file
 * (`--config` or `PLUMB_CONFIG`), environment variables and command-line flags.
 *
 * @example
 * const config = loadConfig({ environment: process.env, overrides: { port: 9000 } });
 */
export function loadConfig(options: LoadConfigOptions): PlumbConfig {
  const environment = options.environment;
  const overrides = options.overrides ?? {};
  const configFile = overrides.configFile ?? environment.PLUMB_CONFIG;
  const fileValues = configFile ? readConfigFile(configFile) : {};

  const merged = {
    ...fileValues,
    ...defined({
      profile: environment.PLUMB_PROFILE,
      host: overrides.host ?? environment.PLUMB_HOST,
      port: overrides.port ?? environment.PLUMB_PORT,
      dataDirectory:
        overrides.dataDirectory ??
        environment.PLUMB_DATA_DIR ??
        (fileValues.dataDirectory as string | undefined) ??
        join(environment.HOME ?? homedir(), '.plumb'),
      databaseUrl: environment.PLUMB_DATABASE_URL,
      logLevel: overrides.logLevel ?? environment.PLUMB_LOG_LEVEL,
    }),
    limits: {
      ...(fileValues.limits as object | undefined),
      ...defined({
        bodyLimitBytes: environment.PLUMB_BODY_LIMIT_BYTES,
        requestTimeoutMs: environment.PLUMB_REQUEST_TIMEOUT_MS,
        upstreamTimeoutMs: environment.PLUMB_UPSTREAM_TIMEOUT_MS,
        shutdownGraceMs: environment.PLUMB_SHUTDOWN_GRACE_MS,
      }),
    },
    auth: {
      ...(fileValues.auth as object | undefined),
      ...defined({
        publicUrl: environment.PLUMB_PUBLIC_URL,
        mode: overrides.insecureNoAuth ? 'off' : environment.PLUMB_AUTH_MODE,
        apiKeys: environment.PLUMB_API_KEYS,
      }),
    },
    idempotency: {
      ...(fileValues.idempotency as object | undefined),
      ...defined({ ttlSeconds: environment.PLUMB_IDEMPOTENCY_TTL_SECONDS }),
    },
    engines: {
      ...(fileValues.engines as object | undefined),
      ...defined({
        pythonPath: environment.PLUMB_PYTHON,
        maximumConcurrentVectorRuns: environment.PLUMB_MAX_CONCURRENT_VECTOR_RUNS,
      }),
    },
    guards: {
      ...(fileValues.guards as object | undefined),
      ...defined({
        security: environment.PLUMB_SECURITY_POLICY,
        repairRounds: environment.PLUMB_SECURITY_REPAIR_ROUNDS,
        refuseMalicious: environment.PLUMB_REFUSE_MALICIOUS,
        dependencies: environment.PLUMB_DEPENDENCY_GUARD,
      }),
    },
    dependencies: {
      ...(fileValues.dependencies as object | undefined),
      ...defined({
        npmRegistryUrl: environment.PLUMB_NPM_REGISTRY ?? environment.npm_config_registry,
        pypiUrl: environment.PLUMB_PYPI_URL,
        osvUrl: environment.PLUMB_OSV_URL,
        advisories: environment.PLUMB_DEPENDENCY_ADVISORIES,
        minimumReleaseAgeDays: environment.PLUMB_DEPS_MIN_AGE_DAYS,
        timeoutMs: environment.PLUMB_REGISTRY_TIMEOUT_MS,
      }),
    },
    debug: {
      ...(fileValues.debug as object | undefined),
      ...defined({
        idleTimeoutSeconds: environment.PLUMB_DEBUG_IDLE_TIMEOUT_SECONDS,
        maximumLifetimeSeconds: environment.PLUMB_DEBUG_MAX_LIFETIME_SECONDS,
        maximumSessionsPerPrincipal: environment.PLUMB_DEBUG_MAX_SESSIONS_PER_PRINCIPAL,
        maximumSessions: environment.PLUMB_DEBUG_MAX_SESSIONS,
        memoryLimitMegabytes: environment.PLUMB_DEBUG_MEMORY_LIMIT_MB,
      }),
    },
    providers: [
      ...((fileValues.providers as ProviderConfigInput[] | undefined) ?? []),
      ...providersFromEnvironment(environment),
      ...mergeModelFlags((overrides.models ?? []).map(parseModelFlag)),
    ],
  };

  const parsed = plumbConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new PlumbError(
      'invalid_request',
      `Invalid configuration at "${path}": ${issue?.message ?? 'unknown problem'}. Fix the flag, environment variable or config file that sets it.`,
      { param: path },
    );
  }
  const config = parsed.data;
  config.dataDirectory = resolve(config.dataDirectory);
  assertUniqueProviderNames(config);
  applyAuthDefaults(config, merged.auth);
  return config;
}

function providersFromEnvironment(environment: Record<string, string | undefined>): ProviderConfigInput[] {
  const providers: ProviderConfigInput[] = [];
  const list = (value: string | undefined) =>
    value
      ?.split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  if (environment.PLUMB_OPENAI_COMPATIBLE_BASE_URL) {
    providers.push({
      name: environment.PLUMB_OPENAI_COMPATIBLE_NAME ?? 'local',
      type: 'openai-compatible',
      baseUrl: environment.PLUMB_OPENAI_COMPATIBLE_BASE_URL,
      ...defined({
        apiKey: environment.PLUMB_OPENAI_COMPATIBLE_API_KEY,
        models: list(environment.PLUMB_OPENAI_COMPATIBLE_MODELS),
      }),
    });
  }
  if (environment.OPENAI_API_KEY) {
    providers.push({
      name: 'openai',
      type: 'openai',
      apiKey: environment.OPENAI_API_KEY,
      ...defined({ baseUrl: environment.OPENAI_BASE_URL, models: list(environment.PLUMB_OPENAI_MODELS) }),
    });
  }
  if (environment.ANTHROPIC_API_KEY) {
    providers.push({
      name: 'anthropic',
      type: 'anthropic',
      apiKey: environment.ANTHROPIC_API_KEY,
      ...defined({ models: list(environment.PLUMB_ANTHROPIC_MODELS) }),
    });
  }
  return providers;
}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PlumbError(
      'invalid_request',
      `Cannot read the config file "${path}". Check the path given to --config or PLUMB_CONFIG.`,
      {
        cause: error,
      },
    );
  }
  const parsed = z.record(z.string(), z.unknown()).safeParse(safeJsonParse(text));
  if (!parsed.success) {
    throw new PlumbError(
      'invalid_request',
      `The config file "${path}" is not a JSON object. See README.md, "Configuration".`,
    );
  }
  return parsed.data;
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function assertUniqueProviderNames(config: PlumbConfig): void {
  const names = new Set<string>();
  for (const provider of config.providers) {
    if (names.has(provider.name)) {
      throw new PlumbError(
        'invalid_request',
        `Two providers are named "${provider.name}". Give each provider (config file, environment, --model) its own name.`,
        { param: 'providers' },
      );
    }
    names.add(provider.name);
  }
}

/** Several `--model` flags naming one provider at one URL become one provider with several models. */
function mergeModelFlags(providers: ProviderConfigInput[]): ProviderConfigInput[] {
  const byName = new Map<string, ProviderConfigInput>();
  for (const provider of providers) {
    const existing = byName.get(provider.name);
    if (existing && existing.baseUrl === provider.baseUrl) {
      existing.models = [...(existing.models ?? []), ...(provider.models ?? [])];
    } else if (existing) {
      throw new PlumbError(
        'invalid_request',
        `--model flags give provider "${provider.name}" two base URLs (${existing.baseUrl ?? ''} and ${provider.baseUrl ?? ''}). Use a different provider name for each server.`,
        { param: 'model' },
      );
    } else {
      byName.set(provider.name, { ...provider });
    }
  }
  return [...byName.values()];
}

/** Drops keys whose value is undefined, so they do not override lower-precedence sources. */
function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

/** API keys default to off in production; auth may only be off on a loopback interface. */
function applyAuthDefaults(config: PlumbConfig, given: { apiKeys?: unknown }): void {
  if (given.apiKeys === undefined) config.auth.apiKeys = config.profile === 'production' ? 'off' : 'on';
  if (config.auth.mode === 'off' && !loopbackHosts.has(config.host)) {
    throw new PlumbError(
      'invalid_request',
      `--insecure-no-auth (auth.mode "off") is only allowed on a loopback host (127.0.0.1, ::1, localhost), not "${config.host}": anyone on the network could use the server. Listen on 127.0.0.1, or keep auth on and use an API key or OAuth.`,
      { param: 'auth.mode' },
    );
  }
}
