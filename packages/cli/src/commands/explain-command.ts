import { Command } from 'commander';
import { explainName, formatExplanation } from '@plumb/engines';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import { addAdminStorageOptions } from './admin-storage-options.ts';
import { withLocalCodeGraph } from './code-graph/with-local-code-graph.ts';

interface ExplainOptions {
  repo: string;
  limit: string;
  json?: boolean;
  dataDir?: string;
  config?: string;
}

/**
 * `plumb explain <symbol|file|folder> [--repo .]`: the onboarding answer from the code graph — what it is and
 * where, its purpose, public surface, key dependencies and dependents, the entry points that reach it, its
 * tests and a Mermaid diagram, every claim with `file:line`. The repository is indexed incrementally into the
 * data directory first. An unknown or ambiguous name exits 1 with the closest candidates.
 *
 * @example program.addCommand(createExplainCommand(io)); // plumb explain CheckoutService --repo ~/shop
 */
export function createExplainCommand(io: ProgramIo): Command {
  return addAdminStorageOptions(
    new Command('explain')
      .description('Explain a symbol, file or folder of a repository from its code graph (no model needed).')
      .argument('<target>', 'a symbol (CheckoutService, Class.method), a file path or a folder')
      .option('--repo <dir>', 'the repository to index and explain from', '.')
      .option('--limit <n>', 'dependencies and dependents listed per direction', '12'),
  ).action(async (target: string, options: ExplainOptions, command: Command) => {
    const limit = Number(options.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      failCommand(
        command,
        `error invalid_request: --limit must be a whole number from 1 to 500, not "${options.limit}".`,
        {
          exitCode: exitCodes.usage,
        },
      );
    await withLocalCodeGraph(io, command, options, async ({ graph }) => {
      const explanation = explainName(graph, target, { limit });
      io.stdout.write(
        options.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation),
      );
    });
  });
}
