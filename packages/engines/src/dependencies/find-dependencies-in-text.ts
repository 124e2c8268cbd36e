import { builtinModules } from 'node:module';
import type { DeclaredDependency, InstallTool } from './declared-dependency.ts';
import { isValidNpmName } from './npm-registry-client.ts';
import { parsePep508Requirement } from './parse-pep508-requirement.ts';
import { pythonDistributionFor } from './python-import-names.ts';
import { pythonStdlibModules } from './python-stdlib-modules.ts';

const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, name.split('/')[0] ?? name]));

// Applied line by line with no nested quantifiers, so hostile text cannot make them backtrack for long.
// `from '...'` also covers the last line of a multi-line `import { a,\n b } from 'x'`.
const javascriptImportPatterns = [
  /\bfrom\s*['"]([^'"\s]+)['"]/g,
  /^\s*import\s*['"]([^'"\s]+)['"]/g,
  /\brequire\s*\(\s*['"]([^'"\s]+)['"]\s*\)/g,
  /\bimport\s*\(\s*['"]([^'"\s]+)['"]\s*\)/g,
];
const pythonImportPattern =
  /^[ \t]*import[ \t]+([\w.]+(?:[ \t]+as[ \t]+\w+)?(?:[ \t]*,[ \t]*[\w.]+(?:[ \t]+as[ \t]+\w+)?)*)[ \t]*(?:#.*)?$/;
const pythonFromPattern = /^[ \t]*from[ \t]+([A-Za-z_][\w.]*)[ \t]+import[ \t]/;
/** Lines longer than this are not source code a model wrote; skipping them bounds the work. */
const maximumLineLength = 2_000;
const commandPattern =
  /(?:^|[\s;&|(`$>])((?:npm|pnpm|bun|yarn)\s+(?:install|add|i)\b|(?:python3?\s+-m\s+)?pip3?\s+install\b|uv\s+(?:pip\s+install|add)\b|poetry\s+add\b)([^\n;&|`]*)/gm;

/** Options that take a value, so the next word is not a package. */
const valueFlags = new Set([
  '--registry',
  '--prefix',
  '--tag',
  '-w',
  '--workspace',
  '--filter',
  '--cache',
  '--userconfig',
  '-r',
  '--requirement',
  '-c',
  '--constraint',
  '-i',
  '--index-url',
  '--extra-index-url',
  '-e',
  '--editable',
  '-t',
  '--target',
  '--root',
  '--python',
  '-p',
  '--group',
  '-G',
  '--source',
  '--optional',
  '--extra',
]);

/**
 * Dependencies named in free text or generated code: JS/TS `import`/`require`/`export from`, Python
 * `import`/`from ... import` (relative imports and standard-library modules skipped, import names mapped to
 * distributions), and install commands (`npm install x@beta`, `yarn add`, `pnpm add`, `pip install y==1.2`,
 * `poetry add`, `uv add`), each with its character range so a guard can rewrite it.
 *
 * @example findDependenciesInText('npm install chart.js@beta')[0]?.declared // => 'beta'
 */
export function findDependenciesInText(text: string): DeclaredDependency[] {
  const found: DeclaredDependency[] = [...findInstallCommands(text)];
  const seen = new Set(found.map((dependency) => `${dependency.ecosystem}:${dependency.name.toLowerCase()}`));
  const add = (dependency: DeclaredDependency) => {
    const key = `${dependency.ecosystem}:${dependency.name.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(dependency);
  };
  const addPython = (module: string, start: number) => {
    const top = module.split('.')[0] ?? '';
    if (top === '' || pythonStdlibModules.has(top)) return;
    add({
      name: pythonDistributionFor(top),
      ecosystem: 'pypi',
      declared: '',
      source: { codeRange: { start, end: start + module.length } },
      origin: 'import',
      importName: top,
    });
  };
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const offset = lineStart;
    lineStart += line.length + 1;
    if (line.length > maximumLineLength || !/import|require|from/.test(line)) continue;
    for (const pattern of javascriptImportPatterns) {
      for (const match of line.matchAll(pattern)) {
        const specifier = match[1] ?? '';
        const name = npmPackageOfSpecifier(specifier);
        if (!name) continue;
        const start = offset + (match.index ?? 0) + match[0].lastIndexOf(specifier);
        add({
          name,
          ecosystem: 'npm',
          declared: '',
          source: { codeRange: { start, end: start + specifier.length } },
          origin: 'import',
          importName: specifier,
        });
      }
    }
    const plain = pythonImportPattern.exec(line);
    if (plain?.[1]) {
      let cursor = line.indexOf(plain[1]);
      for (const part of plain[1].split(',')) {
        const module = part.trim().split(/\s+/)[0] ?? '';
        const at = line.indexOf(module, cursor);
        addPython(module, offset + at);
        cursor = at + module.length;
      }
    }
    const from = pythonFromPattern.exec(line);
    if (from?.[1]) addPython(from[1], offset + line.indexOf(from[1], line.indexOf('from') + 4));
  }
  return found;
}

/**
 * The npm package an import specifier loads, or undefined for relative paths, builtins, URLs and aliases.
 *
 * @example npmPackageOfSpecifier('@scope/pkg/deep') // => '@scope/pkg'
 */
export function npmPackageOfSpecifier(specifier: string): string | undefined {
  if (/^(?:\.|\/|[a-z]+:|#|~|@\/)/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? '');
  if (nodeBuiltins.has(name) || !isValidNpmName(name) || (specifier.startsWith('@') && parts.length < 2))
    return undefined;
  return name;
}

function findInstallCommands(text: string): DeclaredDependency[] {
  const found: DeclaredDependency[] = [];
  for (const match of text.matchAll(commandPattern)) {
    const verb = match[1] ?? '';
    const argumentsText = match[2] ?? '';
    const commandStart = (match.index ?? 0) + match[0].indexOf(verb);
    const commandEnd = commandStart + verb.length + argumentsText.replace(/\s+$/, '').length;
    const tool = toolOf(verb);
    const ecosystem = tool === 'pip' || tool === 'poetry' || tool === 'uv' ? 'pypi' : 'npm';
    const argumentsStart = commandStart + verb.length;
    let skipNext = false;
    for (const token of argumentsText.matchAll(/'[^']*'|"[^"]*"|\S+/g)) {
      const raw = token[0];
      // A comment, or shell substitution / an unbalanced quote: what follows is not a list of packages.
      if (raw.startsWith('#') || raw.includes('$(') || /^['"]/.test(raw) !== /^(['"]).*\1$/.test(raw)) break;
      if (skipNext) {
        skipNext = false;
        continue;
      }
      if (raw.startsWith('-')) {
        if (valueFlags.has(raw)) skipNext = true;
        continue;
      }
      const quoted = /^['"]/.test(raw);
      const argument = quoted ? raw.slice(1, -1) : raw;
      const start = argumentsStart + (token.index ?? 0) + (quoted ? 1 : 0);
      const installCommand = { tool, start: commandStart, end: commandEnd, argument };
      const codeRange = { start, end: start + argument.length };
      if (ecosystem === 'npm') {
        const at = argument.lastIndexOf('@');
        const name = at > 0 ? argument.slice(0, at) : argument;
        // Invalid but harmless-looking names (`@types-react`) are kept: the registry check reports them.
        if (!/^@?[\w.~-]+(?:\/[\w.~-]+)?$/.test(name)) continue;
        found.push({
          name,
          ecosystem,
          declared: at > 0 ? argument.slice(at + 1) : '',
          source: { codeRange },
          origin: 'install-command',
          installCommand,
        });
      } else {
        // Poetry also accepts `name@^1.2`.
        const poetryStyle = /^([A-Za-z0-9][\w.-]*)@(.+)$/.exec(argument);
        const requirement = parsePep508Requirement(poetryStyle ? `${poetryStyle[1]}` : argument);
        if ('problem' in requirement || requirement.url !== undefined || /^[./]/.test(argument)) continue;
        found.push({
          name: requirement.name,
          ecosystem,
          declared: poetryStyle?.[2] ?? requirement.specifier,
          source: { codeRange },
          origin: 'install-command',
          extras: requirement.extras.length > 0 ? requirement.extras : undefined,
          marker: requirement.marker,
          installCommand,
        });
      }
    }
  }
  return found;
}

function toolOf(verb: string): InstallTool {
  const word = verb.replace(/^python3?\s+-m\s+/, '').split(/\s+/)[0] ?? '';
  if (word.startsWith('pip')) return 'pip';
  return word as InstallTool;
}
