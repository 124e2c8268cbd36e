import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What import resolution needs beyond the source files: TypeScript `paths`/`baseUrl`, Go module paths and the
 * names of workspace packages. Plain JSON, all paths repository-relative (`''` is the root), so a caller can
 * keep it beside the store.
 */
export interface ImportResolutionConfig {
  /** One entry per tsconfig.json/jsconfig.json; applies to files under `directory`. */
  typescript: { directory: string; baseUrl?: string; paths: Record<string, string[]> }[];
  /** One entry per go.mod. */
  goModules: { directory: string; modulePath: string }[];
  /** package.json files with a name: a bare import of the name resolves into `directory`. */
  packages: { directory: string; name: string; entry?: string }[];
}

export const emptyImportResolutionConfig: ImportResolutionConfig = {
  typescript: [],
  goModules: [],
  packages: [],
};

/**
 * Read the configuration files that affect import resolution from every folder holding one of `paths` (and
 * their ancestors up to the root): tsconfig.json/jsconfig.json (comments, trailing commas, relative
 * `extends`), go.mod and package.json.
 *
 * @example
 * await readImportResolutionConfig('/repo', ['src/app.ts', 'svc/main.go'])
 * // => { config: { typescript: [{ directory: '', baseUrl: 'src', paths: { '@/*': ['src/*'] } }], goModules: [...], packages: [] }, warnings: [] }
 */
export async function readImportResolutionConfig(
  root: string,
  paths: readonly string[],
): Promise<{ config: ImportResolutionConfig; warnings: string[] }> {
  const directories = new Set<string>(['']);
  for (const file of paths) {
    let directory = path.posix.dirname(file);
    while (directory !== '.' && !directories.has(directory)) {
      directories.add(directory);
      directory = path.posix.dirname(directory);
    }
  }
  const config: ImportResolutionConfig = { typescript: [], goModules: [], packages: [] };
  const warnings: string[] = [];
  const sorted = [...directories].sort();
  for (const directory of sorted) {
    const absolute = path.join(root, directory);
    const goMod = await readText(path.join(absolute, 'go.mod'));
    const modulePath = goMod?.match(/^\s*module\s+"?([^\s"]+)"?/m)?.[1];
    if (modulePath !== undefined) config.goModules.push({ directory, modulePath });
    const packageJson = await readText(path.join(absolute, 'package.json'));
    if (packageJson !== undefined) {
      try {
        const manifest = JSON.parse(packageJson) as {
          name?: unknown;
          main?: unknown;
          types?: unknown;
          source?: unknown;
          exports?: unknown;
        };
        if (typeof manifest.name === 'string') {
          const exported =
            typeof manifest.exports === 'object' && manifest.exports !== null && '.' in manifest.exports
              ? (manifest.exports as Record<string, unknown>)['.']
              : manifest.exports;
          const entry = [manifest.source, exported, manifest.types, manifest.main].find(
            (value) => typeof value === 'string',
          );
          config.packages.push({
            directory,
            name: manifest.name,
            ...(typeof entry === 'string' ? { entry: joinRelative(directory, entry) } : {}),
          });
        }
      } catch {
        warnings.push(
          `${joinRelative(directory, 'package.json')}: not valid JSON; its package name is not used.`,
        );
      }
    }
    for (const name of ['tsconfig.json', 'jsconfig.json']) {
      const configPath = path.join(absolute, name);
      if ((await readText(configPath)) === undefined) continue;
      const compiler = await readCompilerPaths(root, configPath, warnings);
      if (compiler !== undefined) config.typescript.push({ directory, ...compiler });
      break;
    }
  }
  return { config, warnings };
}

async function readCompilerPaths(
  root: string,
  configPath: string,
  warnings: string[],
  depth = 0,
): Promise<{ baseUrl?: string; paths: Record<string, string[]> } | undefined> {
  // A small reader instead of the TypeScript compiler's: loading the compiler costs seconds, and only
  // `extends`, `baseUrl` and `paths` matter here.
  const relativeConfig = path.relative(root, configPath).split(path.sep).join('/');
  const text = await readText(configPath);
  if (text === undefined) return undefined;
  let parsed: { extends?: unknown; compilerOptions?: { baseUrl?: unknown; paths?: unknown } };
  try {
    parsed = JSON.parse(stripJsonComments(text)) as typeof parsed;
  } catch (error) {
    warnings.push(
      `${relativeConfig}: not valid JSON (${error instanceof Error ? error.message : 'parse error'}); its paths are not used.`,
    );
    return undefined;
  }
  const directory = path.dirname(configPath);
  const toRelative = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');
  let inherited: { baseUrl?: string; paths: Record<string, string[]> } = { paths: {} };
  const parents =
    typeof parsed.extends === 'string'
      ? [parsed.extends]
      : Array.isArray(parsed.extends)
        ? parsed.extends
        : [];
  for (const parent of parents) {
    // Relative bases only: a package base (`@tsconfig/node20`) sets compiler flags, not this project's paths.
    if (typeof parent !== 'string' || !parent.startsWith('.') || depth > 5) continue;
    const parentPath = path.resolve(directory, parent.endsWith('.json') ? parent : `${parent}.json`);
    const fromParent = await readCompilerPaths(root, parentPath, warnings, depth + 1);
    if (fromParent !== undefined) inherited = { ...inherited, ...fromParent };
  }
  const options = parsed.compilerOptions ?? {};
  const baseUrl =
    typeof options.baseUrl === 'string'
      ? toRelative(path.resolve(directory, options.baseUrl))
      : inherited.baseUrl;
  let paths = inherited.paths;
  if (typeof options.paths === 'object' && options.paths !== null) {
    // `paths` targets are relative to `baseUrl` when set, otherwise to the config that declares them.
    const base = baseUrl === undefined ? directory : path.resolve(root, baseUrl);
    paths = {};
    for (const [pattern, targets] of Object.entries(options.paths as Record<string, unknown>)) {
      if (!Array.isArray(targets)) continue;
      paths[pattern] = targets
        .filter((target): target is string => typeof target === 'string')
        .map((target) => toRelative(path.resolve(base, target)));
    }
  }
  return { ...(baseUrl === undefined ? {} : { baseUrl }), paths };
}

/** JSON with comments and trailing commas (tsconfig's dialect) to plain JSON; strings are left intact. */
function stripJsonComments(text: string): string {
  let output = '';
  for (let index = 0; index < text.length; index += 1) {
    const character = text[index];
    const next = text[index + 1];
    if (character === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      output += text.slice(index, end + 1);
      index = end;
    } else if (character === '/' && next === '/') {
      while (index < text.length && text[index] !== '\n') index += 1;
      output += '\n';
    } else if (character === '/' && next === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end === -1 ? text.length : end + 1;
    } else output += character;
  }
  return output.replace(/,(\s*[}\]])/g, '$1');
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

function joinRelative(directory: string, file: string): string {
  return path.posix.normalize(directory === '' ? file : `${directory}/${file}`).replace(/^\.\//, '');
}
