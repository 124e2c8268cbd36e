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
 * their ancestors up to the root): tsconfig.json/jsconfig.json (comments, trailing commas and `extends` are
 * handled by the TypeScript compiler's own reader), go.mod and package.json.
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
        };
        if (typeof manifest.name === 'string') {
          const entry = [manifest.source, manifest.types, manifest.main].find(
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
): Promise<{ baseUrl?: string; paths: Record<string, string[]> } | undefined> {
  // Loaded only when a tsconfig exists: the compiler is large, and it knows every tsconfig dialect.
  const { default: ts } = await import('typescript');
  const read = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  const relativeConfig = path.relative(root, configPath).split(path.sep).join('/');
  if (read.error !== undefined) {
    warnings.push(`${relativeConfig}: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}`);
    return undefined;
  }
  const host = {
    useCaseSensitiveFileNames: true,
    readDirectory: () => [],
    fileExists: (file: string) => ts.sys.fileExists(file),
    readFile: (file: string) => ts.sys.readFile(file),
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, path.dirname(configPath));
  const options = parsed.options;
  const toRelative = (absolute: string): string => path.relative(root, absolute).split(path.sep).join('/');
  const base =
    options.baseUrl ?? (typeof options['pathsBasePath'] === 'string' ? options['pathsBasePath'] : undefined);
  const paths: Record<string, string[]> = {};
  for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
    paths[pattern] = targets.map((target) =>
      toRelative(path.resolve(base ?? path.dirname(configPath), target)),
    );
  }
  return { ...(options.baseUrl === undefined ? {} : { baseUrl: toRelative(options.baseUrl) }), paths };
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
