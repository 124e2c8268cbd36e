import { PlumbError } from '@plumb/protocol';
import type { DeclaredDependency } from './declared-dependency.ts';
import { parsePep508Requirement } from './parse-pep508-requirement.ts';

/**
 * The requirements of a pip `requirements.txt`: pins, ranges, extras, markers, comments and `\` continuations.
 * `-r`/`-c` includes, `-e` editables, index options and URLs are reported as warnings (not followed). A line that
 * is not a requirement is `manifest_invalid` with its line and column.
 *
 * @example parseRequirements('PyYAML==5.3  # pinned\n').dependencies[0]?.declared // => '==5.3'
 */
export function parseRequirements(
  content: string,
  file = 'requirements.txt',
): { dependencies: DeclaredDependency[]; warnings: string[] } {
  const dependencies: DeclaredDependency[] = [];
  const warnings: string[] = [];
  const lines = content.split('\n');
  let offset = 0;
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const lineStart = offset;
    let text = (lines[index] ?? '').replace(/\r$/, '');
    offset += (lines[index] ?? '').length + 1;
    // A trailing backslash joins the next line (pip's rule); positions stay those of the first line.
    while (text.endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      text = `${text.slice(0, -1)} ${(lines[index] ?? '').replace(/\r$/, '')}`;
      offset += (lines[index] ?? '').length + 1;
    }
    const comment = /(^|\s)#/.exec(text);
    const body = comment ? text.slice(0, comment.index) : text;
    if (body.trim() === '') continue;
    const trimmed = body.trim();
    if (trimmed.startsWith('-')) {
      const include = /^(-r|--requirement|-c|--constraint)\s*=?\s*(\S+)/.exec(trimmed);
      warnings.push(
        include
          ? `${file}:${lineNumber}: includes ${include[2]} (${include[1]}); pass that file too to check its requirements.`
          : `${file}:${lineNumber}: option "${trimmed.split(/\s+/)[0]}" is not checked.`,
      );
      continue;
    }
    if (/^(?:https?:|git\+|file:|\.{0,2}\/)/.test(trimmed)) {
      warnings.push(
        `${file}:${lineNumber}: "${trimmed}" is a URL or path, not a registry requirement; not checked.`,
      );
      continue;
    }
    const parsed = parsePep508Requirement(body);
    if ('problem' in parsed)
      throw new PlumbError(
        'manifest_invalid',
        `${file}:${lineNumber}:${parsed.offset + 1}: ${parsed.problem}.`,
        { param: `${file}:${lineNumber}:${parsed.offset + 1}` },
      );
    if (parsed.url !== undefined) {
      warnings.push(
        `${file}:${lineNumber}: "${parsed.name}" comes from ${parsed.url}, not the registry; not checked.`,
      );
      continue;
    }
    dependencies.push({
      name: parsed.name,
      ecosystem: 'pypi',
      declared: parsed.specifier,
      source: {
        file,
        line: lineNumber,
        column: parsed.specifierOffset + 1,
        offset: parsed.specifier === '' ? undefined : lineStart + parsed.specifierOffset,
      },
      origin: 'manifest',
      section: 'requirements',
      extras: parsed.extras.length > 0 ? parsed.extras : undefined,
      marker: parsed.marker,
    });
  }
  return { dependencies, warnings };
}
