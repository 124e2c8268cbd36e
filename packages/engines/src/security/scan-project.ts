import { createHash } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applySuppressions } from './apply-suppressions.ts';
import { baselineFingerprints, type SecurityBaseline } from './baseline.ts';
import { loadSecurityRules } from './load-security-rules.ts';
import { applicableRules, scanFile } from './scan-file.ts';
import type { SecurityFinding, SecurityScanResult } from './security-finding.ts';
import { astGrepBinary, findCandidateRules } from './find-candidate-rules.ts';
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
  /**
   * Match large change sets with the ast-grep CLI first (rules compiled once, all cores; the default when
   * `@ast-grep/cli` is installed). False scans every file in-process; the findings are the same.
   */
  astGrepCli?: boolean;
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
  const known = options.baseline === undefined ? undefined : baselineFingerprints(options.baseline);
  const ignore = await readGitignore(options.root);
  const include = options.include?.map(globToRegExp);
  const exclude = options.exclude?.map(globToRegExp) ?? [];
  const warnings: string[] = [];
  // Phase 1: walk, filter, and take unchanged files from the cache; the rest are read and scanned below.
  const entries: { relative: string; result?: FileScanResult; job?: FileScanJob }[] = [];
  // Synchronous walk and stat: thousands of small calls cost several times more through the promise API,
  // and a re-scan of one changed file is mostly this walk.
  for (const absolute of walk(options.root, '', ignore)) {
    const relative = path.relative(options.root, absolute).split(path.sep).join('/');
    if (!securityExtensions.includes(path.extname(absolute).toLowerCase())) continue;
    if (/\.min\.(js|mjs|cjs)$/.test(relative)) continue;
    if (include !== undefined && !include.some((pattern) => pattern.test(relative))) continue;
    if (exclude.some((pattern) => pattern.test(relative))) continue;
    const stats = statSync(absolute);
    if (stats.size > maxFileBytes) {
      warnings.push(
        `${relative}: ${(stats.size / 1024 / 1024).toFixed(1)} MB is over the 1 MB limit; skipped.`,
      );
      continue;
    }
    const previous = options.cache?.get(relative);
    if (
      previous?.lines !== undefined &&
      previous.size === stats.size &&
      previous.modifiedMs === stats.mtimeMs
    ) {
      // Same size and modification time as when it was scanned: reuse without reading it.
      entries.push({ relative, result: { ...previous, lines: previous.lines } });
      continue;
    }
    entries.push({
      relative,
      job: { relative, absolute, size: stats.size, modifiedMs: stats.mtimeMs, cachedHash: previous?.hash },
    });
  }

  // Phase 2: scan the changed files, on worker threads when there is enough work to pay for them.
  const jobs = entries.flatMap((entry) => (entry.job === undefined ? [] : [entry.job]));
  const scanned = await scanJobs(jobs, options.cache, options.astGrepCli ?? true, warnings);
  const findings: SecurityFinding[] = [];
  let filesScanned = 0;
  let linesScanned = 0;
  for (const entry of entries) {
    const result = entry.result ?? scanned.get(entry.relative);
    if (result === undefined || result.skipped === true) continue;
    if (entry.job !== undefined)
      options.cache?.set(entry.relative, {
        hash: result.hash,
        findings: result.findings,
        warnings: result.warnings,
        size: result.size,
        modifiedMs: result.modifiedMs,
        lines: result.lines,
      });
    filesScanned += 1;
    linesScanned += result.lines;
    warnings.push(...result.warnings);
    findings.push(
      ...(known === undefined
        ? result.findings
        : result.findings.filter((finding) => !known.has(finding.fingerprint))),
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

/** One file to (re)scan. */
export interface FileScanJob {
  relative: string;
  absolute: string;
  size: number;
  modifiedMs: number;
  /** The content hash of the cached result, if any: equal content reuses it. */
  cachedHash?: string | undefined;
}

/** The outcome of scanning one file (suppressions applied, baseline not). */
export interface FileScanResult {
  hash: string;
  findings: SecurityFinding[];
  warnings: string[];
  size?: number | undefined;
  modifiedMs?: number | undefined;
  lines: number;
  /** Minified-looking file: not scanned and not counted. */
  skipped?: boolean;
}

/**
 * Read and scan one file with the built-in rules (used in-process and by the scan workers).
 *
 * @example await scanFileJob({ relative: 'a.js', absolute: '/p/a.js', size: 10, modifiedMs: 0 })
 */
export async function scanFileJob(job: FileScanJob, cached?: FileScanResult): Promise<FileScanResult> {
  return scanJobText(job, await readFile(job.absolute, 'utf8'), cached);
}

/**
 * Scan one file's text: minified files are skipped, content equal to the cached result's reuses it, and
 * `ruleIds` (when given) limits the rules to those (the ones the CLI pass found candidates for).
 */
function scanJobText(
  job: FileScanJob,
  code: string,
  cached?: FileScanResult,
  ruleIds?: ReadonlySet<string>,
): FileScanResult {
  const lines = code.split('\n').length;
  const base = { size: job.size, modifiedMs: job.modifiedMs, lines };
  if (code.split('\n', 200).some((line) => line.length > 1000))
    return { hash: '', findings: [], warnings: [], ...base, skipped: true };
  const hash = createHash('sha1').update(code).digest('hex');
  if (cached !== undefined && job.cachedHash === hash)
    return { hash, findings: cached.findings, warnings: cached.warnings, ...base };
  if (ruleIds?.size === 0) return { hash, findings: [], warnings: [], ...base };
  const rules = loadSecurityRules();
  // A rule subset comes from the CLI pass, which found no parse error in this file.
  const result = scanFile({
    code,
    language: resolveSecurityLanguage({ file: job.absolute }),
    file: job.relative,
    rules: ruleIds === undefined ? rules : rules.filter((rule) => ruleIds.has(rule.id)),
    knownWithoutErrors: ruleIds !== undefined,
  });
  const warnings: string[] = [];
  const findings = applySuppressions(result.findings, code, warnings);
  warnings.unshift(...result.warnings);
  return { hash, findings, warnings, ...base };
}

/** Below this many bytes of changed code, worker start-up costs more than it saves. */
const parallelThresholdBytes = 512 * 1024;

async function scanJobs(
  jobs: FileScanJob[],
  cache: SecurityScanCache | undefined,
  useCli: boolean,
  warnings: string[],
): Promise<Map<string, FileScanResult>> {
  const results = new Map<string, FileScanResult>();
  const cachedOf = (job: FileScanJob): FileScanResult | undefined => {
    const entry = cache?.get(job.relative);
    return entry === undefined ? undefined : { ...entry, lines: entry.lines ?? 0 };
  };
  const totalBytes = jobs.reduce((sum, job) => sum + job.size, 0);
  const large = jobs.length >= cliThreshold.files || totalBytes >= cliThreshold.bytes;
  if (useCli && large && jobs.length > 1 && astGrepBinary() !== null) {
    try {
      return await scanWithCli(jobs, cachedOf);
    } catch (error) {
      warnings.push(
        `The ast-grep CLI pass failed (${(error as Error).message.split('\n')[0]}); scanned in-process instead, which is slower. Reinstall @ast-grep/cli or pass astGrepCli: false.`,
      );
    }
  }
  const workerCount = Math.min(os.availableParallelism(), 4, Math.ceil(jobs.length / 8));
  if (totalBytes >= parallelThresholdBytes && workerCount >= 2) {
    const done = await scanOnWorkers(
      jobs.filter((job) => job.cachedHash === undefined),
      workerCount,
    ).catch(() => undefined);
    for (const [relative, result] of done ?? []) results.set(relative, result);
  }
  // Files the workers did not do (none started, one failed, or a cache entry to compare) run here.
  for (const job of jobs)
    if (!results.has(job.relative)) results.set(job.relative, await scanFileJob(job, cachedOf(job)));
  return results;
}

/**
 * From this many changed files or bytes on, the ast-grep CLI pass (rules compiled once, all cores) pays for
 * its start (about 0.1 s with every rule).
 */
const cliThreshold = { files: 48, bytes: 128 * 1024 };

/**
 * Scan jobs in two passes: the ast-grep CLI matches each rule on the files its pre-filter lets through, then
 * the exact scan (where-conditions, taint, fixes, suppressions) runs in-process with only the rules that
 * matched, on only the files where they did. Files the CLI cannot judge (parse errors, Go, indented Python,
 * NUL bytes, glob characters in the name) get the exact scan with every rule. The findings are the same as
 * scanning every file with every rule (a test compares them); rejects when the CLI fails.
 */
async function scanWithCli(
  jobs: FileScanJob[],
  cachedOf: (job: FileScanJob) => FileScanResult | undefined,
): Promise<Map<string, FileScanResult>> {
  const rules = loadSecurityRules();
  const root = commonRoot(jobs);
  const texts = new Map<FileScanJob, string>();
  for (let start = 0; start < jobs.length; start += 64)
    await Promise.all(
      jobs.slice(start, start + 64).map(async (job) => texts.set(job, await readFile(job.absolute, 'utf8'))),
    );
  const tried = new Map<string, string[]>();
  const pathOf = new Map<FileScanJob, string>();
  const fullScan = new Set<FileScanJob>();
  for (const [job, code] of texts) {
    const language = resolveSecurityLanguage({ file: job.absolute });
    // Go has no rules (the exact scan warns), NUL means binary, and indented Python is dedented in-process.
    if (language === 'go' || code.includes('\u0000') || (language === 'python' && !/^\S/m.test(code))) {
      fullScan.add(job);
      continue;
    }
    const relative = path.relative(root, job.absolute).split(path.sep).join('/');
    pathOf.set(job, relative);
    tried.set(
      relative,
      applicableRules(rules, language, code).map((rule) => rule.id),
    );
  }
  const candidates = await findCandidateRules({ root, files: tried, rules });
  const results = new Map<string, FileScanResult>();
  for (const [job, code] of texts) {
    const relative = pathOf.get(job);
    const full = relative === undefined || fullScan.has(job) || candidates.needsFullScan.has(relative);
    const ruleIds = full ? undefined : (candidates.rulesByFile.get(relative) ?? new Set<string>());
    results.set(job.relative, scanJobText(job, code, cachedOf(job), ruleIds));
  }
  return results;
}

/** The deepest folder holding every job's file (the CLI runs there with short relative paths). */
function commonRoot(jobs: FileScanJob[]): string {
  let root = path.dirname(jobs[0]!.absolute);
  for (const job of jobs)
    while (root !== path.dirname(root) && !job.absolute.startsWith(root + path.sep))
      root = path.dirname(root);
  return root;
}

/**
 * A worker running `url`. Under a TypeScript loader (tsx, running the .ts sources) the worker registers the
 * loader first: `--import` hooks of the main thread do not reach worker threads.
 */
function startWorker(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  const loader = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true });
}

