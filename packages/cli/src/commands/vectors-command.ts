import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  emitPytest,
  emitVitest,
  formatVectorSummary,
  generateTestVectors,
  type TestVectorResult,
} from '@plumb/engines';
import { PlumbError } from '@plumb/protocol';
import { failCommand, exitCodes } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';

interface VectorsOptions {
  function?: string[];
  emit?: string;
  json?: boolean;
  seed: number;
  against?: string;
  baseline?: string;
  save?: string;
  budget?: number;
  propertyRuns?: number;
  timeout?: number;
  python?: string;
}

/**
 * `plumb vectors <file>`: generate, execute and judge test vectors for the exported functions of a
 * TypeScript, JavaScript or Python file, locally and without a model. Prints a Markdown summary (or the JSON
 * result with --json), emits runnable Vitest/pytest suites with --emit, compares against another
 * implementation with --against (differential) or an earlier --save'd result with --baseline (regression).
 * Exit code 1 when there are findings.
 *
 * @example program.addCommand(createVectorsCommand(io)); // plumb vectors src/slugify.ts --emit test/vectors
 */
export function createVectorsCommand(io: ProgramIo): Command {
  return new Command('vectors')
    .description(
      'Generate, run and judge test vectors for the functions of a .ts/.js/.py file; emit a test suite.',
    )
    .argument('<file>', 'source file (.ts, .tsx, .mts, .cts, .js, .mjs, .cjs, .py)')
    .option('-f, --function <name>', 'only this function (name or Class.method); repeatable', collect)
    .option(
      '--emit <dir>',
      'write a runnable test suite (Vitest for TS/JS, pytest for Python) to this directory',
    )
    .option('--json', 'print the full JSON result instead of the Markdown summary')
    .option('--seed <n>', 'seed for every random choice (same seed, same vectors and files)', parseInteger, 1)
    .option('--against <file>', 'differential mode: run the same vectors against this implementation')
    .option('--baseline <result.json>', 'regression mode: compare with a result saved earlier with --save')
    .option('--save <result.json>', 'also write the JSON result to this file')
    .option('--budget <n>', 'fixed-catalogue vectors per function (default 160)', parseInteger)
    .option('--property-runs <n>', 'property-based runs per function (default 40)', parseInteger)
    .option('--timeout <ms>', 'time limit per call (default 2000)', parseInteger)
    .option(
      '--python <path>',
      'Python interpreter (default: PLUMB_PYTHON, else /usr/bin/python3, else python3)',
    )
    .action(async (file: string, options: VectorsOptions, command: Command) => {
      let baseline: TestVectorResult | undefined;
      if (options.baseline) {
        try {
          baseline = JSON.parse(readFileSync(options.baseline, 'utf8')) as TestVectorResult;
        } catch (error) {
          failCommand(
            command,
            `error invalid_request: cannot read the baseline ${options.baseline}: ${(error as Error).message}`,
            { exitCode: exitCodes.usage },
          );
        }
      }
      const python = options.python ?? io.environment.PLUMB_PYTHON;
      let result: TestVectorResult;
      try {
        result = await generateTestVectors({
          file,
          seed: options.seed,
          ...(options.function ? { functions: options.function } : {}),
          ...(options.against ? { referenceFile: options.against } : {}),
          ...(baseline ? { baseline } : {}),
          ...(options.budget !== undefined ? { budget: options.budget } : {}),
          ...(options.propertyRuns !== undefined ? { propertyRuns: options.propertyRuns } : {}),
          ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
          ...(python ? { pythonPath: python } : {}),
        });
      } catch (error) {
        if (error instanceof PlumbError) failCommand(command, `error ${error.code}: ${error.message}`);
        throw error;
      }
      if (options.save) writeFileSync(options.save, `${JSON.stringify(result, null, 2)}\n`);
      if (options.emit) {
        const files =
          result.language === 'python'
            ? emitPytest(result, { emitDirectory: options.emit })
            : emitVitest(result, { emitDirectory: options.emit });
        for (const emitted of files) {
          mkdirSync(path.dirname(emitted.path), { recursive: true });
          writeFileSync(emitted.path, emitted.contents);
        }
        io.stderr.write(
          `wrote ${files.map((emitted) => path.relative(process.cwd(), emitted.path)).join(', ')}\n`,
        );
      }
      io.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatVectorSummary(result));
      if (result.findings.length > 0) {
        failCommand(
          command,
          `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (exit code 1).`,
        );
      }
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function parseInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError('expected a non-negative integer.');
  return parsed;
}
