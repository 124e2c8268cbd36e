import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeclaredDependency } from './declared-dependency.ts';
import { findDependenciesInText } from './find-dependencies-in-text.ts';
import { parsePackageJson } from './parse-package-json.ts';
import { parsePackageLock } from './parse-package-lock.ts';
import { parsePyproject } from './parse-pyproject.ts';
import { parseRequirements } from './parse-requirements.ts';

const manifestNames = ['package.json', 'package-lock.json', 'pyproject.toml'];

/**
 * Every dependency the inputs declare: manifests (read from `projectRoot` when not given), lockfiles (whose
 * top-level versions resolve the package.json beside them; other locked packages are added) and the
 * imports and install commands of `code`. Malformed manifests throw `manifest_invalid`.
 *
 * @example await collectDependencies({ manifests: [{ path: 'requirements.txt', content: 'PyYAML==5.3' }] }, warnings)
 */
export async function collectDependencies(
  input: {
    projectRoot?: string | undefined;
    manifests?: { path: string; content: string }[] | undefined;
    code?: string | undefined;
  },
  warnings: string[],
): Promise<DeclaredDependency[]> {
  let manifests = input.manifests;
  if (manifests === undefined && input.projectRoot !== undefined) {
    const root = input.projectRoot;
    const names = (await readdir(root)).filter(
      (name) => manifestNames.includes(name) || /^requirements.*\.txt$/.test(name),
    );
    manifests = await Promise.all(
      names.map(async (name) => ({ path: name, content: await readFile(path.join(root, name), 'utf8') })),
    );
  }
  const found: DeclaredDependency[] = [];
  const locks: { directory: string; direct: Map<string, string>; packages: DeclaredDependency[] }[] = [];
  for (const manifest of manifests ?? []) {
    const base = path.basename(manifest.path);
    const parsed =
      base === 'package.json'
        ? parsePackageJson(manifest.content, manifest.path)
        : base === 'pyproject.toml'
          ? parsePyproject(manifest.content, manifest.path)
          : base.endsWith('.txt')
            ? parseRequirements(manifest.content, manifest.path)
            : undefined;
    if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') {
      const lock = parsePackageLock(manifest.content, manifest.path);
      warnings.push(...lock.warnings);
      locks.push({ directory: path.dirname(manifest.path), direct: lock.direct, packages: lock.packages });
      continue;
    }
    if (!parsed) {
      warnings.push(
        `${manifest.path}: not a manifest this engine reads (package.json, package-lock.json, requirements.txt, pyproject.toml); skipped.`,
      );
      continue;
    }
    warnings.push(...parsed.warnings);
    found.push(...parsed.dependencies);
  }
  for (const lock of locks) {
    const covered = new Set<string>();
    for (const dependency of found) {
      if (
        dependency.ecosystem !== 'npm' ||
        !('file' in dependency.source) ||
        path.dirname(dependency.source.file) !== lock.directory
      )
        continue;
      const locked = lock.direct.get(dependency.name);
      if (locked) {
        dependency.locked = locked;
        covered.add(`${dependency.name}@${locked}`);
      }
    }
    found.push(
      ...lock.packages.filter((dependency) => !covered.has(`${dependency.name}@${dependency.declared}`)),
    );
  }
  if (input.code !== undefined) found.push(...findDependenciesInText(input.code));
  return found;
}
