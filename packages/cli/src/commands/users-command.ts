import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { createUserStore } from '@plumb/server';
import { exitCodes, failCommand } from '../fail-command.ts';
import { isInteractive, type ProgramIo } from '../program-io.ts';
import {
  addAdminStorageOptions,
  withAdminStorage,
  type AdminStorageOptions,
} from './admin-storage-options.ts';

interface CreateUserOptions extends AdminStorageOptions {
  passwordStdin?: boolean;
}

/**
 * `plumb users create <username> [--password-stdin]` and `plumb users list`: the people who sign in on the
 * OAuth login page (authorization code and device flows). Passwords are stored as scrypt hashes.
 *
 * @example
 * program.addCommand(createUsersCommand(io)); // echo "$PASSWORD" | plumb users create ada --password-stdin
 */
export function createUsersCommand(io: ProgramIo): Command {
  const users = new Command('users').description('Manage users who sign in to the OAuth login page.');
  const create = addAdminStorageOptions(
    new Command('create')
      .description('Add a user; the password comes from stdin (--password-stdin) or a hidden prompt.')
      .argument('<username>', 'the login name')
      .option('--password-stdin', 'read the password from the first line of stdin'),
  ).action(async (username: string, options: CreateUserOptions, command: Command) => {
    const password = await readPassword(io, options.passwordStdin === true);
    if (password === undefined) {
      failCommand(
        command,
        'error: no password given. Pipe it with --password-stdin, or run in a terminal to be prompted.',
        {
          exitCode: exitCodes.usage,
        },
      );
    }
    const user = await withAdminStorage(io, command, options, (storage) =>
      createUserStore(storage).create({ username, password }),
    );
    if (options.json)
      io.stdout.write(
        `${JSON.stringify({ object: 'user', id: user.id, username: user.username }, null, 2)}\n`,
      );
    else io.stdout.write(`created user ${user.username} (${user.id})\n`);
  });
  const list = addAdminStorageOptions(new Command('list').description('List users.')).action(
    async (options: AdminStorageOptions, command: Command) => {
      const all = await withAdminStorage(io, command, options, (storage) => createUserStore(storage).list());
      if (options.json) {
        const data = all.map((user) => ({ object: 'user', id: user.id, username: user.username }));
        io.stdout.write(`${JSON.stringify({ object: 'list', data }, null, 2)}\n`);
      } else {
        io.stdout.write(all.map((user) => `${user.username}  ${user.id}\n`).join(''));
      }
    },
  );
  return users.addCommand(create).addCommand(list);
}

async function readPassword(io: ProgramIo, fromStdin: boolean): Promise<string | undefined> {
  if (!fromStdin && !isInteractive(io.stdin)) return undefined;
  // Typed characters are not echoed: the prompt goes to stderr and the terminal output is muted.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  if (!fromStdin) io.stderr.write('Password: ');
  const lines = createInterface({ input: io.stdin, output: muted, terminal: !fromStdin });
  try {
    for await (const line of lines) return line.replace(/\r$/, '');
    return undefined;
  } finally {
    lines.close();
    if (!fromStdin) io.stderr.write('\n');
  }
}
