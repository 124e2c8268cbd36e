import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { PlumbError } from '@plumb/protocol';
import { loadConfig } from '@plumb/server';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import { defaultPlumbUrl } from './remote-options.ts';

interface LoginOptions {
  url: string;
  clientId: string;
  scopes: string;
  dataDir?: string;
  json?: boolean;
}

interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete?: string;
  expires_in: number;
  interval?: number;
}

/**
 * `plumb login`: signs in on a terminal with the OAuth device flow (RFC 8628). Prints the verification URL
 * and user code, polls the token endpoint, and saves the tokens to `<data-dir>/credentials.json` (mode
 * 0600). The default client is the server's built-in public client `plumb-cli`.
 *
 * @example
 * program.addCommand(createLoginCommand(io)); // plumb login --url https://plumb.example.com
 */
export function createLoginCommand(
  io: ProgramIo,
  options: { sleep?: (ms: number) => Promise<void> } = {},
): Command {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return new Command('login')
    .description('Sign in to a Plumb server from this terminal (OAuth device flow); saves credentials.json.')
    .addOption(
      new Option('--url <base>', 'Plumb server URL (env PLUMB_URL)').default(
        io.environment.PLUMB_URL || defaultPlumbUrl,
      ),
    )
    .option('--client-id <id>', 'OAuth client to sign in with (a device_code client)', 'plumb-cli')
    .option(
      '--scopes <list>',
      'comma-separated scopes to ask for',
      'code:read,code:write,code:debug,usage:read',
    )
    .option('--data-dir <dir>', 'where credentials.json goes (env PLUMB_DATA_DIR, default ~/.plumb)')
    .option('--json', 'print the result as JSON')
    .action(async (loginOptions: LoginOptions, command: Command) => {
      const base = loginOptions.url.replace(/\/+$/, '');
      const scope = loginOptions.scopes
        .split(/[,\s]+/)
        .filter(Boolean)
        .join(' ');
      const started = await postForm(`${base}/oauth/device/auth`, {
        client_id: loginOptions.clientId,
        scope,
      });
      if (started.status !== 200)
        failCommand(command, describeOAuthError('could not start the device flow', started.body));
      const authorization = started.body as unknown as DeviceAuthorization;
      io.stderr.write(
        `Open ${authorization.verification_uri_complete ?? authorization.verification_uri} in a browser and confirm the code ${authorization.user_code}\n(or go to ${authorization.verification_uri} and type it). Waiting...\n`,
      );

      let intervalMs = (authorization.interval ?? 5) * 1000;
      const deadline = Date.now() + authorization.expires_in * 1000;
      while (Date.now() < deadline) {
        await sleep(intervalMs);
        const polled = await postForm(`${base}/oauth/token`, {
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: authorization.device_code,
          client_id: loginOptions.clientId,
        });
        const error = polled.body.error;
        if (polled.status === 200) {
          const file = await saveCredentials(io, command, loginOptions, {
            url: base,
            clientId: loginOptions.clientId,
            tokens: polled.body,
          });
          if (loginOptions.json)
            io.stdout.write(
              `${JSON.stringify({ url: base, credentials: file, scope: polled.body.scope }, null, 2)}\n`,
            );
          else
            io.stdout.write(
              `Signed in to ${base} (scopes: ${typeof polled.body.scope === 'string' ? polled.body.scope : ''}). Credentials saved to ${file}\n`,
            );
          return;
        }
        if (error === 'authorization_pending') continue;
        if (error === 'slow_down') {
          intervalMs += 5000;
          continue;
        }
        failCommand(command, describeOAuthError('sign-in failed', polled.body));
      }
      failCommand(command, 'error: the code expired before sign-in finished. Run plumb login again.');
    });
}

async function postForm(url: string, fields: Record<string, string>) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(fields).toString(),
    });
  } catch (error) {
    return {
      status: 0,
      body: {
        error: 'connection_error',
        error_description: error instanceof Error ? error.message : String(error),
      } as Record<string, unknown>,
    };
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: response.status, body };
}

function describeOAuthError(what: string, body: Record<string, unknown>): string {
  const code = typeof body.error === 'string' ? body.error : 'unknown_error';
  const description = typeof body.error_description === 'string' ? `: ${body.error_description}` : '';
  const hint =
    code === 'invalid_client'
      ? ' Check --client-id (the server creates plumb-cli; an admin may have revoked it).'
      : code === 'access_denied'
        ? ' The request was denied in the browser.'
        : code === 'expired_token'
          ? ' Run plumb login again.'
          : '';
  return `error ${code}: ${what}${description}.${hint}`;
}

async function saveCredentials(
  io: ProgramIo,
  command: Command,
  options: LoginOptions,
  input: { url: string; clientId: string; tokens: Record<string, unknown> },
): Promise<string> {
  let dataDirectory: string;
  try {
    dataDirectory = loadConfig({
      environment: io.environment,
      overrides: { dataDirectory: options.dataDir },
    }).dataDirectory;
  } catch (error) {
    if (error instanceof PlumbError)
      failCommand(command, `error: ${error.message}`, { exitCode: exitCodes.usage });
    throw error;
  }
  await mkdir(dataDirectory, { recursive: true, mode: 0o700 });
  const file = join(dataDirectory, 'credentials.json');
  const expiresIn = Number(input.tokens.expires_in ?? 0);
  const credentials = {
    url: input.url,
    client_id: input.clientId,
    access_token: input.tokens.access_token,
    refresh_token: input.tokens.refresh_token ?? null,
    scope: input.tokens.scope ?? null,
    expires_at: Math.floor(Date.now() / 1000) + expiresIn,
  };
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; an older file keeps its mode otherwise.
  await chmod(file, 0o600);
  return file;
}
