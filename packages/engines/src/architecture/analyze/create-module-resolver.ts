import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FileFacts } from '../../code-graph/file-facts.ts';
import type { ModuleLevel } from './architecture-report.ts';

/** Files whose folder is a package of its ecosystem. */
const packageManifests = [
  'package.json',
  'go.mod',
  'pom.xml',
  'build.gradle',
  'build.gradle.kts',
  'pyproject.toml',
];

/** The folder of a repository-relative path, `.` at the top. */
export function folderOf(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash < 0 ? '.' : file.slice(0, slash);
}

/**
 * A function from a repository-relative file path to its module id at `level`:
 * - `file`: the path itself;
 * - `folder`: its directory;
 * - `package`: the Java package or Python package (dotted name, from the facts) for those languages, because
 *   the language's own package is the unit its developers reason about; otherwise the nearest folder with a
 *   package manifest (package.json, go.mod, pom.xml, build.gradle, pyproject.toml) below `root`; otherwise
 *   the directory (with a warning when `root` was not given, since manifests could not be looked up).
 *
 * @example createModuleResolver({ level: 'folder', files: new Map(), warnings: [] })('src/ui/app.ts') // => 'src/ui'
 */
export function createModuleResolver(options: {
  level: ModuleLevel;
  files: ReadonlyMap<string, FileFacts>;
  root?: string | undefined;
  warnings: string[];
}): (file: string) => string {
  const { level, files, root, warnings } = options;
  if (level === 'file') return (file) => file;
  if (level === 'folder') return folderOf;
  if (root === undefined)
    warnings.push(
      'Package level without a root folder: package manifests were not looked up, so JavaScript/TypeScript and Go files are grouped by folder.',
    );
  const manifestFolderCache = new Map<string, string | null>();
  const manifestFolderOf = (folder: string): string | null => {
    const cached = manifestFolderCache.get(folder);
    if (cached !== undefined) return cached;
    let found: string | null = null;
    if (root !== undefined) {
      if (packageManifests.some((name) => existsSync(path.join(root, folder, name)))) found = folder;
      else if (folder !== '.') found = manifestFolderOf(folderOf(folder));
    }
    manifestFolderCache.set(folder, found);
    return found;
  };
  return (file) => {
    const facts = files.get(file);
    if (facts?.packageName && facts.language === 'java') return facts.packageName;
    if (facts?.packageName && facts.language === 'python') {
      // The facts carry the module's dotted path; its package is the parent unless the file is `__init__.py`.
      if (file.endsWith('__init__.py')) return facts.packageName;
      const dot = facts.packageName.lastIndexOf('.');
      return dot < 0 ? folderOf(file) : facts.packageName.slice(0, dot);
    }
    return manifestFolderOf(folderOf(file)) ?? folderOf(file);
  };
}
