import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import type { CodeLanguage } from './file-facts.ts';

/** A source file found by `listSourceFiles`. */
export interface SourceFile {
  /** Repository-relative, forward slashes. */
  path: string;
  absolutePath: string;
  language: CodeLanguage;
  size: number;
  modifiedMs: number;
}

/** A file left out on purpose, with the reason a user can act on. */
export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ListSourceFilesOptions {
  /** Maps a path to its language; `undefined` marks it unsupported (usually `languageOfPath`). */
  languageOf: (path: string) => CodeLanguage | undefined;
  /** Only paths (relative to the root) matching one of these globs (`*`, `**`, `?`). */
  include?: readonly string[];
  /** Paths matching one of these globs are left out. */
  exclude?: readonly string[];
  /** Files over this size are skipped (default 1 MB): generated bundles and data, not code to explain. */
  maxFileBytes?: number;
  signal?: AbortSignal;
}

export interface SourceFileListing {
  /** Sorted by path. */
  files: SourceFile[];
  /** Files of languages the code graph does not parse, by extension (`.rb`, or the name when it has none). */
  unsupported: Record<string, number>;
  skipped: SkippedFile[];
}

/** Vendored, generated and tool folders: never the repository's own code. */
const skippedFolders = new Set([
  'node_modules',
  'bower_components',
  'dist',
  'build',
  'out',
  'vendor',
  'target',
  'coverage',
  '__pycache__',
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.next',
  '.nuxt',
  '.gradle',
  '.idea',
]);
const minifiedPattern = /\.min\.(js|mjs|cjs)$|[.-]bundle\.js$/;
const defaultMaxFileBytes = 1024 * 1024;

/**
 * Walk a repository for source files: honours the root and nested `.gitignore` files (git's precedence: a
 * deeper file overrides, `!` re-includes), skips vendored/generated folders and minified files, follows
 * symbolic links inside the root once (a link back to a folder already walked is a loop and is skipped), and
 * counts unsupported files by extension so a report can list what was not indexed.
 *
 * @example
 * const listing = await listSourceFiles('/repo', { languageOf: languageOfPath });
 * // => { files: [{ path: 'src/index.ts', language: 'typescript', ... }], unsupported: { '.md': 3 }, skipped: [] }
 */
