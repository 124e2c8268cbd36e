import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  applyDependencyEdits,
  checkDependencies,
  createDependencyClients,
  formatDependencyReport,
  resolveNpmRegistryUrl,
  type DependencyCheckResult,
} from '@plumb/engines';
import { PlumbError } from '@plumb/protocol';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';
import { parseDuration } from './parse-duration.ts';

interface DepsCheckOptions {
  json?: boolean;
  fix?: boolean;
  minAge: string;
  offline?: boolean;
  node?: string;
  python?: string;
  advisories: boolean;
  cacheDir?: string;
}

/**
 * `plumb deps check [path]`: the dependency stability guard on a project (package.json, package-lock.json,
 * requirements*.txt, pyproject.toml) or one manifest: hallucinated and typosquatted names, pre-releases, too
 * young releases, deprecated or yanked versions, advisories, runtime and peer conflicts, majors behind and
 * licenses. `--fix` writes the recommended versions into the manifests. Exit code 1 when a dependency fails.
 *
 * @example program.addCommand(createDepsCommand(io)); // plumb deps check . --min-age 14d --fix
 */
export function createDepsCommand(io: ProgramIo): Command {
  const check = new Command('check')
    .description(
      'Check a project’s dependencies against the registries; recommend stable versions (--fix applies them).',
    )
    .argument('[path]', 'a project directory or a manifest file', '.')
    .option('--json', 'print the JSON result')
    .option('--fix', 'write the recommended versions into the manifests')
    .option('--min-age <duration>', 'minimum age of a release, e.g. 7d, 36h', '7d')
    .option('--offline', 'answer from the registry cache only')
    .option('--node <version>', 'Node.js version the project runs on (engines check); default this one')
    .option('--python <version>', 'Python version the project runs on (requires_python check)')
    .option('--no-advisories', 'do not ask the advisory services (npm audit endpoint, OSV)')
    .option('--cache-dir <dir>', 'registry cache directory (default ~/.plumb/registry-cache)')
    .action(async (target: string, options: DepsCheckOptions, command: Command) => {
      let minimumAgeMilliseconds: number;
      try {
        minimumAgeMilliseconds = parseDuration(options.minAge) * 1000;
      } catch (error) {
        throw new InvalidArgumentError((error as Error).message);
      }
      let stats;
      try {
        stats = statSync(target);
      } catch {
        failCommand(command, `error source_not_found: No file or directory ${target}.`, {
          exitCode: exitCodes.usage,
        });
      }
      const projectRoot = stats.isDirectory() ? target : path.dirname(target);
      const manifests = stats.isDirectory()
        ? undefined
        : [{ path: path.basename(target), content: readFileSync(target, 'utf8') }];
      const clients = createDependencyClients({
        npmRegistryUrl: resolveNpmRegistryUrl({ environment: io.environment, projectRoot }),
        pypiUrl: io.environment.PLUMB_PYPI_URL,
        osvUrl: io.environment.PLUMB_OSV_URL,
        advisories: options.advisories,
        cacheDirectory: options.cacheDir ?? path.join(homedir(), '.plumb', 'registry-cache'),
        offline: options.offline,
      });
      let result: DependencyCheckResult;
      try {
        result = await checkDependencies({
          ...(manifests ? { manifests } : { projectRoot }),
          ...clients,
          options: {
            minimumReleaseAgeDays: minimumAgeMilliseconds / 86_400_000,
            runtime: {
              node: options.node ?? process.versions.node,
              ...(options.python ? { python: options.python } : {}),
            },
            offline: options.offline,
          },
        });
      } catch (error) {
        if (error instanceof PlumbError) {
          failCommand(command, `error ${error.code}: ${error.message}`, { exitCode: exitCodes.usage });
        }
        throw error;
      }
      if (options.fix && result.edits.length > 0) {
        const byFile = new Map<string, typeof result.edits>();
        for (const edit of result.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
        for (const [file, edits] of byFile) {
          const absolute = path.resolve(projectRoot, file);
          writeFileSync(absolute, applyDependencyEdits(readFileSync(absolute, 'utf8'), edits).content);
          io.stderr.write(
            `fixed ${file}: ${edits.map((edit) => `${edit.name} ${edit.from} -> ${edit.to}`).join(', ')}\n`,
          );
        }
      }
      io.stdout.write(
        options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatDependencyReport(result)}\n`,
      );
      const failing = result.dependencies.filter((dependency) => dependency.status === 'fail');
      const fixedNames = new Set(options.fix ? result.edits.map((edit) => edit.name) : []);
      const remaining = failing.filter((dependency) => !fixedNames.has(dependency.name));
      if (remaining.length > 0) {
        failCommand(
          command,
          `${remaining.length} dependenc${remaining.length === 1 ? 'y fails' : 'ies fail'} (exit code 1).`,
        );
      }
    });
  return new Command('deps').description('Dependency stability guard.').addCommand(check);
}
