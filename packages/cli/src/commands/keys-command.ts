import { Command } from 'commander';
import { allScopes, type Scope } from '@plumb/protocol';
import { createApiKeyStore, createSigningKeyStore, toApiKeyJson, type ApiKey } from '@plumb/server';
import { failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import { parseScopesOption } from './parse-scopes-option.ts';
import {
  addAdminStorageOptions,
  withAdminStorage,
  type AdminStorageOptions,
} from './admin-storage-options.ts';
import { parseDuration } from './parse-duration.ts';

interface CreateOptions extends AdminStorageOptions {
  name: string;
  scopes: Scope[];
  /** Seconds. */
  expires?: number;
}

/**
 * `plumb keys create | list | revoke` (API keys) and `plumb keys rotate` (the OAuth token signing key), on
 * the server's data directory; they work while the server runs. `create` prints the key once; only its
 * SHA-256 hash is stored. API keys are discouraged in production: prefer OAuth client credentials.
 *
 * @example
 * program.addCommand(createKeysCommand(io)); // plumb keys create --name me --scopes code:read,code:write --expires 30d
 */
export function createKeysCommand(io: ProgramIo): Command {
  const keys = new Command('keys').description(
    'Manage API keys, and rotate the OAuth signing key (in the server data directory).',
  );

  const create = addAdminStorageOptions(
    new Command('create')
      .description('Create an API key and print it once (send it as Authorization: Bearer <key>).')
      .requiredOption('--name <name>', 'a name people recognise, e.g. laptop or ci')
      .requiredOption('--scopes <list>', `comma-separated scopes: ${allScopes.join(', ')}`, parseScopesOption)
      .option('--expires <duration>', 'lifetime, e.g. 30d, 12h, 90m (default: never expires)', parseDuration),
  ).action(async (options: CreateOptions, command: Command) => {
    const { apiKey, key } = await withAdminStorage(io, command, options, (storage) =>
      createApiKeyStore(storage).create({
        name: options.name,
        scopes: options.scopes,
        expiresAt: options.expires === undefined ? null : Date.now() + options.expires * 1000,
      }),
    );
    if (options.json) {
      io.stdout.write(`${JSON.stringify(toApiKeyJson(apiKey, { key }), null, 2)}\n`);
      return;
    }
    io.stdout.write(`${key}\n`);
    io.stderr.write(
      `Created API key ${apiKey.id} (${apiKey.scopes.join(', ')}${apiKey.expiresAt === null ? '' : `, expires ${new Date(apiKey.expiresAt).toISOString()}`}).\n` +
        'Store it now: it is not shown again (only its hash is kept). Use it as PLUMB_API_KEY or Authorization: Bearer <key>.\n',
    );
  });

  const list = addAdminStorageOptions(
    new Command('list').description('List API keys (never the keys themselves).'),
  ).action(async (options: AdminStorageOptions, command: Command) => {
    const all = await withAdminStorage(io, command, options, (storage) => createApiKeyStore(storage).list());
    if (options.json) {
      const data = all.map((apiKey) => toApiKeyJson(apiKey));
      io.stdout.write(`${JSON.stringify({ object: 'list', data }, null, 2)}\n`);
      return;
    }
    io.stdout.write(formatKeys(all));
  });

  const revoke = addAdminStorageOptions(
    new Command('revoke')
      .description('Revoke an API key; requests with it fail at once.')
      .argument('<id>', 'the key id (plumb keys list)'),
  ).action(async (id: string, options: AdminStorageOptions, command: Command) => {
    const apiKey = await withAdminStorage(io, command, options, (storage) =>
      createApiKeyStore(storage).revoke(id),
    );
    if (apiKey === undefined)
      failCommand(command, `error not_found: No API key "${id}". plumb keys list shows them.`);
    if (options.json) io.stdout.write(`${JSON.stringify(toApiKeyJson(apiKey), null, 2)}\n`);
    else io.stdout.write(`revoked ${id}\n`);
  });

  const rotate = addAdminStorageOptions(
    new Command('rotate').description(
      'Add a new OAuth token signing key; the server signs with it after a restart, and the old key stays published for 24 h.',
    ),
  ).action(async (options: AdminStorageOptions, command: Command) => {
    const { kid } = await withAdminStorage(io, command, options, (storage) =>
      createSigningKeyStore(storage).rotate(),
    );
    if (options.json) io.stdout.write(`${JSON.stringify({ kid }, null, 2)}\n`);
    else {
      io.stdout.write(`new signing key ${kid}\n`);
      io.stderr.write(
        'Restart plumb serve to sign tokens with it; tokens signed with the old key keep verifying for 24 h.\n',
      );
    }
  });

  return keys.addCommand(create).addCommand(list).addCommand(revoke).addCommand(rotate);
}

function formatKeys(keys: ApiKey[]): string {
  const date = (value: number | null) =>
    value === null ? '-' : new Date(value).toISOString().slice(0, 16) + 'Z';
  const now = Date.now();
  const status = (apiKey: ApiKey) =>
    apiKey.revokedAt !== null
      ? 'revoked'
      : apiKey.expiresAt !== null && apiKey.expiresAt <= now
        ? 'expired'
        : 'active';
  const rows = keys.map((apiKey) => [
    apiKey.id,
    apiKey.name,
    `${apiKey.prefix}…`,
    apiKey.scopes.join(','),
    date(apiKey.expiresAt),
    date(apiKey.lastUsedAt),
    status(apiKey),
  ]);
  const header = ['ID', 'NAME', 'PREFIX', 'SCOPES', 'EXPIRES', 'LAST USED', 'STATUS'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  return [header, ...rows]
    .map(
      (cells) =>
        `${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`,
    )
    .join('');
}
