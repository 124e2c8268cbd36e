import { InvalidArgumentError, Option, type Command } from 'commander';
import { createPlumbClient, PlumbApiError, type PlumbClient } from '@plumb/sdk';

/** The options every command that talks to a running Plumb server accepts. */
export interface RemoteOptions {
  url: string;
  apiKey?: string;
  json?: boolean;
}

export const defaultPlumbUrl = 'http://127.0.0.1:8080';

/**
 * Adds `--url`, `--api-key` and `--json` to a command, with defaults from `PLUMB_URL` and `PLUMB_API_KEY`.
 * The key's value never appears in `--help`.
 *
 * @example
 * addRemoteOptions(new Command('models'), io.environment).action(async (options: RemoteOptions) => { ... });
 */
export function addRemoteOptions(command: Command, environment: Record<string, string | undefined>): Command {
  const apiKey = new Option('--api-key <key>', 'API key (env PLUMB_API_KEY)');
  if (environment.PLUMB_API_KEY) apiKey.default(environment.PLUMB_API_KEY, '$PLUMB_API_KEY');
  return command
    .addOption(
      new Option('--url <base>', 'Plumb server URL (env PLUMB_URL)')
        .default(environment.PLUMB_URL || defaultPlumbUrl)
        .argParser(parseUrl),
    )
    .addOption(apiKey)
    .option('--json', 'print JSON instead of text');
}

/**
 * The sdk client for the server the options name.
 *
 * @example
 * const client = createRemoteClient(options);
 */
export function createRemoteClient(options: RemoteOptions): PlumbClient {
  return createPlumbClient({ baseUrl: options.url, ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
}

/**
 * One line for stderr: `error <code>: <message>` for API errors (the code is what scripts match on).
 *
 * @example
 * io.stderr.write(`${formatRemoteError(error)}\n`);
 */
export function formatRemoteError(error: unknown): string {
  if (error instanceof PlumbApiError) {
    const requestId = error.requestId ? ` (request ${error.requestId})` : '';
    return `error ${error.code}: ${error.message}${requestId}`;
  }
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}

function parseUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // Reported below with the expected shape.
  }
  throw new InvalidArgumentError('Give the server root as an http(s) URL, such as http://127.0.0.1:8080.');
}