/** Scan jobs on `count` worker threads; rejects when a worker cannot start (the caller then scans in-process). */
async function scanOnWorkers(jobs: FileScanJob[], count: number): Promise<Map<string, FileScanResult>> {
  const results = new Map<string, FileScanResult>();
  if (jobs.length === 0) return results;
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const workerUrl = new URL(`./scan-project-worker${extension}`, import.meta.url);
  // Largest files first, handed out one batch at a time so the workers finish together.
  const queue = [...jobs].sort((left, right) => right.size - left.size);
  const batchSize = Math.max(1, Math.min(16, Math.ceil(queue.length / (count * 8))));
  await Promise.all(
    Array.from({ length: count }, async () => {
      const worker = startWorker(workerUrl);
      try {
        await new Promise<void>((resolve, reject) => {
          const next = (): void => {
            const batch = queue.splice(0, batchSize);
            if (batch.length === 0) {
              resolve();
              return;
            }
            worker.postMessage(batch);
          };
          worker.on('message', (message: [string, FileScanResult][]) => {
            for (const [relative, result] of message) results.set(relative, result);
            next();
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`security scan worker exited with code ${code}`));
          });
          next();
        });
      } finally {
        await worker.terminate();
      }
    }),
  );
  return results;
}

/** Files under `directory` (absolute paths); `prefix` is its path relative to the scan root, with `/`. */
function* walk(directory: string, prefix: string, ignore: RegExp[]): Generator<string> {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((left, right) => left.name.localeCompare(right.name));
  for (const entry of entries) {
    const absolute = path.join(directory, entry.name);
    const relative = prefix + entry.name;
    if (ignore.some((pattern) => pattern.test(relative) || pattern.test(`${relative}/`))) continue;
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) yield* walk(absolute, `${relative}/`, ignore);
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
