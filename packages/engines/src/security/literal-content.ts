/**
 * The content of a string or regex literal's source text: quotes, Python prefixes (r, b, u, f) and regex
 * delimiters/flags removed. Non-literals come back unchanged.
 *
 * @example literalContent('r"^(a+)+$"') // => '^(a+)+$'
 */
export function literalContent(text: string): string {
  const python = /^[rRbBuUfF]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(text);
  if (python) return python[2] ?? '';
  const quoted = /^(["'`])([\s\S]*)\1$/.exec(text);
  if (quoted) return quoted[2] ?? '';
  const regex = /^\/([\s\S]+)\/[a-z]*$/.exec(text);
  if (regex) return regex[1] ?? '';
  return text;
}
