import { Command, InvalidArgumentError, Option } from 'commander';
import { allScopes, type Scope } from '@plumb/protocol';
import {
  clientGrants,
  createClientStore,
  toClientJson,
  type ClientGrant,
  type ClientSummary,
} from '@plumb/server';
import { failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import { parseScopesOption } from './parse-scopes-option.ts';
import {
  addAdminStorageOptions,
  withAdminStorage,
  type AdminStorageOptions,
} from './admin-storage-options.ts';

interface CreateOptions extends AdminStorageOptions {
  name: string;
  grant: ClientGrant[];
  scopes: Scope[];
  redirectUri: string[];
  confidential?: boolean;
}

/**
 * `plumb clients create | list | revoke`: OAuth clients in the server's data directory (works while the
 * server runs). `create` prints the client secret once; only its hash is stored.
 *
 * @example
 * program.addCommand(createClientsCommand(io)); // plumb clients create --name ci-bot --grant client_credentials --scopes code:read
 */
export function createClientsCommand(io: ProgramIo): Command {
  const clients = new Command('clients').description('Manage OAuth clients (in the server data directory).');

  const create = addAdminStorageOptions(
    new Command('create')
      .description(
        'Register an OAuth client; prints client_id and, for confidential clients, client_secret once.',
      )
      .requiredOption('--name <name>', 'a name people recognise, e.g. ci-bot')
      .addOption(
        new Option(
          '--grant <grant>',
          'client_credentials (services), authorization_code (IDEs, web apps) or device_code (CLIs); repeatable',
        )
          .argParser(collectGrant)
          .makeOptionMandatory(),
      )
      .requiredOption('--scopes <list>', `comma-separated scopes: ${allScopes.join(', ')}`, parseScopesOption)
      .option(
        '--redirect-uri <uri>',
        'exact redirect URI for authorization_code (repeatable)',
        collect,
        [] as string[],
      )
      .option(
        '--confidential',
        'give the client a secret even without client_credentials (server-side web apps)',
      ),
  ).action(async (options: CreateOptions, command: Command) => {
    const { client, clientSecret } = await withAdminStorage(io, command, options, (storage) =>
      createClientStore(storage).create({
        name: options.name,
        grants: options.grant,
        scopes: options.scopes,
        redirectUris: options.redirectUri,
        confidential: options.confidential === true,
      }),
    );
    if (options.json) {
      io.stdout.write(`${JSON.stringify(toClientJson(client, { clientSecret }), null, 2)}\n`);
      return;
    }
    io.stdout.write(`client_id: ${client.clientId}\n`);
    if (clientSecret) {
      io.stdout.write(`client_secret: ${clientSecret}\n`);
      io.stderr.write('Store the client secret now: it is not shown again (only its hash is kept).\n');
    } else {
      io.stderr.write(
        'Public client (no secret): it must use PKCE (authorization_code) or the device flow.\n',
      );
    }
  });

  const list = addAdminStorageOptions(new Command('list').description('List OAuth clients.')).action(
    async (options: AdminStorageOptions, command: Command) => {
      const all = await withAdminStorage(io, command, options, (storage) =>
        createClientStore(storage).list(),
      );
      if (options.json) {
        io.stdout.write(
          `${JSON.stringify({ object: 'list', data: all.map((client) => toClientJson(client)) }, null, 2)}\n`,
        );
        return;
      }
      io.stdout.write(formatClients(all));
    },
  );

  const revoke = addAdminStorageOptions(
    new Command('revoke')
      .description(
        'Revoke a client: its grants and refresh tokens stop working at once; issued access tokens expire within their TTL.',
      )
      .argument('<client-id>', 'the client_id to revoke'),
  ).action(async (clientId: string, options: AdminStorageOptions, command: Command) => {
    const client = await withAdminStorage(io, command, options, async (storage) => {
      const store = createClientStore(storage);
      if (!(await store.revoke(clientId))) return undefined;
      return store.get(clientId);
    });
    if (client === undefined)
      failCommand(command, `error not_found: No OAuth client "${clientId}". plumb clients list shows them.`);
    if (options.json) io.stdout.write(`${JSON.stringify(toClientJson(client), null, 2)}\n`);
    else io.stdout.write(`revoked ${clientId}\n`);
  });

  return clients.addCommand(create).addCommand(list).addCommand(revoke);
}

function collectGrant(value: string, previous: ClientGrant[] = []): ClientGrant[] {
  if (!(clientGrants as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`Unknown grant "${value}". Use ${clientGrants.join(', ')}.`);
  }
  return [...previous, value as ClientGrant];
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function formatClients(clients: ClientSummary[]): string {
  const rows = clients.map((client) => [
    client.clientId,
    client.name,
    client.grants.join(','),
    client.scopes.join(','),
    client.revokedAt === null ? 'active' : 'revoked',
  ]);
  const header = ['CLIENT ID', 'NAME', 'GRANTS', 'SCOPES', 'STATUS'];
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
