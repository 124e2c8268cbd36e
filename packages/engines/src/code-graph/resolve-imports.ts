import path from 'node:path';
import type { FileFacts, ImportFact } from './file-facts.ts';
import { emptyImportResolutionConfig, type ImportResolutionConfig } from './import-resolution-config.ts';

/** Where one import leads: repository files, or an external package. */
export interface ResolvedImport {
  targets: string[];
  /** The external package (`react`, `@scope/ui`, `os`, `java.util`, `net/http`) when no file matched. */
  external?: string;
  /** A Go package or a Java wildcard: the targets are every file of the package, not one module. */
  packageImport: boolean;
}

export type ImportResolver = (file: FileFacts, fact: ImportFact) => ResolvedImport;

const scriptExtensions = ['.ts', '.tsx', '.d.ts', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/**
 * Index the repository's files once and return a resolver for their imports, per language: relative
 * TypeScript/JavaScript paths (extension-less, `index` files, `.js` written for a `.ts` file), tsconfig `paths`
 * and `baseUrl`, workspace package names; Python absolute and relative modules (`.models`, `..`, packages through
 * `__init__.py`, with or without a `src/` layout); Java classes, static members and wildcards by package;
 * Go packages by the module path in go.mod (or, without one, by the longest matching folder suffix).
 *
 * @example
 * const resolve = createImportResolver(files, config);
 * resolve(file, { specifier: './order', ... }) // => { targets: ['src/order.ts'], packageImport: false }
 */
export function createImportResolver(
  files: readonly FileFacts[],
  config: ImportResolutionConfig = emptyImportResolutionConfig,
): ImportResolver {
  const paths = new Set(files.map((file) => file.path));
  const byDirectory = new Map<string, FileFacts[]>();
  const pythonModules = new Map<string, string[]>();
  const javaTypes = new Map<string, string[]>();
  const javaPackages = new Map<string, string[]>();
  for (const file of files) {
    push(byDirectory, path.posix.dirname(file.path), file);
    if (file.language === 'python') {
      const segments = file.path.replace(/\.pyi?$/, '').split('/');
      if (segments.at(-1) === '__init__') segments.pop();
      for (let start = 0; start < segments.length; start += 1) {
        push(pythonModules, segments.slice(start).join('.'), file.path);
      }
    }
    if (file.language === 'java' && file.packageName !== undefined) {
      push(javaPackages, file.packageName, file.path);
      const typeNames = new Set(
        file.definitions
          .filter((definition) => definition.parent === undefined)
          .map((definition) => definition.name),
      );
      typeNames.add(path.posix.basename(file.path, '.java'));
      for (const name of typeNames) push(javaTypes, `${file.packageName}.${name}`, file.path);
    }
  }
  const goModules = [...config.goModules].sort(
    (left, right) => right.modulePath.length - left.modulePath.length,
  );
  const scriptConfigs = [...config.typescript].sort(
    (left, right) => right.directory.length - left.directory.length,
  );

  const scriptFile = (base: string): string | undefined => {
    const normalized = path.posix.normalize(base);
    if (paths.has(normalized) && !/\.(js|jsx|mjs|cjs)$/.test(normalized)) return normalized;
    const withoutScriptExtension = normalized.replace(/\.(js|jsx|mjs|cjs)$/, '');
    for (const candidate of [withoutScriptExtension, normalized]) {
      for (const extension of scriptExtensions) {
        if (paths.has(candidate + extension)) return candidate + extension;
      }
    }
    if (paths.has(normalized)) return normalized;
    for (const extension of scriptExtensions) {
      if (paths.has(`${normalized}/index${extension}`)) return `${normalized}/index${extension}`;
    }
    return undefined;
  };

  const resolveScript = (file: FileFacts, specifier: string): ResolvedImport => {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const target = scriptFile(path.posix.join(path.posix.dirname(file.path), specifier));
      return { targets: target === undefined ? [] : [target], packageImport: false };
    }
    const scriptConfig = scriptConfigs.find(
      (entry) => entry.directory === '' || file.path.startsWith(`${entry.directory}/`),
    );
    if (scriptConfig !== undefined) {
      for (const [pattern, targets] of Object.entries(scriptConfig.paths)) {
        const star = matchPathPattern(pattern, specifier);
        if (star === undefined) continue;
        for (const target of targets) {
          const resolved = scriptFile(target.replace('*', star));
          if (resolved !== undefined) return { targets: [resolved], packageImport: false };
        }
      }
      if (scriptConfig.baseUrl !== undefined) {
        const resolved = scriptFile(path.posix.join(scriptConfig.baseUrl, specifier));
        if (resolved !== undefined) return { targets: [resolved], packageImport: false };
      }
    }
    const packageName = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : (specifier.split('/')[0] ?? specifier);
    const workspace = config.packages.find((entry) => entry.name === packageName);
    if (workspace !== undefined) {
      const rest = specifier.slice(packageName.length).replace(/^\//, '');
      const candidates =
        rest === ''
          ? [workspace.entry, `${workspace.directory}/src/index`, `${workspace.directory}/index`]
          : [`${workspace.directory}/src/${rest}`, `${workspace.directory}/${rest}`];
      for (const candidate of candidates) {
        const resolved = candidate === undefined ? undefined : scriptFile(candidate.replace(/^\//, ''));
        if (resolved !== undefined) return { targets: [resolved], packageImport: false };
      }
    }
    return { targets: [], external: packageName, packageImport: false };
  };

  const pythonModule = (file: FileFacts, dotted: string): string | undefined => {
    const candidates = pythonModules.get(dotted);
    if (candidates === undefined) return undefined;
    const exact = candidates.find((candidate) => moduleNameOf(candidate) === dotted);
    // Several folders can hold `app/models.py` (src layouts, copies): the one nearest the importer wins.
    return (
      exact ??
      [...candidates].sort((left, right) => sharedPrefix(right, file.path) - sharedPrefix(left, file.path))[0]
    );
  };

  const resolvePython = (file: FileFacts, fact: ImportFact): ResolvedImport => {
    const dots = /^\.*/.exec(fact.specifier)?.[0].length ?? 0;
    const rest = fact.specifier.slice(dots);
    let base: string | undefined;
    if (dots > 0) {
      let directory = path.posix.dirname(file.path);
      for (let level = 1; level < dots; level += 1) directory = path.posix.dirname(directory);
      const folder = directory === '.' ? '' : directory;
      const relative = [folder, ...rest.split('.').filter(Boolean)].filter(Boolean).join('/');
      base = pythonFileAt(paths, relative);
      const targets = base === undefined ? [] : [base];
      for (const name of fact.names) {
        const submodule = pythonFileAt(paths, [relative, name.imported].filter(Boolean).join('/'));
        if (submodule !== undefined && !targets.includes(submodule)) targets.push(submodule);
      }
      return { targets, packageImport: false };
    }
    base = pythonModule(file, rest);
    const targets = base === undefined ? [] : [base];
    for (const name of fact.names) {
      const submodule = pythonModule(file, `${rest}.${name.imported}`);
      if (submodule !== undefined && !targets.includes(submodule)) targets.push(submodule);
    }
    if (targets.length > 0) return { targets, packageImport: false };
    return { targets, external: rest.split('.')[0] ?? rest, packageImport: false };
  };

  const resolveJava = (fact: ImportFact): ResolvedImport => {
    const specifier = fact.specifier.replace(/\.\*$/, '');
    const wildcard = fact.specifier.endsWith('.*') || fact.names.some((name) => name.imported === '*');
    if (wildcard) {
      const members = javaPackages.get(specifier) ?? javaTypes.get(specifier);
      if (members !== undefined) return { targets: [...members], packageImport: true };
    } else {
      // `a.b.C` is a class; `a.b.C.member` (static import) or `a.b.C.Inner` lives in the file of `a.b.C`.
      const segments = specifier.split('.');
      for (let end = segments.length; end > 1; end -= 1) {
        const found = javaTypes.get(segments.slice(0, end).join('.'));
        if (found !== undefined) return { targets: [...found], packageImport: false };
      }
    }
    const segments = specifier.split('.');
    const firstType = segments.findIndex((segment) => /^[A-Z]/.test(segment));
    const packageSegments =
      firstType > 0 ? segments.slice(0, firstType) : wildcard ? segments : segments.slice(0, -1);
    return { targets: [], external: packageSegments.join('.') || specifier, packageImport: false };
  };

  const resolveGo = (file: FileFacts, specifier: string): ResolvedImport => {
    const packageFiles = (directory: string): string[] =>
      (byDirectory.get(directory) ?? [])
        .filter(
          (candidate) => candidate.language === 'go' && (file.isTest || !candidate.path.endsWith('_test.go')),
        )
        .map((candidate) => candidate.path);
    for (const module of goModules) {
      if (specifier !== module.modulePath && !specifier.startsWith(`${module.modulePath}/`)) continue;
      const directory = path.posix.join(
        module.directory || '.',
        specifier.slice(module.modulePath.length + 1),
      );
      const targets = packageFiles(directory === '' ? '.' : directory);
      if (targets.length > 0) return { targets, packageImport: true };
    }
    if (goModules.length === 0 && specifier.includes('.')) {
      // No go.mod was read: the folder whose path is the longest suffix of the import path is the package.
      const segments = specifier.split('/');
      for (let start = 1; start < segments.length; start += 1) {
        const targets = packageFiles(segments.slice(start).join('/'));
        if (targets.length > 0) return { targets, packageImport: true };
      }
    }
    return { targets: [], external: specifier, packageImport: false };
  };

  return (file, fact) => {
    switch (file.language) {
      case 'python':
        return resolvePython(file, fact);
      case 'java':
        return resolveJava(fact);
      case 'go':
        return resolveGo(file, fact.specifier);
      default:
        return resolveScript(file, fact.specifier);
    }
  };
}

function pythonFileAt(paths: ReadonlySet<string>, base: string): string | undefined {
  if (base !== '' && paths.has(`${base}.py`)) return `${base}.py`;
  const init = base === '' ? '__init__.py' : `${base}/__init__.py`;
  return paths.has(init) ? init : undefined;
}

function moduleNameOf(file: string): string {
  return file
    .replace(/\.pyi?$/, '')
    .replace(/\/__init__$/, '')
    .split('/')
    .join('.');
}

function sharedPrefix(left: string, right: string): number {
  let index = 0;
  while (index < left.length && left[index] === right[index]) index += 1;
  return index;
}

function matchPathPattern(pattern: string, specifier: string): string | undefined {
  const star = pattern.indexOf('*');
  if (star === -1) return pattern === specifier ? '' : undefined;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  if (!specifier.startsWith(prefix) || !specifier.endsWith(suffix)) return undefined;
  if (specifier.length < prefix.length + suffix.length) return undefined;
  return specifier.slice(prefix.length, specifier.length - suffix.length);
}

function push<TValue>(map: Map<string, TValue[]>, key: string, value: TValue): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
