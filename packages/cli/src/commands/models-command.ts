import { Command } from 'commander';
import { failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import {
  addRemoteOptions,
  createRemoteClient,
  formatRemoteError,
  type RemoteOptions,
} from './remote-options.ts';

/**
 * `plumb models [--json]`: the models a running server offers (GET /v3/models), as a table of id and owner
 * or as the raw JSON list.
 *
 * @example
 * program.addCommand(createModelsCommand(io)); // plumb models --url http://127.0.0.1:8080
 */
export function createModelsCommand(io: ProgramIo): Command {
  const command = new Command('models').description('List the models a Plumb server offers.');
  return addRemoteOptions(command, io.environment).action(async (options: RemoteOptions, self: Command) => {
    let list;
    try {
      list = await createRemoteClient(options).models.list();
    } catch (error) {
      failCommand(self, formatRemoteError(error));
    }
    if (options.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return;
    }
    if (list.data.length === 0) {
      io.stderr.write(
        `No models are configured on ${options.url}. Start the server with --model or see plumb serve --help.\n`,
      );
      return;
    }
    io.stdout.write(
      formatTable(
        ['ID', 'OWNED BY'],
        list.data.map((model) => [model.id, model.owned_by]),
      ),
    );
  });
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ');
  return [header, ...rows].map((cells) => `${line(cells)}\n`).join('');
}
