import { PlumbError } from '@plumb/protocol';
import type { DeclaredDependency } from './declared-dependency.ts';
import { jsonMemberPositions, lineAndColumn } from './json-member-positions.ts';
import { parseJsonManifest } from './parse-json-manifest.ts';

/** The package.json sections that name registry dependencies. */
export const packageJsonSections = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
] as const;

/**
 * The dependencies a `package.json` declares, with the line, column and offset of each version text.
 * Non-registry specs (`file:`, `git+`, `workspace:`, URLs, `link:`) are skipped with a warning; `npm:` aliases
 * are checked under the aliased name.
 *
 * @example parsePackageJson('{"dependencies":{"chart.js":"4.0.0-rc.1"}}').dependencies[0]?.declared // => '4.0.0-rc.1'
 */
export function parsePackageJson(
  content: string,
  file = 'package.json',
): { dependencies: DeclaredDependency[]; warnings: string[] } {
  const manifest = parseJsonManifest(content, file);
  const positions = jsonMemberPositions(content, 2);
  const dependencies: DeclaredDependency[] = [];
  const warnings: string[] = [];
  for (const section of packageJsonSections) {
    const entries = manifest[section];
    if (entries === undefined) continue;
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      const { line, column } = lineAndColumn(content, positions.get(section)?.keyOffset ?? 0);
      throw new PlumbError(
        'manifest_invalid',
        `${file}:${line}:${column}: "${section}" must be an object mapping package names to version ranges.`,
        { param: `${file}:${line}:${column}` },
      );
    }
    for (const [name, spec] of Object.entries(entries as Record<string, unknown>)) {
      const position = positions.get(`${section}\u0000${name}`);
      const location = lineAndColumn(content, position?.valueOffset ?? position?.keyOffset ?? 0);
      if (typeof spec !== 'string') {
        throw new PlumbError(
          'manifest_invalid',
          `${file}:${location.line}:${location.column}: the version of "${name}" in "${section}" must be a string such as "^1.2.3".`,
          { param: `${file}:${location.line}:${location.column}` },
        );
      }
      const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(spec);
      if (
        !alias &&
        /^(?:file:|link:|workspace:|portal:|git\+|git:|github:|https?:|[\w-]+\/[\w.-]+(?:#.*)?$)/.test(spec)
      ) {
        warnings.push(`${file}:${location.line}: "${name}" is not from the registry (${spec}); not checked.`);
        continue;
      }
      const declared = alias ? (alias[2] ?? '') : spec;
      const valueOffset =
        position?.valueOffset === undefined
          ? undefined
          : position.valueOffset + (alias ? spec.length - declared.length : 0);
      dependencies.push({
        name: alias?.[1] ?? name,
        ecosystem: 'npm',
        declared,
        source: {
          file,
          line: location.line,
          column:
            location.column +
            (valueOffset !== undefined && position?.valueOffset !== undefined
              ? valueOffset - position.valueOffset
              : 0),
          offset: valueOffset,
        },
        origin: 'manifest',
        section,
      });
    }
  }
  return { dependencies, warnings };
}
