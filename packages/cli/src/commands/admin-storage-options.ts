import type { Command } from 'commander';
import { PlumbError } from '@plumb/protocol';
import { loadConfig, openStorage, type Storage } from '@plumb/server';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';

/** Options of admin commands that work on the server's data directory directly. */
export interface AdminStorageOptions {
  dataDir?: string;
  config?: string;
  json?: boolean;
}

/**
 * Adds `--data-dir`, `--config` and `--json` to an admin command (`plumb clients`, `plumb users`, ...).
 *
 * @example
 * addAdminStorageOptions(new Command('list')).action(...)
 */
export function addAdminStorageOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'the server data directory (env PLUMB_DATA_DIR, default ~/.plumb), as for plumb serve',
    )
    .option('--config <file>', 'JSON config file (env PLUMB_CONFIG), as for plumb serve')
    .option('--json', 'print JSON instead of text');
}

/**
 * Opens the storage `plumb serve` would use with the same flags and environment (SQLite in the data
 * directory, or PLUMB_DATABASE_URL), runs `work` on it and closes it. Safe while the server runs: SQLite
 * is in WAL mode with a busy timeout, and the server reads clients and users from storage on every request.
 *
 * @example
 * await withAdminStorage(io, command, options, async (storage) => createClientStore(storage).list());
 */
export async function withAdminStorage<TResult>(
  io: ProgramIo,
  command: Command,
  options: AdminStorageOptions,
  work: (storage: Storage) => Promise<TResult>,
): Promise<TResult> {
  let storage: Storage;
  try {
    const config = loadConfig({
      environment: io.environment,
      overrides: { dataDirectory: options.dataDir, configFile: options.config },
    });
    storage = await openStorage({ databaseUrl: config.databaseUrl, dataDirectory: config.dataDirectory });
  } catch (error) {
    if (error instanceof PlumbError) failCommand(command, `error ${error.code}: ${error.message}`);
    throw error;
  }
  try {
    return await work(storage);
  } catch (error) {
    if (error instanceof PlumbError) {
      const usage = error.code === 'invalid_request' ? exitCodes.usage : exitCodes.failure;
      failCommand(command, `error ${error.code}: ${error.message}`, { exitCode: usage });
    }
    throw error;
  } finally {
    await storage.close();
  }
}