export async function listSourceFiles(
  root: string,
  options: ListSourceFilesOptions,
): Promise<SourceFileListing> {
  const rootReal = await realpath(root);
  const include = options.include?.map(globToRegExp);
  const exclude = (options.exclude ?? []).map(globToRegExp);
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;
  const listing: SourceFileListing = { files: [], unsupported: {}, skipped: [] };
  const visited = new Set<string>([rootReal]);

  const walk = async (
    directory: string,
    relativeDirectory: string,
    rules: { base: string; matcher: Ignore }[],
  ): Promise<void> => {
    options.signal?.throwIfAborted();
    const levelRules = [...rules];
    const gitignore = await readGitignore(directory);
    if (gitignore !== undefined) levelRules.push({ base: relativeDirectory, matcher: gitignore });
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      listing.skipped.push({
        path: relativeDirectory || '.',
        reason: `unreadable folder (${codeOf(error)})`,
      });
      return;
    }
    entries.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
    for (const entry of entries) {
      const absolute = path.join(directory, entry.name);
      const relative = relativeDirectory === '' ? entry.name : `${relativeDirectory}/${entry.name}`;
      const isDirectory = entry.isDirectory();
      const isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = await resolveLink(absolute);
        if (target === undefined) {
          listing.skipped.push({ path: relative, reason: 'broken symbolic link' });
          continue;
        }
        if (target.real !== rootReal && !target.real.startsWith(rootReal + path.sep)) {
          listing.skipped.push({ path: relative, reason: 'symbolic link to outside the repository' });
          continue;
        }
        // The target is inside the root, so the walk lists it under its own path; following the link would
        // list it twice, or forever when it points at an ancestor.
        const directoryReal = await realpath(directory).catch(() => directory);
        const isLoop =
          target.isDirectory &&
          (directoryReal === target.real || directoryReal.startsWith(target.real + path.sep));
        listing.skipped.push({
          path: relative,
          reason: isLoop ? 'symbolic link loop' : 'symbolic link to another path of the repository',
        });
        continue;
      }
      if (isDirectory) {
        if (skippedFolders.has(entry.name)) continue;
        if (isIgnored(levelRules, relative, true)) continue;
        const real = await realpath(absolute).catch(() => absolute);
        if (visited.has(real)) {
          listing.skipped.push({ path: relative, reason: 'symbolic link loop (folder already listed)' });
          continue;
        }
        visited.add(real);
        await walk(absolute, relative, levelRules);
        continue;
      }
      if (!isFile || entry.name === '.gitignore') continue;
      if (isIgnored(levelRules, relative, false)) continue;
      if (include !== undefined && !include.some((pattern) => pattern.test(relative))) continue;
      if (exclude.some((pattern) => pattern.test(relative))) continue;
      const language = options.languageOf(relative);
      if (language === undefined) {
        const extension = path.extname(entry.name).toLowerCase() || entry.name;
        listing.unsupported[extension] = (listing.unsupported[extension] ?? 0) + 1;
        continue;
      }
      if (minifiedPattern.test(entry.name)) {
        listing.skipped.push({ path: relative, reason: 'minified' });
        continue;
      }
      const stats = await stat(absolute);
      if (stats.size > maxFileBytes) {
        listing.skipped.push({
          path: relative,
          reason: `too large (${Math.ceil(stats.size / 1024)} KB; the limit is ${Math.ceil(maxFileBytes / 1024)} KB)`,
        });
        continue;
      }
      listing.files.push({
        path: relative,
        absolutePath: absolute,
        language,
        size: stats.size,
        modifiedMs: stats.mtimeMs,
      });
    }
  };

  await walk(rootReal, '', []);
  listing.files.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : 0));
  return listing;
}

/** Git's precedence: the deepest `.gitignore` with an opinion on the path decides. */
function isIgnored(
  rules: readonly { base: string; matcher: Ignore }[],
  relative: string,
  isDirectory: boolean,
): boolean {
  let ignored = false;
  for (const rule of rules) {
    const local = rule.base === '' ? relative : relative.slice(rule.base.length + 1);
    const result = rule.matcher.test(isDirectory ? `${local}/` : local);
    if (result.ignored) ignored = true;
    else if (result.unignored) ignored = false;
  }
  return ignored;
}

async function readGitignore(directory: string): Promise<Ignore | undefined> {
  try {
    return ignore().add(await readFile(path.join(directory, '.gitignore'), 'utf8'));
  } catch {
    return undefined;
  }
}

async function resolveLink(
  absolute: string,
): Promise<{ real: string; isDirectory: boolean; isFile: boolean } | undefined> {
  try {
    const real = await realpath(absolute);
    const stats = await stat(real);
    return { real, isDirectory: stats.isDirectory(), isFile: stats.isFile() };
  } catch {
    // ELOOP (a link to itself) and dangling links both end here.
    return undefined;
  }
}

function codeOf(error: unknown): string {
  return error instanceof Error && 'code' in error ? String(error.code) : 'unknown error';
}

/** `**` crosses folders, `*` and `?` stay within one; a pattern without `/` matches the name in any folder. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.replace(/^\.\//, '');
  let body = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const character = pattern[index] ?? '';
    if (character === '*' && pattern[index + 1] === '*') {
      const slashAfter = pattern[index + 2] === '/';
      body += slashAfter ? '(?:.*/)?' : '.*';
      index += slashAfter ? 2 : 1;
    } else if (character === '*') body += '[^/]*';
    else if (character === '?') body += '[^/]';
    else body += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(pattern.includes('/') ? `^${body}(?:/.*)?$` : `(?:^|/)${body}(?:/.*)?$`);
}
