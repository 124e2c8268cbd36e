import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import {
  applyFixes,
  createBaseline,
  formatSecurityReport,
  scanProject,
  scanSource,
  toSarif,
  type SecurityBaseline,
  type SecurityScanResult,
} from '@plumb/engines';
import { PlumbError } from '@plumb/protocol';
import { exitCodes, failCommand } from '../fail-command.ts';
import type { ProgramIo } from '../program-io.ts';

interface ReviewOptions {
  json?: boolean;
  sarif?: string;
  fix?: boolean;
  baseline?: string;
  writeBaseline?: string;
  include?: string[];
  exclude?: string[];
}

/**
 * `plumb review <path>`: the security review engine on a file or a whole project, locally and without a
 * model. Prints a human report (or JSON with --json), writes SARIF 2.1.0 for GitHub code scanning with
 * --sarif, applies the safe autofixes with --fix, and adopts existing code with a baseline (--write-baseline
 * once, then --baseline). Exit code 1 when findings remain.
 *
 * @example program.addCommand(createReviewCommand(io)); // plumb review src --sarif plumb.sarif
 */
export function createReviewCommand(io: ProgramIo): Command {
  return new Command('review')
    .description(
      'Find vulnerabilities (OWASP Top 10 / CWE) in a file or project, with safer alternatives; SARIF, baselines, autofix.',
    )
    .argument('<path>', 'a source file (.js/.ts/.py/.java ...) or a directory')
    .option('--json', 'print the JSON result instead of the report')
    .option('--sarif <file>', 'also write the findings as SARIF 2.1.0 (GitHub code scanning)')
    .option('--fix', 'apply the autofixes that are safe to apply, in place')
    .option('--baseline <file>', 'ignore the findings recorded in this baseline (adopting Plumb on old code)')
    .option('--write-baseline <file>', 'record every current finding in a baseline file and exit 0')
    .option('--include <glob>', 'only paths matching this glob (directories); repeatable', collect)
    .option('--exclude <glob>', 'skip paths matching this glob (directories); repeatable', collect)
    .action(async (target: string, options: ReviewOptions, command: Command) => {
      let stats;
      try {
        stats = statSync(target);
      } catch {
        failCommand(command, `error source_not_found: No file or directory ${target}.`, {
          exitCode: exitCodes.usage,
        });
      }
      let baseline: SecurityBaseline | undefined;
      if (options.baseline) {
        try {
          baseline = JSON.parse(readFileSync(options.baseline, 'utf8')) as SecurityBaseline;
        } catch (error) {
          failCommand(
            command,
            `error baseline_invalid: cannot read the baseline ${options.baseline}: ${(error as Error).message}`,
            { exitCode: exitCodes.usage },
          );
        }
      }
      const root = stats.isDirectory() ? target : path.dirname(target);
      let result: SecurityScanResult;
      try {
        result = stats.isDirectory()
          ? await scanProject({
              root: target,
              ...(baseline ? { baseline } : {}),
              ...(options.include ? { include: options.include } : {}),
              ...(options.exclude ? { exclude: options.exclude } : {}),
            })
          : scanSource({
              code: readFileSync(target, 'utf8'),
              file: path.basename(target),
              ...(baseline ? { baseline } : {}),
            });
      } catch (error) {
        if (error instanceof PlumbError) {
          failCommand(command, `error ${error.code}: ${error.message}`, { exitCode: exitCodes.usage });
        }
        throw error;
      }
      if (options.writeBaseline) {
        writeFileSync(options.writeBaseline, `${JSON.stringify(createBaseline(result.findings), null, 2)}\n`);
        io.stderr.write(
          `recorded ${result.findings.length} finding(s) in ${options.writeBaseline}; pass --baseline ${options.writeBaseline} to ignore them.\n`,
        );
        return;
      }
      if (options.fix) {
        const fixed = applyAllFixes(root, result);
        if (fixed.length > 0) {
          io.stderr.write(`fixed ${fixed.map((entry) => `${entry.file} (${entry.count})`).join(', ')}\n`);
          // What remains after the fixes is what the exit code and the report are about.
          result = {
            ...result,
            findings: result.findings.filter((finding) => finding.fix === undefined),
          };
        }
      }
      if (options.sarif) {
        writeFileSync(options.sarif, `${JSON.stringify(toSarif(result, { root }), null, 2)}\n`);
        io.stderr.write(`wrote ${options.sarif}\n`);
      }
      io.stdout.write(
        options.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatSecurityReport(result)}\n`,
      );
      if (result.findings.length > 0) {
        failCommand(
          command,
          `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} (exit code 1).`,
        );
      }
    });
}

/** Applies every finding's autofix, file by file; answers which files changed and how many fixes each got. */
function applyAllFixes(root: string, result: SecurityScanResult): { file: string; count: number }[] {
  const byFile = new Map<string, typeof result.findings>();
  for (const finding of result.findings) {
    if (!finding.fix) continue;
    byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  }
  const changed: { file: string; count: number }[] = [];
  for (const [file, findings] of byFile) {
    const absolute = path.resolve(root, file);
    const code = readFileSync(absolute, 'utf8');
    const fixed = applyFixes(code, findings);
    if (fixed !== code) {
      writeFileSync(absolute, fixed);
      changed.push({ file, count: findings.length });
    }
  }
  return changed;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}
