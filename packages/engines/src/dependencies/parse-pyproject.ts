import { PlumbError } from '@plumb/protocol';
import { parse, TomlError } from 'smol-toml';
import type { DeclaredDependency } from './declared-dependency.ts';
import { lineAndColumn } from './json-member-positions.ts';
import { parsePep508Requirement } from './parse-pep508-requirement.ts';

/**
 * Dependencies of a `pyproject.toml`: PEP 621 `project.dependencies` and `project.optional-dependencies`, and
 * Poetry's `tool.poetry.dependencies` (plus `group.<name>.dependencies` and `dev-dependencies`). Poetry
 * constraints (`^1.2`, `~1.2`, `1.2.*`) are kept as written in `declared`; `poetryToPep440` converts them.
 *
 * @example parsePyproject('[project]\ndependencies = ["PyYAML==5.3"]\n').dependencies[0]?.name // => 'PyYAML'
 */
export function parsePyproject(
  content: string,
  file = 'pyproject.toml',
): { dependencies: DeclaredDependency[]; warnings: string[] } {
  let document: Record<string, unknown>;
  try {
    document = parse(content);
  } catch (error) {
    const line = error instanceof TomlError ? error.line : 1;
    const column = error instanceof TomlError ? error.column : 1;
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new PlumbError(
      'manifest_invalid',
      `${file}:${line}:${column}: not valid TOML (${reason}). Fix the syntax there (quotes around strings, commas between array items, one value per key).`,
      { param: `${file}:${line}:${column}`, cause: error },
    );
  }
  const dependencies: DeclaredDependency[] = [];
  const warnings: string[] = [];
  let searchFrom = 0;
  const addRequirement = (requirement: unknown, section: string) => {
    if (typeof requirement !== 'string')
      throw new PlumbError(
        'manifest_invalid',
        `${file}: every entry of ${section} must be a string such as "requests>=2.31".`,
        {
          param: file,
        },
      );
    const parsed = parsePep508Requirement(requirement);
    const found = content.indexOf(requirement, searchFrom);
    const start = found === -1 ? content.indexOf(requirement) : found;
    if (start !== -1) searchFrom = start + requirement.length;
    const at = lineAndColumn(content, Math.max(0, start));
    if ('problem' in parsed)
      throw new PlumbError(
        'manifest_invalid',
        `${file}:${at.line}:${at.column + parsed.offset}: ${parsed.problem}.`,
        {
          param: `${file}:${at.line}:${at.column + parsed.offset}`,
        },
      );
    if (parsed.url !== undefined) {
      warnings.push(`${file}:${at.line}: "${parsed.name}" comes from ${parsed.url}; not checked.`);
      return;
    }
    dependencies.push({
      name: parsed.name,
      ecosystem: 'pypi',
      declared: parsed.specifier,
      source: {
        file,
        line: at.line,
        column: at.column + parsed.specifierOffset,
        offset: start === -1 || parsed.specifier === '' ? undefined : start + parsed.specifierOffset,
      },
      origin: 'manifest',
      section,
      extras: parsed.extras.length > 0 ? parsed.extras : undefined,
      marker: parsed.marker,
    });
  };
  const project = record(document.project);
  if (project) {
    for (const requirement of array(project.dependencies, `${file}: project.dependencies`))
      addRequirement(requirement, 'project.dependencies');
    for (const [group, requirements] of Object.entries(record(project['optional-dependencies']) ?? {}))
      for (const requirement of array(requirements, `${file}: project.optional-dependencies.${group}`))
        addRequirement(requirement, `project.optional-dependencies.${group}`);
  }
  const poetry = record(record(document.tool)?.poetry);
  if (poetry) {
    const tables: [string, unknown][] = [
      ['tool.poetry.dependencies', poetry.dependencies],
      ['tool.poetry.dev-dependencies', poetry['dev-dependencies']],
      ...Object.entries(record(poetry.group) ?? {}).map(([group, table]): [string, unknown] => [
        `tool.poetry.group.${group}.dependencies`,
        record(table)?.dependencies,
      ]),
    ];
    for (const [section, table] of tables) {
      for (const [name, value] of Object.entries(record(table) ?? {})) {
        if (name.toLowerCase() === 'python') continue;
        const constraint =
          typeof value === 'string'
            ? value
            : typeof record(value)?.version === 'string'
              ? String(record(value)?.version)
              : undefined;
        const keyPattern = new RegExp(
          `^\\s*["']?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']?\\s*=`,
          'm',
        );
        const keyMatch = keyPattern.exec(content);
        if (constraint === undefined) {
          warnings.push(`${file}: ${section}.${name} is a path, git or URL dependency; not checked.`);
          continue;
        }
        const valueStart = keyMatch ? content.indexOf(constraint, keyMatch.index + keyMatch[0].length) : -1;
        const at = lineAndColumn(content, valueStart === -1 ? (keyMatch?.index ?? 0) : valueStart);
        const extras = record(value)?.extras;
        dependencies.push({
          name,
          ecosystem: 'pypi',
          declared: constraint === '*' ? '' : constraint,
          source: {
            file,
            line: at.line,
            column: at.column,
            offset: valueStart === -1 || constraint === '*' ? undefined : valueStart,
          },
          origin: 'manifest',
          section,
          extras: Array.isArray(extras) ? extras.map(String) : undefined,
        });
      }
    }
  }
  return { dependencies, warnings };
}

/**
 * Converts a Poetry constraint to a PEP 440 specifier set (`^1.2.3` -> `>=1.2.3,<2.0.0`). PEP 440 text passes
 * through unchanged.
 *
 * @example poetryToPep440('^0.2.3') // => '>=0.2.3,<0.3.0'
 */
export function poetryToPep440(constraint: string): string {
  return constraint
    .split(',')
    .map((clause) => {
      const text = clause.trim();
      const caret = /^\^\s*(\d+(?:\.\d+)*)(.*)$/.exec(text);
      if (caret?.[1]) {
        const parts = caret[1].split('.').map(Number);
        const firstNonZero = parts.findIndex((part) => part !== 0);
        const bumpAt = firstNonZero === -1 ? parts.length - 1 : firstNonZero;
        const upper = parts.slice(0, bumpAt + 1).map((part, index) => (index === bumpAt ? part + 1 : part));
        while (upper.length < 3) upper.push(0);
        return `>=${caret[1]}${caret[2] ?? ''},<${upper.join('.')}`;
      }
      const tilde = /^~(?!=)\s*(\d+(?:\.\d+)*)(.*)$/.exec(text);
      if (tilde?.[1]) {
        const parts = tilde[1].split('.').map(Number);
        const upper =
          parts.length === 1 ? [(parts[0] ?? 0) + 1, 0, 0] : [parts[0] ?? 0, (parts[1] ?? 0) + 1, 0];
        return `>=${tilde[1]}${tilde[2] ?? ''},<${upper.join('.')}`;
      }
      if (/^\d/.test(text)) return text.includes('*') ? `==${text}` : `==${text}`;
      return text === '*' ? '' : text;
    })
    .filter(Boolean)
    .join(',');
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function array(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value))
    throw new PlumbError('manifest_invalid', `${where} must be an array of requirement strings.`, {
      param: where,
    });
  return value;
}
