import { Command, InvalidArgumentError, Option } from 'commander';
import { PlumbError } from '@plumb/protocol';
import { createLogger, loadConfig, startServer, type PlumbConfig, type RunningServer } from '@plumb/server';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';

interface ServeOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  config?: string;
  model: string[];
  logLevel?: string;
  insecureNoAuth?: boolean;
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * `plumb serve`: loads the configuration (flags over environment over config file), starts the HTTP server
 * and runs until SIGINT or SIGTERM, which close it gracefully (in-flight streams may finish); a second
 * signal exits at once with code 1. Bad configuration exits with 2, a port already taken with 1.
 *
 * @example
 * program.addCommand(createServeCommand(io)); // plumb serve --port 9000 --model ollama/qwen=http://127.0.0.1:11434/v1
 */
export function createServeCommand(io: ProgramIo): Command {
  return new Command('serve')
    .description('Run the Plumb HTTP server until SIGINT or SIGTERM.')
    .option('--host <host>', 'interface to listen on (env PLUMB_HOST, default 127.0.0.1)')
    .option('--port <n>', 'port to listen on, 0 for any free port (env PLUMB_PORT, default 8080)', parsePort)
    .option('--data-dir <dir>', 'where the SQLite database lives (env PLUMB_DATA_DIR, default ~/.plumb)')
    .option('--config <file>', 'JSON config file (env PLUMB_CONFIG)')
    .option(
      '--model <provider/model-id=base-url>',
      'an OpenAI-compatible model, e.g. ollama/qwen2.5-coder=http://127.0.0.1:11434/v1 (repeatable)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .addOption(
      new Option('--log-level <level>', 'log level (env PLUMB_LOG_LEVEL, default info)').choices(logLevels),
    )
    .option(
      '--insecure-no-auth',
      'accept requests without credentials, for local experiments (loopback hosts only; env PLUMB_AUTH_MODE=off)',
    )
    .action(async (options: ServeOptions, command: Command) => {
      const config = loadServeConfig(options, io, command);
      const server = await listen(config, io, command);
      const modelCount = await countModels(server, config);
      io.stdout.write(
        `Plumb listening on ${server.url} (data: ${config.dataDirectory}, models: ${modelCount})\n`,
      );
      if (modelCount === 0) io.stderr.write(noModelHint);
      if (config.auth.mode === 'off') io.stderr.write(noAuthWarning);
      const failure = await waitForShutdown(server, io);
      if (failure !== null) failCommand(command, failure);
    });
}

const noModelHint = [
  'No model is configured, so chat completions will answer 503 model_not_configured. Configure one with',
  '  PLUMB_OPENAI_COMPATIBLE_BASE_URL and PLUMB_OPENAI_COMPATIBLE_MODELS (Ollama, vLLM, llama.cpp, LM Studio),',
  '  OPENAI_API_KEY, or ANTHROPIC_API_KEY,',
  '  or --model provider/model-id=base-url (e.g. --model ollama/qwen2.5-coder=http://127.0.0.1:11434/v1).',
  '',
].join('\n');

const noAuthWarning =
  'WARNING: authentication is off (--insecure-no-auth): every route is open to anyone who can reach this port.\n';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) {
    throw new InvalidArgumentError('Give a port number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

function loadServeConfig(options: ServeOptions, io: ProgramIo, command: Command): PlumbConfig {
  try {
    return loadConfig({
      environment: io.environment,
      overrides: {
        host: options.host,
        port: options.port,
        dataDirectory: options.dataDir,
        configFile: options.config,
        logLevel: options.logLevel,
        models: options.model,
        insecureNoAuth: options.insecureNoAuth,
      },
    });
  } catch (error) {
    if (error instanceof PlumbError)
      failCommand(command, `error: ${error.message}`, { exitCode: exitCodes.usage });
    throw error;
  }
}

async function listen(config: PlumbConfig, io: ProgramIo, command: Command): Promise<RunningServer> {
  try {
    return await startServer(config, {
      logger: createLogger({ level: config.logLevel, destination: io.stdout }),
    });
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'EADDRINUSE') {
      failCommand(
        command,
        `error: port ${config.port} on ${config.host} is already in use. Stop the other process or pick another port with --port (or PLUMB_PORT).`,
      );
    }
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      failCommand(
        command,
        `error: cannot listen on ${config.host}:${config.port} (${code}). Pick another --host or a port above 1023.`,
      );
    }
    throw error;
  }
}

/** The models the server really offers (what GET /v3/models lists), asked in-process without a socket. */
async function countModels(server: RunningServer, config: PlumbConfig): Promise<number> {
  const response = await server.app.inject({ method: 'GET', url: '/v3/models' });
  if (response.statusCode === 200) {
    const body = response.json<{ data?: unknown[] }>();
    if (Array.isArray(body.data)) return body.data.length;
  }
  // Listing needs credentials once auth is on; the configured model lists are the next best count.
  return config.providers.reduce((count, provider) => count + (provider.models?.length ?? 0), 0);
}

/**
 * Resolves once the server closed after the first SIGINT or SIGTERM: with null when it closed cleanly, or
 * with the reason to exit with 1 (the close failed, or a second signal asked not to wait for it).
 */
function waitForShutdown(server: RunningServer, io: ProgramIo): Promise<string | null> {
  return new Promise((resolve) => {
    let closing = false;
    const finish = (failure: string | null) => {
      io.signals.off('SIGINT', onSignal);
      io.signals.off('SIGTERM', onSignal);
      resolve(failure);
    };
    function onSignal() {
      if (closing) {
        finish('error: stopped without waiting for in-flight requests (second signal).');
        return;
      }
      closing = true;
      io.stderr.write('Shutting down: waiting for in-flight requests (signal again to force).\n');
      server.close().then(
        () => finish(null),
        (error: unknown) =>
          finish(`error: shutdown failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
    io.signals.on('SIGINT', onSignal);
    io.signals.on('SIGTERM', onSignal);
  });
}
