import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { applySuppressions } from './apply-suppressions.ts';
import { baselineFingerprints, type SecurityBaseline } from './baseline.ts';
import { loadSecurityRules } from './load-security-rules.ts';
import { scanFile } from './scan-file.ts';
import type { SecurityFinding, SecurityScanResult } from './security-finding.ts';
import { resolveSecurityLanguage, securityExtensions } from './security-language.ts';

/** Findings of unchanged files, keyed by path and content hash, reused by the next `scanProject`. */
export type SecurityScanCache = Map<
  string,
  {
    hash: string;
    findings: SecurityFinding[];
    warnings: string[];
    /** Size and modification time when scanned: an unchanged stat skips reading the file again. */
    size?: number;
    modifiedMs?: number;
    lines?: number;
  }
>;

/** Options of `scanProject`. */
export interface ScanProjectOptions {
  root: string;
  /** Only paths (relative to root) matching one of these simple globs (`*`, `**`). */
  include?: string[];
  exclude?: string[];
  baseline?: SecurityBaseline | string;
  cache?: SecurityScanCache;
}

const skippedFolders = new Set([
  'node_modules',
  'vendor',
  'dist',
  'build',
  '.git',
  '__pycache__',
  '.venv',
  'venv',
  'target',
  'coverage',
]);
const maxFileBytes = 1024 * 1024;

/**
 * Scan a directory: every JS/TS/Python/Java file not ignored by .gitignore, skipping vendored, built and
 * minified files and files over 1 MB (with a warning). Pass the same `cache` map again to re-parse only the
 * files whose content changed.
 *
 * @example await scanProject({ root: 'services/api' }) // => { findings, filesScanned, linesScanned, durationMs, warnings }
 */
export async function scanProject(options: ScanProjectOptions): Promise<SecurityScanResult> {
  const started = performance.now();
  const rules = loadSecurityRules();
  const known = options.baseline === undefined ? undefined : baselineFingerprints(options.baseline);
  const ignore = await readGitignore(options.root);
  const include = options.include?.map(globToRegExp);
  const exclude = options.exclude?.map(globToRegExp) ?? [];
  const findings: SecurityFinding[] = [];
  const warnings: string[] = [];
  let filesScanned = 0;
  let linesScanned = 0;
  for await (const absolute of walk(options.root, options.root, ignore)) {
    const relative = path.relative(options.root, absolute).split(path.sep).join('/');
    if (!securityExtensions.includes(path.extname(absolute).toLowerCase())) continue;
    if (/\.min\.(js|mjs|cjs)$/.test(relative)) continue;
    if (include !== undefined && !include.some((pattern) => pattern.test(relative))) continue;
    if (exclude.some((pattern) => pattern.test(relative))) continue;
    const stats = await stat(absolute);
    const size = stats.size;
    if (size > maxFileBytes) {
      warnings.push(`${relative}: ${(size / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit; skipped.`);
      continue;
    }
    const previous = options.cache?.get(relative);
    if (
      previous !== undefined &&
      previous.size === size &&
      previous.modifiedMs === stats.mtimeMs &&
      previous.lines !== undefined
    ) {
      // Same size and modification time as when it was scanned: reuse without reading it.
      filesScanned += 1;
      linesScanned += previous.lines;
      warnings.push(...previous.warnings);
      findings.push(
        ...(known === undefined
          ? previous.findings
          : previous.findings.filter((finding) => !known.has(finding.fingerprint))),
      );
      continue;
    }
    const code = await readFile(absolute, 'utf8');
    if (code.split('\n', 200).some((line) => line.length > 1000)) continue;
    const hash = createHash('sha1').update(code).digest('hex');
    const cached = options.cache?.get(relative);
    let fileFindings: SecurityFinding[];
    let fileWarnings: string[];
    if (cached !== undefined && cached.hash === hash) {
      fileFindings = cached.findings;
      fileWarnings = cached.warnings;
    } else {
      const scanned = scanFile({
        code,
        language: resolveSecurityLanguage({ file: absolute }),
        file: relative,
        rules,
      });
      fileWarnings = [];
      fileFindings = applySuppressions(scanned.findings, code, fileWarnings);
      fileWarnings.unshift(...scanned.warnings);
    }
    options.cache?.set(relative, {
      hash,
      findings: fileFindings,
      warnings: fileWarnings,
      size,
      modifiedMs: stats.mtimeMs,
      lines: code.split('\n').length,
    });
    filesScanned += 1;
    linesScanned += code.split('\n').length;
    warnings.push(...fileWarnings);
    findings.push(
      ...(known === undefined
        ? fileFindings
        : fileFindings.filter((finding) => !known.has(finding.fingerprint))),
    );
  }
  return {
    findings,
    filesScanned,
    linesScanned,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    warnings,
  };
}

async function* walk(directory: string, root: string, ignore: RegExp[]): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((left, right) => left.name.localeCompare(right.name));
  for (const entry of entries) {
    const absolute = path.join(directory, entry.name);
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    if (ignore.some((pattern) => pattern.test(relative) || pattern.test(`${relative}/`))) continue;
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) yield* walk(absolute, root, ignore);
    } else if (entry.isFile()) {
      yield absolute;
    }
  }
}

async function readGitignore(root: string): Promise<RegExp[]> {
  let text: string;
  try {
    text = await readFile(path.join(root, '.gitignore'), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('!'))
    .map((line) => {
      const anchored = line.startsWith('/');
      const pattern = line.replace(/^\//, '').replace(/\/$/, '');
      const body = globBody(pattern);
      return new RegExp(anchored || pattern.includes('/') ? `^${body}(/|$)` : `(^|/)${body}(/|$)`);
    });
}

function globBody(glob: string): string {
  return glob
    .split('**')
    .map((part) =>
      part
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]'),
    )
    .join('.*');
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globBody(glob.replace(/^\.\//, ''))}$`);
}
