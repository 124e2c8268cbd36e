import { parsePep440Specifiers } from './pep440.ts';

/** One parsed PEP 508 requirement. Offsets are relative to the requirement text. */
export interface Pep508Requirement {
  name: string;
  extras: string[];
  /** The specifier set as written, without parentheses (`>=1.0,<2`); empty when unconstrained. */
  specifier: string;
  specifierOffset: number;
  marker?: string | undefined;
  /** `name @ https://...` direct references. */
  url?: string | undefined;
}

const requirementPattern =
  /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?\s*(?:@\s*(\S+)|\(?\s*((?:===|==|!=|<=|>=|~=|<|>)[^;()]*?)\s*\)?)?\s*(?:;\s*(.*?))?\s*$/;

/**
 * Parses a PEP 508 requirement (`requests[socks]>=2.31,<3 ; python_version >= "3.8"`). Returns a string
 * describing the problem, with its offset, when the text is not one.
 *
 * @example (parsePep508Requirement('PyYAML==5.3') as Pep508Requirement).specifier // => '==5.3'
 */
export function parsePep508Requirement(
  text: string,
): Pep508Requirement | { problem: string; offset: number } {
  const match = requirementPattern.exec(text);
  if (!match) {
    const nameMatch = /^\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/.exec(text);
    return {
      problem: nameMatch
        ? `"${text.trim()}" has a version specifier PEP 440 does not allow; write it like "name>=1.2,<2"`
        : `"${text.trim()}" does not start with a package name; write it like "name==1.2.3"`,
      offset: nameMatch ? nameMatch[0].length : text.length - text.trimStart().length,
    };
  }
  const [, name = '', extras, url, specifier, marker] = match;
  const specifierOffset = specifier === undefined ? text.length : text.indexOf(specifier, name.length);
  if (specifier !== undefined && parsePep440Specifiers(specifier) === undefined)
    return {
      problem: `"${specifier}" is not a valid PEP 440 version specifier; write clauses like ">=1.2", "==1.2.*" or "~=1.2" separated by commas`,
      offset: specifierOffset,
    };
  return {
    name,
    extras: extras
      ? extras
          .split(',')
          .map((extra) => extra.trim())
          .filter(Boolean)
      : [],
    specifier: specifier ?? '',
    specifierOffset,
    marker: marker || undefined,
    url,
  };
}
